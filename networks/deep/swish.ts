/**
 * The smooth activations of EfficientNet, with their gradients written out (`tf.customGrad`, so
 * that no gradient of `Sigmoid` need be registered): `swish(x) = x sigmoid(x)` (PyTorch's `SiLU`)
 * and the gate `sigmoid(x)` of squeeze-excitation.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

type CustomFn = Parameters<typeof tf.customGrad>[0];

const swishOp = tf.customGrad(
  ((x: tf.Tensor, save: tf.GradSaveFunc) => {
    const s = tf.sigmoid(x);
    save([x, s]);
    const gradFunc = (dy: tf.Tensor, [xi, si]: tf.Tensor[]): tf.Tensor[] => [
      // d/dx x s(x) = s (1 + x (1 - s))
      tf.mul(dy, tf.mul(si, tf.add(1, tf.mul(xi, tf.sub(1, si))))),
    ];
    return { value: tf.mul(x, s), gradFunc };
  }) as unknown as CustomFn,
);

const sigmoidOp = tf.customGrad(
  ((x: tf.Tensor, save: tf.GradSaveFunc) => {
    const s = tf.sigmoid(x);
    save([s]);
    const gradFunc = (dy: tf.Tensor, [si]: tf.Tensor[]): tf.Tensor[] => [
      tf.mul(dy, tf.mul(si, tf.sub(1, si))),
    ];
    return { value: s, gradFunc };
  }) as unknown as CustomFn,
);

/**
 * `x * sigmoid(x)`, differentiable without registered gradients.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { swish } from "./swish.ts";
 * await tf.setBackend("cpu");
 * const y = await swish(tf.tensor1d([0, 100])).data();
 * assert.ok(y[0] === 0 && Math.abs(y[1] - 100) < 1e-4);
 * ```
 */
export function swish(x: tf.Tensor): tf.Tensor {
  return swishOp(x) as tf.Tensor;
}

/**
 * `sigmoid(x)`, differentiable without registered gradients.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { gate } from "./swish.ts";
 * await tf.setBackend("cpu");
 * assert.ok((await gate(tf.tensor1d([0])).data())[0] === 0.5);
 * ```
 */
export function gate(x: tf.Tensor): tf.Tensor {
  return sigmoidOp(x) as tf.Tensor;
}
