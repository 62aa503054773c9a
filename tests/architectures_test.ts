/**
 * The `architectures` experiment (the paper's Figure 1): its plan, its summary (sites, Spearman,
 * bootstrap), and its outputs end to end with a stand-in runner (no training: the glue only).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { spearman } from "@srhm/metrics";
import {
  ARCHITECTURES_PRESETS,
  architecturesPlan,
  FIGURE1_NETS,
} from "../experiments/architectures/plan.ts";
import { layerNames } from "../experiments/architectures/runs.ts";
import { runExperiment } from "../experiments/run_experiment.ts";
import { siteRows, summarizeArchitectures } from "../experiments/architectures/summary.ts";
import type { Run } from "../experiments/plan.ts";
import type { RunOutput } from "../experiments/runner.ts";

Deno.test("the plan: seven networks x seeds, each family with its scale's recipe", () => {
  for (const scale of ["small", "paper"] as const) {
    const plan = architecturesPlan({ scale, seeds: 3 });
    assert.equal(plan.runs.length, 21);
    const preset = ARCHITECTURES_PRESETS[scale];
    for (const run of plan.runs) {
      const deep = !["cnn", "lcn"].includes(run.network.kind);
      const family = deep ? preset.deep : preset.hierarchical;
      assert.equal(run.network.width, family.width);
      assert.equal(run.training.batch, family.batch);
      assert.equal(run.training.maxEpochs, family.maxEpochs);
      assert.equal(run.training.weightDecay, deep ? 5e-4 : undefined);
      assert.equal(run.params.v, 10);
      assert.equal(run.P, preset.P);
      assert.ok(run.measure.sensitivities);
    }
    assert.deepEqual([...new Set(plan.runs.map((r) => r.network.kind))], FIGURE1_NETS);
  }
  const vgg = architecturesPlan({ scale: "paper" }).runs.find((r) =>
    (r.network.kind as string) === "vgg11"
  );
  assert.equal(vgg?.training.lr, 1e-4);
  assert.throws(() => architecturesPlan({ scale: "small", seeds: 0 }), /seeds must be/);
});

Deno.test("the sites: logits, int(0.8 n) and the last of n hidden representations", () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 100 }), (n) => {
    const r = siteRows(n);
    assert.equal(r.output, n);
    assert.equal(r.lastHidden, n - 1);
    assert.ok(r.depth80 >= 0 && r.depth80 <= n - 1 && r.depth80 === Math.floor(0.8 * n));
  }));
});

Deno.test("Spearman: +-1 for monotone relations, invariant under monotone maps, symmetric", () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.integer({ min: 1, max: 1000000 }), {
        minLength: 3,
        maxLength: 20,
      }),
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 20, maxLength: 20 }),
      (xs, noise) => {
        const ys = xs.map((x, i) => x + noise[i]);
        assert.ok(Math.abs(spearman(xs, xs.map((x) => Math.log(x))) - 1) < 1e-12);
        assert.ok(Math.abs(spearman(xs, xs.map((x) => -x * x)) + 1) < 1e-12);
        const r = spearman(xs, ys);
        if (Number.isFinite(r)) {
          assert.ok(Math.abs(r - spearman(ys, xs)) < 1e-12);
          assert.ok(Math.abs(r - spearman(xs.map((x) => Math.sqrt(x) * x), ys)) < 1e-9);
          assert.ok(r >= -1 - 1e-12 && r <= 1 + 1e-12);
        }
      },
    ),
  );
});

Deno.test("the bootstrap interval contains the point estimate when errors track sensitivities", () => {
  const runs = FIGURE1_NETS.flatMap((net, i) =>
    [0, 1, 2].map((seed) => {
      const e = 0.1 * (i + 1) + 0.01 * seed;
      return {
        net,
        seed,
        testError: e,
        layers: ["a", "b"],
        S: [[e], [e], [e]],
        D: [[e], [e], [e]],
      };
    })
  );
  const s = summarizeArchitectures(runs, { resamples: 200 });
  for (const c of s.correlation) {
    assert.equal(c.spearman, 1);
    assert.ok(c.interval[0] <= 1 && c.interval[1] === 1, `${c.interval}`);
  }
  assert.deepEqual(s.architectures.map((a) => a.net), FIGURE1_NETS);
});

Deno.test("layer names: one per hidden representation of each network", () => {
  const plan = architecturesPlan({ scale: "small", seeds: 1 });
  const counts = plan.runs.map((r) => layerNames(r).length);
  // cnn, lcn (L = 2); vgg11 13, vgg16 18, resnet18 9, resnet34 17, efficientnetb0 17 blocks
  assert.deepEqual(counts, [2, 2, 13, 18, 9, 17, 17]);
});

Deno.test("the registered experiment writes summary.json, the figure and report.md; resumes", async () => {
  const out = await Deno.makeTempDir();
  // a stand-in runner: the test error grows with the network's index, the sensitivities with it
  const runner = (run: Run): Promise<RunOutput> => {
    const i = FIGURE1_NETS.indexOf(run.network.kind);
    const rows = layerNames(run).length + 1;
    const e = 0.1 + 0.1 * i + 0.01 * run.seed;
    const table = Array.from({ length: rows }, (_, k) => [e * (k + 1) / rows, e]);
    return Promise.resolve({
      backend: "none",
      versions: {},
      timings: { train: 1 },
      metrics: { testError: e, S: table, D: table.map((r) => r.map((x) => 2 * x)) },
    });
  };
  try {
    const plan = architecturesPlan({ scale: "small", seeds: 2 });
    const first = await runExperiment(plan, out, { runner });
    assert.equal(first.execution.ok, 14);
    const summary = JSON.parse(await Deno.readTextFile(`${out}/summary.json`));
    assert.equal(summary.architectures.length, 7);
    assert.deepEqual(summary.correlation.map((c: { measure: string }) => c.measure), [
      "D_output",
      "S_output",
      "D_depth80",
      "S_depth80",
    ]);
    assert.equal(summary.correlation[0].spearman, 1);
    assert.equal(summary.architectures[2].layers.depth80, "conv7");
    assert.ok((await Deno.stat(`${out}/architectures.png`)).size > 0);
    assert.ok((await Deno.readTextFile(`${out}/report.md`)).includes("| vgg11 | 2 |"));
    const again = await runExperiment(plan, out, { runner });
    assert.equal(again.execution.ok, 0);
    assert.equal(again.execution.skipped, 14);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
