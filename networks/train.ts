/**
 * The trainer (docs/protocol.md, training): SGD with momentum on the cross-entropy, in mini-batches reshuffled
 * every epoch with a seeded stream; the test error every `evalEvery` epochs; stop at the first
 * evaluation epoch where the epoch's mean training loss is below `stopLoss` (the authors';
 * `stopCheck: "epoch"` checks it after every epoch) or at `maxEpochs`. It keeps the best test error, the
 * final one, and leaves the weights of the best network in the network.
 *
 * This is the one stateful loop of the project: it owns the data tensors, the optimiser and its
 * accumulators, and disposes of all of them; the number of live tensors is the same after every
 * epoch. Every read-back is `await data()` (webgpu cannot read synchronously). On the cpu and wasm
 * backends a fixed seed gives the same numbers in every process.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import cliProgress from "cli-progress";
import process from "node:process";
import { makeRng, shuffleInPlace } from "@srhm/generators";
import { testError } from "@srhm/metrics";
import { decayCoefficients, sgdLr, type Trainable } from "./trainable.ts";
import { crossEntropy } from "./loss.ts";
import { momentumSgd } from "./sgd.ts";
import type { StopCheck } from "./lr.ts";

/** Encoded data: `x` is `[count, length, channels]` (channels last), `labels` `[count]`. */
export interface LabelledData {
  /** Inputs, `count * length * channels` numbers. */
  readonly x: Float32Array;
  /** Classes in `0..classes-1`. */
  readonly labels: Int32Array;
  /** Number of data. */
  readonly count: number;
}

/** The training and test sets. */
export interface TrainData {
  /** Training set. */
  readonly train: LabelledData;
  /** Test set (may be empty: then the test errors are `NaN`). */
  readonly test: LabelledData;
}

/** One line of the training history. */
export interface EpochRecord {
  /** 1-based epoch. */
  readonly epoch: number;
  /** Mean training loss over the epoch's mini-batches (weighted by their sizes). */
  readonly trainLoss: number;
  /** Test error after this epoch, where it was evaluated. */
  readonly testError?: number;
  /** Seconds since the start of training. */
  readonly seconds: number;
}

/** Options of `train` (the reference values in parentheses). */
export interface TrainOptions {
  /** Base learning rate; SGD uses `lr * H` under mean-field (see `referenceLr`). */
  readonly lr: number;
  /** Mini-batch size (the reference: 4 per class). */
  readonly batch: number;
  /** Epoch cap. */
  readonly maxEpochs: number;
  /** Stop when the epoch's mean training loss is below this (1e-3; 1e-2 for the FCN). */
  readonly stopLoss: number;
  /** Test error every this many epochs (10); the last epoch is always evaluated. */
  readonly evalEvery?: number;
  /** When the stopping loss is checked: `eval` (default, the authors': only at the evaluation
   * epochs, every `evalEvery`) or `epoch` (after every epoch). */
  readonly stopCheck?: StopCheck;
  /** SGD momentum (0.9). */
  readonly momentum?: number;
  /**
   * Weight decay `wd`: the penalty `wd * mean(p^2)` of every variable `p` enters through its
   * gradient (`decayCoefficients`); the reported and stopping loss is the cross-entropy (0).
   */
  readonly weightDecay?: number;
  /** Seed of the epochs' shuffles (0). */
  readonly seed?: number;
  /** Batch size of the test-set evaluation (1024); it does not change the result. */
  readonly evalBatch?: number;
  /** No progress bar on stderr (default false: a bar, also when stderr is not a terminal). */
  readonly quiet?: boolean;
  /** Called after every epoch (for logs and tests). */
  readonly onEpoch?: (record: EpochRecord) => void;
}

export type { StopCheck };

/** The stop checks, the authors' first. */
export const STOP_CHECKS: readonly StopCheck[] = ["eval", "epoch"];

/** How training ended. */
export type TrainStatus = "converged" | "max-epochs" | "diverged";

/** What `train` returns; the network is left holding the weights with the best test error. */
export interface TrainResult {
  /** Best test error seen (the reference's choice); `NaN` without a test set. */
  readonly testError: number;
  /** Test error of the final network. */
  readonly finalTestError: number;
  /** Mean training loss of the last epoch. */
  readonly trainLoss: number;
  /** Epochs run. */
  readonly epochs: number;
  /** Epoch of the best test error (0 if none). */
  readonly bestEpoch: number;
  /** Wall-clock seconds of the whole call. */
  readonly seconds: number;
  /** Training samples per second over the training steps only (evaluation excluded). */
  readonly trainSamplesPerSec: number;
  /** The TensorFlow.js backend that ran it. */
  readonly backend: string;
  /** `converged` (loss below `stopLoss`), `max-epochs`, or `diverged` (NaN/infinite loss). */
  readonly status: TrainStatus;
  /** One record per epoch. */
  readonly history: readonly EpochRecord[];
}

function checkData(name: string, d: LabelledData, row: number, classes: number): void {
  if (!Number.isSafeInteger(d.count) || d.count < 0) {
    throw new Error(`train: ${name}.count must be an integer >= 0 (got ${d.count})`);
  }
  if (d.x.length !== d.count * row) {
    throw new Error(
      `train: ${name}.x must hold count * length * channels = ${d.count * row} numbers ` +
        `(got ${d.x.length})`,
    );
  }
  if (d.labels.length !== d.count) {
    throw new Error(`train: ${name}.labels must hold ${d.count} labels (got ${d.labels.length})`);
  }
  for (const y of d.labels) {
    if (y < 0 || y >= classes) {
      throw new Error(`train: ${name}.labels must be in [0, ${classes}) (got ${y})`);
    }
  }
}

function checkOptions(o: TrainOptions): void {
  const positive = (name: string, x: number | undefined, int: boolean) => {
    if (x === undefined) return;
    if (!(x > 0) || !Number.isFinite(x) || (int && !Number.isSafeInteger(x))) {
      throw new Error(`train: ${name} must be ${int ? "an integer >= 1" : "> 0"} (got ${x})`);
    }
  };
  positive("lr", o.lr, false);
  positive("batch", o.batch, true);
  positive("maxEpochs", o.maxEpochs, true);
  positive("evalEvery", o.evalEvery, true);
  positive("evalBatch", o.evalBatch, true);
  if (!((o.weightDecay ?? 0) >= 0)) {
    throw new Error(`train: weightDecay must be >= 0 (got ${o.weightDecay})`);
  }
  if (o.stopCheck !== undefined && !STOP_CHECKS.includes(o.stopCheck)) {
    throw new Error(
      `train: stopCheck must be one of ${STOP_CHECKS.join(", ")} (got ${o.stopCheck})`,
    );
  }
  if (!(o.stopLoss >= 0)) throw new Error(`train: stopLoss must be >= 0 (got ${o.stopLoss})`);
  const mom = o.momentum ?? 0.9;
  if (!(mom >= 0 && mom < 1)) throw new Error(`train: momentum must be in [0, 1) (got ${mom})`);
}

/**
 * A permutation of `0..n-1` (Fisher-Yates on `makeRng(seed, "shuffle", epoch)`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { epochPermutation } from "./train.ts";
 * const p = epochPermutation(10, 3, 1);
 * assert.ok([...p].sort((a, b) => a - b).join() === "0,1,2,3,4,5,6,7,8,9");
 * assert.ok(p.join() === epochPermutation(10, 3, 1).join());
 * ```
 */
export function epochPermutation(n: number, seed: number, epoch: number): Int32Array {
  const rng = makeRng(seed, "shuffle", epoch);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return shuffleInPlace(rng, p);
}

/**
 * Test error of `network` on `x` (`[count, length, channels]`): the logits read back batch by
 * batch, scored by `testError` of @srhm/metrics, so that a row holding a NaN logit (a diverged
 * network) counts as an error. `NaN` for an empty set.
 */
async function errorRate<W>(
  network: Trainable<W>,
  x: tf.Tensor3D,
  labels: Int32Array,
  batch: number,
): Promise<number> {
  const count = x.shape[0];
  if (count === 0) return NaN;
  const classes = network.config.classes;
  const logits = new Float32Array(count * classes);
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const out = tf.tidy(() => network.forward(tf.slice(x, [start, 0, 0], [n, -1, -1])).logits);
    try {
      logits.set(await out.data() as Float32Array, start * classes);
    } finally {
      out.dispose();
    }
  }
  return testError(logits, labels, classes);
}

/**
 * Trains `network` in place with SGD + momentum on the cross-entropy, and leaves it holding the
 * weights of the best test error. Divergence (a NaN or infinite epoch loss) ends the run with
 * status `diverged`.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { buildNetwork } from "./build.ts";
 * import { train } from "./train.ts";
 * import assert from "node:assert/strict";
 * await tf.setBackend("cpu");
 * const net = buildNetwork({
 *   kind: "cnn", depth: 1, patch: 2, width: 32, channels: 2, length: 2, classes: 2,
 *   bias: "per-position", parametrisation: "mean-field", seed: 0,
 * });
 * // class = which of the two positions holds the symbol
 * const x = new Float32Array([1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
 * const labels = new Int32Array([0, 1, 0, 1]);
 * const data = { train: { x, labels, count: 4 }, test: { x, labels, count: 4 } };
 * const result = await train(net, data, {
 *   lr: 0.5, batch: 4, maxEpochs: 200, stopLoss: 0.01, evalEvery: 10, quiet: true,
 * });
 * assert.equal(result.testError, 0);
 * assert.equal(result.status, "converged");
 * net.dispose();
 * ```
 */
export async function train<W>(
  network: Trainable<W>,
  data: TrainData,
  opts: TrainOptions,
): Promise<TrainResult> {
  const started = performance.now();
  const config = network.config;
  const { length, channels, classes } = config;
  const row = length * channels;
  checkOptions(opts);
  checkData("train", data.train, row, classes);
  checkData("test", data.test, row, classes);
  if (data.train.count === 0) throw new Error("train: the training set is empty");
  const evalEvery = opts.evalEvery ?? 10;
  const evalBatch = opts.evalBatch ?? 1024;
  const seed = opts.seed ?? 0;
  const n = data.train.count;

  const xTrain = tf.tensor3d(data.train.x, [n, length, channels]);
  const yTrain = tf.tidy(() =>
    tf.cast(tf.oneHot(tf.tensor1d(data.train.labels, "int32"), classes), "float32")
  );
  const xTest = tf.tensor3d(data.test.x, [data.test.count, length, channels]);
  const optimizer = momentumSgd(
    network.variables,
    sgdLr(network, opts.lr),
    opts.momentum ?? 0.9,
    decayCoefficients(network.variables, opts.weightDecay ?? 0),
  );
  const bar = opts.quiet ? null : new cliProgress.SingleBar({
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 5000,
    format: `train ${config.kind} H=${config.width} |{bar}| {value}/{total} epochs` +
      ` | loss {loss} | test error {test}`,
  }, cliProgress.Presets.shades_classic);
  bar?.start(opts.maxEpochs, 0, { loss: "-", test: "-" });

  const history: EpochRecord[] = [];
  let best = Infinity;
  let bestEpoch = 0;
  let bestWeights: W | null = null;
  let finalTestError = NaN;
  let trainLoss = NaN;
  let status: TrainStatus = "max-epochs";
  let trainMs = 0;
  let epoch = 0;
  try {
    while (epoch < opts.maxEpochs) {
      epoch++;
      const stepStart = performance.now();
      const perm = epochPermutation(n, seed, epoch);
      let lossSum: tf.Scalar = tf.scalar(0);
      for (let start = 0; start < n; start += opts.batch) {
        const size = Math.min(opts.batch, n - start);
        const idx = tf.tensor1d(perm.subarray(start, start + size), "int32");
        const cost = optimizer.step(() => {
          const xb = tf.gather(xTrain, idx);
          const yb = tf.gather(yTrain, idx);
          return crossEntropy(network.forward(xb, "train").logits, yb);
        });
        const next = tf.tidy(() => tf.add(lossSum, tf.mul(cost, size)) as tf.Scalar);
        tf.dispose([lossSum, cost, idx]);
        lossSum = next;
      }
      trainLoss = (await lossSum.data())[0] / n;
      lossSum.dispose();
      trainMs += performance.now() - stepStart;

      const diverged = !Number.isFinite(trainLoss);
      const checks = (opts.stopCheck ?? "eval") === "epoch" || epoch % evalEvery === 0;
      const converged = !diverged && checks && trainLoss < opts.stopLoss;
      const last = diverged || converged || epoch === opts.maxEpochs;
      let epochError: number | undefined;
      if (!diverged && (epoch % evalEvery === 0 || last)) {
        epochError = await errorRate(network, xTest, data.test.labels, evalBatch);
        finalTestError = epochError;
        if (data.test.count > 0 && (epochError < best || bestWeights === null)) {
          best = epochError;
          bestEpoch = epoch;
          bestWeights = await network.getWeights();
        }
      }
      const record: EpochRecord = {
        epoch,
        trainLoss,
        ...(epochError === undefined ? {} : { testError: epochError }),
        seconds: (performance.now() - started) / 1000,
      };
      history.push(record);
      bar?.update(epoch, {
        loss: trainLoss.toPrecision(3),
        test: epochError === undefined ? "-" : epochError.toFixed(4),
      });
      opts.onEpoch?.(record);
      if (diverged) {
        status = "diverged";
        break;
      }
      if (converged) {
        status = "converged";
        break;
      }
    }
    if (status === "diverged") {
      // The final network is broken (non-finite weights): its error, then fall back to the best.
      finalTestError = await errorRate(network, xTest, data.test.labels, evalBatch);
      if (bestWeights === null) best = finalTestError;
    }
    if (bestWeights !== null) network.setWeights(bestWeights);
  } finally {
    bar?.stop();
    optimizer.dispose();
    tf.dispose([xTrain, yTrain, xTest]);
  }
  return {
    testError: best === Infinity ? NaN : best,
    finalTestError,
    trainLoss,
    epochs: epoch,
    bestEpoch,
    seconds: (performance.now() - started) / 1000,
    trainSamplesPerSec: trainMs > 0 ? (epoch * n) / (trainMs / 1000) : 0,
    backend: tf.getBackend(),
    status,
    history,
  };
}
