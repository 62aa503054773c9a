/**
 * The VGG family in one dimension: 3-wide convolutions (padding 1, with bias) each followed by batch
 * norm and ReLU, a max-pool of 2 after each stage, and a linear head on the flattened features.
 *
 * @module
 */
import { type Block, type DeepShape, scaled } from "./config.ts";

/** A VGG stage plan: channel counts of the convolutions, `"M"` for a max-pool. */
export type VggPlan = readonly (number | "M")[];

/**
 * The blocks of a VGG: one block per convolution unit (`conv1`, `conv2`, ...: conv + batch norm +
 * ReLU), one per max-pool (`pool1`, ...), then the head (flatten + linear).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { vggBlocks } from "./vgg.ts";
 * const blocks = vggBlocks([64, "M"], { width: 64, channels: 10, length: 4, classes: 3 });
 * assert.deepEqual(blocks.map((b) => b.name), ["conv1", "pool1", "head"]);
 * ```
 */
export function vggBlocks(plan: VggPlan, shape: DeepShape): Block[] {
  const blocks: Block[] = [];
  let convs = 0;
  let pools = 0;
  for (const x of plan) {
    if (x === "M") {
      blocks.push({ name: `pool${++pools}`, ops: [{ op: "maxpool" }] });
    } else {
      blocks.push({
        name: `conv${++convs}`,
        ops: [
          { op: "conv", out: scaled(x, shape.width), size: 3, stride: 1, pad: 1, bias: true },
          { op: "batchnorm" },
          { op: "relu" },
        ],
      });
    }
  }
  blocks.push({ name: "head", ops: [{ op: "flatten" }, { op: "linear", out: shape.classes }] });
  return blocks;
}
