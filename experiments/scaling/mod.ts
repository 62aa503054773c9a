/**
 * The scaling experiment: `P*` against `s0` (default), `v` or `L`, for one or more network kinds,
 * each point a learning curve on a grid around the paper's prediction; the summary fits
 * `P* ~ x^exponent` (bootstrap interval) beside the paper's exponent. Plan: `plan.ts`; options:
 * `options.ts`; summary: `summary.ts`; figures: `figures.ts`; report: `report.ts`.
 *
 * @module
 */
import type { Experiment } from "../experiment.ts";
import type { AnyCommand } from "../cli/options.ts";
import { scalingFigures } from "./figures.ts";
import { declareScalingOptions, type ScalingCliOptions, scalingOptionsFromCli } from "./options.ts";
import { type ScalingOptions, scalingPlan } from "./plan.ts";
import { scalingHeadline, scalingReportSection } from "./report.ts";
import { type ScalingExperimentSummary, summarizeScalingExperiment } from "./summary.ts";

export * from "./figures.ts";
export * from "./plan.ts";
export * from "./report.ts";
export * from "./summary.ts";

/**
 * The registry entry of the scaling experiment.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scaling } from "./mod.ts";
 * assert.ok(scaling.options.description.startsWith("P* against s0"));
 * ```
 */
export const scaling: Experiment<ScalingOptions, ScalingExperimentSummary> = {
  options: {
    description: "P* against s0 (or v, L) with the fitted exponent beside the paper's law",
    declare: (command) => declareScalingOptions(command) as unknown as AnyCommand,
    fromCli: (parsed) => scalingOptionsFromCli(parsed as unknown as ScalingCliOptions),
  },
  plan: scalingPlan,
  summarize: summarizeScalingExperiment,
  figures: scalingFigures,
  reportSection: scalingReportSection,
  headline: scalingHeadline,
};
