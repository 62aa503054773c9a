#!/usr/bin/env bash
# Dry-run `deno publish` for the umbrella package and every workspace member.
set -euo pipefail
cd "$(dirname "$0")/.."
for dir in . generators networks metrics experiments; do
  echo "publish --dry-run: $dir"
  (cd "$dir" && deno publish --dry-run --allow-dirty --quiet)
done
