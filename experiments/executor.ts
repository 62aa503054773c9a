/**
 * The executor: runs a plan's runs one after another, appending one result line per finished run
 * to a results file. Runs whose id is already in the file are skipped (so an interrupted plan
 * resumes where it stopped); a run that throws is recorded as `failed` with its reason and the
 * others continue; `shard` restricts the plan to the runs whose position is `index` mod `count`.
 *
 * @module
 */
import { type Plan, type Run, shardRuns } from "./plan.ts";
import { appendResult, pendingRuns, readResults, type ResultLine } from "./store.ts";
import { RunFailure, type Runner, type RunProgress } from "./runner.ts";
import denoJson from "./deno.json" with { type: "json" };

/** A progress event of `executePlan`. */
export interface ExecuteProgress {
  /** A run starts, an epoch of it ended, or it finished. */
  readonly kind: "start" | "epoch" | "finish";
  /** Runs finished in this call (ok or failed), and how many this call has to do in all. */
  readonly done: number;
  /** Runs this call has to do in all. */
  readonly total: number;
  /** The current run. */
  readonly run: Run;
  /** On `epoch` events: the epoch just finished. */
  readonly epoch?: number;
  /** On `epoch` events: its mean training loss. */
  readonly loss?: number;
  /** The epoch cap of the run. */
  readonly maxEpochs?: number;
  /** Set on `finish`. */
  readonly status?: "ok" | "failed";
  /** Seconds since the call started, and an estimate of the seconds left (after one run). */
  readonly elapsed: number;
  /** Estimated seconds left (mean time per finished run times the runs left). */
  readonly remaining?: number;
}

/** Options of `executePlan`. */
export interface ExecuteOptions {
  /** The JSON Lines results file (created if missing, appended to). */
  readonly resultsFile: string;
  /** Run only shard `index` of `count` (positions in the plan `index` mod `count`). */
  readonly shard?: { readonly index: number; readonly count: number };
  /** Computes a run (`runPipeline` for the full pipeline, `workerRunner` for it in a worker). */
  readonly runner: Runner;
  /** Called when a run starts, after each of its epochs, and when it finishes. */
  readonly onProgress?: (event: ExecuteProgress) => void;
  /** Also rerun the runs recorded as failed (default false: a recorded id is skipped unless its
   * task was killed while it ran, see `pendingRuns`). */
  readonly retryFailed?: boolean;
  /** Called for each skipped invalid line of the results file (default `console.warn`). */
  readonly onWarning?: (message: string) => void;
}

/** What `executePlan` did. */
export interface ExecuteSummary {
  /** Runs of this shard of the plan. */
  readonly planned: number;
  /** Already in the results file, not rerun. */
  readonly skipped: number;
  /** Computed now, by status. */
  readonly ok: number;
  /** Computed now and failed. */
  readonly failed: number;
  /** The lines appended by this call. */
  readonly results: ResultLine[];
}

/**
 * Versions recorded on every result line (the runner may add more, e.g. `tfjs`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baseVersions } from "./executor.ts";
 * assert.ok(typeof baseVersions().deno === "string");
 * ```
 */
export function baseVersions(): Record<string, string> {
  return {
    srhm: denoJson.version,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
  };
}

/**
 * Executes a plan (or one shard of it) into `resultsFile`, skipping the ids already there.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { executePlan } from "./executor.ts";
 * import { makePlan } from "./plan.ts";
 * const spec = (P: number) => ({ experiment: "demo", P, test: 0, seed: 0 } as never);
 * const plan = makePlan("demo", {}, [spec(1), spec(2)]);
 * const dir = await Deno.makeTempDir();
 * const runner = async (run: { P: number }) => ({ backend: "none", metrics: { testError: 1 / run.P } });
 * const first = await executePlan(plan, { resultsFile: `${dir}/r.jsonl`, runner });
 * const again = await executePlan(plan, { resultsFile: `${dir}/r.jsonl`, runner });
 * assert.ok(first.ok === 2 && again.skipped === 2 && again.ok === 0);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function executePlan(plan: Plan, options: ExecuteOptions): Promise<ExecuteSummary> {
  const mine = options.shard ? shardRuns(plan.runs, options.shard) : [...plan.runs];
  const recorded = await readResults(options.resultsFile, { onWarning: options.onWarning });
  const todo = pendingRuns(mine, recorded, { retryFailed: options.retryFailed });
  const runner = options.runner;
  const results: ResultLine[] = [];
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  const remaining = (done: number) =>
    done === 0 ? undefined : (elapsed() / done) * (todo.length - done);
  let ok = 0;
  let failed = 0;
  for (const [done, run] of todo.entries()) {
    const progress = options.onProgress;
    progress?.({
      kind: "start",
      done,
      total: todo.length,
      run,
      elapsed: elapsed(),
      remaining: remaining(done),
    });
    const startedAt = new Date().toISOString();
    const start = performance.now();
    const report = (p: RunProgress) =>
      progress?.({
        kind: "epoch",
        done,
        total: todo.length,
        run,
        ...p,
        elapsed: elapsed(),
        remaining: remaining(done),
      });
    let line: ResultLine;
    try {
      const out = await runner(run, { report });
      line = {
        id: run.id,
        status: "ok",
        run,
        backend: out.backend,
        versions: { ...baseVersions(), ...out.versions },
        timings: { startedAt, ...out.timings, total: (performance.now() - start) / 1000 },
        metrics: out.metrics,
      };
      ok++;
    } catch (e) {
      line = {
        id: run.id,
        status: "failed",
        reason: e instanceof Error ? e.message : String(e),
        run,
        backend: e instanceof RunFailure ? e.backend : "unknown",
        versions: baseVersions(),
        timings: { startedAt, total: (performance.now() - start) / 1000 },
        metrics: null,
      };
      failed++;
    }
    await appendResult(options.resultsFile, line);
    results.push(line);
    progress?.({
      kind: "finish",
      done: done + 1,
      total: todo.length,
      run,
      status: line.status,
      elapsed: elapsed(),
      remaining: remaining(done + 1),
    });
  }
  return { planned: mine.length, skipped: mine.length - todo.length, ok, failed, results };
}
