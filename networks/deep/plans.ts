/**
 * The configuration of a standard network by name: its plan (`vgg11.ts`, `vgg16.ts`,
 * `resnet18.ts`, `resnet34.ts`, `efficientnetb0.ts`) drawn at a width for an input shape.
 *
 * @module
 */
import {
  type Block,
  blockShapes,
  DEEP_NET_KINDS,
  type DeepConfig,
  type DeepNetKind,
  type DeepShape,
  isDeepNetKind,
} from "./config.ts";
import { vgg11 } from "./vgg11.ts";
import { vgg16 } from "./vgg16.ts";
import { resnet18 } from "./resnet18.ts";
import { resnet34 } from "./resnet34.ts";
import { efficientnetb0 } from "./efficientnetb0.ts";

const PLANS: Record<DeepNetKind, (shape: DeepShape) => Block[]> = {
  vgg11,
  vgg16,
  resnet18,
  resnet34,
  efficientnetb0,
};

const isInt = (x: unknown): x is number => typeof x === "number" && Number.isSafeInteger(x);

/**
 * The configuration of network `kind` for inputs `[length, channels]`, `classes` outputs, channels
 * scaled by `width / 64`, initial weights from `seed` (default 0). Throws a `RangeError` that names
 * the parameter and its bound on a bad size, or the block that does not fit the input length.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deepConfig } from "./plans.ts";
 * const c = deepConfig("resnet18", { width: 16, channels: 10, length: 36, classes: 10 });
 * assert.equal(c.blocks.length, 10);
 * assert.throws(() => deepConfig("vgg11", { width: 0, channels: 10, length: 36, classes: 10 }),
 *   /width must be an integer >= 1/);
 * assert.throws(() => deepConfig("vgg11", { width: 8, channels: 10, length: 16, classes: 10 }),
 *   /maxpool needs >= 2 positions/);
 * ```
 */
export function deepConfig(kind: DeepNetKind, shape: DeepShape, seed = 0): DeepConfig {
  if (!isDeepNetKind(kind)) {
    throw new RangeError(`kind must be one of ${DEEP_NET_KINDS.join(", ")} (got ${kind})`);
  }
  for (
    const [name, x, min] of [
      ["width", shape.width, 1],
      ["channels", shape.channels, 1],
      ["length", shape.length, 1],
      ["classes", shape.classes, 2],
    ] as const
  ) {
    if (!isInt(x) || x < min) {
      throw new RangeError(`${name} must be an integer >= ${min} (got ${x})`);
    }
  }
  if (!isInt(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer in [0, 2^32) (got ${seed})`);
  }
  const { width, channels, length, classes } = shape;
  const config: DeepConfig = {
    kind,
    width,
    channels,
    length,
    classes,
    seed,
    blocks: PLANS[kind](shape),
  };
  blockShapes(config);
  return config;
}
