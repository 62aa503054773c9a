import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { makePlan, makeRun, runId, type RunSpec, shardRuns } from "../experiments/plan.ts";
import { canonicalJson } from "../experiments/canonical_json.ts";
import { tinyRunSpec } from "./fixtures.ts";

const spec = (P: number, seed = 0): RunSpec =>
  tinyRunSpec({
    experiment: "curve",
    params: { s0: 1, v: 4, m: 4, nc: 4, seed: 0 },
    network: { width: 32 },
    training: { batch: 16, maxEpochs: 50, evalEvery: 10 },
    measure: { sensitivities: true, perClass: 20 },
    P,
    test: 500,
    seed,
  });

/** The first 16 hex digits of SHA-256 of a text, written out here as the ids' definition. */
const hex16 = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);

test("run ids are pinned: the same content gives the same id as before (byte for byte)", () => {
  assert.equal(runId({ P: 10, seed: 1 }), "746f52abbb034d3c");
  assert.equal(hex16(""), "e3b0c44298fc1c14");
});

test("canonicalJson sorts keys at every depth and rejects non-finite numbers", () => {
  assert.equal(
    canonicalJson({ b: { z: 1, y: [3, { q: 1, p: 2 }] }, a: true }),
    '{"a":true,"b":{"y":[3,{"p":2,"q":1}],"z":1}}',
  );
  assert.throws(() => canonicalJson({ a: NaN }), /\$\.a must be a finite number/);
});

test("a run's id is the first 16 hex of SHA-256 of its canonical JSON without id", () => {
  const run = makeRun(spec(100));
  const { id, ...rest } = run;
  assert.equal(id, hex16(canonicalJson(rest)));
  assert.match(id, /^[0-9a-f]{16}$/);
});

test("ids are content-derived: key order does not matter, any change of content does", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 1000 }), (P, seed) => {
      const a = makeRun(spec(P, seed));
      const reversed = Object.fromEntries(Object.entries(spec(P, seed)).reverse()) as RunSpec;
      assert.equal(makeRun(reversed).id, a.id);
      assert.notEqual(makeRun(spec(P + 1, seed)).id, a.id);
      assert.notEqual(makeRun(spec(P, seed + 1)).id, a.id);
      assert.equal(runId(a), a.id);
    }),
    { seed: 42, numRuns: 100 },
  );
});

test("makePlan keeps duplicate runs once, in first-seen order", () => {
  const plan = makePlan("curve", {}, [spec(10), spec(20), spec(10), spec(30)]);
  assert.deepEqual(plan.runs.map((r) => r.P), [10, 20, 30]);
});

test("shards are disjoint and cover the plan", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 7 }), (n, count) => {
      const items = Array.from({ length: n }, (_, i) => i);
      const all = Array.from({ length: count }, (_, index) => shardRuns(items, { index, count }))
        .flat().sort((a, b) => a - b);
      assert.deepEqual(all, items);
    }),
    { seed: 42, numRuns: 100 },
  );
  assert.throws(() => shardRuns([1], { index: 2, count: 2 }), /shard index must be .* 0\.\.1/);
});

test("makeRun writes every protocol field, the authors' where absent; the id covers them", () => {
  const base = spec(100);
  const run = makeRun(base);
  assert.equal(run.training.mode, "distinct");
  assert.equal(run.training.stopCheck, "eval");
  assert.equal(run.training.balanced, true);
  assert.equal(run.network.fcnScale, "channels");
  assert.equal(run.measure.synonymVariant, "redraw");
  assert.equal(run.measure.cumulative, true);
  assert.equal(run.measure.denominator, "batch-pairs");
  // The id hashes the complete run, so it differs from the id the same spec had before issue 9
  // (when defaults were left out of the hash): results made then resume nothing.
  const { id: _id, ...content } = run;
  assert.equal(run.id, hex16(canonicalJson(content)));
  assert.notEqual(run.id, hex16(canonicalJson(base)));
  const explicit: RunSpec = {
    ...base,
    network: { ...base.network, fcnScale: "channels" },
    training: { ...base.training, mode: "distinct", stopCheck: "eval", balanced: true },
    measure: {
      ...base.measure,
      synonymVariant: "redraw",
      cumulative: true,
      denominator: "batch-pairs",
    },
  };
  assert.equal(makeRun(explicit).id, run.id);
  assert.equal(runId(makeRun(explicit)), run.id);
  const others: RunSpec[] = [
    { ...base, training: { ...base.training, mode: "iid" } },
    { ...base, training: { ...base.training, stopCheck: "epoch" } },
    { ...base, training: { ...base.training, balanced: false } },
    { ...base, network: { ...base.network, fcnScale: "fan-in" } },
    { ...base, measure: { ...base.measure, synonymVariant: "other" } },
    { ...base, measure: { ...base.measure, cumulative: false } },
    { ...base, measure: { ...base.measure, denominator: "independent" } },
  ];
  const ids = others.map((s) => makeRun(s).id);
  assert.equal(new Set([run.id, ...ids]).size, others.length + 1);
  assert.equal(makeRun(others[0]).training.mode, "iid");
});
