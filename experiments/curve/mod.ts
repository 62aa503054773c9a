/**
 * The learning-curve experiment: one grammar and one network, trained at every P of a grid (and
 * every seed), measuring the test error and the sensitivities; its summary gives `P*`, `P*_S`,
 * `P*_D` beside the paper's prediction. Plan: `plan.ts`; options: `options.ts`; summary:
 * `summary.ts`; figures: `figures.ts`; report: `report.ts`.
 *
 * @module
 */
import type { Experiment } from "../experiment.ts";
import type { AnyCommand } from "../cli/options.ts";
import { curveFigures } from "./figures.ts";
import { type CurveCliOptions, curveOptionsFromCli, declareCurveOptions } from "./options.ts";
import { type CurveOptions, curvePlan } from "./plan.ts";
import { curveHeadline, curveReportSection } from "./report.ts";
import { type CurveExperimentSummary, summarizeCurves } from "./summary.ts";

export * from "./figures.ts";
export * from "./plan.ts";
export * from "./report.ts";
export * from "./summary.ts";

/**
 * The registry entry of the learning curve.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { curve } from "./mod.ts";
 * assert.deepEqual(curve.figures({ type: "curve", curves: [] } as never).map((f) => f.name), ["learning_curve"]);
 * ```
 */
export const curve: Experiment<CurveOptions, CurveExperimentSummary> = {
  options: {
    description:
      "learning curve: test error and sensitivities over P; P*, P*_S, P*_D beside the paper's law",
    declare: (command) => declareCurveOptions(command) as unknown as AnyCommand,
    fromCli: (parsed) => curveOptionsFromCli(parsed as unknown as CurveCliOptions),
  },
  plan: curvePlan,
  summarize: (results) => summarizeCurves(results),
  figures: curveFigures,
  reportSection: curveReportSection,
  headline: curveHeadline,
};
