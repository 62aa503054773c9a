/**
 * The sampler's compiled tables and its inner loop: turning a datum's choices (its class, and
 * every informative node's production index and placement index) into its token string.
 *
 * Node order (the layout of `Dataset.productions` and `Dataset.placements`, `N = (s^L-1)/(s-1)`
 * nodes per datum): breadth first from the root; node `q` of depth `t` (level `l = L - t`) has
 * index `(s^t - 1)/(s - 1) + q`, and its `j`-th child is node `q*s + j` of depth `t + 1`.
 *
 * Placement index `p` of a node: see `placements.ts` (the sparsity placements).
 *
 * @module
 */
import { informativeNodes, placementsPerNode } from "./pmax.ts";
import { placementSlots } from "./placements.ts";
import type { Grammar } from "./types.ts";

/** The grammar in flat typed arrays, for the hot loops. */
export interface Tables {
  readonly L: number;
  readonly s: number;
  readonly s0: number;
  readonly S: number;
  readonly d: number;
  readonly v: number;
  readonly m: number;
  readonly nc: number;
  /** Informative internal nodes per datum. */
  readonly N: number;
  /** Placements per node. */
  readonly P: number;
  /** True for sparsity A. */
  readonly sparsityA: boolean;
  /** `rules[ruleOffset[l-1] + (parent*m + k)*s + j]`: child `j` of production `k` at level `l`. */
  readonly rules: Int32Array;
  /** Offset of level `l`'s rules in `rules`, indexed by `l - 1`. */
  readonly ruleOffset: Int32Array;
  /**
   * `slots[p*s + j]` is child `j`'s slot under placement `p`; always filled for B, for A only when
   * `P * s <= 2^20` (otherwise empty and the slots are computed from the digits of `p`).
   */
  readonly slots: Int32Array;
  /**
   * With a slot table: `offsets[l-1][p*s + j] = slots[p*s + j] * S^(l-1)`, the offset of child
   * `j`'s block inside the patch of a level-`l` node (empty arrays without a table).
   */
  readonly offsets: readonly Int32Array[];
}

/**
 * Compiles a grammar into flat tables.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile } from "./render.ts";
 * import { makeGrammar } from "./grammar.ts";
 * import { makeParams } from "./params.ts";
 * const t = compile(makeGrammar(makeParams({ L: 2, s0: 1, v: 4, sparsity: "B" })));
 * assert.ok(t.N === 3 && t.P === 6 && t.slots.length === 12);
 * ```
 */
export function compile(grammar: Grammar): Tables {
  const { L, s, s0, v, m, nc, sparsity } = grammar.params;
  const S = grammar.S;
  const ruleOffset = new Int32Array(L);
  let total = 0;
  for (let l = 1; l <= L; l++) {
    ruleOffset[l - 1] = total;
    total += (l === L ? nc : v) * m * s;
  }
  const rules = new Int32Array(total);
  for (let l = 1; l <= L; l++) {
    const level = grammar.rules[l - 1];
    let w = ruleOffset[l - 1];
    for (const prods of level) for (const tuple of prods) for (const c of tuple) rules[w++] = c;
  }
  const sparsityA = sparsity === "A";
  // At most LIMITS.placements = 2^32 (validated params), so exact as a number.
  const P = Number(placementsPerNode(grammar.params));
  const slots = placementSlots(sparsity, S, s, s0, P);
  const offsets: Int32Array[] = [];
  for (let l = 1; l <= L; l++) offsets.push(slots.map((x) => x * S ** (l - 1)));
  return Object.freeze({
    offsets,
    L,
    s,
    s0,
    S,
    d: grammar.d,
    v,
    m,
    nc,
    N: informativeNodes(grammar.params),
    P,
    sparsityA,
    rules,
    ruleOffset,
    slots,
  });
}

/** Scratch buffers of {@link renderRows}, reusable across calls on the same tables. */
export interface Scratch {
  syms: Int32Array;
  starts: Int32Array;
  nsyms: Int32Array;
  nstarts: Int32Array;
}

/**
 * Allocates the scratch buffers for `t`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, makeScratch } from "./render.ts";
 * import { makeGrammar } from "./grammar.ts";
 * import { makeParams } from "./params.ts";
 * const scratch = makeScratch(compile(makeGrammar(makeParams({ L: 2, v: 4 }))));
 * assert.ok(scratch.syms.length === 4);
 * ```
 */
export function makeScratch(t: Tables): Scratch {
  const n = t.s ** t.L;
  return {
    syms: new Int32Array(n),
    starts: new Int32Array(n),
    nsyms: new Int32Array(n),
    nstarts: new Int32Array(n),
  };
}

/**
 * Writes the token strings of rows `from..to-1` into `tokens` (`[count, d]`, every row entirely
 * rewritten) from their labels, productions and placements (layouts in the module doc).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compile, makeScratch, renderRows } from "./render.ts";
 * import { makeGrammar } from "./grammar.ts";
 * import { makeParams } from "./params.ts";
 * const g = makeGrammar(makeParams({ L: 1, s0: 1, v: 4 }));
 * const t = compile(g);
 * const tokens = new Int16Array(4);
 * renderRows(t, makeScratch(t), Int32Array.of(2), Uint16Array.of(1), Uint32Array.of(3), tokens, 0, 1);
 * assert.ok(tokens[1] === g.rules[0][2][1][0] && tokens[3] === g.rules[0][2][1][1]);
 * assert.ok(tokens[0] === -1 && tokens[2] === -1);
 * ```
 */
export function renderRows(
  t: Tables,
  scratch: Scratch,
  labels: Int32Array,
  productions: Uint16Array,
  placements: Uint32Array,
  tokens: Int16Array,
  from: number,
  to: number,
): void {
  if (t.slots.length === 0) {
    renderArithmetic(t, scratch, labels, productions, placements, tokens, from, to);
    return;
  }
  const { L, s, d, m, N, rules, ruleOffset, offsets } = t;
  let { syms, starts, nsyms, nstarts } = scratch;
  tokens.fill(-1, from * d, to * d);
  for (let i = from; i < to; i++) {
    syms[0] = labels[i];
    starts[0] = i * d;
    let n = 1;
    let node = i * N;
    for (let l = L; l > 1; l--) {
      const ro = ruleOffset[l - 1];
      const off = offsets[l - 1];
      for (let q = 0, w = 0; q < n; q++, node++, w += s) {
        const r = ro + (syms[q] * m + productions[node]) * s;
        const start = starts[q];
        const so = placements[node] * s;
        for (let j = 0; j < s; j++) {
          nsyms[w + j] = rules[r + j];
          nstarts[w + j] = start + off[so + j];
        }
      }
      const ts = syms;
      syms = nsyms;
      nsyms = ts;
      const tt = starts;
      starts = nstarts;
      nstarts = tt;
      n *= s;
    }
    // Level 1 writes the input symbols.
    const r0 = ruleOffset[0];
    const off = offsets[0];
    for (let q = 0; q < n; q++, node++) {
      const r = r0 + (syms[q] * m + productions[node]) * s;
      const start = starts[q];
      const so = placements[node] * s;
      for (let j = 0; j < s; j++) tokens[start + off[so + j]] = rules[r + j];
    }
  }
}

/** {@link renderRows} for sparsity A without a slot table: slots from the digits of `p`. */
function renderArithmetic(
  t: Tables,
  scratch: Scratch,
  labels: Int32Array,
  productions: Uint16Array,
  placements: Uint32Array,
  tokens: Int16Array,
  from: number,
  to: number,
): void {
  const { L, s, S, d, m, N, rules, ruleOffset } = t;
  const r1 = t.s0 + 1;
  let { syms, starts, nsyms, nstarts } = scratch;
  tokens.fill(-1, from * d, to * d);
  for (let i = from; i < to; i++) {
    syms[0] = labels[i];
    starts[0] = i * d;
    let n = 1;
    let node = i * N;
    for (let l = L; l >= 1; l--) {
      const block = S ** (l - 1);
      const ro = ruleOffset[l - 1];
      for (let q = 0, w = 0; q < n; q++, node++, w += s) {
        const r = ro + (syms[q] * m + productions[node]) * s;
        const start = starts[q];
        let p = placements[node];
        for (let j = 0; j < s; j++) {
          const next = Math.floor(p / r1);
          const at = start + (j * r1 + p - next * r1) * block;
          p = next;
          if (l === 1) tokens[at] = rules[r + j];
          else {
            nsyms[w + j] = rules[r + j];
            nstarts[w + j] = at;
          }
        }
      }
      const ts = syms;
      syms = nsyms;
      nsyms = ts;
      const tt = starts;
      starts = nstarts;
      nstarts = tt;
      n *= s;
    }
  }
}
