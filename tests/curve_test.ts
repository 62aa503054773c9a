import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { CNN_C1, predictCnn } from "@srhm/metrics";
import {
  curvePlan,
  curveSizes,
  gridCenter,
  pmaxOf,
  testSetSize,
} from "../experiments/curve/plan.ts";
import { hierarchyPlan } from "../experiments/hierarchy/plan.ts";
import { summarizeHierarchy } from "../experiments/hierarchy/summary.ts";
import { logGrid, preset } from "../experiments/presets.ts";
import { scalingPlan, withVariable } from "../experiments/scaling/plan.ts";
import { summarizeCurve } from "../experiments/curve/summary.ts";
import { summarizeScaling } from "../experiments/scaling/summary.ts";
import { summarizeResults } from "../experiments/registry.ts";
import { renderReport } from "../experiments/report.ts";
import { runExperiment } from "../experiments/run_experiment.ts";
import type { Runner } from "../experiments/runner.ts";
import type { Run } from "../experiments/plan.ts";
import type { ResultLine } from "../experiments/store.ts";

const params = { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 } as const;
const base = {
  params,
  network: { kind: "cnn", width: 16, bias: "per-position", parametrisation: "mean-field" },
  training: {
    lr: 0.1,
    batch: 32,
    maxEpochs: 10,
    stopLoss: 1e-3,
    evalEvery: 5,
    encoding: "onehot",
    backend: "cpu",
  },
  measure: { sensitivities: true, perClass: 5 },
  seeds: 1,
  test: 500,
} as const;

/** A synthetic curve: test error 0.4 * (P0 / P) with P* = 4 P0; S, D decay the same way. */
const synthetic = (P0: number): Runner => (run: Run) => {
  const e = Math.min(0.9, 0.4 * (P0 / run.P));
  const L = run.params.L;
  const table = (scale: number) =>
    Array.from(
      { length: L + 1 },
      (_, k) => Array.from({ length: L }, (_, l) => (k >= l + 1 ? scale * e : 0.9)),
    );
  return Promise.resolve({
    backend: "fake",
    metrics: { testError: e, S: table(4), D: table(2) },
  });
};

test("the default grid is log-spaced around the paper's P* and below Pmax", () => {
  const sizes = curveSizes(params, "cnn", { grid: { low: 0.25, high: 4, points: 5 } });
  assert.deepEqual(sizes, [160, 320, 640, 1280, 2560]);
  assert.equal(gridCenter("cnn", params), 640);
  assert.equal(pmaxOf(params), 16384);
  // a grid that would pass Pmax is capped at 80 % of it
  const capped = curveSizes({ ...params, s0: 0 }, "cnn", { grid: { low: 1, high: 8, points: 3 } });
  assert.ok(capped.every((P) => P <= 0.8 * 256));
  assert.throws(
    () => curveSizes({ ...params, s0: 0 }, "cnn", { P: [300] }),
    /P must be < Pmax \(300 >= 256\)/,
  );
});

test("logGrid is increasing, distinct and inside its bounds", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 1, max: 1e6, noNaN: true }),
      fc.integer({ min: 1, max: 12 }),
      (center, points) => {
        const g = logGrid(center, { low: 0.25, high: 4, points }, { min: 2, max: 1e6 });
        for (let i = 1; i < g.length; i++) assert.ok(g[i] > g[i - 1]);
        assert.ok(g.every((P) => P >= 2 && P <= 1e6 && Number.isInteger(P)));
      },
    ),
    { seed: 42, numRuns: 200 },
  );
});

test("a curve plan has one run per P and seed with the test set capped at Pmax - P", () => {
  const plan = curvePlan({ ...base, params: { ...params, s0: 0 }, P: [100, 200], seeds: 3 });
  assert.equal(plan.runs.length, 6);
  assert.deepEqual(plan.runs.map((r) => r.seed), [0, 1, 2, 0, 1, 2]);
  assert.equal(plan.runs[3].test, 56);
  assert.equal(new Set(plan.runs.map((r) => r.id)).size, 6);
  assert.equal(hierarchyPlan({ ...base, P: [100] }).runs[0].experiment, "hierarchy");
});

test("in iid mode P may reach Pmax and the test set is not capped; distinct rejects it", () => {
  const small = { ...params, s0: 0 };
  const pmax = pmaxOf(small);
  const unbalanced = { ...base.training, balanced: false };
  const iid = curvePlan({
    ...base,
    params: small,
    training: { ...unbalanced, mode: "iid" },
    P: [pmax - 10, 2 * pmax],
  });
  assert.deepEqual(iid.runs.map((r) => r.P), [pmax - 10, 2 * pmax]);
  assert.deepEqual(iid.runs.map((r) => r.test), [base.test, base.test]);
  assert.ok(iid.runs.every((r) => r.training.mode === "iid"));
  assert.throws(() => curvePlan({ ...base, params: small, P: [pmax] }), /P must be < Pmax/);
  const distinct = curvePlan({ ...base, training: unbalanced, params: small, P: [pmax - 10] });
  assert.equal(distinct.runs[0].test, 10);
  assert.equal(testSetSize(small, pmax + 1, 7), 0);
  // balanced (the default): sizes are multiples of nc = 4, the test set rounded down
  const balanced = curvePlan({ ...base, params: small, P: [pmax - 12] });
  assert.equal(balanced.runs[0].test, 12);
  assert.equal(testSetSize(small, pmax - 12, 11, "distinct", true), 8);
  assert.throws(() => curvePlan({ ...base, params: small, P: [pmax - 10] }), /multiples of nc/);
});

test("the FCN's grid centre is the CNN law, with the s = 2 constant where s has none", () => {
  assert.equal(gridCenter("fcn", params), predictCnn(params));
  const s4 = { L: 2, s: 4, s0: 0, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 } as const;
  assert.equal(gridCenter("cnn", s4), predictCnn(s4, CNN_C1[2]));
  assert.ok(Number.isFinite(gridCenter("lcn", s4)));
});

test("the presets name the paper's width and reject an unknown scale", () => {
  assert.equal(preset("paper").width, 512);
  assert.equal(preset("paper").batchPerClass, 4);
  assert.throws(() => preset("huge"), /scale must be one of small, paper \(got huge\)/);
});

async function linesOf(plan: ReturnType<typeof curvePlan>, runner: Runner): Promise<ResultLine[]> {
  return await Promise.all(plan.runs.map(async (run) => {
    const out = await runner(run, { report: () => {} });
    return {
      id: run.id,
      status: "ok" as const,
      run,
      backend: out.backend,
      versions: {},
      timings: {},
      metrics: out.metrics,
    };
  }));
}

test("a curve that crosses at a known P gives P*, P*_S, P*_D there", async () => {
  // error = 0.4 * 100 / P crosses 0.1 at P = 400; S_2 = 4 e < 0.4 at P = 400; D_2 = 2 e < 0.2 at 400
  const plan = curvePlan({ ...base, P: [100, 200, 300, 500, 800, 1600] });
  const s = summarizeCurve(await linesOf(plan, synthetic(100)));
  // log-interpolation between P = 300 (e = 0.1333) and 500 (e = 0.08)
  const t = (0.4 / 3 - 0.1) / (0.4 / 3 - 0.08);
  const expected = Math.exp(Math.log(300) + t * Math.log(500 / 300));
  assert.ok(Math.abs((s.pstar ?? 0) - expected) < 1e-9);
  assert.ok(Math.abs((s.pstarS ?? 0) - expected) < 1e-9);
  assert.ok(Math.abs((s.pstarD ?? 0) - expected) < 1e-9);
  assert.equal(s.predicted, 640);
  assert.ok(Math.abs((s.ratio ?? 0) - expected / 640) < 1e-12);
  assert.deepEqual(s.thresholds, { error: 0.1, S: 0.4, D: 0.2 });
  assert.equal(s.points.length, 6);
  assert.equal(s.points[0].S.length, 3);
});

test("a curve that never crosses says why, with P* null", async () => {
  const plan = curvePlan({ ...base, P: [100, 200] });
  const s = summarizeCurve(await linesOf(plan, synthetic(1000)));
  assert.equal(s.pstar, null);
  assert.ok(s.notes.some((n) => n.startsWith("P*:")));
});

test("seeds are averaged per P with their spread; failed runs are counted, not averaged", () => {
  const plan = curvePlan({ ...base, P: [100], seeds: 3 });
  const lines: ResultLine[] = plan.runs.map((run, i) => ({
    id: run.id,
    status: i === 2 ? "failed" : "ok",
    run,
    backend: "fake",
    versions: {},
    timings: {},
    metrics: i === 2 ? null : { testError: i === 0 ? 0.2 : 0.4 },
  }));
  const [p] = summarizeCurve(lines).points;
  assert.ok(Math.abs(p.testError - 0.3) < 1e-12);
  assert.ok(Math.abs(p.testErrorStd - Math.SQRT2 * 0.1) < 1e-12);
  assert.equal(p.seeds, 2);
  assert.equal(p.failed, 1);
});

test("scaling fits the exponent of P* against s0+1 from per-s0 curves", async () => {
  const plan = scalingPlan({
    ...base,
    variable: "s0",
    values: [1, 2, 3],
    kinds: ["cnn"],
    network: { width: 16, bias: "per-position", parametrisation: "mean-field" },
    training: { ...base.training, lr: null },
    grid: { low: 0.25, high: 4, points: 9 },
  });
  assert.equal(plan.runs.length, 27);
  // the authors' table: 0.1 for CNN s = 2, L = 2, 0 < s0 < 4
  assert.deepEqual([...new Set(plan.runs.map((r) => r.training.lr))], [0.1]);
  assert.ok(plan.runs.every((r) => r.P % r.params.nc === 0));
  // P* = 4 * P0 with P0 = 40 (s0+1)^2: an exact quadratic law
  const lines = await Promise.all(plan.runs.map(async (run) => {
    const out = await synthetic(40 * (run.params.s0 + 1) ** 2)(run, { report: () => {} });
    return {
      id: run.id,
      status: "ok" as const,
      run,
      backend: "f",
      versions: {},
      timings: {},
      metrics: out.metrics,
    };
  }));
  const [s] = summarizeScaling(lines, "s0", { bootstrap: 200, seed: 1 });
  assert.equal(s.points.length, 3);
  assert.deepEqual(s.points.map((p) => p.x), [2, 3, 4]);
  assert.equal(s.predictedExponent, 2);
  // the grid points are not the same multiples of P* at each s0 (rounding), so the fit is near 2
  assert.ok(Math.abs((s.exponent ?? 0) - 2) < 0.05, `exponent ${s.exponent}`);
  assert.ok(s.interval !== null && s.interval[0] <= s.interval[1]);
  const [summary] = summarizeResults(lines);
  assert.equal(summary.type, "scaling");
  assert.equal(withVariable(params, "v", 3).m, 3);
});

test("with several seeds, scaling fits each seed's P* (the interval reflects the seeds)", async () => {
  const plan = scalingPlan({
    ...base,
    variable: "s0",
    values: [1, 2, 3],
    kinds: ["cnn"],
    network: { width: 16, bias: "per-position", parametrisation: "mean-field" },
    training: { ...base.training, lr: 0.1 },
    P: [100, 200, 400, 800, 1600, 3200, 6400],
    seeds: 3,
  });
  // seed k has P* = 4 P0 (1 + 0.2 (k - 1)) with P0 = 40 (s0+1)^2
  const lines = await Promise.all(plan.runs.map(async (run) => {
    const P0 = 40 * (run.params.s0 + 1) ** 2 * (1 + 0.2 * (run.seed - 1));
    const out = await synthetic(P0)(run, { report: () => {} });
    return {
      id: run.id,
      status: "ok" as const,
      run,
      backend: "f",
      versions: {},
      timings: {},
      metrics: out.metrics,
    };
  }));
  const [s] = summarizeScaling(lines, "s0", { bootstrap: 500, seed: 3 });
  assert.equal(s.fitOn, "per-seed");
  assert.equal(s.points[0].pstarSeeds.length, 3);
  const [lo, hi] = s.interval ?? [0, 0];
  assert.ok(hi - lo > 0.01, `interval [${lo}, ${hi}] reflects the spread`);
  assert.ok(lo < 2 && 2 < hi, `interval [${lo}, ${hi}] holds 2`);
  const md = renderReport(summarizeResults(lines), { title: "s" });
  assert.match(md, /P\* per seed/);
  assert.match(md, /fitted on each seed's P\*/);
});

test("hierarchy finds the first insensitive layer per level (l+1 for level l)", async () => {
  const plan = hierarchyPlan({ ...base, P: [100, 1000, 10000] });
  const h = summarizeHierarchy(await linesOf(plan, synthetic(100)));
  assert.deepEqual(h.firstInsensitiveS, [2, 3]);
  assert.deepEqual(h.firstInsensitiveD, [2, 3]);
  assert.deepEqual(h.expected, [2, 3]);
  const md = renderReport(summarizeResults(await linesOf(plan, synthetic(100))), { title: "h" });
  assert.match(md, /S_\{out,2\}/);
  assert.match(md, /level 1: layer 2; level 2: logits/);
});

test("runExperiment writes results, summary, figures and report, and resumes", async () => {
  const dir = await Deno.makeTempDir();
  const plan = curvePlan({ ...base, P: [100, 200, 400, 800] });
  let calls = 0;
  const runner: Runner = (run, ctx) => {
    calls++;
    return synthetic(100)(run, ctx);
  };
  const { outputs } = await runExperiment(plan, dir, { runner });
  assert.equal(calls, 4);
  for (
    const f of [
      "results.jsonl",
      "summary.json",
      "report.md",
      "learning_curve.svg",
      "learning_curve.png",
      "sensitivities.png",
    ]
  ) {
    assert.ok((await Deno.stat(`${dir}/${f}`)).size > 0, f);
  }
  assert.ok(outputs.files.includes("learning_curve.svg"));
  const summary = JSON.parse(await Deno.readTextFile(`${dir}/summary.json`));
  for (const key of ["pstar", "pstarS", "pstarD", "predicted", "points"]) {
    assert.ok(key in summary, key);
  }
  assert.equal(summary.points[0].S.length, 3);
  const png = await Deno.readFile(`${dir}/learning_curve.png`);
  assert.deepEqual([...png.slice(1, 4)], [0x50, 0x4e, 0x47]);
  await runExperiment(plan, dir, { runner, figures: false });
  assert.equal(calls, 4);
  await Deno.remove(dir, { recursive: true });
});
