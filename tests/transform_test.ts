import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  type Dataset,
  datumTokens,
  makeDecoder,
  makeGrammar,
  makeParams,
  sample,
  type SrhmParams,
  transform,
} from "@srhm/generators";
import { decodeLevels, FC, smallParams } from "./generators_arbitraries.ts";

/** Node index range [a, b) of level l in a row of productions/placements. */
function levelRange(p: SrhmParams, l: number): [number, number] {
  const depth = p.L - l;
  const a = (p.s ** depth - 1) / (p.s - 1);
  return [a, a + p.s ** depth];
}

function nodeLevel(p: SrhmParams, node: number): number {
  for (let l = p.L; l >= 1; l--) {
    const [a, b] = levelRange(p, l);
    if (node >= a && node < b) return l;
  }
  throw new Error("no level");
}

const withLevel = fc.tuple(smallParams(), fc.nat(1000), fc.boolean()).chain((
  [p, seed, cumulative],
) => fc.integer({ min: 1, max: p.L }).map((level) => ({ p, seed, cumulative, level })));

function check(ds: Dataset, out: Dataset): void {
  const decode = makeDecoder(ds.grammar);
  assert.equal(out.count, ds.count);
  assert.deepEqual(out.labels, ds.labels);
  for (let i = 0; i < ds.count; i++) assert.equal(decode(datumTokens(out, i)), ds.labels[i]);
}

test("diffeo: labels kept; only the placements of the chosen levels change", () => {
  fc.assert(
    fc.property(withLevel, ({ p, seed, cumulative, level }) => {
      const g = makeGrammar(p);
      const ds = sample(g, { count: 30, seed, mode: "iid" });
      const out = transform(ds, { kind: "diffeo", level, cumulative }, seed + 1);
      check(ds, out);
      assert.deepEqual(out.productions, ds.productions);
      const N = ds.productions.length / ds.count;
      for (let k = 0; k < ds.placements.length; k++) {
        const l = nodeLevel(p, k % N);
        const touched = cumulative ? l <= level : l === level;
        if (!touched) assert.equal(out.placements[k], ds.placements[k]);
      }
      for (let i = 0; i < ds.count; i++) {
        const x = datumTokens(ds, i);
        const y = datumTokens(out, i);
        // symbols and their order are kept (placements preserve order)...
        assert.deepEqual(y.filter((t) => t >= 0), x.filter((t) => t >= 0));
        // ...and the string decoded `level` levels up does not move at all
        assert.deepEqual(decodeLevels(g, y, level), decodeLevels(g, x, level));
        if (!cumulative && level >= 2) {
          // below level-1 of the chosen level, the lower patches keep their inner arrangement
          const below = decodeLevels(g, y, level - 1).filter((t) => t >= 0);
          assert.deepEqual(below, decodeLevels(g, x, level - 1).filter((t) => t >= 0));
        }
      }
    }),
    FC,
  );
});

test("diffeo actually moves data (s0 >= 1), fresh placements uniform", () => {
  const g = makeGrammar(makeParams({ L: 2, v: 4, s0: 1 }));
  const ds = sample(g, { count: 2000, seed: 1 });
  const out = transform(ds, { kind: "diffeo", level: 1 }, 2);
  let moved = 0;
  for (let i = 0; i < ds.count; i++) {
    if (datumTokens(out, i).join() !== datumTokens(ds, i).join()) moved++;
  }
  // each of the 2 level-1 nodes keeps its placement with probability 1/4: moved = 1 - 1/16
  assert.ok(Math.abs(moved / ds.count - 15 / 16) < 0.03, `${moved}`);
});

test("synonym: labels and positions kept; productions change exactly where they should", () => {
  fc.assert(
    fc.property(
      withLevel.filter(({ p }) => p.m >= 2),
      fc.constantFrom("other" as const, "redraw" as const),
      ({ p, seed, cumulative, level }, variant) => {
        const g = makeGrammar(p);
        const ds = sample(g, { count: Number(g.pmax < 30n ? g.pmax : 30n), seed });
        const out = transform(ds, { kind: "synonym", level, cumulative, variant }, seed + 1);
        check(ds, out);
        assert.deepEqual(out.placements, ds.placements);
        const N = ds.productions.length / ds.count;
        for (let k = 0; k < ds.productions.length; k++) {
          const l = nodeLevel(p, k % N);
          const touched = cumulative ? l <= level : l === level;
          if (!touched) assert.equal(out.productions[k], ds.productions[k]);
          else if (variant === "other") assert.notEqual(out.productions[k], ds.productions[k]);
        }
        for (let i = 0; i < ds.count; i++) {
          const x = datumTokens(ds, i);
          const y = datumTokens(out, i);
          assert.deepEqual(y.map((t) => t >= 0), x.map((t) => t >= 0)); // positions kept
          // the symbols of level `level` (the parents whose productions changed) are unchanged
          assert.deepEqual(decodeLevels(g, y, level), decodeLevels(g, x, level));
          if (variant === "other") {
            assert.notDeepEqual(decodeLevels(g, y, level - 1), decodeLevels(g, x, level - 1));
          }
        }
      },
    ),
    FC,
  );
});

test("synonym other picks uniformly among the m - 1 others", () => {
  const g = makeGrammar(makeParams({ L: 1, v: 4, s0: 0 }));
  const ds = sample(g, { count: 4000, seed: 0, mode: "iid" });
  const out = transform(ds, { kind: "synonym", level: 1 }, 5);
  const shift = [0, 0, 0, 0];
  for (let i = 0; i < ds.count; i++) shift[(out.productions[i] - ds.productions[i] + 4) % 4]++;
  assert.equal(shift[0], 0);
  for (const c of shift.slice(1)) assert.ok(Math.abs(c - 4000 / 3) < 4 * Math.sqrt(4000 * 2 / 9));
});

test("same seed, same transformation; the input is untouched", () => {
  const g = makeGrammar(makeParams({ L: 3, v: 4, s0: 1 }));
  const ds = sample(g, { count: 100, seed: 3 });
  const before = ds.tokens.slice();
  for (const t of [{ kind: "diffeo", level: 2 }, { kind: "synonym", level: 3 }] as const) {
    assert.deepEqual(transform(ds, t, 8).tokens, transform(ds, t, 8).tokens);
    assert.notDeepEqual(transform(ds, t, 8).tokens, transform(ds, t, 9).tokens);
  }
  assert.deepEqual(ds.tokens, before);
});

test("bad transformations give clear errors", () => {
  const g = makeGrammar(makeParams({ L: 2, v: 4 }));
  const ds = sample(g, { count: 4, seed: 0 });
  assert.throws(
    () => transform(ds, { kind: "diffeo", level: 3 }, 0),
    /level must be an integer in 1..L = 1..2 \(got 3\)/,
  );
  assert.throws(() => transform(ds, { kind: "diffeo", level: 0 }, 0), /level must be/);
  assert.throws(() => transform(ds, { kind: "x" } as never, 0), /kind must be/);
  assert.throws(() => transform(ds, { kind: "diffeo", level: 1 }, -1), /seed must be/);
  const g1 = makeGrammar(makeParams({ L: 1, v: 4, m: 1 }));
  const ds1 = sample(g1, { count: 4, seed: 0 });
  assert.throws(() => transform(ds1, { kind: "synonym", level: 1 }, 0), /needs m >= 2 \(m = 1\)/);
  assert.deepEqual(
    transform(ds1, { kind: "synonym", level: 1, variant: "redraw" }, 0).tokens,
    ds1.tokens,
  );
});
