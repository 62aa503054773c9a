/**
 * Fits of a paper figure, beside the paper's values: the prefactor `C` of `P* = C x` (`C0`, `C1`)
 * as the geometric mean of `P* / x` with a bootstrap interval, a free power-law exponent
 * (`fitPowerLaw` of `@srhm/metrics`, bootstrap interval), and ratios such as `P*_S / P*` (geometric
 * mean and interval). Pure functions over numbers.
 *
 * @module
 */
import { makeRng } from "@srhm/generators";
import { fitPowerLaw } from "@srhm/metrics";

/** One fitted quantity beside the paper's value. */
export interface Fit {
  /** What is fitted, e.g. `C1 (s = 2)` or `exponent of P* in s0+1 (s=2 L=2 v=4)`. */
  readonly name: string;
  /** The fitted value (`null`: not enough points). */
  readonly value: number | null;
  /** Its 95 % bootstrap interval (`null`: none). */
  readonly interval: readonly [number, number] | null;
  /** The paper's value (`null`: the paper gives none). */
  readonly paper: number | null;
  /** Points that entered the fit. */
  readonly n: number;
  /** Whether the paper's value lies in the interval (`null`: no interval or no paper value). */
  readonly inside: boolean | null;
  /** Whether the fitted value is within the paper's own factor 2 of the paper's value (for
   * prefactors and ratios; `null` for exponents or without a paper value). */
  readonly withinFactor2: boolean | null;
}

/** Options of the fits: bootstrap resamples and seed (the same seed gives the same intervals). */
export interface FitOptions {
  /** Bootstrap resamples of each interval (default 2000). */
  readonly bootstrap?: number;
  /** Seed of the resampling (default 0). */
  readonly seed?: number;
}

const inside = (interval: readonly [number, number] | null, paper: number | null) =>
  interval === null || paper === null || !Number.isFinite(interval[0])
    ? null
    : interval[0] <= paper && paper <= interval[1];

const usable = (xs: readonly number[], ys: readonly (number | null)[]) =>
  xs.flatMap((x, i) => {
    const y = ys[i];
    return y !== null && y > 0 && Number.isFinite(y) && x > 0 && Number.isFinite(x)
      ? [{ x, y }]
      : [];
  });

/**
 * The geometric mean of `ys[i] / xs[i]` (the prefactor `C` of `y = C x`, or a ratio) with a 95 %
 * percentile bootstrap interval; points with a `null`, zero or non-finite value are left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitRatio } from "./fits.ts";
 * const f = fitRatio("C1 (s = 2)", [100, 200, 400], [250, 500, 1000], 2.5);
 * assert.ok(Math.abs(f.value! - 2.5) < 1e-12 && f.inside === true && f.withinFactor2 === true);
 * assert.equal(fitRatio("none", [1], [null], 1).value, null);
 * ```
 */
export function fitRatio(
  name: string,
  xs: readonly number[],
  ys: readonly (number | null)[],
  paper: number | null,
  options: FitOptions = {},
): Fit {
  const pts = usable(xs, ys);
  if (pts.length === 0) {
    return { name, value: null, interval: null, paper, n: 0, inside: null, withinFactor2: null };
  }
  const logs = pts.map((p) => Math.log(p.y / p.x));
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const value = Math.exp(mean(logs));
  const B = options.bootstrap ?? 2000;
  const rng = makeRng(options.seed ?? 0, "paper/fitRatio");
  const means = Array.from({ length: B }, () => {
    let sum = 0;
    for (let i = 0; i < logs.length; i++) sum += logs[rng.int(logs.length)];
    return sum / logs.length;
  }).sort((a, b) => a - b);
  const q = (p: number) => Math.exp(means[Math.min(B - 1, Math.floor(p * B))]);
  const interval = pts.length > 1 ? [q(0.025), q(0.975)] as const : null;
  return {
    name,
    value,
    interval,
    paper,
    n: pts.length,
    inside: inside(interval, paper),
    withinFactor2: paper === null ? null : value / paper <= 2 && paper / value <= 2,
  };
}

/**
 * The exponent `a` of `y = C x^a` (least squares on logs, `fitPowerLaw`), with its 95 % bootstrap
 * interval, beside the paper's exponent; `value: null` with fewer than two distinct `x`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitExponent } from "./fits.ts";
 * const f = fitExponent("exponent in s0+1", [1, 2, 3], [100, 400, 900], 2);
 * assert.ok(Math.abs(f.value! - 2) < 1e-9 && f.inside === true && f.withinFactor2 === null);
 * assert.equal(fitExponent("one", [1, 1], [2, 3], 2).value, null);
 * ```
 */
export function fitExponent(
  name: string,
  xs: readonly number[],
  ys: readonly (number | null)[],
  paper: number | null,
  options: FitOptions = {},
): Fit {
  const pts = usable(xs, ys);
  if (new Set(pts.map((p) => p.x)).size < 2) {
    return {
      name,
      value: null,
      interval: null,
      paper,
      n: pts.length,
      inside: null,
      withinFactor2: null,
    };
  }
  const fit = fitPowerLaw(pts.map((p) => p.x), pts.map((p) => p.y), {
    bootstrap: options.bootstrap ?? 2000,
    seed: options.seed ?? 0,
  });
  const interval = pts.length > 2 && Number.isFinite(fit.interval[0])
    ? [fit.interval[0], fit.interval[1]] as const
    : null;
  return {
    name,
    value: fit.exponent,
    interval,
    paper,
    n: pts.length,
    inside: inside(interval, paper),
    withinFactor2: null,
  };
}
