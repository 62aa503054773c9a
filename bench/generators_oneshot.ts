/**
 * One-shot generation + encoding timing, measured the way our PyTorch peer
 * (`bench/torch_srhm.py gen`) measures its `gen_samples_per_s` (a fresh process, a small warm-up
 * draw, then one timed draw of P data and its encoding), so that the two compare like for like:
 *
 *     deno run -A bench/generators_oneshot.ts [--P 100000] [--sparsity A|B] [--mode distinct|iid]
 *         [--encoding onehot|whitened] [--seed 0]
 *
 * Prints one JSON line with `gen_samples_per_s`, `tokens_s` (sampling) and `gen_s` (sampling +
 * encoding), for L = 3, s = 2, s0 = 1, v = m = nc = 8.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  encode,
  type Encoding,
  makeGrammar,
  makeParams,
  sample,
  type SamplingMode,
  type Sparsity,
} from "@srhm/generators";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    P: { type: "string", default: "100000" },
    sparsity: { type: "string", default: "A" },
    mode: { type: "string", default: "distinct" },
    encoding: { type: "string", default: "onehot" },
    seed: { type: "string", default: "0" },
  },
});
const P = Number(values.P);
const sparsity = values.sparsity as Sparsity;
const mode = values.mode as SamplingMode;
const encoding = values.encoding as Encoding;
const seed = Number(values.seed);

// warm-up on a throw-away grammar and draw (compiles the hot loops), as the PyTorch peer does
const warm = makeGrammar(makeParams({ L: 3, s: 2, s0: 1, v: 8, sparsity, seed: 12345 }));
for (let i = 0; i < 3; i++) encode(sample(warm, { count: 4096, seed: i, mode }), encoding);

const t0 = performance.now();
const grammar = makeGrammar(makeParams({ L: 3, s: 2, s0: 1, v: 8, sparsity, seed }));
const t1 = performance.now();
const ds = sample(grammar, { count: P, seed, mode });
const t2 = performance.now();
const x = encode(ds, encoding);
const t3 = performance.now();
if (x.length !== P * grammar.d * 8) throw new Error("wrong size");
console.log(JSON.stringify({
  impl: "srhm",
  deno: Deno.version.deno,
  P,
  sparsity,
  mode,
  encoding,
  rules_s: +((t1 - t0) / 1000).toFixed(6),
  tokens_s: +((t2 - t1) / 1000).toFixed(6),
  gen_s: +((t3 - t1) / 1000).toFixed(6),
  gen_samples_per_s: +(P / ((t3 - t1) / 1000)).toFixed(1),
}));
