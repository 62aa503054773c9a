/**
 * One task of a sweep: computes its share of a plan into its own results file in a sweep
 * directory, skipping the runs already settled anywhere in that directory (by an earlier
 * submission or another task), and recording the run in progress as killed when the process gets
 * SIGTERM or SIGINT (Slurm's `scancel`, a time limit, a pre-emption). A run that fails by itself
 * is recorded as failed and the task goes on with its other runs (`executePlan` does that).
 *
 * @module
 */
import { constants } from "node:os";
import { type Plan, shardRuns } from "./plan.ts";
import { appendResult, type PendingOptions, pendingRuns } from "./store.ts";
import {
  baseVersions,
  executePlan,
  type ExecuteProgress,
  type ExecuteSummary,
} from "./executor.ts";
import { checkCodeVersions } from "./code_version.ts";
import type { Runner } from "./runner.ts";
import { killedResult } from "./collect.ts";
import { adoptPlan, readSweepResults, shardFile } from "./sweep_dir.ts";
import type { Shard } from "./shard.ts";

/** Options of `runSweep`. */
export interface SweepOptions extends PendingOptions {
  /** The sweep directory (see `sweep_dir.ts`). */
  readonly dir: string;
  /** This task's share; absent: the whole plan. */
  readonly shard?: Shard;
  /** The Slurm array's job id (`SLURM_ARRAY_JOB_ID`), naming the results file. */
  readonly job?: string;
  /** Computes a run (`workerRunner` for the full pipeline in a worker). */
  readonly runner: Runner;
  /** Called on each progress event of `executePlan`. */
  readonly onProgress?: (event: ExecuteProgress) => void;
  /**
   * Signals after which the run in progress is recorded as killed and the process exits with
   * 128 + the signal's number. Default `["SIGTERM", "SIGINT"]`; `[]` installs no listener.
   */
  readonly signals?: readonly Deno.Signal[];
  /** Called for each truncated or invalid line met while reading the directory. */
  readonly onWarning?: (message: string) => void;
  /** Resume a directory holding results of another code version (default false: refuse). */
  readonly allowMixedVersions?: boolean;
}

/** What `runSweep` did. */
export interface SweepSummary extends ExecuteSummary {
  /** The task's results file. */
  readonly resultsFile: string;
  /** Runs of this share already settled in the directory before this task started. */
  readonly settled: number;
}

/**
 * Runs one task's share of `plan` into `shardFile(dir, shard, job)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runSweep } from "./sweep.ts";
 * import { makePlan } from "./plan.ts";
 * const dir = await Deno.makeTempDir();
 * const plan = makePlan("demo", {}, [1, 2, 3].map((P) => ({ experiment: "demo", P, test: 0, seed: 0 } as never)));
 * const runner = async (run: { P: number }) => ({ backend: "none", metrics: { testError: 1 / run.P } });
 * const first = await runSweep(plan, { dir, shard: { index: 0, count: 2 }, runner, signals: [] });
 * const again = await runSweep(plan, { dir, runner, signals: [] });
 * assert.ok(first.ok === 2 && again.settled === 2 && again.ok === 1);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function runSweep(plan: Plan, options: SweepOptions): Promise<SweepSummary> {
  await adoptPlan(options.dir, plan);
  const mine = options.shard ? shardRuns(plan.runs, options.shard) : [...plan.runs];
  const read = await readSweepResults(options.dir);
  read.warnings.forEach(options.onWarning ?? ((m) => console.warn(`warning: ${m}`)));
  const todo = pendingRuns(mine, read.results, options);
  if (todo.length > 0) {
    checkCodeVersions(read.results, baseVersions(), {
      where: options.dir,
      allowMixed: options.allowMixedVersions,
    });
  }
  const resultsFile = shardFile(options.dir, options.shard, options.job);

  let current: { run: Plan["runs"][number]; startedAt: string; t0: number } | undefined;
  const onProgress = (event: ExecuteProgress) => {
    if (event.kind === "start") {
      current = { run: event.run, startedAt: new Date().toISOString(), t0: performance.now() };
    } else if (event.kind === "finish") current = undefined;
    options.onProgress?.(event);
  };
  const listeners = (options.signals ?? ["SIGTERM", "SIGINT"]).map((signal) => {
    const listener = async () => {
      const running = current;
      current = undefined;
      if (running !== undefined) {
        const seconds = (performance.now() - running.t0) / 1000;
        await appendResult(
          resultsFile,
          killedResult(running.run, signal, running.startedAt, seconds),
        );
      }
      Deno.exit(128 + (constants.signals[signal as keyof typeof constants.signals] ?? 15));
    };
    Deno.addSignalListener(signal, listener);
    return { signal, listener };
  });
  try {
    const summary = await executePlan(
      { ...plan, runs: todo },
      {
        resultsFile,
        runner: options.runner,
        onProgress,
        // Every run in `todo` is to compute, including one recorded as killed in this same file.
        retryFailed: true,
        onWarning: () => {}, // already reported above, with the file's name
        allowMixedVersions: true, // checked above, over the whole directory
      },
    );
    return { ...summary, planned: mine.length, resultsFile, settled: mine.length - todo.length };
  } finally {
    for (const { signal, listener } of listeners) Deno.removeSignalListener(signal, listener);
  }
}
