/**
 * ResNet34 (He et al.) in one dimension: basic blocks 3, 4, 6, 3.
 *
 * @module
 */
import type { Block, DeepShape } from "./config.ts";
import { resnetBlocks } from "./resnet.ts";

/** Basic blocks per stage. */
export const RESNET34_BLOCKS: readonly number[] = [3, 4, 6, 3];

/**
 * The blocks of ResNet34: the stem, 16 basic blocks, the head.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resnet34 } from "./resnet34.ts";
 * assert.equal(resnet34({ width: 64, channels: 10, length: 36, classes: 10 }).length, 18);
 * ```
 */
export function resnet34(shape: DeepShape): Block[] {
  return resnetBlocks(RESNET34_BLOCKS, shape);
}
