import { test } from "node:test";
import assert from "node:assert/strict";
import { writeOutputs } from "../experiments/run_experiment.ts";
import { makeRun } from "../experiments/plan.ts";
import type { ResultLine } from "../experiments/store.ts";
import { tinyRunSpec } from "./fixtures.ts";

const result = (P: number, source: string, S: number[][]): ResultLine => {
  const run = makeRun(tinyRunSpec({ experiment: "curve", P, measure: { sensitivities: true } }));
  return {
    id: run.id,
    status: "ok",
    run,
    backend: "cpu",
    versions: { srhm: "0.1.0", source },
    timings: { total: 1 },
    metrics: { testError: 0.5, S, D: S },
  };
};

test("summary.json writes non-finite numbers as results.jsonl does, never as null", async () => {
  const dir = await Deno.makeTempDir();
  const S = [[NaN, Infinity], [0.5, 0.25], [0.5, 0.5]];
  await writeOutputs([result(4, "sha256:aaaaaaaaaaaa", S)], dir, { figures: false });
  const text = await Deno.readTextFile(`${dir}/summary.json`);
  assert.match(text, /"NaN"/);
  assert.match(text, /"Infinity"/);
  assert.doesNotMatch(text, /\[\s*null/);
  await Deno.remove(dir, { recursive: true });
});

test("the report lists the code versions present, and says when they are mixed", async () => {
  const dir = await Deno.makeTempDir();
  const S = [[1, 1], [1, 1], [1, 1]];
  await writeOutputs(
    [result(4, "sha256:aaaaaaaaaaaa", S), result(8, "sha256:bbbbbbbbbbbb", S)],
    dir,
    { figures: false },
  );
  const md = await Deno.readTextFile(`${dir}/report.md`);
  assert.match(
    md,
    /Code versions: srhm 0\.1\.0 \(sha256:a{12}\): 1 runs; srhm 0\.1\.0 \(sha256:b{12}\): 1 runs \(MIXED\)/,
  );
  await Deno.remove(dir, { recursive: true });
});
