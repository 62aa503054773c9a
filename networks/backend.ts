/**
 * Backend selection: which TensorFlow.js backend runs the networks.
 *
 * - `wasm`: `@tensorflow/tfjs-backend-wasm` (SIMD), with a `BatchMatMul` that never multiplies a
 *   transposed operand in place (see `kernels/batch_matmul.ts`).
 * - `wasm+blas`: the same, with the matrix products done by a native OpenBLAS through Deno's FFI
 *   (`blas/openblas.ts`); available when the library loads.
 * - `cpu`: `@tensorflow/tfjs-backend-cpu` (plain JavaScript, slow; the fall-back of last resort).
 * - `webgpu`: `@tensorflow/tfjs-backend-webgpu` on Deno's `navigator.gpu` (a hardware adapter only).
 * - `tensorflow`: `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node`, loaded only when asked for
 *   (never a dependency; see docs/backends.md).
 * - `auto`: the fastest available of `wasm+blas` and `wasm`; `detail` says which and why.
 *
 * A backend that is asked for by name and is unavailable throws an error naming what is missing and
 * how to get it; there is never a silent fall-back.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import {
  plainProduct,
  registerProduct,
  restoreProduct,
  untransposed,
} from "./kernels/batch_matmul.ts";
import { blasProduct, cpuMemory, wasmMemory } from "./kernels/blas_matmul.ts";
import { type Blas, openBlas } from "./blas/openblas.ts";

/** The names `selectBackend` accepts. */
export type BackendName =
  | "auto"
  | "wasm"
  | "wasm+blas"
  | "cpu"
  | "cpu+blas"
  | "webgpu"
  | "tensorflow";

/** Every name `selectBackend` accepts, for command-line choices. */
export const BACKEND_NAMES: readonly BackendName[] = [
  "auto",
  "wasm",
  "wasm+blas",
  "cpu",
  "cpu+blas",
  "webgpu",
  "tensorflow",
];

/** The backend that was selected: `name` as `selectBackend` calls it, `detail` for humans. */
export interface BackendInfo {
  readonly name: string;
  readonly detail: string;
}

/** Thrown when a backend asked for by name cannot be used here. */
export class BackendUnavailableError extends Error {
  /** @param backend the name asked for; @param message what is missing and how to get it */
  constructor(readonly backend: string, message: string) {
    super(`backend "${backend}" is unavailable: ${message}`);
    this.name = "BackendUnavailableError";
  }
}

async function useWasm(): Promise<string> {
  // Our kernel must be registered before the backend initialises or switches.
  registerProduct("wasm", untransposed(plainProduct("wasm"), "wasm"));
  const ok = await tf.setBackend("wasm");
  if (!ok) {
    throw new BackendUnavailableError(
      "wasm",
      "the WebAssembly module of @tensorflow/tfjs-backend-wasm failed to load",
    );
  }
  await tf.ready();
  const simd = tf.env().getBool("WASM_HAS_SIMD_SUPPORT") ? "SIMD" : "no SIMD";
  return `@tensorflow/tfjs-backend-wasm ${simd}, single-threaded, untransposed BatchMatMul`;
}

let loaded: Blas | undefined;

/** OpenBLAS, loaded once per process (the library stays loaded: tfjs kernels point into it). */
function blas(asked: string): Blas {
  if (loaded !== undefined) return loaded;
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") {
    throw new BackendUnavailableError(asked, "needs Deno's FFI permission (--allow-ffi or -A)");
  }
  try {
    loaded = openBlas();
  } catch (e) {
    throw new BackendUnavailableError(asked, e instanceof Error ? e.message : String(e));
  }
  return loaded;
}

async function useWasmBlas(asked: string): Promise<string> {
  const lib = blas(asked);
  registerProduct("wasm", blasProduct(lib, wasmMemory, plainProduct("wasm")));
  const ok = await tf.setBackend("wasm");
  if (!ok) throw new BackendUnavailableError(asked, "the wasm backend failed to load");
  await tf.ready();
  return `@tensorflow/tfjs-backend-wasm with matrix products by ${lib.describe()} (${lib.path})`;
}

async function useCpuBlas(asked: string): Promise<string> {
  const lib = blas(asked);
  registerProduct("cpu", blasProduct(lib, cpuMemory, plainProduct("cpu")));
  await tf.setBackend("cpu");
  await tf.ready();
  return `@tensorflow/tfjs-backend-cpu with matrix products by ${lib.describe()} (${lib.path})`;
}

async function useCpu(): Promise<string> {
  restoreProduct("cpu");
  await tf.setBackend("cpu");
  await tf.ready();
  return "@tensorflow/tfjs-backend-cpu (plain JavaScript)";
}

/**
 * Selects the TensorFlow.js backend `name` for everything that follows (tfjs keeps one global
 * backend: call this once at the start of a program) and says what was selected.
 *
 * @param name `auto` picks the fastest available; any other name gives that backend or throws a
 *   {@link BackendUnavailableError} naming what is missing.
 *
 * @example
 * ```ts
 * import { selectBackend } from "./backend.ts";
 * const picked = await selectBackend("cpu");
 * console.assert(picked.name === "cpu", picked.detail);
 * ```
 */
export async function selectBackend(name: BackendName): Promise<BackendInfo> {
  // Silences tfjs's console banners (e.g. the cpu backend's "install tfjs-node" advice); PROD gates
  // nothing else in tfjs 4.22.
  tf.env().set("PROD", true);
  switch (name) {
    case "wasm":
      return { name: "wasm", detail: await useWasm() };
    case "cpu":
      return { name: "cpu", detail: await useCpu() };
    case "auto":
      return { name: "wasm", detail: `auto: ${await useWasm()}` };
    case "wasm+blas":
      return { name, detail: await useWasmBlas(name) };
    case "cpu+blas":
      return { name, detail: await useCpuBlas(name) };
    case "webgpu":
      throw new BackendUnavailableError(name, "not built yet");
    case "tensorflow":
      throw new BackendUnavailableError(name, "not built yet");
    default:
      throw new BackendUnavailableError(
        String(name),
        `unknown backend name; expected one of ${BACKEND_NAMES.join(", ")}`,
      );
  }
}
