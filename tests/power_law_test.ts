import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { fitPowerLaw } from "../metrics/power_law.ts";

const E = Math.E;

test("fitPowerLaw: exact power laws give the exponent and prefactor with a zero-width interval", () => {
  // P* = 160 (s0+1)^2 at s0 = 1, 2, 3 (the CNN law at s=2, L=2, m=nc=4).
  const xs = [2, 3, 4];
  const fit = fitPowerLaw(xs, xs.map((x) => 160 * x ** 2), { bootstrap: 500, seed: 7 });
  assert.ok(Math.abs(fit.exponent - 2) < 1e-12);
  assert.ok(Math.abs(fit.prefactor - 160) < 1e-9);
  assert.ok(Math.abs(fit.interval[0] - 2) < 1e-9 && Math.abs(fit.interval[1] - 2) < 1e-9);
  assert.ok(Math.abs(fit.r2 - 1) < 1e-12);
  // 3^3 = 27 resamples, 3 of them one point repeated: about 1/9 are left out.
  assert.ok(fit.resamples > 400 && fit.resamples < 500, `${fit.resamples}`);
});

test("fitPowerLaw (property): any exact power law is recovered", () => {
  fc.assert(
    fc.property(
      fc.double({ min: -3, max: 3, noNaN: true }),
      fc.double({ min: 0.01, max: 1000, noNaN: true }),
      fc.uniqueArray(fc.integer({ min: 1, max: 10000 }), { minLength: 2, maxLength: 8 }),
      (exponent, prefactor, xs) => {
        const fit = fitPowerLaw(xs, xs.map((x) => prefactor * x ** exponent), {
          bootstrap: 50,
          seed: 1,
        });
        const tol = 1e-8;
        return Math.abs(fit.exponent - exponent) < tol &&
          Math.abs(Math.log(fit.prefactor / prefactor)) < tol &&
          Math.abs(fit.interval[0] - exponent) < tol && Math.abs(fit.interval[1] - exponent) < tol;
      },
    ),
    { seed: 42, numRuns: 100 },
  );
});

test("fitPowerLaw: least squares on logs, hand-computed", () => {
  // log x = 0, 1, 2 and log y = 0, 1, 3: slope 3/2, intercept -1/6, R^2 = 27/28, se = 1/sqrt(12).
  const fit = fitPowerLaw([1, E, E * E], [1, E, E ** 3], { bootstrap: 2000, seed: 3 });
  assert.ok(Math.abs(fit.exponent - 1.5) < 1e-12);
  assert.ok(Math.abs(fit.prefactor - Math.exp(-1 / 6)) < 1e-12);
  assert.ok(Math.abs(fit.r2 - 27 / 28) < 1e-12);
  assert.ok(Math.abs(fit.standardError - 1 / Math.sqrt(12)) < 1e-12);
  // Every resample's slope is that of a sub-multiset: 1, 2 (pairs) or between them.
  assert.ok(fit.interval[0] >= 1 - 1e-12 && fit.interval[1] <= 2 + 1e-12);
  assert.ok(fit.interval[0] < 1.5 && fit.interval[1] > 1.5);
});

test("fitPowerLaw: the bootstrap is seeded, and a higher level gives a wider interval", () => {
  // A noisy power law with exponent 2 (fixed multiplicative wiggles), several seeds per x.
  const xs: number[] = [];
  const ys: number[] = [];
  for (const x of [2, 3, 4, 5, 6]) {
    for (const k of [0, 1, 2]) {
      xs.push(x);
      ys.push(100 * x ** 2 * Math.exp(0.2 * Math.sin(7 * x + 3 * k)));
    }
  }
  const a = fitPowerLaw(xs, ys, { bootstrap: 1000, seed: 11 });
  const b = fitPowerLaw(xs, ys, { bootstrap: 1000, seed: 11 });
  const c = fitPowerLaw(xs, ys, { bootstrap: 1000, seed: 12 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.interval, c.interval);
  assert.equal(a.exponent, c.exponent);
  assert.ok(a.interval[0] < a.exponent && a.exponent < a.interval[1]);
  assert.ok(a.interval[0] < 2 && 2 < a.interval[1], `${a.interval}`);
  const narrow = fitPowerLaw(xs, ys, { bootstrap: 1000, seed: 11, level: 0.5 });
  assert.ok(narrow.interval[0] > a.interval[0] && narrow.interval[1] < a.interval[1]);
  assert.equal(a.resamples, 1000);
});

test("fitPowerLaw: bad input names the parameter and the bound", () => {
  const o = { bootstrap: 10, seed: 0 };
  assert.throws(
    () => fitPowerLaw([1, 2], [1], o),
    /xs and ys must have the same length \(2 != 1\)/,
  );
  assert.throws(() => fitPowerLaw([1, 0], [1, 1], o), /xs\[1\] must be finite and > 0 \(got 0\)/);
  assert.throws(() => fitPowerLaw([1, 2], [1, -1], o), /ys\[1\] must be finite and > 0/);
  assert.throws(() => fitPowerLaw([3, 3], [1, 2], o), /at least two distinct values/);
  assert.throws(
    () => fitPowerLaw([1, 2], [1, 2], { bootstrap: 0, seed: 0 }),
    /bootstrap must be an integer >= 1/,
  );
  assert.throws(() => fitPowerLaw([1, 2], [1, 2], { ...o, level: 1 }), /level must be in \(0, 1\)/);
});
