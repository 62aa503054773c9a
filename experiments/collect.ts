/**
 * Collecting a sweep: merges the task shards of a sweep directory into one results file (one line
 * per run id, the plan's order), skips and reports truncated lines, and lists the runs of the plan
 * still to compute, so that re-submitting the same sweep computes only those.
 *
 * A run with no line is missing; so is a run whose only lines say it was killed (its task was
 * cancelled, preempted or ran out of time: `killedResult`). A run that failed by itself (e.g.
 * diverged) is a result: it stays failed, with its reason, unless `retryFailed` is asked for.
 *
 * @module
 */
import type { Plan, Run } from "./plan.ts";
import {
  formatResult,
  isKilled,
  KILLED,
  latestById,
  type PendingOptions,
  pendingRuns,
  type ResultLine,
} from "./store.ts";
import { baseVersions } from "./executor.ts";
import { readPlan, readSweepResults, SweepDirError, sweepPaths, writeAtomic } from "./sweep_dir.ts";

/**
 * The failed line of a run whose process got `signal` while computing it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isKilled } from "./store.ts";
 * import { killedResult } from "./collect.ts";
 * const run = { id: "0123456789abcdef" } as never;
 * const line = killedResult(run, "SIGTERM", "2026-01-01T00:00:00.000Z", 1.5);
 * assert.ok(isKilled(line) && line.metrics === null && line.timings.total === 1.5);
 * ```
 */
export function killedResult(
  run: Run,
  signal: string,
  startedAt: string,
  seconds: number,
): ResultLine {
  return {
    id: run.id,
    status: "failed",
    reason: `${KILLED} by ${signal} while running (task cancelled, preempted or out of time)`,
    run,
    backend: "unknown",
    versions: baseVersions(),
    timings: { startedAt, total: seconds },
    metrics: null,
  };
}

/**
 * One line per run id (an `ok` line wins over failed ones, a later line over an earlier one of
 * the same status), in the order of `order` (a plan's runs), then the other ids in first-seen order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergeResults } from "./collect.ts";
 * const line = (id: string, status: "ok" | "failed") =>
 *   ({ id, status, run: {} as never, backend: "cpu", versions: {}, timings: {}, metrics: null });
 * const merged = mergeResults([line("b", "ok"), line("a", "failed"), line("a", "ok"), line("b", "failed")],
 *   [{ id: "a" } as never]);
 * assert.ok(merged.map((r) => r.id + r.status).join() === "aok,bok");
 * ```
 */
export function mergeResults(
  results: readonly ResultLine[],
  order: readonly Pick<Run, "id">[] = [],
): ResultLine[] {
  const byId = latestById(results);
  const merged: ResultLine[] = [];
  const placed = new Set<string>();
  for (const { id } of order) {
    const line = byId.get(id);
    if (line !== undefined && !placed.has(id)) {
      merged.push(line);
      placed.add(id);
    }
  }
  for (const [id, line] of byId) if (!placed.has(id)) merged.push(line);
  return merged;
}

/** What `collectSweep` found and did. */
export interface CollectReport {
  /** The sweep directory. */
  readonly dir: string;
  /** The merged results file (written unless `write: false`). */
  readonly resultsFile: string;
  /** Whether `resultsFile` was written. */
  readonly written: boolean;
  /** The files read, and how many valid lines they held. */
  readonly files: readonly string[];
  /** Valid lines read, in all files. */
  readonly lines: number;
  /** One message per truncated or invalid line skipped. */
  readonly warnings: readonly string[];
  /** Runs in the directory's `plan.json` (`undefined` when it has none). */
  readonly planned: number | undefined;
  /** The merged lines: one per id, the plan's order first. */
  readonly results: readonly ResultLine[];
  /** Runs of the plan with an `ok` line. */
  readonly ok: number;
  /** Runs that failed by themselves (not retried unless `retryFailed`). */
  readonly failed: readonly ResultLine[];
  /** Runs of the plan still to compute (with `plan.json` only). */
  readonly missing: readonly Run[];
  /** Of the missing runs, those whose task was killed while computing them. */
  readonly killed: readonly ResultLine[];
  /** Ids with a line that are not in the plan. */
  readonly extra: readonly string[];
}

/** Options of `collectSweep`. */
export interface CollectOptions extends PendingOptions {
  /** Write the merged `results.jsonl` (default true). */
  readonly write?: boolean;
}

/**
 * Collects a sweep directory: reads `plan.json` (if any), `results.jsonl` and `shards/*.jsonl`,
 * writes the merged `results.jsonl` atomically, and reports what is missing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { collectSweep } from "./collect.ts";
 * import { makePlan } from "./plan.ts";
 * import { writePlan } from "./sweep_dir.ts";
 * const dir = await Deno.makeTempDir();
 * const plan = makePlan("demo", {}, [{ experiment: "demo", P: 1, test: 0, seed: 0 } as never]);
 * await writePlan(`${dir}/plan.json`, plan);
 * const report = await collectSweep(dir);
 * assert.ok(report.planned === 1 && report.missing.length === 1 && report.ok === 0);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function collectSweep(
  dir: string,
  options: CollectOptions = {},
): Promise<CollectReport> {
  const paths = sweepPaths(dir);
  let plan: Plan | undefined;
  try {
    plan = await readPlan(paths.plan);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const read = await readSweepResults(dir);
  if (plan === undefined && read.files.length === 0) {
    throw new SweepDirError(
      `${dir} is not a sweep directory (no plan.json, results.jsonl or shards/)`,
    );
  }
  const results = mergeResults(read.results, plan?.runs);
  const missing = plan === undefined ? [] : pendingRuns(plan.runs, results, options);
  const missingIds = new Set(missing.map((r) => r.id));
  const planIds = new Set(plan?.runs.map((r) => r.id) ?? []);
  const write = options.write !== false;
  if (write) {
    await writeAtomic(paths.results, results.map((r) => formatResult(r) + "\n").join(""));
  }
  return {
    dir: paths.dir,
    resultsFile: paths.results,
    written: write,
    files: read.files,
    lines: read.results.length,
    warnings: read.warnings,
    planned: plan?.runs.length,
    results,
    ok: results.filter((r) => r.status === "ok").length,
    failed: results.filter((r) => r.status === "failed" && !missingIds.has(r.id)),
    missing,
    killed: results.filter((r) => missingIds.has(r.id) && isKilled(r)),
    extra: plan === undefined ? [] : results.filter((r) => !planIds.has(r.id)).map((r) => r.id),
  };
}

/** A short description of a run for listings: `id P=.. seed=.. kind s0=..`. */
function describe(run: Run): string {
  const parts = [run.id, `P=${run.P}`, `seed=${run.seed}`];
  if (run.network?.kind !== undefined) parts.push(run.network.kind);
  if (run.params?.s0 !== undefined) parts.push(`s0=${run.params.s0}`);
  return parts.join(" ");
}

/**
 * The report as the `collect` command prints it (plain text, one fact per line).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatCollectReport } from "./collect.ts";
 * const text = formatCollectReport({ dir: "d", resultsFile: "d/results.jsonl", written: true,
 *   files: [], lines: 0, warnings: [], planned: 0, results: [], ok: 0, failed: [], missing: [],
 *   killed: [], extra: [] });
 * assert.ok(text.includes("0 missing"));
 * ```
 */
export function formatCollectReport(report: CollectReport): string {
  const out: string[] = [];
  const planned = report.planned === undefined ? "no plan.json" : `${report.planned} runs planned`;
  out.push(
    `${report.dir}: ${planned}; ${report.ok} ok, ${report.failed.length} failed, ` +
      `${report.missing.length} missing (${report.killed.length} killed while running)`,
  );
  out.push(
    `read ${report.files.length} files, ${report.lines} result lines, ` +
      `${report.warnings.length} skipped`,
  );
  for (const w of report.warnings) out.push(`  skipped ${w}`);
  if (report.written) out.push(`wrote ${report.resultsFile} (${report.results.length} runs)`);
  if (report.extra.length > 0) {
    out.push(`${report.extra.length} runs not in plan.json: ${report.extra.join(" ")}`);
  }
  if (report.failed.length > 0) out.push("failed (kept; --retry-failed computes them again):");
  for (const r of report.failed) out.push(`  ${describe(r.run)}: ${r.reason ?? "no reason"}`);
  if (report.missing.length > 0) {
    out.push("missing (re-submit the same sweep to compute only these):");
    const killed = new Map(report.killed.map((r) => [r.id, r.reason ?? ""]));
    for (const run of report.missing) {
      const why = killed.get(run.id);
      out.push(`  ${describe(run)}${why === undefined ? "" : `: ${why}`}`);
    }
  }
  return out.join("\n");
}
