/**
 * The charts of a paper figure, in the paper's axes, as Vega-Lite specs (`lineChart`,
 * `sensitivityChart`): `P*` against the law's predictor with the guide lines `y = C x` per `s`
 * (4b, 4c, 8), the normalised `P*` against `F` with `y = C0 / F` (5), `P*_S`/`P*_D` against `P*`
 * with `y = x` (6, 10, 11, 16), the learning curves and their collapse (7, 13), `S_2`/`D_2`
 * against `P / P*_law` (14), `S_{k,l}`/`D_{k,l}` against P (12, 15). Pure.
 *
 * @module
 */
import { architecturesFigure } from "../architectures/figure.ts";
import { type Datum, lineChart } from "../figures/line_chart.ts";
import { sensitivityChart } from "../figures/sensitivity_chart.ts";
import type { Figure } from "../experiment.ts";
import { collapseFigure, learningCurveFigure, sensitivityPoints } from "../curve/figures.ts";
import type { Guide, PaperFigure } from "./catalogue.ts";
import type { FigurePoint, FigureSummary } from "./figure_summary.ts";
import type { Fit } from "./fits.ts";

const fmt3 = (x: number | null) => x === null ? "—" : Number(x.toPrecision(3)).toString();

/**
 * The rows of the guide lines `y = factor * x^power` over the span of the points they apply to
 * (those with the guide's `s`, widened by a factor 1.5 each side), with the series of those points.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { guideRows } from "./charts.ts";
 * const rows = guideRows([{ factor: 2.5, s: 2, label: "y = 2.5x (s = 2)" }],
 *   [{ x: 100, s: 2 }, { x: 400, s: 2 }, { x: 50, s: 3 }], { series: (s) => `s = ${s}` });
 * assert.equal(rows.length, 2);
 * assert.equal(rows[1].y, 2.5 * 600);
 * ```
 */
export function guideRows(
  guides: readonly Guide[],
  points: readonly { readonly x: number; readonly s: number }[],
  options: { series: (s: number | undefined, guide: Guide) => string; power?: number },
): Datum[] {
  const power = options.power ?? 1;
  return guides.flatMap((g) => {
    const xs = points.filter((p) => (g.s === undefined || p.s === g.s) && p.x > 0).map((p) => p.x);
    if (xs.length === 0) return [];
    const lo = Math.min(...xs) / 1.5;
    const hi = Math.max(...xs) * 1.5;
    const series = options.series(g.s, g);
    return [lo, hi].map((x) => ({ x, y: g.factor * x ** power, series }));
  });
}

const fitsLine = (fits: readonly Fit[], names: RegExp): string =>
  fits.filter((f) => names.test(f.name)).map((f) =>
    `${f.name}: ${fmt3(f.value)} (paper ${fmt3(f.paper)})`
  ).join("; ");

const seriesOfS = (s: number | undefined) => s === undefined ? "all" : `s = ${s}`;

function lawChart(figure: PaperFigure, summary: FigureSummary): Figure {
  const cnn = figure.net !== "lcn";
  const rows = summary.points.filter((p) => p.predictor !== null).map((p) => ({
    x: p.predictor,
    y: p.pstar,
    series: seriesOfS(p.params.s),
  }));
  const guides = guideRows(
    figure.guides,
    summary.points.filter((p) => p.predictor !== null).map((p) => ({
      x: p.predictor as number,
      s: p.params.s,
    })),
    { series: (s) => seriesOfS(s) },
  );
  return {
    name: "pstar_law",
    spec: lineChart({
      title: `${figure.title}: ${fitsLine(summary.fits, /^C[01] /) || "no P* yet"}`,
      x: {
        field: "x",
        title: cnn ? "(s0+1)^2 nc m^L" : "s^(L/2) (s0+1)^L nc m^L",
        log: true,
      },
      y: { field: "y", title: "P*", log: true },
      series: "series",
      seriesTitle: "patch s",
      points: rows,
      connect: false,
      law: guides,
      lawLabel: figure.guides.map((g) => g.label).join(", "),
      width: 460,
    }),
  };
}

function fractionChart(figure: PaperFigure, summary: FigureSummary): Figure {
  const usable = summary.points.filter((p) => p.predictor !== null);
  const d = (p: FigurePoint) => (p.params.s * (p.params.s0 + 1)) ** p.params.L;
  const rows = usable.map((p) => ({
    x: p.F,
    y: p.pstar === null
      ? null
      : p.pstar / (p.predictor as number) * (p.params.s0 + 1) ** p.params.L,
    series: `d = ${d(p)}`,
  }));
  // y = C0 / F: the guide rows are y = factor * x^-1 over the F of the points with that s.
  const guides = guideRows(figure.guides, usable.map((p) => ({ x: p.F, s: p.params.s })), {
    series: (s) => `guide ${seriesOfS(s)}`,
    power: -1,
  });
  return {
    name: "pstar_fraction",
    spec: lineChart({
      title: `${figure.title}: ${fitsLine(summary.fits, /^C0 /) || "no P* yet"}`,
      x: { field: "x", title: "F = (s0+1)^-L", log: true },
      y: { field: "y", title: "P* / (s^(L/2) nc m^L)", log: true },
      series: "series",
      seriesTitle: "input length d",
      points: rows,
      connect: false,
      law: guides,
      lawLabel: figure.guides.map((g) => g.label).join(", "),
      width: 460,
    }),
  };
}

function againstPstarChart(
  figure: PaperFigure,
  summary: FigureSummary,
  which: readonly ("S" | "D")[],
): Figure {
  const rows = summary.points.flatMap((p) =>
    which.map((w) => ({
      x: p.pstar,
      y: w === "S" ? p.pstarS : p.pstarD,
      series: `P*_${w}`,
    }))
  );
  const xs = summary.points.filter((p) => p.pstar !== null).map((p) => ({
    x: p.pstar as number,
    s: p.params.s,
  }));
  return {
    name: which.length === 2 ? "pstar_sd" : `pstar_${which[0].toLowerCase()}`,
    spec: lineChart({
      title: `${figure.title}: ${fitsLine(summary.fits, /^P\*_[SD] \/ P\*$/) || "no P* yet"}`,
      x: { field: "x", title: "P*", log: true },
      y: { field: "y", title: which.map((w) => `P*_${w}`).join(", "), log: true },
      series: "series",
      seriesTitle: "sample complexity",
      points: rows,
      connect: false,
      law: guideRows([{ factor: 1, label: "y = x" }], xs, { series: () => "y = x" }),
      lawLabel: "y = x",
    }),
  };
}

function sensitivityCollapse(summary: FigureSummary): Figure[] {
  return (["S", "D"] as const).map((w) => {
    const rows = summary.curves.filter((c) => c.predicted !== null).flatMap((c) =>
      c.points.map((p) => ({
        x: p.P / (c.predicted as number),
        y: p[w][1]?.[0] ?? null,
        series:
          `${c.network.kind.toUpperCase()} s=${c.params.s} L=${c.params.L} s0=${c.params.s0} v=${c.params.v}`,
      }))
    );
    // one rule per distinct threshold (they differ between the curves with L), naming its depths
    const depths = new Map<number, Set<number>>();
    for (const c of summary.curves) {
      const t = c.thresholds[w];
      if (t !== null) depths.set(t, (depths.get(t) ?? new Set()).add(c.params.L));
    }
    const rules = [...depths].map(([t, Ls]) => ({
      value: t,
      label: `threshold ${t} (L = ${[...Ls].sort().join(", ")})`,
    }));
    return {
      name: `${w.toLowerCase()}2_collapse`,
      spec: lineChart({
        title: `${w}_2 against P / P*_law`,
        x: { field: "x", title: "P / P*_law", log: true },
        y: { field: "y", title: `${w}_2 = ${w}_{2,1}`, log: true },
        series: "series",
        seriesTitle: "network, model",
        points: rows,
        xRules: [{ value: 1, label: "law" }],
        yRules: rules,
      }),
    };
  });
}

function fcnCharts(figure: PaperFigure, summary: FigureSummary): Figure[] {
  const rows = summary.points.filter((p) => Number.isFinite(p.pmax)).map((p) => ({
    x: p.pmax,
    y: p.pstar,
    series: `L = ${p.params.L}`,
  }));
  const xs = rows.map((r) => ({ x: r.x, s: 2 }));
  return [
    {
      name: "pstar_pmax",
      spec: lineChart({
        title: `${figure.title}: P* against Pmax`,
        x: { field: "x", title: "Pmax", log: true },
        y: { field: "y", title: "P*", log: true },
        series: "series",
        seriesTitle: "depth",
        points: rows,
        law: guideRows([{ factor: 1, label: "y = x" }], xs, { series: () => "y = x" }),
        lawLabel: "P* = Pmax",
      }),
    },
    againstPstarChart(figure, summary, ["S", "D"]),
  ];
}

/**
 * The charts of a figure from its summary (file names without extension, and specs).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figureById } from "./catalogue.ts";
 * import { figureCharts } from "./charts.ts";
 * import { summarizeFigure } from "./figure_summary.ts";
 * const charts = figureCharts(figureById("4c"), summarizeFigure(figureById("4c"), []));
 * assert.deepEqual(charts.map((c) => c.name), ["pstar_law", "learning_curves"]);
 * ```
 */
export function figureCharts(figure: PaperFigure, summary: FigureSummary): Figure[] {
  const curves = (): Figure => ({
    ...learningCurveFigure(summary.curves),
    name: "learning_curves",
  });
  switch (figure.kind) {
    case "law":
      return [lawChart(figure, summary), curves()];
    case "fraction":
      return [fractionChart(figure, summary)];
    case "pstar-s":
      return [againstPstarChart(figure, summary, ["S"])];
    case "pstar-d":
      return [againstPstarChart(figure, summary, ["D"])];
    case "pstar-sd":
      return [againstPstarChart(figure, summary, ["S", "D"])];
    case "curves":
      return [curves()];
    case "collapse":
      return [collapseFigure(summary.curves)];
    case "sensitivity-collapse":
      return sensitivityCollapse(summary);
    case "hierarchy-s":
    case "hierarchy-d": {
      const w = figure.kind === "hierarchy-s" ? "S" : "D";
      return summary.curves.map((c, i) => ({
        name: i === 0 ? `hierarchy_${w}` : `hierarchy_${w}_${i}`,
        spec: sensitivityChart({
          title: `${w}_{k,l} against P, CNN s=${c.params.s} L=${c.params.L} s0=${c.params.s0} ` +
            `v=${c.params.v} (layer k, level l; the paper: small for k >= l+1)`,
          points: sensitivityPoints(c).filter((p) => p.measure === w),
        }),
      }));
    }
    case "fcn":
      return fcnCharts(figure, summary);
    case "architectures":
      return summary.architectures === undefined ? [] : [{
        name: "architectures",
        spec: architecturesFigure(summary.architectures, `Figure ${figure.id}: ${figure.title}`),
      }];
  }
}
