/**
 * Gradients of the operations that our networks use.
 *
 * `@tensorflow/tfjs-core`'s bundle registers no gradient functions (the union package
 * `@tensorflow/tfjs` does, through ESM files that Deno cannot load from npm), so training with
 * `@tensorflow/tfjs-core` alone fails with "gradient function not found". This module registers
 * the six that the builder needs: `BatchMatMul` (every `tf.matMul`), `Reshape`, `Transpose`,
 * `Relu`, `Multiply`, `Add`. It only fills gaps: a kernel whose gradient is already registered (by
 * another copy of tfjs, say) is left alone. The gradient of a product is written with
 * `tf.matMul`'s transpose flags, so a backend's own product kernel serves the backward pass too.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** Sums `dy` over the axes that broadcasting added or stretched, back to `shape`. */
function sumTo(dy: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const axes: number[] = [];
  const offset = dy.rank - shape.length;
  for (let i = 0; i < dy.rank; i++) {
    if (i < offset || (shape[i - offset] === 1 && dy.shape[i] !== 1)) axes.push(i);
  }
  const summed = axes.length > 0 ? tf.sum(dy, axes) : dy;
  return tf.reshape(summed, [...shape]);
}

type GradMap = Record<string, () => tf.Tensor>;

const GRADIENTS: readonly tf.GradConfig[] = [
  {
    kernelName: "BatchMatMul",
    inputsToSave: ["a", "b"],
    gradFunc: (dy, saved, attrs): GradMap => {
      const [a, b] = saved;
      const g = dy as tf.Tensor;
      const tA = Boolean((attrs as { transposeA?: boolean }).transposeA);
      const tB = Boolean((attrs as { transposeB?: boolean }).transposeB);
      // C = op(A) op(B); each case written so that the products use flags, not copies.
      if (!tA && !tB) {
        return {
          a: () => sumTo(tf.matMul(g, b, false, true), a.shape),
          b: () => sumTo(tf.matMul(a, g, true, false), b.shape),
        };
      }
      if (tA && !tB) {
        return {
          a: () => sumTo(tf.matMul(b, g, false, true), a.shape),
          b: () => sumTo(tf.matMul(a, g, false, false), b.shape),
        };
      }
      if (!tA && tB) {
        return {
          a: () => sumTo(tf.matMul(g, b, false, false), a.shape),
          b: () => sumTo(tf.matMul(g, a, true, false), b.shape),
        };
      }
      return {
        a: () => sumTo(tf.matMul(b, g, true, true), a.shape),
        b: () => sumTo(tf.matMul(g, a, true, true), b.shape),
      };
    },
  },
  {
    kernelName: "Reshape",
    inputsToSave: ["x"],
    gradFunc: (dy, [x]): GradMap => ({ x: () => tf.reshape(dy as tf.Tensor, x.shape) }),
  },
  {
    kernelName: "Transpose",
    gradFunc: (dy, _saved, attrs): GradMap => {
      const perm = (attrs as { perm: number[] }).perm;
      const inverse = new Array<number>(perm.length);
      perm.forEach((p, i) => inverse[p] = i);
      return { x: () => tf.transpose(dy as tf.Tensor, inverse) };
    },
  },
  {
    kernelName: "Relu",
    inputsToSave: ["x"],
    gradFunc: (dy, [x]): GradMap => ({ x: () => tf.mul(dy as tf.Tensor, tf.step(x)) }),
  },
  {
    kernelName: "Multiply",
    inputsToSave: ["a", "b"],
    gradFunc: (dy, [a, b]): GradMap => ({
      a: () => sumTo(tf.mul(dy as tf.Tensor, b), a.shape),
      b: () => sumTo(tf.mul(dy as tf.Tensor, a), b.shape),
    }),
  },
  {
    kernelName: "Add",
    inputsToSave: ["a", "b"],
    gradFunc: (dy, [a, b]): GradMap => ({
      a: () => sumTo(dy as tf.Tensor, a.shape),
      b: () => sumTo(dy as tf.Tensor, b.shape),
    }),
  },
];

/**
 * Registers the gradients that training our networks needs, where none is registered yet.
 * Idempotent; `selectBackend` and `buildNetwork` call it, so users never need to. Returns the kernels it registered now.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { registerNetworkGradients } from "./gradients.ts";
 * registerNetworkGradients();
 * assert.ok(registerNetworkGradients().length === 0); // already there
 * assert.ok(tf.getGradient("BatchMatMul") !== undefined);
 * ```
 */
export function registerNetworkGradients(): readonly string[] {
  const added: string[] = [];
  for (const config of GRADIENTS) {
    if (tf.getGradient(config.kernelName) === undefined) {
      tf.registerGradient(config);
      added.push(config.kernelName);
    }
  }
  return added;
}
