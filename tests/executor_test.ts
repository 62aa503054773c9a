import { test } from "node:test";
import assert from "node:assert/strict";
import { executePlan } from "../experiments/executor.ts";
import type { Runner } from "../experiments/runner.ts";
import { makePlan, type Run, type RunSpec } from "../experiments/plan.ts";
import { pendingRuns, readResults } from "../experiments/store.ts";
import { tinyRunSpec } from "./fixtures.ts";

const spec = (P: number): RunSpec =>
  tinyRunSpec({
    experiment: "curve",
    params: { s0: 1, v: 4, m: 4, nc: 4, seed: 0 },
    training: { batch: 4, maxEpochs: 3 },
    measure: { perClass: 2 },
    P,
    test: 10,
  });

/** A fake runner that records which runs it computed; fails on the P values in `failOn`. */
function fakeRunner(failOn: number[] = []): { runner: Runner; computed: number[] } {
  const computed: number[] = [];
  const runner: Runner = (run: Run, { report }) => {
    computed.push(run.P);
    report({ epoch: 1, loss: 1 / run.P });
    if (failOn.includes(run.P)) return Promise.reject(new Error(`diverged at P=${run.P}`));
    return Promise.resolve({
      backend: "fake",
      metrics: { testError: 1 / run.P },
      timings: { train: 0.5 },
      versions: { tfjs: "none" },
    });
  };
  return { runner, computed };
}

const Ps = [8, 16, 32, 64, 128, 256, 512];

test("a resumed plan computes only the missing runs", async () => {
  const dir = await Deno.makeTempDir();
  const resultsFile = `${dir}/results.jsonl`;
  const plan = makePlan("curve", {}, Ps.map(spec));
  // an interrupted first pass: only shard 0 of 3 was done
  const first = fakeRunner();
  await executePlan(plan, { resultsFile, runner: first.runner, shard: { index: 0, count: 3 } });
  assert.deepEqual(first.computed, [8, 64, 512]);
  const second = fakeRunner();
  const summary = await executePlan(plan, { resultsFile, runner: second.runner });
  assert.deepEqual(second.computed, [16, 32, 128, 256]);
  assert.equal(summary.skipped, 3);
  assert.equal(summary.ok, 4);
  const third = fakeRunner();
  await executePlan(plan, { resultsFile, runner: third.runner });
  assert.deepEqual(third.computed, []);
  const results = await readResults(resultsFile);
  assert.deepEqual(results.map((r) => r.run.P).sort((a, b) => a - b), Ps);
  assert.equal(new Set(results.map((r) => r.id)).size, Ps.length);
  await Deno.remove(dir, { recursive: true });
});

test("every line carries the full run, backend, versions, timings and metrics", async () => {
  const dir = await Deno.makeTempDir();
  const resultsFile = `${dir}/results.jsonl`;
  const plan = makePlan("curve", {}, [spec(8)]);
  await executePlan(plan, { resultsFile, runner: fakeRunner().runner });
  const [r] = await readResults(resultsFile);
  assert.deepEqual(r.run, plan.runs[0]);
  assert.equal(r.id, plan.runs[0].id);
  assert.equal(r.backend, "fake");
  assert.equal(r.versions.tfjs, "none");
  assert.equal(r.versions.deno, Deno.version.deno);
  assert.equal(r.timings.train, 0.5);
  assert.equal(typeof r.timings.total, "number");
  assert.equal(typeof r.timings.startedAt, "string");
  assert.deepEqual(r.metrics, { testError: 1 / 8 });
  await Deno.remove(dir, { recursive: true });
});

test("a failed run is recorded with its reason and the others continue", async () => {
  const dir = await Deno.makeTempDir();
  const resultsFile = `${dir}/results.jsonl`;
  const plan = makePlan("curve", {}, Ps.map(spec));
  const fake = fakeRunner([16, 128]);
  const summary = await executePlan(plan, { resultsFile, runner: fake.runner });
  assert.deepEqual(fake.computed, Ps);
  assert.equal(summary.failed, 2);
  assert.equal(summary.ok, Ps.length - 2);
  const results = await readResults(resultsFile);
  const failed = results.filter((r) => r.status === "failed");
  assert.deepEqual(failed.map((r) => r.run.P), [16, 128]);
  assert.equal(failed[0].reason, "diverged at P=16");
  assert.equal(failed[0].metrics, null);
  // failed ids are skipped by default and rerun with retryFailed
  assert.equal(pendingRuns(plan.runs, results).length, 0);
  assert.equal(pendingRuns(plan.runs, results, { retryFailed: true }).length, 2);
  const retry = fakeRunner();
  await executePlan(plan, { resultsFile, runner: retry.runner, retryFailed: true });
  assert.deepEqual(retry.computed, [16, 128]);
  await Deno.remove(dir, { recursive: true });
});

test("a truncated line (a run killed mid-write) is rerun on resume", async () => {
  const dir = await Deno.makeTempDir();
  const resultsFile = `${dir}/results.jsonl`;
  const plan = makePlan("curve", {}, [spec(8), spec(16)]);
  await executePlan(plan, { resultsFile, runner: fakeRunner().runner });
  const text = await Deno.readTextFile(resultsFile);
  await Deno.writeTextFile(resultsFile, text.slice(0, text.length - 10));
  const warnings: string[] = [];
  const fake = fakeRunner();
  await executePlan(plan, {
    resultsFile,
    runner: fake.runner,
    onWarning: (m) => warnings.push(m),
  });
  assert.deepEqual(fake.computed, [16]);
  assert.equal(warnings.length, 1);
  await Deno.remove(dir, { recursive: true });
});

test("progress events count runs and forward the runner's epochs", async () => {
  const dir = await Deno.makeTempDir();
  const plan = makePlan("curve", {}, [spec(8), spec(16)]);
  const events: string[] = [];
  await executePlan(plan, {
    resultsFile: `${dir}/r.jsonl`,
    runner: fakeRunner().runner,
    onProgress: (e) => events.push(`${e.kind}:${e.done}/${e.total}`),
  });
  assert.deepEqual(events, [
    "start:0/2",
    "epoch:0/2",
    "finish:1/2",
    "start:1/2",
    "epoch:1/2",
    "finish:2/2",
  ]);
  await Deno.remove(dir, { recursive: true });
});

test("two executions sharing a file through claims compute each run once", async () => {
  const dir = await Deno.makeTempDir();
  const resultsFile = `${dir}/results.jsonl`;
  const plan = makePlan("curve", {}, Ps.map(spec));
  const computed: number[] = [];
  const slow: Runner = async (run) => {
    computed.push(run.P);
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { backend: "fake", metrics: { testError: 1 / run.P } };
  };
  const options = { resultsFile, runner: slow, claims: `${dir}/claims`, pollMs: 10 };
  const [a, b] = await Promise.all([executePlan(plan, options), executePlan(plan, options)]);
  assert.deepEqual([...computed].sort((x, y) => x - y), Ps);
  assert.equal(a.ok + b.ok, Ps.length);
  assert.equal((a.byOthers ?? 0) + (b.byOthers ?? 0), Ps.length);
  const results = await readResults(resultsFile);
  assert.equal(results.length, Ps.length);
  assert.equal(new Set(results.map((r) => r.id)).size, Ps.length);
  await Deno.remove(dir, { recursive: true });
});

test("every line records the code version; another version's file is not resumed", async () => {
  const dir = await Deno.makeTempDir();
  const resultsFile = `${dir}/results.jsonl`;
  const plan = makePlan("curve", {}, [spec(8), spec(16)]);
  await executePlan({ ...plan, runs: plan.runs.slice(0, 1) }, {
    resultsFile,
    runner: fakeRunner().runner,
  });
  const [line] = await readResults(resultsFile);
  assert.match(line.versions.source, /^(sha256:[0-9a-f]{12}|unknown)$/);
  assert.equal(typeof line.versions.srhm, "string");
  // the same file, as written by another version
  const text = await Deno.readTextFile(resultsFile);
  await Deno.writeTextFile(resultsFile, text.replace(line.versions.source, "sha256:000000000000"));
  const refused = await executePlan(plan, { resultsFile, runner: fakeRunner().runner })
    .catch((e) => e);
  assert.ok(refused instanceof Error);
  assert.match(refused.message, /another code version \(srhm .* \(sha256:000000000000\): 1 lines/);
  assert.match(refused.message, /--allow-mixed-versions/);
  const mixed = fakeRunner();
  await executePlan(plan, { resultsFile, runner: mixed.runner, allowMixedVersions: true });
  assert.deepEqual(mixed.computed, [16]);
  // nothing left to compute: nothing to refuse
  await executePlan(plan, { resultsFile, runner: fakeRunner().runner });
  await Deno.remove(dir, { recursive: true });
});

test("a failure of the environment is not recorded and the run is computed on resume", async () => {
  const dir = await Deno.makeTempDir();
  const resultsFile = `${dir}/results.jsonl`;
  const plan = makePlan("curve", {}, [spec(8), spec(16), spec(32)]);
  const flaky: Runner = (run) =>
    run.P === 16
      ? Promise.reject(new RangeError("Array buffer allocation failed"))
      : run.P === 32
      ? Promise.reject(new Error("diverged: training loss NaN after 3 epochs"))
      : Promise.resolve({ backend: "fake", metrics: { testError: 0.5 } });
  const first = await executePlan(plan, { resultsFile, runner: flaky });
  assert.equal(first.ok, 1);
  assert.equal(first.failed, 1, "divergence is the run's own outcome");
  assert.deepEqual(first.environment?.map((f) => f.run.P), [16]);
  assert.deepEqual((await readResults(resultsFile)).map((r) => [r.run.P, r.status]), [
    [8, "ok"],
    [32, "failed"],
  ]);
  const again = fakeRunner();
  await executePlan(plan, { resultsFile, runner: again.runner });
  assert.deepEqual(again.computed, [16]);
  await Deno.remove(dir, { recursive: true });
});
