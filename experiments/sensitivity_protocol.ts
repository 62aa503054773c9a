/**
 * The sensitivity protocol: which layers, which levels and which data `S_{k,l}` (synonym exchange
 * at level l) and `D_{k,l}` (diffeomorphism at level l) are measured on. Every hidden layer k and
 * the logits, every level l, on fresh data (`measure.perClass` per class, balanced).
 *
 * Seeds: the fresh data and the transformations use streams of `makeRng(run.seed, purpose)`.
 *
 * Data: the fresh data, `x` (the data transformed) and, with the denominator `independent`, `y`
 * (the independent partners), are independent balanced draws with mode `iid`: the paper's "fresh
 * data from the same grammar". They are not drawn apart from the training set, so they may overlap
 * it (and each other); with `Pmax` much larger than P they rarely do, and near `Pmax` a disjoint
 * draw would not be possible anyway. The protocol of the measurement (defaults: the authors', see
 * `protocol.ts`): `run.measure.synonymVariant` (`redraw` or `other`), `run.measure.cumulative`
 * (`true`: levels 1..l) and `run.measure.denominator` (`batch-pairs`: all ordered pairs of the
 * batch x, i = j included; `independent`: pairs (x_i, y_i)). With `m = 1` no synonym exchange
 * `other` exists: `S[k][l]` is then `NaN` ("not defined for m = 1"; `redraw` is the identity
 * there and gives 0).
 *
 * @module
 */
import {
  type Dataset,
  encode,
  type Grammar,
  makeRng,
  sample,
  transform,
  type Transformation,
} from "@srhm/generators";
import { activations, type Representations } from "@srhm/networks";
import { batchPairsSensitivity, sensitivity } from "@srhm/metrics";
import type { Run } from "./plan.ts";
import { AUTHORS_PROTOCOL } from "./protocol.ts";
import type { SensitivityTable } from "./store.ts";

/** The sensitivities of one network: `S[k][l]`, `D[k][l]` (k: hidden layer k+1, k = L: logits). */
export interface Sensitivities {
  /** Synonym-exchange sensitivities `S[k][l]`. */
  readonly S: SensitivityTable;
  /** Diffeomorphism sensitivities `D[k][l]`. */
  readonly D: SensitivityTable;
}

/**
 * `S_{k,l}` and `D_{k,l}` for every hidden layer k (and the logits, last row) and every level l
 * (columns 0..L-1 = levels 1..L), on `run.measure.perClass` fresh data per class (see the module
 * doc): numerator over each datum and its transformed copy, denominator over all ordered pairs of
 * the batch (`run.measure.denominator` `batch-pairs`, the default) or over pairs with an
 * independent draw (`independent`) (docs/protocol.md). The synonym exchange is
 * `run.measure.synonymVariant` (default `redraw`); both transformations act at levels 1..l
 * (`run.measure.cumulative`, default `true`) or at level l only. Absent fields take the authors'
 * values. `S[k][l]` is `NaN` when not defined: for m = 1 with the variant `other` (no other
 * synonym exists).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeGrammar } from "@srhm/generators";
 * import { buildNetwork, configForGrammar, selectBackend } from "@srhm/networks";
 * import { measureSensitivities } from "./sensitivity_protocol.ts";
 * await selectBackend("cpu");
 * const params = { L: 2, s: 2, s0: 0, v: 3, m: 2, nc: 2, sparsity: "A", seed: 1 } as const;
 * const grammar = makeGrammar(params);
 * const net = buildNetwork(configForGrammar(grammar, { kind: "cnn", width: 8 }));
 * const { S, D } = await measureSensitivities(net, grammar, {
 *   seed: 0, measure: { perClass: 4 }, training: { encoding: "onehot" },
 * });
 * assert.ok(S.length === 3 && D[0].length === 2);
 * net.dispose();
 * ```
 */
export async function measureSensitivities(
  network: Representations,
  grammar: Grammar,
  run: Pick<Run, "seed"> & {
    readonly measure: Pick<
      Run["measure"],
      "perClass" | "synonymVariant" | "cumulative" | "denominator"
    >;
    readonly training: Pick<Run["training"], "encoding">;
  },
): Promise<Sensitivities> {
  const { L, m, nc } = grammar.params;
  const variant = run.measure.synonymVariant ?? AUTHORS_PROTOCOL.measure.synonymVariant;
  const cumulative = run.measure.cumulative ?? AUTHORS_PROTOCOL.measure.cumulative;
  const pairs = (run.measure.denominator ?? AUTHORS_PROTOCOL.measure.denominator) ===
    "batch-pairs";
  const count = run.measure.perClass * nc;
  const seedOf = (purpose: string, index = 0) => makeRng(run.seed, purpose, index).uint32();
  const draw = (purpose: string) =>
    sample(grammar, { count, seed: seedOf(purpose), mode: "iid", balanced: true });
  const x = draw("sensitivity-x");
  const act = (ds: Dataset) => activations(network, encode(ds, run.training.encoding), count);
  const layers = (a: { hidden: Float32Array[]; logits: Float32Array }) => [...a.hidden, a.logits];
  const ax = layers(await act(x));
  const ay = pairs ? [] : layers(await act(draw("sensitivity-y")));
  const synonymDefined = !(variant === "other" && m < 2);
  const measure = async (t: Transformation, seed: number): Promise<number[]> => {
    const ft = layers(await act(transform(x, t, seed)));
    return ax.map((a, k) =>
      pairs
        ? batchPairsSensitivity(a, ft[k], count, a.length / count)
        : sensitivity(a, ft[k], ay[k], count, a.length / count)
    );
  };
  // one row per hidden representation (L for the hierarchical networks), then the logits
  const S: number[][] = ax.map(() => []);
  const D: number[][] = ax.map(() => []);
  for (let level = 1; level <= L; level++) {
    const s = synonymDefined
      ? await measure({ kind: "synonym", level, variant, cumulative }, seedOf("synonym", level))
      : ax.map(() => NaN); // not defined for m = 1: no other synonym to exchange with
    const d = await measure({ kind: "diffeo", level, cumulative }, seedOf("diffeo", level));
    for (let k = 0; k < ax.length; k++) {
      S[k].push(s[k]);
      D[k].push(d[k]);
    }
  }
  return { S, D };
}
