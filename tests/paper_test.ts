import assert from "node:assert/strict";
import fc from "fast-check";
import { CNN_C1, LCN_C0, predictCnn, predictLcn, referenceThresholds } from "@srhm/metrics";
import {
  calibrateCost,
  DEFAULT_COST,
  droppedPoints,
  estimatePlan,
  figureById,
  figureCharts,
  figureInvocations,
  figurePlans,
  figurePoints,
  figureReport,
  fitExponent,
  fitRatio,
  PAPER_FIGURES,
  PAPER_SCALES,
  runSeconds,
  runsOwner,
  summarizeFigure,
} from "../experiments/paper/mod.ts";
import { planFromArgs } from "../experiments/cli/experiments.ts";
import { planOfInvocation } from "../experiments/paper/compose.ts";
import { runPaper } from "../experiments/paper/run_paper.ts";
import { compileSpec } from "../experiments/figures/render.ts";
import type { Run } from "../experiments/plan.ts";
import { latestById, readResults, type ResultLine } from "../experiments/store.ts";

const pointKey = (p: { s: number; L: number; s0: number; v: number }) =>
  `${p.s} ${p.L} ${p.s0} ${p.v}`;

Deno.test("catalogue: unique ids, owners with points at every scale, smaller scales inside the paper's grid", () => {
  const ids = PAPER_FIGURES.map((f) => f.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const f of PAPER_FIGURES) {
    const owner = runsOwner(f);
    assert.equal(owner.runsOf, undefined, `${f.id}: its owner draws its own runs`);
    assert.equal(owner.net, f.net, `${f.id}: same network as its owner`);
    const paper = new Set(figurePoints(f, "paper").map(pointKey));
    for (const scale of PAPER_SCALES) {
      const pts = figurePoints(f, scale);
      assert.ok(pts.length > 0, `${f.id} has points at ${scale}`);
      for (const p of pts) assert.ok(paper.has(pointKey(p)), `${f.id} ${scale} ${pointKey(p)}`);
    }
    assert.equal(
      droppedPoints(f, "small").length,
      figurePoints(f, "paper").length - figurePoints(f, "small").length,
    );
  }
});

Deno.test("invocations: the plans of figures that share runs have the same run ids", async () => {
  const idsOf = async (id: string) => {
    const plans = await Promise.all(
      figureInvocations(figureById(id), { scale: "small" }).map((i) =>
        planFromArgs(i.experiment, i.args)
      ),
    );
    return plans.flatMap((p) => p.runs.map((r) => r.id));
  };
  const own = await idsOf("4c");
  assert.ok(own.length > 0);
  for (const id of ["6", "13", "14"]) assert.deepEqual(await idsOf(id), own);
  assert.notDeepEqual(await idsOf("4b"), own);
});

Deno.test("invocations: every figure's plan has one curve per point, the figure's network, sparsity and seeds", async () => {
  for (const f of PAPER_FIGURES.filter((f) => f.experiment !== "architectures")) {
    for (const seeds of [1, 2]) {
      const plans = await Promise.all(
        figureInvocations(f, { scale: "small", seeds }).map((i) =>
          planFromArgs(i.experiment, i.args)
        ),
      );
      const runs = plans.flatMap((p) => p.runs);
      const curves = new Set(runs.map((r) => pointKey(r.params)));
      assert.equal(curves.size, figurePoints(f, "small").length, f.id);
      assert.ok(runs.every((r) => r.network.kind === f.net && r.params.sparsity === f.sparsity));
      assert.equal(new Set(runs.map((r) => r.seed)).size, seeds);
    }
  }
});

const run = (P: number, over: Partial<Run> = {}): Run => ({
  id: String(P),
  experiment: "scaling",
  params: { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 },
  network: { kind: "cnn", width: 16, bias: "per-position", parametrisation: "mean-field" },
  training: {
    lr: 0.1,
    batch: 32,
    maxEpochs: 100,
    stopLoss: 1e-3,
    evalEvery: 5,
    encoding: "onehot",
    backend: "auto",
  },
  measure: { sensitivities: true, perClass: 20 },
  P,
  test: 1000,
  seed: 0,
  ...over,
});

Deno.test("cost: calibrateCost recovers the per-step cost of a synthetic machine", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 1e-4, max: 1e-2, noNaN: true }),
      fc.double({ min: 1e8, max: 1e11, noNaN: true }),
      (step, rate) => {
        const cost = { stepSeconds: step, sampleEpochs: Infinity };
        const flopRates = { cnn: rate, lcn: rate, fcn: rate };
        const truth = { flopRates, groups: { cnn: cost }, fallback: cost, source: "" };
        const lines: ResultLine[] = [100, 300, 1000, 3000, 10000].flatMap((P) =>
          [16, 64].map((width) => {
            const r = run(P, { network: { ...run(P).network, width }, id: `${P}-${width}` });
            return {
              id: r.id,
              status: "ok" as const,
              run: r,
              backend: "auto",
              versions: {},
              timings: { total: runSeconds(r, truth) },
              metrics: { testError: 0, epochs: r.training.maxEpochs },
            };
          })
        );
        const fit = calibrateCost(lines, "synthetic", { flopRates })!;
        assert.ok(Math.abs(fit.groups.cnn.stepSeconds / step - 1) < 1e-6);
        assert.equal(fit.groups.cnn.sampleEpochs, Infinity);
      },
    ),
    { numRuns: 30 },
  );
});

Deno.test("cost: at the epoch cap the estimate grows with P; it leaves out the runs done", () => {
  const cost = { stepSeconds: 1e-3, sampleEpochs: Infinity };
  const model = {
    flopRates: { cnn: 1e9, lcn: 1e9, fcn: 1e9 },
    groups: {},
    fallback: cost,
    source: "",
  };
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1e5 }), fc.integer({ min: 1, max: 1e5 }), (a, b) => {
      const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
      assert.ok(runSeconds(run(lo), model) <= runSeconds(run(hi), model));
    }),
  );
  const runs = [run(100), run(200)];
  const e = estimatePlan(runs, new Set(["100"]), model);
  assert.equal(e.done, 1);
  assert.equal(e.seconds, runSeconds(run(200), model));
});

Deno.test("fits: the prefactor scales with the data and the exponent of a power law is recovered", () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.integer({ min: 1, max: 1e6 }), { minLength: 3, maxLength: 8 }),
      fc.double({ min: 0.1, max: 10, noNaN: true }),
      fc.double({ min: -3, max: 3, noNaN: true }),
      (xs, c, a) => {
        const ratio = fitRatio("C", xs, xs.map((x) => c * x), c, { bootstrap: 50 });
        assert.ok(Math.abs(ratio.value! / c - 1) < 1e-9 && ratio.withinFactor2 === true);
        const exp = fitExponent("a", xs, xs.map((x) => c * x ** a), a, { bootstrap: 50 });
        assert.ok(Math.abs(exp.value! - a) < 1e-6);
      },
    ),
    { numRuns: 50 },
  );
});

/** Synthetic results: a learning curve per point whose P* is `factor` times the law (C = 1). */
function synthetic(id: string, factor: number): ResultLine[] {
  const f = figureById(id);
  return figurePoints(f, "small").flatMap((p, i) => {
    const params = {
      L: p.L,
      s: p.s,
      s0: p.s0,
      v: p.v,
      m: p.m ?? p.v ** (p.s - 1),
      nc: p.nc ?? p.v,
      sparsity: f.sparsity,
      seed: 0,
    };
    const pred = f.net === "lcn" ? predictLcn(params, 1) : predictCnn(params, 1);
    const pstar = factor * pred;
    return [pstar / 4, pstar / 2, pstar * 2, pstar * 4].map((P) => {
      // Linear in log P, crossing 0.1 at P = pstar (and S_2, D_2 too, for a threshold of 0.1).
      const e = 0.1 - 0.04 * Math.log2(P / pstar);
      const t = f.net === "fcn" ? { S: 0.1, D: 0.1 } : referenceThresholds(f.net, p.L);
      const table = (c: number) =>
        Array.from({ length: p.L + 1 }, () => Array.from({ length: p.L }, () => e - 0.1 + c));
      return {
        id: `${i}-${P}`,
        status: "ok" as const,
        run: { ...run(P), id: `${i}-${P}`, params, network: { ...run(P).network, kind: f.net } },
        backend: "cpu",
        versions: {},
        timings: {},
        metrics: { testError: e, S: table(t.S), D: table(t.D) },
      };
    });
  });
}

Deno.test("summaries: P* at the paper's law gives the paper's C0 and C1 and exponents", () => {
  for (const [id, C] of [["4c", CNN_C1], ["4b", LCN_C0]] as const) {
    // Scale every curve so that P* = C[s] * predictor.
    const scaled = synthetic(id, 1).map((l) => {
      const c = C[l.run.params.s];
      return { ...l, run: { ...l.run, P: l.run.P * c } };
    });
    const s = summarizeFigure(figureById(id), scaled, { bootstrap: 100 });
    for (const fit of s.fits) {
      if (fit.value === null) continue;
      assert.ok(Math.abs(fit.value / fit.paper! - 1) < 1e-6, `${id} ${fit.name}: ${fit.value}`);
    }
    assert.ok(s.fits.some((f) => f.name.startsWith("exponent of P* in s0+1") && f.value !== null));
  }
});

Deno.test("summaries: P*_S = P*_D = P* gives ratios 1 (figures 6, 10, 11, 14)", () => {
  for (const id of ["6", "10", "11", "14"]) {
    const s = summarizeFigure(figureById(id), synthetic(runsOwner(figureById(id)).id, 2), {
      bootstrap: 100,
    });
    const ratios = s.fits.filter((f) => f.name.includes(" / P*"));
    assert.ok(ratios.length > 0);
    for (const f of ratios) assert.ok(Math.abs(f.value! - 1) < 0.05, `${id} ${f.name} ${f.value}`);
  }
});

Deno.test("charts and reports: every figure's charts compile and its report has its fits", () => {
  for (const f of PAPER_FIGURES.filter((f) => f.experiment !== "architectures")) {
    const s = summarizeFigure(f, synthetic(runsOwner(f).id, 1.5), { bootstrap: 50 });
    const charts = figureCharts(f, s);
    assert.ok(charts.length > 0, f.id);
    for (const c of charts) compileSpec(c.spec);
    const md = figureReport(s, {
      scale: "small",
      commands: [],
      dropped: droppedPoints(f, "small"),
    });
    assert.ok(md.startsWith(`# Figure ${f.id}:`));
    for (const fit of s.fits) assert.ok(md.includes(fit.name), `${f.id}: ${fit.name}`);
  }
});

Deno.test("cost: DEFAULT_COST is the fit to the committed calibration runs", async () => {
  const lines = await readResults("docs/results/paper/calibration/results.jsonl");
  const fit = calibrateCost(lines, "calibration")!;
  const close = (a: number, b: number) =>
    a === b || Math.abs(a - b) <= 0.005 * Math.max(Math.abs(a), Math.abs(b));
  assert.deepEqual(Object.keys(fit.groups).sort(), Object.keys(DEFAULT_COST.groups).sort());
  for (const [key, c] of [...Object.entries(fit.groups), ["fallback", fit.fallback] as const]) {
    const d = key === "fallback" ? DEFAULT_COST.fallback : DEFAULT_COST.groups[key];
    for (const f of ["stepSeconds", "sampleEpochs"] as const) {
      assert.ok(close(c[f], d[f]), `${key}.${f}: fitted ${c[f]}, DEFAULT_COST ${d[f]}`);
    }
  }
});

/** Runs `deno task experiment paper ...` in-process; returns stdout lines, stderr and the code. */
async function paperCli(args: string[]): Promise<{ out: string[]; err: string[]; code: number }> {
  const { runCli } = await import("../experiments/cli/main.ts");
  const out: string[] = [];
  const err: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = (...xs: unknown[]) => out.push(xs.join(" "));
  console.error = (...xs: unknown[]) => err.push(xs.join(" "));
  try {
    return { out, err, code: await runCli(["paper", ...args]) };
  } finally {
    [console.log, console.error] = [log, error];
  }
}

Deno.test("paper CLI: --list, --dry-run of every figure (figure 1: the architectures experiment)", async () => {
  const list = await paperCli(["--list"]);
  assert.equal(list.out.length, PAPER_FIGURES.length);
  assert.ok(list.out.every((l) => /^[0-9a-z]+\t\S/.test(l)));
  const dir = await Deno.makeTempDir();
  const all = await paperCli(["--figure", "all", "--dry-run", "--out", dir]);
  assert.equal(all.code, 0);
  const ids = all.out.filter((l) => !l.startsWith(" ")).map((l) => l.split("\t")[0]);
  assert.deepEqual(ids.slice(0, -2), PAPER_FIGURES.map((f) => f.id));
  assert.match(all.out.at(-2)!, /^total\t\d+ distinct runs, 0 done, about .* of CPU time left$/);
  const one = await paperCli(["--figure", "1", "--dry-run", "--out", dir]);
  assert.equal(one.code, 0);
  assert.match(one.out[0], /^1\t14 runs, 0 done, about .* of CPU time left$/);
  const bad = await paperCli(["--figure", "4c", "--scale", "huge"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err.join("\n"), /--scale must be one of small, medium, paper/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("figure 1: the architectures experiment's runs, summarised, drawn and reported as a paper figure", () => {
  const f = figureById("1");
  const [inv] = figureInvocations(f, { scale: "small" });
  assert.deepEqual(inv, { experiment: "architectures", args: ["--scale", "small"] });
  const plan = planOfInvocation(inv);
  assert.equal(plan.runs.length, 14);
  // synthetic results: the test error grows with the sensitivities, network by network
  const nets = [...new Set(plan.runs.map((r) => r.network.kind))];
  const lines: ResultLine[] = plan.runs.map((run) => {
    const rank = nets.indexOf(run.network.kind) + 1;
    const e = 0.05 * rank + 0.001 * run.seed;
    const layers = run.network.kind === "cnn" || run.network.kind === "lcn" ? 2 : 4;
    const level = Array.from({ length: layers + 1 }, () => [e]);
    return {
      id: run.id,
      status: "ok",
      run,
      backend: "cpu",
      versions: {},
      timings: { total: 1 },
      metrics: { testError: e, S: level, D: level },
    } as unknown as ResultLine;
  });
  const s = summarizeFigure(f, lines);
  assert.equal(s.architectures?.architectures.length, 7);
  const rho = s.fits.find((x) => x.name.includes("D at output"));
  assert.equal(rho?.value, 1);
  const charts = figureCharts(f, s);
  assert.deepEqual(charts.map((c) => c.name), ["architectures"]);
  for (const c of charts) compileSpec(c.spec);
  const md = figureReport(s, { scale: "small", commands: [], dropped: [] });
  assert.ok(md.includes("| vgg11 | 2 |"), md);
  assert.ok(md.includes("Scale small: SRHM L = s = s0 = 2"));
});

Deno.test("the committed gallery: each figure's summary is what the code computes from the committed runs", async () => {
  const out = "docs/results/paper";
  const results = await readResults(`${out}/results.jsonl`, { onWarning: () => {} });
  let checked = 0;
  for (const f of PAPER_FIGURES) {
    let committed: { points: { pstar: number | null; pstarS: number | null }[]; fits: unknown[] };
    try {
      committed = JSON.parse(await Deno.readTextFile(`${out}/${f.id}/summary.json`));
    } catch {
      continue; // not measured yet
    }
    const [fp] = figurePlans([f], { scale: "small" }, planOfInvocation);
    const ids = new Set(fp.plan.runs.map((r) => r.id));
    const mine = [...latestById(results.filter((r) => ids.has(r.id))).values()];
    assert.ok(mine.length > 0, `figure ${f.id}: its runs are in ${out}/results.jsonl`);
    const s = summarizeFigure(f, mine);
    assert.deepEqual(
      s.points.map((p) => [p.pstar, p.pstarS]),
      committed.points.map((p) => [p.pstar, p.pstarS]),
      `figure ${f.id}`,
    );
    assert.equal(s.fits.length, committed.fits.length, `figure ${f.id}`);
    for (const c of figureCharts(f, s)) compileSpec(c.spec);
    checked++;
  }
  assert.ok(checked >= 5, `${checked} figures checked`);
});

Deno.test("paper: two processes on one --out compute each run once (runs are claimed)", async () => {
  const dir = await Deno.makeTempDir();
  const plans = figurePlans([figureById("12")], { scale: "small" }, planOfInvocation);
  const computed: string[] = [];
  const slow = async (run: Run) => {
    computed.push(run.id);
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { backend: "fake", metrics: { testError: 1000 / run.P } };
  };
  const options = { scale: "small" as const, runner: slow, pollMs: 10 };
  await Promise.all([runPaper(plans, dir, options), runPaper(plans, dir, options)]);
  const ids = plans[0].plan.runs.map((r) => r.id);
  assert.deepEqual([...computed].sort(), [...ids].sort());
  const lines = await readResults(`${dir}/results.jsonl`);
  assert.equal(lines.length, ids.length);
  await Deno.remove(dir, { recursive: true });
});
