/**
 * `BatchMatMul` by a native BLAS (`cblas_sgemm`), on the operands' own memory: the wasm backend's
 * heap or the cpu backend's typed arrays. Transposed operands cost nothing extra (sgemm reads them
 * in place).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Blas } from "../blas/openblas.ts";
import type { ProductFn } from "./batch_matmul.ts";

/** How a product kernel reaches tensor memory on one backend. */
export interface MemoryAccess {
  /** A Float32Array over the tensor's values (a view, not a copy, where the backend allows). */
  readonly view: (t: tf.TensorInfo, backend: tf.KernelBackend) => Float32Array;
  /** A new float32 output of `shape` and a writable view over its values. */
  readonly output: (
    shape: number[],
    backend: tf.KernelBackend,
  ) => { info: tf.TensorInfo; values: Float32Array };
}

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: "float32"): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

interface CpuBackendLike {
  readSync(dataId: tf.DataId): unknown;
  makeTensorInfo(shape: number[], dtype: "float32", values: Float32Array): tf.TensorInfo;
}

/**
 * Memory access on the wasm backend: views into its heap (taken after the output is allocated,
 * since an allocation can grow, and so replace, the heap).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wasmMemory } from "./blas_matmul.ts";
 * assert.ok(typeof wasmMemory.view === "function");
 * ```
 */
export const wasmMemory: MemoryAccess = {
  view: (t, backend) => (backend as unknown as WasmBackendLike).typedArrayFromHeap(t),
  output: (shape, backend) => {
    const b = backend as unknown as WasmBackendLike;
    const info = b.makeOutput(shape, "float32");
    return { info, values: b.typedArrayFromHeap(info) };
  },
};

/**
 * Memory access on the cpu backend: its own typed arrays (a float32 copy of the integers that its
 * `Cast` from int32 leaves under a float32 tensor).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cpuMemory } from "./blas_matmul.ts";
 * assert.ok(typeof cpuMemory.output === "function");
 * ```
 */
export const cpuMemory: MemoryAccess = {
  view: (t, backend) => {
    const values = (backend as unknown as CpuBackendLike).readSync(t.dataId);
    if (values instanceof Float32Array) return values;
    // the cpu backend's Cast from int32 keeps the Int32Array under a float32 tensor: read a copy
    if (t.dtype === "float32" && ArrayBuffer.isView(values)) {
      return Float32Array.from(values as unknown as ArrayLike<number>);
    }
    throw new Error(`a loop kernel needs float32 operands, got ${t.dtype}`);
  },
  output: (shape, backend) => {
    const values = new Float32Array(shape.reduce((p, n) => p * n, 1));
    const info = (backend as unknown as CpuBackendLike).makeTensorInfo(shape, "float32", values);
    return { info, values };
  },
};

/** The backends whose tensor memory our loop kernels reach, and how. */
const KERNEL_MEMORY: Readonly<Record<string, MemoryAccess>> = { wasm: wasmMemory, cpu: cpuMemory };

/**
 * Registers a family of loop kernels on the current backend the first time it is asked for:
 * `true` once `kernelName` is registered there (by `register`, called with the backend's
 * {@link MemoryAccess}), `false` on a backend whose memory they cannot reach (e.g. webgpu).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { ensureLoopKernels } from "./blas_matmul.ts";
 * await tf.setBackend("cpu");
 * let calls = 0;
 * const register = (backendName: string) => {
 *   calls++;
 *   tf.registerKernel({ kernelName: "ExampleNoop", backendName, kernelFunc: () => [] });
 * };
 * assert.ok(ensureLoopKernels("ExampleNoop", register));
 * assert.ok(ensureLoopKernels("ExampleNoop", register));
 * assert.equal(calls, 1);
 * ```
 */
export function ensureLoopKernels(
  kernelName: string,
  register: (backendName: string, memory: MemoryAccess) => void,
): boolean {
  const name = tf.getBackend();
  if (tf.getKernel(kernelName, name) !== undefined) return true;
  const memory = KERNEL_MEMORY[name];
  if (memory === undefined) return false;
  register(name, memory);
  return true;
}

const size = (dims: readonly number[]): number => dims.reduce((p, n) => p * n, 1);

/**
 * A {@link ProductFn} computed by `blas.sgemm`, one call per batch item (one call in all when the
 * right operand is shared and the left one is not transposed). Batch dimensions must be equal or
 * one side's must be 1; other broadcasts go to `fallback`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blasProduct, cpuMemory } from "./blas_matmul.ts";
 * import { plainProduct } from "./batch_matmul.ts";
 * import "@tensorflow/tfjs-backend-cpu";
 * const fake = { sgemm: () => {} } as never;
 * assert.ok(typeof blasProduct(fake, cpuMemory, plainProduct("cpu")) === "function");
 * ```
 */
export function blasProduct(
  blas: Pick<Blas, "sgemm">,
  memory: MemoryAccess,
  fallback: ProductFn,
): ProductFn {
  return (a, b, transposeA, transposeB, backend) => {
    if (a.dtype !== "float32" || b.dtype !== "float32") {
      return fallback(a, b, transposeA, transposeB, backend);
    }
    const ra = a.shape.length;
    const rb = b.shape.length;
    const M = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const K = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const Kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
    const N = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    if (K !== Kb) {
      throw new Error(
        `matMul: inner dimensions differ (${K} vs ${Kb}) for shapes [${a.shape}] and [${b.shape}]`,
      );
    }
    const outerA = a.shape.slice(0, -2);
    const outerB = b.shape.slice(0, -2);
    const batchA = size(outerA);
    const batchB = size(outerB);
    const sameOuter = outerA.length === outerB.length && outerA.every((n, i) => n === outerB[i]);
    if (!(sameOuter || batchA === 1 || batchB === 1)) {
      return fallback(a, b, transposeA, transposeB, backend);
    }
    // The broadcast shape (e.g. [1, B] for outer dimensions [1, 1] and [B]).
    const outer = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
    const batch = Math.max(batchA, batchB);
    const out = memory.output([...outer, M, N], backend);
    // Views after the output exists: allocating may have replaced the wasm heap.
    const A = memory.view(a, backend);
    const B = memory.view(b, backend);
    const C = out.values;
    // BLAS rejects zero leading dimensions: an empty product, or a sum of nothing (zeros).
    if (C.length === 0) return out.info;
    if (K === 0) {
      C.fill(0);
      return out.info;
    }
    if (batchB === 1 && !transposeA) {
      blas.sgemm(false, transposeB, batch * M, N, K, A, B, C);
      return out.info;
    }
    const sa = M * K;
    const sb = K * N;
    const sc = M * N;
    for (let i = 0; i < batch; i++) {
      const Ai = batchA === 1 ? A : A.subarray(i * sa, (i + 1) * sa);
      const Bi = batchB === 1 ? B : B.subarray(i * sb, (i + 1) * sb);
      blas.sgemm(transposeA, transposeB, M, N, K, Ai, Bi, C.subarray(i * sc, (i + 1) * sc));
    }
    return out.info;
  };
}
