/**
 * The loop kernels of the standard deep networks (`im2col`, `col2im`, batch norm and its gradient,
 * the momentum step) in WebAssembly SIMD, run on tfjs-backend-wasm's own heap: the module imports
 * the backend's `WebAssembly.Memory`, so every argument is a tensor's byte offset in that heap and
 * nothing is copied. Source: `simd_loops.wat`; the bytes: `simd_loops_binary.ts`.
 *
 * Measured on the 2-core machine of BENCHMARKS.md (one call, ResNet18 shapes `[4608, 64]` and
 * `[640, 512]`): batch norm 0.36-0.40 ms against 1.1 ms for the JavaScript loops, its gradient
 * 0.27 ms against 0.77-1.4 ms, `im2col` 0.08-0.11 ms against 1.4-1.7 ms, `col2im` 0.11-0.13 ms
 * against 1.3-1.4 ms. The JavaScript loops of `networks/deep/loop_kernels.ts` stay the definition
 * (and the cpu backend's kernels); tests/simd_loops_test.ts checks that both give the same numbers.
 *
 * @module
 */
import { SIMD_LOOPS_BASE64 } from "./simd_loops_binary.ts";

/**
 * `(from, B, T, C, size, stride, pad, out, to)`: between positions `[B, T, C]` and the windows
 * `[B, out, size * C]` of a convolution of that width, stride and padding (pointers `from`, `to`).
 */
export type WindowLoop = (
  from: number,
  B: number,
  T: number,
  C: number,
  size: number,
  stride: number,
  pad: number,
  out: number,
  to: number,
) => void;

/** The module's functions; every pointer is a byte offset into the shared heap. */
export interface SimdLoops {
  /** `x: [B, T, C]` -> `cols: [B, out, size * C]` (see `im2colInto`). */
  readonly im2col: WindowLoop;
  /** The adjoint of `im2col`: `cols` -> `dx: [B, T, C]` (overwritten; see `col2imInto`). */
  readonly col2im: WindowLoop;
  /** Training-mode batch norm of `x: [N, C]`, ReLU after it where `relu` is 1 (see `batchNormInto`). */
  batch_norm(
    x: number,
    gamma: number,
    beta: number,
    N: number,
    C: number,
    eps: number,
    y: number,
    xhat: number,
    mean: number,
    variance: number,
    inv: number,
    relu: number,
  ): void;
  /** Its gradients, through the ReLU where `relu` is 1 (`y`: its output; see `batchNormGradInto`). */
  batch_norm_grad(
    dy: number,
    xhat: number,
    inv: number,
    gamma: number,
    N: number,
    C: number,
    dx: number,
    dgamma: number,
    dbeta: number,
    y: number,
    relu: number,
  ): void;
  /** `y = max(0, a + b)` on `n` numbers (see `addReluInto`). */
  add_relu(a: number, b: number, n: number, y: number): void;
  /** `dx = dy` where `y > 0`, else 0, on `n` numbers (see `reluMaskInto`). */
  relu_mask(dy: number, y: number, n: number, dx: number): void;
  /** One momentum step on `n` numbers (see `momentumStepInto`). */
  momentum_step(
    p: number,
    buf: number,
    g: number,
    n: number,
    lr: number,
    momentum: number,
    decay: number,
    pOut: number,
    bufOut: number,
  ): void;
}

/**
 * The module's bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { simdLoopsBinary } from "./simd_loops.ts";
 * assert.ok(WebAssembly.validate(simdLoopsBinary()));
 * ```
 */
export function simdLoopsBinary(): Uint8Array<ArrayBuffer> {
  const text = atob(SIMD_LOOPS_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

const instances = new WeakMap<WebAssembly.Memory, SimdLoops | null>();

/**
 * The module instantiated on `memory` (once per memory), or `null` where this WebAssembly engine
 * cannot run it (no SIMD): callers then use the JavaScript loops.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { simdLoopsOn } from "./simd_loops.ts";
 * const memory = new WebAssembly.Memory({ initial: 1 });
 * const loops = simdLoopsOn(memory);
 * assert.ok(loops !== null);
 * const f = new Float32Array(memory.buffer);
 * f.set([1, 2, 3]); // x at byte 0; cols at byte 64
 * loops.im2col(0, 1, 3, 1, 3, 1, 1, 3, 64);
 * assert.deepEqual([...f.subarray(16, 25)], [0, 1, 2, 1, 2, 3, 2, 3, 0]);
 * ```
 */
export function simdLoopsOn(memory: WebAssembly.Memory): SimdLoops | null {
  const known = instances.get(memory);
  if (known !== undefined) return known;
  let loops: SimdLoops | null = null;
  try {
    // 3.2 kB: small enough for a synchronous compile even on a browser's main thread
    const module = new WebAssembly.Module(simdLoopsBinary());
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    loops = instance.exports as unknown as SimdLoops;
  } catch {
    loops = null;
  }
  instances.set(memory, loops);
  return loops;
}

interface WasmBackendLike {
  wasm?: { asm?: { memory?: unknown } };
}

/**
 * The module on a tfjs-backend-wasm backend's heap, or `null` (another backend, or no SIMD).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { simdLoopsOf } from "./simd_loops.ts";
 * await tf.setBackend("cpu");
 * assert.equal(simdLoopsOf(tf.backend()), null);
 * ```
 */
export function simdLoopsOf(backend: unknown): SimdLoops | null {
  const memory = (backend as WasmBackendLike).wasm?.asm?.memory;
  return memory instanceof WebAssembly.Memory ? simdLoopsOn(memory) : null;
}
