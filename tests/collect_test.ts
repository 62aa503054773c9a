import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { makePlan, type Plan, type Run, type RunSpec } from "../experiments/plan.ts";
import {
  collectSweep,
  formatCollectReport,
  killedResult,
  mergeResults,
} from "../experiments/collect.ts";
import { runSweep } from "../experiments/sweep.ts";
import { shardFile, sweepPaths, writePlan } from "../experiments/sweep_dir.ts";
import { executePlan } from "../experiments/executor.ts";
import type { Runner } from "../experiments/runner.ts";
import { isKilled, pendingRuns, readResults, type ResultLine } from "../experiments/store.ts";
import { tinyRunSpec } from "./fixtures.ts";

const spec = (P: number, seed: number): RunSpec =>
  tinyRunSpec({ experiment: "collect-test", P, seed });

function plan(n: number): Plan {
  return makePlan("collect-test", { n }, Array.from({ length: n }, (_, k) => spec(8 + k, k % 3)));
}

function line(run: Run, status: "ok" | "failed", reason?: string): ResultLine {
  return {
    id: run.id,
    status,
    ...(reason === undefined ? {} : { reason }),
    run,
    backend: "test",
    versions: {},
    timings: { total: 0 },
    metrics: status === "ok" ? { testError: 1 / run.P } : null,
  };
}

/** A deterministic fake runner: the test error is a function of P and the seed. */
const runner: Runner = (run) =>
  Promise.resolve({ backend: "test", metrics: { testError: run.seed / run.P } });

async function withDir(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "srhm-collect-" });
  try {
    await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

test("mergeResults keeps one line per id: ok over failed, later over earlier", () => {
  const p = plan(3);
  const [a, b, c] = p.runs;
  const merged = mergeResults([
    line(c, "failed", "diverged"),
    line(b, "ok"),
    line(a, "failed", "killed by SIGTERM"),
    line(a, "ok"),
    line(b, "failed", "killed by SIGTERM"),
    line(c, "failed", "diverged again"),
  ], p.runs);
  assert.deepEqual(merged.map((r) => [r.id, r.status]), [
    [a.id, "ok"],
    [b.id, "ok"],
    [c.id, "failed"],
  ]);
  assert.equal(merged[2].reason, "diverged again");
});

test("merging is idempotent and does not depend on how lines are split among shards", () => {
  const p = plan(12);
  const arbitraryLines = fc.array(
    fc.record({
      k: fc.integer({ min: 0, max: 11 }),
      status: fc.constantFrom("ok" as const, "failed" as const),
      killed: fc.boolean(),
    }),
    { maxLength: 40 },
  );
  fc.assert(
    fc.property(arbitraryLines, fc.integer({ min: 1, max: 5 }), (spec, shards) => {
      const lines = spec.map(({ k, status, killed }) =>
        line(
          p.runs[k],
          status,
          status === "failed" ? (killed ? "killed by X" : "diverged") : undefined,
        )
      );
      const merged = mergeResults(lines, p.runs);
      assert.equal(new Set(merged.map((r) => r.id)).size, merged.length);
      assert.deepEqual(mergeResults(merged, p.runs), merged);
      // Any run with an ok line anywhere is ok in the merge, whatever the split and order.
      const okIds = new Set(lines.filter((l) => l.status === "ok").map((l) => l.id));
      const split = Array.from(
        { length: shards },
        (_, i) => lines.filter((_, j) => j % shards === i),
      );
      const regrouped = mergeResults(split.reverse().flat(), p.runs);
      assert.deepEqual(
        new Set(regrouped.filter((r) => r.status === "ok").map((r) => r.id)),
        okIds,
      );
      // Pending = no line, or failed only by kills.
      const pending = new Set(pendingRuns(p.runs, lines).map((r) => r.id));
      for (const run of p.runs) {
        const mine = lines.filter((l) => l.id === run.id);
        const expected = mine.length === 0 ||
          (!okIds.has(run.id) && isKilled(mine.filter((l) => l.status === "failed").at(-1)!));
        assert.equal(pending.has(run.id), expected, run.id);
      }
    }),
    { seed: 42, numRuns: 150 },
  );
});

test("pendingRuns: killed runs are pending, runs that failed by themselves only with retryFailed", () => {
  const p = plan(4);
  const [a, b, c] = p.runs;
  const lines = [
    line(a, "ok"),
    line(b, "failed", "diverged at epoch 3"),
    killedResult(c, "SIGTERM", "t", 2),
  ];
  assert.equal(killedResult(c, "SIGTERM", "t", 2).reason?.startsWith("killed by SIGTERM"), true);
  assert.deepEqual(pendingRuns(p.runs, lines).map((r) => r.id), [c.id, p.runs[3].id]);
  assert.deepEqual(
    pendingRuns(p.runs, lines, { retryFailed: true }).map((r) => r.id),
    [b.id, c.id, p.runs[3].id],
  );
});

test("collect merges shards, skips and reports a truncated line, and lists the missing runs", async () => {
  await withDir(async (dir) => {
    const p = plan(6);
    const paths = sweepPaths(dir);
    await writePlan(paths.plan, p);
    await Deno.mkdir(paths.shards, { recursive: true });
    const [r0, r1, r2, r3, r4] = p.runs;
    const json = (l: ResultLine) => JSON.stringify(l) + "\n";
    await Deno.writeTextFile(
      `${paths.shards}/1-task-0.jsonl`,
      json(line(r0, "ok")) + json(line(r3, "ok")),
    );
    // Task 1 was killed while writing its second line, then while computing r4.
    await Deno.writeTextFile(
      `${paths.shards}/1-task-1.jsonl`,
      json(line(r1, "ok")) + json(killedResult(r4, "SIGTERM", "t", 1)) +
        json(line(r4, "ok")).slice(0, 40),
    );
    await Deno.writeTextFile(
      `${paths.shards}/1-task-2.jsonl`,
      json(line(r2, "failed", "diverged")),
    );
    const report = await collectSweep(dir);
    assert.equal(report.planned, 6);
    assert.equal(report.ok, 3);
    assert.deepEqual(report.failed.map((r) => r.id), [r2.id]);
    assert.deepEqual(report.missing.map((r) => r.id), [r4.id, p.runs[5].id]);
    assert.deepEqual(report.killed.map((r) => r.id), [r4.id]);
    assert.equal(report.warnings.length, 1);
    assert.match(
      report.warnings[0],
      /1-task-1\.jsonl: line 3: not valid JSON \(truncated last line\?\)/,
    );
    const text = formatCollectReport(report);
    assert.match(text, /3 ok, 1 failed, 2 missing \(1 killed while running\)/);
    assert.match(text, new RegExp(`${r4.id} .*killed by SIGTERM`));
    // The merged file: one line per run with a line, in plan order.
    const merged = await readResults(sweepPaths(dir).results);
    assert.deepEqual(merged.map((r) => r.id), [r0.id, r1.id, r2.id, r3.id, r4.id]);
    // Collecting again changes nothing (the merged file is read too, and agrees).
    const again = await collectSweep(dir);
    assert.deepEqual(again.results, report.results);
    assert.deepEqual(again.missing.map((r) => r.id), report.missing.map((r) => r.id));
    // --retry-failed counts the diverged run as missing as well.
    const retry = await collectSweep(dir, { write: false, retryFailed: true });
    assert.deepEqual(retry.missing.map((r) => r.id), [r2.id, r4.id, p.runs[5].id]);
  });
});

test("collect on a directory with nothing to collect says so", async () => {
  await withDir(async (dir) => {
    await assert.rejects(collectSweep(dir), /not a sweep directory/);
  });
});

test("shards of a sweep are disjoint; together with collect they give the unsharded results", async () => {
  await withDir(async (dir) => {
    const p = plan(7);
    for (const index of [2, 0, 1]) {
      const s = await runSweep(p, {
        dir: `${dir}/sweep`,
        shard: { index, count: 3 },
        runner,
        signals: [],
      });
      assert.equal(s.ok, s.planned);
      assert.equal(s.resultsFile, shardFile(`${dir}/sweep`, { index, count: 3 }));
    }
    const report = await collectSweep(`${dir}/sweep`);
    assert.equal(report.lines, 7); // every run computed exactly once
    assert.equal(report.missing.length, 0);
    await executePlan(p, { resultsFile: `${dir}/single.jsonl`, runner });
    const one = await readResults(`${dir}/single.jsonl`);
    assert.deepEqual(
      report.results.map((r) => [r.id, r.metrics]),
      one.map((r) => [r.id, r.metrics]),
    );
    // A second sweep over the whole plan computes nothing.
    const rerun = await runSweep(p, { dir: `${dir}/sweep`, runner, signals: [] });
    assert.equal(rerun.settled, 7);
    assert.equal(rerun.ok + rerun.failed, 0);
  });
});

test("a run that throws is recorded as failed and the task goes on", async () => {
  await withDir(async (dir) => {
    const p = plan(5);
    const bad = p.runs[1].id;
    const flaky: Runner = (run, ctx) =>
      run.id === bad ? Promise.reject(new Error("diverged: loss is NaN")) : runner(run, ctx);
    const s = await runSweep(p, { dir, runner: flaky, signals: [] });
    assert.equal(s.ok, 4);
    assert.equal(s.failed, 1);
    const report = await collectSweep(dir);
    assert.deepEqual(report.failed.map((r) => [r.id, r.reason]), [[bad, "diverged: loss is NaN"]]);
    assert.equal(report.missing.length, 0);
  });
});

test("a sweep into a directory holding another plan is refused", async () => {
  await withDir(async (dir) => {
    await runSweep(plan(2), { dir, runner, signals: [] });
    const other = makePlan("collect-test", {}, [spec(999, 0)]);
    await assert.rejects(runSweep(other, { dir, runner, signals: [] }), /holds another sweep/);
  });
});

test("SIGTERM records the run in progress as killed; a second sweep computes only what is left", async () => {
  await withDir(async (dir) => {
    const p = plan(4);
    const planFile = `${dir}/input.json`;
    await writePlan(planFile, p);
    const sweepUrl = new URL("../experiments/sweep.ts", import.meta.url).href;
    const sweepDirUrl = new URL("../experiments/sweep_dir.ts", import.meta.url).href;
    // A task whose second run hangs (it tells the test when it has started).
    const script = `
      import { runSweep } from "${sweepUrl}";
      import { readPlan } from "${sweepDirUrl}";
      const plan = await readPlan(${JSON.stringify(planFile)});
      let n = 0;
      await runSweep(plan, { dir: ${JSON.stringify(`${dir}/sweep`)}, runner: async (run) => {
        if (++n === 2) {
          await Deno.writeTextFile(${JSON.stringify(`${dir}/started`)}, run.id);
          await new Promise((resolve) => setTimeout(resolve, 120_000));
        }
        return { backend: "test", metrics: { testError: run.seed / run.P } };
      } });
    `;
    await Deno.writeTextFile(`${dir}/task.ts`, script);
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${dir}/task.ts`],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    let hung = "";
    for (let i = 0; i < 600 && hung === ""; i++) {
      hung = await Deno.readTextFile(`${dir}/started`).catch(() => "");
      if (hung === "") await new Promise((r) => setTimeout(r, 100));
    }
    assert.notEqual(hung, "", "the task never reached its second run");
    child.kill("SIGTERM");
    const status = await child.status;
    await child.stderr.cancel();
    assert.equal(status.code, 143);
    const report = await collectSweep(`${dir}/sweep`);
    assert.equal(report.ok, 1);
    assert.deepEqual(report.killed.map((r) => r.id), [hung]);
    assert.match(report.killed[0].reason ?? "", /^killed by SIGTERM/);
    assert.deepEqual(report.missing.map((r) => r.id), p.runs.slice(1).map((r) => r.id));
    const computed: string[] = [];
    const rerun = await runSweep(p, {
      dir: `${dir}/sweep`,
      runner: (run, ctx) => {
        computed.push(run.id);
        return runner(run, ctx);
      },
      signals: [],
    });
    assert.deepEqual(computed, p.runs.slice(1).map((r) => r.id));
    assert.equal(rerun.settled, 1);
    assert.equal((await collectSweep(`${dir}/sweep`)).missing.length, 0);
  });
});
