/**
 * Validation of the SRHM parameters (docs/protocol.md, parameters), up front: every violated constraint gives
 * one message that names the parameter and the bound. Nothing is ever clamped.
 *
 * Besides the model's own constraints, sizes are capped so that nothing hangs or allocates
 * absurdly (see {@link LIMITS}).
 *
 * @module
 */
import * as E from "fp-ts/lib/Either.js";
import type { SrhmParams } from "./types.ts";
import type { Validation } from "./validation.ts";

/** Raw, unchecked parameters (e.g. parsed from a command line or JSON). Missing = default. */
export interface RawParams {
  /** Depth. */
  readonly L?: unknown;
  /** Informative children per production. */
  readonly s?: unknown;
  /** Uninformative slots per informative child. */
  readonly s0?: unknown;
  /** Vocabulary size. */
  readonly v?: unknown;
  /** Synonyms per symbol. */
  readonly m?: unknown;
  /** Number of classes. */
  readonly nc?: unknown;
  /** Placement of the informative children, `A` or `B`. */
  readonly sparsity?: unknown;
  /** Grammar seed. */
  readonly seed?: unknown;
}

/**
 * Size caps beyond the model's constraints: `d = S^L` (input length), `v` (tokens are stored as
 * `Int16`), `m` (production indices as `Uint16`), `v^s` (tuple codes exact in a double), the
 * grammar's size (`m * (nc + (L-1) v)` productions), and the placements per node (an index in a
 * `Uint32`: `(s0+1)^s` in A, `C(S, s)` in B, whose table also holds `s * C(S, s)` entries).
 */
export const LIMITS: {
  readonly d: number;
  readonly v: number;
  readonly m: number;
  readonly tuples: number;
  readonly productions: number;
  readonly placements: number;
  readonly placementTable: number;
  readonly seed: number;
} = Object.freeze({
  d: 2 ** 20,
  v: 32767,
  m: 65535,
  tuples: 2 ** 53,
  productions: 2 ** 22,
  placements: 2 ** 32,
  placementTable: 2 ** 22,
  seed: Number.MAX_SAFE_INTEGER,
});

/** Thrown by {@link makeParams}; `violations` lists every problem, the message one per line. */
export class ParamError extends Error {
  /** The error's name. */
  override name = "ParamError";
  /** Every violated constraint, one message each. */
  readonly violations: readonly string[];
  /**
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ParamError } from "./params.ts";
   * const e = new ParamError(["L must be an integer >= 1 (got 0)"]);
   * assert.ok(e.message === "L must be an integer >= 1 (got 0)");
   * ```
   */
  /** An error listing every violated constraint. */
  constructor(violations: readonly string[]) {
    super(violations.join("\n"));
    this.violations = Object.freeze([...violations]);
  }
}

function show(x: unknown): string {
  if (typeof x === "string") return JSON.stringify(x);
  if (typeof x === "number" || typeof x === "boolean" || x === null) return String(x);
  if (typeof x === "bigint") return `${x}n`;
  if (x === undefined) return "undefined";
  try {
    return JSON.stringify(x) ?? typeof x;
  } catch {
    return typeof x;
  }
}

/** Checks one integer field; returns the number or pushes a message and returns undefined. */
function integer(
  errors: string[],
  name: string,
  x: unknown,
  min: number,
  max: number,
  maxNote: string,
): number | undefined {
  if (typeof x !== "number" || !Number.isInteger(x) || x < min) {
    errors.push(`${name} must be an integer >= ${min} (got ${show(x)})`);
    return undefined;
  }
  if (x > max) {
    errors.push(`${name} must be <= ${maxNote} (got ${x})`);
    return undefined;
  }
  return x;
}

/** `base^exp` as a number, or `Infinity` once it exceeds `cap` (never loops more than ~60 times). */
function powCapped(base: number, exp: number, cap: number): number {
  let r = 1;
  for (let i = 0; i < exp; i++) {
    r *= base;
    if (r > cap) return Infinity;
  }
  return r;
}

/**
 * `C(n, k)` as a number, or `Infinity` once it exceeds `cap`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { binomialCapped } from "./params.ts";
 * assert.ok(binomialCapped(4, 2, 100) === 6);
 * assert.ok(binomialCapped(100, 50, 1e6) === Infinity);
 * ```
 */
export function binomialCapped(n: number, k: number, cap: number): number {
  if (k < 0 || k > n) return 0;
  k = Math.min(k, n - k);
  let r = 1;
  for (let i = 1; i <= k; i++) {
    r = (r * (n - k + i)) / i;
    if (r > cap) return Infinity;
  }
  return Math.round(r);
}

const fmt = (x: number): string => (Number.isFinite(x) ? String(x) : "more");

/**
 * Validates raw parameters, collecting ALL violations. Defaults: `s = 2`, `s0 = 0`,
 * `sparsity = "A"`, `seed = 0`, `m = v^(s-1)`, `nc = v` (the paper's maximal case; defaults only,
 * given values are never clamped). `L` and `v` have no default.
 *
 * @returns `Right(params)` (frozen) or `Left(messages)`, one message per violated constraint.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as E from "fp-ts/lib/Either.js";
 * import { validateParams } from "./params.ts";
 * const ok = validateParams({ L: 2, v: 4, s0: 1 });
 * assert.ok(E.isRight(ok) && ok.right.m === 4 && ok.right.nc === 4);
 * const bad = validateParams({ L: 0, v: 4, m: 8, nc: 8 });
 * assert.ok(E.isLeft(bad) && bad.left.length === 2);
 * ```
 */
export function validateParams(raw: RawParams): Validation<readonly string[], SrhmParams> {
  const errors: string[] = [];
  if (typeof raw !== "object" || raw === null) {
    return E.left(["parameters must be an object"]);
  }
  const L = integer(errors, "L", raw.L, 1, 20, "20 (d = S^L <= 2^20)");
  const s = integer(errors, "s", raw.s ?? 2, 2, 53, "53 (v^s <= 2^53)");
  const s0 = integer(errors, "s0", raw.s0 ?? 0, 0, LIMITS.d, String(LIMITS.d));
  const v = integer(errors, "v", raw.v, 2, LIMITS.v, `${LIMITS.v} (tokens are Int16)`);
  const sparsity = raw.sparsity ?? "A";
  if (sparsity !== "A" && sparsity !== "B") {
    errors.push(`sparsity must be "A" or "B" (got ${show(sparsity)})`);
  }
  const seed = integer(errors, "seed", raw.seed ?? 0, 0, LIMITS.seed, "2^53 - 1");

  // v^s (number of s-tuples) and the defaults m = v^(s-1), nc = v.
  let tuples: number | undefined;
  if (v !== undefined && s !== undefined) {
    tuples = powCapped(v, s, LIMITS.tuples);
    if (!Number.isFinite(tuples)) {
      errors.push(`v^s must be <= 2^53 (v = ${v}, s = ${s})`);
      tuples = undefined;
    }
  }
  let mRaw: unknown = raw.m;
  if (mRaw === undefined && v !== undefined && s !== undefined) {
    const def = powCapped(v, s - 1, LIMITS.m);
    if (!Number.isFinite(def)) {
      errors.push(`m (default v^(s-1)) must be <= ${LIMITS.m} (v = ${v}, s = ${s}): give m`);
    } else mRaw = def;
  }
  const m = mRaw === undefined
    ? undefined
    : integer(errors, "m", mRaw, 1, LIMITS.m, `${LIMITS.m} (production indices are Uint16)`);
  // nc defaults to v; when v itself is invalid, its own message is enough.
  const ncRaw: unknown = raw.nc ?? v;
  const nc = ncRaw === undefined
    ? undefined
    : integer(errors, "nc", ncRaw, 2, 2 ** 31 - 1, "2^31 - 1");

  // Unambiguity: m * parents <= v^s at every level.
  if (m !== undefined && nc !== undefined && tuples !== undefined) {
    if (m * nc > tuples) {
      errors.push(`m * nc <= v^s at level L (${m} * ${nc} = ${m * nc} > ${tuples})`);
    }
  }
  if (m !== undefined && v !== undefined && tuples !== undefined && L !== undefined && L >= 2) {
    if (m * v > tuples) {
      errors.push(`m * v <= v^s at levels 1..L-1 (${m} * ${v} = ${m * v} > ${tuples})`);
    }
  }

  // Sizes: d = S^L, grammar size, placements per node.
  if (s !== undefined && s0 !== undefined) {
    const S = s * (s0 + 1);
    if (L !== undefined) {
      const d = powCapped(S, L, LIMITS.d);
      if (!Number.isFinite(d)) {
        errors.push(
          `d = S^L must be <= 2^20 (S = s(s0+1) = ${S}, L = ${L}, S^L = ${
            fmt(powCapped(S, L, 2 ** 1000))
          })`,
        );
      }
    }
    if (sparsity === "A") {
      const per = powCapped(s0 + 1, s, LIMITS.placements);
      if (!Number.isFinite(per)) {
        errors.push(`placements per node (s0+1)^s must be <= 2^32 (s0 = ${s0}, s = ${s})`);
      }
    } else if (sparsity === "B") {
      const per = binomialCapped(S, s, LIMITS.placementTable);
      if (!Number.isFinite(per) || per * s > LIMITS.placementTable) {
        errors.push(
          `placements per node s * C(S, s) must be <= 2^22 (S = ${S}, s = ${s}, C(S, s) = ${
            fmt(per)
          })`,
        );
      }
    }
  }
  if (m !== undefined && nc !== undefined && v !== undefined && L !== undefined) {
    const size = m * (nc + (L - 1) * v);
    if (size > LIMITS.productions) {
      errors.push(
        `grammar size m * (nc + (L-1) * v) must be <= 2^22 (${m} * (${nc} + ${
          L - 1
        } * ${v}) = ${size})`,
      );
    }
  }

  if (errors.length > 0) return E.left(Object.freeze(errors));
  return E.right(Object.freeze({
    L: L!,
    s: s!,
    s0: s0!,
    v: v!,
    m: m!,
    nc: nc!,
    sparsity: sparsity as "A" | "B",
    seed: seed!,
  }));
}

/**
 * Like {@link validateParams}, but returns the parameters or throws a {@link ParamError} whose
 * message lists every violation, one per line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeParams, ParamError } from "./params.ts";
 * const p = makeParams({ L: 3, s0: 1, v: 8 });
 * assert.ok(p.m === 8 && p.nc === 8 && p.sparsity === "A");
 * try {
 *   makeParams({ L: 2, v: 4, m: 8, nc: 8 });
 *   assert.ok(false);
 * } catch (e) {
 *   assert.ok(e instanceof ParamError && e.message.includes("m * nc <= v^s"));
 * }
 * ```
 */
export function makeParams(raw: RawParams): SrhmParams {
  const r = validateParams(raw);
  if (E.isLeft(r)) throw new ParamError(r.left);
  return r.right;
}
