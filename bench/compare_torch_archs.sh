#!/usr/bin/env bash
# The paper's Figure 1 networks: PyTorch's torch_archs_bench.py (1 and 2 threads) and our `train`
# command on the same shapes (v = 10, d = 36, batch 128, width 64 = the published sizes), run
# alternately in the same sitting. Prints one JSON line per run and a table of medians with the
# ratio to PyTorch's best (the larger of 1 and 2 threads).
#
#   bash bench/compare_torch_archs.sh [rounds] [archs...] [-- backends...]
#   bash bench/compare_torch_archs.sh 3 vgg11 resnet18
#
# Ours: `deno task experiment train --L 2 --s 2 --s0 2 --v 10` (d = 36) with P = 1024, batch 128,
# 5 epochs of 8 steps, no stopping; the rate is taken over epochs 2-4 (epoch 1 holds the warm-up,
# epoch 5 the one test evaluation), from the per-epoch times of `--history`. PyTorch: 3 warm-up
# steps, then 30 timed steps, OMP_WAIT_POLICY=PASSIVE. OPENBLAS_CORETYPE as in compare_torch.sh.
set -uo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
shift || true
archs=()
backends=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--" ]; then shift; backends=("$@"); break; fi
  archs+=("$1"); shift
done
[ ${#archs[@]} -eq 0 ] && archs=(vgg11 vgg16 resnet18 resnet34 efficientnetb0)
[ ${#backends[@]} -eq 0 ] && backends=(auto)
anchor=${TORCH_ARCHS_BENCH:-/work/shared/anchors/torch_archs_bench.py}
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
  for a in "${archs[@]}"; do
    for t in 1 2; do
      out=$(OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 "$anchor" --arch "$a" --v 10 --d 36 \
        --batch_size 128 --threads "$t" 2>/dev/null | tail -n1)
      sps=$(printf '%s' "$out" | sed -nE 's/.*"train_samples_per_s": ([0-9.]+).*/\1/p')
      echo "{\"round\":$r,\"arch\":\"$a\",\"impl\":\"torch-t$t\",\"samplesPerSec\":${sps:-null},\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\"}" | tee -a "$log"
    done
    for b in "${backends[@]}"; do
      out=$(deno run -A experiments/cli/main.ts train --L 2 --s 2 --s0 2 --v 10 --net "$a" \
        --width 64 --P 1024 --batch 128 --test 128 --max-epochs 5 --eval-every 100 \
        --stop-loss 0 --backend "$b" --history --quiet 2>/dev/null | tail -n1)
      sps=$(printf '%s' "$out" | deno eval '
        const o = JSON.parse(await new Response(Deno.stdin.readable).text());
        const h = o.history;
        console.log(((h.length - 2) * o.training.P / (h[h.length - 2].seconds - h[0].seconds)).toFixed(1));
      ' 2>/dev/null)
      echo "{\"round\":$r,\"arch\":\"$a\",\"impl\":\"$b\",\"samplesPerSec\":${sps:-null},\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\"}" | tee -a "$log"
    done
  done
done
echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
deno eval '
  const lines = Deno.readTextFileSync(Deno.args[0]).trim().split("\n").map((l) => JSON.parse(l));
  const median = (xs) => { const s = xs.filter((x) => x !== null).sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };
  const archs = [...new Set(lines.map((l) => l.arch))];
  const impls = [...new Set(lines.map((l) => l.impl))].filter((i) => !i.startsWith("torch"));
  console.log(`| arch | torch 1 thread | torch 2 threads | ${impls.join(" | ")} |`);
  console.log(`| --- | ---: | ---: | ${impls.map(() => "---").join(" | ")} |`);
  for (const a of archs) {
    const m = (i) => median(lines.filter((l) => l.arch === a && l.impl === i).map((l) => l.samplesPerSec));
    const best = Math.max(m("torch-t1"), m("torch-t2"));
    console.log(`| ${a} | ${m("torch-t1")} | ${m("torch-t2")} | ${impls.map((i) => `${m(i)} (${(m(i) / best).toFixed(2)}x)`).join(" | ")} |`);
  }
' "$log"
