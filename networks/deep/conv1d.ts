/**
 * One-dimensional convolutions (overlapping, padded, strided, depthwise) for the standard deep
 * networks, on channels-last tensors `[batch, positions, channels]`, written as the matrix products
 * that the project's fast paths already cover.
 *
 * A convolution of width `k`, stride `s` and zero padding `p` is `im2col` (each output position
 * gathers its `k` input positions into one row of `k * c_in` numbers) followed by one `tf.matMul`
 * by the filters `[k * c_in, c_out]`, so it reaches the BLAS product of the `wasm+blas` backend. The
 * gather uses only padding, reshapes and contiguous slices: the padded input is read as rows of `s`
 * positions (`[batch, R, s * c_in]`), so that tap `j = q s + r` of output `t` is position `r` of row
 * `t + q`; taps with the same `q` are one contiguous slice. The backward pass is written out
 * (`tf.customGrad`): the filters' gradient is `cols^T dY`, the input's the adjoint of the gather
 * (`col2im`: the slices padded back into place and summed). tfjs-wasm has no gradient kernels for
 * its own convolutions (`Conv2DBackpropFilter`), and this form needs none.
 *
 * A depthwise convolution (one filter per channel, EfficientNet's) sums its `k` taps, each a slice
 * of the same row view times that tap's weights.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type ConvGeometry, convLength } from "./geometry.ts";
import {
  col2imKernel,
  depthwiseGradKernel,
  depthwiseKernel,
  hasLoopKernels,
  im2colKernel,
} from "./loop_kernels.ts";

export { convLength } from "./geometry.ts";
export type { ConvGeometry } from "./geometry.ts";

/** The row view of one convolution on one input length (see the module doc). */
interface RowPlan {
  readonly T: number;
  readonly C: number;
  readonly out: number;
  /** Rows of `s` positions. */
  readonly R: number;
  /** Zero positions added on the right (negative: positions cut off). */
  readonly right: number;
}

function rowPlan(T: number, C: number, g: ConvGeometry): RowPlan {
  const out = convLength(T, g);
  const R = out + Math.floor((g.size - 1) / g.stride);
  return { T, C, out, R, right: R * g.stride - T - g.pad };
}

/** `[B, T, C]` -> the padded input as `[B, R, s * C]`. */
function toRows(x: tf.Tensor, plan: RowPlan, g: ConvGeometry): tf.Tensor3D {
  const B = x.shape[0];
  let xp = x;
  if (g.pad > 0 || plan.right > 0) {
    xp = tf.pad(x, [[0, 0], [g.pad, Math.max(0, plan.right)], [0, 0]]);
  }
  if (plan.right < 0) xp = tf.slice(xp, [0, 0, 0], [B, plan.R * g.stride, plan.C]);
  return tf.reshape(xp, [B, plan.R, g.stride * plan.C]);
}

/** The adjoint of {@link toRows}: `[B, R, s * C]` -> `[B, T, C]`. */
function fromRows(d: tf.Tensor, plan: RowPlan, g: ConvGeometry): tf.Tensor3D {
  const B = d.shape[0];
  let x: tf.Tensor = tf.reshape(d, [B, plan.R * g.stride, plan.C]);
  if (plan.right < 0) x = tf.pad(x, [[0, 0], [0, -plan.right], [0, 0]]);
  if (g.pad > 0 || plan.right > 0) x = tf.slice(x, [0, g.pad, 0], [B, plan.T, plan.C]);
  return x as tf.Tensor3D;
}

/** The chunks of taps: `[q, width]` = row offset `q`, taps `q s .. q s + width - 1`. */
function chunks(g: ConvGeometry): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let q = 0; q * g.stride < g.size; q++) {
    out.push([q, Math.min(g.stride, g.size - q * g.stride)]);
  }
  return out;
}

const isPointwise = (g: ConvGeometry): boolean => g.size === 1 && g.stride === 1 && g.pad === 0;

/**
 * `im2col`: `x: [B, T, C]` -> `[B, out, k * C]`, column `j * C + c` holding input channel `c` at
 * position `t s + j - p` of output `t` (zero outside the input).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { im2col } from "./conv1d.ts";
 * await tf.setBackend("cpu");
 * const cols = im2col(tf.tensor3d([[[1], [2], [3]]]), { size: 3, stride: 1, pad: 1 });
 * assert.deepEqual(await cols.array(), [[[0, 1, 2], [1, 2, 3], [2, 3, 0]]]);
 * ```
 */
export function im2col(x: tf.Tensor, g: ConvGeometry): tf.Tensor3D {
  const [B, T, C] = x.shape as [number, number, number];
  if (isPointwise(g)) return tf.reshape(x, [B, T, C]) as tf.Tensor3D;
  if (hasLoopKernels()) return im2colKernel(x, g, convLength(T, g));
  return im2colSlices(x, g);
}

/**
 * {@link im2col} by padding, reshapes and slices only (any backend; the form used where the loop
 * kernels are not registered, e.g. webgpu).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { im2colSlices } from "./conv1d.ts";
 * await tf.setBackend("cpu");
 * const cols = im2colSlices(tf.tensor3d([[[1], [2], [3]]]), { size: 3, stride: 2, pad: 1 });
 * assert.deepEqual(await cols.array(), [[[0, 1, 2], [2, 3, 0]]]);
 * ```
 */
export function im2colSlices(x: tf.Tensor, g: ConvGeometry): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, T, C] = x.shape as [number, number, number];
    const plan = rowPlan(T, C, g);
    const rows = toRows(x, plan, g);
    const parts = chunks(g).map(([q, w]) =>
      q === 0 && w * C === g.stride * C && plan.R === plan.out
        ? rows
        : tf.slice(rows, [0, q, 0], [B, plan.out, w * C])
    );
    return (parts.length === 1 ? parts[0] : tf.concat(parts, 2)) as tf.Tensor3D;
  });
}

/**
 * `col2im`, the adjoint of {@link im2col}: `[B, out, k * C]` -> `[B, T, C]`, every column added back
 * to the input position it was read from (used for the gradient of a convolution's input).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { col2im } from "./conv1d.ts";
 * await tf.setBackend("cpu");
 * const ones = tf.ones([1, 3, 3]);
 * // each inner position is read by three outputs, each border position by two
 * const back = col2im(ones, 3, { size: 3, stride: 1, pad: 1 });
 * assert.deepEqual(await back.array(), [[[2], [3], [2]]]);
 * ```
 */
export function col2im(cols: tf.Tensor, positions: number, g: ConvGeometry): tf.Tensor3D {
  const [B, out, kc] = cols.shape as [number, number, number];
  const C = kc / g.size;
  if (convLength(positions, g) !== out) {
    throw new RangeError(
      `col2im: cols hold ${out} outputs, the geometry gives ${convLength(positions, g)}`,
    );
  }
  if (isPointwise(g)) return tf.reshape(cols, [B, positions, C]) as tf.Tensor3D;
  if (hasLoopKernels()) return col2imKernel(cols, g, positions);
  return col2imSlices(cols, positions, g);
}

/**
 * {@link col2im} by slices, padding and sums only (any backend).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { col2imSlices } from "./conv1d.ts";
 * await tf.setBackend("cpu");
 * const back = col2imSlices(tf.ones([1, 3, 3]), 3, { size: 3, stride: 1, pad: 1 });
 * assert.deepEqual(await back.array(), [[[2], [3], [2]]]);
 * ```
 */
export function col2imSlices(cols: tf.Tensor, positions: number, g: ConvGeometry): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, out, kc] = cols.shape as [number, number, number];
    const C = kc / g.size;
    const plan = rowPlan(positions, C, g);
    let col = 0;
    const back = chunks(g).map(([q, w]) => {
      const part = tf.slice(cols, [0, 0, col * C], [B, out, w * C]);
      col += w;
      return tf.pad(part, [[0, 0], [q, plan.R - q - out], [0, (g.stride - w) * C]]);
    });
    const rows = back.length === 1 ? back[0] : tf.addN(back);
    return fromRows(rows, plan, g);
  });
}

type Grad = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
type CustomFn = Parameters<typeof tf.customGrad>[0];

/**
 * A 1-D convolution without bias: `x: [B, T, c_in]`, `W: [k * c_in, c_out]` (row `j * c_in + c`:
 * tap `j`, input channel `c`) -> `[B, out, c_out]`. Its gradients are written out (module doc).
 * With `inputGradient` false it is a function of `W` alone (`x` a constant: asking for a gradient
 * with respect to `x` through it is tfjs's "not connected" error), which saves the product that
 * would give `x`'s gradient: the networks' first convolution, whose input is the data.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { conv1d } from "./conv1d.ts";
 * await tf.setBackend("cpu");
 * // a moving sum of three neighbours
 * const y = conv1d(tf.tensor3d([[[1], [2], [3], [4]]]), tf.ones([3, 1]), {
 *   size: 3, stride: 2, pad: 1,
 * });
 * assert.deepEqual(await y.array(), [[[3], [9]]]);
 * ```
 */
export function conv1d(
  x: tf.Tensor,
  W: tf.Tensor,
  g: ConvGeometry,
  inputGradient = true,
): tf.Tensor3D {
  const [B, T] = x.shape as [number, number, number];
  const cout = W.shape[1] as number;
  // the product and the filters' gradient, shared by the two forms below
  const forward = (xi: tf.Tensor, wi: tf.Tensor) => {
    const cols = im2col(xi, g);
    const out = cols.shape[1];
    const flat = tf.reshape(cols, [B * out, cols.shape[2]]) as tf.Tensor2D;
    const value = tf.reshape(tf.matMul(flat, wi as tf.Tensor2D), [B, out, cout]);
    const dyRows = (dy: tf.Tensor) => tf.reshape(dy, [B * out, cout]) as tf.Tensor2D;
    return { flat, out, value, dyRows };
  };
  const filterGrad = (cols: tf.Tensor, dy2: tf.Tensor2D) =>
    tf.matMul(cols as tf.Tensor2D, dy2, true, false);
  if (!inputGradient) {
    // a function of W alone: x is a constant to the tape
    const weightsOnly = tf.customGrad(
      ((wi: tf.Tensor, save: tf.GradSaveFunc) => {
        const { flat, value, dyRows } = forward(x, wi);
        save([flat]);
        const gradFunc: Grad = (dy, [c]) => [filterGrad(c, dyRows(dy))];
        return { value, gradFunc };
      }) as unknown as CustomFn,
    );
    return weightsOnly(W) as tf.Tensor3D;
  }
  const op = tf.customGrad(
    ((xi: tf.Tensor, wi: tf.Tensor, save: tf.GradSaveFunc) => {
      const { flat, out, value, dyRows } = forward(xi, wi);
      save([flat, wi]);
      const gradFunc: Grad = (dy, [c, w]) => {
        const dy2 = dyRows(dy);
        const dcols = tf.reshape(tf.matMul(dy2, w as tf.Tensor2D, false, true), [B, out, -1]);
        return [col2im(dcols, T, g), filterGrad(c, dy2)];
      };
      return { value, gradFunc };
    }) as unknown as CustomFn,
  );
  return op(x, W) as tf.Tensor3D;
}

/**
 * A depthwise 1-D convolution: `x: [B, T, C]`, `w: [k, C]` (one filter per channel) -> `[B, out,
 * C]`, `y[b, t, c] = sum_j x[b, t s + j - p, c] w[j, c]`. Its gradients are written out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { depthwiseConv1d } from "./conv1d.ts";
 * await tf.setBackend("cpu");
 * const x = tf.tensor3d([[[1, 10], [2, 20], [3, 30]]]);
 * const y = depthwiseConv1d(x, tf.tensor2d([[1, 0], [1, 1], [0, 0]]), { size: 3, stride: 1, pad: 1 });
 * assert.deepEqual(await y.array(), [[[1, 10], [3, 20], [5, 30]]]);
 * ```
 */
export function depthwiseConv1d(x: tf.Tensor, w: tf.Tensor, g: ConvGeometry): tf.Tensor3D {
  if (hasLoopKernels()) {
    const out = convLength(x.shape[1] as number, g);
    const kernelOp = tf.customGrad(
      ((xi: tf.Tensor, wi: tf.Tensor, save: tf.GradSaveFunc) => {
        save([xi, wi]);
        const gradFunc: Grad = (dy, [xs, ws]) => depthwiseGradKernel(dy, xs, ws, g);
        return { value: depthwiseKernel(xi, wi, g, out), gradFunc };
      }) as unknown as CustomFn,
    );
    return kernelOp(x, w) as tf.Tensor3D;
  }
  const [B, T, C] = x.shape as [number, number, number];
  const plan = rowPlan(T, C, g);
  const out = plan.out;
  const tap = (rows: tf.Tensor, j: number): tf.Tensor => {
    const q = Math.floor(j / g.stride);
    const r = j % g.stride;
    return tf.slice(rows, [0, q, r * C], [B, out, C]);
  };
  const op = tf.customGrad(
    ((xi: tf.Tensor, wi: tf.Tensor, save: tf.GradSaveFunc) => {
      const rows = toRows(xi, plan, g);
      save([rows, wi]);
      const weights = tf.split(wi, g.size, 0);
      const terms = weights.map((wj, j) => tf.mul(tap(rows, j), wj));
      const value = terms.length === 1 ? terms[0] : tf.addN(terms);
      const gradFunc: Grad = (dy, [rs, ws]) => {
        const wsplit = tf.split(ws, g.size, 0);
        const dw = wsplit.map((_, j) =>
          tf.reshape(tf.sum(tf.reshape(tf.mul(dy, tap(rs, j)), [B * out, C]), 0), [1, C])
        );
        const back = wsplit.map((wj, j) => {
          const q = Math.floor(j / g.stride);
          const r = j % g.stride;
          return tf.pad(tf.mul(dy, wj), [[0, 0], [q, plan.R - q - out], [
            r * C,
            (g.stride - r - 1) * C,
          ]]);
        });
        const drows = back.length === 1 ? back[0] : tf.addN(back);
        return [fromRows(drows, plan, g), dw.length === 1 ? dw[0] : tf.concat(dw, 0)];
      };
      return { value, gradFunc };
    }) as unknown as CustomFn,
  );
  return op(x, w) as tf.Tensor3D;
}
