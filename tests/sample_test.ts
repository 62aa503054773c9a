import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  type Dataset,
  datumTokens,
  type Grammar,
  makeDecoder,
  makeGrammar,
  makeParams,
  sample,
  sampleSplit,
} from "@srhm/generators";
import { sampleWithStrategy } from "../generators/sample.ts";
import { allData, decodeLevels, FC, smallParams } from "./generators_arbitraries.ts";

const rows = (ds: Dataset): string[] =>
  Array.from({ length: ds.count }, (_, i) => datumTokens(ds, i).join(","));

function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const e = total / counts.length;
  return counts.reduce((acc, c) => acc + (c - e) ** 2 / e, 0);
}
/** Wilson-Hilferty: chi-square critical value, k degrees of freedom, z = 3.7 (p ~ 1e-4). */
const critical = (k: number) => k * (1 - 2 / (9 * k) + 3.7 * Math.sqrt(2 / (9 * k))) ** 3;

/** Checks the patch structure of one level's string: each patch empty or holding s symbols, placed as the sparsity allows. */
function checkPatches(g: Grammar, str: readonly number[]): void {
  const { s, s0, sparsity } = g.params;
  for (let q = 0; q < str.length / g.S; q++) {
    const patch = str.slice(q * g.S, (q + 1) * g.S);
    const filled = patch.flatMap((x, i) => (x >= 0 ? [i] : []));
    assert.ok(filled.length === 0 || filled.length === s, `patch ${patch}`);
    if (sparsity === "A" && filled.length === s) {
      filled.forEach((slot, j) => assert.equal(Math.floor(slot / (s0 + 1)), j, `patch ${patch}`));
    }
  }
}

test("decoding every sample bottom-up recovers its label (both modes, A and B)", () => {
  fc.assert(
    fc.property(smallParams(), fc.nat(1000), fc.boolean(), (p, seed, iid) => {
      const g = makeGrammar(p);
      const count = Number(g.pmax < 60n ? g.pmax : 60n);
      const ds = sample(g, { count, seed, mode: iid ? "iid" : "distinct" });
      const decode = makeDecoder(g);
      for (let i = 0; i < ds.count; i++) {
        const x = datumTokens(ds, i);
        assert.equal(decode(x), ds.labels[i]);
        assert.equal(decodeLevels(g, x, p.L)[0], ds.labels[i]); // independent decoder
      }
    }),
    FC,
  );
});

test("exactly s^L informative positions, every level's patches placed as the sparsity says", () => {
  fc.assert(
    fc.property(smallParams(), fc.nat(1000), (p, seed) => {
      const g = makeGrammar(p);
      const ds = sample(g, { count: 20, seed, mode: "iid" });
      for (let i = 0; i < ds.count; i++) {
        const x = datumTokens(ds, i);
        assert.equal(x.filter((t) => t >= 0).length, p.s ** p.L);
        for (let k = 0; k < p.L; k++) checkPatches(g, decodeLevels(g, x, k));
      }
    }),
    FC,
  );
});

test("invalid strings decode to -1", () => {
  const g = makeGrammar(makeParams({ L: 2, v: 4, s0: 1 }));
  const decode = makeDecoder(g);
  const x = datumTokens(sample(g, { count: 1, seed: 0 }), 0);
  const filled = x.flatMap((t, i) => (t >= 0 ? [i] : []));
  const dropped = x.slice();
  dropped[filled[0]] = -1;
  assert.equal(decode(dropped), -1);
  const doubled = x.slice();
  doubled[filled[0] ^ 1] = x[filled[0]]; // both slots of a sub-patch filled
  assert.equal(decode(doubled), -1);
  assert.equal(decode(x.slice(1)), -1);
  assert.equal(decode(x.map((t) => (t >= 0 ? 7 : t))), -1);
  assert.equal(decode(new Array(16).fill(-1)), -1);
});

test("placements are uniform (chi-square at a fixed seed), A and B, at both levels", () => {
  for (const sparsity of ["A", "B"] as const) {
    const g = makeGrammar(makeParams({ L: 2, v: 4, s0: 2, sparsity }));
    const ds = sample(g, { count: 3000, seed: 5, mode: "distinct" });
    const { s, s0 } = g.params;
    const S = g.S;
    for (let k = 0; k < 2; k++) {
      const bins = new Map<string, number>();
      for (let i = 0; i < ds.count; i++) {
        const str = decodeLevels(g, datumTokens(ds, i), k);
        for (let q = 0; q < str.length / S; q++) {
          const filled = str.slice(q * S, (q + 1) * S).flatMap((x, j) => (x >= 0 ? [j] : []));
          if (filled.length === 0) continue;
          const key = sparsity === "A" ? filled.map((j) => j % (s0 + 1)).join() : filled.join();
          bins.set(key, (bins.get(key) ?? 0) + 1);
        }
      }
      const expected = sparsity === "A" ? (s0 + 1) ** s : 15; // C(6, 2)
      assert.equal(bins.size, expected);
      const chi = chiSquare([...bins.values()]);
      assert.ok(chi < critical(expected - 1), `${sparsity} level ${k}: chi-square ${chi}`);
    }
  }
});

test("classes and productions are uniform (chi-square)", () => {
  const g = makeGrammar(makeParams({ L: 2, v: 6, s0: 1 }));
  for (const mode of ["distinct", "iid"] as const) {
    const ds = sample(g, { count: 6000, seed: 9, mode });
    const classes = new Array<number>(6).fill(0);
    ds.labels.forEach((c) => classes[c]++);
    assert.ok(chiSquare(classes) < critical(5), mode);
    const rootProductions = new Array<number>(6).fill(0);
    const N = 3;
    for (let i = 0; i < ds.count; i++) rootProductions[ds.productions[i * N]]++;
    assert.ok(chiSquare(rootProductions) < critical(5), mode);
  }
});

test("distinct never repeats; train and test never overlap", () => {
  fc.assert(
    fc.property(smallParams(), fc.nat(1000), fc.boolean(), (p, seed, balanced) => {
      const g = makeGrammar(p);
      const total = Number(g.pmax < 200n ? g.pmax : 200n);
      const nc = p.nc;
      let train = Math.floor(total * 0.7);
      let test = total - train;
      if (balanced) {
        train -= train % nc;
        test -= test % nc;
      }
      const split = sampleSplit(g, { train, test, seed, balanced });
      const a = rows(split.train);
      const b = rows(split.test);
      assert.equal(new Set(a).size, train);
      assert.equal(new Set(b).size, test);
      const seen = new Set(a);
      assert.ok(b.every((x) => !seen.has(x)));
      if (balanced) {
        for (const ds of [split.train, split.test]) {
          const per = new Array<number>(nc).fill(0);
          ds.labels.forEach((c) => per[c]++);
          assert.ok(per.every((c) => c === ds.count / nc));
        }
      }
    }),
    FC,
  );
});

test("count = Pmax gives every datum exactly once, by index decoding and by hashing", () => {
  const g = makeGrammar(makeParams({ L: 2, v: 3, s0: 1, m: 2, nc: 2, sparsity: "B" }));
  assert.equal(g.pmax, 2n * (2n * 6n) ** 3n);
  const all = new Set(allData(g));
  for (const strategy of ["index", "hash"] as const) {
    const ds = sampleWithStrategy(g, { count: Number(g.pmax), seed: 3 }, strategy);
    const got = rows(ds);
    assert.equal(new Set(got).size, all.size, strategy);
    assert.ok(got.every((x) => all.has(x)), strategy);
  }
  const balanced = sampleWithStrategy(g, { count: 3456, seed: 3, balanced: true }, "hash");
  assert.equal(new Set(rows(balanced)).size, 3456);
});

test("more distinct data than Pmax is an error that says so", () => {
  const g = makeGrammar(makeParams({ L: 2, v: 4 }));
  assert.throws(
    () => sample(g, { count: 257, seed: 0 }),
    /count must be <= Pmax for distinct data \(count = 257 > Pmax = 256\)/,
  );
  assert.throws(() => sampleSplit(g, { train: 200, test: 57, seed: 0 }), /Pmax = 256/);
  assert.equal(sample(g, { count: 600, seed: 0, mode: "iid" }).count, 600);
  // iid: duplicates are allowed (and here forced)
  assert.ok(new Set(rows(sample(g, { count: 600, seed: 0, mode: "iid" }))).size <= 256);
});

test("Pmax beyond 2^53: distinct by hashing, valid data", () => {
  const g = makeGrammar(makeParams({ L: 4, v: 8, s0: 1, sparsity: "B" }));
  assert.ok(g.pmax > 2n ** 53n);
  const ds = sample(g, { count: 500, seed: 1 });
  assert.equal(new Set(rows(ds)).size, 500);
  const decode = makeDecoder(g);
  for (let i = 0; i < ds.count; i++) assert.equal(decode(datumTokens(ds, i)), ds.labels[i]);
});

test("same seed, identical output; another seed, another draw", () => {
  const g = makeGrammar(makeParams({ L: 3, v: 4, s0: 1 }));
  for (const mode of ["distinct", "iid"] as const) {
    const a = sample(g, { count: 300, seed: 17, mode });
    const b = sample(g, { count: 300, seed: 17, mode });
    assert.deepEqual(a.tokens, b.tokens);
    assert.deepEqual(a.labels, b.labels);
    assert.deepEqual(a.productions, b.productions);
    assert.deepEqual(a.placements, b.placements);
    assert.notDeepEqual(sample(g, { count: 300, seed: 18, mode }).tokens, a.tokens);
  }
  const s1 = sampleSplit(g, { train: 100, test: 52, seed: 4, balanced: true });
  const s2 = sampleSplit(g, { train: 100, test: 52, seed: 4, balanced: true });
  assert.deepEqual(s1.train.tokens, s2.train.tokens);
  assert.deepEqual(s1.test.tokens, s2.test.tokens);
});

test("bad options give clear errors", () => {
  const g = makeGrammar(makeParams({ L: 2, v: 4 }));
  assert.throws(() => sample(g, { count: -1, seed: 0 }), /count must be an integer >= 0/);
  assert.throws(() => sample(g, { count: 1.5, seed: 0 }), /count must be an integer >= 0/);
  assert.throws(() => sample(g, { count: 1, seed: -2 }), /seed must be an integer >= 0/);
  assert.throws(
    () => sample(g, { count: 1, seed: 0, mode: "x" as never }),
    /mode must be "distinct" or "iid"/,
  );
  assert.throws(
    () => sample(g, { count: 10, seed: 0, balanced: true }),
    /count must be a multiple of nc when balanced \(count = 10, nc = 4\)/,
  );
  assert.throws(() => sample(g, { count: 2 ** 29, seed: 0, mode: "iid" }), /<= 2\^30 tokens/);
  assert.throws(
    () => sampleSplit(g, { train: 8, test: 6, seed: 0, balanced: true }),
    /test must be a multiple of nc/,
  );
  assert.equal(sample(g, { count: 0, seed: 0 }).tokens.length, 0);
});
