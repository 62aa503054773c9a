import { test } from "node:test";
import assert from "node:assert/strict";
import { makeRun, type RunSpec } from "../experiments/plan.ts";
import { runPipeline } from "../experiments/pipeline.ts";
import { RunFailure } from "../experiments/runner.ts";
import { executePlan } from "../experiments/executor.ts";
import { makePlan } from "../experiments/plan.ts";
import { readResults } from "../experiments/store.ts";
import { type TinyRunOverrides, tinyRunSpec } from "./fixtures.ts";

const spec = (over: TinyRunOverrides = {}): RunSpec =>
  tinyRunSpec({
    experiment: "pipeline-test",
    P: 24,
    test: 30,
    seed: 1,
    ...over,
    params: { v: 3, m: 3, nc: 3, seed: 2, ...over.params },
    training: { batch: 12, maxEpochs: 3, ...over.training },
    measure: { sensitivities: true, perClass: 4, ...over.measure },
  });

test("a run gives the test error and S, D for every layer (and the logits) and level", async () => {
  const epochs: number[] = [];
  const out = await runPipeline(makeRun(spec()), { report: (p) => epochs.push(p.epoch) });
  assert.equal(out.backend, "cpu");
  assert.deepEqual(epochs, [1, 2, 3]);
  const { testError, S, D, epochs: n } = out.metrics;
  assert.ok(testError >= 0 && testError <= 1);
  assert.equal(n, 3);
  for (const table of [S, D]) {
    assert.equal(table?.length, 3); // 2 hidden layers + logits
    for (const row of table ?? []) {
      assert.equal(row.length, 2); // levels 1, 2
      for (const x of row) assert.ok(Number.isFinite(x) && x >= 0, `${x}`);
    }
  }
  // s0 = 0: a diffeomorphism has no uninformative slot to move, so it is the identity.
  for (const row of D ?? []) for (const x of row) assert.equal(x, 0);
  assert.ok((S ?? []).some((row) => row.some((x) => x > 0)), JSON.stringify(S));
  assert.equal(typeof out.timings?.train, "number");
});

test("m = 1: S is NaN (not defined for m = 1) with the variant other, 0 with redraw; D is measured", async () => {
  const params = { L: 2, s: 2, s0: 1, v: 3, m: 1, nc: 3, sparsity: "A", seed: 2 } as const;
  const training = { ...spec().training, maxEpochs: 1 };
  const other = await runPipeline(
    makeRun(
      spec({
        params,
        training,
        measure: { sensitivities: true, perClass: 4, synonymVariant: "other" },
      }),
    ),
  );
  const redraw = await runPipeline(
    makeRun(
      spec({
        params,
        training,
        measure: { sensitivities: true, perClass: 4, synonymVariant: "redraw" },
      }),
    ),
  );
  for (const row of other.metrics.S ?? []) for (const x of row) assert.ok(Number.isNaN(x));
  // redraw among the m = 1 synonyms is the identity.
  for (const row of redraw.metrics.S ?? []) for (const x of row) assert.equal(x, 0);
  assert.equal(other.metrics.S?.length, 3);
  assert.ok((other.metrics.D ?? []).flat().every((x) => Number.isFinite(x) && x >= 0));
  assert.ok((other.metrics.D ?? []).flat().some((x) => x > 0));
});

test("the measure's variant and cumulative reach the transformations", async () => {
  const base = await runPipeline(
    makeRun(spec({ measure: { sensitivities: true, perClass: 4, cumulative: false } })),
  );
  const cumulative = await runPipeline(
    makeRun(spec({ measure: { sensitivities: true, perClass: 4, cumulative: true } })),
  );
  assert.deepEqual(cumulative.metrics.testError, base.metrics.testError);
  // Level 1 alone is the same transformation either way; level 2 cumulative also moves level 1.
  assert.deepEqual(cumulative.metrics.S?.map((r) => r[0]), base.metrics.S?.map((r) => r[0]));
  assert.notDeepEqual(cumulative.metrics.S?.map((r) => r[1]), base.metrics.S?.map((r) => r[1]));
});

test("the same run gives the same metrics (cpu backend); another seed does not", async () => {
  const a = await runPipeline(makeRun(spec()));
  const b = await runPipeline(makeRun(spec()));
  assert.deepEqual(a.metrics.S, b.metrics.S);
  assert.deepEqual(a.metrics.D, b.metrics.D);
  assert.equal(a.metrics.testError, b.metrics.testError);
  assert.equal(a.metrics.trainLoss, b.metrics.trainLoss);
  const c = await runPipeline(makeRun(spec({ seed: 2 })));
  assert.notDeepEqual(a.metrics.S, c.metrics.S);
});

test("without sensitivities, none are measured", async () => {
  const out = await runPipeline(
    makeRun(spec({ measure: { sensitivities: false, perClass: 4 } })),
  );
  assert.equal(out.metrics.S, undefined);
  assert.equal(out.metrics.D, undefined);
});

test("a diverging run fails with its reason and the executor records it, others go on", async () => {
  const diverging = spec({
    training: { ...spec().training, lr: 1e20, maxEpochs: 5 },
  });
  await assert.rejects(runPipeline(makeRun(diverging)), (e) => {
    assert.ok(e instanceof RunFailure);
    assert.match(e.message, /^diverged/);
    assert.equal(e.backend, "cpu");
    return true;
  });
  const dir = await Deno.makeTempDir();
  const plan = makePlan("pipeline-test", {}, [diverging, spec()]);
  const summary = await executePlan(plan, { resultsFile: `${dir}/r.jsonl`, runner: runPipeline });
  assert.equal(summary.failed, 1);
  assert.equal(summary.ok, 1);
  const [bad, good] = await readResults(`${dir}/r.jsonl`);
  assert.equal(bad.status, "failed");
  assert.match(bad.reason ?? "", /^diverged/);
  assert.equal(bad.backend, "cpu");
  assert.equal(good.status, "ok");
  await Deno.remove(dir, { recursive: true });
});
