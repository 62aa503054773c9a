import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { batchPairsSensitivity, sensitivity } from "../metrics/sensitivity.ts";

/** Rows of a deterministic pseudo-data matrix (no PRNG needed: a fixed irrational sequence). */
function data(count: number, dim: number, phase: number): Float32Array {
  return Float32Array.from({ length: count * dim }, (_, i) => Math.sin(1.7 * i + phase) * 3);
}

const map = (a: Float32Array, f: (x: number) => number): Float32Array => a.map(f);

test("sensitivity: a transformation that draws an independent datum gives exactly 1", () => {
  const x = data(20, 5, 0);
  const y = data(20, 5, 1);
  // tau x = y: numerator and denominator are the same pairs.
  assert.equal(sensitivity(x, y, y, 20, 5), 1);
  // Any map f: still 1.
  const f = (z: number) => Math.max(0, z);
  assert.equal(sensitivity(map(x, f), map(y, f), map(y, f), 20, 5), 1);
});

test("sensitivity: an invariant transformation (tau x = x) gives 0", () => {
  const x = data(10, 3, 0);
  assert.equal(sensitivity(x, x.slice(), data(10, 3, 2), 10, 3), 0);
});

test("sensitivity: a constant map is 0/0, defined as NaN (not as invariant)", () => {
  const c = new Float32Array(12).fill(0.7);
  assert.ok(Number.isNaN(sensitivity(c, c, c, 4, 3)));
  // Dead ReLU layer: every output 0.
  const z = new Float32Array(12);
  assert.ok(Number.isNaN(sensitivity(z, z, z, 4, 3)));
});

test("sensitivity: numerator > 0 over a zero denominator is Infinity", () => {
  const x = new Float32Array([1, 1]);
  assert.equal(sensitivity(x, new Float32Array([2, 2]), x, 2, 1), Infinity);
});

test("sensitivity: a computable case (shift by delta against independent pairs)", () => {
  // f = identity in 1D; x_i = i, tau x_i = x_i + 0.5, y_i = x_i + 2 (i even) or x_i - 4 (i odd).
  const count = 8;
  const x = Float32Array.from({ length: count }, (_, i) => i);
  const tx = x.map((v) => v + 0.5);
  const y = x.map((v, i) => (i % 2 === 0 ? v + 2 : v - 4));
  // numerator mean = 0.25; denominator mean = (4 + 16) / 2 = 10.
  assert.equal(sensitivity(x, tx, y, count, 1), 0.25 / 10);
});

test("sensitivity: a map that ignores the transformed coordinate is invariant", () => {
  // x in R^2, tau moves the second coordinate only; f(x) = first coordinate.
  const count = 6;
  const x = data(count, 2, 0);
  const tx = x.map((v, i) => (i % 2 === 1 ? v + 1 : v));
  const y = data(count, 2, 3);
  const first = (a: Float32Array) => a.filter((_, i) => i % 2 === 0);
  assert.equal(sensitivity(first(x), first(tx), first(y), count, 1), 0);
  // The identity on R^2 is not invariant.
  assert.ok(sensitivity(x, tx, y, count, 2) > 0);
});

test("sensitivity (property): invariant under scaling f and under reordering the rows", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 0, max: 1000 }),
      fc.constantFrom(0.5, 2, 4, 8),
      (count, dim, phase, k) => {
        const x = data(count, dim, phase);
        const tx = data(count, dim, phase + 0.3);
        const y = data(count, dim, phase + 7);
        const s = sensitivity(x, tx, y, count, dim);
        const scaled = sensitivity(
          map(x, (v) => k * v),
          map(tx, (v) => k * v),
          map(y, (v) => k * v),
          count,
          dim,
        );
        // Reverse the rows of all three arrays together.
        const rev = (a: Float32Array) => {
          const out = new Float32Array(a.length);
          for (let i = 0; i < count; i++) {
            out.set(a.subarray(i * dim, (i + 1) * dim), (count - 1 - i) * dim);
          }
          return out;
        };
        const reordered = sensitivity(rev(x), rev(tx), rev(y), count, dim);
        return Math.abs(scaled - s) <= 1e-12 * s && Math.abs(reordered - s) <= 1e-12 * s;
      },
    ),
    { seed: 42, numRuns: 200 },
  );
});

test("sensitivity: bad shapes name the parameter and the bound", () => {
  const a = new Float32Array(6);
  assert.throws(
    () => sensitivity(a, a, new Float32Array(5), 2, 3),
    /fy\.length must be count \* dim \(2 \* 3 = 6, got 5\)/,
  );
  assert.throws(() => sensitivity(a, a, a, 0, 3), /count must be an integer >= 1/);
  assert.throws(() => sensitivity(a, a, a, 2, 1.5), /dim must be an integer >= 1/);
});

/** The authors' denominator written the slow, literal way: every ordered pair (i, j), i = j too. */
function bruteBatchPairs(fx: Float32Array, ftx: Float32Array, count: number, dim: number): number {
  let num = 0;
  for (let i = 0; i < count * dim; i++) num += (fx[i] - ftx[i]) ** 2;
  let den = 0;
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < count; j++) {
      for (let c = 0; c < dim; c++) den += (fx[i * dim + c] - fx[j * dim + c]) ** 2;
    }
  }
  return (num / count) / (den / (count * count));
}

test("batchPairsSensitivity equals the literal mean over all ordered pairs, i = j included", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 12 }),
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 0, max: 1000 }),
      (count, dim, phase) => {
        const fx = data(count, dim, phase);
        const ftx = data(count, dim, phase + 0.3);
        const got = batchPairsSensitivity(fx, ftx, count, dim);
        const want = bruteBatchPairs(fx, ftx, count, dim);
        assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, want), `${got} vs ${want}`);
      },
    ),
    { seed: 3, numRuns: 200 },
  );
});

test("batchPairsSensitivity: invariant 0, identical rows NaN or Infinity, bad shapes rejected", () => {
  const x = data(8, 3, 1);
  assert.equal(batchPairsSensitivity(x, x.slice(), 8, 3), 0);
  const same = new Float32Array(12).fill(2);
  assert.ok(Number.isNaN(batchPairsSensitivity(same, same, 4, 3)));
  assert.equal(batchPairsSensitivity(same, same.map((v) => v + 1), 4, 3), Infinity);
  assert.throws(() => batchPairsSensitivity(x, x, 8, 2), /fx.length must be count \* dim/);
  assert.throws(() => batchPairsSensitivity(x, x, 0, 3), /count must be an integer >= 1/);
});

test("with i = j included, a transformation that draws a fresh datum of the batch gives about 1", () => {
  // tau x_i = x_{i+1}: the numerator is the mean distance of neighbours, the denominator that of
  // all pairs, i = j counted: for many random rows the ratio tends to count / (count - 1) ~ 1.
  const count = 400;
  const x = Float32Array.from({ length: count * 4 }, (_, i) => Math.sin(i * i * 0.7368) * 2);
  const shifted = Float32Array.from(x, (_, i) => x[(i + 4) % x.length]);
  const r = batchPairsSensitivity(x, shifted, count, 4);
  assert.ok(Math.abs(r - 1) < 0.15, `${r}`);
});
