/**
 * A training run of the explorer, as the pipeline of `experiments` makes it (grammar → distinct
 * train/test split → one-hot encoding → network from its configuration → the paper's SGD → test
 * error, then `S_{k,l}` and `D_{k,l}` with the network at its best test error), on whatever tfjs
 * backend is set. Only the edges differ: an `onEpoch` hook (the worker posts the learning curve
 * and pauses there) and live sensitivities measured on a snapshot of the weights while it
 * trains. The run is described by an experiments `Run`, so its result is a `results.jsonl` line
 * that `deno task experiment report` reads.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { makeParams, type SrhmParams } from "@srhm/generators";
import {
  buildNetwork,
  configForGrammar,
  type EpochRecord,
  type Network,
  referenceLr,
  referenceStopLoss,
  train,
  type TrainResult,
} from "@srhm/networks";
import {
  AUTHORS_PROTOCOL,
  formatResult,
  makeRun,
  measureSensitivities,
  type ResultLine,
  type Run,
  runData,
  type Sensitivities,
} from "@srhm/experiments";

/** What the explorer's training form sets. */
export interface ExplorerConfig {
  /** The model. */
  readonly params: SrhmParams;
  /** The network: the paper's CNN or LCN. */
  readonly kind: "cnn" | "lcn";
  /** Channels per hidden position, H. */
  readonly width: number;
  /** Training-set size. */
  readonly P: number;
  /** Test-set size. */
  readonly test: number;
  /** Mini-batch size. */
  readonly batch: number;
  /** Base learning rate (times H under mean-field). */
  readonly lr: number;
  /** Epoch cap. */
  readonly maxEpochs: number;
  /** Evaluation period in epochs. */
  readonly evalEvery: number;
  /** Seed of the split, the initialisation and the SGD order. */
  readonly seed: number;
  /** Fresh data per class of the sensitivities. */
  readonly perClass: number;
}

/**
 * The explorer's default run: the CNN of the default experiment (`deno task experiment`: s = 2,
 * L = 2, s0 = 1, v = m = nc = 4, width 64, mini-batches of 32, the reference learning rate) at
 * P = 1024, above the paper's `P* = 640`, with 1000 test data evaluated every epoch.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_CONFIG } from "./run.ts";
 * assert.ok(DEFAULT_CONFIG.params.m === 4 && DEFAULT_CONFIG.lr === 0.1);
 * ```
 */
export const DEFAULT_CONFIG: ExplorerConfig = Object.freeze({
  params: makeParams({ L: 2, s: 2, s0: 1, v: 4, sparsity: "A", seed: 0 }),
  kind: "cnn",
  width: 64,
  P: 1024,
  test: 1000,
  batch: 32,
  lr: referenceLr("cnn", 2, 2, 1),
  maxEpochs: 300,
  evalEvery: 1,
  seed: 0,
  perClass: 20,
});

/**
 * The experiments `Run` of a configuration (experiment `explorer`, one-hot inputs, per-position
 * biases, mean-field, the reference stop loss), with `backend` the tfjs backend it ran on.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_CONFIG, runOf } from "./run.ts";
 * const run = runOf(DEFAULT_CONFIG, "webgl");
 * assert.ok(/^[0-9a-f]{16}$/.test(run.id) && run.experiment === "explorer" && run.P === 1024);
 * ```
 */
export function runOf(config: ExplorerConfig, backend: string): Run {
  return makeRun({
    experiment: "explorer",
    params: config.params,
    network: {
      kind: config.kind,
      width: config.width,
      bias: "per-position",
      parametrisation: "mean-field",
    },
    training: {
      lr: config.lr,
      batch: config.batch,
      maxEpochs: config.maxEpochs,
      stopLoss: referenceStopLoss(config.kind),
      evalEvery: config.evalEvery,
      encoding: "onehot",
      backend,
      mode: "distinct",
    },
    measure: { sensitivities: true, perClass: config.perClass },
    P: config.P,
    test: config.test,
    seed: config.seed,
  });
}

/** Live sensitivities, measured on the weights of one epoch. */
export interface LiveSensitivities extends Sensitivities {
  /** The epoch whose weights were measured. */
  readonly epoch: number;
}

/** The hooks of {@link trainRun}. */
export interface RunHooks {
  /** After every epoch (synchronous: the trainer waits for it). */
  readonly onEpoch?: (record: EpochRecord) => void;
  /** Measure live sensitivities every this many epochs (default: never). */
  readonly liveEvery?: number;
  /** Gets each live measurement. */
  readonly onLive?: (live: LiveSensitivities) => void;
}

/** What {@link trainRun} returns. */
export interface RunOutcome {
  /** The trainer's result (the network held its best weights for `S` and `D`). */
  readonly result: TrainResult;
  /** `S_{k,l}` and `D_{k,l}` at the best test error. */
  readonly sensitivities: Sensitivities;
  /** Seconds: `sample`, `train`, `measure`. */
  readonly timings: { readonly sample: number; readonly train: number; readonly measure: number };
}

const since = (t0: number): number => (performance.now() - t0) / 1000;

/**
 * Trains `run` on the current tfjs backend, as the experiments' pipeline does, and measures the
 * sensitivities at the best test error. With `liveEvery`, every that many epochs a snapshot of
 * the weights (clones, taken in the epoch hook) is measured on a second network while training
 * goes on, and handed to `onLive`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { makeParams } from "@srhm/generators";
 * import { runOf, trainRun } from "./run.ts";
 * await tf.setBackend("cpu");
 * const run = runOf({ params: makeParams({ L: 2, v: 3, m: 2, nc: 2 }), kind: "cnn", width: 8,
 *   P: 8, test: 8, batch: 4, lr: 0.1, maxEpochs: 2, evalEvery: 1, seed: 0, perClass: 2 }, "cpu");
 * const epochs: number[] = [];
 * const out = await trainRun(run, { onEpoch: (e) => epochs.push(e.epoch) });
 * assert.deepEqual(epochs, [1, 2]);
 * assert.equal(out.sensitivities.S.length, 3);
 * ```
 */
export async function trainRun(run: Run, hooks: RunHooks = {}): Promise<RunOutcome> {
  const t0 = performance.now();
  const { grammar, data } = runData(run);
  const sampleSeconds = since(t0);
  const config = configForGrammar(grammar, {
    ...run.network,
    fcnScale: run.network.fcnScale ?? AUTHORS_PROTOCOL.network.fcnScale,
    seed: run.seed,
  });
  const network = buildNetwork(config);
  let probe: Network | null = null;
  let measuring = false;
  const live = (epoch: number) => {
    if (measuring || hooks.onLive === undefined) return;
    measuring = true;
    // Clones share the variables' current data: the trainer's next assignments leave them be.
    const snapshot = network.variables.map((v) => tf.clone(v));
    (async () => {
      probe ??= buildNetwork(config);
      probe.variables.forEach((v, i) => v.assign(snapshot[i]));
      tf.dispose(snapshot);
      const s = await measureSensitivities(probe, grammar, run);
      hooks.onLive?.({ epoch, ...s });
    })().finally(() => {
      measuring = false;
    });
  };
  try {
    const t1 = performance.now();
    const result = await train(network, data, {
      lr: run.training.lr,
      batch: run.training.batch,
      maxEpochs: run.training.maxEpochs,
      stopLoss: run.training.stopLoss,
      evalEvery: run.training.evalEvery,
      stopCheck: run.training.stopCheck ?? AUTHORS_PROTOCOL.training.stopCheck,
      momentum: 0.9,
      seed: run.seed,
      quiet: true,
      onEpoch: (record) => {
        hooks.onEpoch?.(record);
        const every = hooks.liveEvery ?? 0;
        if (every > 0 && record.epoch % every === 0) live(record.epoch);
      },
    });
    const trainSeconds = since(t1);
    while (measuring) await new Promise((r) => setTimeout(r, 5));
    const t2 = performance.now();
    const sensitivities = await measureSensitivities(network, grammar, run);
    return {
      result,
      sensitivities,
      timings: { sample: sampleSeconds, train: trainSeconds, measure: since(t2) },
    };
  } finally {
    network.dispose();
    (probe as Network | null)?.dispose();
  }
}

/**
 * The `results.jsonl` line of a finished run (`formatResult` of the experiments' store: what
 * `deno task experiment report` reads), with the metrics the pipeline records; a run that
 * diverged is a `failed` line with its reason, as the executor writes it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseResults } from "@srhm/experiments";
 * import { DEFAULT_CONFIG, resultLine, runOf } from "./run.ts";
 * const run = runOf(DEFAULT_CONFIG, "webgl");
 * const text = resultLine(run, {
 *   result: { testError: 0.01, finalTestError: 0.02, trainLoss: 1e-3, epochs: 40, bestEpoch: 38,
 *     seconds: 20, trainSamplesPerSec: 2000, backend: "webgl", status: "converged", history: [] },
 *   sensitivities: { S: [[0.5, 0.9], [0.2, 0.8], [0.1, 0.7]], D: [[0.3, 0.4], [0.1, 0.2], [0, 0.1]] },
 *   timings: { sample: 0.1, train: 20, measure: 0.5 },
 * }, { backend: "webgl", startedAt: "2026-12-01T00:00:00.000Z", versions: { tfjs: "4.22.0" } });
 * const [line] = parseResults(text).results;
 * assert.ok(line.id === run.id && line.metrics?.testError === 0.01 && line.metrics?.S?.length === 3);
 * const outcome = { result: { testError: 0.5, finalTestError: NaN, trainLoss: NaN, epochs: 3,
 *   bestEpoch: 2, seconds: 1, trainSamplesPerSec: 2000, backend: "wasm", status: "diverged" as const,
 *   history: [] }, sensitivities: { S: [], D: [] }, timings: { sample: 0, train: 1, measure: 0 } };
 * const [failed] = parseResults(resultLine(run, outcome, { backend: "wasm", startedAt: "x", versions: {} })).results;
 * assert.ok(failed.status === "failed" && failed.metrics === null && /^diverged/.test(failed.reason ?? ""));
 * ```
 */
export function resultLine(
  run: Run,
  outcome: RunOutcome,
  meta: {
    readonly backend: string;
    readonly startedAt: string;
    readonly versions: Readonly<Record<string, string>>;
  },
): string {
  const r = outcome.result;
  const t = outcome.timings;
  const total = t.sample + t.train + t.measure;
  if (r.status === "diverged") {
    // As the executor records a run whose pipeline threw (experiments' RunFailure).
    return formatResult({
      id: run.id,
      status: "failed",
      reason: `diverged: training loss ${r.trainLoss} after ${r.epochs} epochs ` +
        `(lr ${run.training.lr})`,
      run,
      backend: meta.backend,
      versions: meta.versions,
      timings: { startedAt: meta.startedAt, total },
      metrics: null,
    });
  }
  const line: ResultLine = {
    id: run.id,
    status: "ok",
    run,
    backend: meta.backend,
    versions: meta.versions,
    timings: { ...t, total, startedAt: meta.startedAt },
    metrics: {
      testError: r.testError,
      finalTestError: r.finalTestError,
      trainLoss: r.trainLoss,
      epochs: r.epochs,
      bestEpoch: r.bestEpoch,
      trainStatus: r.status,
      trainSamplesPerSec: r.trainSamplesPerSec,
      S: outcome.sensitivities.S,
      D: outcome.sensitivities.D,
    },
  };
  return formatResult(line);
}
