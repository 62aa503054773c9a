/**
 * The figures of learning curves (Vega-Lite specs from `../figures/`): the learning curve with
 * the 10 % threshold and the predicted `P*`, the curves against `P / P*_law`, and the
 * sensitivities `S_{k,l}`/`D_{k,l}` against P.
 *
 * @module
 */
import type { Figure } from "../experiment.ts";
import { lineChart } from "../figures/line_chart.ts";
import { sensitivityChart, type SensitivityPoint } from "../figures/sensitivity_chart.ts";
import type { CurveSummary } from "./summary.ts";

const label = (c: CurveSummary): string =>
  `${c.network.kind?.toUpperCase()} L=${c.params.L} s0=${c.params.s0} v=${c.params.v}`;

/**
 * The sensitivity points of a curve, for the charts: layer `1..L` then `"logits"`, level `1..L`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sensitivityPoints } from "./figures.ts";
 * const pts = sensitivityPoints({ params: { L: 1 }, points: [{ P: 10, S: [[0.5], [0.2]], D: [[0.1], [0.3]],
 *   SStd: [], DStd: [] }] } as never);
 * assert.ok(pts.length === 4 && pts[1].layer === "logits");
 * ```
 */
export function sensitivityPoints(c: CurveSummary): SensitivityPoint[] {
  const L = c.params.L;
  return c.points.flatMap((p) =>
    (["S", "D"] as const).flatMap((measure) =>
      p[measure].flatMap((row, k) =>
        row.map((value, l) => {
          const sd = p[`${measure}Std`]?.[k]?.[l];
          const spread = p.seeds > 1 && typeof sd === "number" && Number.isFinite(sd);
          return {
            P: p.P,
            layer: k === L ? "logits" : k + 1,
            level: l + 1,
            value: Number.isFinite(value) ? value : null,
            measure,
            ...(spread ? { lo: value - sd, hi: value + sd } : {}),
          };
        })
      )
    )
  );
}

/**
 * The log test-error axis of the learning curves. A test error of exactly 0 (reached at large P)
 * cannot sit on a log axis: it is drawn as a hollow triangle at half the smallest nonzero error
 * of the figure (at 5e-4 when there is none), so that a curve does not seem to stop early.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { zeroErrorAxis } from "./figures.ts";
 * assert.equal(zeroErrorAxis([{ error: 0.2 }, { error: 0.01 }, { error: 0 }]).zeroAt, 0.005);
 * assert.equal(zeroErrorAxis([{ error: 0 }]).zeroAt, 5e-4);
 * ```
 */
export function zeroErrorAxis(
  points: readonly { readonly error: number }[],
): { field: string; title: string; log: true; zeroAt: number } {
  const positive = points.map((p) => p.error).filter((e) => e > 0 && Number.isFinite(e));
  const smallest = positive.length > 0 ? Math.min(...positive) : 1e-3;
  return { field: "error", title: "test error (▽: 0)", log: true, zeroAt: smallest / 2 };
}

/**
 * The learning-curve figure of one or more curves (one line each).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { learningCurveFigure } from "./figures.ts";
 * const f = learningCurveFigure([]);
 * assert.ok(f.name === "learning_curve");
 * ```
 */
export function learningCurveFigure(curves: readonly CurveSummary[]): Figure {
  const points = curves.flatMap((c) =>
    c.points.map((p) => ({
      P: p.P,
      error: p.testError,
      lo: p.seeds > 1 ? Math.max(1e-4, p.testError - p.testErrorStd) : p.testError,
      hi: p.testError + (p.seeds > 1 ? p.testErrorStd : 0),
      curve: label(c),
    }))
  );
  const many = curves.length > 1;
  const spec = lineChart({
    title: many ? "Learning curves" : `Learning curve, ${curves[0] ? label(curves[0]) : ""}`,
    x: { field: "P", title: "training-set size P", log: true },
    y: zeroErrorAxis(points),
    series: "curve",
    seriesTitle: "network, model",
    points,
    errorBars: curves.some((c) => c.points.some((p) => p.seeds > 1))
      ? { lo: "lo", hi: "hi" }
      : undefined,
    yRules: [{ value: curves[0]?.thresholds.error ?? 0.1, label: "10 %" }],
    xRules: curves.filter((c) => c.predicted !== null).slice(0, many ? 4 : 1).map((c) => ({
      value: c.predicted as number,
      label: many ? `law ${c.params.s0}` : "paper's P*",
    })),
  });
  return { name: "learning_curve", spec };
}

/**
 * The learning curves against `P / P_pred` (the paper's law): they collapse when the law holds.
 * Curves without a prediction are left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { collapseFigure } from "./figures.ts";
 * assert.ok(collapseFigure([]).name === "collapse");
 * ```
 */
export function collapseFigure(curves: readonly CurveSummary[]): Figure {
  const points = curves.filter((c) => c.predicted !== null).flatMap((c) =>
    c.points.map((p) => ({
      ratio: p.P / (c.predicted as number),
      error: p.testError,
      curve: label(c),
    }))
  );
  return {
    name: "collapse",
    spec: lineChart({
      title: "Learning curves against P / (paper's P*)",
      x: { field: "ratio", title: "P / P*_law", log: true },
      y: zeroErrorAxis(points),
      series: "curve",
      seriesTitle: "network, model",
      points,
      yRules: [{ value: curves[0]?.thresholds.error ?? 0.1, label: "10 %" }],
      xRules: [{ value: 1, label: "law" }],
    }),
  };
}

/**
 * The figures of a curve experiment: the learning curves, and the sensitivities of the first
 * curve when they were measured.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { curveFigures } from "./figures.ts";
 * assert.deepEqual(curveFigures({ curves: [] }).map((f) => f.name), ["learning_curve"]);
 * ```
 */
export function curveFigures(s: { readonly curves: readonly CurveSummary[] }): Figure[] {
  const curves = s.curves;
  const figures = [learningCurveFigure(curves)];
  const sens = curves.length > 0 ? sensitivityPoints(curves[0]) : [];
  if (sens.length > 0) {
    figures.push({
      name: "sensitivities",
      spec: sensitivityChart({
        title: `Sensitivities S_{k,l}, D_{k,l}, ${label(curves[0])}`,
        points: sens,
      }),
    });
  }
  return figures;
}
