/**
 * Sensitivity of a representation to a transformation (docs/protocol.md, measurements).
 *
 * @module
 */

/**
 * The relative sensitivity of a representation `f` to a transformation `tau`:
 *
 * ```text
 *   < |f(x_i) - f(tau x_i)|^2 >_i  /  < |f(x_i) - f(y_i)|^2 >_i
 * ```
 *
 * where `fx`, `ftx` and `fy` hold `f(x_i)`, `f(tau x_i)` and `f(y_i)` row after row
 * (`[count, dim]` each), `tau x_i` is one transformed copy of `x_i`, and `(x_i, y_i)` are pairs of
 * independent data. Both means run over the same `count` rows; squared distances are summed over
 * the `dim` components and accumulated in double precision. With `f = ` hidden layer `k` and
 * `tau = ` the diffeomorphism (synonym exchange) at level `l`, this is `D_{k,l}` (`S_{k,l}`).
 *
 * Edge cases (the denominator is 0: `f` maps every pair `(x_i, y_i)` to the same point, e.g. a
 * constant map or a dead ReLU layer):
 * - numerator 0 too (`0/0`): `NaN`, "undefined". A collapsed representation is not counted as
 *   invariant, so that a dead network never looks as if it had learnt the invariance;
 *   `crossing` leaves `NaN` points out.
 * - numerator `> 0`: `Infinity`.
 *
 * @param fx `f(x_i)`, `count * dim` numbers.
 * @param ftx `f(tau x_i)`, `count * dim` numbers.
 * @param fy `f(y_i)` for independent data `y_i`, `count * dim` numbers.
 * @param count number of rows, an integer `>= 1`.
 * @param dim size of one representation, an integer `>= 1`.
 * @returns the ratio, `>= 0`, or `NaN` / `Infinity` as above.
 * @throws {RangeError} on a length mismatch or a bad `count` / `dim`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sensitivity } from "./sensitivity.ts";
 * // f(x) = x in one dimension: x = [0, 1], tau x = x + 0.5, y = [2, 3] (distance 2).
 * const fx = new Float32Array([0, 1]);
 * const ftx = new Float32Array([0.5, 1.5]);
 * const fy = new Float32Array([2, 3]);
 * assert.ok(sensitivity(fx, ftx, fy, 2, 1) === 0.25 / 4);
 * ```
 */
export function sensitivity(
  fx: Float32Array,
  ftx: Float32Array,
  fy: Float32Array,
  count: number,
  dim: number,
): number {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`count must be an integer >= 1 (got ${count})`);
  }
  if (!Number.isInteger(dim) || dim < 1) {
    throw new RangeError(`dim must be an integer >= 1 (got ${dim})`);
  }
  const n = count * dim;
  for (const [name, a] of [["fx", fx], ["ftx", ftx], ["fy", fy]] as const) {
    if (a.length !== n) {
      throw new RangeError(
        `${name}.length must be count * dim (${count} * ${dim} = ${n}, got ${a.length})`,
      );
    }
  }
  let num = 0;
  let den = 0;
  for (let j = 0; j < n; j++) {
    const a = fx[j] - ftx[j];
    const b = fx[j] - fy[j];
    num += a * a;
    den += b * b;
  }
  // The common factor 1/count cancels in the ratio of the two means.
  if (den === 0) return num === 0 ? NaN : Infinity;
  return num / den;
}

/**
 * The relative sensitivity with the authors' denominator (docs/protocol.md, measurements): the mean squared
 * distance over all ordered pairs `(i, j)` of the same batch, `i = j` included,
 *
 * ```text
 *   < |f(x_i) - f(tau x_i)|^2 >_i  /  < |f(x_i) - f(x_j)|^2 >_{i,j}
 * ```
 *
 * The denominator is computed exactly as `2 < |f(x_i) - mean_j f(x_j)|^2 >_i` (the same sum,
 * rearranged; double precision). Edge cases as `sensitivity`: `NaN` for `0/0`, `Infinity` for a
 * positive numerator over a zero denominator (every row identical).
 *
 * @param fx `f(x_i)`, `count * dim` numbers.
 * @param ftx `f(tau x_i)`, `count * dim` numbers.
 * @param count number of rows, an integer `>= 1`.
 * @param dim size of one representation, an integer `>= 1`.
 * @returns the ratio, `>= 0`, or `NaN` / `Infinity` as above.
 * @throws {RangeError} on a length mismatch or a bad `count` / `dim`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { batchPairsSensitivity } from "./sensitivity.ts";
 * // x = [0, 2]: pairs (0,0) (0,2) (2,0) (2,2) have squared distances 0, 4, 4, 0: mean 2.
 * // tau x = x + 1: numerator 1.
 * const fx = new Float32Array([0, 2]);
 * const ftx = new Float32Array([1, 3]);
 * assert.ok(batchPairsSensitivity(fx, ftx, 2, 1) === 0.5);
 * ```
 */
export function batchPairsSensitivity(
  fx: Float32Array,
  ftx: Float32Array,
  count: number,
  dim: number,
): number {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`count must be an integer >= 1 (got ${count})`);
  }
  if (!Number.isInteger(dim) || dim < 1) {
    throw new RangeError(`dim must be an integer >= 1 (got ${dim})`);
  }
  const n = count * dim;
  for (const [name, a] of [["fx", fx], ["ftx", ftx]] as const) {
    if (a.length !== n) {
      throw new RangeError(
        `${name}.length must be count * dim (${count} * ${dim} = ${n}, got ${a.length})`,
      );
    }
  }
  const mean = new Float64Array(dim);
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < dim; c++) mean[c] += fx[i * dim + c];
  }
  for (let c = 0; c < dim; c++) mean[c] /= count;
  let num = 0;
  let spread = 0;
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < dim; c++) {
      const j = i * dim + c;
      const a = fx[j] - ftx[j];
      const b = fx[j] - mean[c];
      num += a * a;
      spread += b * b;
    }
  }
  const den = 2 * spread; // sum over all ordered pairs / count, as num is a sum / count
  if (den === 0) return num === 0 ? NaN : Infinity;
  return num / den;
}
