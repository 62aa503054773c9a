/**
 * Results directories written before the package was reshaped (issue 8), with the ids pinned here.
 * Since issue 9 the protocol is written into every run, so the same command lines make other ids
 * (such a directory resumes nothing), but the directories are still read: `report` gives the same
 * measurements, with the protocol they were made under.
 *
 * The fixtures in `tests/fixtures/resume/<experiment>/` were written by
 * `deno task experiment <experiment> <FLAGS> [extra] --out DIR` with the flags below.
 */
import assert from "node:assert/strict";
import { readResults, runId } from "../experiments/mod.ts";
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

for (const { experiment, args, ids } of CASES) {
  Deno.test(`${experiment}: since issue 9 the same command line makes other run ids`, async () => {
    // The protocol (the authors' by default) is written into every run, so no id of before
    // matches: such a directory resumes nothing, as docs/experiments.md says.
    const plan = await planFromArgs(experiment, args);
    assert.equal(plan.runs.length, ids.length);
    for (const id of ids) assert.ok(!plan.runs.some((r) => r.id === id), id);
    const results = await readResults(`${fixture(experiment)}results.jsonl`);
    assert.deepEqual(results.map((r) => r.id), [...ids]);
    // read with the protocol its code ran
    for (const r of results) {
      assert.equal(r.run.measure.synonymVariant, "other");
      assert.equal(r.run.measure.cumulative, false);
      assert.equal(r.run.measure.denominator, "independent");
      assert.equal(r.run.training.stopCheck, "epoch");
      assert.equal(r.run.training.balanced, false);
      assert.notEqual(runId(r.run), r.id);
    }
  });

  Deno.test(`${experiment}: a directory written before issue 9 is still read by report`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      for (const file of ["results.jsonl", "summary.json", "report.md"]) {
        await Deno.copyFile(`${fixture(experiment)}${file}`, `${dir}/${file}`);
      }
      const before = JSON.parse(await Deno.readTextFile(`${dir}/summary.json`));
      assert.equal(await runCli(["report", dir, "--no-figures"]), 0);
      const after = JSON.parse(await Deno.readTextFile(`${dir}/summary.json`));
      // the same measurements, now with the protocol they were made under
      assert.deepEqual(after.pstar, before.pstar);
      assert.deepEqual(
        after.points.map((p: { testError: number }) => p.testError),
        before.points.map((p: { testError: number }) => p.testError),
      );
      assert.match(await Deno.readTextFile(`${dir}/report.md`), /denominator independent/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
