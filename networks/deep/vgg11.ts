/**
 * VGG11 (configuration "A" of Simonyan & Zisserman) in one dimension.
 *
 * @module
 */
import type { Block, DeepShape } from "./config.ts";
import { vggBlocks, type VggPlan } from "./vgg.ts";

/** VGG11's stages: 64, M, 128, M, 256 x2, M, 512 x2, M, 512 x2, M. */
export const VGG11_PLAN: VggPlan = [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"];

/**
 * The blocks of VGG11: 8 convolution units, 5 pools, the head.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { vgg11 } from "./vgg11.ts";
 * assert.equal(vgg11({ width: 64, channels: 10, length: 36, classes: 10 }).length, 14);
 * ```
 */
export function vgg11(shape: DeepShape): Block[] {
  return vggBlocks(VGG11_PLAN, shape);
}
