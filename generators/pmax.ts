/**
 * The exact number of distinct data `Pmax` (docs/protocol.md, data), in BigInt.
 *
 * Every informative internal node (there are `(s^L - 1)/(s - 1)` of them) chooses one of `m`
 * productions and one of `(s0+1)^s` placements (A) or `C(S, s)` placements (B); the root also has
 * `nc` classes. Distinct choices give distinct strings (the grammar is unambiguous and every
 * informative child is non-empty), so `Pmax = nc * (m * placements)^nodes`.
 *
 * @module
 */
import type { SrhmParams } from "./types.ts";

/**
 * `C(n, k)` exactly.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { binomial } from "./pmax.ts";
 * assert.ok(binomial(4n, 2n) === 6n);
 * assert.ok(binomial(3n, 5n) === 0n);
 * ```
 */
export function binomial(n: bigint, k: bigint): bigint {
  if (k < 0n || k > n) return 0n;
  if (k > n - k) k = n - k;
  let r = 1n;
  for (let i = 1n; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/**
 * Number of informative internal nodes of a datum, `(s^L - 1)/(s - 1)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { informativeNodes } from "./pmax.ts";
 * assert.ok(informativeNodes({ L: 3, s: 2 }) === 7);
 * ```
 */
export function informativeNodes(params: Pick<SrhmParams, "L" | "s">): number {
  return (params.s ** params.L - 1) / (params.s - 1);
}

/**
 * Placements per informative node: `(s0+1)^s` in sparsity A, `C(S, s)` in B (`S = s(s0+1)`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { placementsPerNode } from "./pmax.ts";
 * assert.ok(placementsPerNode({ s: 2, s0: 1, sparsity: "A" }) === 4n);
 * assert.ok(placementsPerNode({ s: 2, s0: 1, sparsity: "B" }) === 6n);
 * ```
 */
export function placementsPerNode(params: Pick<SrhmParams, "s" | "s0" | "sparsity">): bigint {
  const s = BigInt(params.s);
  const s0 = BigInt(params.s0);
  return params.sparsity === "A" ? (s0 + 1n) ** s : binomial(s * (s0 + 1n), s);
}

/**
 * The exact number of distinct data:
 * A: `nc * (m * (s0+1)^s)^((s^L - 1)/(s - 1))`; B: `nc * (m * C(S, s))^((s^L - 1)/(s - 1))`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pmax } from "./pmax.ts";
 * const p = { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A" as const, seed: 0 };
 * assert.ok(pmax(p) === 16384n);
 * assert.ok(pmax({ ...p, sparsity: "B" }) === 55296n);
 * assert.ok(pmax({ ...p, s0: 0 }) === 256n);
 * ```
 */
export function pmax(params: SrhmParams): bigint {
  const perNode = BigInt(params.m) * placementsPerNode(params);
  return BigInt(params.nc) * perNode ** BigInt(informativeNodes(params));
}
