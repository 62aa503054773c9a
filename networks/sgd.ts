/**
 * SGD with momentum, as PyTorch defines it (no dampening, no Nesterov):
 * `buf = momentum * buf + grad + decay * w; w = w - lr * buf` (`decay` per variable, default 0). Written here rather than taken from
 * `tf.train.momentum`, whose `dispose()` leaves its learning-rate scalar behind (one leaked
 * tensor per training run) and which creates its buffers lazily, during the first step. On the wasm
 * and cpu backends each variable's update is one kernel (`kernels/momentum_step.ts`, the same
 * numbers as the tfjs operations that other backends run).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { hasMomentumStep, momentumStep } from "./kernels/momentum_step.ts";

/** A momentum optimiser bound to a list of variables; it owns one buffer per variable. */
export interface MomentumSgd {
  /**
   * One step: evaluates `loss` (a scalar function of the variables), back-propagates, updates
   * the variables, and returns the loss (the caller disposes it).
   */
  step(loss: () => tf.Scalar): tf.Scalar;
  /** Disposes of the buffers. */
  dispose(): void;
}

/**
 * Makes a momentum optimiser for `variables` (buffers start at zero).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { registerNetworkGradients } from "./gradients.ts";
 * import { momentumSgd } from "./sgd.ts";
 * import assert from "node:assert/strict";
 * await tf.setBackend("cpu");
 * registerNetworkGradients();
 * const w = tf.variable(tf.tensor1d([1]));
 * const opt = momentumSgd([w], 0.1, 0.9);
 * // loss = w * w / 2: grad = w. Step 1: buf = 1, w = 0.9. Step 2: buf = 0.9 + 0.9, w = 0.72.
 * const loss = () => tf.reshape(tf.mul(tf.mul(w, w), 0.5), []) as tf.Scalar;
 * opt.step(loss).dispose();
 * opt.step(loss).dispose();
 * assert.ok(Math.abs((await w.data())[0] - 0.72) < 1e-6);
 * opt.dispose();
 * w.dispose();
 * ```
 */
export function momentumSgd(
  variables: readonly tf.Variable[],
  lr: number,
  momentum: number,
  decay: readonly number[] = [],
): MomentumSgd {
  const buffers = variables.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
  return {
    step(loss: () => tf.Scalar): tf.Scalar {
      const { value, grads } = tf.variableGrads(loss, variables as tf.Variable[]);
      const fused = hasMomentumStep();
      tf.tidy(() => {
        variables.forEach((v, i) => {
          const d = decay[i] ?? 0;
          const buf = buffers[i];
          if (fused) {
            const [p, next] = momentumStep(v, buf, grads[v.name], lr, momentum, d);
            buf.assign(next);
            v.assign(p);
            return;
          }
          const g = d === 0 ? grads[v.name] : tf.add(grads[v.name], tf.mul(v, d));
          const next = tf.add(tf.mul(buf, momentum), g);
          buf.assign(next);
          v.assign(tf.sub(v, tf.mul(next, lr)));
        });
      });
      tf.dispose(Object.values(grads));
      return value;
    },
    dispose(): void {
      tf.dispose(buffers);
    },
  };
}
