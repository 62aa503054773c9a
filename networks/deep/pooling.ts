/**
 * Pooling over the positions of channels-last tensors `[B, T, C]`, with the gradients written out
 * (`tf.customGrad`; tfjs-wasm has no `MaxPoolGrad`): max-pooling of width and stride 2 (VGG's,
 * `floor(T / 2)` outputs, a last odd position dropped, as PyTorch's `MaxPool1d(2, 2)`), and the
 * mean over all positions (ResNet's and EfficientNet's global average pooling).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import {
  gateKernel,
  hasLoopKernels,
  maxPool2GradKernel,
  maxPool2Kernel,
  positionSumKernel,
} from "./loop_kernels.ts";

type CustomFn = Parameters<typeof tf.customGrad>[0];

/**
 * Max-pooling of width 2, stride 2: `[B, T, C]` -> `[B, floor(T / 2), C]`. On a tie the gradient
 * goes to the first position.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
import {
  gateKernel,
  hasLoopKernels,
  maxPool2GradKernel,
  maxPool2Kernel,
  positionSumKernel,
} from "./loop_kernels.ts";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { maxPool2 } from "./pooling.ts";
 * await tf.setBackend("cpu");
 * const y = maxPool2(tf.tensor3d([[[1], [4], [3], [2], [9]]]));
 * assert.deepEqual(await y.array(), [[[4], [3]]]);
 * ```
 */
export function maxPool2(x: tf.Tensor): tf.Tensor3D {
  const T = x.shape[1] as number;
  if (T < 2) throw new RangeError(`maxPool2: positions must be >= 2 (got ${T})`);
  if (!hasLoopKernels()) return maxPool2Slices(x);
  const op = tf.customGrad(
    ((xi: tf.Tensor, save: tf.GradSaveFunc) => {
      const [value, first] = maxPool2Kernel(xi);
      save([first]);
      const gradFunc = (dy: tf.Tensor, [f]: tf.Tensor[]): tf.Tensor[] => [
        maxPool2GradKernel(dy, f, T),
      ];
      return { value, gradFunc };
    }) as unknown as CustomFn,
  );
  return op(x) as tf.Tensor3D;
}

/**
 * {@link maxPool2} by slices and `tf.maximum` (any backend; the form used where the loop kernels
 * are not registered).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { maxPool2Slices } from "./pooling.ts";
 * await tf.setBackend("cpu");
 * const y = maxPool2Slices(tf.tensor3d([[[1], [4], [3], [2], [9]]]));
 * assert.deepEqual(await y.array(), [[[4], [3]]]);
 * ```
 */
export function maxPool2Slices(x: tf.Tensor): tf.Tensor3D {
  const [B, T, C] = x.shape as [number, number, number];
  const half = Math.floor(T / 2);
  if (half < 1) throw new RangeError(`maxPool2: positions must be >= 2 (got ${T})`);
  const op = tf.customGrad(
    ((xi: tf.Tensor, save: tf.GradSaveFunc) => {
      const even = T % 2 === 0 ? xi : tf.slice(xi, [0, 0, 0], [B, 2 * half, C]);
      const pairs = tf.reshape(even, [B, half, 2 * C]);
      const a = tf.slice(pairs, [0, 0, 0], [B, half, C]);
      const b = tf.slice(pairs, [0, 0, C], [B, half, C]);
      const first = tf.cast(tf.greaterEqual(a, b), "float32");
      save([first]);
      const value = tf.maximum(a, b);
      const gradFunc = (dy: tf.Tensor, [f]: tf.Tensor[]): tf.Tensor[] => {
        const da = tf.mul(dy, f);
        const db = tf.sub(dy, da);
        const back = tf.reshape(tf.concat([da, db], 2), [B, 2 * half, C]);
        return [T % 2 === 0 ? back : tf.pad(back, [[0, 0], [0, 1], [0, 0]])];
      };
      return { value, gradFunc };
    }) as unknown as CustomFn,
  );
  return op(x) as tf.Tensor3D;
}

/**
 * `x * g` for a gate `g: [B, 1, C]` per sample and channel (squeeze-excitation's last step), spread
 * over the positions, with its gradients written out: `dx = dy * g`, `dg = sum_t dy * x`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { scaleChannels } from "./pooling.ts";
 * await tf.setBackend("cpu");
 * const y = scaleChannels(tf.tensor3d([[[1, 2], [3, 4]]]), tf.tensor3d([[[10, 0]]]));
 * assert.deepEqual(await y.array(), [[[10, 0], [30, 0]]]);
 * ```
 */
export function scaleChannels(x: tf.Tensor, g: tf.Tensor): tf.Tensor3D {
  const T = x.shape[1] as number;
  if (!hasLoopKernels()) return tf.mul(x, g) as tf.Tensor3D;
  const op = tf.customGrad(
    ((xi: tf.Tensor, gi: tf.Tensor, save: tf.GradSaveFunc) => {
      save([xi, gi]);
      const gradFunc = (dy: tf.Tensor, [xs, gs]: tf.Tensor[]): tf.Tensor[] => [
        gateKernel(gs, T, 1, dy),
        positionSumKernel(dy, 1, xs),
      ];
      return { value: gateKernel(gi, T, 1, xi), gradFunc };
    }) as unknown as CustomFn,
  );
  return op(x, g) as tf.Tensor3D;
}

/**
 * The mean over positions: `[B, T, C]` -> `[B, 1, C]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
import {
  gateKernel,
  hasLoopKernels,
  maxPool2GradKernel,
  maxPool2Kernel,
  positionSumKernel,
} from "./loop_kernels.ts";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { meanPool } from "./pooling.ts";
 * await tf.setBackend("cpu");
 * const y = meanPool(tf.tensor3d([[[1, 2], [3, 6]]]));
 * assert.deepEqual(await y.array(), [[[2, 4]]]);
 * ```
 */
export function meanPool(x: tf.Tensor): tf.Tensor3D {
  const [B, T, C] = x.shape as [number, number, number];
  if (T === 1) return tf.reshape(x, [B, 1, C]) as tf.Tensor3D;
  if (hasLoopKernels()) {
    const kernelOp = tf.customGrad(
      ((xi: tf.Tensor) => ({
        value: positionSumKernel(xi, 1 / T),
        gradFunc: (dy: tf.Tensor): tf.Tensor[] => [gateKernel(dy, T, 1 / T)],
      })) as unknown as CustomFn,
    );
    return kernelOp(x) as tf.Tensor3D;
  }
  const op = tf.customGrad(
    ((xi: tf.Tensor) => {
      const value = tf.mean(xi, 1, true);
      const gradFunc = (dy: tf.Tensor): tf.Tensor[] => [
        tf.tile(tf.div(dy, T), [1, T, 1]),
      ];
      return { value, gradFunc };
    }) as unknown as CustomFn,
  );
  return op(x) as tf.Tensor3D;
}
