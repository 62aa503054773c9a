/**
 * The reference training recipe's numbers (docs/protocol.md, training): the base learning rate and the
 * stopping loss of each architecture.
 *
 * @module
 */
import type { NetworkKind, Parametrisation } from "./config.ts";

/**
 * The reference base learning rate `lr` (docs/protocol.md, training; the trainer multiplies it by `H` under
 * mean-field):
 * - CNN, `L <= 2`: 0.1 for `s0 <= 2`, 0.03 above (the table gives `s0 = 4`; `s0 = 3` takes the
 *   cautious value too);
 * - CNN, `L >= 3`: 0.01 for `s0 < 4`, 0.003 for `s0 >= 4`;
 * - LCN: 0.01 for `s0 < 4`, 0.003 for `s0 >= 4`;
 * - FCN: 0.01 for `s0 < 4`, 0.003 for `s0 >= 4`.
 * The table is stated for `s = 2`; other `s` take the same values (a starting point, not a law).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { referenceLr } from "./lr.ts";
 * assert.ok(referenceLr("cnn", 2, 2, 1) === 0.1);
 * assert.ok(referenceLr("cnn", 2, 3, 4) === 0.003);
 * assert.ok(referenceLr("lcn", 2, 2, 0) === 0.01);
 * ```
 */
export function referenceLr(kind: NetworkKind, s: number, L: number, s0: number): number {
  for (const [name, x, min] of [["s", s, 2], ["L", L, 1], ["s0", s0, 0]] as const) {
    if (!Number.isSafeInteger(x) || x < min) {
      throw new RangeError(`referenceLr: ${name} must be an integer >= ${min} (got ${x})`);
    }
  }
  if (kind === "cnn" && L <= 2) return s0 <= 2 ? 0.1 : 0.03;
  return s0 < 4 ? 0.01 : 0.003;
}

/**
 * The reference stopping threshold of the epoch's mean training loss: `1e-3` (CNN, LCN),
 * `1e-2` (FCN).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { referenceStopLoss } from "./lr.ts";
 * assert.ok(referenceStopLoss("fcn") === 1e-2 && referenceStopLoss("cnn") === 1e-3);
 * ```
 */
export function referenceStopLoss(kind: NetworkKind): number {
  return kind === "fcn" ? 1e-2 : 1e-3;
}

/**
 * The learning rate that SGD actually uses: `lr * H` under mean-field, `lr` under standard.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { effectiveLr } from "./lr.ts";
 * assert.ok(effectiveLr(0.1, 512, "mean-field") === 51.2);
 * assert.ok(effectiveLr(0.1, 512, "standard") === 0.1);
 * ```
 */
export function effectiveLr(lr: number, H: number, parametrisation: Parametrisation): number {
  return parametrisation === "mean-field" ? lr * H : lr;
}
