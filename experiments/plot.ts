/**
 * Figures of experiment summaries (Vega-Lite specs from `./figures/`, rendered to SVG and PNG by
 * `writeFigure`): the learning curve with the 10 % threshold and the predicted `P*`, the
 * sensitivities `S_{k,l}`/`D_{k,l}` against P, `P*` against the scaling variable beside the
 * paper's law (dashed), and the hierarchy heatmaps.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { lineChart } from "./figures/line_chart.ts";
import { writeFigure } from "./figures/render.ts";
import {
  sensitivityChart,
  sensitivityHeatmap,
  type SensitivityPoint,
} from "./figures/sensitivity_chart.ts";
import type { ExperimentSummary } from "./summarize.ts";
import type { CurveSummary } from "./summary.ts";

/** A named figure: written as `<name>.svg` and `<name>.png`. */
export interface Figure {
  /** File name without extension. */
  readonly name: string;
  /** The Vega-Lite specification. */
  readonly spec: TopLevelSpec;
}

const label = (c: CurveSummary): string =>
  `${c.network.kind?.toUpperCase()} L=${c.params.L} s0=${c.params.s0} v=${c.params.v}`;

/**
 * The sensitivity points of a curve, for the charts: layer `1..L` then `"logits"`, level `1..L`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sensitivityPoints } from "./plot.ts";
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
 * import { zeroErrorAxis } from "./plot.ts";
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
 * import { learningCurveFigure } from "./plot.ts";
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
 * import { collapseFigure } from "./plot.ts";
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
 * The figures of one experiment summary.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figuresOf } from "./plot.ts";
 * assert.ok(figuresOf({ type: "curve", curves: [] } as never).length >= 1);
 * ```
 */
export function figuresOf(s: ExperimentSummary): Figure[] {
  if (s.type === "scaling") {
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
    if (s.type === "hierarchy") {
      figures.push({
        name: "hierarchy",
        spec: sensitivityHeatmap({ title: "S_{k,l} and D_{k,l} per P", points: sens }),
      });
    }
  }
  return figures;
}

/**
 * Writes every figure of the summaries into `dir` (`<name>.svg`, `<name>.png`; a second
 * experiment's figures get its name as a prefix) and returns the file names written.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeFigures } from "./plot.ts";
 * const dir = await Deno.makeTempDir();
 * const files = await writeFigures([], dir);
 * assert.ok(files.length === 0);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeFigures(
  summaries: readonly ExperimentSummary[],
  dir: string,
): Promise<string[]> {
  const written: string[] = [];
  for (const [i, s] of summaries.entries()) {
    for (const f of figuresOf(s)) {
      const name = i === 0 ? f.name : `${s.experiment}_${f.name}`;
      await writeFigure(f.spec, `${dir}/${name}`);
      written.push(`${name}.svg`, `${name}.png`);
    }
  }
  return written;
}
