/**
 * Shared fast-check arbitraries and helpers of the generators' tests: small valid SRHM
 * parameters, and an independent brute-force enumeration of a grammar's data.
 *
 * @module
 */
import fc from "fast-check";
import { type Grammar, makeParams, type SrhmParams } from "@srhm/generators";

/** Fixed fast-check settings (CI is deterministic). */
export const FC = { seed: 42, numRuns: 40 } as const;

/**
 * Small valid parameters: `L <= 3`, `s <= 3`, `s0 <= 2`, `v <= 5`, any valid `m` and `nc`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import fc from "fast-check";
 * import { smallParams } from "./generators_arbitraries.ts";
 * assert.ok(fc.sample(smallParams(), 3).length === 3);
 * ```
 */
export function smallParams(opts: { maxL?: number; maxD?: number } = {}): fc.Arbitrary<SrhmParams> {
  const maxL = opts.maxL ?? 3;
  const maxD = opts.maxD ?? 800;
  return fc
    .record({
      L: fc.integer({ min: 1, max: maxL }),
      s: fc.integer({ min: 2, max: 3 }),
      s0: fc.integer({ min: 0, max: 2 }),
      v: fc.integer({ min: 2, max: 5 }),
      sparsity: fc.constantFrom("A" as const, "B" as const),
      seed: fc.integer({ min: 0, max: 10_000 }),
    })
    .filter((p) => (p.s * (p.s0 + 1)) ** p.L <= maxD)
    .chain((p) => {
      const mMax = p.L >= 2 ? p.v ** (p.s - 1) : Math.floor(p.v ** p.s / 2);
      return fc.integer({ min: 1, max: mMax }).chain((m) =>
        fc.integer({ min: 2, max: Math.min(6, Math.floor(p.v ** p.s / m)) }).map((nc) =>
          makeParams({ ...p, m, nc })
        )
      );
    });
}

function placementsOf(S: number, s: number, s0: number, sparsity: "A" | "B"): number[][] {
  const out: number[][] = [];
  if (sparsity === "A") {
    const rec = (j: number, acc: number[]) => {
      if (j === s) return void out.push(acc);
      for (let o = 0; o <= s0; o++) rec(j + 1, [...acc, j * (s0 + 1) + o]);
    };
    rec(0, []);
  } else {
    const rec = (start: number, acc: number[]) => {
      if (acc.length === s) return void out.push(acc);
      for (let x = start; x < S; x++) rec(x + 1, [...acc, x]);
    };
    rec(0, []);
  }
  return out;
}

/**
 * Every datum of `g` as a string, enumerated by brute force straight from the rules and the
 * placement rules of docs/protocol.md, section 3 (independent of the sampler). Tiny grammars only.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { allData } from "./generators_arbitraries.ts";
 * import { makeGrammar, makeParams } from "@srhm/generators";
 * assert.ok(allData(makeGrammar(makeParams({ L: 1, v: 2 }))).length === 4);
 * ```
 */
export function allData(g: Grammar): string[] {
  const { L, s, s0, sparsity, nc } = g.params;
  const S = g.S;
  const places = placementsOf(S, s, s0, sparsity);
  // expand(level, symbol) -> all token arrays of length S^level
  const expand = (level: number, sym: number): number[][] => {
    if (level === 0) return [[sym]];
    const size = S ** level;
    const block = S ** (level - 1);
    const out: number[][] = [];
    for (const tuple of g.rules[level - 1][sym]) {
      const subs = tuple.map((c) => expand(level - 1, c));
      for (const place of places) {
        const combine = (j: number, acc: number[]) => {
          if (j === s) return void out.push(acc);
          for (const sub of subs[j]) {
            const next = acc.slice();
            for (let k = 0; k < block; k++) next[place[j] * block + k] = sub[k];
            combine(j + 1, next);
          }
        };
        combine(0, new Array<number>(size).fill(-1));
      }
    }
    return out;
  };
  const all: string[] = [];
  for (let c = 0; c < nc; c++) for (const x of expand(L, c)) all.push(x.join(","));
  return all;
}

/**
 * Decodes a token string `k` levels up (`k = 0`: the string itself), returning the symbols of
 * level `k` (length `d / S^k`, `-1` empty), using the rules; throws if a patch does not decode.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeLevels } from "./generators_arbitraries.ts";
 * import { makeGrammar, makeParams, sample, datumTokens } from "@srhm/generators";
 * const g = makeGrammar(makeParams({ L: 2, v: 4 }));
 * const ds = sample(g, { count: 1, seed: 0 });
 * assert.ok(decodeLevels(g, datumTokens(ds, 0), 2)[0] === ds.labels[0]);
 * ```
 */
export function decodeLevels(g: Grammar, tokens: readonly number[], k: number): number[] {
  let cur = [...tokens];
  for (let l = 1; l <= k; l++) {
    const next: number[] = [];
    for (let q = 0; q < cur.length / g.S; q++) {
      const kids = cur.slice(q * g.S, (q + 1) * g.S).filter((x) => x >= 0);
      if (kids.length === 0) {
        next.push(-1);
        continue;
      }
      const key = kids.join(",");
      const parent = g.rules[l - 1].findIndex((prods) => prods.some((t) => t.join(",") === key));
      if (parent < 0) throw new Error(`patch ${key} does not decode at level ${l}`);
      next.push(parent);
    }
    cur = next;
  }
  return cur;
}
