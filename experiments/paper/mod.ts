/**
 * The paper experiment: every figure of Tomasini & Wyart (2024) as a named plan composed from the
 * existing experiments (`scaling`, `hierarchy`; `architectures` for figure 1), at three scales,
 * with its summary (fits beside the paper's values), charts in the paper's axes, report and
 * dry-run estimate. Catalogue: `catalogue.ts`; plans: `invocations.ts`, `compose.ts`, `plans.ts`;
 * estimate: `cost.ts`; summaries and fits: `figure_summary.ts`, `fits.ts`; charts: `charts.ts`;
 * report: `figure_report.ts`; options: `options.ts`; the command's action: `command.ts` and
 * `run_paper.ts` (the trainer and the renderer are handed in by the CLI, so that this module stays
 * free of tfjs and of resvg).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figureById, figureInvocations } from "./mod.ts";
 * assert.equal(figureInvocations(figureById("12"), { scale: "small" })[0].experiment, "hierarchy");
 * ```
 *
 * @module
 */
import type { Experiment } from "../experiment.ts";
import { figureCharts } from "./charts.ts";
import { figureReport } from "./figure_report.ts";
import { type PaperExperimentSummary, summarizePaperResults } from "./figure_summary.ts";
import { figureById } from "./catalogue.ts";
import { runPaperCommand } from "./command.ts";
import {
  declarePaperOptions,
  fitLines,
  paperPlan,
  type PaperRequest,
  parsePaperOptions,
} from "./options.ts";

export * from "./catalogue.ts";
export * from "./invocations.ts";
export * from "./compose.ts";
export * from "./plans.ts";
export * from "./cost.ts";
export * from "./fits.ts";
export * from "./figure_summary.ts";
export * from "./charts.ts";
export * from "./figure_report.ts";
export * from "./options.ts";

/**
 * The registry entry of the paper experiment. Its command has its own action (`run`: `--list`,
 * `--dry-run`, one output folder per figure); `plan` gives the union of the figures' runs (for
 * `slurm paper --figure 4c`), and `summarize` summarises results as the figures they hold.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { paper } from "./mod.ts";
 * const plan = paper.plan(paper.options.fromCli({ figure: "12" }));
 * assert.equal(plan.runs.length, 7);
 * assert.ok(plan.runs.every((r) => r.experiment === "hierarchy"));
 * ```
 */
export const paper: Experiment<PaperRequest, PaperExperimentSummary> = {
  options: {
    description: "every figure of the paper: its runs, fits beside the paper's values, charts",
    declare: declarePaperOptions,
    fromCli: (parsed) => parsePaperOptions(parsed),
  },
  plan: (request) => paperPlan(request),
  summarize: (results, name, options) => summarizePaperResults(results, name, options),
  figures: (summary) =>
    summary.figures.flatMap((s) =>
      figureCharts(figureById(s.figure), s).map((f) => ({ ...f, name: `${s.figure}_${f.name}` }))
    ),
  reportSection: (summary) =>
    [
      "## paper",
      "",
      ...summary.figures.map((s) =>
        figureReport(s, { scale: "(from the results)", commands: [], dropped: [] })
          .replace(/^# /, "### ").replace(/\n## /g, "\n#### ")
      ),
    ].join("\n"),
  headline: (summary) => summary.figures.flatMap(fitLines),
  run: runPaperCommand,
};
