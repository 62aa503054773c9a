/**
 * The authors' training recipe's numbers (docs/protocol.md, training): the base learning rate of their table
 * and the stopping loss of each architecture, and when the stopping loss is checked.
 *
 * @module
 */
import type { NetworkKind, Parametrisation } from "./config.ts";

/** Where a rate of the authors' table comes from: the row, and the gap it filled (if any). */
export interface ReferenceLrRule {
  /** The base learning rate `lr` (SGD uses `lr * H` under mean-field). */
  readonly lr: number;
  /** The row of the authors' table (docs/protocol.md, training) that gave it, in words. */
  readonly row: string;
  /** `null` when the table states the case; else which stated value was taken, and why. */
  readonly gap: string | null;
}

function checkArgs(name: string, s: number, L: number, s0: number): void {
  for (const [what, x, min] of [["s", s, 2], ["L", L, 1], ["s0", s0, 0]] as const) {
    if (!Number.isSafeInteger(x) || x < min) {
      throw new RangeError(`${name}: ${what} must be an integer >= ${min} (got ${x})`);
    }
  }
}

/**
 * The authors' base learning rate for `(kind, s, L, s0)` with the row of the authors' table (docs/protocol.md, training)
 * it comes from. The rows are read top to bottom, the first that matches wins (so CNN `s = 2`,
 * `s0 = 0` takes 0.01 at every L, `L = 1` included):
 *
 * | net | case | lr |
 * |---|---|---|
 * | CNN | s = 2, s0 = 0 (any L) | 0.01 |
 * | CNN | s = 2, s0 > 0, L = 2 | 0.1 (s0 < 4), 0.03 (s0 = 4), 0.01 (s0 > 4) |
 * | CNN | s = 2, s0 > 0, L >= 3 | 0.01 (s0 < 4), 0.003 (s0 = 4), 0.001 (s0 > 4) |
 * | CNN | s = 2, L = 1 | 0.1 (s0 < 4), 0.03 (s0 >= 4) |
 * | CNN | s > 2 | 0.01 (s0 < 4), 0.003 (s0 = 4), 0.0003 (s0 = 6) |
 * | LCN | s = 2 | 0.01 (s0 < 4), 0.003 (s0 >= 4) |
 * | LCN | s > 2 | 0.003 |
 * | FCN | L = 2 | 0.01 (s0 < 4), 0.003 (s0 >= 4) |
 * | FCN | L >= 3 | 0.003 (s0 < 4), 0.001 (s0 >= 4) |
 *
 * Gaps take the nearest stated value and say so in `gap`: CNN `s > 2` with `s0 = 5` (4 and 6
 * are equally near: the smaller rate of `s0 = 6`, as every `s0 > 4` of the `s = 2` rows takes the
 * smallest rate) or `s0 > 6` (that of `s0 = 6`); FCN `L = 1` (that of `L = 2`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { referenceLrRule } from "./lr.ts";
 * assert.equal(referenceLrRule("cnn", 2, 2, 3).lr, 0.1);
 * assert.equal(referenceLrRule("cnn", 2, 2, 3).gap, null);
 * assert.equal(referenceLrRule("cnn", 3, 2, 5).lr, 0.0003);
 * assert.match(referenceLrRule("cnn", 3, 2, 5).gap ?? "", /nearest/);
 * ```
 */
export function referenceLrRule(
  kind: NetworkKind,
  s: number,
  L: number,
  s0: number,
): ReferenceLrRule {
  checkArgs("referenceLrRule", s, L, s0);
  const stated = (lr: number, row: string): ReferenceLrRule => ({ lr, row, gap: null });
  if (kind === "cnn") {
    if (s === 2) {
      if (s0 === 0) return stated(0.01, "CNN, s = 2, s0 = 0 (any L)");
      if (L === 2) {
        return stated(s0 < 4 ? 0.1 : s0 === 4 ? 0.03 : 0.01, "CNN, s = 2, s0 > 0, L = 2");
      }
      if (L >= 3) {
        return stated(s0 < 4 ? 0.01 : s0 === 4 ? 0.003 : 0.001, "CNN, s = 2, s0 > 0, L >= 3");
      }
      return stated(s0 < 4 ? 0.1 : 0.03, "CNN, s = 2, L = 1");
    }
    const row = "CNN, s > 2";
    if (s0 < 4) return stated(0.01, row);
    if (s0 === 4) return stated(0.003, row);
    if (s0 === 6) return stated(0.0003, row);
    return {
      lr: 0.0003,
      row,
      gap: s0 === 5
        ? "s0 = 5 is not in the table: the nearest stated s0 are 4 (0.003) and 6 (0.0003); " +
          "took the smaller rate, that of s0 = 6"
        : `s0 = ${s0} is not in the table: took the value of the nearest stated s0, 6 (0.0003)`,
    };
  }
  if (kind === "lcn") {
    if (s === 2) return stated(s0 < 4 ? 0.01 : 0.003, "LCN, s = 2");
    return stated(0.003, "LCN, s > 2");
  }
  if (L >= 3) return stated(s0 < 4 ? 0.003 : 0.001, "FCN, L >= 3");
  const fcn2 = s0 < 4 ? 0.01 : 0.003;
  if (L === 2) return stated(fcn2, "FCN, L = 2");
  return {
    lr: fcn2,
    row: "FCN, L = 2",
    gap: `FCN L = 1 is not in the table: took the value of the nearest stated L, 2 (${fcn2})`,
  };
}

/**
 * The authors' base learning rate `lr` (docs/protocol.md, training, their table exactly; the trainer
 * multiplies it by `H` under mean-field): `referenceLrRule(kind, s, L, s0).lr`. See
 * `referenceLrRule` for the table, the order of its rows and the gaps.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { referenceLr } from "./lr.ts";
 * assert.ok(referenceLr("cnn", 2, 2, 1) === 0.1);
 * assert.ok(referenceLr("cnn", 2, 2, 0) === 0.01);
 * assert.ok(referenceLr("cnn", 2, 3, 4) === 0.003);
 * assert.ok(referenceLr("lcn", 3, 2, 0) === 0.003);
 * ```
 */
export function referenceLr(kind: NetworkKind, s: number, L: number, s0: number): number {
  checkArgs("referenceLr", s, L, s0);
  return referenceLrRule(kind, s, L, s0).lr;
}

/**
 * The authors' stopping threshold of the epoch's mean training loss: `1e-3` (CNN, LCN),
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

/** When the trainer checks the stopping loss (see `TrainOptions.stopCheck`). */
export type StopCheck = "eval" | "epoch";

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
