import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  binomial,
  distinctIntegers,
  makeGrammar,
  makeParams,
  makeRng,
  ParamError,
  pmax,
} from "@srhm/generators";
import { allData, FC, smallParams } from "./generators_arbitraries.ts";

test("shape: rules[l-1][parent] holds m tuples of s symbols in 0..v-1; S and d", () => {
  fc.assert(
    fc.property(smallParams(), (p) => {
      const g = makeGrammar(p);
      assert.equal(g.S, p.s * (p.s0 + 1));
      assert.equal(g.d, g.S ** p.L);
      assert.equal(g.rules.length, p.L);
      g.rules.forEach((level, i) => {
        assert.equal(level.length, i + 1 === p.L ? p.nc : p.v);
        for (const prods of level) {
          assert.equal(prods.length, p.m);
          for (const t of prods) {
            assert.equal(t.length, p.s);
            assert.ok(t.every((c) => Number.isInteger(c) && c >= 0 && c < p.v));
          }
        }
      });
    }),
    FC,
  );
});

test("unambiguous: no tuple twice within a level (so no tuple for two parents)", () => {
  fc.assert(
    fc.property(smallParams(), (p) => {
      const g = makeGrammar(p);
      for (const level of g.rules) {
        const keys = level.flatMap((prods) => prods.map((t) => t.join(",")));
        assert.equal(new Set(keys).size, keys.length);
      }
    }),
    FC,
  );
});

test("the maximal case uses every tuple exactly once (m * v = v^s)", () => {
  const g = makeGrammar(makeParams({ L: 2, v: 5, s: 2 }));
  const keys = g.rules[0].flatMap((prods) => prods.map((t) => t.join(",")));
  assert.equal(new Set(keys).size, 25);
});

test("same seed, same grammar; another seed, another grammar; immutable", () => {
  const p = makeParams({ L: 3, v: 6, s0: 1, seed: 11 });
  assert.deepEqual(makeGrammar(p).rules, makeGrammar({ ...p }).rules);
  assert.notDeepEqual(makeGrammar(makeParams({ ...p, seed: 12 })).rules, makeGrammar(p).rules);
  const g = makeGrammar(p);
  assert.ok(Object.isFrozen(g) && Object.isFrozen(g.rules) && Object.isFrozen(g.rules[0][0]));
  assert.throws(() => {
    (g.rules[0][0][0] as number[])[0] = 99;
  }, TypeError);
});

test("the drawn tuples are uniform over the v^s (chi-square over seeds)", () => {
  const v = 4;
  const counts = new Array<number>(v * v).fill(0);
  for (let seed = 0; seed < 400; seed++) {
    const g = makeGrammar(makeParams({ L: 1, v, m: 2, nc: 2, seed }));
    for (const prods of g.rules[0]) for (const t of prods) counts[t[0] * v + t[1]]++;
  }
  const e = (400 * 4) / 16;
  const chi = counts.reduce((a, c) => a + (c - e) ** 2 / e, 0);
  assert.ok(chi < 44, `chi-square ${chi} (15 dof, p = 1e-4 at 44)`); // no tuple favoured
});

test("huge tuple spaces (v^s near the cap) are drawn without enumerating them", () => {
  const g = makeGrammar(makeParams({ L: 1, v: 32767, s: 3, m: 3, nc: 4, seed: 1 }));
  const tuples = g.rules[0].flat();
  assert.equal(tuples.length, 12);
  assert.ok(
    tuples.every((t) =>
      t.length === 3 && t.every((c) => Number.isInteger(c) && c >= 0 && c < 32767)
    ),
  );
  assert.equal(new Set(tuples.map((t) => t.join())).size, 12);
});

test("makeGrammar re-validates its input", () => {
  assert.throws(
    () => makeGrammar({ L: 2, s: 2, s0: 0, v: 4, m: 8, nc: 8, sparsity: "A", seed: 0 }),
    ParamError,
  );
});

test("distinctIntegers: k distinct values in [0, n), every subset reachable", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 200 }), fc.nat(), fc.nat(), (n, kk, seed) => {
      const k = kk % (n + 1);
      const xs = distinctIntegers(makeRng(seed, "t"), n, k);
      assert.equal(xs.length, k);
      assert.equal(new Set(xs).size, k);
      assert.ok(xs.every((x) => Number.isInteger(x) && x >= 0 && x < n));
    }),
    { seed: 42, numRuns: 200 },
  );
  const huge = distinctIntegers(makeRng(1, "t"), 2 ** 53, 1000);
  assert.equal(new Set(huge).size, 1000);
  assert.throws(() => distinctIntegers(makeRng(1, "t"), 5, 6), RangeError);
  // positions are uniform: the first element of a k = 1 draw from n = 5
  const counts = [0, 0, 0, 0, 0];
  for (let i = 0; i < 5000; i++) counts[distinctIntegers(makeRng(i, "u"), 5, 2)[0]]++;
  assert.ok(counts.every((c) => Math.abs(c - 1000) < 150), counts.join());
});

test("Pmax: the examples of docs/protocol.md, section 3", () => {
  const A = (v: number, L: number, s0: number) =>
    pmax(makeParams({ L, v, s0, s: 2, sparsity: "A" }));
  assert.equal(A(4, 2, 0), 256n);
  assert.equal(A(4, 2, 1), 16384n);
  assert.equal(A(6, 2, 1), 82944n);
  assert.equal(A(6, 2, 2), 944784n);
  assert.equal(pmax(makeParams({ L: 2, v: 4, s0: 1, sparsity: "B" })), 55296n);
  assert.equal(binomial(10n, 3n), 120n);
});

test("Pmax is exact beyond 2^53", () => {
  const p = makeParams({ L: 3, v: 8, s0: 1 });
  assert.equal(pmax(p), 8n * 32n ** 7n);
  const big = pmax(makeParams({ L: 6, v: 8, s0: 1 }));
  assert.equal(big, 8n * 32n ** 63n);
  assert.ok(big > BigInt(Number.MAX_SAFE_INTEGER));
});

test("Pmax equals brute-force enumeration of distinct strings (tiny grammars)", () => {
  const tiny = smallParams({ maxL: 2, maxD: 36 }).filter((p) => pmax(p) <= 20_000n);
  fc.assert(
    fc.property(tiny, (p) => {
      const g = makeGrammar(p);
      const all = allData(g);
      assert.equal(BigInt(new Set(all).size), pmax(p));
      assert.equal(BigInt(all.length), pmax(p)); // no two choices give the same string
    }),
    { seed: 42, numRuns: 40 },
  );
});
