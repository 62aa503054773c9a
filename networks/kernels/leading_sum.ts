/**
 * A `Sum` over leading axes for the wasm backend, without the transpose.
 *
 * The gradient of a per-position bias sums `dY: [batch, positions, H]` over the batch axis. The
 * wasm backend reduces only innermost axes, so it first transposes the whole tensor. Summing rows
 * in place is cheaper: a loop over the heap, or one `sgemm` by a row of ones when a BLAS is loaded.
 * Any other reduction goes to the original kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Blas } from "../blas/openblas.ts";
import { originalKernel, overrideKernel, restoreKernel } from "./override.ts";

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: "float32"): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

/**
 * How many leading axes `axes` names when it names exactly `0 .. k-1` with `k < rank`, else 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { leadingAxes } from "./leading_sum.ts";
 * assert.ok(leadingAxes([0], 3) === 1);
 * assert.ok(leadingAxes([1, 0], 3) === 2);
 * assert.ok(leadingAxes([1], 3) === 0);
 * assert.ok(leadingAxes([0, 1, 2], 3) === 0);
 * ```
 */
export function leadingAxes(axes: readonly number[], rank: number): number {
  const sorted = [...new Set(axes.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
  if (sorted.length === 0 || sorted.length >= rank) return 0;
  return sorted.every((a, i) => a === i) ? sorted.length : 0;
}

/**
 * Sums the `rows` rows of `x` (`rows x cols`, row-major) into `out` (`cols`), in float32 like the
 * wasm kernel, with `blas` when given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sumRows } from "./leading_sum.ts";
 * const out = new Float32Array(2);
 * sumRows(new Float32Array([1, 2, 3, 4, 5, 6]), 3, 2, out);
 * assert.ok(out[0] === 9 && out[1] === 12);
 * ```
 */
export function sumRows(
  x: Float32Array,
  rows: number,
  cols: number,
  out: Float32Array,
  blas?: Pick<Blas, "sgemm">,
): void {
  if (blas !== undefined) {
    blas.sgemm(false, false, 1, cols, rows, new Float32Array(rows).fill(1), x, out);
    return;
  }
  out.set(x.subarray(0, cols));
  for (let r = 1; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[c] += x[base + c];
  }
}

/**
 * Registers the leading-axes Sum on the wasm backend (rows summed with `blas` when given).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-wasm";
 * import { restoreLeadingSum, useLeadingSum } from "./leading_sum.ts";
 * await tf.setBackend("wasm");
 * useLeadingSum();
 * const s = tf.sum(tf.tensor2d([[1, 2], [3, 4]]), 0);
 * assert.ok((await s.data())[1] === 6);
 * restoreLeadingSum();
 * ```
 */
export function useLeadingSum(blas?: Pick<Blas, "sgemm">): void {
  const original = originalKernel("wasm", "Sum");
  overrideKernel("wasm", "Sum", (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as {
      axis: number | number[];
      keepDims: boolean;
    };
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const k = leadingAxes(axes, rank);
    const rows = x.shape.slice(0, k).reduce((p, n) => p * n, 1);
    if (x.dtype !== "float32" || k === 0 || rows === 0) return original.kernelFunc(args);
    const kept = x.shape.slice(k);
    const cols = kept.reduce((p, n) => p * n, 1);
    const backend = args.backend as unknown as WasmBackendLike;
    const out = backend.makeOutput(
      keepDims ? [...x.shape.slice(0, k).map(() => 1), ...kept] : kept,
      "float32",
    );
    // Views after the output exists: allocating may have replaced the heap.
    sumRows(backend.typedArrayFromHeap(x), rows, cols, backend.typedArrayFromHeap(out), blas);
    return out;
  });
}

/**
 * Puts the wasm backend's own Sum back.
 *
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-wasm";
 * import { restoreLeadingSum } from "./leading_sum.ts";
 * restoreLeadingSum();
 * ```
 */
export function restoreLeadingSum(): void {
  restoreKernel("wasm", "Sum");
}
