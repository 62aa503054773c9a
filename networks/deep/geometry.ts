/**
 * The geometry of a 1-D convolution and its output length (no tfjs: configurations and plans use
 * it without loading TensorFlow.js).
 *
 * @module
 */

/** The geometry of a 1-D convolution: filter width, stride, zero padding on both sides. */
export interface ConvGeometry {
  /** Filter width `k >= 1`. */
  readonly size: number;
  /** Stride `s >= 1`. */
  readonly stride: number;
  /** Zero padding `p >= 0` on each side. */
  readonly pad: number;
}

/**
 * Output positions of a convolution on `positions` inputs: `floor((T + 2p - k) / s) + 1` (PyTorch's
 * rule). Throws a `RangeError` naming the bound when the filter does not fit.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { convLength } from "./geometry.ts";
 * assert.equal(convLength(36, { size: 3, stride: 1, pad: 1 }), 36);
 * assert.equal(convLength(9, { size: 3, stride: 2, pad: 1 }), 5);
 * assert.equal(convLength(9, { size: 1, stride: 2, pad: 0 }), 5);
 * ```
 */
export function convLength(positions: number, g: ConvGeometry): number {
  const span = positions + 2 * g.pad - g.size;
  if (span < 0) {
    throw new RangeError(
      `convolution: size ${g.size} must be <= positions + 2 pad = ${positions + 2 * g.pad}`,
    );
  }
  return Math.floor(span / g.stride) + 1;
}
