#!/usr/bin/env bash
# The paper's Figure 1 networks: PyTorch (bench/torch_archs.py, our own PyTorch version of srhm's
# five standard networks and training step, at 1 and 2 threads) and our `train` command on the same
# shapes (v = 10, d = 36, batch 128, width 64 = the published sizes), run alternately in the same
# sitting. Prints one JSON line per run and a table of medians with the ratio to PyTorch's best (the
# larger of 1 and 2 threads).
#
#   bash bench/compare_torch_archs.sh [--width W] [--batch B] [--steps N] [rounds] [archs...] [-- backends...]
#   bash bench/compare_torch_archs.sh 3 vgg11 resnet18
#   bash bench/compare_torch_archs.sh --width 4 --batch 16 --steps 2 1 vgg11     # a quick check
#
# First it checks that both sides build the same networks: the parameter counts of
# bench/torch_archs.py --params and of srhm's parameterCount at this width must be equal (it exits
# with 1 where they differ). Ours: `deno task experiment train --L 2 --s 2 --s0 2 --v 10` (d = 36)
# with P = 8 x batch, 5 epochs of 8 steps, no stopping, the authors' recipe for these networks (the
# same step as the PyTorch side: SGD with momentum, weight-decay penalty, batch norm in training
# mode); the rate is taken over epochs 2-4 (epoch 1 holds the warm-up, epoch 5 the one test
# evaluation), from the per-epoch times of `--history`. PyTorch: 3 warm-up steps, then N (30) timed
# steps, OMP_WAIT_POLICY=PASSIVE; OPENBLAS_CORETYPE as in compare_torch.sh.
#
# TORCH_ARCHS_BENCH=path runs another PyTorch program with the same options instead (it must print
# "train_samples_per_s" in a JSON line), e.g. the anchor script outside the repository that the
# first figures of BENCHMARKS.md used (no --width: width 64 only; no parameter check).
set -uo pipefail
cd "$(dirname "$0")/.."
width=64
batch=128
steps=30
while [ $# -gt 0 ]; do
  case "$1" in
    --width) width=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    *) break ;;
  esac
done
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
for a in "${archs[@]}"; do
  case "$a" in
    vgg11 | vgg16 | resnet18 | resnet34 | efficientnetb0) ;;
    *) echo "compare_torch_archs: an arch must be vgg11, vgg16, resnet18, resnet34 or efficientnetb0 (got $a)" >&2; exit 2 ;;
  esac
done
peer=${TORCH_ARCHS_BENCH:-bench/torch_archs.py}
if [ -n "${TORCH_ARCHS_BENCH:-}" ] && [ "$width" != 64 ]; then
  echo "compare_torch_archs: TORCH_ARCHS_BENCH runs at width 64 only (got --width $width)" >&2
  exit 2
fi
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  if grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo; then
    export OPENBLAS_CORETYPE=SkylakeX
  elif grep -qw avx2 /proc/cpuinfo; then
    export OPENBLAS_CORETYPE=Haswell
  fi
fi
peer_options=(--v 10 --d 36 --batch_size "$batch" --steps "$steps")
[ -z "${TORCH_ARCHS_BENCH:-}" ] && peer_options+=(--width "$width")
if [ -z "${TORCH_ARCHS_BENCH:-}" ]; then
  torch_params=$(/usr/bin/python3 "$peer" --params --width "$width" --v 10 --d 36 |
    sed -nE 's/.*"arch": "([a-z0-9]+)".*"params": ([0-9]+).*/\1 \2/p')
  srhm_params=$(deno eval '
    import { DEEP_NET_KINDS, deepConfig, parameterCount } from "./networks/deep/mod.ts";
    const shape = { width: Number(Deno.args[0]), channels: 10, length: 36, classes: 10 };
    for (const k of DEEP_NET_KINDS) console.log(k, parameterCount(deepConfig(k, shape)));
  ' "$width")
  for a in "${archs[@]}"; do
    t=$(printf '%s\n' "$torch_params" | awk -v a="$a" '$1 == a { print $2 }')
    s=$(printf '%s\n' "$srhm_params" | awk -v a="$a" '$1 == a { print $2 }')
    echo "# $a width $width: parameters torch $t, srhm $s" >&2
    if [ -z "$t" ] || [ "$t" != "$s" ]; then
      echo "compare_torch_archs: $a: the two sides do not build the same network" >&2
      exit 1
    fi
  done
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg), OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}, peer $peer, width $width, batch $batch" >&2
for r in $(seq 1 "$rounds"); do
  for a in "${archs[@]}"; do
    for t in 1 2; do
      out=$(OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 "$peer" --arch "$a" "${peer_options[@]}" \
        --threads "$t" 2>/dev/null | tail -n1)
      sps=$(printf '%s' "$out" | sed -nE 's/.*"train_samples_per_s": ([0-9.]+).*/\1/p')
      echo "{\"round\":$r,\"arch\":\"$a\",\"impl\":\"torch-t$t\",\"samplesPerSec\":${sps:-null},\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\"}" | tee -a "$log"
    done
    for b in "${backends[@]}"; do
      out=$(deno run -A experiments/cli/main.ts train --L 2 --s 2 --s0 2 --v 10 --net "$a" \
        --width "$width" --P $((8 * batch)) --batch "$batch" --test "$batch" --no-balanced \
        --max-epochs 5 --eval-every 100 --stop-loss 0 --backend "$b" --history --quiet \
        2>/dev/null | tail -n1)
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
  const missing = lines.filter((l) => l.samplesPerSec === null).length;
  if (missing > 0) { console.error(`compare_torch_archs: ${missing} run(s) gave no figure`); Deno.exit(1); }
' "$log"
