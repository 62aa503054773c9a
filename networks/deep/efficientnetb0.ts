/**
 * EfficientNet-B0 (Tan & Le) in one dimension: a 3-wide stem of 32 channels (batch norm, swish), the
 * B0 plan of MBConv blocks, the mean over positions, dropout 0.2, a linear head.
 *
 * An MBConv block: a 1-wide expansion by `expand` (batch norm, swish; absent for `expand = 1`), a
 * depthwise convolution of width 3 or 5 (batch norm, swish), squeeze-excitation with
 * `max(1, floor(c_in / 4))` channels, a 1-wide projection (batch norm), and the identity skip where
 * stride 1 keeps the channels, with drop-connect of rate `0.2 * i / n` on the `i`-th of `n` blocks.
 * Convolutions have no bias.
 *
 * @module
 */
import { type Block, type DeepShape, type Op, scaled } from "./config.ts";

/** One stage of the B0 plan. */
export interface MbStage {
  /** Expansion ratio. */
  readonly expand: number;
  /** Output channels at width 64. */
  readonly channels: number;
  /** Number of blocks. */
  readonly count: number;
  /** Depthwise filter width. */
  readonly size: number;
  /** Stride of the stage's first block. */
  readonly stride: number;
}

/** The B0 plan (expand, channels, blocks, filter width, stride). */
export const EFFICIENTNET_B0_STAGES: readonly MbStage[] = [
  { expand: 1, channels: 16, count: 1, size: 3, stride: 1 },
  { expand: 6, channels: 24, count: 2, size: 3, stride: 2 },
  { expand: 6, channels: 40, count: 2, size: 5, stride: 2 },
  { expand: 6, channels: 80, count: 3, size: 3, stride: 2 },
  { expand: 6, channels: 112, count: 3, size: 5, stride: 1 },
  { expand: 6, channels: 192, count: 4, size: 5, stride: 2 },
  { expand: 6, channels: 320, count: 1, size: 3, stride: 1 },
];

/** B0's drop-connect rate (of the last block) and head dropout. */
export const EFFICIENTNET_B0_DROP = { dropConnect: 0.2, dropout: 0.2 } as const;

const pointwise = (out: number): Op => ({
  op: "conv",
  out,
  size: 1,
  stride: 1,
  pad: 0,
  bias: false,
});

/**
 * The blocks of EfficientNet-B0: `stem`, `mb1` ... `mb16`, `head`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { efficientnetb0 } from "./efficientnetb0.ts";
 * const blocks = efficientnetb0({ width: 64, channels: 10, length: 36, classes: 10 });
 * assert.equal(blocks.length, 18);
 * assert.equal(blocks[1].name, "mb1");
 * ```
 */
export function efficientnetb0(shape: DeepShape): Block[] {
  const stem = scaled(32, shape.width);
  const blocks: Block[] = [{
    name: "stem",
    ops: [
      { op: "conv", out: stem, size: 3, stride: 1, pad: 1, bias: false },
      { op: "batchnorm" },
      { op: "swish" },
    ],
  }];
  const total = EFFICIENTNET_B0_STAGES.reduce((n, s) => n + s.count, 0);
  let c = stem;
  let index = 0;
  for (const stage of EFFICIENTNET_B0_STAGES) {
    const out = scaled(stage.channels, shape.width);
    for (let i = 0; i < stage.count; i++) {
      const stride = i === 0 ? stage.stride : 1;
      const hidden = c * stage.expand;
      const body: Op[] = [
        ...(stage.expand === 1 ? [] : [
          pointwise(hidden),
          { op: "batchnorm" } as const,
          {
            op: "swish",
          } as const,
        ]),
        { op: "depthwise", size: stage.size, stride, pad: Math.floor(stage.size / 2) },
        { op: "batchnorm" },
        { op: "swish" },
        { op: "excite", squeeze: Math.max(1, Math.floor(c * 0.25)) },
        pointwise(out),
        { op: "batchnorm" },
      ];
      const skip = stride === 1 && c === out;
      const rate = EFFICIENTNET_B0_DROP.dropConnect * index / total;
      blocks.push({
        name: `mb${++index}`,
        ops: skip
          ? [{ op: "residual", body, shortcut: [], dropConnect: rate, after: "none" }]
          : body,
      });
      c = out;
    }
  }
  blocks.push({
    name: "head",
    ops: [
      { op: "meanpool" },
      { op: "dropout", rate: EFFICIENTNET_B0_DROP.dropout },
      { op: "linear", out: shape.classes },
    ],
  });
  return blocks;
}
