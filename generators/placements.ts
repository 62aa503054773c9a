/**
 * The sparsity placements of the SRHM: where the `s` informative children of a node sit among
 * the `S = s(s0+1)` slots of its patch, as placement index `p`. Sparsity A: mixed radix, child
 * `j` takes slot `j(s0+1) + digit_j(p)` with `digit_0` least significant (`p` in
 * `[0, (s0+1)^s)`); sparsity B: the `p`-th `s`-subset of the `S` slots in lexicographic order
 * (`p` in `[0, C(S, s))`).
 *
 * @module
 */
import type { Sparsity } from "./types.ts";

/** The largest slot table of sparsity A (`P * s` entries) made; beyond, slots come from digits. */
export const SLOT_TABLE_LIMIT = 2 ** 20;

function mixedRadixSlots(s: number, s0: number, P: number): Int32Array {
  const out = new Int32Array(P * s);
  for (let p = 0; p < P; p++) {
    let x = p;
    for (let j = 0; j < s; j++) {
      out[p * s + j] = j * (s0 + 1) + (x % (s0 + 1));
      x = Math.floor(x / (s0 + 1));
    }
  }
  return out;
}

function combinations(S: number, s: number): Int32Array {
  const out: number[] = [];
  const c = Array.from({ length: s }, (_, j) => j);
  for (;;) {
    out.push(...c);
    let j = s - 1;
    while (j >= 0 && c[j] === S - s + j) j--;
    if (j < 0) break;
    c[j]++;
    for (let i = j + 1; i < s; i++) c[i] = c[i - 1] + 1;
  }
  return Int32Array.from(out);
}

/**
 * The slot table of the placements: `slots[p*s + j]` is child `j`'s slot under placement `p`.
 * Always filled for sparsity B; for A only when `P * s <= SLOT_TABLE_LIMIT` (otherwise empty, and
 * the slots are computed from the digits of `p`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { placementSlots } from "./placements.ts";
 * assert.deepEqual([...placementSlots("A", 4, 2, 1, 4)], [0, 2, 1, 2, 0, 3, 1, 3]);
 * assert.deepEqual([...placementSlots("B", 4, 2, 1, 6)], [0, 1, 0, 2, 0, 3, 1, 2, 1, 3, 2, 3]);
 * ```
 */
export function placementSlots(
  sparsity: Sparsity,
  S: number,
  s: number,
  s0: number,
  P: number,
): Int32Array {
  if (sparsity !== "A") return combinations(S, s);
  return P * s <= SLOT_TABLE_LIMIT ? mixedRadixSlots(s, s0, P) : new Int32Array(0);
}
