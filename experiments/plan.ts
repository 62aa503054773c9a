/**
 * Plans: an experiment is first a list of runs, each plain data with a content-derived id.
 *
 * A run's `id` is the first 16 hex digits of the SHA-256 (`node:crypto`'s `createHash`, synchronous)
 * of its canonical JSON (`canonical_json.ts`: keys sorted, no whitespace) with `id`
 * left out. Two runs with the same content get the same id on every machine, so a results file
 * can be resumed, sharded and merged by id. `makeRun` writes every protocol field into the run,
 * the authors' value where the spec leaves it out (`withProtocol`, see `protocol.ts`), so the id
 * covers the protocol. Since issue 9 the defaults are the authors' and always written: every run
 * id changed then, and a results directory made before resumes nothing (it is still read by
 * `report` and `plot`).
 *
 * @module
 */
import { canonicalJson } from "./canonical_json.ts";
import { createHash } from "node:crypto";
import { checkShard, type Shard } from "./shard.ts";
import { withProtocol } from "./protocol.ts";

import type { Run, RunSpec } from "./run.ts";
export type { Run, RunMeasure, RunNetwork, RunSpec, RunTraining } from "./run.ts";

/** A plan: the experiment's name, the options it was made from (plain data), and its runs. */
export interface Plan {
  /** Name of the experiment (`curve`, `scaling`, `hierarchy`, ...). */
  readonly experiment: string;
  /** The options the plan was made from (plain data, for the record). */
  readonly options: Readonly<Record<string, unknown>>;
  /** The runs, without duplicates; their positions define the shards. */
  readonly runs: readonly Run[];
}

/**
 * The content-derived id of a run: the first 16 hex digits of SHA-256 of its canonical JSON,
 * with any `id` field left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runId } from "./plan.ts";
 * const a = runId({ P: 10, seed: 1 });
 * assert.ok(a === runId({ seed: 1, P: 10, id: "ignored" }));
 * assert.ok(a.length === 16 && a !== runId({ P: 11, seed: 1 }));
 * ```
 */
export function runId(run: RunSpec | Run | Readonly<Record<string, unknown>>): string {
  const { id: _id, ...rest } = run as Record<string, unknown>;
  return createHash("sha256").update(canonicalJson(rest)).digest("hex").slice(0, 16);
}

/**
 * Attaches the id to a run's content (and copies it, so that the result is independent data),
 * after writing every protocol field, the authors' value where the spec has none
 * (`withProtocol`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeRun } from "./plan.ts";
 * const run = makeRun({
 *   experiment: "curve",
 *   params: { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 },
 *   network: { kind: "cnn", width: 64, bias: "per-position", parametrisation: "mean-field" },
 *   training: { lr: 0.1, batch: 16, maxEpochs: 100, stopLoss: 1e-3, evalEvery: 10, encoding: "onehot", backend: "cpu" },
 *   measure: { sensitivities: true, perClass: 20 },
 *   P: 512, test: 1000, seed: 0,
 * });
 * assert.ok(/^[0-9a-f]{16}$/.test(run.id));
 * assert.equal(run.measure.synonymVariant, "redraw");
 * assert.equal(run.training.balanced, true);
 * ```
 */
export function makeRun(spec: RunSpec): Run {
  const copy = JSON.parse(canonicalJson(withProtocol(spec))) as RunSpec;
  return { id: runId(copy), ...copy };
}

/**
 * Makes a plan from run specs; duplicate runs (same id) are kept once, in first-seen order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makePlan } from "./plan.ts";
 * const plan = makePlan("demo", { note: 1 }, []);
 * assert.ok(plan.runs.length === 0 && plan.experiment === "demo");
 * ```
 */
export function makePlan(
  experiment: string,
  options: Readonly<Record<string, unknown>>,
  specs: readonly (RunSpec | Run)[],
): Plan {
  const seen = new Set<string>();
  const runs: Run[] = [];
  for (const spec of specs) {
    const run = makeRun(stripId(spec));
    if (seen.has(run.id)) continue;
    seen.add(run.id);
    runs.push(run);
  }
  return { experiment, options, runs };
}

function stripId(spec: RunSpec | Run): RunSpec {
  const { id: _id, ...rest } = spec as Run;
  return rest;
}

/**
 * The runs of shard `index` of `count`: those whose position in the plan is `index` modulo `count`.
 * The shards are disjoint and together cover the plan; a bad shard throws a `ShardError`
 * (`checkShard`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shardRuns } from "./plan.ts";
 * assert.ok(shardRuns(["a", "b", "c", "d", "e"], { index: 1, count: 2 }).join() === "b,d");
 * ```
 */
export function shardRuns<T>(runs: readonly T[], shard: Shard): T[] {
  const { index, count } = checkShard(shard);
  return runs.filter((_, position) => position % count === index);
}
