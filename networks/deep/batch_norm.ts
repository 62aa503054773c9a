/**
 * Batch normalisation over the batch and the positions of channels-last tensors `[B, T, C]`, as
 * PyTorch's `BatchNorm1d` does it: in training, each channel is normalised by the mean and the
 * (biased) variance of its `B * T` values, and the running statistics move by `momentum` towards
 * the batch's (the variance unbiased, `N / (N - 1)`); at evaluation the running statistics are used.
 * The training-mode gradient is written out (`tf.customGrad`), so that it needs no registered
 * gradient of the reductions and the sums over `B * T` rows reach the project's leading-axes Sum.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import {
  batchNormGradKernel,
  batchNormKernel,
  hasLoopKernels,
  runningStatsKernel,
} from "./loop_kernels.ts";

/** PyTorch's defaults: `eps = 1e-5`, running-statistics momentum 0.1. */
export const BATCH_NORM_EPS = 1e-5;
/** The running statistics' update weight (PyTorch's `momentum = 0.1`). */
export const BATCH_NORM_MOMENTUM = 0.1;

/** The running statistics of one batch-norm layer (variables, not trained by SGD). */
export interface RunningStats {
  /** Running mean `[C]`. */
  readonly mean: tf.Variable;
  /** Running (unbiased) variance `[C]`. */
  readonly variance: tf.Variable;
}

type CustomFn = Parameters<typeof tf.customGrad>[0];

/**
 * Training-mode batch norm: `y = gamma (x - mean) / sqrt(var + eps) + beta` with the batch's
 * statistics over `B * T` rows; when `running` is given, its mean and variance are updated in place
 * (the one side effect: the layer's state). With `relu`, the ReLU that follows it: one kernel and
 * one pass over the memory where the loop kernels exist, `tf.relu` of the result elsewhere.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { batchNormTrain } from "./batch_norm.ts";
 * await tf.setBackend("cpu");
 * const x = tf.tensor3d([[[1], [3]], [[5], [7]]]);
 * const y = batchNormTrain(x, tf.ones([1]), tf.zeros([1]));
 * const v = await y.data();
 * assert.ok(Math.abs(v[0] + v[3]) < 1e-6 && Math.abs(v[3] - 3 / Math.sqrt(5)) < 1e-4);
 * ```
 */
export function batchNormTrain(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  running?: RunningStats,
  relu = false,
): tf.Tensor3D {
  const shape = x.shape as [number, number, number];
  const C = shape[2];
  const N = shape[0] * shape[1];
  const update = (mean: tf.Tensor, variance: tf.Tensor) => {
    if (running === undefined) return;
    const m = BATCH_NORM_MOMENTUM;
    if (hasLoopKernels()) {
      // one kernel instead of these six operations, the same numbers
      const [rm, rv] = runningStatsKernel(running.mean, running.variance, mean, variance, N, m);
      running.mean.assign(rm);
      running.variance.assign(rv);
      tf.dispose([rm, rv]);
      return;
    }
    running.mean.assign(tf.add(tf.mul(running.mean, 1 - m), tf.mul(mean, m)));
    const unbiased = N > 1 ? tf.mul(variance, N / (N - 1)) : variance;
    running.variance.assign(tf.add(tf.mul(running.variance, 1 - m), tf.mul(unbiased, m)));
  };
  if (hasLoopKernels()) {
    const kernelOp = tf.customGrad(
      ((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
        const [value, xhat, mean, variance, inv] = batchNormKernel(
          xi,
          g,
          b,
          BATCH_NORM_EPS,
          relu,
        );
        update(mean, variance);
        save(relu ? [xhat, inv, g, value] : [xhat, inv, g]);
        const gradFunc = (dy: tf.Tensor, [xh, iv, gm, y]: tf.Tensor[]): tf.Tensor[] =>
          batchNormGradKernel(dy, xh, iv, gm, y);
        return { value, gradFunc };
      }) as unknown as CustomFn,
    );
    return kernelOp(x, gamma, beta) as tf.Tensor3D;
  }
  const op = tf.customGrad(
    ((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
      const rows = tf.reshape(xi, [N, C]);
      const mean = tf.div(tf.sum(rows, 0), N);
      const centred = tf.sub(rows, mean);
      const variance = tf.div(tf.sum(tf.square(centred), 0), N);
      const inv = tf.rsqrt(tf.add(variance, BATCH_NORM_EPS));
      const xhat = tf.mul(centred, inv);
      update(mean, variance);
      save([xhat, inv, g]);
      const value = tf.reshape(tf.add(tf.mul(xhat, g), b), shape);
      const gradFunc = (dy: tf.Tensor, [xh, iv, gm]: tf.Tensor[]): tf.Tensor[] => {
        const d = tf.reshape(dy, [N, C]);
        const dbeta = tf.sum(d, 0);
        const dgamma = tf.sum(tf.mul(d, xh), 0);
        // dx = inv / N (N dxhat - sum(dxhat) - xhat sum(dxhat xhat)), dxhat = dy gamma
        const dxhat = tf.mul(d, gm);
        const meanD = tf.div(tf.mul(dbeta, gm), N);
        const meanDX = tf.div(tf.mul(dgamma, gm), N);
        const dx = tf.mul(tf.sub(tf.sub(dxhat, meanD), tf.mul(xh, meanDX)), iv);
        return [tf.reshape(dx, shape), dgamma, dbeta];
      };
      return { value, gradFunc };
    }) as unknown as CustomFn,
  );
  const y = op(x, gamma, beta) as tf.Tensor3D;
  return relu ? tf.relu(y) : y;
}

/**
 * Evaluation-mode batch norm: `y = gamma (x - runningMean) / sqrt(runningVar + eps) + beta`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { batchNormEval } from "./batch_norm.ts";
 * await tf.setBackend("cpu");
 * const y = batchNormEval(tf.tensor3d([[[3]]]), tf.ones([1]), tf.zeros([1]), {
 *   mean: tf.variable(tf.tensor1d([1]), false), variance: tf.variable(tf.tensor1d([4]), false),
 * });
 * assert.ok(Math.abs((await y.data())[0] - 1) < 1e-4);
 * ```
 */
export function batchNormEval(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  running: RunningStats,
): tf.Tensor3D {
  return tf.tidy(() => {
    const scale = tf.mul(gamma, tf.rsqrt(tf.add(running.variance, BATCH_NORM_EPS)));
    const shift = tf.sub(beta, tf.mul(running.mean, scale));
    return tf.add(tf.mul(x, scale), shift) as tf.Tensor3D;
  });
}
