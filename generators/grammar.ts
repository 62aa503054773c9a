/**
 * The production rules (docs/protocol.md, production rules). For each level `l` independently, `parents * m` distinct
 * s-tuples out of the `v^s` are drawn without replacement, uniformly (`distinctIntegers` on the
 * tuple codes, so `v^s` is never enumerated), and parent `p`
 * gets tuples `p*m .. p*m + m - 1`. No tuple belongs to two parents of the same level, so every
 * informative patch decodes to exactly one parent. Level `L`'s parents are the `nc` classes,
 * the other levels' parents the `v` symbols. Level `l` uses the stream `(seed, "grammar", l)`.
 *
 * A tuple code `c` in `[0, v^s)` is the tuple `(c_0, ..., c_{s-1})` with `c_0` most significant.
 *
 * @module
 */
import { makeParams } from "./params.ts";
import { pmax } from "./pmax.ts";
import { makeRng, type Rng } from "./rng.ts";
import { shuffleInPlace } from "./shuffle.ts";
import type { Grammar, SrhmParams } from "./types.ts";

/**
 * `k` distinct integers drawn uniformly from `[0, n)`, in uniformly random order: rejection of
 * repeats where `k <= n / 2`, else Floyd's algorithm then a Fisher-Yates shuffle (an
 * open-addressing hash set either way). `k <= n <= 2^53`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { distinctIntegers } from "./grammar.ts";
 * import { makeRng } from "./rng.ts";
 * const xs = distinctIntegers(makeRng(1, "demo"), 10, 5);
 * assert.ok(new Set(xs).size === 5 && xs.every((x) => x >= 0 && x < 10));
 * ```
 */
export function distinctIntegers(rng: Rng, n: number, k: number): Float64Array {
  if (!(Number.isInteger(k) && Number.isInteger(n) && k >= 0 && k <= n && n <= 2 ** 53)) {
    throw new RangeError(
      `distinctIntegers: need integers 0 <= k <= n <= 2^53 (k = ${k}, n = ${n})`,
    );
  }
  const out = new Float64Array(k);
  // Open-addressing set of non-negative doubles (-1 = free slot), load factor <= 1/2.
  let size = 16;
  while (size < 2 * k) size *= 2;
  const mask = size - 1;
  const keys = new Float64Array(size).fill(-1);
  let w = 0;
  if (2 * k <= n) {
    // Sparse case: rejection of repeats (at most 2 expected draws per value); the accepted
    // sequence is already a uniformly random ordered sample, no shuffle needed.
    while (w < k) {
      const x = rng.int(n);
      let h = slotOf(x, mask);
      while (keys[h] !== -1 && keys[h] !== x) h = (h + 1) & mask;
      if (keys[h] === -1) {
        keys[h] = x;
        out[w++] = x;
      }
    }
    return out;
  }
  for (let j = n - k; j < n; j++) {
    const t = rng.int(j + 1);
    // Floyd: take t unless already taken, then j (never taken before: all taken values are < j).
    let h = slotOf(t, mask);
    let x = t;
    while (keys[h] !== -1) {
      if (keys[h] === t) {
        x = j;
        h = slotOf(j, mask);
        while (keys[h] !== -1) h = (h + 1) & mask;
        break;
      }
      h = (h + 1) & mask;
    }
    keys[h] = x;
    out[w++] = x;
  }
  return shuffleInPlace(rng, out);
}

/** Hash slot of a non-negative integer `x < 2^53`. */
function slotOf(x: number, mask: number): number {
  let h = Math.imul((x >>> 0) ^ Math.imul((x / 4294967296) >>> 0, 0x27d4eb2d), 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h & mask;
}

function deepFreeze<T>(x: T): T {
  if (Array.isArray(x)) {
    for (const y of x) deepFreeze(y);
    Object.freeze(x);
  }
  return x;
}

function levelRules(params: SrhmParams, level: number): number[][][] {
  const { v, s, m, nc, L } = params;
  const parents = level === L ? nc : v;
  const codes = distinctIntegers(makeRng(params.seed, "grammar", level), v ** s, parents * m);
  const rules: number[][][] = [];
  for (let p = 0; p < parents; p++) {
    const prods: number[][] = [];
    for (let k = 0; k < m; k++) {
      let code = codes[p * m + k];
      const tuple = new Array<number>(s);
      for (let j = s - 1; j >= 0; j--) {
        // floor(code / v) can round up by one near 2^53: correct it with the exact remainder.
        let q = Math.floor(code / v);
        if (code - q * v < 0) q -= 1;
        tuple[j] = code - q * v;
        code = q;
      }
      prods.push(tuple);
    }
    rules.push(prods);
  }
  return rules;
}

/**
 * Draws the grammar of `params` (validated again here; a {@link ParamError} lists problems).
 * The result is deeply frozen; the same parameters always give the same grammar.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeGrammar } from "./grammar.ts";
 * import { makeParams } from "./params.ts";
 * const g = makeGrammar(makeParams({ L: 2, s0: 1, v: 4 }));
 * assert.ok(g.S === 4 && g.d === 16 && g.pmax === 16384n);
 * assert.ok(g.rules.length === 2 && g.rules[1].length === 4 && g.rules[0][0].length === 4);
 * assert.ok(Object.isFrozen(g.rules[0][0][0]));
 * ```
 */
export function makeGrammar(params: SrhmParams): Grammar {
  const p = makeParams(params);
  const rules: number[][][][] = [];
  for (let level = 1; level <= p.L; level++) rules.push(levelRules(p, level));
  const S = p.s * (p.s0 + 1);
  return Object.freeze({
    params: p,
    rules: deepFreeze(rules),
    S,
    d: S ** p.L,
    pmax: pmax(p),
  });
}
