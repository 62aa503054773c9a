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
import { writeFigure } from "../figures/render.ts";
import { makePlan, type Plan } from "../plan.ts";
import { latestById, readResults, type ResultLine } from "../store.ts";
import {
  droppedPoints,
  figurePoints,
  type PaperFigure,
  type PaperScale,
  runsOwner,
} from "./catalogue.ts";
import { figureCharts } from "./charts.ts";
import { calibrateCost, type CostModel, DEFAULT_COST, estimatePlan, humanSeconds } from "./cost.ts";
import { type FigureSummary, summarizeFigure } from "./figure_summary.ts";
import { figureReport } from "./figure_report.ts";
import { commandLine, figureInvocations, type Invocation } from "./invocations.ts";

/** Turns an invocation of an experiment into its plan (the CLI's `planFromArgs`). */
export type PlanOf = (invocation: Invocation) => Promise<Plan>;

/** The options of the paper experiment. */
export interface PaperOptions {
  readonly scale: PaperScale;
  /** Seeds per P (default 1). */
  readonly seeds?: number;
}

/** A figure with its invocations and plan. */
export interface FigurePlan {
  readonly figure: PaperFigure;
  readonly invocations: readonly Invocation[];
  readonly plan: Plan;
}

/**
 * The plan of each figure (the union of the plans of its invocations).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figureById } from "./catalogue.ts";
 * import { figurePlans } from "./run_paper.ts";
 * import { makePlan } from "../plan.ts";
 * const [fp] = await figurePlans([figureById("4c")], { scale: "small" }, async (i) => makePlan(i.experiment, {}, []));
 * assert.equal(fp.invocations.length, 3);
 * assert.equal(fp.plan.experiment, "paper");
 * ```
 */
export async function figurePlans(
  figures: readonly PaperFigure[],
  options: PaperOptions,
  planOf: PlanOf,
): Promise<FigurePlan[]> {
  const out: FigurePlan[] = [];
  for (const figure of figures) {
    const invocations = figureInvocations(figure, options);
    const plans = [];
    for (const invocation of invocations) plans.push(await planOf(invocation));
    const plan = makePlan(
      "paper",
      { figure: figure.id, scale: options.scale, seeds: options.seeds ?? 1 },
      plans.flatMap((p) => p.runs),
    );
    out.push({ figure, invocations, plan });
  }
  return out;
}

/**
 * One plan for several figures: the union of their runs, each once, in first-seen order (the
 * positions define the shards of `slurm paper`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unionPlan } from "./run_paper.ts";
 * assert.equal(unionPlan([], { scale: "small" }).runs.length, 0);
 * ```
 */
export function unionPlan(plans: readonly FigurePlan[], options: PaperOptions): Plan {
  return makePlan(
    "paper",
    { figures: plans.map((p) => p.figure.id), scale: options.scale, seeds: options.seeds ?? 1 },
    plans.flatMap((p) => p.plan.runs),
  );
}

/**
 * The lines of `--dry-run`: per figure its runs (and how many are already in the results), its
 * estimated time, and the points its scale drops from the paper's grid; then the total over the
 * distinct runs, and how the estimate was made.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figureById } from "./catalogue.ts";
 * import { dryRunLines } from "./run_paper.ts";
 * import { makePlan } from "../plan.ts";
 * const plan = makePlan("paper", {}, []);
 * const lines = dryRunLines([{ figure: figureById("13"), invocations: [], plan }], new Set(), { scale: "small" });
 * assert.ok(lines[0].startsWith("13\t0 runs"));
 * assert.ok(lines.some((l) => l.startsWith("total\t0 distinct runs")));
 * ```
 */
export function dryRunLines(
  plans: readonly FigurePlan[],
  done: ReadonlySet<string>,
  options: PaperOptions,
  model: CostModel = DEFAULT_COST,
): string[] {
  const lines = plans.flatMap(({ figure, plan }) => {
    const e = estimatePlan(plan.runs, done, model);
    const owner = runsOwner(figure);
    const shared = owner.id !== figure.id ? ` (the runs of figure ${owner.id})` : "";
    const dropped = droppedPoints(figure, options.scale);
    return [
      `${figure.id}\t${e.runs} runs${shared}, ${e.done} done, about ${
        humanSeconds(e.seconds)
      } of CPU time left`,
      ...(dropped.length > 0
        ? [
          `  drops ${dropped.length} of the paper's ${
            figurePoints(figure, "paper").length
          } grammars: ${dropped.join("; ")}`,
        ]
        : []),
    ];
  });
  const total = estimatePlan(unionPlan(plans, options).runs, done, model);
  return [
    ...lines,
    `total\t${total.runs} distinct runs, ${total.done} done, about ${
      humanSeconds(total.seconds)
    } of CPU time left`,
    `estimate: ${model.source}`,
  ];
}

/**
 * What the runs of a figure cost, from their own result lines: how many succeeded and failed, the
 * sum of their recorded `timings.total` (wall-clock seconds per run), and when the first and the
 * last started.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runTimesLine } from "./run_paper.ts";
 * const line = (total: number, startedAt: string) => ({ status: "ok", timings: { total, startedAt } }) as never;
 * assert.equal(
 *   runTimesLine([line(30, "2026-12-01T22:01:00Z"), line(60, "2026-12-01T22:05:00Z")]),
 *   "2 runs (0 failed) took 90 s of wall-clock time in all, started between 2026-12-01T22:01 and 2026-12-01T22:05 UTC.",
 * );
 * assert.equal(runTimesLine([]), "No run of this figure is in the results yet.");
 * ```
 */
export function runTimesLine(lines: readonly ResultLine[]): string {
  if (lines.length === 0) return "No run of this figure is in the results yet.";
  const total = lines.reduce((t, r) => t + (Number(r.timings.total) || 0), 0);
  const starts = lines.map((r) => String(r.timings.startedAt ?? "")).filter((x) => x !== "")
    .sort();
  const failed = lines.filter((r) => r.status !== "ok").length;
  return `${lines.length} runs (${failed} failed) took ${humanSeconds(total)} of wall-clock time ` +
    `in all` +
    (starts.length > 0
      ? `, started between ${starts[0].slice(0, 16)} and ${starts.at(-1)!.slice(0, 16)} UTC.`
      : ".");
}

/** What `writeFigureOutputs` wrote. */
export interface FigureOutputs {
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
 * const { files } = await writeFigureOutputs(fp, [], dir, { scale: "small", charts: false });
 * assert.deepEqual(files, ["summary.json", "report.md"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeFigureOutputs(
  fp: FigurePlan,
  results: readonly ResultLine[],
  dir: string,
  options: PaperOptions & { readonly preamble?: readonly string[]; readonly charts?: boolean },
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
  const charts = options.charts === false || mine.length === 0
    ? []
    : figureCharts(fp.figure, summary);
  for (const chart of charts) {
    await writeFigure(chart.spec, `${dir}/${chart.name}`);
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

/** Options of `runPaper`: those of `executePlan` but the file. */
export interface RunPaperOptions extends PaperOptions, Omit<ExecuteOptions, "resultsFile"> {
  /** Lines for each figure's report (the command, the time). */
  readonly preamble?: (fp: FigurePlan) => readonly string[];
}

/**
 * Executes the union of the figures' runs into `<out>/results.jsonl` (resuming), then writes each
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
 * const { execution } = await runPaper([fp], dir, { scale: "small" });
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
  const execution = await executePlan(unionPlan(plans, options), { ...options, resultsFile });
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

/**
 * The cost model for a dry run: refitted on the results already in the output directory when it
 * holds at least 5 measured runs, else `DEFAULT_COST`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { costModelFor } from "./run_paper.ts";
 * import { DEFAULT_COST } from "./cost.ts";
 * assert.equal(costModelFor([], "x"), DEFAULT_COST);
 * ```
 */
export function costModelFor(results: readonly ResultLine[], resultsFile: string): CostModel {
  return calibrateCost(results, `fitted to the runs measured in ${resultsFile}`) ?? DEFAULT_COST;
}
