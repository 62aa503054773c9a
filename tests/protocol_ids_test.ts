/**
 * The run ids of the issue-9 measurement sweeps (docs/bench-experiments.md) are pinned: a change
 * of code that changed them would make `docs/results/*` resume nothing. The sweeps were started
 * from commit a52c841; the ids below are those that code made, and every line of the committed
 * results directories must belong to its sweep's plan.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { planFromArgs } from "../experiments/cli/experiments.ts";
import { readResults } from "../experiments/store.ts";

const COMMON = ["--scale", "small", "--vary", "s0", "--seeds", "3"];
const SWEEPS = [
  {
    dir: "s0-scaling-table",
    args: [...COMMON, "--values", "0,1,2,3,4"],
    runs: 99,
    first: "14fe9891a4e30156",
    last: "157453cc84d05f1d",
    all: "c8185539d299e141",
  },
  {
    dir: "s0-scaling-fixed",
    args: [...COMMON, "--values", "0,1,2,3,4", "--lr", "0.1"],
    runs: 99,
    first: "cfb5e28f1d676154",
    last: "aa2be20625a17706",
    all: "784297c060a32914",
  },
  {
    dir: "lcn-table",
    args: [...COMMON, "--nets", "lcn", "--values", "0,1,2"],
    // resumed later with s0 = 3: its results belong to that plan
    resultsArgs: [...COMMON, "--nets", "lcn", "--values", "0,1,2,3"],
    runs: 57,
    first: "7018628114fe8d4f",
    last: "f2912b4c7b409b85",
    all: "e2c969e4964bf21b",
  },
  {
    dir: "s0-scaling-grid",
    args: [...COMMON, "--values", "0,1,2,3,4", "--lr-grid", "0.01,0.03,0.1"],
    // resumed later with the fourth rate: its results belong to the 4-rate plan
    resultsArgs: [...COMMON, "--values", "0,1,2,3,4", "--lr-grid", "0.01,0.03,0.1,0.3"],
    runs: 297,
    first: "14fe9891a4e30156",
    last: "aa2be20625a17706",
    all: "3446c7e023c2ebda",
  },
];

const results = new URL("../docs/results/", import.meta.url).pathname;

for (const s of SWEEPS) {
  test(`the ${s.dir} sweep's plan has the pinned run ids, and its results belong to it`, async () => {
    const ids = (await planFromArgs("scaling", s.args)).runs.map((r) => r.id);
    assert.equal(ids.length, s.runs);
    assert.equal(ids[0], s.first);
    assert.equal(ids[ids.length - 1], s.last);
    const digest = createHash("sha256").update(ids.join(",")).digest("hex").slice(0, 16);
    assert.equal(digest, s.all);
    const resultsArgs = "resultsArgs" in s ? s.resultsArgs : undefined;
    const plan = new Set(
      resultsArgs ? (await planFromArgs("scaling", resultsArgs)).runs.map((r) => r.id) : ids,
    );
    for (const id of ids) assert.ok(plan.has(id));
    const lines = await readResults(`${results}${s.dir}/results.jsonl`);
    for (const line of lines) assert.ok(plan.has(line.id), `${s.dir}: ${line.id} not in the plan`);
  });
}
