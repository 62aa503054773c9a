#!/usr/bin/env bash
# Writing P data of L=3, s=2, s0=1, v=m=nc=8 as NPY (tokens.npy and labels.npy, int8): srhm's
# writeNpy (iid, the peer's sampling, and distinct, srhm's default) against our PyTorch peer
# (bench/torch_npy.py: bench/torch_srhm.py's generator, the rendering into the same int8 arrays,
# numpy.save of both), alternated in the same sitting, one JSON line per run.
#
#   bash bench/compare_npy.sh [rounds] [P]
#
# PyTorch runs on one thread with OMP_WAIT_POLICY=PASSIVE and OPENBLAS_CORETYPE (default Haswell,
# SkylakeX where /proc/cpuinfo lists avx512f). TORCH_BENCH=path times that script's generator
# instead of ours (the anchor of BENCHMARKS.md's first figures, outside the repository).
set -uo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
P=${2:-1000000}
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  if grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX; else export OPENBLAS_CORETYPE=Haswell; fi
fi
echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg), P=$P" >&2
status=0
report() { # round, what, its last output line
  if [ -z "$3" ]; then
    echo "compare_npy: round $1: $2 gave no result" >&2
    status=1
    return
  fi
  echo "{\"round\":$1,\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"result\":$3}"
}
for r in $(seq 1 "$rounds"); do
  for mode in iid distinct; do
    report "$r" "srhm $mode" "$(deno run -A bench/npy_oneshot.ts --P "$P" --mode "$mode" | tail -n1)"
  done
  report "$r" "bench/torch_npy.py" \
    "$(OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch_npy.py --P "$P" --threads 1 | tail -n1)"
done
exit "$status"
