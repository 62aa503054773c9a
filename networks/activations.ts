/**
 * Hidden-layer outputs and logits of many inputs, read back to plain arrays for the metrics
 * (sensitivities, test error). Runs the forward pass in batches and reads every tensor with
 * `await data()`, so it works on every backend (webgpu included) and leaks nothing.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { ForwardMode } from "./trainable.ts";

/** What `activations` needs of a network (a `Network` or a `DeepNetwork`). */
export interface Representations {
  /** Input and output shapes. */
  readonly config: {
    readonly length: number;
    readonly channels: number;
    readonly classes: number;
  };
  /** The evaluation forward pass: every hidden representation and the logits. */
  forward(x: tf.Tensor, mode?: ForwardMode): {
    readonly hidden: readonly tf.Tensor[];
    readonly logits: tf.Tensor;
  };
}

/** The outputs of `activations`, plain arrays. */
export interface Activations {
  /**
   * Hidden representation k, `[count, size_k]` (positions major): post-ReLU output of hidden layer
   * k of a hierarchical network, output of block k of a standard one.
   */
  readonly hidden: Float32Array[];
  /** Logits `[count, classes]`. */
  readonly logits: Float32Array;
}

/**
 * Runs `network` on `count` encoded inputs `x` (`[count, length, channels]`, the layout of
 * `encode` in `@srhm/generators`) in batches of `batch` (default 512) and returns every hidden
 * layer's output and the logits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { buildNetwork } from "./build.ts";
 * import { activations } from "./activations.ts";
 * await tf.setBackend("cpu");
 * const net = buildNetwork({
 *   kind: "lcn", depth: 2, patch: 2, width: 3, channels: 2, length: 4, classes: 2,
 *   bias: "per-position", parametrisation: "mean-field", seed: 0,
 * });
 * const out = await activations(net, new Float32Array(5 * 4 * 2).fill(1), 5, 2);
 * assert.ok(out.hidden[0].length === 5 * 2 * 3 && out.hidden[1].length === 5 * 3);
 * assert.ok(out.logits.length === 5 * 2);
 * net.dispose();
 * ```
 */
export async function activations(
  network: Representations,
  x: Float32Array,
  count: number,
  batch = 512,
): Promise<Activations> {
  const { length, channels, classes } = network.config;
  const row = length * channels;
  if (!Number.isSafeInteger(count) || count < 0 || x.length !== count * row) {
    throw new Error(
      `activations: x must hold count * length * channels = ${count} * ${length} * ${channels} ` +
        `numbers (got ${x.length})`,
    );
  }
  if (!Number.isSafeInteger(batch) || batch < 1) {
    throw new Error(`activations: batch must be an integer >= 1 (got ${batch})`);
  }
  // The representations' sizes, from one forward pass of one input.
  const hiddenSizes = tf.tidy(() =>
    network.forward(tf.zeros([1, length, channels])).hidden.map((h) => h.size)
  );
  const hidden = hiddenSizes.map((n) => new Float32Array(count * n));
  const logits = new Float32Array(count * classes);
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const outs = tf.tidy(() => {
      const xb = tf.tensor3d(x.subarray(start * row, (start + n) * row), [n, length, channels]);
      const out = network.forward(xb);
      return [...out.hidden, out.logits];
    });
    try {
      const values = await Promise.all(outs.map((t) => t.data() as Promise<Float32Array>));
      hiddenSizes.forEach((size, k) => hidden[k].set(values[k], start * size));
      logits.set(values[values.length - 1], start * classes);
    } finally {
      tf.dispose(outs);
    }
  }
  return { hidden, logits };
}
