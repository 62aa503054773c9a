import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { datumTokens, encode, encodeInto, makeGrammar, sample } from "@srhm/generators";
import { FC, smallParams } from "./generators_arbitraries.ts";

test("onehot: [count, d, v], one-hot at informative positions, zero at empty ones", () => {
  fc.assert(
    fc.property(smallParams(), fc.nat(100), (p, seed) => {
      const g = makeGrammar(p);
      const ds = sample(g, { count: 7, seed, mode: "iid" });
      const x = encode(ds);
      const v = p.v;
      assert.equal(x.length, 7 * g.d * v);
      for (let i = 0; i < ds.count; i++) {
        const tokens = datumTokens(ds, i);
        for (let pos = 0; pos < g.d; pos++) {
          for (let c = 0; c < v; c++) {
            assert.equal(x[(i * g.d + pos) * v + c], tokens[pos] === c ? 1 : 0);
          }
        }
      }
    }),
    FC,
  );
});

test("whitened: z(1 + a) - a with a = 1/sqrt(v - 1)", () => {
  const g = makeGrammar({ L: 2, s: 2, s0: 1, v: 5, m: 5, nc: 5, sparsity: "B", seed: 3 });
  const ds = sample(g, { count: 20, seed: 1 });
  const onehot = encode(ds, "onehot");
  const white = encode(ds, "whitened");
  const a = 1 / Math.sqrt(4);
  for (let k = 0; k < onehot.length; k++) {
    assert.ok(Math.abs(white[k] - (onehot[k] * (1 + a) - a)) < 1e-6);
  }
  // an empty column is all -a, an informative one sums to 1 - (v-1) a = -1 here
  const d = g.d;
  const tokens = datumTokens(ds, 0);
  for (let pos = 0; pos < d; pos++) {
    const col = Array.from(white.subarray(pos * 5, pos * 5 + 5));
    const sum = col.reduce((s, z) => s + z, 0);
    assert.ok(Math.abs(sum - (tokens[pos] < 0 ? -5 * a : 1 - 4 * a)) < 1e-6);
  }
});

test("a patch of S positions is one contiguous row of S * v numbers", () => {
  const g = makeGrammar({ L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 });
  const ds = sample(g, { count: 3, seed: 2 });
  const x = encode(ds);
  const S = g.S;
  const v = 4;
  for (let i = 0; i < 3; i++) {
    const tokens = datumTokens(ds, i);
    for (let q = 0; q < g.d / S; q++) {
      const row = x.subarray(((i * g.d) / S + q) * S * v, ((i * g.d) / S + q + 1) * S * v);
      for (let t = 0; t < S; t++) {
        const sym = tokens[q * S + t];
        assert.equal(row.subarray(t * v, t * v + v).indexOf(1), sym);
      }
    }
  }
});

test("encodeInto gives the same numbers batch by batch; bad ranges are refused", () => {
  const g = makeGrammar({ L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 });
  const ds = sample(g, { count: 10, seed: 2 });
  for (const enc of ["onehot", "whitened"] as const) {
    const whole = encode(ds, enc);
    const size = g.d * 4;
    const out = new Float32Array(4 * size).fill(9);
    encodeInto(ds, enc, out, 3, 7);
    assert.deepEqual(out, whole.slice(3 * size, 7 * size));
  }
  assert.throws(() => encodeInto(ds, "onehot", new Float32Array(5), 0, 1), /out must have/);
  assert.throws(() => encodeInto(ds, "onehot", new Float32Array(0), 4, 3), /from <= to/);
  assert.throws(() => encode(ds, "other" as never), /encoding must be "onehot" or "whitened"/);
  assert.throws(
    () => encodeInto(ds, "other" as never, new Float32Array(g.d * 4), 0, 1),
    /encoding must be "onehot" or "whitened"/,
  );
});

test("datumTokens: the integer string, -1 = empty; out of range refused", () => {
  const g = makeGrammar({ L: 1, s: 2, s0: 2, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 });
  const ds = sample(g, { count: 5, seed: 0 });
  const t = datumTokens(ds, 4);
  assert.equal(t.length, 6);
  assert.deepEqual(t, Array.from(ds.tokens.slice(24, 30)));
  assert.equal(t.filter((x) => x === -1).length, 4);
  assert.throws(() => datumTokens(ds, 5), RangeError);
});
