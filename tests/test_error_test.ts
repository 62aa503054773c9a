import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { testError } from "../metrics/test_error.ts";

test("testError: counts the rows whose arg-max is not the label", () => {
  const logits = new Float32Array([
    1,
    0,
    0, // -> 0
    0,
    2,
    1, // -> 1
    0,
    1,
    3, // -> 2
    5,
    4,
    3, // -> 0
  ]);
  assert.equal(testError(logits, new Int32Array([0, 1, 2, 0]), 3), 0);
  assert.equal(testError(logits, new Int32Array([0, 1, 2, 2]), 3), 0.25);
  assert.equal(testError(logits, new Int32Array([1, 2, 0, 1]), 3), 1);
});

test("testError: ties go to the lowest index", () => {
  const logits = new Float32Array([0.5, 0.5, 0.5, 0, 2, 2]);
  assert.equal(testError(logits, new Int32Array([0, 1]), 3), 0);
  assert.equal(testError(logits, new Int32Array([1, 2]), 3), 1);
});

test("testError: a NaN logit counts as an error", () => {
  // Rows 0 and 2 hold a NaN (wrong whatever the label); row 1 predicts its label 1.
  const logits = new Float32Array([NaN, 1, 0, 1, 1, NaN]);
  assert.equal(testError(logits, new Int32Array([1, 1, 0]), 2), 2 / 3);
});

test("testError: bad input names the parameter and the bound", () => {
  assert.throws(
    () => testError(new Float32Array(5), new Int32Array(2), 3),
    /logits\.length must be labels\.length \* classes \(2 \* 3 = 6, got 5\)/,
  );
  assert.throws(
    () => testError(new Float32Array(6), new Int32Array([0, 3]), 3),
    /labels\[1\] must be in \[0, classes\) = \[0, 3\) \(got 3\)/,
  );
  assert.throws(() => testError(new Float32Array(0), new Int32Array(0), 3), /must not be empty/);
  assert.throws(
    () => testError(new Float32Array(2), new Int32Array(2), 0),
    /classes must be an integer >= 1/,
  );
});

test("testError (property): one-hot logits of the labels give 0, shifted labels give 1", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 10 }),
      fc.array(fc.nat(), { minLength: 1, maxLength: 50 }),
      fc.double({ min: 0.01, max: 100, noNaN: true }),
      (classes, raw, scale) => {
        const labels = Int32Array.from(raw, (r) => r % classes);
        const logits = new Float32Array(labels.length * classes);
        labels.forEach((c, i) => (logits[i * classes + c] = scale));
        const shifted = labels.map((c) => (c + 1) % classes);
        // Every wrong-label fraction in between: flip the first k labels.
        const k = raw.length >> 1;
        const partial = labels.map((c, i) => (i < k ? (c + 1) % classes : c));
        return testError(logits, labels, classes) === 0 &&
          testError(logits, shifted, classes) === 1 &&
          testError(logits, partial, classes) === k / labels.length;
      },
    ),
    { seed: 42, numRuns: 200 },
  );
});
