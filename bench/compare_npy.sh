#!/usr/bin/env bash
# Writing P data of L=3, s=2, s0=1, v=m=nc=8 as NPY (tokens.npy and labels.npy, int8): srhm's
# writeNpy (iid, the anchor's sampling, and distinct, srhm's default) against the PyTorch anchor's
# generation plus numpy.save of the same arrays (bench/torch_npy.py), alternated in the same sitting,
# one JSON line per run.
#
#   bash bench/compare_npy.sh [rounds] [P]
#
# PyTorch runs on one thread with OMP_WAIT_POLICY=PASSIVE and OPENBLAS_CORETYPE (default Haswell,
# SkylakeX where /proc/cpuinfo lists avx512f); TORCH_BENCH names the anchor if it is elsewhere.
set -uo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
P=${2:-1000000}
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  if grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX; else export OPENBLAS_CORETYPE=Haswell; fi
fi
echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg), P=$P" >&2
for r in $(seq 1 "$rounds"); do
  for mode in iid distinct; do
    out=$(deno run -A bench/npy_oneshot.ts --P "$P" --mode "$mode" | tail -n1)
    echo "{\"round\":$r,\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"result\":$out}"
  done
  out=$(OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch_npy.py --P "$P" --threads 1 | tail -n1)
  echo "{\"round\":$r,\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"result\":$out}"
done
