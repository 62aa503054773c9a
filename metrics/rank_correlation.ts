/**
 * Spearman's rank correlation, for the paper's Figure 1 claim that across architectures the test
 * error increases with the sensitivities.
 *
 * @module
 */

/**
 * The ranks of `xs` (1-based; tied values share their average rank).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ranks } from "./rank_correlation.ts";
 * assert.deepEqual(ranks([10, 30, 20, 20]), [1, 4, 2.5, 2.5]);
 * ```
 */
export function ranks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(xs.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k][1]] = rank;
    i = j + 1;
  }
  return out;
}

/**
 * Spearman's rank correlation of the pairs `(xs[i], ys[i])`: Pearson's correlation of their ranks
 * (ties averaged). Pairs with a non-finite member are left out; `NaN` with fewer than 3 pairs or
 * when one side is constant. Throws a `RangeError` when the lengths differ.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { spearman } from "./rank_correlation.ts";
 * assert.equal(spearman([1, 2, 3, 4], [10, 20, 30, 1000]), 1);
 * assert.equal(spearman([1, 2, 3], [3, 2, 1]), -1);
 * assert.ok(Number.isNaN(spearman([1, 2], [1, 2])));
 * ```
 */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length) {
    throw new RangeError(
      `spearman: xs and ys must have the same length (${xs.length}, ${ys.length})`,
    );
  }
  const keep = xs.map((x, i) => Number.isFinite(x) && Number.isFinite(ys[i]));
  const x = ranks(xs.filter((_, i) => keep[i]));
  const y = ranks(ys.filter((_, i) => keep[i]));
  const n = x.length;
  if (n < 3) return NaN;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return sxy / Math.sqrt(sxx * syy);
}
