/**
 * The tfjs backend of the explorer's worker: the best the browser has, WebGPU (a hardware
 * adapter), then WebGL, then wasm (its `.wasm` files served under `/tfjs-wasm/`), or the one the
 * page asks for. Browser-only (it needs `navigator`, a canvas, `fetch`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-webgpu";
import "@tensorflow/tfjs-backend-webgl";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import type { BrowserBackend } from "./protocol.ts";

/**
 * The backends to try, in order, for what the page asked.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { candidates } from "./browser_backend.ts";
 * assert.deepEqual(candidates("auto"), ["webgpu", "webgl", "wasm"]);
 * assert.deepEqual(candidates("wasm"), ["wasm"]);
 * ```
 */
export function candidates(asked: BrowserBackend): ("webgpu" | "webgl" | "wasm")[] {
  return asked === "auto" ? ["webgpu", "webgl", "wasm"] : [asked];
}

/** Why WebGPU cannot be used here, or null when it can. */
async function webgpuMissing(): Promise<string | null> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (gpu === undefined) return "no navigator.gpu";
  try {
    return (await gpu.requestAdapter()) === null ? "no WebGPU adapter" : null;
  } catch (e) {
    return `no WebGPU adapter (${(e as Error).message})`;
  }
}

/**
 * Sets the first backend of {@link candidates} that works; `detail` says what was skipped and
 * why. Throws when none works.
 */
export async function selectBrowserBackend(
  asked: BrowserBackend,
): Promise<{ name: string; detail: string }> {
  setWasmPaths("/tfjs-wasm/");
  const skipped: string[] = [];
  for (const name of candidates(asked)) {
    if (name === "webgpu") {
      const why = await webgpuMissing();
      if (why !== null) {
        skipped.push(`webgpu: ${why}`);
        continue;
      }
    }
    let ok = false;
    try {
      ok = await tf.setBackend(name);
      await tf.ready();
    } catch (e) {
      skipped.push(`${name}: ${(e as Error).message}`);
      continue;
    }
    if (!ok) {
      skipped.push(`${name}: failed to initialise`);
      continue;
    }
    const extra = name === "webgl"
      ? `WebGL ${tf.env().getNumber("WEBGL_VERSION")}, float32 ${
        tf.env().getBool("WEBGL_RENDER_FLOAT32_ENABLED") ? "yes" : "no"
      }`
      : name === "wasm"
      ? (tf.env().getBool("WASM_HAS_SIMD_SUPPORT") ? "SIMD" : "no SIMD")
      : "hardware adapter";
    return {
      name,
      detail: `${name} (${extra})` + (skipped.length > 0 ? `; skipped ${skipped.join("; ")}` : ""),
    };
  }
  throw new Error(`no tfjs backend works here: ${skipped.join("; ")}`);
}
