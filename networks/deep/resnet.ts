/**
 * The ResNet family (basic blocks) in one dimension: a 3-wide stem of 64 channels (batch norm,
 * ReLU), stages of 64/128/256/512 channels with strides 1/2/2/2, each a run of basic blocks (two
 * 3-wide convolutions with batch norm; an identity shortcut, or a 1-wide strided projection with
 * batch norm where the shape changes; ReLU after the sum), the mean over positions, a linear head.
 * Convolutions have no bias (batch norm follows each).
 *
 * @module
 */
import { type Block, type DeepShape, type Op, scaled } from "./config.ts";

/** Channels of the four stages at width 64. */
export const RESNET_STAGE_CHANNELS: readonly number[] = [64, 128, 256, 512];
/** Strides of the four stages' first blocks. */
export const RESNET_STAGE_STRIDES: readonly number[] = [1, 2, 2, 2];

const conv = (out: number, size: number, stride: number): Op => ({
  op: "conv",
  out,
  size,
  stride,
  pad: Math.floor(size / 2),
  bias: false,
});

/**
 * The blocks of a ResNet with `counts[i]` basic blocks in stage `i`: `stem`, `stage1.block1`, ...,
 * `head`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resnetBlocks } from "./resnet.ts";
 * const blocks = resnetBlocks([1, 1, 1, 1], { width: 8, channels: 4, length: 8, classes: 2 });
 * assert.deepEqual(blocks.map((b) => b.name).slice(0, 3), ["stem", "stage1.block1", "stage2.block1"]);
 * ```
 */
export function resnetBlocks(counts: readonly number[], shape: DeepShape): Block[] {
  const stemChannels = scaled(64, shape.width);
  const blocks: Block[] = [{
    name: "stem",
    ops: [conv(stemChannels, 3, 1), { op: "batchnorm" }, { op: "relu" }],
  }];
  let c = stemChannels;
  counts.forEach((count, stage) => {
    const width = scaled(RESNET_STAGE_CHANNELS[stage], shape.width);
    for (let i = 0; i < count; i++) {
      const stride = i === 0 ? RESNET_STAGE_STRIDES[stage] : 1;
      const project = stride !== 1 || c !== width;
      blocks.push({
        name: `stage${stage + 1}.block${i + 1}`,
        ops: [{
          op: "residual",
          body: [
            conv(width, 3, stride),
            { op: "batchnorm" },
            { op: "relu" },
            conv(width, 3, 1),
            { op: "batchnorm" },
          ],
          shortcut: project ? [conv(width, 1, stride), { op: "batchnorm" }] : [],
          dropConnect: 0,
          after: "relu",
        }],
      });
      c = width;
    }
  });
  blocks.push({
    name: "head",
    ops: [{ op: "meanpool" }, { op: "linear", out: shape.classes }],
  });
  return blocks;
}
