import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CNN_C1,
  LCN_C0,
  predictCnn,
  predictedExponent,
  predictLcn,
  predictRhm,
} from "../metrics/predictors.ts";

const p = (L: number, s: number, s0: number, m: number, nc: number) => ({ L, s, s0, m, nc });

test("predictRhm: nc m^L (hand-computed)", () => {
  assert.equal(predictRhm(p(2, 2, 0, 4, 4)), 64);
  assert.equal(predictRhm(p(3, 2, 5, 6, 6)), 1296);
  assert.equal(predictRhm(p(2, 3, 0, 9, 3)), 243);
});

test("predictCnn: C1 (s0+1)^2 nc m^L with C1 = 2.5 (s=2), 3.5 (s=3)", () => {
  assert.equal(CNN_C1[2], 2.5);
  assert.equal(CNN_C1[3], 3.5);
  // s=2, L=2, v=m=nc=4: 2.5 * 4 * 64 = 640; s0=2: 2.5 * 9 * 64 = 1440; s0=3: 2560.
  assert.equal(predictCnn(p(2, 2, 1, 4, 4)), 640);
  assert.equal(predictCnn(p(2, 2, 2, 4, 4)), 1440);
  assert.equal(predictCnn(p(2, 2, 3, 4, 4)), 2560);
  // L does not change the s0 dependence; s=3, L=3, s0=1, m=9, nc=3: 3.5 * 4 * 3 * 729.
  assert.equal(predictCnn(p(3, 3, 1, 9, 3)), 30618);
  assert.equal(predictCnn(p(2, 2, 1, 4, 4), 1), 256);
});

test("predictLcn: C0 s^(L/2) (s0+1)^L nc m^L with C0 = 1 (s=2), 2.5 (s=3)", () => {
  assert.equal(LCN_C0[2], 1);
  assert.equal(LCN_C0[3], 2.5);
  // s=2, L=2, s0=1, m=nc=4: 1 * 2 * 4 * 4 * 16 = 512.
  assert.equal(predictLcn(p(2, 2, 1, 4, 4)), 512);
  // s=2, L=3, s0=2, m=nc=4: 2^1.5 * 27 * 4 * 64.
  assert.ok(Math.abs(predictLcn(p(3, 2, 2, 4, 4)) - 2 ** 1.5 * 6912) < 1e-9);
  // s=3, L=2, s0=0, m=9, nc=3: 2.5 * 3 * 1 * 3 * 81 = 1822.5.
  assert.equal(predictLcn(p(2, 3, 0, 9, 3)), 1822.5);
});

test("predictors: the exponent in s0+1 matches predictedExponent", () => {
  for (const L of [2, 3, 4]) {
    const base = p(L, 2, 0, 4, 4);
    const ratioCnn = predictCnn({ ...base, s0: 3 }) / predictCnn({ ...base, s0: 1 });
    const ratioLcn = predictLcn({ ...base, s0: 3 }) / predictLcn({ ...base, s0: 1 });
    assert.ok(Math.abs(Math.log(ratioCnn) / Math.log(2) - predictedExponent("cnn", L)) < 1e-12);
    assert.ok(Math.abs(Math.log(ratioLcn) / Math.log(2) - predictedExponent("lcn", L)) < 1e-12);
  }
});

test("predictors: bad parameters and unknown constants are clear errors", () => {
  assert.throws(
    () => predictCnn(p(2, 4, 1, 4, 4)),
    /C1 is known for s = 2 or 3 only \(got s = 4\)/,
  );
  assert.equal(predictCnn(p(2, 4, 1, 4, 4), 3), 3 * 4 * 4 * 16);
  assert.throws(() => predictLcn(p(2, 5, 1, 4, 4)), /C0 is known for s = 2 or 3 only/);
  assert.throws(() => predictRhm(p(0, 2, 0, 4, 4)), /L must be an integer >= 1 \(got 0\)/);
  assert.throws(() => predictRhm(p(2, 2, -1, 4, 4)), /s0 must be an integer >= 0/);
  assert.throws(() => predictCnn(p(2, 2, 1, 4, 4), 0), /C1 must be > 0/);
  assert.throws(() => predictedExponent("lcn", 0), /L must be an integer >= 1/);
});
