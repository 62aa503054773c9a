/**
 * VGG16 (configuration "D" of Simonyan & Zisserman) in one dimension.
 *
 * @module
 */
import type { Block, DeepShape } from "./config.ts";
import { vggBlocks, type VggPlan } from "./vgg.ts";

/** VGG16's stages: 64 x2, M, 128 x2, M, 256 x3, M, 512 x3, M, 512 x3, M. */
export const VGG16_PLAN: VggPlan = [
  64,
  64,
  "M",
  128,
  128,
  "M",
  256,
  256,
  256,
  "M",
  512,
  512,
  512,
  "M",
  512,
  512,
  512,
  "M",
];

/**
 * The blocks of VGG16: 13 convolution units, 5 pools, the head.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { vgg16 } from "./vgg16.ts";
 * assert.equal(vgg16({ width: 64, channels: 10, length: 36, classes: 10 }).length, 19);
 * ```
 */
export function vgg16(shape: DeepShape): Block[] {
  return vggBlocks(VGG16_PLAN, shape);
}
