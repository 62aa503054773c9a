/**
 * The executor: runs a plan's runs one after another, appending one result line per finished run
 * to a results file. Runs whose id is already in the file are skipped (so an interrupted plan
 * resumes where it stopped); a run that throws is recorded as `failed` with its reason and the
 * others continue, unless the failure is the environment's (`failures.ts`: out of memory, a
 * backend that cannot run, a crashed worker), which is not recorded, so that a resume computes the
 * run again; `shard` restricts the plan to the runs whose position is `index` mod `count`.
 *
 * With `claims` (a directory), several processes can execute the same plan into the same file at
 * once and compute each run once: a run is claimed (`claims.ts`) before it is computed, runs
 * claimed by others are left to them, and the call returns when every run of its share is in the
 * file (taking over the runs of a claimant that died).
 *
 * Every line records the code version (`code_version.ts`); a file holding lines of another code
 * version is not resumed unless `allowMixedVersions`.
 *
 * @module
 */
import { type Plan, type Run, shardRuns } from "./plan.ts";
import { appendResult, latestById, pendingRuns, readResults, type ResultLine } from "./store.ts";
import { RunFailure, type Runner, type RunProgress } from "./runner.ts";
import { checkCodeVersions, currentCodeVersions } from "./code_version.ts";
import { type Claim, type ClaimOptions, removeIfUnclaimed, tryClaim } from "./claims.ts";
import { classifyFailure } from "./failures.ts";

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
  /**
   * A claims directory shared by the processes that execute this plan into this file (see the
   * module doc); absent: this call assumes it is the file's only writer.
   */
  readonly claims?: string;
  /** Options of the claims (e.g. `staleAfter`). */
  readonly claimOptions?: ClaimOptions;
  /** With `claims`: milliseconds between looks at runs claimed by others (default 500). */
  readonly pollMs?: number;
  /** Resume a file that holds lines of another code version (default false: refuse). */
  readonly allowMixedVersions?: boolean;
}

/** A run not computed because of a failure of the environment (retried on resume). */
export interface EnvironmentFailure {
  /** The run that was not computed. */
  readonly run: Run;
  /** The error's message. */
  readonly reason: string;
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
  /** With `claims`: runs of the share that other processes computed meanwhile. */
  readonly byOthers?: number;
  /** Runs that hit a failure of the environment (not recorded; computed again on resume). */
  readonly environment?: EnvironmentFailure[];
}

/**
 * Versions recorded on every result line (the runner may add more, e.g. `tfjs`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baseVersions } from "./executor.ts";
 * assert.ok(typeof baseVersions().deno === "string" && typeof baseVersions().source === "string");
 * ```
 */
export function baseVersions(): Record<string, string> {
  return {
    ...currentCodeVersions(),
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
  const file = options.resultsFile;
  const recordedLines = await readResults(file, { onWarning: options.onWarning });
  const todo = pendingRuns(mine, recordedLines, { retryFailed: options.retryFailed });
  if (todo.length > 0) {
    checkCodeVersions(recordedLines, baseVersions(), {
      where: file,
      allowMixed: options.allowMixedVersions,
    });
  }
  // With retryFailed, a failed line read at the start is to redo; later lines decide after that.
  const linesAtStart = recordedLines.length;
  const settledNow = async (): Promise<Set<string>> => {
    const lines = await readResults(file, { onWarning: () => {} });
    const later = latestById(lines.slice(options.retryFailed === true ? linesAtStart : 0));
    const still = new Set(
      pendingRuns(todo, lines, { retryFailed: options.retryFailed }).map((r) => r.id),
    );
    return new Set(todo.filter((run) => later.has(run.id) || !still.has(run.id)).map((r) => r.id));
  };
  const runner = options.runner;
  const results: ResultLine[] = [];
  const environment: EnvironmentFailure[] = [];
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  let done = 0;
  const remaining = () => done === 0 ? undefined : (elapsed() / done) * (todo.length - done);
  let ok = 0;
  let failed = 0;
  const progress = options.onProgress;

  const compute = async (run: Run, claim: Claim | null): Promise<void> => {
    progress?.({
      kind: "start",
      done,
      total: todo.length,
      run,
      elapsed: elapsed(),
      remaining: remaining(),
    });
    const startedAt = new Date().toISOString();
    const start = performance.now();
    let lastBeat = start;
    const report = (p: RunProgress) => {
      if (claim !== null && performance.now() - lastBeat > 5000) {
        lastBeat = performance.now();
        claim.heartbeat();
      }
      progress?.({
        kind: "epoch",
        done,
        total: todo.length,
        run,
        ...p,
        elapsed: elapsed(),
        remaining: remaining(),
      });
    };
    const beat = claim === null ? undefined : setInterval(() => claim.heartbeat(), 30_000);
    if (beat !== undefined) Deno.unrefTimer(beat);
    let line: ResultLine | undefined;
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
      const reason = e instanceof Error ? e.message : String(e);
      if (classifyFailure(e) === "environment") {
        environment.push({ run, reason });
      } else {
        line = {
          id: run.id,
          status: "failed",
          reason,
          run,
          backend: e instanceof RunFailure ? e.backend : "unknown",
          versions: baseVersions(),
          timings: { startedAt, total: (performance.now() - start) / 1000 },
          metrics: null,
        };
        failed++;
      }
    } finally {
      if (beat !== undefined) clearInterval(beat);
    }
    if (line !== undefined) {
      await appendResult(file, line);
      results.push(line);
    }
    await claim?.release();
    done++;
    progress?.({
      kind: "finish",
      done,
      total: todo.length,
      run,
      status: line?.status ?? "failed",
      elapsed: elapsed(),
      remaining: remaining(),
    });
  };

  if (options.claims === undefined) {
    for (const run of todo) await compute(run, null);
    return {
      planned: mine.length,
      skipped: mine.length - todo.length,
      ok,
      failed,
      results,
      environment,
    };
  }
  // Shared: claim, compute, release; wait for the runs that others hold.
  const claimsDir = options.claims;
  const mineNow = new Set<string>();
  let pending = [...todo];
  while (pending.length > 0) {
    let claimed = 0;
    for (const run of pending) {
      const claim = await tryClaim(claimsDir, run.id, options.claimOptions);
      if (claim === null) continue;
      if ((await settledNow()).has(run.id)) {
        await claim.release();
        continue;
      }
      claimed++;
      mineNow.add(run.id);
      await compute(run, claim);
    }
    const settled = await settledNow();
    pending = pending.filter((run) => !mineNow.has(run.id) && !settled.has(run.id));
    if (pending.length > 0 && claimed === 0) {
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
    }
  }
  await removeIfUnclaimed(claimsDir);
  return {
    planned: mine.length,
    skipped: mine.length - todo.length,
    ok,
    failed,
    results,
    byOthers: todo.length - mineNow.size,
    environment,
  };
}
