#!/usr/bin/env bash
# Generation + encoding, srhm against the PyTorch peer (bench/torch_srhm.py), alternately in the
# same sitting: each round runs, for sparsity A then B, the peer (i.i.d. draws, as the authors'
# code), ours with distinct data (the default) and ours i.i.d., each in a fresh process timing one
# draw of P data and its encoding into a fresh tensor (L = 3, s = 2, s0 = 1, v = m = nc = 8).
# Prints one JSON line per run and a summary of medians and per-round ratios (ours / the peer).
#
#   bash bench/compare_generators.sh [rounds] [P] [encoding]
#   bash bench/compare_generators.sh 3 100000 onehot
#
# Needs Debian's python3-torch (/usr/bin/python3). The peer runs with one thread,
# OMP_WAIT_POLICY=PASSIVE and OPENBLAS_CORETYPE named from /proc/cpuinfo (as compare_torch.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
P=${2:-100000}
encoding=${3:-onehot}
/usr/bin/python3 -c 'import torch' 2>/dev/null || {
  echo "compare_generators.sh: /usr/bin/python3 cannot import torch (apt-get install python3-torch)" >&2
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
echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg), P=$P, $encoding" >&2
rate() { sed -nE 's/.*"gen_samples_per_s": ?([0-9.]+).*/\1/p'; }
for r in $(seq 1 "$rounds"); do
  for sp in A B; do
    out=$(OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch_srhm.py gen --L 3 --s0 1 --v 8 \
      --P "$P" --sparsity "$sp" --encoding "$encoding" --threads 1 2>/dev/null | tail -n1)
    echo "{\"round\":$r,\"sparsity\":\"$sp\",\"impl\":\"torch\",\"samplesPerSec\":$(printf '%s' "$out" | rate | grep . || echo null),\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\"}" | tee -a "$log"
    for mode in distinct iid; do
      out=$(deno run -A bench/generators_oneshot.ts --P "$P" --sparsity "$sp" --mode "$mode" \
        --encoding "$encoding" 2>/dev/null | tail -n1)
      echo "{\"round\":$r,\"sparsity\":\"$sp\",\"impl\":\"srhm-$mode\",\"samplesPerSec\":$(printf '%s' "$out" | rate | grep . || echo null),\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\"}" | tee -a "$log"
    done
  done
done
/usr/bin/python3 - "$log" "$P" "$encoding" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(f"# generation + encoding, P={sys.argv[2]}, {sys.argv[3]}: medians over rounds (samples/s)")
failed = [r for r in rows if r["samplesPerSec"] is None]
for sp in ("A", "B"):
    for impl in ("torch", "srhm-distinct", "srhm-iid"):
        vs = [r["samplesPerSec"] for r in rows if r["sparsity"] == sp and r["impl"] == impl
              and r["samplesPerSec"]]
        ratios = []
        for rd in sorted({r["round"] for r in rows}):
            got = {r["impl"]: r["samplesPerSec"] for r in rows if r["round"] == rd and r["sparsity"] == sp}
            if impl != "torch" and got.get(impl) and got.get("torch"):
                ratios.append(got[impl] / got["torch"])
        med = statistics.median(vs) if vs else float("nan")
        extra = (f", ratio to torch per round {', '.join(f'{x:.2f}' for x in ratios)}"
                 f" (median {statistics.median(ratios):.2f})") if ratios else ""
        print(f"#   {sp} {impl}: {med:.0f} (runs: {', '.join(f'{v:.0f}' for v in vs)}){extra}")
sys.exit(1 if failed else 0)
PY
status=$?
rm -f "$log"
exit "$status"
