/**
 * Power-law fits `y = prefactor * x^exponent` by least squares on log-log data, with a
 * bootstrap percentile interval on the exponent.
 *
 * @module
 */
import { makeRng } from "@srhm/generators";

/** Options of `fitPowerLaw`. */
export interface PowerLawOptions {
  /** Number of bootstrap resamples, an integer `>= 1` (a few thousand for a report). */
  readonly bootstrap: number;
  /** Seed of the resampling stream (`makeRng(seed, "fitPowerLaw/bootstrap")`). */
  readonly seed: number;
  /** Coverage of the percentile interval, in `(0, 1)`; default 0.95. */
  readonly level?: number;
}

/** A fitted power law. */
export interface PowerLawFit {
  /** Least-squares slope of `log y` on `log x`. */
  readonly exponent: number;
  /** `exp` of the least-squares intercept. */
  readonly prefactor: number;
  /** Bootstrap percentile interval of the exponent at `level`. */
  readonly interval: readonly [number, number];
  /** Coefficient of determination of the log-log fit (1 for an exact power law). */
  readonly r2: number;
  /** Classical standard error of the slope (`NaN` with 2 points). */
  readonly standardError: number;
  /** Resamples that entered the interval (those whose x were all equal have no slope). */
  readonly resamples: number;
}

interface Line {
  slope: number;
  intercept: number;
  ssRes: number;
  ssTot: number;
  sxx: number;
}

/** Least squares of `ly` on `lx` over the rows `idx`; `undefined` when all the x are equal. */
function leastSquares(
  lx: Float64Array,
  ly: Float64Array,
  idx: ArrayLike<number>,
): Line | undefined {
  const n = idx.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += lx[idx[i]];
    my += ly[idx[i]];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    const dx = lx[idx[i]] - mx;
    const dy = ly[idx[i]] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    ssTot += dy * dy;
  }
  if (!(sxx > 1e-300)) return undefined;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let ssRes = 0;
  for (let i = 0; i < n; i++) {
    const r = ly[idx[i]] - (intercept + slope * lx[idx[i]]);
    ssRes += r * r;
  }
  return { slope, intercept, ssRes, ssTot, sxx };
}

/** Type-7 (linear) quantile of sorted values. */
function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Fits `y = prefactor * x^exponent` by ordinary least squares of `log y` on `log x`, and gives
 * a bootstrap percentile interval for the exponent: `bootstrap` times, draw `n` points with
 * replacement (with `makeRng(seed, "fitPowerLaw/bootstrap")`, so the same seed gives the same
 * interval), refit, and take the `(1-level)/2` and `(1+level)/2` quantiles (linear
 * interpolation) of the slopes. A resample whose x are all equal has no slope and is left out
 * (`resamples` counts those kept); if none is left the interval is `[NaN, NaN]`. Repeated x
 * (several seeds at one x) are allowed. With very few points (3 values of s0) the percentile
 * interval is crude: report `standardError` beside it.
 *
 * @param xs abscissae, finite and `> 0`, at least two distinct values.
 * @param ys ordinates, finite and `> 0`, as many as `xs`.
 * @param options `{ bootstrap, seed, level? }`.
 * @returns the fit.
 * @throws {RangeError} on mismatched lengths, non-positive data, a bad option or fewer than two
 *   distinct x.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitPowerLaw } from "./power_law.ts";
 * const xs = [2, 3, 4];
 * const fit = fitPowerLaw(xs, xs.map((x) => 160 * x ** 2), { bootstrap: 200, seed: 1 });
 * assert.ok(Math.abs(fit.exponent - 2) < 1e-9 && Math.abs(fit.prefactor - 160) < 1e-6);
 * assert.ok(fit.interval[1] - fit.interval[0] < 1e-9);
 * ```
 */
export function fitPowerLaw(
  xs: readonly number[],
  ys: readonly number[],
  options: PowerLawOptions,
): PowerLawFit {
  const { bootstrap, seed } = options;
  const level = options.level ?? 0.95;
  if (xs.length !== ys.length) {
    throw new RangeError(`xs and ys must have the same length (${xs.length} != ${ys.length})`);
  }
  if (!Number.isInteger(bootstrap) || bootstrap < 1) {
    throw new RangeError(`bootstrap must be an integer >= 1 (got ${bootstrap})`);
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1) (got ${level})`);
  const n = xs.length;
  const lx = new Float64Array(n);
  const ly = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(xs[i]) || xs[i] <= 0) {
      throw new RangeError(`xs[${i}] must be finite and > 0 (got ${xs[i]})`);
    }
    if (!Number.isFinite(ys[i]) || ys[i] <= 0) {
      throw new RangeError(`ys[${i}] must be finite and > 0 (got ${ys[i]})`);
    }
    lx[i] = Math.log(xs[i]);
    ly[i] = Math.log(ys[i]);
  }
  const all = Array.from({ length: n }, (_, i) => i);
  const line = leastSquares(lx, ly, all);
  if (line === undefined) {
    throw new RangeError(`xs must hold at least two distinct values (got ${n} point(s))`);
  }
  const rng = makeRng(seed, "fitPowerLaw/bootstrap");
  const slopes = new Float64Array(bootstrap);
  const idx = new Int32Array(n);
  let kept = 0;
  for (let b = 0; b < bootstrap; b++) {
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    const fit = leastSquares(lx, ly, idx);
    if (fit !== undefined) slopes[kept++] = fit.slope;
  }
  const sorted = slopes.subarray(0, kept).sort();
  const interval: [number, number] = kept === 0
    ? [NaN, NaN]
    : [quantile(sorted, (1 - level) / 2), quantile(sorted, (1 + level) / 2)];
  const r2 = line.ssTot === 0 ? 1 : 1 - line.ssRes / line.ssTot;
  const standardError = n > 2 ? Math.sqrt(line.ssRes / (n - 2) / line.sxx) : NaN;
  return {
    exponent: line.slope,
    prefactor: Math.exp(line.intercept),
    interval,
    r2,
    standardError,
    resamples: kept,
  };
}
