/**
 * The builder of the standard networks: a `DeepConfig` (and optionally its weights) becomes
 * TensorFlow.js operations on variables it owns. Each layer description compiles once into a
 * function of the input and the mode (`train`: batch statistics, running statistics updated,
 * dropout and drop-connect on; `eval`: running statistics, no dropout).
 *
 * Convolutions are `im2col` + one matrix product (`conv1d.ts`), so that they reach the backend's
 * product kernel (OpenBLAS under `wasm+blas`); every operation's gradient is either one that
 * `registerNetworkGradients` provides or written out (`tf.customGrad`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { addRelu } from "./add_relu.ts";
import { registerNetworkGradients } from "../gradients.ts";
import { blockShapes, type DeepConfig, type Op } from "./config.ts";
import { conv1d, depthwiseConv1d } from "./conv1d.ts";
import { batchNormEval, batchNormTrain } from "./batch_norm.ts";
import { maxPool2, meanPool, scaleChannels } from "./pooling.ts";
import { gate, swish } from "./swish.ts";
import { initDeepWeights, type ParamSpec, paramSpecs } from "./params.ts";

import type { ForwardMode } from "../trainable.ts";

/** What a forward pass returns (new tensors: the caller disposes them, e.g. in `tf.tidy`). */
export interface DeepForward {
  /** The output of every block but the head, `[batch, positions, channels]`, first to last. */
  readonly hidden: tf.Tensor3D[];
  /** Logits `[batch, classes]`. */
  readonly logits: tf.Tensor2D;
}

/** A standard network built on the current backend; it owns its variables. */
export interface DeepNetwork {
  /** The configuration it was built from. */
  readonly config: DeepConfig;
  /** The trainable variables (in `paramSpecs` order, state left out). */
  readonly variables: readonly tf.Variable[];
  /** Batch norm's running statistics. */
  readonly state: readonly tf.Variable[];
  /** SGD's learning rate is the base rate times this: the width (the authors' `lr * width`). */
  readonly lrScale: number;
  /** The names of the hidden representations (`blocks` but the head), first to last. */
  readonly layerNames: readonly string[];
  /**
   * Forward pass of `x: [batch, length, channels]`; `mode` defaults to `eval`. The output is a
   * function of the parameters, not of `x`: the first convolution computes no input gradient
   * (training never needs it), so tfjs reports `x` as not connected if asked for one.
   */
  forward(x: tf.Tensor, mode?: ForwardMode): DeepForward;
  /** Every parameter's values (trainable and state), in `paramSpecs` order. */
  getWeights(): Promise<Float32Array[]>;
  /** Overwrites every parameter (layout of `getWeights`). */
  setWeights(weights: readonly Float32Array[]): void;
  /** Disposes of the variables. */
  dispose(): void;
}

type Layer = (x: tf.Tensor, mode: ForwardMode) => tf.Tensor;

interface Compiler {
  /** The next parameter's variable. */
  next(): tf.Variable;
  /** A fresh dropout seed (deterministic per network and call). */
  seed(): string;
}

/**
 * The layers of `ops`, a batch norm and the ReLU after it compiled as one layer (in training, one
 * kernel where the backend has the loop kernels: `batchNormTrain`'s `relu`).
 */
function compileOps(ops: readonly Op[], c: Compiler, onData = false): Layer[] {
  const layers: Layer[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (op.op === "batchnorm" && ops[i + 1]?.op === "relu") {
      layers.push(batchNorm(c, true));
      i++;
    } else if (op.op === "conv" && onData && i === 0) {
      layers.push(compileConv(op, c, false));
    } else {
      layers.push(compile(op, c));
    }
  }
  return layers;
}

function compileConv(op: Extract<Op, { op: "conv" }>, c: Compiler, inputGradient: boolean): Layer {
  const W = c.next();
  const b = op.bias ? c.next() : null;
  return (x) => {
    const y = conv1d(x, W, op, inputGradient);
    return b === null ? y : tf.add(y, b);
  };
}

function batchNorm(c: Compiler, relu: boolean): Layer {
  const gamma = c.next();
  const beta = c.next();
  const running = { mean: c.next(), variance: c.next() };
  return (x, mode) => {
    if (mode === "train") return batchNormTrain(x, gamma, beta, running, relu);
    const y = batchNormEval(x, gamma, beta, running);
    return relu ? tf.relu(y) : y;
  };
}

function compile(op: Op, c: Compiler): Layer {
  switch (op.op) {
    case "conv":
      return compileConv(op, c, true);
    case "depthwise": {
      const W = c.next();
      return (x) => depthwiseConv1d(x, W, op);
    }
    case "batchnorm":
      return batchNorm(c, false);
    case "relu":
      return (x) => tf.relu(x);
    case "swish":
      return (x) => swish(x);
    case "maxpool":
      return (x) => maxPool2(x);
    case "meanpool":
      return (x) => meanPool(x);
    case "flatten":
      return (x) => tf.reshape(x, [x.shape[0], 1, x.size / x.shape[0]]);
    case "linear": {
      const W = c.next();
      const b = c.next();
      return (x) =>
        tf.reshape(
          tf.add(tf.matMul(tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D, W as tf.Tensor2D), b),
          [x.shape[0], 1, op.out],
        );
    }
    case "dropout":
      return (x, mode) => {
        if (mode !== "train" || op.rate === 0) return x;
        const keep = tf.cast(
          tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, "float32", c.seed()), op.rate),
          "float32",
        );
        return tf.mul(x, tf.mul(keep, 1 / (1 - op.rate)));
      };
    case "excite": {
      const W1 = c.next();
      const b1 = c.next();
      const W2 = c.next();
      const b2 = c.next();
      return (x) => {
        const [B, , C] = x.shape;
        const z = tf.reshape(meanPool(x), [B, C]) as tf.Tensor2D;
        const h = swish(tf.add(tf.matMul(z, W1 as tf.Tensor2D), b1)) as tf.Tensor2D;
        const g = gate(tf.add(tf.matMul(h, W2 as tf.Tensor2D), b2));
        return scaleChannels(x, tf.reshape(g, [B, 1, C]));
      };
    }
    case "residual": {
      const body = compileOps(op.body, c);
      const shortcut = compileOps(op.shortcut, c);
      const run = (layers: Layer[], x: tf.Tensor, mode: ForwardMode) =>
        layers.reduce((h, f) => f(h, mode), x);
      return (x, mode) => {
        let h = run(body, x, mode);
        if (mode === "train" && op.dropConnect > 0) {
          const B = x.shape[0];
          const keep = tf.cast(
            tf.greaterEqual(tf.randomUniform([B, 1, 1], 0, 1, "float32", c.seed()), op.dropConnect),
            "float32",
          );
          h = tf.mul(h, tf.mul(keep, 1 / (1 - op.dropConnect)));
        }
        const s = run(shortcut, x, mode);
        return op.after === "relu" ? addRelu(h, s) : tf.add(h, s);
      };
    }
  }
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * Builds a standard network on the current backend, from `weights` (the layout of `getWeights`) or,
 * by default, from `initDeepWeights(config)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { buildDeepNetwork, deepConfig } from "./mod.ts";
 * await tf.setBackend("cpu");
 * const net = buildDeepNetwork(deepConfig("resnet18", { width: 4, channels: 3, length: 8, classes: 2 }));
 * const shapes = tf.tidy(() => {
 *   const out = net.forward(tf.ones([5, 8, 3]));
 *   return [out.hidden.length, out.logits.shape.join()];
 * });
 * assert.deepEqual(shapes, [9, "5,2"]);
 * net.dispose();
 * ```
 */
export function buildDeepNetwork(
  config: DeepConfig,
  weights?: readonly Float32Array[],
): DeepNetwork {
  registerNetworkGradients();
  blockShapes(config);
  const specs: readonly ParamSpec[] = paramSpecs(config);
  const values = weights ?? initDeepWeights(config);
  checkDeepWeights(specs, values);
  const all = specs.map((s, i) =>
    tf.tidy(() => tf.variable(tf.tensor(values[i], [...s.shape]), s.trainable))
  );
  let cursor = 0;
  let calls = 0;
  let draws = 0;
  const compiler: Compiler = {
    next: () => all[cursor++],
    seed: () => `${config.seed}:${calls}:${draws++}`,
  };
  // the first convolution reads the data: no gradient to compute for it (conv1d's inputGradient)
  const blocks = config.blocks.map((b, i) => compileOps(b.ops, compiler, i === 0));
  const layerNames = config.blocks.slice(0, -1).map((b) => b.name);

  function forward(x: tf.Tensor, mode: ForwardMode = "eval"): DeepForward {
    if (x.rank !== 3 || x.shape[1] !== config.length || x.shape[2] !== config.channels) {
      throw new Error(
        `forward: x must be [batch, ${config.length}, ${config.channels}], got [${x.shape}]`,
      );
    }
    if (mode === "train") {
      calls++;
      draws = 0;
    }
    const hidden: tf.Tensor3D[] = [];
    let h: tf.Tensor = x;
    blocks.forEach((ops, k) => {
      h = ops.reduce((y, f) => f(y, mode), h);
      if (k < blocks.length - 1) hidden.push(h as tf.Tensor3D);
    });
    return { hidden, logits: tf.reshape(h, [x.shape[0], config.classes]) as tf.Tensor2D };
  }

  return {
    config,
    variables: all.filter((_, i) => specs[i].trainable),
    state: all.filter((_, i) => !specs[i].trainable),
    lrScale: config.width,
    layerNames,
    forward,
    async getWeights() {
      const out: Float32Array[] = [];
      for (const v of all) out.push(new Float32Array(await v.data() as Float32Array));
      return out;
    },
    setWeights(next) {
      checkDeepWeights(specs, next);
      tf.tidy(() => all.forEach((v, i) => v.assign(tf.tensor(next[i], v.shape))));
    },
    dispose() {
      tf.dispose(all);
    },
  };
}

function checkDeepWeights(specs: readonly ParamSpec[], w: readonly Float32Array[]): void {
  if (w.length !== specs.length) {
    throw new Error(`weights must hold ${specs.length} tensors (got ${w.length})`);
  }
  specs.forEach((s, i) => {
    if (w[i].length !== size(s.shape)) {
      throw new Error(
        `weights[${i}] (${s.name}) must hold ${size(s.shape)} numbers (got ${w[i].length})`,
      );
    }
  });
}
