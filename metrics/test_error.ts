/**
 * Test error: the fraction of data whose arg-max logit is not their label.
 *
 * @module
 */

/**
 * The classification error of `logits` (`[count, classes]`, row after row) against `labels`
 * (`[count]`, classes `0..classes-1`): the fraction of rows whose arg-max is not the label.
 *
 * Ties: the arg-max is the LOWEST index among the tied maxima (as `argmax` in NumPy and
 * TensorFlow), so a row of equal logits predicts class 0. A row containing a `NaN` logit (a
 * diverged network) counts as an error whatever its label.
 *
 * @param logits network outputs, `count * classes` numbers.
 * @param labels true classes, `count` integers in `[0, classes)`.
 * @param classes number of classes, an integer `>= 1`.
 * @returns the error in `[0, 1]`.
 * @throws {RangeError} on an empty set, a length mismatch or a label out of range.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { testError } from "./test_error.ts";
 * // Row 0 predicts 1 (correct), row 1 predicts 0 (wrong: label 1).
 * const logits = new Float32Array([0.1, 0.9, 0.7, 0.3]);
 * const err = testError(logits, new Int32Array([1, 1]), 2);
 * assert.ok(err === 0.5);
 * ```
 */
export function testError(logits: Float32Array, labels: Int32Array, classes: number): number {
  if (!Number.isInteger(classes) || classes < 1) {
    throw new RangeError(`classes must be an integer >= 1 (got ${classes})`);
  }
  const count = labels.length;
  if (count === 0) throw new RangeError("labels must not be empty (count >= 1)");
  if (logits.length !== count * classes) {
    throw new RangeError(
      `logits.length must be labels.length * classes (${count} * ${classes} = ${
        count * classes
      }, got ${logits.length})`,
    );
  }
  let wrong = 0;
  for (let i = 0; i < count; i++) {
    const label = labels[i];
    if (label < 0 || label >= classes) {
      throw new RangeError(`labels[${i}] must be in [0, classes) = [0, ${classes}) (got ${label})`);
    }
    const row = i * classes;
    let best = 0;
    let bestValue = logits[row];
    let diverged = Number.isNaN(bestValue);
    for (let c = 1; c < classes; c++) {
      const z = logits[row + c];
      if (Number.isNaN(z)) diverged = true;
      else if (z > bestValue || Number.isNaN(bestValue)) {
        best = c;
        bestValue = z;
      }
    }
    if (diverged || best !== label) wrong++;
  }
  return wrong / count;
}
