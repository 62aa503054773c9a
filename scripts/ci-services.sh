#!/usr/bin/env bash
# Services the tests need, for .ci/run. `start` installs Debian's Slurm and munge packages on a
# fresh machine (scripts/slurm-up.sh --install-only), so that the install's time and any apt error
# show before the tests; `stop` stops a cluster that scripts/slurm-up.sh left in its default
# directory (none, normally). tests/slurm_e2e_test.ts starts and stops its own private one-node
# cluster (own directory and ports) with scripts/slurm-up.sh and slurm-down.sh, so `deno task test`
# works without this script too and test runs side by side do not share daemons.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
case "${1:-}" in
  start) bash "$here/slurm-up.sh" --install-only ;;
  stop) bash "$here/slurm-down.sh" ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
