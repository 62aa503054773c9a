import { test } from "node:test";
import assert from "node:assert/strict";
import { experiments, generators, metrics, networks } from "../mod.ts";

test("the umbrella re-exports every member package", () => {
  assert.equal(generators.PACKAGE, "@srhm/generators");
  assert.equal(networks.PACKAGE, "@srhm/networks");
  assert.equal(metrics.PACKAGE, "@srhm/metrics");
  assert.equal(experiments.PACKAGE, "@srhm/experiments");
});
