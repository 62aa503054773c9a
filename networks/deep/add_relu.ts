/**
 * The end of a ResNet basic block: the ReLU of the sum of the body and the shortcut. Where the
 * loop kernels exist (wasm, cpu) it is one kernel forward and one backward (the gradient of both
 * terms is `dy` where the output is positive): two kernels instead of five per block.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { addReluKernel, hasLoopKernels, reluMaskKernel } from "./loop_kernels.ts";

type CustomFn = Parameters<typeof tf.customGrad>[0];

/**
 * `max(0, a + b)` for `a`, `b` of one shape, with its gradient.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { addRelu } from "./add_relu.ts";
 * await tf.setBackend("cpu");
 * const y = addRelu(tf.tensor1d([1, -3]), tf.tensor1d([1, 1]));
 * assert.deepEqual(await y.array(), [2, 0]);
 * ```
 */
export function addRelu(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (!hasLoopKernels()) return tf.relu(tf.add(a, b));
  const op = tf.customGrad(
    ((ai: tf.Tensor, bi: tf.Tensor, save: tf.GradSaveFunc) => {
      const value = addReluKernel(ai, bi);
      save([value]);
      const gradFunc = (dy: tf.Tensor, [y]: tf.Tensor[]): tf.Tensor[] => {
        const d = reluMaskKernel(dy, y);
        return [d, tf.clone(d)];
      };
      return { value, gradFunc };
    }) as unknown as CustomFn,
  );
  return op(a, b) as tf.Tensor;
}
