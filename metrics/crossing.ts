/**
 * Where a curve sampled on a grid of P crosses a threshold, interpolated on log P.
 *
 * @module
 */

/** One point of a curve: a training-set size `P > 0` and a measured value. */
export interface CurvePoint {
  /** Training-set size. */
  readonly P: number;
  /** The measured value at P. */
  readonly value: number;
}

/** Why a crossing was not found (`code`), with a sentence that gives the numbers (`reason`). */
export type NotReachedCode = "no-points" | "never-crosses" | "already-crossed";

/** The result of `crossing`: the interpolated P, or why there is none. */
export type Crossing =
  | { readonly reached: true; readonly P: number }
  | { readonly reached: false; readonly code: NotReachedCode; readonly reason: string };

/**
 * The first P at which a curve crosses `threshold`.
 *
 * The points are sorted by P (they need not be given in order; `P` must be finite, `> 0` and
 * distinct). Points whose value is `NaN` (an undefined measurement, e.g. a `0/0` sensitivity)
 * are left out. With `direction` `"below"` (the default: an error or a sensitivity that falls
 * as P grows), the crossing lies between the first point whose value is `<= threshold` and the
 * point before it (whose value is `> threshold`); `"above"` is the mirror image (`>=` and `<`).
 * Between those two grid points `(P0, v0)` and `(P1, v1)`, the value is taken as linear in
 * `log P`:
 *
 * ```text
 *   t = (v0 - threshold) / (v0 - v1),   P = exp(log P0 + t * (log P1 - log P0))
 * ```
 *
 * (geometric interpolation in P, linear in the value; a point exactly at the threshold gives its
 * own P). An infinite value at one end puts the crossing at the other end. Only the FIRST
 * crossing counts: a noisy curve that goes back over the threshold later is not looked at again.
 *
 * Not reached (`reached: false`), with `code`:
 * - `"no-points"`: no point with a defined value.
 * - `"never-crosses"`: every value is on the wrong side (the grid stops too early).
 * - `"already-crossed"`: the smallest P is already on the far side. This is NOT reported as the
 *   smallest P, because the crossing can lie anywhere below it: the `reason` says that P* is at
 *   most that P (an upper bound), and a fit should not use it as a measurement.
 *
 * @param points the curve, at least one point.
 * @param threshold the level to cross, finite.
 * @param direction `"below"` (default) or `"above"`.
 * @returns `{ reached: true, P }` or `{ reached: false, code, reason }`.
 * @throws {RangeError} on a bad P (not finite, `<= 0`, repeated) or a non-finite threshold.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { crossing } from "./crossing.ts";
 * // The error falls from 0.3 at P=100 to 0.05 at P=400: 0.1 is crossed at t = 0.8 of the
 * // way on log P, i.e. at P = 100 * 4^0.8.
 * const c = crossing([{ P: 100, value: 0.3 }, { P: 400, value: 0.05 }], 0.1);
 * assert.ok(c.reached && Math.abs(c.P - 100 * 4 ** 0.8) < 1e-9);
 * const never = crossing([{ P: 100, value: 0.5 }, { P: 200, value: 0.4 }], 0.1);
 * assert.ok(!never.reached && never.code === "never-crosses");
 * ```
 */
export function crossing(
  points: readonly CurvePoint[],
  threshold: number,
  direction: "below" | "above" = "below",
): Crossing {
  if (!Number.isFinite(threshold)) {
    throw new RangeError(`threshold must be finite (got ${threshold})`);
  }
  if (direction !== "below" && direction !== "above") {
    throw new RangeError(`direction must be "below" or "above" (got ${String(direction)})`);
  }
  for (const [i, p] of points.entries()) {
    if (!Number.isFinite(p.P) || p.P <= 0) {
      throw new RangeError(`points[${i}].P must be finite and > 0 (got ${p.P})`);
    }
  }
  const sorted = points.filter((p) => !Number.isNaN(p.value)).sort((a, b) => a.P - b.P);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].P === sorted[i - 1].P) {
      throw new RangeError(`points must have distinct P (P = ${sorted[i].P} appears twice)`);
    }
  }
  const word = direction === "below" ? "below" : "above";
  if (sorted.length === 0) {
    return { reached: false, code: "no-points", reason: "no point with a defined value" };
  }
  const past = (v: number): boolean => direction === "below" ? v <= threshold : v >= threshold;
  const first = sorted.findIndex((p) => past(p.value));
  if (first === -1) {
    const last = sorted[sorted.length - 1];
    return {
      reached: false,
      code: "never-crosses",
      reason: `never ${word} ${threshold}: still ${last.value} at the largest P = ${last.P}`,
    };
  }
  if (first === 0) {
    const p = sorted[0];
    return {
      reached: false,
      code: "already-crossed",
      reason: `already ${word} ${threshold} at the smallest P = ${p.P} (value ${p.value}): ` +
        `the crossing is at most ${p.P}`,
    };
  }
  const a = sorted[first - 1];
  const b = sorted[first];
  let t: number;
  if (!Number.isFinite(a.value)) t = 1;
  else if (!Number.isFinite(b.value)) t = 0;
  else t = (a.value - threshold) / (a.value - b.value);
  const logP = Math.log(a.P) + t * (Math.log(b.P) - Math.log(a.P));
  return { reached: true, P: t === 1 ? b.P : Math.exp(logP) };
}
