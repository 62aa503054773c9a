/**
 * The parameters of a standard network: their names, shapes and initial values, in the order in
 * which the builder walks the layers.
 *
 * Initialisation (drawn from our seeded PRNG, so the same on every backend): convolutions
 * `N(0, 2 / fan_in)` (He, `fan_in = taps * c_in`, `taps` for a depthwise filter), linear maps
 * `N(0, 1 / fan_in)`, biases 0, batch norm `gamma = 1`, `beta = 0`, running mean 0 and variance 1.
 *
 * @module
 */
import { makeRng } from "@srhm/generators";
import type { DeepConfig, Op } from "./config.ts";
import { opShape } from "./config.ts";

/** How a parameter starts. */
export type ParamInit = "he" | "lecun" | "zeros" | "ones";

/** One parameter tensor. */
export interface ParamSpec {
  /** `block.index.role`, e.g. `conv1.0.W`, `stage2.block1.body.1.gamma`. */
  readonly name: string;
  /** Tensor shape. */
  readonly shape: readonly number[];
  /** Initial values' rule. */
  readonly init: ParamInit;
  /** The fan-in of `he` and `lecun`. */
  readonly fanIn: number;
  /** `false` for batch norm's running statistics (state, not trained by SGD). */
  readonly trainable: boolean;
}

function opParams(op: Op, [T, C]: [number, number], prefix: string, out: ParamSpec[]): void {
  const p = (role: string, shape: number[], init: ParamInit, fanIn = 0, trainable = true) =>
    out.push({ name: `${prefix}.${role}`, shape, init, fanIn, trainable });
  switch (op.op) {
    case "conv":
      p("W", [op.size * C, op.out], "he", op.size * C);
      if (op.bias) p("b", [op.out], "zeros");
      return;
    case "depthwise":
      p("W", [op.size, C], "he", op.size);
      return;
    case "batchnorm":
      p("gamma", [C], "ones");
      p("beta", [C], "zeros");
      p("runningMean", [C], "zeros", 0, false);
      p("runningVar", [C], "ones", 0, false);
      return;
    case "linear":
      p("W", [C, op.out], "lecun", C);
      p("b", [op.out], "zeros");
      return;
    case "excite":
      p("W1", [C, op.squeeze], "lecun", C);
      p("b1", [op.squeeze], "zeros");
      p("W2", [op.squeeze, C], "lecun", op.squeeze);
      p("b2", [C], "zeros");
      return;
    case "residual": {
      walk(op.body, [T, C], `${prefix}.body`, out);
      walk(op.shortcut, [T, C], `${prefix}.shortcut`, out);
      return;
    }
    default:
      return;
  }
}

function walk(
  ops: readonly Op[],
  shape: [number, number],
  prefix: string,
  out: ParamSpec[],
): [number, number] {
  let s = shape;
  ops.forEach((op, i) => {
    opParams(op, s, `${prefix}.${i}`, out);
    s = opShape(op, s);
  });
  return s;
}

/**
 * Every parameter of a configuration, in the builder's order (trainable and state together).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deepConfig } from "./plans.ts";
 * import { paramSpecs } from "./params.ts";
 * const specs = paramSpecs(deepConfig("vgg11", { width: 8, channels: 10, length: 36, classes: 10 }));
 * assert.deepEqual(specs[0], { name: "conv1.0.W", shape: [30, 8], init: "he", fanIn: 30, trainable: true });
 * assert.equal(specs.filter((s) => !s.trainable).length, 16); // 8 batch norms
 * ```
 */
export function paramSpecs(config: DeepConfig): readonly ParamSpec[] {
  const out: ParamSpec[] = [];
  let shape: [number, number] = [config.length, config.channels];
  for (const b of config.blocks) shape = walk(b.ops, shape, b.name, out);
  return out;
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * The number of trainable numbers of a configuration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deepConfig } from "./plans.ts";
 * import { parameterCount } from "./params.ts";
 * // PyTorch counts 3,087,306 for vgg11 at v = 10, d = 36 (bench/torch_archs.py --params)
 * const c = deepConfig("vgg11", { width: 64, channels: 10, length: 36, classes: 10 });
 * assert.equal(parameterCount(c), 3087306);
 * ```
 */
export function parameterCount(config: DeepConfig): number {
  return paramSpecs(config).filter((s) => s.trainable).reduce((n, s) => n + size(s.shape), 0);
}

/**
 * The initial values of every parameter of `paramSpecs(config)`, in that order; parameter `i` is
 * drawn from `makeRng(config.seed, "init-deep", i)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deepConfig } from "./plans.ts";
 * import { initDeepWeights } from "./params.ts";
 * const c = deepConfig("resnet18", { width: 4, channels: 3, length: 8, classes: 2 }, 5);
 * const a = initDeepWeights(c);
 * assert.ok(a[0].every((x, i) => x === initDeepWeights(c)[0][i]));
 * ```
 */
export function initDeepWeights(config: DeepConfig): Float32Array[] {
  return paramSpecs(config).map((s, i) => {
    const n = size(s.shape);
    const out = new Float32Array(n);
    if (s.init === "ones") return out.fill(1);
    if (s.init === "zeros") return out;
    const std = Math.sqrt((s.init === "he" ? 2 : 1) / s.fanIn);
    const rng = makeRng(config.seed, "init-deep", i);
    for (let j = 0; j < n; j++) out[j] = std * rng.normal();
    return out;
  });
}
