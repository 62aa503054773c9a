/**
 * The paper experiment from plans to outputs (the edge: it reads and writes files). The runs of
 * every figure asked go into one `results.jsonl` in the output directory, so that runs shared
 * between figures (4c, 6, 13, 14; 4b, 5, 10, 11; 7, 8; 12, 15) are computed once; each figure is
 * then summarised, drawn and reported into its own folder `<out>/<id>/` (`summary.json`,
 * `report.md`, the charts as SVG and PNG).
 *
 * @module
 */
import { type ExecuteOptions, executePlan, type ExecuteSummary } from "../executor.ts";
import type { Figure } from "../experiment.ts";
import { latestById, readResults, type ResultLine } from "../store.ts";
import { droppedPoints } from "./catalogue.ts";
import { figureCharts } from "./charts.ts";
import { type FigureSummary, summarizeFigure } from "./figure_summary.ts";
import { figureReport } from "./figure_report.ts";
import { commandLine } from "./invocations.ts";
import { type FigurePlan, type PaperOptions, runTimesLine, unionPlan } from "./plans.ts";

/** Writes a chart as `<basePath>.svg` and `<basePath>.png` (`writeFigure` of `figures/render.ts`,
 * handed in by the CLI so that this module does not load the renderer). */
export type WriteChart = (spec: Figure["spec"], basePath: string) => Promise<unknown>;

/** What `writeFigureOutputs` wrote. */
export interface FigureOutputs {
  /** The figure's summary, as written to `summary.json`. */
  readonly summary: FigureSummary;
  /** Paths relative to the figure's folder. */
  readonly files: string[];
}

/**
 * Summarises a figure from the results (only the lines of its plan's runs are used) and writes
 * `summary.json`, the charts (`*.svg`, `*.png`) and `report.md` into `dir`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figureById } from "./catalogue.ts";
 * import { writeFigureOutputs } from "./run_paper.ts";
 * import { makePlan } from "../plan.ts";
 * const dir = await Deno.makeTempDir();
 * const fp = { figure: figureById("12"), invocations: [], plan: makePlan("paper", {}, []) };
 * const { files } = await writeFigureOutputs(fp, [], dir, { scale: "small" });
 * assert.deepEqual(files, ["summary.json", "report.md"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeFigureOutputs(
  fp: FigurePlan,
  results: readonly ResultLine[],
  dir: string,
  options: PaperOptions & {
    readonly preamble?: readonly string[];
    /** Draws the charts (absent: no chart is written). */
    readonly writeChart?: WriteChart;
  },
): Promise<FigureOutputs> {
  await Deno.mkdir(dir, { recursive: true });
  const ids = new Set(fp.plan.runs.map((r) => r.id));
  const mine = [...latestById(results.filter((r) => ids.has(r.id))).values()];
  const summary = summarizeFigure(fp.figure, mine);
  const files = ["summary.json"];
  await Deno.writeTextFile(
    `${dir}/summary.json`,
    JSON.stringify({ scale: options.scale, seeds: options.seeds ?? 1, ...summary }, null, 2) + "\n",
  );
  const charts = options.writeChart === undefined || mine.length === 0
    ? []
    : figureCharts(fp.figure, summary);
  for (const chart of charts) {
    await options.writeChart?.(chart.spec, `${dir}/${chart.name}`);
    files.push(`${chart.name}.svg`, `${chart.name}.png`);
  }
  const md = figureReport(summary, {
    scale: options.scale,
    commands: fp.invocations.map(commandLine),
    dropped: droppedPoints(fp.figure, options.scale),
    preamble: [...(options.preamble ?? []), runTimesLine(mine)],
    figures: files,
  });
  await Deno.writeTextFile(`${dir}/report.md`, md);
  files.push("report.md");
  return { summary, files };
}

/**
 * Options of `runPaper`: those of `executePlan` but the file (`claims` defaults to `out/claims`, so
 * that processes sharing `out` share the work, as `runExperiment`).
 */
export interface RunPaperOptions extends PaperOptions, Omit<ExecuteOptions, "resultsFile"> {
  /** Lines for each figure's report (the command, the time). */
  readonly preamble?: (fp: FigurePlan) => readonly string[];
  /** Draws the charts (absent: none). */
  readonly writeChart?: WriteChart;
}

/**
 * Executes the union of the figures' runs into `<out>/results.jsonl` (resuming; runs are claimed
 * before they are computed, so processes on one `out` compute each once), then writes each
 * figure into `<out>/<id>/`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figureById } from "./catalogue.ts";
 * import { runPaper } from "./run_paper.ts";
 * import { makePlan } from "../plan.ts";
 * const dir = await Deno.makeTempDir();
 * const fp = { figure: figureById("12"), invocations: [], plan: makePlan("paper", {}, []) };
 * const runner = () => Promise.reject(new Error("no run expected"));
 * const { execution } = await runPaper([fp], dir, { scale: "small", runner });
 * assert.equal(execution.planned, 0);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function runPaper(
  plans: readonly FigurePlan[],
  out: string,
  options: RunPaperOptions,
): Promise<{ execution: ExecuteSummary; figures: (FigureOutputs & { dir: string })[] }> {
  await Deno.mkdir(out, { recursive: true });
  const resultsFile = `${out}/results.jsonl`;
  const execution = await executePlan(unionPlan(plans, options), {
    claims: `${out}/claims`,
    ...options,
    resultsFile,
  });
  const results = await readResults(resultsFile, { onWarning: options.onWarning });
  const figures = [];
  for (const fp of plans) {
    const dir = `${out}/${fp.figure.id}`;
    const written = await writeFigureOutputs(fp, results, dir, {
      ...options,
      preamble: options.preamble?.(fp),
    });
    figures.push({ ...written, dir });
  }
  return { execution, figures };
}
