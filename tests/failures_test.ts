import { test } from "node:test";
import assert from "node:assert/strict";
import { classifyFailure } from "../experiments/failures.ts";
import { BackendUnavailableError, MemoryEstimateError } from "@srhm/networks";

test("the run's own failures are results; the environment's are not", () => {
  const run = [
    new Error("diverged: training loss NaN after 3 epochs (lr 10)"),
    new Error("diverged at P=16"),
    new TypeError("x is not a function"),
  ];
  const environment = [
    new BackendUnavailableError("webgpu", "no adapter"),
    new MemoryEstimateError("would not fit in memory: about 4 GiB", {} as never),
    new RangeError("Array buffer allocation failed"),
    new RangeError("WebAssembly.Memory.grow(): Maximum memory size exceeded"),
    new Error("the run's worker crashed: out of memory"),
    new Error("killed by SIGTERM while running"),
    Object.assign(new Error("anything"), { kind: "environment" }),
  ];
  for (const e of run) assert.equal(classifyFailure(e), "run", e.message);
  for (const e of environment) assert.equal(classifyFailure(e), "environment", e.message);
  // an error that crossed a worker keeps its name
  const named = Object.assign(new Error('backend "webgpu" is unavailable: x'), {
    name: "BackendUnavailableError",
  });
  assert.equal(classifyFailure(named), "environment");
  assert.equal(classifyFailure("out of memory"), "environment");
});
