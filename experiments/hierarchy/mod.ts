/**
 * The hierarchy experiment: a learning curve with the sensitivities of every layer to every
 * level, summarised as the table of `S_{k,l}` and `D_{k,l}` against P and the first layer
 * insensitive to each level. It takes the curve's options (`../curve/options.ts`). Plan:
 * `plan.ts`; summary: `summary.ts`; figures: `figures.ts`; report: `report.ts`.
 *
 * @module
 */
import type { Experiment } from "../experiment.ts";
import type { AnyCommand } from "../cli/options.ts";
import type { CurveOptions } from "../curve/plan.ts";
import {
  type CurveCliOptions,
  curveOptionsFromCli,
  declareCurveOptions,
} from "../curve/options.ts";
import { hierarchyFigures } from "./figures.ts";
import { hierarchyPlan } from "./plan.ts";
import { hierarchyReportSection } from "./report.ts";
import { type HierarchyExperimentSummary, summarizeHierarchies } from "./summary.ts";
import { curveHeadline } from "../curve/report.ts";

export * from "./figures.ts";
export * from "./plan.ts";
export * from "./report.ts";
export * from "./summary.ts";

/**
 * The registry entry of the hierarchy experiment.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hierarchy } from "./mod.ts";
 * assert.ok(hierarchy.options.description.includes("S_{k,l}"));
 * ```
 */
export const hierarchy: Experiment<CurveOptions, HierarchyExperimentSummary> = {
  options: {
    description:
      "the table of S_{k,l} and D_{k,l} against P (layer l+1 is the first insensitive to level l)",
    declare: (command) => declareCurveOptions(command) as unknown as AnyCommand,
    fromCli: (parsed) => curveOptionsFromCli(parsed as unknown as CurveCliOptions),
  },
  plan: hierarchyPlan,
  summarize: (results) => summarizeHierarchies(results),
  figures: hierarchyFigures,
  reportSection: hierarchyReportSection,
  headline: curveHeadline,
};
