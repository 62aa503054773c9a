/**
 * Measurements of the Sparse Random Hierarchy Model experiments (docs/protocol.md, measurements) and the
 * paper's laws (section 9), as pure functions over numbers and typed arrays: test error,
 * sensitivities, threshold crossings (`P*`, `P*_S`, `P*_D`), power-law fits with a bootstrap
 * interval, and the predictors of `P*`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pStar, predictCnn } from "./mod.ts";
 * const curve = [{ P: 128, value: 0.6 }, { P: 512, value: 0.2 }, { P: 2048, value: 0.01 }];
 * const c = pStar(curve);
 * const law = predictCnn({ L: 2, s: 2, s0: 1, m: 4, nc: 4 });
 * assert.ok(c.reached && c.P > 512 && c.P < 2048 && law === 640);
 * ```
 *
 * @module
 */
export const PACKAGE = "@srhm/metrics";

export { testError } from "./test_error.ts";
export { batchPairsSensitivity, sensitivity } from "./sensitivity.ts";
export { type Crossing, crossing, type CurvePoint, type NotReachedCode } from "./crossing.ts";
export {
  type HierarchicalKind,
  pStar,
  PSTAR_THRESHOLD,
  pStarD,
  pStarS,
  referenceThresholds,
  type SensitivityCrossingOptions,
  type SensitivityThresholds,
} from "./pstar.ts";
export { fitPowerLaw, type PowerLawFit, type PowerLawOptions } from "./power_law.ts";
export { ranks, spearman } from "./rank_correlation.ts";
export {
  CNN_C1,
  type LawParams,
  LCN_C0,
  predictCnn,
  predictedExponent,
  predictLcn,
  predictRhm,
  scalingExponent,
  type ScalingVariable,
} from "./predictors.ts";
export type { SrhmParams } from "@srhm/generators";
