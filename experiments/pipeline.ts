/**
 * The pipeline of one run, in the order of the paper: grammar → train/test split (distinct) →
 * encoding → network from its configuration → training → test error, and the sensitivities
 * `S_{k,l}` (synonym exchange at level l) and `D_{k,l}` (diffeomorphism at level l) of every hidden
 * layer k and of the logits, measured on fresh data (`measure.perClass` per class, balanced) with
 * the network at its best test error.
 *
 * Seeds: the grammar uses `run.params.seed`; the split, the initialisation and the SGD order use
 * `run.seed`; the fresh data and the transformations use streams of `makeRng(run.seed, purpose)`.
 *
 * Sampling: the train/test split is `run.training.mode` (default `distinct`: disjoint, no
 * duplicates; `iid`: with replacement, as the reference code). The fresh data of the
 * sensitivities, `x` (the data transformed) and `y` (the independent partners of the
 * denominator), are two independent balanced draws with mode `iid`: the paper's "fresh data from
 * the same grammar". They are not drawn apart from the training set, so they may overlap it (and
 * each other); with `Pmax` much larger than P they rarely do, and near `Pmax` a disjoint draw
 * would not be possible anyway. The transformations are `run.measure.variant` (synonym exchange:
 * `other`, default, or `redraw`) and `run.measure.cumulative` (default false: level l only).
 * With `m = 1` no synonym exchange `other` exists: `S[k][l]` is then `NaN` ("not defined for
 * m = 1"; `redraw` is the identity there and gives 0).
 *
 * @module
 */
import {
  type Dataset,
  encode,
  type Grammar,
  makeGrammar,
  makeRng,
  sample,
  sampleSplit,
  type SrhmParams,
  transform,
  type Transformation,
} from "@srhm/generators";
import {
  activations,
  type BackendName,
  buildNetwork,
  configForGrammar,
  type Network,
  selectBackend,
  train,
  type TrainOptions,
  type TrainResult,
} from "@srhm/networks";
import { sensitivity } from "@srhm/metrics";
import { version_core } from "@tensorflow/tfjs-core";
import type { Run, RunNetwork, RunTraining } from "./plan.ts";
import type { RunContext, RunOutput } from "./executor.ts";
import type { SensitivityTable } from "./store.ts";

/** The sensitivities of one network: `S[k][l]`, `D[k][l]` (k: hidden layer k+1, k = L: logits). */
export interface Sensitivities {
  /** Synonym-exchange sensitivities `S[k][l]`. */
  readonly S: SensitivityTable;
  /** Diffeomorphism sensitivities `D[k][l]`. */
  readonly D: SensitivityTable;
}

/** A failure that knows which backend it happened on (the executor records it). */
export class RunFailure extends Error {
  /** The error's name. */
  override name = "RunFailure";
  /** The backend in use when the run failed. */
  readonly backend: string;
  /**
   * A failure with its message and the backend it happened on.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { RunFailure } from "./pipeline.ts";
   * assert.ok(new RunFailure("diverged", "cpu").backend === "cpu");
   * ```
   */
  constructor(message: string, backend: string) {
    super(message);
    this.backend = backend;
  }
}

const seconds = (t0: number): number => (performance.now() - t0) / 1000;

/** What `trainOnGrammar` needs: a run's model, sizes, network and training recipe. */
export interface TrainSpec {
  /** The grammar's parameters. */
  readonly params: SrhmParams;
  /** Training-set size. */
  readonly P: number;
  /** Test-set size. */
  readonly test: number;
  /** Seed of the split, the initialisation and the SGD order. */
  readonly seed: number;
  /** The network. */
  readonly network: RunNetwork;
  /** The training recipe (`mode`: the split's sampling, default `distinct`); `momentum` defaults
   * to the reference's 0.9. */
  readonly training: RunTraining & { readonly momentum?: number };
}

/** What `trainOnGrammar` returns; the caller owns `network` and must `dispose()` it. */
export interface Trained {
  /** The grammar the data came from. */
  readonly grammar: Grammar;
  /** The trained network, holding its weights with the best test error. */
  readonly network: Network;
  /** The trainer's result. */
  readonly result: TrainResult;
  /** The backend that ran it. */
  readonly backend: { readonly name: string; readonly detail: string };
  /** Seconds of drawing and encoding the data. */
  readonly sampleSeconds: number;
  /** Seconds of training. */
  readonly trainSeconds: number;
}

/**
 * The shared first half of every run (`runPipeline` and the `train` command): backend, grammar,
 * train/test split, encoding, network from its configuration, training.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trainOnGrammar } from "./pipeline.ts";
 * const t = await trainOnGrammar({
 *   params: { L: 2, s: 2, s0: 0, v: 3, m: 2, nc: 2, sparsity: "A", seed: 1 },
 *   network: { kind: "cnn", width: 8, bias: "per-position", parametrisation: "mean-field" },
 *   training: { lr: 0.1, batch: 8, maxEpochs: 2, stopLoss: 1e-3, evalEvery: 1, encoding: "onehot", backend: "cpu" },
 *   P: 8, test: 8, seed: 0,
 * }, { quiet: true });
 * assert.equal(t.result.epochs, 2);
 * t.network.dispose();
 * ```
 */
export async function trainOnGrammar(
  spec: TrainSpec,
  options: { readonly quiet?: boolean; readonly onEpoch?: TrainOptions["onEpoch"] } = {},
): Promise<Trained> {
  const backend = await selectBackend(spec.training.backend as BackendName);
  const t0 = performance.now();
  const grammar = makeGrammar(spec.params);
  const split = sampleSplit(grammar, {
    train: spec.P,
    test: spec.test,
    seed: spec.seed,
    mode: spec.training.mode ?? "distinct",
  });
  const encoding = spec.training.encoding;
  const data = {
    train: { x: encode(split.train, encoding), labels: split.train.labels, count: spec.P },
    test: { x: encode(split.test, encoding), labels: split.test.labels, count: spec.test },
  };
  const sampleSeconds = seconds(t0);
  const network = buildNetwork(configForGrammar(grammar, { ...spec.network, seed: spec.seed }));
  try {
    const t1 = performance.now();
    const result = await train(network, data, {
      lr: spec.training.lr,
      batch: spec.training.batch,
      maxEpochs: spec.training.maxEpochs,
      stopLoss: spec.training.stopLoss,
      evalEvery: spec.training.evalEvery,
      momentum: spec.training.momentum ?? 0.9,
      seed: spec.seed,
      quiet: options.quiet ?? true,
      ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
    });
    return { grammar, network, result, backend, sampleSeconds, trainSeconds: seconds(t1) };
  } catch (e) {
    network.dispose();
    throw e;
  }
}

/**
 * Computes one run (the executor's default runner). Throws a `RunFailure` when training diverged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runPipeline } from "./pipeline.ts";
 * import { makeRun } from "./plan.ts";
 * const run = makeRun({
 *   experiment: "demo",
 *   params: { L: 2, s: 2, s0: 0, v: 3, m: 2, nc: 2, sparsity: "A", seed: 1 },
 *   network: { kind: "cnn", width: 8, bias: "per-position", parametrisation: "mean-field" },
 *   training: { lr: 0.1, batch: 8, maxEpochs: 2, stopLoss: 1e-3, evalEvery: 1, encoding: "onehot", backend: "cpu" },
 *   measure: { sensitivities: true, perClass: 4 },
 *   P: 8, test: 8, seed: 0,
 * });
 * const out = await runPipeline(run);
 * assert.ok(out.metrics.testError >= 0);
 * assert.equal(out.metrics.S?.length, 3);
 * ```
 */
export async function runPipeline(run: Run, context?: Partial<RunContext>): Promise<RunOutput> {
  const { grammar, network, result, backend, sampleSeconds, trainSeconds } = await trainOnGrammar(
    run,
    {
      onEpoch: (e) =>
        context?.report?.({ epoch: e.epoch, loss: e.trainLoss, maxEpochs: run.training.maxEpochs }),
    },
  );
  try {
    if (result.status === "diverged") {
      throw new RunFailure(
        `diverged: training loss ${result.trainLoss} after ${result.epochs} epochs (lr ${run.training.lr})`,
        backend.name,
      );
    }
    const t2 = performance.now();
    const sens = run.measure.sensitivities
      ? await measureSensitivities(network, grammar, run)
      : undefined;
    return {
      backend: backend.name,
      versions: { tfjs: version_core },
      timings: { sample: sampleSeconds, train: trainSeconds, measure: seconds(t2) },
      metrics: {
        testError: result.testError,
        finalTestError: result.finalTestError,
        trainLoss: result.trainLoss,
        epochs: result.epochs,
        bestEpoch: result.bestEpoch,
        trainStatus: result.status,
        trainSamplesPerSec: result.trainSamplesPerSec,
        ...(sens ?? {}),
      },
    };
  } finally {
    network.dispose();
  }
}

/**
 * `S_{k,l}` and `D_{k,l}` for every hidden layer k (and the logits, last row) and every level l
 * (columns 0..L-1 = levels 1..L), on `run.measure.perClass` fresh data per class (two iid draws,
 * see the module doc): numerator over each datum and its transformed copy, denominator over pairs
 * of independent data (SPEC 8). The synonym exchange is `run.measure.variant` (default `other`),
 * both transformations act at level l only unless `run.measure.cumulative`. `S[k][l]` is `NaN`
 * when not defined: for m = 1 with the variant `other` (no other synonym exists).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeGrammar } from "@srhm/generators";
 * import { buildNetwork, configForGrammar, selectBackend } from "@srhm/networks";
 * import { measureSensitivities } from "./pipeline.ts";
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
  network: Network,
  grammar: Grammar,
  run: Pick<Run, "seed"> & {
    readonly measure: Pick<Run["measure"], "perClass" | "variant" | "cumulative">;
    readonly training: Pick<Run["training"], "encoding">;
  },
): Promise<Sensitivities> {
  const { L, m, nc } = grammar.params;
  const variant = run.measure.variant ?? "other";
  const cumulative = run.measure.cumulative ?? false;
  const count = run.measure.perClass * nc;
  const seedOf = (purpose: string, index = 0) => makeRng(run.seed, purpose, index).uint32();
  const draw = (purpose: string) =>
    sample(grammar, { count, seed: seedOf(purpose), mode: "iid", balanced: true });
  const x = draw("sensitivity-x");
  const y = draw("sensitivity-y");
  const act = (ds: Dataset) => activations(network, encode(ds, run.training.encoding), count);
  const fx = await act(x);
  const fy = await act(y);
  const layers = (a: { hidden: Float32Array[]; logits: Float32Array }) => [...a.hidden, a.logits];
  const ax = layers(fx);
  const ay = layers(fy);
  const synonymDefined = !(variant === "other" && m < 2);
  const measure = async (t: Transformation, seed: number): Promise<number[]> => {
    const ft = layers(await act(transform(x, t, seed)));
    return ax.map((a, k) => sensitivity(a, ft[k], ay[k], count, a.length / count));
  };
  const S: number[][] = Array.from({ length: L + 1 }, () => []);
  const D: number[][] = Array.from({ length: L + 1 }, () => []);
  for (let level = 1; level <= L; level++) {
    const s = synonymDefined
      ? await measure({ kind: "synonym", level, variant, cumulative }, seedOf("synonym", level))
      : ax.map(() => NaN); // not defined for m = 1: no other synonym to exchange with
    const d = await measure({ kind: "diffeo", level, cumulative }, seedOf("diffeo", level));
    for (let k = 0; k <= L; k++) {
      S[k].push(s[k]);
      D[k].push(d[k]);
    }
  }
  return { S, D };
}
