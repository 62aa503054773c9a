/**
 * ResNet18 (He et al.) in one dimension: basic blocks 2, 2, 2, 2.
 *
 * @module
 */
import type { Block, DeepShape } from "./config.ts";
import { resnetBlocks } from "./resnet.ts";

/** Basic blocks per stage. */
export const RESNET18_BLOCKS: readonly number[] = [2, 2, 2, 2];

/**
 * The blocks of ResNet18: the stem, 8 basic blocks, the head.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resnet18 } from "./resnet18.ts";
 * assert.equal(resnet18({ width: 64, channels: 10, length: 36, classes: 10 }).length, 10);
 * ```
 */
export function resnet18(shape: DeepShape): Block[] {
  return resnetBlocks(RESNET18_BLOCKS, shape);
}
