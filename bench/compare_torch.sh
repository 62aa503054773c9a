#!/usr/bin/env bash
# Runs the PyTorch peer (bench/torch_srhm.py, in this repository) and our training-throughput bench
# alternately, in the same sitting, and prints one JSON line per run (tagged) plus a summary of
# medians and ratios to PyTorch's best. Needs Debian's python3-torch (/usr/bin/python3).
#
#   bash bench/compare_torch.sh [rounds] [L] [width] [batch] [steps] [backends...]
#   bash bench/compare_torch.sh 3 3 512 128 100 auto wasm+blas@1 wasm
#
# A backend written "name@N" runs with OPENBLAS_NUM_THREADS=N.
# PyTorch at its best: the faster of `--layer linear --threads 1` and `--layer conv1d --threads 2`,
# with OMP_WAIT_POLICY=PASSIVE and OPENBLAS_CORETYPE (default: what bench/networks_bench.ts names
# from /proc/cpuinfo: SkylakeX with AVX-512, Haswell with AVX2; SkylakeX on a CPU without AVX-512
# kills the process with SIGILL).
set -uo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
L=${2:-3}
width=${3:-512}
batch=${4:-128}
steps=${5:-100}
shift $(( $# < 5 ? $# : 5 ))
backends=("$@")
[ ${#backends[@]} -eq 0 ] && backends=(auto wasm)
peer=bench/torch_srhm.py
/usr/bin/python3 -c 'import torch' 2>/dev/null || {
  echo "compare_torch.sh: /usr/bin/python3 cannot import torch (apt-get install python3-torch)" >&2
  exit 1
}
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  if grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo; then
    export OPENBLAS_CORETYPE=SkylakeX
  elif grep -qw avx2 /proc/cpuinfo; then
    export OPENBLAS_CORETYPE=Haswell
  fi
fi
log=$(mktemp)
echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg), OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}" >&2
for r in $(seq 1 "$rounds"); do
  for form in "linear 1" "conv1d 2"; do
    set -- $form
    out=$(OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 "$peer" train --L "$L" --s0 1 --width "$width" \
      --batch "$batch" --steps "$steps" --layer "$1" --threads "$2" 2>/dev/null | tail -n1)
    sps=$(printf '%s' "$out" | sed -nE 's/.*"samples_per_s": ([0-9.]+).*/\1/p')
    echo "{\"round\":$r,\"impl\":\"torch-$1-t$2\",\"samplesPerSec\":${sps:-null},\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\"}" | tee -a "$log"
  done
  for b in "${backends[@]}"; do
    # "name@N": the backend with OPENBLAS_NUM_THREADS=N.
    name=${b%@*}
    threads=()
    [ "$name" != "$b" ] && threads=(env "OPENBLAS_NUM_THREADS=${b#*@}")
    out=$("${threads[@]}" deno run -A bench/networks_bench.ts --backend "$name" --L "$L" \
      --width "$width" --batch "$batch" --steps "$steps" 2>/dev/null | tail -n1)
    sps=$(printf '%s' "$out" | sed -nE 's/.*"samplesPerSec":([0-9.]+).*/\1/p')
    echo "{\"round\":$r,\"impl\":\"srhm-$b\",\"samplesPerSec\":${sps:-null},\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\"}" | tee -a "$log"
  done
done
# Summary: per round, each of ours over the best PyTorch form of that round; then medians.
/usr/bin/python3 - "$log" "$L" "$width" "$batch" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
L, H, B = sys.argv[2:5]
by_round = {}
for r in rows:
    by_round.setdefault(r["round"], {})[r["impl"]] = r["samplesPerSec"]
impls = sorted({r["impl"] for r in rows})
ratios = {}
for rd, vals in sorted(by_round.items()):
    torch = max(v for k, v in vals.items() if k.startswith("torch") and v)
    for k, v in vals.items():
        if k.startswith("srhm") and v:
            ratios.setdefault(k, []).append(v / torch)
print(f"# L={L} H={H} batch={B}: medians over {len(by_round)} rounds (samples/s)")
for k in impls:
    vs = [r["samplesPerSec"] for r in rows if r["impl"] == k and r["samplesPerSec"]]
    med = statistics.median(vs) if vs else float("nan")
    extra = f", ratio to torch best (per round, median) {statistics.median(ratios[k]):.2f}" if k in ratios else ""
    print(f"#   {k}: {med:.0f} (runs: {', '.join(f'{v:.0f}' for v in vs)}){extra}")
PY
rm -f "$log"
