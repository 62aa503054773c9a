import { test } from "node:test";
import assert from "node:assert/strict";
import { pStar, PSTAR_THRESHOLD, pStarD, pStarS, referenceThresholds } from "../metrics/pstar.ts";

test("referenceThresholds: the values of docs/protocol.md, section 8", () => {
  assert.deepEqual(referenceThresholds("cnn", 2), { S: 0.4, D: 0.2 });
  assert.deepEqual(referenceThresholds("cnn", 3), { S: 0.2, D: 0.2 });
  assert.deepEqual(referenceThresholds("cnn", 4), { S: 0.2, D: 0.2 });
  assert.deepEqual(referenceThresholds("lcn", 2), { S: 0.3, D: 0.1 });
  assert.deepEqual(referenceThresholds("lcn", 3), { S: 0.3, D: 0.1 });
});

test("referenceThresholds: L < 2 and other kinds are errors that say why", () => {
  assert.throws(() => referenceThresholds("cnn", 1), /L must be an integer >= 2/);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => referenceThresholds("fcn" as any, 2), /kind must be "cnn" or "lcn"/);
});

test("pStar: 10 % by default, log-interpolated", () => {
  assert.equal(PSTAR_THRESHOLD, 0.1);
  // 0.1 halfway in value between 0.2 (P=100) and 0 (P=400): P = 200.
  const c = pStar([{ P: 100, value: 0.2 }, { P: 400, value: 0 }]);
  assert.ok(c.reached && Math.abs(c.P - 200) < 1e-9);
  const d = pStar([{ P: 100, value: 0.4 }, { P: 400, value: 0 }], 0.2);
  assert.ok(d.reached && Math.abs(d.P - 200) < 1e-9);
});

test("pStarS / pStarD: reference thresholds by kind and L, or an explicit one", () => {
  // Linear from 0.6 (P=100) to 0 (P=10000) on log P: value 0.6 - 0.3 * log10(P/100).
  const curve = [100, 1000, 10000].map((P) => ({ P, value: 0.6 - 0.3 * Math.log10(P / 100) }));
  const at = (v: number) => 100 * 10 ** ((0.6 - v) / 0.3);
  const cases: [ReturnType<typeof pStarS>, number][] = [
    [pStarS(curve, { kind: "cnn", L: 2 }), at(0.4)],
    [pStarS(curve, { kind: "cnn", L: 3 }), at(0.2)],
    [pStarD(curve, { kind: "cnn", L: 2 }), at(0.2)],
    [pStarS(curve, { kind: "lcn", L: 2 }), at(0.3)],
    [pStarD(curve, { kind: "lcn", L: 2 }), at(0.1)],
    [pStarS(curve, { kind: "cnn", L: 2, threshold: 0.5 }), at(0.5)],
  ];
  for (const [c, want] of cases) {
    assert.ok(c.reached, JSON.stringify(c));
    assert.ok(Math.abs(c.P - want) < 1e-9 * want, `${c.P} vs ${want}`);
  }
});
