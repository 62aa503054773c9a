/**
 * `im2col`, `col2im`, the max-pool of width 2, batch norm (with the ReLU after it fused in), the
 * residual sum with its ReLU, the depthwise convolution and the squeeze-excitation's gate (forward
 * and backward) as kernels of the wasm and cpu backends: plain loops over the tensors' memory (tfjs-wasm's heap or the cpu backend's
 * arrays). A window of `k` positions of a
 * channels-last row is one contiguous run of `k * C` numbers, so `im2col` is one copy per output
 * position (zeros where the window leaves the input) and `col2im` one run of additions. The
 * slice-and-pad form of `conv1d.ts` does the same with tfjs operations on any backend, but on wasm
 * its `Slice` kernels cost as much as the matrix products (measured: see BENCHMARKS.md); so do the
 * slices that split a max-pool's pairs.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { ensureLoopKernels, type MemoryAccess } from "../kernels/blas_matmul.ts";
import { simdLoopsOf } from "../kernels/simd_loops.ts";
import type { ConvGeometry } from "./geometry.ts";

/** The kernel names. */
export const IM2COL_KERNEL = "SrhmIm2Col1D";
/** The adjoint's kernel name. */
export const COL2IM_KERNEL = "SrhmCol2Im1D";
/** Max-pool of width 2: `x` -> `[y, first]` (`first` 1 where the pair's first position wins). */
export const MAXPOOL_KERNEL = "SrhmMaxPool2";
/** Its gradient: `(dy, first, length)` -> `dx`. */
export const MAXPOOL_GRAD_KERNEL = "SrhmMaxPool2Grad";
/** Depthwise convolution: `(x, w)` -> `y`. */
export const DEPTHWISE_KERNEL = "SrhmDepthwise1D";
/** Its gradient: `(dy, x, w)` -> `[dx, dw]`. */
export const DEPTHWISE_GRAD_KERNEL = "SrhmDepthwise1DGrad";
/** Per-sample channel gate `x * g` (`g: [B, 1, C]`) and spreading (`x` absent: `g` repeated). */
export const GATE_KERNEL = "SrhmGate";
/**
 * Batch norm in training: `(x, gamma, beta)` -> `[y, xhat, mean, variance, inv]` (attribute `relu`:
 * the ReLU after it fused in).
 */
export const BATCH_NORM_KERNEL = "SrhmBatchNorm";
/** Its gradient: `(dy, xhat, inv, gamma[, y])` -> `[dx, dgamma, dbeta]` (`y`: the fused ReLU's output). */
export const BATCH_NORM_GRAD_KERNEL = "SrhmBatchNormGrad";
/** Batch norm's running statistics: `(mean, variance, batchMean, batchVariance)` -> new `[mean, variance]`. */
export const RUNNING_STATS_KERNEL = "SrhmRunningStats";
/** A residual sum and its ReLU: `(a, b)` -> `max(0, a + b)`. */
export const ADD_RELU_KERNEL = "SrhmAddRelu";
/** The ReLU's gradient from its output: `(dy, y)` -> `dy` where `y > 0`, else 0. */
export const RELU_MASK_KERNEL = "SrhmReluMask";
/** Sum over positions of `a * b` (or of `a` alone): `[B, T, C]` -> `[B, 1, C]`, times `scale`. */
export const POSITION_SUM_KERNEL = "SrhmPositionSum";

/**
 * Copies the windows of `x` (`[B, T, C]`, row-major) into `cols` (`[B, out, k * C]`): window `t`
 * starts at input position `t s - p`; positions outside `[0, T)` give zeros.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { im2colInto } from "./loop_kernels.ts";
 * const cols = new Float32Array(3 * 3).fill(NaN);
 * im2colInto(new Float32Array([1, 2, 3]), 1, 3, 1, { size: 3, stride: 1, pad: 1 }, 3, cols);
 * assert.deepEqual([...cols], [0, 1, 2, 1, 2, 3, 2, 3, 0]);
 * ```
 */
export function im2colInto(
  x: Float32Array,
  B: number,
  T: number,
  C: number,
  g: ConvGeometry,
  out: number,
  cols: Float32Array,
): void {
  const row = g.size * C;
  // plain indexed loops: a subarray per window costs more than the copy for a few channels
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < out; t++) {
      const dst = (b * out + t) * row;
      const start = t * g.stride - g.pad;
      const lo = Math.max(0, start);
      const hi = Math.max(lo, Math.min(T, start + g.size));
      const head = (lo - start) * C;
      const body = (hi - lo) * C;
      const src = (b * T + lo) * C;
      for (let i = 0; i < head; i++) cols[dst + i] = 0;
      for (let i = 0; i < body; i++) cols[dst + head + i] = x[src + i];
      for (let i = head + body; i < row; i++) cols[dst + i] = 0;
    }
  }
}

/**
 * The adjoint of {@link im2colInto}: adds every window of `cols` back into `dx` (`[B, T, C]`,
 * overwritten).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { col2imInto } from "./loop_kernels.ts";
 * const dx = new Float32Array(3).fill(NaN);
 * col2imInto(new Float32Array(9).fill(1), 1, 3, 1, { size: 3, stride: 1, pad: 1 }, 3, dx);
 * assert.deepEqual([...dx], [2, 3, 2]);
 * ```
 */
export function col2imInto(
  cols: Float32Array,
  B: number,
  T: number,
  C: number,
  g: ConvGeometry,
  out: number,
  dx: Float32Array,
): void {
  const row = g.size * C;
  dx.fill(0);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < out; t++) {
      const start = t * g.stride - g.pad;
      const lo = Math.max(0, start);
      const hi = Math.min(T, start + g.size);
      if (hi <= lo) continue;
      const src = (b * out + t) * row + (lo - start) * C;
      const dst = (b * T + lo) * C;
      const n = (hi - lo) * C;
      for (let i = 0; i < n; i++) dx[dst + i] += cols[src + i];
    }
  }
}

/**
 * Max-pool of width 2 over positions: `y[b, t, c] = max(x[b, 2t, c], x[b, 2t + 1, c])` for
 * `t < floor(T / 2)`, and `first` = 1 where the first of the pair is the max (ties included), else 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { maxPool2Into } from "./loop_kernels.ts";
 * const y = new Float32Array(2);
 * const first = new Float32Array(2);
 * maxPool2Into(new Float32Array([1, 4, 3, 2, 9]), 1, 5, 1, y, first);
 * assert.deepEqual([...y, ...first], [4, 3, 0, 1]);
 * ```
 */
export function maxPool2Into(
  x: Float32Array,
  B: number,
  T: number,
  C: number,
  y: Float32Array,
  first: Float32Array,
): void {
  const half = Math.floor(T / 2);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < half; t++) {
      const a = (b * T + 2 * t) * C;
      const o = (b * half + t) * C;
      for (let c = 0; c < C; c++) {
        const u = x[a + c];
        const v = x[a + C + c];
        const f = u >= v;
        y[o + c] = f ? u : v;
        first[o + c] = f ? 1 : 0;
      }
    }
  }
}

/**
 * The gradient of {@link maxPool2Into}: `dy` goes to the position that won (`dx` overwritten; a
 * last odd position gets 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { maxPool2GradInto } from "./loop_kernels.ts";
 * const dx = new Float32Array(5).fill(NaN);
 * maxPool2GradInto(new Float32Array([10, 20]), new Float32Array([0, 1]), 1, 5, 1, dx);
 * assert.deepEqual([...dx], [0, 10, 20, 0, 0]);
 * ```
 */
export function maxPool2GradInto(
  dy: Float32Array,
  first: Float32Array,
  B: number,
  T: number,
  C: number,
  dx: Float32Array,
): void {
  const half = Math.floor(T / 2);
  dx.fill(0);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < half; t++) {
      const a = (b * T + 2 * t) * C;
      const o = (b * half + t) * C;
      for (let c = 0; c < C; c++) {
        const g = dy[o + c];
        if (first[o + c] === 1) dx[a + c] = g;
        else dx[a + C + c] = g;
      }
    }
  }
}

/**
 * Depthwise convolution: `y[b, t, c] = sum_j x[b, t s + j - p, c] w[j, c]` (zero outside the input).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { depthwiseInto } from "./loop_kernels.ts";
 * const y = new Float32Array(3);
 * depthwiseInto(new Float32Array([1, 2, 3]), new Float32Array([1, 1, 0]), 1, 3, 1,
 *   { size: 3, stride: 1, pad: 1 }, 3, y);
 * assert.deepEqual([...y], [1, 3, 5]);
 * ```
 */
export function depthwiseInto(
  x: Float32Array,
  w: Float32Array,
  B: number,
  T: number,
  C: number,
  g: ConvGeometry,
  out: number,
  y: Float32Array,
): void {
  y.fill(0);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < out; t++) {
      const o = (b * out + t) * C;
      for (let j = 0; j < g.size; j++) {
        const p = t * g.stride + j - g.pad;
        if (p < 0 || p >= T) continue;
        const i = (b * T + p) * C;
        const wj = j * C;
        for (let c = 0; c < C; c++) y[o + c] += x[i + c] * w[wj + c];
      }
    }
  }
}

/**
 * The gradients of {@link depthwiseInto}: `dx` and `dw` (both overwritten).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { depthwiseGradInto } from "./loop_kernels.ts";
 * const dx = new Float32Array(3);
 * const dw = new Float32Array(3);
 * depthwiseGradInto(new Float32Array([1, 1, 1]), new Float32Array([1, 2, 3]),
 *   new Float32Array([1, 1, 0]), 1, 3, 1, { size: 3, stride: 1, pad: 1 }, 3, dx, dw);
 * assert.deepEqual([...dx, ...dw], [2, 2, 1, 3, 6, 5]);
 * ```
 */
export function depthwiseGradInto(
  dy: Float32Array,
  x: Float32Array,
  w: Float32Array,
  B: number,
  T: number,
  C: number,
  g: ConvGeometry,
  out: number,
  dx: Float32Array,
  dw: Float32Array,
): void {
  dx.fill(0);
  dw.fill(0);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < out; t++) {
      const o = (b * out + t) * C;
      for (let j = 0; j < g.size; j++) {
        const p = t * g.stride + j - g.pad;
        if (p < 0 || p >= T) continue;
        const i = (b * T + p) * C;
        const wj = j * C;
        for (let c = 0; c < C; c++) {
          const d = dy[o + c];
          dx[i + c] += d * w[wj + c];
          dw[wj + c] += d * x[i + c];
        }
      }
    }
  }
}

/**
 * `y[b, t, c] = x[b, t, c] * g[b, c]`, or `g[b, c]` alone when `x` is `null` (spreading over `T`
 * positions), times `scale`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gateInto } from "./loop_kernels.ts";
 * const y = new Float32Array(4);
 * gateInto(new Float32Array([1, 2, 3, 4]), new Float32Array([10, 100]), 1, 2, 2, 1, y);
 * assert.deepEqual([...y], [10, 200, 30, 400]);
 * gateInto(null, new Float32Array([10, 100]), 1, 2, 2, 0.5, y);
 * assert.deepEqual([...y], [5, 50, 5, 50]);
 * ```
 */
export function gateInto(
  x: Float32Array | null,
  g: Float32Array,
  B: number,
  T: number,
  C: number,
  scale: number,
  y: Float32Array,
): void {
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const o = (b * T + t) * C;
      const gb = b * C;
      if (x === null) {
        for (let c = 0; c < C; c++) y[o + c] = g[gb + c] * scale;
      } else {
        for (let c = 0; c < C; c++) y[o + c] = x[o + c] * g[gb + c] * scale;
      }
    }
  }
}

/**
 * `s[b, c] = scale * sum_t a[b, t, c] b[b, t, c]` (or of `a` alone when `b` is `null`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { positionSumInto } from "./loop_kernels.ts";
 * const s = new Float32Array(2);
 * positionSumInto(new Float32Array([1, 2, 3, 4]), null, 1, 2, 2, 0.5, s);
 * assert.deepEqual([...s], [2, 3]);
 * positionSumInto(new Float32Array([1, 2, 3, 4]), new Float32Array([1, 1, 2, 0]), 1, 2, 2, 1, s);
 * assert.deepEqual([...s], [7, 2]);
 * ```
 */
export function positionSumInto(
  a: Float32Array,
  b: Float32Array | null,
  B: number,
  T: number,
  C: number,
  scale: number,
  s: Float32Array,
): void {
  s.fill(0);
  for (let i = 0; i < B; i++) {
    const o = i * C;
    for (let t = 0; t < T; t++) {
      const r = (i * T + t) * C;
      if (b === null) {
        for (let c = 0; c < C; c++) s[o + c] += a[r + c];
      } else {
        for (let c = 0; c < C; c++) s[o + c] += a[r + c] * b[r + c];
      }
    }
    for (let c = 0; c < C; c++) s[o + c] *= scale;
  }
}

/**
 * Training-mode batch norm over the `N` rows of `x` (`[N, C]`): per channel, `mean`, biased
 * `variance`, `inv = 1 / sqrt(variance + eps)`, `xhat = (x - mean) inv`, `y = gamma xhat + beta`
 * (sums in double precision); with `relu`, `y = max(0, gamma xhat + beta)` (a batch norm and the
 * ReLU after it in one pass).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { batchNormInto } from "./loop_kernels.ts";
 * const [y, xhat] = [new Float32Array(2), new Float32Array(2)];
 * const [mean, variance, inv] = [new Float32Array(1), new Float32Array(1), new Float32Array(1)];
 * batchNormInto(new Float32Array([1, 3]), new Float32Array([2]), new Float32Array([1]), 2, 1, 0,
 *   y, xhat, mean, variance, inv);
 * assert.deepEqual([...y, mean[0], variance[0]], [-1, 3, 2, 1]);
 * ```
 */
export function batchNormInto(
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  N: number,
  C: number,
  eps: number,
  y: Float32Array,
  xhat: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  inv: Float32Array,
  relu = false,
): void {
  const sum = new Float64Array(C);
  for (let r = 0; r < N; r++) {
    const o = r * C;
    for (let c = 0; c < C; c++) sum[c] += x[o + c];
  }
  for (let c = 0; c < C; c++) mean[c] = sum[c] / N;
  const sq = new Float64Array(C);
  for (let r = 0; r < N; r++) {
    const o = r * C;
    for (let c = 0; c < C; c++) {
      const d = x[o + c] - mean[c];
      sq[c] += d * d;
    }
  }
  for (let c = 0; c < C; c++) {
    variance[c] = sq[c] / N;
    inv[c] = 1 / Math.sqrt(variance[c] + eps);
  }
  for (let r = 0; r < N; r++) {
    const o = r * C;
    for (let c = 0; c < C; c++) {
      const h = (x[o + c] - mean[c]) * inv[c];
      xhat[o + c] = h;
      const a = gamma[c] * h + beta[c];
      y[o + c] = relu && a <= 0 ? 0 : a;
    }
  }
}

/**
 * The gradients of {@link batchNormInto}: `dbeta = sum dy`, `dgamma = sum dy xhat`,
 * `dx = gamma inv (dy - dbeta / N - xhat dgamma / N)`. Given `y`, the output of the batch norm with
 * ReLU, `dy` is first zeroed where `y` is not positive (the ReLU's gradient).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { batchNormGradInto } from "./loop_kernels.ts";
 * const [dx, dgamma, dbeta] = [new Float32Array(2), new Float32Array(1), new Float32Array(1)];
 * batchNormGradInto(new Float32Array([1, 1]), new Float32Array([-1, 1]), new Float32Array([1]),
 *   new Float32Array([2]), 2, 1, dx, dgamma, dbeta);
 * assert.deepEqual([...dx, dgamma[0], dbeta[0]], [0, 0, 0, 2]);
 * ```
 */
export function batchNormGradInto(
  dy: Float32Array,
  xhat: Float32Array,
  inv: Float32Array,
  gamma: Float32Array,
  N: number,
  C: number,
  dx: Float32Array,
  dgamma: Float32Array,
  dbeta: Float32Array,
  y?: Float32Array,
): void {
  const sb = new Float64Array(C);
  const sg = new Float64Array(C);
  if (y !== undefined) {
    const masked = new Float32Array(N * C);
    for (let i = 0; i < N * C; i++) masked[i] = y[i] > 0 ? dy[i] : 0;
    dy = masked;
  }
  for (let r = 0; r < N; r++) {
    const o = r * C;
    for (let c = 0; c < C; c++) {
      const d = dy[o + c];
      sb[c] += d;
      sg[c] += d * xhat[o + c];
    }
  }
  const k = new Float32Array(C);
  const mb = new Float32Array(C);
  const mg = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    dbeta[c] = sb[c];
    dgamma[c] = sg[c];
    k[c] = gamma[c] * inv[c];
    mb[c] = sb[c] / N;
    mg[c] = sg[c] / N;
  }
  for (let r = 0; r < N; r++) {
    const o = r * C;
    for (let c = 0; c < C; c++) dx[o + c] = k[c] * (dy[o + c] - mb[c] - xhat[o + c] * mg[c]);
  }
}

/**
 * `y = max(0, a + b)`, element by element (a residual sum and the ReLU after it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addReluInto } from "./loop_kernels.ts";
 * const y = new Float32Array(3);
 * addReluInto(new Float32Array([1, -2, 3]), new Float32Array([1, 1, -4]), y);
 * assert.deepEqual([...y], [2, 0, 0]);
 * ```
 */
export function addReluInto(a: Float32Array, b: Float32Array, y: Float32Array): void {
  for (let i = 0; i < y.length; i++) {
    const s = a[i] + b[i];
    y[i] = s <= 0 ? 0 : s;
  }
}

/**
 * The gradient of a ReLU from its output: `dx = dy` where `y > 0`, else 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reluMaskInto } from "./loop_kernels.ts";
 * const dx = new Float32Array(3);
 * reluMaskInto(new Float32Array([5, 6, 7]), new Float32Array([1, 0, 2]), dx);
 * assert.deepEqual([...dx], [5, 0, 7]);
 * ```
 */
export function reluMaskInto(dy: Float32Array, y: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < dx.length; i++) dx[i] = y[i] > 0 ? dy[i] : 0;
}

/**
 * Batch norm's running statistics after one batch of `N` rows: `mean' = mean (1 - m) + batchMean m`,
 * `variance' = variance (1 - m) + batchVariance N / (N - 1) m` (the unbiased variance; `N / (N - 1)`
 * omitted for one row), each operation rounded to single precision as tfjs's operations round it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runningStatsInto } from "./loop_kernels.ts";
 * const [mean, variance] = [new Float32Array(1), new Float32Array(1)];
 * runningStatsInto(new Float32Array([0]), new Float32Array([1]), new Float32Array([1]),
 *   new Float32Array([2]), 3, 0.5, mean, variance);
 * assert.deepEqual([mean[0], variance[0]], [0.5, 2]); // (1 + 2 * 3 / 2) / 2
 * ```
 */
export function runningStatsInto(
  mean: Float32Array,
  variance: Float32Array,
  batchMean: Float32Array,
  batchVariance: Float32Array,
  N: number,
  momentum: number,
  meanOut: Float32Array,
  varianceOut: Float32Array,
): void {
  const f = Math.fround;
  const [keep, m, unbias] = [f(1 - momentum), f(momentum), f(N / (N - 1))];
  for (let c = 0; c < mean.length; c++) {
    meanOut[c] = f(f(mean[c] * keep) + f(batchMean[c] * m));
    const u = N > 1 ? f(batchVariance[c] * unbias) : batchVariance[c];
    varianceOut[c] = f(f(variance[c] * keep) + f(u * m));
  }
}

interface Attrs extends ConvGeometry {
  /** Input positions `T`. */
  readonly length: number;
  /** Output positions. */
  readonly out: number;
}

const offset = (view: Float32Array): number => view.byteOffset;

/**
 * Registers the kernels on `backendName`. On tfjs-backend-wasm, `im2col`, `col2im` and batch norm
 * run the WebAssembly SIMD loops of `../kernels/simd_loops.ts` on the backend's heap (3-16x faster
 * than these JavaScript loops, the same numbers: tests/simd_loops_test.ts); elsewhere, and where
 * the engine has no SIMD, the JavaScript loops above.
 */
function register(backendName: string, memory: MemoryAccess): void {
  tf.registerKernel({
    kernelName: RUNNING_STATS_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const k = backend as tf.KernelBackend;
      const { N, momentum } = attrs as unknown as { N: number; momentum: number };
      const shape = [...(inputs.mean as tf.TensorInfo).shape];
      const outs = [memory.output(shape, k), memory.output(shape, k)];
      const [mean, variance, batchMean, batchVariance] = [
        inputs.mean,
        inputs.variance,
        inputs.batchMean,
        inputs.batchVariance,
      ].map((t) => memory.view(t as tf.TensorInfo, k));
      const [meanOut, varianceOut] = outs.map((o) => memory.view(o.info, k));
      runningStatsInto(mean, variance, batchMean, batchVariance, N, momentum, meanOut, varianceOut);
      return outs.map((o) => o.info);
    },
  });
  tf.registerKernel({
    kernelName: ADD_RELU_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend }) => {
      const k = backend as tf.KernelBackend;
      const a = inputs.a as tf.TensorInfo;
      const y = memory.output([...a.shape], k);
      const [as, bs] = [a, inputs.b as tf.TensorInfo].map((t) => memory.view(t, k));
      const simd = simdLoopsOf(backend);
      if (simd !== null) {
        simd.add_relu(as.byteOffset, bs.byteOffset, as.length, y.values.byteOffset);
      } else {
        addReluInto(as, bs, y.values);
      }
      return y.info;
    },
  });
  tf.registerKernel({
    kernelName: RELU_MASK_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend }) => {
      const k = backend as tf.KernelBackend;
      const dy = inputs.dy as tf.TensorInfo;
      const dx = memory.output([...dy.shape], k);
      const [dys, ys] = [dy, inputs.y as tf.TensorInfo].map((t) => memory.view(t, k));
      const simd = simdLoopsOf(backend);
      if (simd !== null) {
        simd.relu_mask(dys.byteOffset, ys.byteOffset, dys.length, dx.values.byteOffset);
      } else {
        reluMaskInto(dys, ys, dx.values);
      }
      return dx.info;
    },
  });
  tf.registerKernel({
    kernelName: IM2COL_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = inputs.x as tf.TensorInfo;
      const a = attrs as unknown as Attrs;
      const [B, T, C] = x.shape;
      const result = memory.output([B, a.out, a.size * C], backend as tf.KernelBackend);
      const xs = memory.view(x, backend as tf.KernelBackend);
      const simd = simdLoopsOf(backend);
      if (simd !== null) {
        const cols = result.values.byteOffset;
        simd.im2col(xs.byteOffset, B, T, C, a.size, a.stride, a.pad, a.out, cols);
      } else {
        im2colInto(xs, B, T, C, a, a.out, result.values);
      }
      return result.info;
    },
  });
  tf.registerKernel({
    kernelName: COL2IM_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cols = inputs.x as tf.TensorInfo;
      const a = attrs as unknown as Attrs;
      const [B, out, kc] = cols.shape;
      const C = kc / a.size;
      const result = memory.output([B, a.length, C], backend as tf.KernelBackend);
      const cs = memory.view(cols, backend as tf.KernelBackend);
      const simd = simdLoopsOf(backend);
      if (simd !== null) {
        const dx = result.values.byteOffset;
        simd.col2im(cs.byteOffset, B, a.length, C, a.size, a.stride, a.pad, out, dx);
      } else {
        col2imInto(cs, B, a.length, C, a, out, result.values);
      }
      return result.info;
    },
  });
  tf.registerKernel({
    kernelName: BATCH_NORM_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = inputs.x as tf.TensorInfo;
      const { eps, relu } = attrs as unknown as { eps: number; relu?: boolean };
      const C = x.shape[x.shape.length - 1];
      const N = x.shape.reduce((p, n) => p * n, 1) / C;
      const k = backend as tf.KernelBackend;
      const outs = [x.shape, x.shape, [C], [C], [C]].map((s) => memory.output([...s], k));
      const [y, xhat, mean, variance, inv] = outs.map((o) => memory.view(o.info, k));
      const gamma = memory.view(inputs.gamma as tf.TensorInfo, k);
      const beta = memory.view(inputs.beta as tf.TensorInfo, k);
      const xs = memory.view(x, k);
      const simd = simdLoopsOf(backend);
      if (simd !== null) {
        const [py, pxhat, pmean, pvariance, pinv] = [y, xhat, mean, variance, inv].map(offset);
        simd.batch_norm(
          xs.byteOffset,
          gamma.byteOffset,
          beta.byteOffset,
          N,
          C,
          eps,
          py,
          pxhat,
          pmean,
          pvariance,
          pinv,
          relu === true ? 1 : 0,
        );
      } else {
        batchNormInto(xs, gamma, beta, N, C, eps, y, xhat, mean, variance, inv, relu === true);
      }
      return outs.map((o) => o.info);
    },
  });
  tf.registerKernel({
    kernelName: BATCH_NORM_GRAD_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend }) => {
      const dy = inputs.dy as tf.TensorInfo;
      const C = dy.shape[dy.shape.length - 1];
      const N = dy.shape.reduce((p, n) => p * n, 1) / C;
      const k = backend as tf.KernelBackend;
      const outs = [dy.shape, [C], [C]].map((s) => memory.output([...s], k));
      const [dx, dgamma, dbeta] = outs.map((o) => memory.view(o.info, k));
      const [dys, xhat, inv, gamma] = [dy, inputs.xhat, inputs.inv, inputs.gamma].map((t) =>
        memory.view(t as tf.TensorInfo, k)
      );
      const y = inputs.y === undefined ? undefined : memory.view(inputs.y as tf.TensorInfo, k);
      const simd = simdLoopsOf(backend);
      if (simd !== null) {
        const [pdys, pxhat, pinv, pgamma, pdx, pdgamma, pdbeta] = [
          dys,
          xhat,
          inv,
          gamma,
          dx,
          dgamma,
          dbeta,
        ].map(offset);
        const [py, relu] = y === undefined ? [0, 0] : [y.byteOffset, 1];
        simd.batch_norm_grad(pdys, pxhat, pinv, pgamma, N, C, pdx, pdgamma, pdbeta, py, relu);
      } else {
        batchNormGradInto(dys, xhat, inv, gamma, N, C, dx, dgamma, dbeta, y);
      }
      return outs.map((o) => o.info);
    },
  });
  tf.registerKernel({
    kernelName: DEPTHWISE_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = inputs.x as tf.TensorInfo;
      const w = inputs.w as tf.TensorInfo;
      const a = attrs as unknown as Attrs;
      const [B, T, C] = x.shape;
      const k = backend as tf.KernelBackend;
      const y = memory.output([B, a.out, C], k);
      depthwiseInto(
        memory.view(x, k),
        memory.view(w, k),
        B,
        T,
        C,
        a,
        a.out,
        memory.view(y.info, k),
      );
      return y.info;
    },
  });
  tf.registerKernel({
    kernelName: DEPTHWISE_GRAD_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const dy = inputs.dy as tf.TensorInfo;
      const x = inputs.x as tf.TensorInfo;
      const w = inputs.w as tf.TensorInfo;
      const a = attrs as unknown as Attrs;
      const [B, T, C] = x.shape;
      const k = backend as tf.KernelBackend;
      const dx = memory.output([B, T, C], k);
      const dw = memory.output([...w.shape], k);
      depthwiseGradInto(
        memory.view(dy, k),
        memory.view(x, k),
        memory.view(w, k),
        B,
        T,
        C,
        a,
        a.out,
        memory.view(dx.info, k),
        memory.view(dw.info, k),
      );
      return [dx.info, dw.info];
    },
  });
  tf.registerKernel({
    kernelName: GATE_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const g = inputs.g as tf.TensorInfo;
      const x = (inputs.x ?? null) as tf.TensorInfo | null;
      const { length, scale } = attrs as unknown as { length: number; scale: number };
      const [B, , C] = g.shape;
      const k = backend as tf.KernelBackend;
      const y = memory.output([B, length, C], k);
      const xs = x === null ? null : memory.view(x, k);
      gateInto(xs, memory.view(g, k), B, length, C, scale, memory.view(y.info, k));
      return y.info;
    },
  });
  tf.registerKernel({
    kernelName: POSITION_SUM_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const a = inputs.a as tf.TensorInfo;
      const b = (inputs.b ?? null) as tf.TensorInfo | null;
      const { scale } = attrs as unknown as { scale: number };
      const [B, T, C] = a.shape;
      const k = backend as tf.KernelBackend;
      const s = memory.output([B, 1, C], k);
      const bs = b === null ? null : memory.view(b, k);
      positionSumInto(memory.view(a, k), bs, B, T, C, scale, memory.view(s.info, k));
      return s.info;
    },
  });
  tf.registerKernel({
    kernelName: MAXPOOL_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x as tf.TensorInfo;
      const [B, T, C] = x.shape;
      const k = backend as tf.KernelBackend;
      const shape = [B, Math.floor(T / 2), C];
      const y = memory.output(shape, k);
      const first = memory.output(shape, k);
      // views after the outputs exist: allocating may have replaced the wasm heap
      maxPool2Into(memory.view(x, k), B, T, C, memory.view(y.info, k), memory.view(first.info, k));
      return [y.info, first.info];
    },
  });
  tf.registerKernel({
    kernelName: MAXPOOL_GRAD_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const dy = inputs.dy as tf.TensorInfo;
      const first = inputs.first as tf.TensorInfo;
      const T = (attrs as unknown as { length: number }).length;
      const [B, , C] = dy.shape;
      const k = backend as tf.KernelBackend;
      const dx = memory.output([B, T, C], k);
      maxPool2GradInto(memory.view(dy, k), memory.view(first, k), B, T, C, memory.view(dx.info, k));
      return dx.info;
    },
  });
}

/**
 * Training-mode batch norm by the kernel: `x: [..., C]` -> `[y, xhat, mean, variance, inv]`; with
 * `relu`, `y` is the ReLU of the batch norm.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { batchNormKernel, hasLoopKernels } from "./loop_kernels.ts";
 * await tf.setBackend("cpu");
 * assert.ok(hasLoopKernels());
 * const [y] = batchNormKernel(tf.tensor3d([[[1], [3]]]), tf.ones([1]), tf.zeros([1]), 0);
 * assert.deepEqual(await y.array(), [[[-1], [1]]]);
 * ```
 */
export function batchNormKernel(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps: number,
  relu = false,
): tf.Tensor[] {
  return tf.engine().runKernel(
    BATCH_NORM_KERNEL,
    { x, gamma, beta },
    { eps, relu } as unknown as tf.NamedAttrMap,
  ) as unknown as tf.Tensor[];
}

/**
 * Batch norm's gradients by the kernel: `[dx, dgamma, dbeta]` (given `y`, the output of a batch
 * norm with ReLU, through the ReLU too).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { batchNormGradKernel, hasLoopKernels } from "./loop_kernels.ts";
 * await tf.setBackend("cpu");
 * assert.ok(hasLoopKernels());
 * const [, , dbeta] = batchNormGradKernel(tf.ones([1, 2, 1]), tf.tensor3d([[[-1], [1]]]),
 *   tf.ones([1]), tf.ones([1]));
 * assert.deepEqual(await dbeta.array(), [2]);
 * ```
 */
export function batchNormGradKernel(
  dy: tf.Tensor,
  xhat: tf.Tensor,
  inv: tf.Tensor,
  gamma: tf.Tensor,
  y?: tf.Tensor,
): tf.Tensor[] {
  return tf.engine().runKernel(
    BATCH_NORM_GRAD_KERNEL,
    y === undefined ? { dy, xhat, inv, gamma } : { dy, xhat, inv, gamma, y },
    {},
  ) as unknown as tf.Tensor[];
}

/**
 * Depthwise convolution by the kernel: `x: [B, T, C]`, `w: [k, C]` -> `[B, out, C]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { depthwiseKernel, hasLoopKernels } from "./loop_kernels.ts";
 * await tf.setBackend("cpu");
 * assert.ok(hasLoopKernels());
 * const y = depthwiseKernel(tf.tensor3d([[[1], [2], [3]]]), tf.ones([3, 1]), { size: 3, stride: 2, pad: 1 }, 2);
 * assert.deepEqual(await y.array(), [[[3], [5]]]);
 * ```
 */
export function depthwiseKernel(
  x: tf.Tensor,
  w: tf.Tensor,
  g: ConvGeometry,
  out: number,
): tf.Tensor3D {
  const attrs = { size: g.size, stride: g.stride, pad: g.pad, length: x.shape[1], out };
  return tf.engine().runKernel(
    DEPTHWISE_KERNEL,
    { x, w },
    attrs as unknown as tf.NamedAttrMap,
  ) as tf.Tensor3D;
}

/**
 * The depthwise convolution's gradients by the kernel: `[dx, dw]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { depthwiseGradKernel, hasLoopKernels } from "./loop_kernels.ts";
 * await tf.setBackend("cpu");
 * assert.ok(hasLoopKernels());
 * const [dx, dw] = depthwiseGradKernel(tf.ones([1, 2, 1]), tf.tensor3d([[[1], [2], [3]]]),
 *   tf.ones([3, 1]), { size: 3, stride: 2, pad: 1 });
 * assert.deepEqual([await dx.array(), await dw.array()], [[[[1], [2], [1]]], [[2], [4], [2]]]);
 * ```
 */
export function depthwiseGradKernel(
  dy: tf.Tensor,
  x: tf.Tensor,
  w: tf.Tensor,
  g: ConvGeometry,
): [tf.Tensor3D, tf.Tensor2D] {
  const attrs = {
    size: g.size,
    stride: g.stride,
    pad: g.pad,
    length: x.shape[1],
    out: dy.shape[1],
  };
  return tf.engine().runKernel(
    DEPTHWISE_GRAD_KERNEL,
    { dy, x, w },
    attrs as unknown as tf.NamedAttrMap,
  ) as unknown as [tf.Tensor3D, tf.Tensor2D];
}

/**
 * `x * g` with `g: [B, 1, C]` spread over the positions (or, without `x`, `g` spread over `length`
 * positions), times `scale`, by the kernel.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { gateKernel, hasLoopKernels } from "./loop_kernels.ts";
 * await tf.setBackend("cpu");
 * assert.ok(hasLoopKernels());
 * const y = gateKernel(tf.tensor3d([[[2]]]), 3, 0.5);
 * assert.deepEqual(await y.array(), [[[1], [1], [1]]]);
 * ```
 */
export function gateKernel(g: tf.Tensor, length: number, scale = 1, x?: tf.Tensor): tf.Tensor3D {
  return tf.engine().runKernel(
    GATE_KERNEL,
    x === undefined ? { g } : { g, x },
    { length, scale } as unknown as tf.NamedAttrMap,
  ) as tf.Tensor3D;
}

/**
 * `scale * sum_t a * b` (or of `a` alone) by the kernel: `[B, T, C]` -> `[B, 1, C]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { hasLoopKernels, positionSumKernel } from "./loop_kernels.ts";
 * await tf.setBackend("cpu");
 * assert.ok(hasLoopKernels());
 * const s = positionSumKernel(tf.tensor3d([[[1], [3]]]), 0.5);
 * assert.deepEqual(await s.array(), [[[2]]]);
 * ```
 */
export function positionSumKernel(a: tf.Tensor, scale = 1, b?: tf.Tensor): tf.Tensor3D {
  return tf.engine().runKernel(
    POSITION_SUM_KERNEL,
    b === undefined ? { a } : { a, b },
    { scale } as unknown as tf.NamedAttrMap,
  ) as tf.Tensor3D;
}

/**
 * Max-pool of width 2 by the kernel: `[B, T, C]` -> `[y, first]`, both `[B, floor(T / 2), C]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { hasLoopKernels, maxPool2Kernel } from "./loop_kernels.ts";
 * await tf.setBackend("cpu");
 * assert.ok(hasLoopKernels());
 * const [y] = maxPool2Kernel(tf.tensor3d([[[1], [4], [3]]]));
 * assert.deepEqual(await y.array(), [[[4]]]);
 * ```
 */
export function maxPool2Kernel(x: tf.Tensor): [tf.Tensor3D, tf.Tensor3D] {
  return tf.engine().runKernel(MAXPOOL_KERNEL, { x }, {}) as unknown as [tf.Tensor3D, tf.Tensor3D];
}

/**
 * The max-pool's gradient by the kernel: `dy`, `first` (`[B, floor(T / 2), C]`) -> `[B, T, C]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { hasLoopKernels, maxPool2GradKernel } from "./loop_kernels.ts";
 * await tf.setBackend("cpu");
 * assert.ok(hasLoopKernels());
 * const dx = maxPool2GradKernel(tf.tensor3d([[[5]]]), tf.tensor3d([[[0]]]), 3);
 * assert.deepEqual(await dx.array(), [[[0], [5], [0]]]);
 * ```
 */
export function maxPool2GradKernel(dy: tf.Tensor, first: tf.Tensor, length: number): tf.Tensor3D {
  return tf.engine().runKernel(
    MAXPOOL_GRAD_KERNEL,
    { dy, first },
    { length } as unknown as tf.NamedAttrMap,
  ) as tf.Tensor3D;
}

/**
 * Batch norm's running statistics after a batch of `N` rows by the kernel: `[mean', variance']`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { hasLoopKernels, runningStatsKernel } from "./loop_kernels.ts";
 * await tf.setBackend("cpu");
 * assert.ok(hasLoopKernels());
 * const [m, v] = runningStatsKernel(tf.zeros([1]), tf.ones([1]), tf.ones([1]), tf.ones([1]), 2, 0.5);
 * assert.deepEqual([await m.array(), await v.array()], [[0.5], [1.5]]);
 * ```
 */
export function runningStatsKernel(
  mean: tf.Tensor,
  variance: tf.Tensor,
  batchMean: tf.Tensor,
  batchVariance: tf.Tensor,
  N: number,
  momentum: number,
): [tf.Tensor, tf.Tensor] {
  return tf.engine().runKernel(
    RUNNING_STATS_KERNEL,
    { mean, variance, batchMean, batchVariance },
    { N, momentum } as unknown as tf.NamedAttrMap,
  ) as unknown as [tf.Tensor, tf.Tensor];
}

/**
 * `max(0, a + b)` by the kernel (`a`, `b` of one shape).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { addReluKernel, hasLoopKernels } from "./loop_kernels.ts";
 * await tf.setBackend("cpu");
 * assert.ok(hasLoopKernels());
 * const y = addReluKernel(tf.tensor1d([1, -2]), tf.tensor1d([1, 1]));
 * assert.deepEqual(await y.array(), [2, 0]);
 * ```
 */
export function addReluKernel(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.engine().runKernel(ADD_RELU_KERNEL, { a, b }, {}) as tf.Tensor;
}

/**
 * A ReLU's gradient from its output `y` by the kernel: `dy` where `y > 0`, else 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { hasLoopKernels, reluMaskKernel } from "./loop_kernels.ts";
 * await tf.setBackend("cpu");
 * assert.ok(hasLoopKernels());
 * const dx = reluMaskKernel(tf.tensor1d([5, 6]), tf.tensor1d([0, 1]));
 * assert.deepEqual(await dx.array(), [0, 6]);
 * ```
 */
export function reluMaskKernel(dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.engine().runKernel(RELU_MASK_KERNEL, { dy, y }, {}) as tf.Tensor;
}

/**
 * Whether the current backend has the kernels (registering them on first use for `wasm` and
 * `cpu`; other backends, e.g. webgpu, use the slice-and-pad form).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { hasLoopKernels } from "./loop_kernels.ts";
 * await tf.setBackend("cpu");
 * assert.ok(hasLoopKernels());
 * ```
 */
export function hasLoopKernels(): boolean {
  return ensureLoopKernels(IM2COL_KERNEL, register);
}

/**
 * `im2col` by the kernel: `[B, T, C]` -> `[B, out, k * C]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { hasLoopKernels, im2colKernel } from "./loop_kernels.ts";
 * await tf.setBackend("cpu");
 * assert.ok(hasLoopKernels());
 * const cols = im2colKernel(tf.tensor3d([[[1], [2], [3]]]), { size: 3, stride: 2, pad: 1 }, 2);
 * assert.deepEqual(await cols.array(), [[[0, 1, 2], [2, 3, 0]]]);
 * ```
 */
export function im2colKernel(x: tf.Tensor, g: ConvGeometry, out: number): tf.Tensor3D {
  const attrs = { size: g.size, stride: g.stride, pad: g.pad, length: x.shape[1], out };
  return tf.engine().runKernel(
    IM2COL_KERNEL,
    { x },
    attrs as unknown as tf.NamedAttrMap,
  ) as tf.Tensor3D;
}

/**
 * `col2im` by the kernel: `[B, out, k * C]` -> `[B, length, C]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { col2imKernel, hasLoopKernels } from "./loop_kernels.ts";
 * await tf.setBackend("cpu");
 * assert.ok(hasLoopKernels());
 * const dx = col2imKernel(tf.ones([1, 2, 3]), { size: 3, stride: 2, pad: 1 }, 3);
 * assert.deepEqual(await dx.array(), [[[1], [2], [1]]]);
 * ```
 */
export function col2imKernel(cols: tf.Tensor, g: ConvGeometry, length: number): tf.Tensor3D {
  const attrs = { size: g.size, stride: g.stride, pad: g.pad, length, out: cols.shape[1] };
  return tf.engine().runKernel(
    COL2IM_KERNEL,
    { x: cols },
    attrs as unknown as tf.NamedAttrMap,
  ) as tf.Tensor3D;
}
