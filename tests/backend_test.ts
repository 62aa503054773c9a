import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { BACKEND_NAMES, BackendUnavailableError, selectBackend } from "../networks/backend.ts";

test("cpu and wasm are selected by name and tfjs runs on them", async () => {
  for (const name of ["cpu", "wasm"] as const) {
    const picked = await selectBackend(name);
    assert.equal(picked.name, name);
    assert.equal(tf.getBackend(), name);
    assert.ok(picked.detail.length > 0);
    const y = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])));
    assert.deepEqual(Array.from(await y.data()), [11]);
    y.dispose();
  }
});

test("auto picks an available backend and says which in detail", async () => {
  const picked = await selectBackend("auto");
  assert.ok(BACKEND_NAMES.includes(picked.name as never), picked.name);
  assert.match(picked.detail, /^auto: /);
});

test("an unknown name is refused with the list of known names", async () => {
  await assert.rejects(
    () => selectBackend("tpu" as never),
    (e: unknown) =>
      e instanceof BackendUnavailableError && /expected one of auto, wasm/.test(e.message),
  );
});
