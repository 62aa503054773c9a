/**
 * Backend selection: which TensorFlow.js backend runs the networks.
 *
 * - `wasm`: `@tensorflow/tfjs-backend-wasm` (SIMD, one thread) with three kernels replaced, same
 *   numbers: `BatchMatMul` never multiplies transposed or batched operands in tfjs-wasm's slow loop
 *   (`kernels/batch_matmul.ts`), `Identity` shares memory (`kernels/shared_identity.ts`), `Sum` over
 *   leading axes needs no transpose (`kernels/leading_sum.ts`).
 * - `wasm+blas`: the same, with the matrix products done by a native OpenBLAS through Deno's FFI
 *   (`blas/openblas.ts`, `kernels/blas_matmul.ts`); available when the library loads.
 * - `cpu`: `@tensorflow/tfjs-backend-cpu` (plain JavaScript, slow; the fall-back of last resort);
 *   `cpu+blas`: with OpenBLAS products (for comparison: slower than `wasm+blas`).
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
  perItem,
  plainProduct,
  registerProduct,
  restoreProduct,
  untransposed,
  zeroInner,
} from "./kernels/batch_matmul.ts";
import { blasProduct, cpuMemory, wasmMemory } from "./kernels/blas_matmul.ts";
import { useSharedIdentity } from "./kernels/shared_identity.ts";
import { useLeadingSum } from "./kernels/leading_sum.ts";
import { type Blas, openBlas } from "./blas/openblas.ts";

import { BACKEND_NAMES, type BackendName } from "./config.ts";
import { registerNetworkGradients } from "./gradients.ts";
export { BACKEND_NAMES, type BackendName };

/** The backend that was selected: `name` as `selectBackend` calls it, `detail` for humans. */
export interface BackendInfo {
  /** The name, as `selectBackend` calls it. */
  readonly name: string;
  /** How it was set up, for humans. */
  readonly detail: string;
}

/** Thrown when a backend asked for by name cannot be used here. */
export class BackendUnavailableError extends Error {
  /** @param backend the name asked for; @param message what is missing and how to get it */
  /** The backend asked for, and why it is not available. */
  constructor(readonly backend: string, message: string) {
    super(`backend "${backend}" is unavailable: ${message}`);
    this.name = "BackendUnavailableError";
  }
}

/**
 * Why tfjs-wasm did not start: it reads its `.wasm` file from `node_modules/` (or Deno's npm
 * cache), which needs read permission; tfjs only logs the reason and reports failure.
 */
function wasmLoadFailure(): string {
  const what = "the WebAssembly module of @tensorflow/tfjs-backend-wasm failed to load";
  if (Deno.permissions.querySync({ name: "read" }).state !== "granted") {
    return `${what}: it reads its .wasm file from node_modules/ (or Deno's npm cache), which ` +
      "needs --allow-read (or -A)";
  }
  return what;
}

async function useWasm(): Promise<string> {
  // Our kernel must be registered before the backend initialises or switches.
  registerProduct("wasm", zeroInner(untransposed(perItem(plainProduct("wasm")), "wasm")));
  useSharedIdentity();
  useLeadingSum();
  const ok = await tf.setBackend("wasm");
  if (!ok) throw new BackendUnavailableError("wasm", wasmLoadFailure());
  await tf.ready();
  const simd = tf.env().getBool("WASM_HAS_SIMD_SUPPORT") ? "SIMD" : "no SIMD";
  return `@tensorflow/tfjs-backend-wasm ${simd}, single-threaded; BatchMatMul untransposed and ` +
    "per batch item, Identity shared, Sum over leading axes in place";
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
  useSharedIdentity();
  useLeadingSum(lib);
  const ok = await tf.setBackend("wasm");
  if (!ok) throw new BackendUnavailableError(asked, wasmLoadFailure());
  await tf.ready();
  return `@tensorflow/tfjs-backend-wasm with BatchMatMul and leading-axes Sum by ${lib.describe()} ` +
    `(${lib.path}); Identity shared`;
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

/** Mesa's PCI vendor id (0x10005): its adapters (llvmpipe, lavapipe) are software renderers. */
const MESA_VENDOR = 0x10005;
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|softpipe|software|microsoft basic render/i;

/** What a WebGPU adapter says of itself (the parts we look at). */
export interface AdapterFacts {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallbackAdapter: boolean;
}

/**
 * Why a WebGPU adapter is a software renderer (so no faster than the CPU backends), or `null` for
 * a hardware adapter. Refused: the fallback adapter, Mesa's vendor id 0x10005, llvmpipe, lavapipe,
 * SwiftShader.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { softwareAdapterReason } from "./backend.ts";
 * const llvmpipe = { vendor: "65541", architecture: "", device: "0",
 *   description: "llvmpipe (LLVM 15.0.6, 256 bits)", isFallbackAdapter: true };
 * assert.ok(softwareAdapterReason(llvmpipe) !== null);
 * const nvidia = { vendor: "4318", architecture: "", device: "8881",
 *   description: "NVIDIA H100", isFallbackAdapter: false };
 * assert.ok(softwareAdapterReason(nvidia) === null);
 * ```
 */
export function softwareAdapterReason(a: AdapterFacts): string | null {
  const text = [a.description, a.architecture, `vendor ${a.vendor}`].filter((x) => x !== "")
    .join(", ");
  if (a.isFallbackAdapter) return `the fallback (software) adapter "${text}"`;
  const vendor = Number(a.vendor);
  if (vendor === MESA_VENDOR) return `a Mesa software adapter (vendor 0x10005) "${text}"`;
  if (SOFTWARE_ADAPTER.test(text)) return `a software adapter "${text}"`;
  return null;
}

const WEBGPU_HELP = "webgpu needs a GPU with a Vulkan driver (Linux: the vendor's driver, e.g. " +
  "NVIDIA's, plus the Vulkan loader libvulkan1), Metal (macOS) or Direct3D 12 (Windows); see " +
  "docs/backends.md";

interface GpuLike {
  requestAdapter(o?: { powerPreference?: string }): Promise<
    {
      info?: Partial<AdapterFacts>;
      isFallbackAdapter?: boolean;
    } | null
  >;
}

async function useWebgpu(asked: string): Promise<string> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (gpu === undefined) {
    throw new BackendUnavailableError(
      asked,
      `this Deno has no navigator.gpu (Deno ${Deno.version.deno}); ${WEBGPU_HELP}`,
    );
  }
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (adapter === null) {
    throw new BackendUnavailableError(
      asked,
      `navigator.gpu.requestAdapter() found no GPU adapter; ${WEBGPU_HELP}`,
    );
  }
  const info = adapter.info ?? {};
  const facts: AdapterFacts = {
    vendor: String(info.vendor ?? ""),
    architecture: String(info.architecture ?? ""),
    device: String(info.device ?? ""),
    description: String(info.description ?? ""),
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false),
  };
  const software = softwareAdapterReason(facts);
  if (software !== null && Deno.env.get("SRHM_WEBGPU_ALLOW_SOFTWARE") !== "1") {
    throw new BackendUnavailableError(
      asked,
      `the only WebGPU adapter is ${software}, no faster than the CPU backends (set ` +
        `SRHM_WEBGPU_ALLOW_SOFTWARE=1 to use it anyway, for testing); ${WEBGPU_HELP}`,
    );
  }
  // Registers the "webgpu" backend (it does so only where navigator.gpu exists).
  await import("@tensorflow/tfjs-backend-webgpu");
  let ok = false;
  try {
    ok = await tf.setBackend("webgpu");
  } catch (e) {
    throw new BackendUnavailableError(asked, `tfjs could not start on the adapter: ${e}`);
  }
  if (!ok) throw new BackendUnavailableError(asked, "tfjs could not start on the adapter");
  await tf.ready();
  const what = [facts.description, facts.architecture].filter((x) => x !== "").join(", ");
  return `@tensorflow/tfjs-backend-webgpu on ${what || "a GPU"} (vendor ${facts.vendor})` +
    (software === null ? "" : ` [${software}, allowed by SRHM_WEBGPU_ALLOW_SOFTWARE=1]`);
}

/** The packages that provide the `tensorflow` backend, in the order they are tried. */
export const TENSORFLOW_PACKAGES: readonly string[] = [
  "@tensorflow/tfjs-node-gpu",
  "@tensorflow/tfjs-node",
];

const TENSORFLOW_HELP = "it is never installed with srhm. With an NVIDIA GPU (CUDA 11.2 and " +
  'cuDNN 8.1 for tfjs 4.22): add "@tensorflow/tfjs-node-gpu": ' +
  '"npm:@tensorflow/tfjs-node-gpu@4.22.0" to the "imports" of deno.json, then run ' +
  "`deno install --allow-scripts=npm:@tensorflow/tfjs-node-gpu` (its install script fetches " +
  "libtensorflow); without a GPU, @tensorflow/tfjs-node the same way. See docs/backends.md";

async function useTensorflow(asked: string): Promise<string> {
  const failures: string[] = [];
  for (const specifier of TENSORFLOW_PACKAGES) {
    try {
      // A computed specifier: nothing is resolved or installed unless this backend is asked for.
      await import(specifier);
    } catch (e) {
      const first = (e instanceof Error ? e.message : String(e)).split("\n")[0];
      failures.push(`${specifier}: ${first}`);
      continue;
    }
    let ok = false;
    try {
      ok = await tf.setBackend("tensorflow");
    } catch (e) {
      failures.push(`${specifier} loaded but its backend failed: ${e}`);
      continue;
    }
    if (!ok) {
      failures.push(`${specifier} loaded but registered no working "tensorflow" backend`);
      continue;
    }
    await tf.ready();
    return `${specifier} (TensorFlow C library)`;
  }
  throw new BackendUnavailableError(
    asked,
    `neither ${TENSORFLOW_PACKAGES.join(" nor ")} loads (${failures.join("; ")}); ` +
      TENSORFLOW_HELP,
  );
}

/**
 * `auto`: `wasm+blas` when OpenBLAS loads (4-7x faster than `wasm` on the reference network, see
 * docs/bench-networks.md), else `wasm`. `webgpu` and `tensorflow` are used only when asked for by
 * name: neither is measured faster here, and `tensorflow` is a separate install.
 */
async function useAuto(): Promise<BackendInfo> {
  try {
    const detail = await useWasmBlas("auto");
    return { name: "wasm+blas", detail: `auto: ${detail}` };
  } catch (e) {
    if (!(e instanceof BackendUnavailableError)) throw e;
    const detail = await useWasm();
    return { name: "wasm", detail: `auto: ${detail} (no native BLAS: ${e.message})` };
  }
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
 * import assert from "node:assert/strict";
 * import { selectBackend } from "./backend.ts";
 * const picked = await selectBackend("cpu");
 * assert.ok(picked.name === "cpu", picked.detail);
 * ```
 */
export async function selectBackend(name: BackendName): Promise<BackendInfo> {
  // Silences tfjs's console banners (e.g. the cpu backend's "install tfjs-node" advice); PROD gates
  // nothing else in tfjs 4.22.
  tf.env().set("PROD", true);
  registerNetworkGradients(); // idempotent: the gradients training needs, once per process
  switch (name) {
    case "wasm":
      return { name: "wasm", detail: await useWasm() };
    case "cpu":
      return { name: "cpu", detail: await useCpu() };
    case "auto":
      return await useAuto();
    case "wasm+blas":
      return { name, detail: await useWasmBlas(name) };
    case "cpu+blas":
      return { name, detail: await useCpuBlas(name) };
    case "webgpu":
      return { name, detail: await useWebgpu(name) };
    case "tensorflow":
      return { name, detail: await useTensorflow(name) };
    default:
      throw new BackendUnavailableError(
        String(name),
        `unknown backend name; expected one of ${BACKEND_NAMES.join(", ")}`,
      );
  }
}
