#!/usr/bin/env bash
# Services the tests need, for .ci/run. `start` installs Debian's Slurm and munge packages
# (scripts/slurm-up.sh --install-only), OpenBLAS, Chromium, NumPy, pandas and PyTorch on a fresh machine, so that the install's time
# and any apt error show before the tests; `stop` stops a cluster that scripts/slurm-up.sh left in its default
# directory (none, normally). tests/slurm_e2e_test.ts starts and stops its own private one-node
# cluster (own directory and ports) with scripts/slurm-up.sh and slurm-down.sh, so `deno task test`
# works without this script too and test runs side by side do not share daemons.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
case "${1:-}" in
  start)
    bash "$here/slurm-up.sh" --install-only || exit 1
    # OpenBLAS, so that the native path (`wasm+blas`, what `auto` picks) is tested too; without it
    # the BLAS tests skip, saying so, and everything runs on wasm.
    if ! ldconfig -p | grep -q 'libopenblas\.so'; then
      echo "ci-services: installing libopenblas0-pthread"
      { apt-get -o DPkg::Lock::Timeout=300 -qq update &&
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -qq install -y \
          --no-install-recommends libopenblas0-pthread; } >/dev/null 2>&1 ||
        echo "ci-services: OpenBLAS could not be installed; the BLAS tests will skip" >&2
    fi
    # Chromium, for the explorer's browser tests (tests/explorer_test.ts drives it headless with
    # playwright-core); without it they skip, saying so.
    if ! [ -x /usr/bin/chromium ]; then
      echo "ci-services: installing chromium"
      { apt-get -o DPkg::Lock::Timeout=300 -qq update &&
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -qq install -y \
          --no-install-recommends chromium; } >/dev/null 2>&1 ||
        echo "ci-services: Chromium could not be installed; the browser tests will skip" >&2
    fi
    # Debian's NumPy and pandas, so that the tests read our .npy files and CSV tables back in
    # Python (tests/npy_test.ts, tests/export_test.ts); without them those tests skip, saying so.
    # (Debian has no Parquet engine for pandas: the Parquet files are read back in Deno.)
    if ! /usr/bin/python3 -c 'import numpy, pandas' >/dev/null 2>&1; then
      echo "ci-services: installing python3-numpy python3-pandas"
      { apt-get -o DPkg::Lock::Timeout=300 -qq update &&
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -qq install -y \
          --no-install-recommends python3-numpy python3-pandas; } >/dev/null 2>&1 ||
        echo "ci-services: NumPy/pandas could not be installed; the Python read-back tests will skip" >&2
    fi
    # Debian's PyTorch (CPU), for our PyTorch peers in bench/: tests/docs_test.ts runs the
    # documented comparisons (bench/compare_*.sh, bench/torch_*.py) at tiny sizes and
    # tests/deep_networks_test.ts checks bench/torch_archs.py's parameter counts; without it they
    # skip, saying so.
    if ! /usr/bin/python3 -c 'import torch' >/dev/null 2>&1; then
      echo "ci-services: installing python3-torch"
      { apt-get -o DPkg::Lock::Timeout=300 -qq update &&
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -qq install -y \
          --no-install-recommends python3-torch; } >/dev/null 2>&1 ||
        echo "ci-services: PyTorch could not be installed; the PyTorch comparisons will skip" >&2
    fi
    ;;
  stop) bash "$here/slurm-down.sh" ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
