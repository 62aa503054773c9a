#!/usr/bin/env bash
# Services the tests need, for .ci/run: `start` brings up the one-node Slurm cluster of
# scripts/slurm-up.sh (installing Debian's packages on a fresh machine), `stop` tears it down.
# tests/slurm_e2e_test.ts also calls slurm-up.sh itself (idempotent) and stops the cluster only
# when it was the one that started it, so `deno task test` works without this script too.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
case "${1:-}" in
  start) bash "$here/slurm-up.sh" ;;
  stop) bash "$here/slurm-down.sh" ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
