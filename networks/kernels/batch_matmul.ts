/**
 * A faster `BatchMatMul` for the wasm backend.
 *
 * tfjs-wasm multiplies fast (XNNPACK) only when neither operand is transposed; the gradients of a
 * matrix product ask for `dY W^T` and `X^T dY`, which its fallback loop runs 10-18x slower. This
 * kernel transposes a flagged operand explicitly (one cheap copy) and then calls the original kernel
 * with both flags off: the same numbers, several times faster training.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { originalKernel, overrideKernel, restoreKernel } from "./override.ts";

/** A tensor description as kernels see it. */
type Info = tf.TensorInfo;

/** The part of the wasm backend that the kernels here use. */
interface WasmLike extends tf.KernelBackend {
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

/** A product kernel: `(a, b, transposeA, transposeB, backend) -> out`, all operands rank >= 2. */
export type ProductFn = (
  a: Info,
  b: Info,
  transposeA: boolean,
  transposeB: boolean,
  backend: tf.KernelBackend,
) => Info;

/** Swaps the last two axes of `x` with the backend's own Transpose kernel. */
function transposeLast(x: Info, backend: tf.KernelBackend, backendName: string): Info {
  const rank = x.shape.length;
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  const kernel = tf.getKernel("Transpose", backendName);
  if (kernel === undefined) throw new Error(`backend "${backendName}" has no Transpose kernel`);
  return kernel.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as Info;
}

/**
 * Wraps a product kernel so that it only ever sees untransposed operands: a transposed operand is
 * first copied in transposed order with the Transpose kernel of `backendName`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { untransposed, type ProductFn } from "./batch_matmul.ts";
 * const seen: boolean[] = [];
 * const inner: ProductFn = (a, _b, ta, tb) => (seen.push(ta, tb), a);
 * assert.ok(typeof untransposed(inner, "wasm") === "function");
 * ```
 */
export function untransposed(product: ProductFn, backendName: string): ProductFn {
  return (a, b, transposeA, transposeB, backend) => {
    const wasm = backend as WasmLike;
    const at = transposeA ? transposeLast(a, backend, backendName) : a;
    const bt = transposeB ? transposeLast(b, backend, backendName) : b;
    try {
      return product(at, bt, false, false, backend);
    } finally {
      if (transposeA) wasm.disposeData(at.dataId);
      if (transposeB) wasm.disposeData(bt.dataId);
    }
  };
}

interface HeapLike {
  makeOutput(shape: number[], dtype: "float32", memoryOffset?: number): Info;
  typedArrayFromHeap(t: Info): Float32Array;
  disposeData(dataId: tf.DataId): boolean;
  dataIdMap: {
    get(dataId: tf.DataId): { id: number; memoryOffset: number };
    delete(dataId: tf.DataId): boolean;
  };
  wasm: { tfjs: { disposeData(id: number): void } };
}

/** A tensor over `shape` at `offset` of the wasm heap, under a new id; it owns no memory. */
function viewAt(heap: HeapLike, shape: number[], offset: number): Info {
  return heap.makeOutput(shape, "float32", offset);
}

/** Forgets a view made by {@link viewAt} without freeing the memory it points into. */
function releaseView(heap: HeapLike, t: Info): void {
  heap.wasm.tfjs.disposeData(heap.dataIdMap.get(t.dataId).id);
  heap.dataIdMap.delete(t.dataId);
}

/**
 * Wraps tfjs-wasm's product kernel so that its right operand always arrives under a new tensor
 * id (a view of the same memory, released afterwards).
 *
 * tfjs-wasm multiplies untransposed, unbatched operands with an XNNPACK operator that holds the
 * right operand packed, and caches that operator by the right operand's tensor id alone, assuming
 * a tensor of weights of one shape. A tensor's id is shared by its reshapes (and by our shared
 * Identity's clones), so one id can come back in another shape: the cached operator then reads
 * and writes with the first shape's dimensions, past the new output's allocation, and the heap is
 * corrupted ("memory access out of bounds" in a later `disposeData`, or an abort). Gradients make
 * this common once {@link untransposed} sends `X^T dY` to that path: `dY` is the right operand
 * there and, reshaped, in other products (e.g. a bias gradient `ones . dY`). A fresh id per call
 * gets a fresh operator (the same numbers; repacking costs one pass over the right operand), and
 * releasing the view deletes the operator.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { freshRightOperand, type ProductFn } from "./batch_matmul.ts";
 * const inner: ProductFn = (a) => a;
 * assert.ok(typeof freshRightOperand(inner) === "function");
 * ```
 */
export function freshRightOperand(product: ProductFn): ProductFn {
  return (a, b, transposeA, transposeB, backend) => {
    if (b.dtype !== "float32") return product(a, b, transposeA, transposeB, backend);
    const heap = backend as unknown as HeapLike;
    const view = viewAt(heap, b.shape.slice(), heap.dataIdMap.get(b.dataId).memoryOffset);
    try {
      return product(a, view, transposeA, transposeB, backend);
    } finally {
      releaseView(heap, view);
    }
  };
}

/**
 * Wraps a wasm product kernel so that a batched product runs as one 2-D product per batch item:
 * tfjs-wasm multiplies fast (XNNPACK) only unbatched, and its batched loop is 10-20x slower (the
 * LCN's products are batched over positions). Each item is a view into the operand's memory (no
 * copy); each result is copied into the batched output.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { perItem, type ProductFn } from "./batch_matmul.ts";
 * const inner: ProductFn = (a) => a;
 * assert.ok(typeof perItem(inner) === "function");
 * ```
 */
export function perItem(product: ProductFn): ProductFn {
  return (a, b, transposeA, transposeB, backend) => {
    const outerA = a.shape.slice(0, -2);
    const outerB = b.shape.slice(0, -2);
    const batchA = outerA.reduce((p, n) => p * n, 1);
    const batchB = outerB.reduce((p, n) => p * n, 1);
    const sameOuter = outerA.length === outerB.length && outerA.every((n, i) => n === outerB[i]);
    const batch = Math.max(batchA, batchB);
    if (
      batch <= 1 || a.dtype !== "float32" || b.dtype !== "float32" ||
      !(sameOuter || batchA === 1 || batchB === 1)
    ) {
      return product(a, b, transposeA, transposeB, backend);
    }
    const heap = backend as unknown as HeapLike;
    const ra = a.shape.length;
    const rb = b.shape.length;
    const a2 = [a.shape[ra - 2], a.shape[ra - 1]];
    const b2 = [b.shape[rb - 2], b.shape[rb - 1]];
    const M = transposeA ? a2[1] : a2[0];
    const N = transposeB ? b2[0] : b2[1];
    // The broadcast shape (e.g. [1, B] for outer dimensions [1, 1] and [B]): as many items as
    // the larger operand has.
    const outer = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
    const out = heap.makeOutput([...outer, M, N], "float32");
    const baseA = heap.dataIdMap.get(a.dataId).memoryOffset;
    const baseB = heap.dataIdMap.get(b.dataId).memoryOffset;
    for (let i = 0; i < batch; i++) {
      const ai = viewAt(heap, a2, baseA + (batchA === 1 ? 0 : 4 * i * a2[0] * a2[1]));
      const bi = viewAt(heap, b2, baseB + (batchB === 1 ? 0 : 4 * i * b2[0] * b2[1]));
      const ci = product(ai, bi, transposeA, transposeB, backend);
      heap.typedArrayFromHeap(out).set(heap.typedArrayFromHeap(ci), i * M * N);
      heap.disposeData(ci.dataId);
      releaseView(heap, ai);
      releaseView(heap, bi);
    }
    return out;
  };
}

/**
 * Wraps a wasm product kernel so that a zero inner dimension gives zeros: tfjs-wasm's own kernel
 * then returns whatever its fresh buffer held.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { zeroInner, type ProductFn } from "./batch_matmul.ts";
 * const inner: ProductFn = (a) => a;
 * assert.ok(typeof zeroInner(inner) === "function");
 * ```
 */
export function zeroInner(product: ProductFn): ProductFn {
  return (a, b, transposeA, transposeB, backend) => {
    const K = transposeA ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
    if (K !== 0) return product(a, b, transposeA, transposeB, backend);
    const M = transposeA ? a.shape[a.shape.length - 1] : a.shape[a.shape.length - 2];
    const N = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
    const outer = tf.backend_util.assertAndGetBroadcastShape(
      a.shape.slice(0, -2),
      b.shape.slice(0, -2),
    );
    const heap = backend as unknown as HeapLike;
    const out = heap.makeOutput([...outer, M, N], "float32");
    heap.typedArrayFromHeap(out).fill(0);
    return out;
  };
}

/**
 * Registers `product` as the `BatchMatMul` kernel of `backendName`, keeping the original kernel's
 * setup function (so the backend still initialises the same way). Replaces any earlier override.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { registerProduct, restoreProduct, plainProduct } from "./batch_matmul.ts";
 * registerProduct("cpu", plainProduct("cpu"));
 * restoreProduct("cpu");
 * assert.ok(tf.getKernel("BatchMatMul", "cpu") !== undefined);
 * ```
 */
export function registerProduct(backendName: string, product: ProductFn): void {
  overrideKernel(backendName, "BatchMatMul", ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: Info; b: Info };
    const { transposeA, transposeB } = attrs as unknown as {
      transposeA: boolean;
      transposeB: boolean;
    };
    return product(a, b, transposeA, transposeB, backend as tf.KernelBackend);
  });
}

/**
 * Puts the backend's own `BatchMatMul` kernel back.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { restoreProduct } from "./batch_matmul.ts";
 * restoreProduct("cpu");
 * assert.ok(tf.getKernel("BatchMatMul", "cpu") !== undefined);
 * ```
 */
export function restoreProduct(backendName: string): void {
  restoreKernel(backendName, "BatchMatMul");
}

/**
 * The backend's own `BatchMatMul` as a {@link ProductFn}; on wasm, behind
 * {@link freshRightOperand} (tfjs-wasm's operator cache is unsafe for operands that are reshaped).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { plainProduct } from "./batch_matmul.ts";
 * assert.ok(typeof plainProduct("cpu") === "function");
 * ```
 */
export function plainProduct(backendName: string): ProductFn {
  const original = originalKernel(backendName, "BatchMatMul");
  const product: ProductFn = (a, b, transposeA, transposeB, backend) =>
    original.kernelFunc({
      inputs: { a, b },
      backend,
      attrs: { transposeA, transposeB },
    }) as Info;
  return backendName === "wasm" ? freshRightOperand(product) : product;
}
