import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { makeRng } from "@srhm/generators";

/** Pearson's chi-square statistic of observed counts against a uniform expectation. */
function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const e = total / counts.length;
  return counts.reduce((acc, c) => acc + (c - e) ** 2 / e, 0);
}

/** Wilson-Hilferty upper quantile of chi-square with k degrees of freedom at z (z = 3.7: p ~ 1e-4). */
function chiSquareCritical(k: number, z = 3.7): number {
  return k * (1 - 2 / (9 * k) + z * Math.sqrt(2 / (9 * k))) ** 3;
}

test("the same key gives the same stream; any change of key gives another", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      fc.string(),
      fc.nat(),
      (seed, purpose, index) => {
        const a = makeRng(seed, purpose, index);
        const b = makeRng(seed, purpose, index);
        const xs = Array.from({ length: 8 }, () => a.uint32());
        assert.deepEqual(Array.from({ length: 8 }, () => b.uint32()), xs);
        const others = [
          makeRng(seed + 1, purpose, index),
          makeRng(seed, purpose + "x", index),
          makeRng(seed, purpose, index + 1),
        ];
        for (const o of others) {
          assert.notDeepEqual(Array.from({ length: 8 }, () => o.uint32()), xs);
        }
      },
    ),
    { seed: 42, numRuns: 200 },
  );
});

test("seeds above 2^32 and negative seeds are distinct keys", () => {
  const first = (seed: number) => makeRng(seed, "p").uint32();
  assert.notEqual(first(1), first(1 + 2 ** 32));
  assert.notEqual(first(-1), first(2 ** 32 - 1));
  assert.throws(() => makeRng(0.5, "p"), /seed must be a safe integer/);
  assert.throws(() => makeRng(1, "p", 2 ** 60), /index must be a safe integer/);
});

test("split streams are deterministic and differ from the parent and each other", () => {
  const a = makeRng(7, "parent").split("child", 1);
  const b = makeRng(7, "parent").split("child", 1);
  const c = makeRng(7, "parent").split("child", 2);
  const xa = Array.from({ length: 4 }, () => a.uint32());
  assert.deepEqual(Array.from({ length: 4 }, () => b.uint32()), xa);
  assert.notDeepEqual(Array.from({ length: 4 }, () => c.uint32()), xa);
});

test("int(n) stays in [0, n) and is uniform (chi-square, fixed seed)", () => {
  for (const n of [2, 3, 6, 7, 8, 10, 1000, 2 ** 21 + 3]) {
    const rng = makeRng(42, "uniform", n);
    const bins = Math.min(n, 50);
    const counts = new Array<number>(bins).fill(0);
    const draws = 40_000;
    for (let i = 0; i < draws; i++) {
      const x = rng.int(n);
      assert.ok(Number.isInteger(x) && x >= 0 && x < n);
      counts[Math.floor((x * bins) / n)]++;
    }
    if (n % bins === 0) assert.ok(chiSquare(counts) < chiSquareCritical(bins - 1), `n = ${n}`);
  }
  const big = makeRng(1, "big");
  for (let i = 0; i < 1000; i++) {
    const x = big.int(2 ** 40 + 7);
    assert.ok(Number.isInteger(x) && x >= 0 && x < 2 ** 40 + 7);
  }
  const top = makeRng(1, "top");
  const halves = [0, 0];
  for (let i = 0; i < 10_000; i++) halves[top.int(2 ** 53) < 2 ** 52 ? 0 : 1]++;
  assert.ok(chiSquare(halves) < chiSquareCritical(1));
  assert.equal(makeRng(0, "one").int(1), 0);
  for (const bad of [0, -1, 1.5, NaN, 2 ** 54]) {
    assert.throws(() => makeRng(0, "x").int(bad), RangeError);
  }
});

test("uint32 bits and float are uniform; float in [0, 1)", () => {
  const rng = makeRng(3, "bits");
  const ones = new Array<number>(32).fill(0);
  const deciles = new Array<number>(10).fill(0);
  const n = 20_000;
  for (let i = 0; i < n; i++) {
    const x = rng.uint32();
    assert.ok(Number.isInteger(x) && x >= 0 && x < 2 ** 32);
    for (let b = 0; b < 32; b++) ones[b] += (x >>> b) & 1;
    const u = rng.float();
    assert.ok(u >= 0 && u < 1);
    deciles[Math.floor(u * 10)]++;
  }
  for (const c of ones) assert.ok(Math.abs(c - n / 2) < 4 * Math.sqrt(n / 4));
  assert.ok(chiSquare(deciles) < chiSquareCritical(9));
});

test("normal() has mean 0, variance 1 and normal tails", () => {
  const rng = makeRng(5, "normal");
  const n = 40_000;
  let sum = 0;
  let sq = 0;
  let beyond2 = 0;
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    sum += z;
    sq += z * z;
    if (Math.abs(z) > 2) beyond2++;
  }
  assert.ok(Math.abs(sum / n) < 4 / Math.sqrt(n));
  assert.ok(Math.abs(sq / n - 1) < 4 * Math.sqrt(2 / n));
  // P(|Z| > 2) = 0.0455
  assert.ok(Math.abs(beyond2 / n - 0.0455) < 4 * Math.sqrt(0.0455 * 0.9545 / n));
});
