import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  checkTrainingMemory,
  estimateTrainingMemory,
  MemoryEstimateError,
  WASM_HEAP_BYTES,
} from "../networks/memory.ts";
import type { NetworkConfig } from "../networks/config.ts";
import { DEEP_NET_KINDS } from "../networks/deep/config.ts";
import { deepConfig } from "../networks/deep/plans.ts";
import { checkDeepTrainingMemory, estimateDeepTrainingMemory } from "../networks/deep/memory.ts";

const config = (over: Partial<NetworkConfig> = {}): NetworkConfig => ({
  kind: "cnn",
  depth: 2,
  patch: 4,
  width: 64,
  channels: 4,
  length: 16,
  classes: 4,
  bias: "per-position",
  parametrisation: "mean-field",
  seed: 0,
  ...over,
});

test("the estimate grows with the width, P, the test set and the batch", () => {
  fc.assert(
    fc.property(
      fc.constantFrom("cnn", "lcn", "fcn"),
      fc.integer({ min: 1, max: 512 }),
      fc.integer({ min: 1, max: 10_000 }),
      fc.integer({ min: 0, max: 10_000 }),
      fc.integer({ min: 1, max: 256 }),
      (kind, width, train, test, batch) => {
        const c = config({ kind: kind as NetworkConfig["kind"], width });
        const e = estimateTrainingMemory(c, { train, test, batch });
        assert.equal(e.total, e.weights + e.data + e.activations);
        assert.ok(e.tensors <= e.total);
        const wider = estimateTrainingMemory(config({ ...c, width: width + 1 }), {
          train,
          test,
          batch,
        });
        assert.ok(wider.total > e.total);
        assert.ok(estimateTrainingMemory(c, { train: train + 1, test, batch }).total > e.total);
        assert.ok(estimateTrainingMemory(c, { train, test: test + 1, batch }).total > e.total);
        assert.ok(estimateTrainingMemory(c, { train, test, batch: batch + 1 }).total > e.total);
      },
    ),
  );
});

test("L = 5, s = 3, s0 = 2, width 512 is refused for every kind on a 32 GiB machine", () => {
  for (const kind of ["cnn", "lcn", "fcn"] as const) {
    const big = config({ kind, depth: 5, patch: 9, length: 9 ** 5, width: 512 });
    const sizes = { train: 1000, test: 20000, batch: 16 };
    for (const backend of ["auto", "wasm", "cpu"]) {
      assert.throws(
        () => checkTrainingMemory(big, sizes, backend, 32 * 2 ** 30),
        (e: unknown) =>
          e instanceof MemoryEstimateError && /would not fit in memory: about \d/.test(e.message) &&
          e.estimate.total > 2 ** 30,
      );
    }
  }
});

test("the default experiment's runs fit easily; the wasm heap is the tensors' limit", () => {
  const e = checkTrainingMemory(config(), { train: 2560, test: 2000, batch: 16 }, "auto", 2 ** 30);
  assert.ok(e.total < 64 * 2 ** 20);
  // tensors just above the heap are refused on wasm but not on cpu with enough machine memory
  const wide = config({ kind: "fcn", width: 4096, length: 256, depth: 4 });
  const sizes = { train: 100, test: 100, batch: 8 };
  const est = estimateTrainingMemory(wide, sizes);
  if (est.tensors > WASM_HEAP_BYTES && est.total < 2 ** 40) {
    assert.throws(() => checkTrainingMemory(wide, sizes, "wasm", 2 ** 40), /WebAssembly heap/);
    checkTrainingMemory(wide, sizes, "cpu", 2 ** 40);
  }
});

test("standard deep networks: the estimate grows with the width and the batch, and a huge one is refused", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...DEEP_NET_KINDS),
      fc.integer({ min: 1, max: 64 }),
      fc.integer({ min: 1, max: 256 }),
      (kind, width, batch) => {
        const shape = (w: number) =>
          deepConfig(kind, { width: w, channels: 10, length: 36, classes: 10 });
        const sizes = { train: 1000, test: 1000, batch };
        const a = estimateDeepTrainingMemory(shape(width), sizes);
        const b = estimateDeepTrainingMemory(shape(2 * width), sizes);
        const c = estimateDeepTrainingMemory(shape(width), { ...sizes, batch: 2 * batch });
        assert.ok(b.weights > a.weights && b.activations > a.activations);
        assert.ok(c.activations > a.activations && c.weights === a.weights);
        assert.equal(a.total, a.weights + a.data + a.activations);
      },
    ),
    { numRuns: 30 },
  );
  const big = deepConfig("resnet34", { width: 512, channels: 10, length: 36, classes: 10 });
  assert.throws(
    () => checkDeepTrainingMemory(big, { train: 7400, test: 20000, batch: 4096 }, "wasm"),
    (e: unknown) =>
      e instanceof MemoryEstimateError && e.estimate.tensors > WASM_HEAP_BYTES &&
      /RESNET34 of width 512 \(input 36 x 10\) would not fit in memory/.test(e.message),
  );
});
