/**
 * The paper's laws for the sample complexity `P*` (docs/protocol.md, laws).
 *
 * @module
 */
import type { SrhmParams } from "@srhm/generators";

/**
 * The parameters the laws read: the fields `L`, `s`, `s0`, `m`, `nc` of `SrhmParams` (so a full
 * `SrhmParams` can be passed as is).
 */
export type LawParams = Pick<SrhmParams, "L" | "s" | "s0" | "m" | "nc">;

/** The CNN constant `C1` of `P* ~ C1 (s0+1)^2 nc m^L`, by `s` (the paper: 2.5 at s=2, 3.5 at s=3). */
export const CNN_C1: Readonly<Record<number, number>> = Object.freeze({ 2: 2.5, 3: 3.5 });

/** The LCN constant `C0` of `P* ~ C0 s^(L/2) (s0+1)^L nc m^L`, by `s` (1 at s=2, 2.5 at s=3). */
export const LCN_C0: Readonly<Record<number, number>> = Object.freeze({ 2: 1, 3: 2.5 });

function checkParams(p: LawParams): void {
  const bounds: [keyof LawParams, number][] = [["L", 1], ["s", 2], ["s0", 0], ["m", 1], [
    "nc",
    2,
  ]];
  for (const [name, min] of bounds) {
    const x = p[name];
    if (!Number.isInteger(x) || x < min) {
      throw new RangeError(`${name} must be an integer >= ${min} (got ${x})`);
    }
  }
}

function constant(table: Readonly<Record<number, number>>, name: string, s: number): number {
  const c = table[s];
  if (c === undefined) {
    throw new RangeError(`${name} is known for s = 2 or 3 only (got s = ${s}): pass ${name}`);
  }
  return c;
}

function checkConstant(name: string, c: number): number {
  if (!Number.isFinite(c) || c <= 0) throw new RangeError(`${name} must be > 0 (got ${c})`);
  return c;
}

/**
 * The RHM law (s0 = 0, deep CNN): `P* ~ nc m^L`. `s0` and `s` are not used.
 *
 * @param p `{ L, s, s0, m, nc }`.
 * @returns `nc * m^L`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { predictRhm } from "./predictors.ts";
 * assert.ok(predictRhm({ L: 2, s: 2, s0: 0, m: 4, nc: 4 }) === 64);
 * ```
 */
export function predictRhm(p: LawParams): number {
  checkParams(p);
  return p.nc * p.m ** p.L;
}

/**
 * The CNN law: `P* ~ C1 (s0+1)^2 nc m^L`, whatever L (weight sharing makes the cost of the
 * uninformative slots quadratic in `s0+1`). `C1` defaults to `CNN_C1[s]` (2.5 at s=2, 3.5 at
 * s=3); for another `s` it must be given.
 *
 * @param p `{ L, s, s0, m, nc }`.
 * @param C1 the constant, default by `s`.
 * @returns the predicted `P*`.
 * @throws {RangeError} on bad parameters, or when `s` has no default `C1` and none is given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { predictCnn } from "./predictors.ts";
 * // s=2, L=2, s0=1, v=m=nc=4: 2.5 * 2^2 * 4 * 4^2 = 640.
 * assert.ok(predictCnn({ L: 2, s: 2, s0: 1, m: 4, nc: 4 }) === 640);
 * ```
 */
export function predictCnn(p: LawParams, C1?: number): number {
  checkParams(p);
  const c = checkConstant("C1", C1 ?? constant(CNN_C1, "C1", p.s));
  return c * (p.s0 + 1) ** 2 * p.nc * p.m ** p.L;
}

/**
 * The LCN law: `P* ~ C0 s^(L/2) (s0+1)^L nc m^L` (without weight sharing every position of every
 * level must be learnt). `C0` defaults to `LCN_C0[s]` (1 at s=2, 2.5 at s=3); for another `s` it
 * must be given.
 *
 * @param p `{ L, s, s0, m, nc }`.
 * @param C0 the constant, default by `s`.
 * @returns the predicted `P*`.
 * @throws {RangeError} on bad parameters, or when `s` has no default `C0` and none is given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { predictLcn } from "./predictors.ts";
 * // s=2, L=2, s0=1, m=nc=4: 1 * 2^1 * 2^2 * 4 * 4^2 = 512.
 * assert.ok(predictLcn({ L: 2, s: 2, s0: 1, m: 4, nc: 4 }) === 512);
 * ```
 */
export function predictLcn(p: LawParams, C0?: number): number {
  checkParams(p);
  const c = checkConstant("C0", C0 ?? constant(LCN_C0, "C0", p.s));
  return c * p.s ** (p.L / 2) * (p.s0 + 1) ** p.L * p.nc * p.m ** p.L;
}

/**
 * The predicted exponent of `P*` in `s0 + 1` at fixed L, s, m, nc: 2 for the CNN, L for the LCN.
 *
 * @param kind `"cnn"` or `"lcn"`.
 * @param L depth, an integer `>= 1`.
 * @returns the exponent.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { predictedExponent } from "./predictors.ts";
 * assert.ok(predictedExponent("cnn", 3) === 2);
 * assert.ok(predictedExponent("lcn", 3) === 3);
 * ```
 */
export function predictedExponent(kind: "cnn" | "lcn", L: number): number {
  if (!Number.isInteger(L) || L < 1) throw new RangeError(`L must be an integer >= 1 (got ${L})`);
  if (kind === "cnn") return 2;
  if (kind === "lcn") return L;
  throw new RangeError(`kind must be "cnn" or "lcn" (got ${String(kind)})`);
}

/** The parameter a scaling experiment varies: `s0`, `v` (with `m = v^(s-1)`, `nc = v`) or `L`. */
export type ScalingVariable = "s0" | "v" | "L";

/**
 * The paper's exponent of `P*` against the abscissa of a scaling experiment, from the CNN and
 * LCN laws (`predictCnn`, `predictLcn`): against `s0+1` (`predictedExponent`: CNN 2, LCN L);
 * against `v` with `m = v^(s-1)`, `nc = v`, `1 + (s-1) L` for both; against `m^L` at fixed
 * `s, s0, m, nc`, CNN 1 and LCN `1 + log(sqrt(s) (s0+1)) / log m`.
 *
 * @param kind `"cnn"` or `"lcn"`.
 * @param variable the parameter varied.
 * @param p the parameters of the point (`L` for `s0`; `s`, `L` for `v`; `s`, `s0`, `m` for `L`).
 * @returns the exponent.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scalingExponent } from "./predictors.ts";
 * const p = { L: 2, s: 2, s0: 1, m: 4, nc: 4 };
 * assert.equal(scalingExponent("lcn", "s0", p), 2);
 * assert.equal(scalingExponent("cnn", "v", p), 3);
 * assert.equal(scalingExponent("cnn", "L", p), 1);
 * assert.equal(scalingExponent("lcn", "L", p), 1 + Math.log(Math.sqrt(2) * 2) / Math.log(4));
 * ```
 */
export function scalingExponent(
  kind: "cnn" | "lcn",
  variable: ScalingVariable,
  p: LawParams,
): number {
  if (variable === "s0") return predictedExponent(kind, p.L);
  if (variable === "v") return 1 + (p.s - 1) * p.L;
  if (kind === "cnn") return 1;
  return 1 + Math.log(Math.sqrt(p.s) * (p.s0 + 1)) / Math.log(p.m);
}
