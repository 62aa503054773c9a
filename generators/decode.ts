/**
 * Bottom-up decoding: from a token string back to its class, through the rules. Every patch of
 * `S` positions must be entirely empty (the empty symbol) or hold exactly `s` symbols placed as the
 * sparsity allows (A: one per sub-patch of `s0+1`; B: any `s` slots) that form a production of
 * some parent; the root must be a class. Anything else is not a datum of the grammar: `-1`.
 *
 * @module
 */
import type { Grammar } from "./types.ts";

/** A decoder for one grammar: token string -> class, or `-1` when it is not a valid datum. */
export type Decoder = (tokens: ArrayLike<number>) => number;

/**
 * Builds the decoder of `grammar` (one tuple-code -> parent map per level).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeDecoder } from "./decode.ts";
 * import { sample } from "./sample.ts";
 * import { makeGrammar } from "./grammar.ts";
 * import { makeParams } from "./params.ts";
 * const g = makeGrammar(makeParams({ L: 2, s0: 1, v: 4 }));
 * const ds = sample(g, { count: 5, seed: 0 });
 * const decode = makeDecoder(g);
 * assert.ok(decode(ds.tokens.subarray(0, g.d)) === ds.labels[0]);
 * assert.ok(decode(new Array(g.d).fill(-1)) === -1);
 * ```
 */
export function makeDecoder(grammar: Grammar): Decoder {
  const { L, s, s0, v, sparsity } = grammar.params;
  const { S, d } = grammar;
  const maps: Map<number, number>[] = grammar.rules.map((level) => {
    const map = new Map<number, number>();
    level.forEach((prods, parent) => {
      for (const tuple of prods) {
        let code = 0;
        for (const c of tuple) code = code * v + c;
        map.set(code, parent);
      }
    });
    return map;
  });
  const r1 = s0 + 1;
  return (tokens: ArrayLike<number>): number => {
    if (tokens.length !== d) return -1;
    let cur = new Int32Array(d);
    for (let i = 0; i < d; i++) {
      const x = tokens[i];
      if (!(Number.isInteger(x) && x >= -1 && x < v)) return -1;
      cur[i] = x;
    }
    let len = d;
    for (let l = 1; l <= L; l++) {
      const next = new Int32Array(len / S);
      for (let q = 0; q < next.length; q++) {
        let found = 0;
        let code = 0;
        for (let slot = 0; slot < S; slot++) {
          const x = cur[q * S + slot];
          if (x < 0) continue;
          // Sparsity A: the found-th child must sit in sub-patch number `found`.
          if (sparsity === "A" && Math.floor(slot / r1) !== found) return -1;
          if (found === s) return -1;
          code = code * v + x;
          found++;
        }
        if (found === 0) next[q] = -1;
        else if (found !== s) return -1;
        else {
          const parent = maps[l - 1].get(code);
          if (parent === undefined) return -1;
          next[q] = parent;
        }
      }
      cur = next;
      len = next.length;
    }
    return cur[0];
  };
}
