/**
 * The figure of the `architectures` experiment (the paper's Figure 1 C-F): test error against the
 * sensitivities `D` and `S` (level 1), at the output and at 80 % of the depth, four log-log panels
 * with one mark per network and seed and a fitted power-law guide line (least squares in log-log
 * over every mark of the panel). A zero test error is drawn at half the smallest nonzero one.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { figureConfig } from "../figures/theme.ts";
import { type ArchitecturesSummary, CORRELATED, type Correlated, type Site } from "./summary.ts";

/** One mark of a panel. */
export interface ArchPoint {
  /** Panel: `D_output`, `S_output`, `D_depth80`, `S_depth80`. */
  readonly panel: Correlated;
  /** The network. */
  readonly net: string;
  /** The run's seed. */
  readonly seed: number;
  /** The sensitivity. */
  readonly sensitivity: number;
  /** The test error (zeros raised to half the smallest nonzero one). */
  readonly testError: number;
}

/**
 * The marks of the four panels: one per network, seed and panel with a positive finite
 * sensitivity (read from the summary's per-seed values).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { archPoints } from "./figure.ts";
 * import { summarizeArchitectures } from "./summary.ts";
 * const run = { net: "a", seed: 0, testError: 0, layers: ["h"], S: [[0.5], [0.2]], D: [[0.4], [0.1]] };
 * const other = { ...run, net: "b", testError: 0.2 };
 * const points = archPoints(summarizeArchitectures([run, other], { resamples: 1 }));
 * assert.equal(points.length, 8);
 * assert.equal(points[0].testError, 0.1); // the zero, at half of 0.2
 * ```
 */
export function archPoints(summary: ArchitecturesSummary): ArchPoint[] {
  const all = summary.architectures.flatMap((a) => a.testErrors);
  const positive = all.filter((e) => e > 0);
  const floor = positive.length > 0 ? Math.min(...positive) / 2 : 1e-3;
  const out: ArchPoint[] = [];
  for (const panel of CORRELATED) {
    const [table, site] = panel.split("_") as ["S" | "D", Site];
    for (const a of summary.architectures) {
      a.seeds.forEach((seed, i) => {
        const sensitivity = a[table][site].values[i];
        const e = a.testErrors[i];
        if (!(sensitivity > 0) || !Number.isFinite(sensitivity) || !Number.isFinite(e)) return;
        out.push({ panel, net: a.net, seed, sensitivity, testError: e > 0 ? e : floor });
      });
    }
  }
  return out;
}

/**
 * The least-squares line `log y = a + b log x` through points (`NaN`s with fewer than 2 distinct
 * x).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logLogFit } from "./figure.ts";
 * const f = logLogFit([[1, 2], [10, 20], [100, 200]]);
 * assert.ok(Math.abs(f.slope - 1) < 1e-12 && Math.abs(Math.exp(f.intercept) - 2) < 1e-12);
 * ```
 */
export function logLogFit(
  points: readonly (readonly [number, number])[],
): { slope: number; intercept: number } {
  const xs = points.map(([x]) => Math.log(x));
  const ys = points.map(([, y]) => Math.log(y));
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  if (n < 2 || sxx === 0) return { slope: NaN, intercept: NaN };
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

const TITLES: Readonly<Record<Correlated, string>> = {
  D_output: "D at the output",
  S_output: "S at the output",
  D_depth80: "D at 80% depth",
  S_depth80: "S at 80% depth",
};

/**
 * The four panels as one Vega-Lite specification (2 x 2).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { architecturesFigure } from "./figure.ts";
 * import { summarizeArchitectures } from "./summary.ts";
 * const run = (net: string, e: number) => ({
 *   net, seed: 0, testError: e, layers: ["h"], S: [[e], [e]], D: [[e], [e]],
 * });
 * const summary = summarizeArchitectures([run("a", 0.1), run("b", 0.3)], { resamples: 1 });
 * const spec = architecturesFigure(summary, "demo");
 * assert.ok("vconcat" in spec);
 * ```
 */
export function architecturesFigure(summary: ArchitecturesSummary, title: string): TopLevelSpec {
  const points = archPoints(summary);
  const nets = summary.architectures.map((a) => a.net);
  // log axes over the data (with a margin), not Vega's rounded decades
  const span = (xs: number[]) => [Math.min(...xs) / 1.25, Math.max(...xs) * 1.25];
  const errors = span(points.map((q) => q.testError));
  const panel = (p: Correlated) => {
    const mine = points.filter((q) => q.panel === p);
    const fit = logLogFit(mine.map((q) => [q.sensitivity, q.testError] as const));
    const xs = mine.map((q) => q.sensitivity);
    const line = Number.isFinite(fit.slope)
      ? [Math.min(...xs), Math.max(...xs)].map((x) => ({
        sensitivity: x,
        testError: Math.exp(fit.intercept + fit.slope * Math.log(x)),
      }))
      : [];
    const x = {
      field: "sensitivity",
      type: "quantitative",
      scale: { type: "log", domain: span(xs), nice: false },
      title: TITLES[p],
    };
    const y = {
      field: "testError",
      type: "quantitative",
      scale: { type: "log", domain: errors, nice: false },
      title: "test error",
    };
    return {
      title: `${TITLES[p]}${Number.isFinite(fit.slope) ? ` (slope ${fit.slope.toFixed(2)})` : ""}`,
      width: 240,
      height: 180,
      layer: [
        {
          data: { values: line },
          mark: { type: "line", color: "#888", strokeDash: [4, 3] },
          encoding: { x, y },
        },
        {
          data: { values: mine },
          mark: { type: "point", filled: true, size: 60 },
          encoding: {
            x,
            y,
            color: { field: "net", type: "nominal", scale: { domain: nets }, title: "network" },
            shape: { field: "net", type: "nominal", scale: { domain: nets }, title: "network" },
            tooltip: [{ field: "net" }, { field: "seed" }],
          },
        },
      ],
    };
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title,
    config: figureConfig(),
    vconcat: [
      { hconcat: [panel("D_output"), panel("S_output")] },
      { hconcat: [panel("D_depth80"), panel("S_depth80")] },
    ],
  } as unknown as TopLevelSpec;
}
