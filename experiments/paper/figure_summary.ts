/**
 * The summary of one paper figure from its result lines: the learning curves (`summarizeCurve`),
 * one point per curve in the figure's axes (`P*`, `P*_S`, `P*_D`, the law, `Pmax`), and the fits
 * the figure tests beside the paper's values (`C0`/`C1` per `s`, the exponent of `P*` in the
 * predictor and in `s0+1`, `P*_S / P*`, ...). What `summary.json` of a figure holds. Pure.
 *
 * @module
 */
import type { SrhmParams } from "@srhm/generators";
import { CNN_C1, LCN_C0, predictCnn, predictLcn, referenceThresholds } from "@srhm/metrics";
import { pmaxOf } from "../curve/plan.ts";
import { type HierarchySummary, summarizeHierarchy } from "../hierarchy/summary.ts";
import type { ResultLine } from "../store.ts";
import {
  type ArchitecturesExperimentSummary,
  summarizeArchitecturesResults,
} from "../architectures/mod.ts";
import { type CurveSummary, groupCurves, summarizeCurve } from "../curve/summary.ts";
import {
  type FigureKind,
  PAPER_FIGURES,
  PAPER_SCALES,
  type PaperFigure,
  runsOwner,
} from "./catalogue.ts";
import { type Fit, fitExponent, type FitOptions, fitRatio } from "./fits.ts";

/** One learning curve of a figure, in the figure's axes. */
export interface FigurePoint {
  /** The network. */
  readonly net: string;
  /** The grammar. */
  readonly params: SrhmParams;
  /** The law's predictor without its constant: `s^(L/2) (s0+1)^L nc m^L` (LCN) or
   * `(s0+1)^2 nc m^L` (CNN, and the FCN as a reference); `null` if it cannot be computed. */
  readonly predictor: number | null;
  /** The paper's `P*`: the predictor times the paper's constant for this `s` (`null`: none). */
  readonly law: number | null;
  /** The informative fraction `F = (s0+1)^-L`. */
  readonly F: number;
  /** `Pmax` (`Infinity` beyond 2^53). */
  readonly pmax: number;
  /** Measured `P*`, `P*_S`, `P*_D` (`null`: not reached, see the curve's notes). */
  readonly pstar: number | null;
  /** Measured `P*_S`: where `S_2` first falls below its threshold (`null`: not reached). */
  readonly pstarS: number | null;
  /** Measured `P*_D`: where `D_2` first falls below its threshold (`null`: not reached). */
  readonly pstarD: number | null;
  /** `P* / law`. */
  readonly ratio: number | null;
}

/** The summary of a figure (`summary.json`). */
export interface FigureSummary {
  /** The paper's figure number (and panel), e.g. `4c`. */
  readonly figure: string;
  /** Our title of the figure. */
  readonly title: string;
  /** What the figure draws and how it is summarised. */
  readonly kind: FigureKind;
  /** What the paper finds, in one sentence. */
  readonly claim: string;
  /** Our choices where the paper is silent. */
  readonly note?: string;
  /** One per learning curve. */
  readonly points: FigurePoint[];
  /** The fits beside the paper's values. */
  readonly fits: Fit[];
  /** The learning curves (seed means per P). */
  readonly curves: CurveSummary[];
  /** The hierarchy summaries (figures 12 and 15 only). */
  readonly hierarchy?: HierarchySummary[];
  /** The architectures experiment's summary (figure 1 only). */
  readonly architectures?: ArchitecturesExperimentSummary;
  /** Why something is missing. */
  readonly notes: string[];
}

const safe = <T>(f: () => T): T | null => {
  try {
    return f();
  } catch {
    return null;
  }
};

/**
 * The point of one curve: its predictor, law, `F`, `Pmax` and measured sample complexities.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figurePoint } from "./figure_summary.ts";
 * const params = { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 } as const;
 * const p = figurePoint({ params, network: { kind: "cnn" }, pstar: 600, pstarS: 500, pstarD: 400 } as never);
 * assert.equal(p.predictor, 256);
 * assert.equal(p.law, 640);
 * assert.equal(p.F, 0.25);
 * ```
 */
export function figurePoint(c: CurveSummary): FigurePoint {
  const p = c.params;
  const lcn = c.network.kind === "lcn";
  const predictor = safe(() => lcn ? predictLcn(p, 1) : predictCnn(p, 1));
  const constant = c.network.kind === "fcn" ? undefined : (lcn ? LCN_C0 : CNN_C1)[p.s];
  const law = predictor !== null && constant !== undefined ? predictor * constant : null;
  return {
    net: c.network.kind,
    params: p,
    predictor,
    law,
    F: (p.s0 + 1) ** -p.L,
    pmax: pmaxOf(p),
    pstar: c.pstar,
    pstarS: c.pstarS,
    pstarD: c.pstarD,
    ratio: c.pstar !== null && law !== null ? c.pstar / law : null,
  };
}

const groupLabel = (p: SrhmParams) => `s=${p.s} L=${p.L} v=${p.v}${p.sparsity === "B" ? " B" : ""}`;

function lawFits(net: string, points: readonly FigurePoint[], o: FitOptions): Fit[] {
  const fits: Fit[] = [];
  const name = net === "lcn" ? "C0" : "C1";
  for (const s of [...new Set(points.map((p) => p.params.s))].sort()) {
    const mine = points.filter((p) => p.params.s === s && p.predictor !== null);
    const xs = mine.map((p) => p.predictor as number);
    const ys = mine.map((p) => p.pstar);
    const paper = (net === "lcn" ? LCN_C0 : CNN_C1)[s] ?? null;
    fits.push(fitRatio(`${name} (s = ${s})`, xs, ys, paper, o));
    fits.push(fitExponent(`exponent of P* in the predictor (s = ${s})`, xs, ys, 1, o));
  }
  const groups = new Map<string, FigurePoint[]>();
  for (const p of points) {
    const key = groupLabel(p.params);
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  for (const [key, mine] of groups) {
    if (new Set(mine.map((p) => p.params.s0)).size < 2) continue;
    const paper = net === "lcn" ? mine[0].params.L : net === "cnn" ? 2 : null;
    fits.push(fitExponent(
      `exponent of P* in s0+1 (${key})`,
      mine.map((p) => p.params.s0 + 1),
      mine.map((p) => p.pstar),
      paper,
      o,
    ));
  }
  return fits;
}

function sensitivityFits(
  which: readonly ("S" | "D")[],
  points: readonly FigurePoint[],
  o: FitOptions,
): Fit[] {
  const xs = points.map((p) => p.pstar ?? NaN);
  return which.flatMap((w) => {
    const ys = points.map((p) => w === "S" ? p.pstarS : p.pstarD);
    return [
      fitRatio(`P*_${w} / P*`, xs, ys, 1, o),
      fitExponent(`exponent of P*_${w} in P*`, xs, ys, 1, o),
    ];
  });
}

function fractionFits(points: readonly FigurePoint[], o: FitOptions): Fit[] {
  return [...new Set(points.map((p) => p.params.s))].sort().flatMap((s) => {
    const mine = points.filter((p) => p.params.s === s && p.predictor !== null);
    // y = P* / (s^(L/2) nc m^L) = C0 / F, so C0 = y F: the ratio of y to 1/F.
    const ys = mine.map((p) => p.pstar === null ? null : p.pstar / ((p.predictor as number) * p.F));
    return [
      fitRatio(`C0 (s = ${s}), from y F`, mine.map((p) => 1 / p.F), ys, LCN_C0[s] ?? null, o),
      fitExponent(
        `exponent of P*/(s^(L/2) nc m^L) in F (s = ${s})`,
        mine.map((p) => p.F),
        ys,
        -1,
        o,
      ),
    ];
  });
}

function hierarchyFits(h: readonly HierarchySummary[], which: "S" | "D"): Fit[] {
  return h.flatMap((c) =>
    (which === "S" ? c.firstInsensitiveS : c.firstInsensitiveD).map((k, l) => ({
      name: `first layer with ${which}_{k,${l + 1}} < ${which === "S" ? c.small.S : c.small.D}` +
        ` (k = ${c.params.L + 1}: the logits), s0 = ${c.params.s0}`,
      value: k,
      interval: null,
      paper: c.expected[l],
      n: 1,
      inside: null,
      withinFactor2: null,
    }))
  );
}

/**
 * The thresholds on `S_2`, `D_2` for the FCN (figure 16): the paper gives none for the FCN (its
 * reference thresholds are the CNN's and the LCN's), so we take the CNN's at the same depth.
 */
const fcnThresholds = (L: number) => referenceThresholds("cnn", L);

/** What every figure summary opens with: the figure's id, title, kind, claim and note. */
function figureHeader(figure: PaperFigure) {
  return {
    figure: figure.id,
    title: figure.title,
    kind: figure.kind,
    claim: figure.claim,
    ...(figure.note !== undefined ? { note: figure.note } : {}),
  };
}

/**
 * Figure 1: the architectures experiment's summary, and as fits Spearman's rank correlation of the
 * test error with each sensitivity (the paper shows an increasing trend and gives no number).
 */
function architecturesFigureSummary(
  figure: PaperFigure,
  results: readonly ResultLine[],
): FigureSummary {
  const architectures = summarizeArchitecturesResults(results, "paper");
  const fits: Fit[] = architectures.correlation.map((c) => ({
    name: `Spearman's rho of the test error and ${c.measure.replace("_", " at ")}`,
    value: Number.isFinite(c.spearman) ? c.spearman : null,
    interval: Number.isFinite(c.interval[0]) ? c.interval : null,
    paper: null,
    n: c.networks,
    inside: null,
    withinFactor2: null,
  }));
  return {
    ...figureHeader(figure),
    points: [],
    fits,
    curves: [],
    architectures,
    notes: architectures.architectures.length === 0 ? ["no results for this figure yet"] : [],
  };
}

/**
 * Summarises a figure from the result lines of its runs (other lines are the caller's to filter
 * out): groups them into curves, computes each curve's point and the figure's fits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figureById } from "./catalogue.ts";
 * import { summarizeFigure } from "./figure_summary.ts";
 * const line = (s0: number, P: number, e: number) => ({ id: `${s0}-${P}`, status: "ok" as const,
 *   backend: "cpu", versions: {}, timings: {}, metrics: { testError: e },
 *   run: { experiment: "scaling", P, seed: 0, params: { L: 2, s: 2, s0, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 },
 *     network: { kind: "cnn" }, training: {} } as never });
 * const lines = [1, 2].flatMap((s0) => {
 *   const law = 2.5 * (s0 + 1) ** 2 * 64;
 *   return [line(s0, law / 2, 0.4), line(s0, law * 2, 0.01)];
 * });
 * const s = summarizeFigure(figureById("4c"), lines, { bootstrap: 100 });
 * assert.equal(s.points.length, 2);
 * assert.ok(s.fits.some((f) => f.name === "C1 (s = 2)" && f.value !== null));
 * ```
 */
export function summarizeFigure(
  figure: PaperFigure,
  results: readonly ResultLine[],
  options: FitOptions = {},
): FigureSummary {
  if (figure.kind === "architectures") return architecturesFigureSummary(figure, results);
  const groups = groupCurves(results);
  const notes: string[] = [];
  if (groups.length === 0) notes.push("no results for this figure yet");
  const hierarchical = figure.kind === "hierarchy-s" || figure.kind === "hierarchy-d";
  const hierarchy = hierarchical ? groups.map((g) => summarizeHierarchy(g)) : undefined;
  const curves = hierarchy ??
    groups.map((g) =>
      summarizeCurve(g, figure.kind === "fcn" ? fcnThresholds(g[0].run.params.L) : {})
    );
  const points = curves.map(figurePoint);
  for (const c of curves) {
    for (const n of c.notes) {
      notes.push(`${c.network.kind} ${groupLabel(c.params)} s0=${c.params.s0}: ${n}`);
    }
  }
  let fits: Fit[] = [];
  switch (figure.kind) {
    case "law":
    case "curves":
      fits = lawFits(figure.net, points, options);
      break;
    case "fraction":
      fits = fractionFits(points, options);
      break;
    case "pstar-s":
      fits = sensitivityFits(["S"], points, options);
      break;
    case "pstar-d":
      fits = sensitivityFits(["D"], points, options);
      break;
    case "pstar-sd":
    case "sensitivity-collapse":
      fits = sensitivityFits(["S", "D"], points, options);
      break;
    case "collapse":
      fits = [
        fitRatio(
          "P* / law (1 when the curves collapse on the law)",
          points.map((p) => p.law ?? NaN),
          points.map((p) => p.pstar),
          1,
          options,
        ),
      ];
      break;
    case "hierarchy-s":
      fits = hierarchyFits(hierarchy ?? [], "S");
      break;
    case "hierarchy-d":
      fits = hierarchyFits(hierarchy ?? [], "D");
      break;
    case "fcn":
      fits = [
        fitRatio("P* / Pmax", points.map((p) => p.pmax), points.map((p) => p.pstar), null, options),
        fitExponent(
          "exponent of P* in Pmax",
          points.map((p) => p.pmax),
          points.map((p) => p.pstar),
          null,
          options,
        ),
        ...sensitivityFits(["S", "D"], points, options),
      ];
      break;
  }
  return {
    ...figureHeader(figure),
    points,
    fits,
    curves,
    ...(hierarchy !== undefined ? { hierarchy } : {}),
    notes,
  };
}

/** The registry's summary of paper results: every figure that has runs among them. */
export interface PaperExperimentSummary {
  /** The registry's key of the paper experiment. */
  readonly type: "paper";
  /** The experiment's name, as in `run.experiment`. */
  readonly experiment: string;
  /** One summary per figure that has runs among the results, in the catalogue's order. */
  readonly figures: FigureSummary[];
}

const pointOf = (p: SrhmParams) => `${p.s} ${p.L} ${p.s0} ${p.v} ${p.m} ${p.nc} ${p.sparsity}`;

/**
 * Summarises result lines as the paper's figures: each figure with the lines of its experiment,
 * network, sparsity and grammars (at any scale), when there are some (figure 1: every network).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarizePaperResults } from "./figure_summary.ts";
 * const params = { L: 2, s: 2, s0: 1, v: 8, m: 8, nc: 8, sparsity: "A", seed: 0 } as const;
 * const line = { id: "a", status: "ok" as const, backend: "cpu", versions: {}, timings: {},
 *   run: { experiment: "hierarchy", P: 100, seed: 0, params, network: { kind: "cnn" }, training: {} } as never,
 *   metrics: { testError: 0.01 } };
 * const s = summarizePaperResults([line], "paper");
 * assert.deepEqual(s.figures.map((f) => f.figure), ["12", "15"]);
 * ```
 */
export function summarizePaperResults(
  results: readonly ResultLine[],
  name: string,
  options: FitOptions = {},
): PaperExperimentSummary {
  const figures = PAPER_FIGURES.flatMap((f) => {
    const owner = runsOwner(f);
    const grammars = new Set(
      PAPER_SCALES.flatMap((scale) =>
        owner.points[scale].map((p) =>
          pointOf({
            ...p,
            m: p.m ?? p.v ** (p.s - 1),
            nc: p.nc ?? p.v,
            sparsity: owner.sparsity,
            seed: 0,
          })
        )
      ),
    );
    const mine = results.filter((r) =>
      r.run.experiment === owner.experiment &&
      (owner.experiment === "architectures" || r.run.network.kind === owner.net) &&
      grammars.has(pointOf(r.run.params))
    );
    return mine.length > 0 ? [summarizeFigure(f, mine, options)] : [];
  });
  return { type: "paper", experiment: name, figures };
}
