/**
 * The figures of a scaling experiment: `P*` against the scaling variable beside the paper's law
 * (dashed), the learning curves, and the curves against `P / P*_law`.
 *
 * @module
 */
import type { Figure } from "../experiment.ts";
import { lineChart } from "../figures/line_chart.ts";
import { collapseFigure, learningCurveFigure } from "../curve/figures.ts";
import type { ScalingExperimentSummary } from "./summary.ts";

/**
 * The figures of a scaling experiment.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scalingFigures } from "./figures.ts";
 * const names = scalingFigures({ x: "s0+1", kinds: [] } as never).map((f) => f.name);
 * assert.deepEqual(names, ["pstar_scaling", "learning_curve", "collapse"]);
 * ```
 */
export function scalingFigures(s: ScalingExperimentSummary): Figure[] {
  const rows = s.kinds.flatMap((k) =>
    k.points.map((p) => ({
      x: p.x,
      pstar: p.pstar,
      law: p.predicted,
      kind: k.kind.toUpperCase(),
    }))
  );
  const fit = s.kinds.map((k) =>
    `${k.kind.toUpperCase()} ${
      k.exponent === null
        ? "no fit"
        : `exponent ${k.exponent.toFixed(2)} (paper ${k.predictedExponent})`
    }`
  ).join("; ");
  return [
    {
      name: "pstar_scaling",
      spec: lineChart({
        title: `P* against ${s.x}: ${fit}`,
        x: { field: "x", title: s.x, log: true },
        y: { field: "pstar", title: "P*", log: true },
        series: "kind",
        seriesTitle: "network",
        points: rows,
        law: rows.filter((r) => r.law !== null).map((r) => ({
          x: r.x,
          pstar: r.law,
          kind: r.kind,
        })),
        lawLabel: "paper's law",
      }),
    },
    learningCurveFigure(s.kinds.flatMap((k) => k.curves)),
    collapseFigure(s.kinds.flatMap((k) => k.curves)),
  ];
}
