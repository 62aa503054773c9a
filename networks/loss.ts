/**
 * The training loss: mean cross-entropy of softmax(logits) against one-hot labels, with its
 * gradient written out (`(softmax(logits) - y) / batch`), so that it needs no registered
 * gradients and stays numerically stable (log-softmax).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

const meanCrossEntropy = tf.customGrad(
  // customGrad's typing passes the inputs and the save function through one rest parameter.
  ((logits: tf.Tensor, onehot: tf.Tensor, save: tf.GradSaveFunc) => {
    const logProbs = tf.logSoftmax(logits);
    save([logProbs, onehot]);
    const value = tf.neg(tf.mean(tf.sum(tf.mul(onehot, logProbs), -1)));
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [lp, y] = saved;
      const batch = lp.shape[0] as number;
      return [tf.mul(dy, tf.div(tf.sub(tf.exp(lp), y), batch)), tf.zerosLike(y)];
    };
    return { value, gradFunc };
  }) as unknown as Parameters<typeof tf.customGrad>[0],
);

/**
 * Mean cross-entropy of `logits` `[batch, classes]` against `onehot` labels (same shape).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { crossEntropy } from "./loss.ts";
 * await tf.setBackend("cpu");
 * const loss = crossEntropy(tf.tensor2d([[0, 0]]), tf.tensor2d([[1, 0]]));
 * assert.ok(Math.abs((await loss.data())[0] - Math.log(2)) < 1e-6);
 * ```
 */
export function crossEntropy(logits: tf.Tensor, onehot: tf.Tensor): tf.Scalar {
  return meanCrossEntropy(logits, onehot) as tf.Scalar;
}
