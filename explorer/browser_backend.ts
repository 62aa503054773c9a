/**
 * The tfjs backend of the explorer's worker: the best the browser has, WebGPU, then WebGL, then
 * wasm (its `.wasm` files served under `/tfjs-wasm/`, multi-threaded when the page is
 * cross-origin isolated), or the one the page asks for. As `networks/backend.ts` does for Deno's
 * WebGPU, `auto` skips a GPU interface that a CPU emulates (a fall-back WebGPU adapter, WebGL on
 * SwiftShader or llvmpipe): on the CPU, wasm is the faster of them (headless Chromium on a
 * 2-core machine: 45 epochs of the default run in about 20 s on wasm, 100 s on SwiftShader's
 * WebGL). Asked for by name, such a backend is used. Browser-only (`navigator`, a canvas).
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

/** Why WebGPU cannot be used here (`auto` only: also a fall-back adapter), or null. */
async function webgpuMissing(auto: boolean): Promise<string | null> {
  type Adapter = { isFallbackAdapter?: boolean; info?: { isFallbackAdapter?: boolean } };
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<Adapter | null> } })
    .gpu;
  if (gpu === undefined) return "no navigator.gpu";
  try {
    const adapter = await gpu.requestAdapter();
    if (adapter === null) return "no WebGPU adapter";
    const fallback = adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
    return auto && fallback ? "a fall-back (software) adapter" : null;
  } catch (e) {
    return `no WebGPU adapter (${(e as Error).message})`;
  }
}

/**
 * Whether a WebGL renderer string names a CPU rasteriser.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { softwareRenderer } from "./browser_backend.ts";
 * assert.ok(softwareRenderer("ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)"));
 * assert.ok(softwareRenderer("llvmpipe (LLVM 15.0.6, 256 bits)"));
 * assert.ok(!softwareRenderer("ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0)"));
 * ```
 */
export function softwareRenderer(renderer: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software/i.test(renderer);
}

/** The WebGL 2 renderer's name (as a worker sees it), or null without WebGL 2. */
function webglRenderer(): string | null {
  try {
    // The WebGL 2 calls used here, typed by hand (this module is also type-checked without DOM).
    type Gl = {
      readonly RENDERER: number;
      getParameter(p: number): unknown;
      getExtension(name: string): { UNMASKED_RENDERER_WEBGL?: number; loseContext?(): void } | null;
    };
    const canvas = new OffscreenCanvas(1, 1) as unknown as { getContext(k: string): Gl | null };
    const gl = canvas.getContext("webgl2");
    if (gl === null) return null;
    const unmasked = gl.getExtension("WEBGL_debug_renderer_info")?.UNMASKED_RENDERER_WEBGL;
    const name = String(gl.getParameter(unmasked ?? gl.RENDERER));
    gl.getExtension("WEBGL_lose_context")?.loseContext?.();
    return name;
  } catch {
    return null;
  }
}

/**
 * Sets the first backend of {@link candidates} that works; `detail` says what was skipped and
 * why. Throws when none works. Browser-only: tests/explorer_test.ts runs it in Chromium.
 */
export async function selectBrowserBackend(
  asked: BrowserBackend,
): Promise<{ name: string; detail: string }> {
  setWasmPaths("/tfjs-wasm/");
  const skipped: string[] = [];
  for (const name of candidates(asked)) {
    if (name === "webgpu") {
      const why = await webgpuMissing(asked === "auto");
      if (why !== null) {
        skipped.push(`webgpu: ${why}`);
        continue;
      }
    }
    let renderer = "";
    if (name === "webgl") {
      renderer = webglRenderer() ?? "";
      if (renderer === "") {
        skipped.push("webgl: no WebGL 2 context");
        continue;
      }
      if (asked === "auto" && softwareRenderer(renderer)) {
        skipped.push(`webgl: a CPU rasteriser (${renderer})`);
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
      ? `WebGL ${tf.env().getNumber("WEBGL_VERSION")} on ${renderer}, float32 ${
        tf.env().getBool("WEBGL_RENDER_FLOAT32_ENABLED") ? "yes" : "no"
      }`
      : name === "wasm"
      ? `${tf.env().getBool("WASM_HAS_SIMD_SUPPORT") ? "SIMD" : "no SIMD"}, ${
        tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT") ? "multi-threaded" : "one thread"
      }`
      : "hardware adapter";
    return {
      name,
      detail: `${name} (${extra})` + (skipped.length > 0 ? `; skipped ${skipped.join("; ")}` : ""),
    };
  }
  throw new Error(`no tfjs backend works here: ${skipped.join("; ")}`);
}
