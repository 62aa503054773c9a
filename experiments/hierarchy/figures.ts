/**
 * The figures of the hierarchy experiment: those of the learning curve, and the heatmaps of
 * `S_{k,l}` and `D_{k,l}` per P.
 *
 * @module
 */
import type { Figure } from "../experiment.ts";
import { sensitivityHeatmap } from "../figures/sensitivity_chart.ts";
import { curveFigures, sensitivityPoints } from "../curve/figures.ts";
import type { HierarchyExperimentSummary } from "./summary.ts";

/**
 * The figures of a hierarchy experiment: the curve's, then the heatmaps when the sensitivities
 * were measured.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hierarchyFigures } from "./figures.ts";
 * assert.deepEqual(hierarchyFigures({ curves: [] } as never).map((f) => f.name), ["learning_curve"]);
 * ```
 */
export function hierarchyFigures(s: HierarchyExperimentSummary): Figure[] {
  const figures = curveFigures(s);
  const sens = s.curves.length > 0 ? sensitivityPoints(s.curves[0]) : [];
  if (sens.length > 0) {
    figures.push({
      name: "hierarchy",
      spec: sensitivityHeatmap({ title: "S_{k,l} and D_{k,l} per P", points: sens }),
    });
  }
  return figures;
}
