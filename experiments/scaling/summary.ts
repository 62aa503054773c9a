/**
 * The summary of a scaling experiment: one learning curve per value of the variable and network
 * kind, `P*` of each, and a power-law fit of `P*` against the axis (bootstrap interval) beside the
 * paper's exponent.
 *
 * @module
 */
import { fitPowerLaw, scalingExponent, type ScalingVariable } from "@srhm/metrics";
import type { Run } from "../plan.ts";
import type { ResultLine } from "../store.ts";
import type { SummarizeOptions } from "../experiment.ts";
import { protocolLine } from "../protocol_line.ts";
import { type CurveSummary, groupCurves, seedPstars, summarizeCurve } from "../curve/summary.ts";

export type { ScalingVariable };

/** One point of a scaling experiment: one curve's `P*` at one value of the variable. */
export interface ScalingPoint {
  /** The network kind. */
  readonly kind: Run["network"]["kind"];
  /** Uninformative slots of this point. */
  readonly s0: number;
  /** Vocabulary size of this point. */
  readonly v: number;
  /** Depth of this point. */
  readonly L: number;
  /** The abscissa of the fit (`s0+1`, `v`, or `m^L`). */
  readonly x: number;
  /** `P*` of the seed-averaged curve, or `null`. */
  readonly pstar: number | null;
  /** `P*_S`, or `null`. */
  readonly pstarS: number | null;
  /** `P*_D`, or `null` when not reached. */
  readonly pstarD: number | null;
  /** The paper's law at this point, or `null`. */
  readonly predicted: number | null;
  /** `P*` of each seed's own curve (`null`: that seed's curve does not cross). */
  readonly pstarSeeds: (number | null)[];
}

/** The summary of a scaling experiment for one network kind. */
export interface ScalingSummary {
  /** The network kind. */
  readonly kind: Run["network"]["kind"];
  /** The parameter varied. */
  readonly variable: ScalingVariable;
  /** What `x` is: `s0+1`, `v` or `m^L`. */
  readonly x: string;
  /** Fitted exponent of `P* ~ x^exponent` and its bootstrap 95 % interval (`null`: < 2 points). */
  readonly exponent: number | null;
  /** Bootstrap 95 % interval of the exponent (`null`: no fit). */
  readonly interval: readonly [number, number] | null;
  /** Classical standard error of the exponent. */
  readonly standardError: number | null;
  /** Fitted prefactor of `P* = prefactor x^exponent`. */
  readonly prefactor: number | null;
  /** The paper's exponent for this x. */
  readonly predictedExponent: number | null;
  /** What was fitted: each seed's `P*` (several seeds: the interval then reflects the spread over
   * seeds) or the `P*` of the seed-averaged curve (one seed). */
  readonly fitOn: "per-seed" | "mean-curve";
  /** One point per value of the variable, increasing x. */
  readonly points: ScalingPoint[];
  /** The learning curve of each point. */
  readonly curves: CurveSummary[];
  /** Why something is missing, one sentence each. */
  readonly notes: string[];
  /** The protocol of this kind's runs in one line (`protocolLine`). */
  readonly protocol: string;
}

/**
 * The abscissa of a scaling fit and the paper's exponent on it (`scalingExponent` of
 * `@srhm/metrics`; `null` for the FCN, which has no law): for `s0`, `x = s0+1`; for `v` (with
 * `m = v^(s-1)`, `nc = v`), `x = v`; for `L`, `x = m^L`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scalingAxis } from "./summary.ts";
 * const p = { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 } as const;
 * assert.ok(scalingAxis("s0", "cnn", p).x === 2 && scalingAxis("s0", "cnn", p).exponent === 2);
 * assert.ok(scalingAxis("L", "fcn", p).exponent === null && scalingAxis("L", "fcn", p).x === 16);
 * ```
 */
export function scalingAxis(
  variable: ScalingVariable,
  kind: Run["network"]["kind"],
  p: Run["params"],
): { x: number; label: string; exponent: number | null } {
  const exponent = kind === "fcn" ? null : scalingExponent(kind, variable, p);
  if (variable === "s0") return { x: p.s0 + 1, label: "s0+1", exponent };
  if (variable === "v") return { x: p.v, label: "v", exponent };
  return { x: p.m ** p.L, label: "m^L", exponent };
}

/**
 * Summarises a scaling experiment: one curve per value of `variable` and network kind, `P*` of
 * each, and a power-law fit of `P*` against the axis (`scalingAxis`) per kind.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarizeScaling } from "./summary.ts";
 * const line = (s0: number, P: number, e: number) => ({ id: `${s0}-${P}`, status: "ok" as const,
 *   run: { P, seed: 0, params: { L: 2, s: 2, s0, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 },
 *     network: { kind: "cnn" }, training: {} } as never,
 *   backend: "cpu", versions: {}, timings: {}, metrics: { testError: e } });
 * const lines = [1, 2, 3].flatMap((s0) => [line(s0, 100 * (s0 + 1) ** 2, 0.2), line(s0, 400 * (s0 + 1) ** 2, 0.05)]);
 * const [s] = summarizeScaling(lines, "s0", { bootstrap: 100, seed: 0 });
 * assert.ok(Math.abs((s.exponent ?? 0) - 2) < 1e-9 && s.predictedExponent === 2);
 * ```
 */
export function summarizeScaling(
  results: readonly ResultLine[],
  variable: ScalingVariable,
  options: { bootstrap: number; seed: number },
): ScalingSummary[] {
  const groups = groupCurves(results).map((lines) => ({
    lines,
    curve: summarizeCurve(lines),
    seeds: seedPstars(lines),
  }));
  const curves = groups.map((g) => g.curve);
  const kinds = [...new Set(curves.map((c) => c.network.kind))];
  return kinds.map((kind) => {
    const xOf = (c: CurveSummary) => scalingAxis(variable, kind, c.params).x;
    const mineGroups = groups.filter((g) => g.curve.network.kind === kind)
      .sort((a, b) => xOf(a.curve) - xOf(b.curve));
    const mine = mineGroups.map((g) => g.curve);
    const points: ScalingPoint[] = mineGroups.map(({ curve: c, seeds }) => ({
      kind,
      s0: c.params.s0,
      v: c.params.v,
      L: c.params.L,
      x: xOf(c),
      pstar: c.pstar,
      pstarS: c.pstarS,
      pstarD: c.pstarD,
      predicted: c.predicted,
      pstarSeeds: seeds,
    }));
    const notes: string[] = [];
    const perSeed = points.some((p) => p.pstarSeeds.length > 1);
    const pairs = perSeed
      ? points.flatMap((p) => p.pstarSeeds.map((y) => ({ x: p.x, y })))
      : points.map((p) => ({ x: p.x, y: p.pstar }));
    const usable = pairs.filter((p): p is { x: number; y: number } => p.y !== null);
    if (usable.length < pairs.length) {
      notes.push(
        `${pairs.length - usable.length} ${perSeed ? "seed curve(s)" : "curve(s)"} without P* ` +
          "left out of the fit",
      );
    }
    let fit = null;
    if (new Set(usable.map((p) => p.x)).size >= 2) {
      fit = fitPowerLaw(usable.map((p) => p.x), usable.map((p) => p.y), options);
    } else notes.push("fewer than two values of the variable with a P*: no fit");
    const axis = mine.length > 0
      ? scalingAxis(variable, kind, mine[0].params)
      : { label: variable, exponent: null };
    return {
      kind,
      variable,
      x: axis.label,
      exponent: fit?.exponent ?? null,
      interval: fit ? [fit.interval[0], fit.interval[1]] as const : null,
      standardError: fit && Number.isFinite(fit.standardError) ? fit.standardError : null,
      prefactor: fit?.prefactor ?? null,
      predictedExponent: axis.exponent,
      fitOn: perSeed ? "per-seed" : "mean-curve",
      points,
      curves: mine,
      notes,
      protocol: protocolLine(mineGroups.flatMap((g) => g.lines.map((r) => r.run))),
    };
  });
}

/**
 * The scaling variable of a set of results: the one of `s0`, `v`, `L` that varies (s0 if none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectVariable } from "./summary.ts";
 * const line = (v: number) => ({ run: { params: { s0: 1, v, L: 2 } } }) as never;
 * assert.ok(detectVariable([line(3), line(4)]) === "v");
 * ```
 */
export function detectVariable(results: readonly ResultLine[]): ScalingVariable {
  for (const variable of ["s0", "v", "L"] as const) {
    if (new Set(results.map((r) => r.run.params[variable])).size > 1) return variable;
  }
  return "s0";
}

/** The summary of a scaling experiment: the first kind's fields, and every kind. */
export type ScalingExperimentSummary =
  & { readonly type: "scaling"; readonly experiment: string; readonly kinds: ScalingSummary[] }
  & ScalingSummary;

/**
 * Summarises the results of a scaling experiment named `name`: one `ScalingSummary` per network
 * kind, against `options.variable` (default: the one that varies).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarizeScalingExperiment } from "./summary.ts";
 * const s = summarizeScalingExperiment([], "scaling", {});
 * assert.ok(s.type === "scaling" && s.kinds.length === 0);
 * ```
 */
export function summarizeScalingExperiment(
  results: readonly ResultLine[],
  name: string,
  options: SummarizeOptions,
): ScalingExperimentSummary {
  const kinds = summarizeScaling(results, options.variable ?? detectVariable(results), {
    bootstrap: options.bootstrap ?? 2000,
    seed: options.seed ?? 0,
  });
  return { type: "scaling", experiment: name, ...kinds[0], kinds };
}
