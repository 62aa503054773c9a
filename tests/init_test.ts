import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { makeConfig, type NetworkConfig } from "../networks/config.ts";
import { checkWeights, initWeights, weightShapes } from "../networks/init.ts";
import { buildNetwork } from "../networks/build.ts";
import { selectBackend } from "../networks/backend.ts";

const base: NetworkConfig = makeConfig({
  kind: "cnn",
  depth: 2,
  patch: 4,
  width: 64,
  channels: 8,
  length: 16,
  classes: 8,
  bias: "per-position",
  parametrisation: "mean-field",
  seed: 1,
});

const all = (c: NetworkConfig): Float32Array[] => {
  const w = initWeights(c);
  return [...w.layers.flatMap((l) => [l.W, l.b]), w.readout];
};

test("the same seed gives the same weights; another seed different ones", () => {
  const a = all(base);
  const b = all({ ...base });
  a.forEach((x, i) => assert.deepEqual(x, b[i]));
  const c = all({ ...base, seed: 2 });
  a.forEach((x, i) => assert.notDeepEqual(x, c[i]));
});

test("the streams are independent: the bias mode moves neither W nor the readout", () => {
  const perPos = initWeights(base);
  const none = initWeights({ ...base, bias: "none" });
  const shared = initWeights({ ...base, bias: "shared" });
  perPos.layers.forEach((l, k) => {
    assert.deepEqual(l.W, none.layers[k].W);
    assert.equal(none.layers[k].b.length, 0);
    // shared bias is the first H numbers of the same stream
    assert.deepEqual(shared.layers[k].b, l.b.subarray(0, base.width));
  });
  assert.deepEqual(perPos.readout, none.readout);
});

test("weights have the documented shapes and are N(0, 1)", () => {
  for (const kind of ["cnn", "lcn", "fcn"] as const) {
    const c = { ...base, kind };
    const w = initWeights(c);
    const shapes = weightShapes(c);
    const size = (s: readonly number[]) => s.reduce((p, q) => p * q, 1);
    w.layers.forEach((l, k) => {
      assert.equal(l.W.length, size(shapes.layers[k].W));
      assert.equal(l.b.length, size(shapes.layers[k].b));
    });
    checkWeights(c, w);
    const values = all(c).flatMap((x) => [...x]);
    const mean = values.reduce((s, x) => s + x, 0) / values.length;
    const variance = values.reduce((s, x) => s + (x - mean) ** 2, 0) / values.length;
    const se = 1 / Math.sqrt(values.length);
    assert.ok(Math.abs(mean) < 5 * se, `${kind} mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 5 * Math.SQRT2 * se, `${kind} variance ${variance}`);
  }
  assert.deepEqual(weightShapes({ ...base, kind: "fcn" }).layers.map((l) => l.W), [[128, 256], [
    256,
    64,
  ]]);
  assert.deepEqual(weightShapes({ ...base, kind: "lcn" }).layers.map((l) => l.W), [[4, 32, 64], [
    1,
    256,
    64,
  ]]);
});

test("the weights are the same on every backend (cpu and wasm read back bit-identical)", async () => {
  const expected = initWeights(base);
  for (const name of ["cpu", "wasm"] as const) {
    await selectBackend(name);
    const net = buildNetwork(base);
    const got = await net.getWeights();
    assert.deepEqual(got.readout, expected.readout, name);
    got.layers.forEach((l, k) => {
      assert.deepEqual(l.W, expected.layers[k].W, name);
      assert.deepEqual(l.b, expected.layers[k].b, name);
    });
    net.dispose();
  }
  await tf.setBackend("cpu");
});
