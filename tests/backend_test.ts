import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import {
  BACKEND_NAMES,
  BackendUnavailableError,
  selectBackend,
  softwareAdapterReason,
} from "../networks/backend.ts";
import { coretypeFor, openBlas } from "../networks/blas/openblas.ts";

function blasAvailable(): boolean {
  try {
    openBlas().close();
    return true;
  } catch {
    return false;
  }
}

/** A small product and its gradient run on the selected backend (read back with await). */
async function smokeTest(): Promise<void> {
  const y = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])));
  assert.deepEqual(Array.from(await y.data()), [11]);
  y.dispose();
}

test("cpu, wasm (and the BLAS variants where OpenBLAS loads) are selected by name", async () => {
  const names = blasAvailable()
    ? ["cpu", "wasm", "wasm+blas", "cpu+blas"] as const
    : ["cpu", "wasm"] as const;
  for (const name of names) {
    const picked = await selectBackend(name);
    assert.equal(picked.name, name);
    assert.equal(tf.getBackend(), name.replace("+blas", ""));
    assert.ok(picked.detail.length > 0);
    await smokeTest();
  }
});

test("auto picks wasm+blas where OpenBLAS loads, else wasm, and says so", async () => {
  const picked = await selectBackend("auto");
  assert.equal(picked.name, blasAvailable() ? "wasm+blas" : "wasm");
  assert.match(picked.detail, /^auto: /);
  await smokeTest();
});

test("without OpenBLAS: wasm+blas is refused naming the library, auto falls back to wasm", async () => {
  // A fresh process, so that no library is loaded yet; SRHM_OPENBLAS names a file that is absent.
  const code = `
    import { selectBackend } from "${new URL("../networks/backend.ts", import.meta.url).href}";
    const out = {};
    try { await selectBackend("wasm+blas"); out.blas = "loaded"; } catch (e) { out.blas = e.message; }
    out.auto = await selectBackend("auto");
    console.log(JSON.stringify(out));`;
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", code],
    cwd: new URL("..", import.meta.url),
    env: { SRHM_OPENBLAS: "/nonexistent/libopenblas.so.0" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(run.stderr);
  assert.equal(run.code, 0, stderr);
  const out = JSON.parse(new TextDecoder().decode(run.stdout));
  assert.match(out.blas, /backend "wasm\+blas" is unavailable: OpenBLAS could not be loaded/);
  assert.match(out.blas, /\/nonexistent\/libopenblas\.so\.0/);
  assert.match(out.blas, /apt-get install libopenblas0-pthread/);
  assert.equal(out.auto.name, "wasm");
  assert.match(out.auto.detail, /^auto: .*no native BLAS/);
});

test("webgpu: refused with what is missing, or runs on a hardware adapter", async () => {
  try {
    const picked = await selectBackend("webgpu");
    assert.equal(picked.name, "webgpu");
    await smokeTest();
  } catch (e) {
    assert.ok(e instanceof BackendUnavailableError, String(e));
    assert.match(e.message, /no navigator\.gpu|found no GPU adapter|software/);
    assert.match(e.message, /Vulkan/);
  }
});

test("webgpu on a software adapter works when explicitly allowed (for testing only)", async (t) => {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (gpu === undefined || (await gpu.requestAdapter()) === null) {
    t.skip("no WebGPU adapter at all here");
    return;
  }
  Deno.env.set("SRHM_WEBGPU_ALLOW_SOFTWARE", "1");
  try {
    const picked = await selectBackend("webgpu");
    assert.equal(tf.getBackend(), "webgpu");
    assert.match(picked.detail, /tfjs-backend-webgpu/);
    await smokeTest();
  } finally {
    Deno.env.delete("SRHM_WEBGPU_ALLOW_SOFTWARE");
    await selectBackend("wasm");
  }
});

test("software adapters are recognised: fallback, Mesa's vendor id, llvmpipe, lavapipe, SwiftShader", () => {
  const base = { vendor: "4318", architecture: "", device: "1", description: "NVIDIA H100" };
  assert.equal(softwareAdapterReason({ ...base, isFallbackAdapter: false }), null);
  assert.match(softwareAdapterReason({ ...base, isFallbackAdapter: true })!, /fallback/);
  assert.match(
    softwareAdapterReason({ ...base, vendor: String(0x10005), isFallbackAdapter: false })!,
    /Mesa/,
  );
  for (const description of ["llvmpipe (LLVM 15)", "Lavapipe", "SwiftShader Device"]) {
    assert.match(
      softwareAdapterReason({ ...base, description, isFallbackAdapter: false })!,
      /software/,
    );
  }
});

test("tensorflow: refused with how to install tfjs-node-gpu, unless it is installed", async () => {
  try {
    const picked = await selectBackend("tensorflow");
    assert.equal(picked.name, "tensorflow");
    await smokeTest();
  } catch (e) {
    assert.ok(e instanceof BackendUnavailableError, String(e));
    assert.match(e.message, /@tensorflow\/tfjs-node-gpu/);
    assert.match(e.message, /CUDA/);
    assert.match(e.message, /deno install --allow-scripts=npm:@tensorflow\/tfjs-node-gpu/);
  }
});

test("an unknown name is refused with the list of known names", async () => {
  await assert.rejects(
    () => selectBackend("tpu" as never),
    (e: unknown) =>
      e instanceof BackendUnavailableError && /expected one of auto, wasm/.test(e.message),
  );
  assert.ok(BACKEND_NAMES.includes("auto"));
});

test("OpenBLAS core type follows the CPU flags; a missing library lists the paths tried", () => {
  assert.equal(coretypeFor("flags\t\t: fpu avx2 fma avx512f avx512bw avx512vl"), "SkylakeX");
  assert.equal(coretypeFor("flags\t\t: fpu sse avx avx2 fma"), "Haswell");
  assert.equal(coretypeFor("flags\t\t: fpu sse sse2"), null);
  assert.throws(
    () => openBlas({ paths: ["/nonexistent/a.so", "/nonexistent/b.so"] }),
    /OpenBLAS could not be loaded[\s\S]*\/nonexistent\/a\.so[\s\S]*\/nonexistent\/b\.so/,
  );
});
