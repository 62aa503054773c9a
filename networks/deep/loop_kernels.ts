/**
 * `im2col`, `col2im` and the max-pool of width 2 (forward and backward) as kernels of the wasm and
 * cpu backends: plain loops over the tensors' memory (tfjs-wasm's heap or the cpu backend's
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
import { cpuMemory, type MemoryAccess, wasmMemory } from "../kernels/blas_matmul.ts";
import type { ConvGeometry } from "./conv1d.ts";

/** The kernel names. */
export const IM2COL_KERNEL = "SrhmIm2Col1D";
/** The adjoint's kernel name. */
export const COL2IM_KERNEL = "SrhmCol2Im1D";
/** Max-pool of width 2: `x` -> `[y, first]` (`first` 1 where the pair's first position wins). */
export const MAXPOOL_KERNEL = "SrhmMaxPool2";
/** Its gradient: `(dy, first, length)` -> `dx`. */
export const MAXPOOL_GRAD_KERNEL = "SrhmMaxPool2Grad";

/** The backends that get the kernels, and how each reaches tensor memory. */
const MEMORY: Record<string, MemoryAccess> = { wasm: wasmMemory, cpu: cpuMemory };

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
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < out; t++) {
      const dst = (b * out + t) * row;
      const start = t * g.stride - g.pad;
      const lo = Math.max(0, start);
      const hi = Math.min(T, start + g.size);
      if (hi <= lo) {
        cols.fill(0, dst, dst + row);
        continue;
      }
      if (lo > start) cols.fill(0, dst, dst + (lo - start) * C);
      cols.set(x.subarray((b * T + lo) * C, (b * T + hi) * C), dst + (lo - start) * C);
      if (start + g.size > hi) cols.fill(0, dst + (hi - start) * C, dst + row);
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

interface Attrs extends ConvGeometry {
  /** Input positions `T`. */
  readonly length: number;
  /** Output positions. */
  readonly out: number;
}

function register(backendName: string, memory: MemoryAccess): void {
  tf.registerKernel({
    kernelName: IM2COL_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = inputs.x as tf.TensorInfo;
      const a = attrs as unknown as Attrs;
      const [B, T, C] = x.shape;
      const result = memory.output([B, a.out, a.size * C], backend as tf.KernelBackend);
      const xs = memory.view(x, backend as tf.KernelBackend);
      im2colInto(xs, B, T, C, a, a.out, result.values);
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
      col2imInto(cs, B, a.length, C, a, out, result.values);
      return result.info;
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
  const name = tf.getBackend();
  if (tf.getKernel(IM2COL_KERNEL, name) !== undefined) return true;
  const memory = MEMORY[name];
  if (memory === undefined) return false;
  register(name, memory);
  return true;
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
