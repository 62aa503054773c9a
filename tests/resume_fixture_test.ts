/**
 * Results directories written before the package was reshaped (issue 8) still resume: the plans
 * that the same command lines make now have the same run ids (pinned here, byte for byte), running
 * the command again on such a directory computes nothing, and the summary and report it writes
 * are the same as those written then.
 *
 * The fixtures in `tests/fixtures/resume/<experiment>/` were written by
 * `deno task experiment <experiment> <FLAGS> [extra] --out DIR` with the flags below.
 */
import assert from "node:assert/strict";
import { executePlan, readResults, runId } from "../experiments/mod.ts";
import { planFromArgs } from "../experiments/cli/experiments.ts";
import { runCli } from "../experiments/cli/main.ts";

const FLAGS = [
  "--P",
  "8,16",
  "--width",
  "4",
  "--max-epochs",
  "2",
  "--eval-every",
  "1",
  "--test",
  "16",
  "--per-class",
  "2",
  "--backend",
  "cpu",
];

const CASES = [
  {
    experiment: "curve",
    args: FLAGS,
    ids: ["0d42eb6701c94fe3", "1197843034d7a8aa"],
  },
  {
    experiment: "scaling",
    args: [...FLAGS, "--values", "0,1"],
    ids: ["8e86fe527f3df9b0", "c01941e3554663d4", "0551a9ff473310e8", "117fa58c58ddf399"],
  },
  {
    experiment: "hierarchy",
    args: [...FLAGS, "--seeds", "2"],
    ids: ["3797a7e75ebdf80b", "b36806dfcf0fa107", "3878237b8e2e6bff", "b477eb3cd70d5d9a"],
  },
] as const;

const fixture = (experiment: string) =>
  new URL(`./fixtures/resume/${experiment}/`, import.meta.url).pathname;

/** The report from its first section on (the title and preamble name the directory and count). */
const sections = (md: string) => md.slice(md.indexOf("\n## "));

for (const { experiment, args, ids } of CASES) {
  Deno.test(`${experiment}: the plan of the same command line has the pinned run ids`, async () => {
    const plan = await planFromArgs(experiment, args);
    assert.deepEqual(plan.runs.map((r) => r.id), [...ids]);
    const results = await readResults(`${fixture(experiment)}results.jsonl`);
    assert.deepEqual(results.map((r) => r.id), [...ids]);
    for (const r of results) assert.equal(runId(r.run), r.id);
  });

  Deno.test(`${experiment}: a directory written before the reshaping resumes with no new run`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      for (const file of ["results.jsonl", "summary.json", "report.md"]) {
        await Deno.copyFile(`${fixture(experiment)}${file}`, `${dir}/${file}`);
      }
      const before = await Deno.readTextFile(`${dir}/results.jsonl`);
      const plan = await planFromArgs(experiment, args);
      const runner = () => Promise.reject(new Error("no run should be computed"));
      const summary = await executePlan(plan, { resultsFile: `${dir}/results.jsonl`, runner });
      assert.deepEqual([summary.ok, summary.failed, summary.skipped], [0, 0, ids.length]);
      assert.equal(await runCli([experiment, ...args, "--quiet", "--out", dir]), 0);
      assert.equal(await Deno.readTextFile(`${dir}/results.jsonl`), before);
      assert.equal(
        await Deno.readTextFile(`${dir}/summary.json`),
        await Deno.readTextFile(`${fixture(experiment)}summary.json`),
      );
      assert.equal(
        sections(await Deno.readTextFile(`${dir}/report.md`)),
        sections(await Deno.readTextFile(`${fixture(experiment)}report.md`)),
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
