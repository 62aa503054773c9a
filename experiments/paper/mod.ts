/**
 * The paper experiment: every figure of Tomasini & Wyart (2024) as a named plan composed from the
 * existing experiments (`scaling`, `hierarchy`, `architectures`), at three scales, with its
 * summary (fits beside the paper's values), charts in the paper's axes, report and dry-run
 * estimate.
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
export {
  droppedPoints,
  figureById,
  type FigureKind,
  figurePoints,
  grid,
  type Guide,
  listLines,
  type ModelPoint,
  PAPER_FIGURES,
  PAPER_SCALES,
  type PaperFigure,
  type PaperScale,
  type PGrid,
  runsOwner,
} from "./catalogue.ts";
export {
  commandLine,
  figureGrid,
  figureInvocations,
  type Invocation,
  type InvocationOptions,
  SCALE_ARGS,
  SCALE_GRIDS,
} from "./invocations.ts";
export {
  calibrateCost,
  type CostModel,
  costOf,
  DEFAULT_COST,
  estimatePlan,
  expectedEpochs,
  forwardFlops,
  humanSeconds,
  type KindCost,
  type PlanEstimate,
  runSeconds,
} from "./cost.ts";
export { type Fit, fitExponent, type FitOptions, fitRatio } from "./fits.ts";
export {
  type FigurePoint,
  figurePoint,
  type FigureSummary,
  summarizeFigure,
} from "./figure_summary.ts";
export { figureCharts, guideRows } from "./charts.ts";
export { figureReport, type FigureReportContext, fitsTable } from "./figure_report.ts";
