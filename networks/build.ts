/**
 * The builder: a configuration (and optionally its weights) becomes a TensorFlow.js network.
 *
 * Because stride = filter size, no generic convolution is needed: the input `[batch, positions,
 * c_in]` (channels last) is reshaped so that each non-overlapping patch of `patch` positions is one
 * row of `patch * c_in` numbers, and
 * - a CNN layer is one `tf.matMul` of `[batch * outPositions, patch * c_in]` by `[patch * c_in, H]`;
 * - an LCN layer is one batched `tf.matMul` over output positions: `[outPositions, batch,
 *   patch * c_in]` by `[outPositions, patch * c_in, H]`;
 * - an FCN layer is one `tf.matMul` of `[batch, inPositions * c_in]` by
 *   `[inPositions * c_in, outPositions * H]`.
 * Then the pre-activation is `product / sqrt(fanIn) + 0.1 * b` and the output its ReLU
 * (docs/protocol.md, networks). The readout is `logits = h . beta / H` (mean-field) or `/ sqrt(H)` (standard).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { layerShapes, type NetworkConfig } from "./config.ts";
import { checkWeights, initWeights, type Weights, weightShapes } from "./init.ts";
import { registerNetworkGradients } from "./gradients.ts";

/** What a forward pass returns (every tensor is new: the caller disposes them, e.g. in `tf.tidy`). */
export type ForwardOutput = {
  /** Post-ReLU output of each hidden layer, first to last: `[batch, outPositions_k, H]`. */
  readonly hidden: tf.Tensor3D[];
  /** Logits `[batch, classes]`. */
  readonly logits: tf.Tensor2D;
};

/** A network built on the current TensorFlow.js backend; it owns its variables. */
export interface Network {
  /** The configuration it was built from. */
  readonly config: NetworkConfig;
  /**
   * The trainable variables: per hidden layer `W` then `b` (no `b` with bias `none`), then the
   * readout. Shapes as in `weightShapes(config)`.
   */
  readonly variables: readonly tf.Variable[];
  /** The forward pass of a batch `x: [batch, length, channels]` (channels last). */
  forward(x: tf.Tensor): ForwardOutput;
  /** Copies the current weights out (`await data()`, so it works on every backend). */
  getWeights(): Promise<Weights>;
  /** Overwrites the weights (same layout as `initWeights`). */
  setWeights(weights: Weights): void;
  /** Disposes of the variables. */
  dispose(): void;
}

/** The pre-activation's multiplier of bias terms (the reference's, docs/protocol.md: `+ 0.1 * b`). */
export const BIAS_SCALE = 0.1;

/**
 * The readout's multiplier: `1/H` (mean-field) or `1/sqrt(H)` (standard).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readoutScale } from "./build.ts";
 * assert.ok(readoutScale("mean-field", 4) === 0.25 && readoutScale("standard", 4) === 0.5);
 * ```
 */
export function readoutScale(parametrisation: NetworkConfig["parametrisation"], H: number): number {
  return parametrisation === "mean-field" ? 1 / H : 1 / Math.sqrt(H);
}

interface Layer {
  readonly W: tf.Variable;
  readonly b: tf.Variable | null;
}

/**
 * Builds a network on the current backend, from `weights` or, by default, from
 * `initWeights(config)`. The configuration is expected valid (`makeConfig`); the weights are
 * checked against it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { buildNetwork } from "./build.ts";
 * await tf.setBackend("cpu");
 * const net = buildNetwork({
 *   kind: "cnn", depth: 2, patch: 4, width: 8, channels: 4, length: 16, classes: 4,
 *   bias: "per-position", parametrisation: "mean-field", seed: 0,
 * });
 * const shapes = tf.tidy(() => {
 *   const out = net.forward(tf.ones([3, 16, 4]));
 *   return [...out.hidden.map((h) => h.shape.join()), out.logits.shape.join()];
 * });
 * assert.ok(shapes.join(" ") === "3,4,8 3,1,8 3,4");
 * net.dispose();
 * ```
 */
export function buildNetwork(config: NetworkConfig, weights?: Weights): Network {
  registerNetworkGradients(); // idempotent; here rather than at import, so importing does nothing
  const w = weights ?? initWeights(config);
  checkWeights(config, w);
  const shapes = weightShapes(config);
  const plan = layerShapes(config);
  // tf.variable keeps its own reference to the data: the source tensors are disposed by tidy
  const param = (values: Float32Array, shape: readonly number[]): tf.Variable =>
    tf.tidy(() => tf.variable(tf.tensor(values, [...shape]), true));
  const layers: Layer[] = w.layers.map((lw, k) => ({
    W: param(lw.W, shapes.layers[k].W),
    b: config.bias === "none" ? null : param(lw.b, shapes.layers[k].b),
  }));
  const readout = param(w.readout, shapes.readout);
  const variables: tf.Variable[] = [];
  for (const l of layers) {
    variables.push(l.W);
    if (l.b !== null) variables.push(l.b);
  }
  variables.push(readout);

  const S = config.patch;
  const H = config.width;
  const scales = plan.map((l) => 1 / Math.sqrt(l.scaleFanIn));
  const outScale = readoutScale(config.parametrisation, H);

  function layer(x: tf.Tensor, k: number): tf.Tensor3D {
    const shape = plan[k];
    const batch = x.shape[0];
    const P = shape.outPositions;
    const rowWidth = S * shape.inChannels;
    const { W, b } = layers[k];
    let product: tf.Tensor;
    if (config.kind === "cnn") {
      product = tf.matMul(tf.reshape(x, [batch * P, rowWidth]), W as tf.Tensor2D);
    } else if (config.kind === "lcn") {
      const rows = tf.reshape(x, [batch, P, rowWidth]);
      const byPosition = P === 1
        ? tf.reshape(rows, [1, batch, rowWidth])
        : tf.transpose(rows, [1, 0, 2]);
      const out = tf.matMul(byPosition as tf.Tensor3D, W as tf.Tensor3D); // [P, batch, H]
      product = P === 1 ? out : tf.transpose(out, [1, 0, 2]);
    } else {
      product = tf.matMul(tf.reshape(x, [batch, shape.inPositions * shape.inChannels]), W);
    }
    let pre = tf.mul(tf.reshape(product, [batch, P, H]), scales[k]);
    if (b !== null) pre = tf.add(pre, tf.mul(b, BIAS_SCALE));
    return tf.relu(pre) as tf.Tensor3D;
  }

  function forward(x: tf.Tensor): ForwardOutput {
    if (x.rank !== 3 || x.shape[1] !== config.length || x.shape[2] !== config.channels) {
      throw new Error(
        `forward: x must be [batch, ${config.length}, ${config.channels}], got [${x.shape}]`,
      );
    }
    const hidden: tf.Tensor3D[] = [];
    let h: tf.Tensor = x;
    for (let k = 0; k < plan.length; k++) {
      h = layer(h, k);
      hidden.push(h as tf.Tensor3D);
    }
    const last = tf.reshape(h, [x.shape[0], H]);
    const logits = tf.mul(tf.matMul(last, readout), outScale) as tf.Tensor2D;
    return { hidden, logits };
  }

  async function getWeights(): Promise<Weights> {
    const read = async (v: tf.Variable): Promise<Float32Array> =>
      new Float32Array(await v.data() as Float32Array);
    const out: LayerWeightsMutable[] = [];
    for (const l of layers) {
      out.push({ W: await read(l.W), b: l.b === null ? new Float32Array(0) : await read(l.b) });
    }
    return { layers: out, readout: await read(readout) };
  }

  function setWeights(next: Weights): void {
    checkWeights(config, next);
    tf.tidy(() => {
      layers.forEach((l, k) => {
        l.W.assign(tf.tensor(next.layers[k].W, l.W.shape));
        if (l.b !== null) l.b.assign(tf.tensor(next.layers[k].b, l.b.shape));
      });
      readout.assign(tf.tensor(next.readout, readout.shape));
    });
  }

  function dispose(): void {
    for (const v of variables) v.dispose();
  }

  return { config, variables, forward, getWeights, setWeights, dispose };
}

interface LayerWeightsMutable {
  W: Float32Array;
  b: Float32Array;
}
