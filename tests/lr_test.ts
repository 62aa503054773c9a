import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { referenceLr, referenceLrRule, referenceStopLoss } from "../networks/lr.ts";
import type { NetworkKind } from "../networks/config.ts";

/**
 * the authors' table (docs/protocol.md, training), written out again as data and independently of `networks/lr.ts`: one
 * entry per stated cell, `[net, s, L, s0 range, lr]` with inclusive ranges (`Infinity`: open).
 * Rows are read top to bottom and the first matching cell wins, as docs/protocol.md lists them.
 */
type Range = readonly [number, number];
type Cell = readonly [NetworkKind, Range, Range, Range, number];
const ANY: Range = [-Infinity, Infinity];
const S2: Range = [2, 2];
const SGT2: Range = [3, Infinity];
const SPEC_TABLE: readonly Cell[] = [
  // CNN | s = 2, s0 = 0 (any L) | 0.01
  ["cnn", S2, ANY, [0, 0], 0.01],
  // CNN | s = 2, s0 > 0, L = 2 | 0.1 (s0 < 4), 0.03 (s0 = 4), 0.01 (s0 > 4)
  ["cnn", S2, [2, 2], [1, 3], 0.1],
  ["cnn", S2, [2, 2], [4, 4], 0.03],
  ["cnn", S2, [2, 2], [5, Infinity], 0.01],
  // CNN | s = 2, s0 > 0, L >= 3 | 0.01 (s0 < 4), 0.003 (s0 = 4), 0.001 (s0 > 4)
  ["cnn", S2, [3, Infinity], [1, 3], 0.01],
  ["cnn", S2, [3, Infinity], [4, 4], 0.003],
  ["cnn", S2, [3, Infinity], [5, Infinity], 0.001],
  // CNN | s = 2, L = 1 | 0.1 (s0 < 4), 0.03 (s0 >= 4)
  ["cnn", S2, [1, 1], [0, 3], 0.1],
  ["cnn", S2, [1, 1], [4, Infinity], 0.03],
  // CNN | s > 2 | 0.01 (s0 < 4), 0.003 (s0 = 4), 0.0003 (s0 = 6)
  ["cnn", SGT2, ANY, [0, 3], 0.01],
  ["cnn", SGT2, ANY, [4, 4], 0.003],
  ["cnn", SGT2, ANY, [6, 6], 0.0003],
  // LCN | s = 2 | 0.01 (s0 < 4), 0.003 (s0 >= 4)
  ["lcn", S2, ANY, [0, 3], 0.01],
  ["lcn", S2, ANY, [4, Infinity], 0.003],
  // LCN | s > 2 | 0.003
  ["lcn", SGT2, ANY, ANY, 0.003],
  // FCN | L = 2 | 0.01 (s0 < 4), 0.003 (s0 >= 4)
  ["fcn", ANY, [2, 2], [0, 3], 0.01],
  ["fcn", ANY, [2, 2], [4, Infinity], 0.003],
  // FCN | L >= 3 | 0.003 (s0 < 4), 0.001 (s0 >= 4)
  ["fcn", ANY, [3, Infinity], [0, 3], 0.003],
  ["fcn", ANY, [3, Infinity], [4, Infinity], 0.001],
];

const inRange = (x: number, [lo, hi]: Range) => x >= lo && x <= hi;

/** The stated cell of the table, or undefined where the table leaves the case open. */
function stated(kind: NetworkKind, s: number, L: number, s0: number): number | undefined {
  const cell = SPEC_TABLE.find(([k, rs, rL, rs0]) =>
    k === kind && inRange(s, rs) && inRange(L, rL) && inRange(s0, rs0)
  );
  return cell?.[4];
}

/** The gaps, by the table's "nearest stated value" rule (ties: the smaller rate, see lr.ts). */
function nearest(kind: NetworkKind, s: number, L: number, s0: number): number {
  if (kind === "cnn" && s > 2) return 0.0003; // s0 = 5 (tie of 4 and 6, smaller rate) or s0 > 6
  if (kind === "fcn" && L === 1) return stated("fcn", s, 2, s0)!;
  throw new Error(`no gap expected at ${kind} s=${s} L=${L} s0=${s0}`);
}

const cases = fc.record({
  kind: fc.constantFrom<NetworkKind>("cnn", "lcn", "fcn"),
  s: fc.integer({ min: 2, max: 6 }),
  L: fc.integer({ min: 1, max: 6 }),
  s0: fc.integer({ min: 0, max: 12 }),
});

test("referenceLr equals the authors' table (docs/protocol.md, training) at every (net, s, L, s0) it states", () => {
  fc.assert(
    fc.property(cases, ({ kind, s, L, s0 }) => {
      const want = stated(kind, s, L, s0);
      fc.pre(want !== undefined);
      const rule = referenceLrRule(kind, s, L, s0);
      assert.equal(referenceLr(kind, s, L, s0), want);
      assert.equal(rule.lr, want);
      assert.equal(rule.gap, null);
    }),
    { numRuns: 2000 },
  );
});

test("the cases the table leaves open take the nearest stated value and say so", () => {
  fc.assert(
    fc.property(cases, ({ kind, s, L, s0 }) => {
      fc.pre(stated(kind, s, L, s0) === undefined);
      const rule = referenceLrRule(kind, s, L, s0);
      assert.equal(rule.lr, nearest(kind, s, L, s0));
      assert.match(rule.gap ?? "", /not in the table/);
    }),
    { numRuns: 2000 },
  );
});

test("every (net, s, L, s0) on a full grid is either stated or a named gap", () => {
  const gaps: string[] = [];
  for (const kind of ["cnn", "lcn", "fcn"] as const) {
    for (let s = 2; s <= 4; s++) {
      for (let L = 1; L <= 4; L++) {
        for (let s0 = 0; s0 <= 8; s0++) {
          const want = stated(kind, s, L, s0) ?? nearest(kind, s, L, s0);
          const rule = referenceLrRule(kind, s, L, s0);
          assert.equal(rule.lr, want, `${kind} s=${s} L=${L} s0=${s0}`);
          if (rule.gap !== null) gaps.push(`${kind}${s}${L}${s0}`);
        }
      }
    }
  }
  // CNN s > 2 with s0 = 5, 7, 8 at 4 depths, 2 values of s; FCN L = 1 at 9 s0 and 3 s.
  assert.equal(gaps.length, 3 * 4 * 2 + 9 * 3);
});

test("the issue's cases: the rates the old table got wrong are the authors' now", () => {
  assert.equal(referenceLr("cnn", 2, 2, 3), 0.1);
  assert.equal(referenceLr("cnn", 2, 2, 0), 0.01);
  assert.equal(referenceLr("cnn", 3, 2, 1), 0.01);
  assert.equal(referenceLr("lcn", 3, 2, 1), 0.003);
  assert.equal(referenceLr("fcn", 2, 3, 1), 0.003);
});

test("referenceLr rejects bad arguments by name and bound", () => {
  assert.throws(() => referenceLr("cnn", 1, 2, 0), /s must be an integer >= 2 \(got 1\)/);
  assert.throws(() => referenceLr("cnn", 2, 0, 0), /L must be an integer >= 1/);
  assert.throws(() => referenceLr("cnn", 2, 2, -1), /s0 must be an integer >= 0/);
  assert.throws(() => referenceLr("cnn", 2, 2, 0.5), /s0 must be an integer >= 0/);
});

test("referenceStopLoss: 1e-3 for CNN and LCN, 1e-2 for FCN", () => {
  assert.equal(referenceStopLoss("cnn"), 1e-3);
  assert.equal(referenceStopLoss("lcn"), 1e-3);
  assert.equal(referenceStopLoss("fcn"), 1e-2);
});
