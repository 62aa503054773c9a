import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { makeRng, shuffleInPlace } from "@srhm/generators";

test("shuffleInPlace permutes in place, the same for the same stream", () => {
  fc.assert(
    fc.property(fc.array(fc.integer(), { maxLength: 60 }), fc.nat(1000), (xs, seed) => {
      const a = Int32Array.from(xs);
      const out = shuffleInPlace(makeRng(seed, "test"), a);
      assert.equal(out, a);
      assert.deepEqual([...a].sort((p, q) => p - q), [...xs].sort((p, q) => p - q));
      // plain arrays and typed arrays take the same draws
      assert.deepEqual(shuffleInPlace(makeRng(seed, "test"), [...xs]), [...a]);
    }),
    { seed: 42, numRuns: 200 },
  );
});

test("shuffleInPlace draws nothing for fewer than two elements", () => {
  for (const xs of [[], [7]]) {
    const rng = makeRng(3, "test");
    assert.deepEqual(shuffleInPlace(rng, [...xs]), xs);
    assert.equal(rng.uint32(), makeRng(3, "test").uint32());
  }
});

test("shuffleInPlace is uniform over the 6 orders of 3 elements", () => {
  const rng = makeRng(5, "test");
  const counts = new Map<string, number>();
  const runs = 6000;
  for (let i = 0; i < runs; i++) {
    const key = shuffleInPlace(rng, [0, 1, 2]).join();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  assert.equal(counts.size, 6);
  // chi-square with 5 degrees of freedom; 20.5 is its 0.999 quantile
  const chi2 = [...counts.values()].reduce((a, c) => a + (c - runs / 6) ** 2 / (runs / 6), 0);
  assert.ok(chi2 < 20.5, `chi2 = ${chi2}`);
});
