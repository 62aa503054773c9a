/**
 * The layout of a sweep directory, shared by `sweep`, `slurm` and `collect`:
 *
 * - `plan.json`: the sweep's whole plan (written once; a later sweep into the same directory must
 *   have the same runs);
 * - `shards/*.jsonl`: one results file per task (`<job>-task-<i>.jsonl` in a Slurm array,
 *   `task-<i>-of-<n>.jsonl` by hand): each has exactly one writer;
 * - `results.jsonl`: the merged results, written by `collect` only;
 * - `submit-<k>/plan.json`, `submit-<k>/job.sh`: what the k-th `slurm` call submitted (the runs
 *   still pending then), and `logs/`: the tasks' output.
 *
 * @module
 */
import { dirname } from "node:path";
import { type Plan, type Run, runId } from "./plan.ts";
import { parseResults, type ResultLine } from "./store.ts";
import type { Shard } from "./shard.ts";

/**
 * A sweep directory or plan file that cannot be used as asked: a plan that is not one, a directory
 * that holds another sweep, or one that is no sweep directory at all. The message says which.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parsePlan, SweepDirError } from "./sweep_dir.ts";
 * assert.throws(() => parsePlan("{}", "p.json"), SweepDirError);
 * ```
 */
export class SweepDirError extends Error {
  override name = "SweepDirError";
}

/** The paths of a sweep directory. */
export interface SweepPaths {
  /** The directory (no trailing slash). */
  readonly dir: string;
  /** `plan.json`: the whole plan. */
  readonly plan: string;
  /** `results.jsonl`: the merged results. */
  readonly results: string;
  /** `shards/`: one results file per task. */
  readonly shards: string;
  /** `logs/`: the tasks' output. */
  readonly logs: string;
}

/**
 * The paths of the sweep directory `dir` (no trailing slash needed).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sweepPaths } from "./sweep_dir.ts";
 * assert.ok(sweepPaths("out/").results === "out/results.jsonl");
 * ```
 */
export function sweepPaths(dir: string): SweepPaths {
  const d = dir.length > 1 ? dir.replace(/\/+$/, "") : dir;
  return {
    dir: d,
    plan: `${d}/plan.json`,
    results: `${d}/results.jsonl`,
    shards: `${d}/shards`,
    logs: `${d}/logs`,
  };
}

/**
 * The results file of one task: `<job>-task-<i>.jsonl` inside a Slurm array (`job` is
 * `SLURM_ARRAY_JOB_ID`, unique per submission, so that a re-submission never shares a file with a
 * task of an earlier one), `task-<i>-of-<n>.jsonl` otherwise, `all.jsonl` for the whole plan.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shardFile } from "./sweep_dir.ts";
 * assert.ok(shardFile("d", { index: 1, count: 3 }, "77") === "d/shards/77-task-1.jsonl");
 * assert.ok(shardFile("d", { index: 1, count: 3 }) === "d/shards/task-1-of-3.jsonl");
 * ```
 */
export function shardFile(dir: string, shard: Shard | undefined, job?: string): string {
  const { shards } = sweepPaths(dir);
  if (shard === undefined) return `${shards}/all.jsonl`;
  if (job !== undefined && job !== "") return `${shards}/${job}-task-${shard.index}.jsonl`;
  return `${shards}/task-${shard.index}-of-${shard.count}.jsonl`;
}

/**
 * Parses a plan's JSON text and checks it: an `experiment` string, a `runs` array whose every id
 * matches the run's content (a hand-edited run gets a clear error rather than a wrong id).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parsePlan } from "./sweep_dir.ts";
 * import { makePlan } from "./plan.ts";
 * const plan = makePlan("demo", {}, [{ experiment: "demo", P: 1, test: 0, seed: 0 } as never]);
 * assert.ok(parsePlan(JSON.stringify(plan), "p.json").runs[0].id === plan.runs[0].id);
 * ```
 */
export function parsePlan(text: string, source: string): Plan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SweepDirError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  const plan = value as Partial<Plan> | null;
  if (typeof plan !== "object" || plan === null || typeof plan.experiment !== "string") {
    throw new SweepDirError(`${source}: a plan needs an "experiment" string`);
  }
  if (!Array.isArray(plan.runs)) throw new SweepDirError(`${source}: a plan needs a "runs" array`);
  plan.runs.forEach((run: Run, i: number) => {
    const id = runId(run);
    if (run.id !== id) {
      throw new SweepDirError(
        `${source}: runs[${i}].id is "${run.id}" but its content hashes to "${id}"`,
      );
    }
  });
  return { experiment: plan.experiment, options: plan.options ?? {}, runs: plan.runs };
}

/**
 * Reads and checks a plan file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPlan, writePlan } from "./sweep_dir.ts";
 * import { makePlan } from "./plan.ts";
 * const dir = await Deno.makeTempDir();
 * await writePlan(`${dir}/plan.json`, makePlan("demo", {}, []));
 * assert.ok((await readPlan(`${dir}/plan.json`)).experiment === "demo");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readPlan(path: string): Promise<Plan> {
  return parsePlan(await Deno.readTextFile(path), path);
}

/**
 * Writes a plan file atomically (a temporary file renamed over it), creating its directory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writePlan } from "./sweep_dir.ts";
 * import { makePlan } from "./plan.ts";
 * const dir = await Deno.makeTempDir();
 * await writePlan(`${dir}/a/plan.json`, makePlan("demo", {}, []));
 * assert.ok((await Deno.stat(`${dir}/a/plan.json`)).isFile);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writePlan(path: string, plan: Plan): Promise<void> {
  await writeAtomic(path, JSON.stringify(plan, null, 1) + "\n");
}

/**
 * Writes a file atomically: the text goes to a temporary file beside it, renamed over `path`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeAtomic } from "./sweep_dir.ts";
 * const dir = await Deno.makeTempDir();
 * await writeAtomic(`${dir}/x.txt`, "a");
 * await writeAtomic(`${dir}/x.txt`, "b");
 * assert.ok(await Deno.readTextFile(`${dir}/x.txt`) === "b");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const parent = dirname(path);
  await Deno.mkdir(parent, { recursive: true });
  const tmp = await Deno.makeTempFile({ dir: parent, prefix: ".tmp-" });
  try {
    await Deno.writeTextFile(tmp, text);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/**
 * Makes `plan` the plan of the sweep directory: writes `plan.json` when absent; when present, the
 * runs of `plan` must all belong to it (a share of the same sweep), else it throws, naming a run
 * that does not belong. Returns the directory's (whole) plan.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { adoptPlan } from "./sweep_dir.ts";
 * import { makePlan } from "./plan.ts";
 * const dir = await Deno.makeTempDir();
 * const plan = makePlan("demo", {}, [{ experiment: "demo", P: 1, test: 0, seed: 0 } as never]);
 * await adoptPlan(dir, plan);
 * assert.ok((await adoptPlan(dir, { ...plan, runs: [] })).runs.length === 1);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function adoptPlan(dir: string, plan: Plan): Promise<Plan> {
  const { plan: path } = sweepPaths(dir);
  let existing: Plan;
  try {
    existing = await readPlan(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    await writePlan(path, plan);
    return plan;
  }
  const ids = new Set(existing.runs.map((r) => r.id));
  const stranger = plan.runs.find((r) => !ids.has(r.id));
  if (stranger !== undefined) {
    throw new SweepDirError(
      `${dir} holds another sweep (its plan.json has no run ${stranger.id}, P=${stranger.P}, ` +
        `seed=${stranger.seed}): use a new --out directory for a different plan`,
    );
  }
  return existing;
}

/** Every result line of a sweep directory, and what reading it found. */
export interface SweepResults {
  /** The files read: `results.jsonl` (if any) first, then the shards in name order. */
  readonly files: readonly string[];
  /** The valid lines, in file order. */
  readonly results: readonly ResultLine[];
  /** One message per skipped (truncated or invalid) line: `file: line N: why`. */
  readonly warnings: readonly string[];
}

/**
 * Reads `results.jsonl` and every `shards/*.jsonl` of a sweep directory (read only: a task may be
 * appending to its shard meanwhile; its partial last line is reported and skipped).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readSweepResults } from "./sweep_dir.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/shards`);
 * await Deno.writeTextFile(`${dir}/shards/task-0-of-1.jsonl`, '{"id":"a","sta');
 * const read = await readSweepResults(dir);
 * assert.ok(read.results.length === 0 && read.warnings.length === 1);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readSweepResults(dir: string): Promise<SweepResults> {
  const paths = sweepPaths(dir);
  const shardNames: string[] = [];
  try {
    for await (const entry of Deno.readDir(paths.shards)) {
      if (entry.isFile && entry.name.endsWith(".jsonl")) shardNames.push(entry.name);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  shardNames.sort();
  const candidates = [paths.results, ...shardNames.map((n) => `${paths.shards}/${n}`)];
  const files: string[] = [];
  const results: ResultLine[] = [];
  const warnings: string[] = [];
  for (const file of candidates) {
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) continue;
      throw e;
    }
    files.push(file);
    const parsed = parseResults(text);
    results.push(...parsed.results);
    warnings.push(...parsed.warnings.map((w) => `${file}: ${w}`));
  }
  return { files, results, warnings };
}
