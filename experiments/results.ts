/**
 * Reading results, without training or rendering: the results store, the registry of experiments
 * (their plans, summaries, figure specifications and report sections) and the Markdown report.
 * This entry point (`@srhm/experiments/results`) loads neither TensorFlow.js nor resvg's native
 * addon; `@srhm/experiments` (everything) and `@srhm/experiments/figures` (rendering) do.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseResults, renderReport, summarizeResults } from "./results.ts";
 * const params = { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 };
 * const line = (P: number, e: number) => JSON.stringify({ id: `${P}`, status: "ok", backend: "cpu",
 *   versions: {}, timings: {}, metrics: { testError: e },
 *   run: { experiment: "curve", P, seed: 0, params, network: { kind: "cnn" }, training: {} } });
 * const { results } = parseResults([line(300, 0.3), line(900, 0.05)].join("\n"));
 * const summaries = summarizeResults(results);
 * assert.ok(renderReport(summaries, { title: "demo" }).includes("P*"));
 * ```
 *
 * @module
 */
export {
  formatResult,
  isKilled,
  KILLED,
  latestById,
  type ParsedResults,
  parseResults,
  type PendingOptions,
  pendingRuns,
  readResults,
  type ReadResultsOptions,
  type ResultLine,
  type RunMetrics,
  type SensitivityTable,
} from "./store.ts";
export type {
  CommandContext,
  Experiment,
  ExperimentCli,
  Figure,
  SummarizeOptions,
  SummaryBase,
} from "./experiment.ts";
export {
  type ExperimentName,
  experimentOf,
  EXPERIMENTS,
  type ExperimentSummary,
  figuresOf,
  headline,
  isExperimentName,
  reportSectionOf,
  summarizeResults,
} from "./registry.ts";
export * from "./curve/mod.ts";
export * from "./scaling/mod.ts";
export * from "./hierarchy/mod.ts";
export * from "./paper/mod.ts";
export { fmt, table } from "./markdown.ts";
export { renderReport } from "./report.ts";
export type { Plan, Run, RunMeasure, RunNetwork, RunSpec, RunTraining } from "./plan.ts";
export type { AnyExperiment } from "./registry.ts";
export type { AnyCommand } from "./cli/options.ts";
export {
  type ArchitectureEntry,
  type ArchitecturesExperimentSummary,
  type ArchitecturesSummary,
  CORRELATED,
  type Correlated,
  type CorrelationEntry,
  type Site,
  type SiteValue,
} from "./architectures/mod.ts";
export type { Encoding, SamplingMode, SrhmParams } from "@srhm/generators";
export {
  type Cell,
  type ColumnType,
  type ExportReport,
  exportResults,
  flattenRecord,
  MAX_EXPANDED,
  recordsTable,
  resultsTable,
  type Table,
  type TableFormat,
  toCsv,
  toParquet,
} from "./export.ts";
