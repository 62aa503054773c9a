/**
 * One experiment from plan to outputs, in `out/`: `results.jsonl` (executed, resumable),
 * `summary.json`, the figures (`*.svg`, `*.png`, `writeFigures`) and `report.md`. `writeOutputs`
 * does the last three from any results (the `plot` and `report` commands).
 *
 * @module
 */
import { type ExecuteOptions, executePlan, type ExecuteSummary } from "./executor.ts";
import { writeFigure } from "./figures/render.ts";
import type { Plan } from "./plan.ts";
import { type ExperimentSummary, figuresOf, summarizeResults } from "./registry.ts";
import { renderReport } from "./report.ts";
import { latestById, readResults, type ResultLine } from "./store.ts";
import { stringifyJson } from "./non_finite.ts";
import { versionsPresent } from "./code_version.ts";
import { writeAtomic } from "./sweep_dir.ts";

/**
 * Writes every figure of the summaries into `dir` (`<name>.svg`, `<name>.png`; a second
 * experiment's figures get its name as a prefix) and returns the file names written.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeFigures } from "./run_experiment.ts";
 * const dir = await Deno.makeTempDir();
 * const files = await writeFigures([], dir);
 * assert.ok(files.length === 0);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeFigures(
  summaries: readonly ExperimentSummary[],
  dir: string,
): Promise<string[]> {
  const written: string[] = [];
  for (const [i, s] of summaries.entries()) {
    for (const f of figuresOf(s)) {
      const name = i === 0 ? f.name : `${s.experiment}_${f.name}`;
      await writeFigure(f.spec, `${dir}/${name}`);
      written.push(`${name}.svg`, `${name}.png`);
    }
  }
  return written;
}

/** What `writeOutputs` wrote. */
export interface Outputs {
  /** One summary per experiment found in the results. */
  readonly summaries: ExperimentSummary[];
  /** Paths written, relative to `out`. */
  readonly files: string[];
}

/** Options of `writeOutputs`. */
export interface OutputOptions {
  /** Write figures (default true). */
  readonly figures?: boolean;
  /** Write `report.md` (default true). */
  readonly report?: boolean;
  /** With `figures: false`, figure files already in `out` that the report should show. */
  readonly existingFigures?: readonly string[];
  /** The report's title (default: the experiment names). */
  readonly title?: string;
  /** Lines put before the sections (e.g. the command and the time taken). */
  readonly preamble?: readonly string[];
}

/**
 * The line of a report that lists the code versions present in results (see `code_version.ts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { versionsLine } from "./run_experiment.ts";
 * const line = { versions: { srhm: "0.1.0", source: "sha256:0123456789ab" } };
 * assert.equal(versionsLine([line, line]), "Code versions: srhm 0.1.0 (sha256:0123456789ab): 2 runs.");
 * ```
 */
export function versionsLine(results: readonly Pick<ResultLine, "versions">[]): string {
  const present = versionsPresent(results);
  if (present.length === 0) return "Code versions: none (no results).";
  const list = present.map((v) => `${v.version}: ${v.lines} runs`).join("; ");
  return `Code versions: ${list}${present.length > 1 ? " (MIXED)" : ""}.`;
}

/**
 * Summarises results and writes `summary.json` (the first experiment's summary: see
 * `registry.ts`; non-finite numbers as the strings of `non_finite.ts`, as in `results.jsonl`),
 * the figures and `report.md` (with the code versions present) into `out`. `summary.json` and
 * `report.md` are written atomically (processes sharing `out` may write them at once).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeOutputs } from "./run_experiment.ts";
 * const dir = await Deno.makeTempDir();
 * const out = await writeOutputs([], dir, { figures: false });
 * assert.ok(out.files.includes("summary.json") && out.files.includes("report.md"));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeOutputs(
  results: readonly ResultLine[],
  out: string,
  options: OutputOptions = {},
): Promise<Outputs> {
  await Deno.mkdir(out, { recursive: true });
  const latest = [...latestById(results).values()];
  const summaries = summarizeResults(latest);
  const files: string[] = [];
  const summary = summaries.length === 1 ? summaries[0] : { experiments: summaries };
  await writeAtomic(`${out}/summary.json`, stringifyJson(summary, 2) + "\n");
  files.push("summary.json");
  const figures = options.figures === false
    ? [...(options.existingFigures ?? [])]
    : await writeFigures(summaries, out);
  if (options.figures !== false) files.push(...figures);
  if (options.report !== false) {
    const title = options.title ??
      (summaries.length === 0 ? "No results" : summaries.map((s) => s.experiment).join(", "));
    const preamble = [...(options.preamble ?? []), versionsLine(latest)];
    const md = renderReport(summaries, { title, figures, preamble });
    await writeAtomic(`${out}/report.md`, md);
    files.push("report.md");
  }
  return { summaries, files };
}

/**
 * Options of `runExperiment`: those of `executePlan` (minus the file; `claims` defaults to
 * `out/claims`, so that processes sharing `out` share the work) and of `writeOutputs`.
 */
export interface RunExperimentOptions extends Omit<ExecuteOptions, "resultsFile">, OutputOptions {}

/**
 * Executes a plan into `out/results.jsonl` (resuming: runs already there are skipped), then
 * writes the summary, figures and report of the plan's results.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runExperiment } from "./run_experiment.ts";
 * import { makePlan } from "./plan.ts";
 * const dir = await Deno.makeTempDir();
 * const runner = () => Promise.reject(new Error("no run"));
 * const { execution } = await runExperiment(makePlan("curve", {}, []), dir, { runner, figures: false });
 * assert.ok(execution.planned === 0);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function runExperiment(
  plan: Plan,
  out: string,
  options: RunExperimentOptions,
): Promise<{ execution: ExecuteSummary; outputs: Outputs }> {
  const resultsFile = `${out}/results.jsonl`;
  const execution = await executePlan(plan, {
    claims: `${out}/claims`,
    ...options,
    resultsFile,
  });
  const ids = new Set(plan.runs.map((r) => r.id));
  const results = (await readResults(resultsFile, { onWarning: options.onWarning }))
    .filter((r) => ids.has(r.id));
  const outputs = await writeOutputs(results, out, options);
  return { execution, outputs };
}
