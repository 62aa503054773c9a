/**
 * Sample complexities: `P*` from a learning curve, `P*_S` and `P*_D` from the sensitivities
 * `S_2` and `D_2` (docs/protocol.md, measurements).
 *
 * @module
 */
import { type Crossing, crossing, type CurvePoint } from "./crossing.ts";

/** The architectures that have reference sensitivity thresholds. */
export type HierarchicalKind = "cnn" | "lcn";

/** Thresholds on `S_2` (synonyms) and `D_2` (diffeomorphisms) that define `P*_S` and `P*_D`. */
export interface SensitivityThresholds {
  /** Threshold on `S_2`. */
  readonly S: number;
  /** Threshold on `D_2`. */
  readonly D: number;
}

/** The default test-error threshold of `P*` (10 %). */
export const PSTAR_THRESHOLD = 0.10;

/**
 * The paper's reference thresholds on `S_2` and `D_2` (docs/protocol.md, measurements): CNN `S_2` 0.4 at L = 2
 * and 0.2 at L = 3, `D_2` 0.2; LCN `S_2` 0.3, `D_2` 0.1. The paper gives the CNN's `S_2`
 * threshold at L = 2 and 3 only; for L >= 4 this returns the L = 3 value (0.2), our choice.
 * `S_2` needs a second hidden layer, so L must be >= 2.
 *
 * @param kind `"cnn"` or `"lcn"`.
 * @param L depth, an integer `>= 2`.
 * @returns `{ S, D }`.
 * @throws {RangeError} on another kind or L < 2.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { referenceThresholds } from "./pstar.ts";
 * assert.ok(referenceThresholds("cnn", 2).S === 0.4);
 * assert.ok(referenceThresholds("lcn", 2).D === 0.1);
 * ```
 */
export function referenceThresholds(kind: HierarchicalKind, L: number): SensitivityThresholds {
  if (!Number.isInteger(L) || L < 2) {
    throw new RangeError(`L must be an integer >= 2 for S_2 / D_2 thresholds (got ${L})`);
  }
  if (kind === "cnn") return { S: L === 2 ? 0.4 : 0.2, D: 0.2 };
  if (kind === "lcn") return { S: 0.3, D: 0.1 };
  throw new RangeError(`kind must be "cnn" or "lcn" for reference thresholds (got ${kind})`);
}

/**
 * `P*`: where the test error first falls to `threshold` (10 % by default); see `crossing` for
 * the log-P interpolation and the not-reached cases.
 *
 * @param curve test error against P.
 * @param threshold the error level, default `PSTAR_THRESHOLD` = 0.10.
 * @returns the crossing or why there is none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pStar } from "./pstar.ts";
 * const c = pStar([{ P: 64, value: 0.5 }, { P: 256, value: 0.1 }, { P: 1024, value: 0 }]);
 * assert.ok(c.reached && c.P === 256);
 * ```
 */
export function pStar(curve: readonly CurvePoint[], threshold: number = PSTAR_THRESHOLD): Crossing {
  return crossing(curve, threshold, "below");
}

/** Which network and depth pick the reference threshold, or an explicit `threshold`. */
export interface SensitivityCrossingOptions {
  /** The network (picks the reference threshold). */
  readonly kind: HierarchicalKind;
  /** Depth (picks the reference threshold). */
  readonly L: number;
  /** Overrides the reference value when given. */
  readonly threshold?: number;
}

/**
 * `P*_S`: where the synonym sensitivity `S_2` of the second hidden layer first falls below
 * its threshold (`referenceThresholds(kind, L).S` unless `threshold` is given).
 *
 * @param curve `S_2` against P.
 * @param options `{ kind, L, threshold? }`.
 * @returns the crossing or why there is none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pStarS } from "./pstar.ts";
 * const c = pStarS([{ P: 100, value: 0.8 }, { P: 1000, value: 0.4 }], { kind: "cnn", L: 2 });
 * assert.ok(c.reached && c.P === 1000);
 * ```
 */
export function pStarS(
  curve: readonly CurvePoint[],
  options: SensitivityCrossingOptions,
): Crossing {
  const threshold = options.threshold ?? referenceThresholds(options.kind, options.L).S;
  return crossing(curve, threshold, "below");
}

/**
 * `P*_D`: where the diffeomorphism sensitivity `D_2` of the second hidden layer first falls
 * below its threshold (`referenceThresholds(kind, L).D` unless `threshold` is given).
 *
 * @param curve `D_2` against P.
 * @param options `{ kind, L, threshold? }`.
 * @returns the crossing or why there is none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pStarD } from "./pstar.ts";
 * const c = pStarD([{ P: 100, value: 0.6 }, { P: 1000, value: 0.05 }], { kind: "lcn", L: 2 });
 * assert.ok(c.reached && c.P > 100 && c.P < 1000);
 * ```
 */
export function pStarD(
  curve: readonly CurvePoint[],
  options: SensitivityCrossingOptions,
): Crossing {
  const threshold = options.threshold ?? referenceThresholds(options.kind, options.L).D;
  return crossing(curve, threshold, "below");
}
