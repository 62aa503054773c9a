/**
 * Encodings (docs/protocol.md, encodings). The tensor layout is `[count, d, v]`: positions x channels, channels
 * last, so that a patch of `S` consecutive positions is one contiguous row of `S * v` numbers
 * (`[count * d / S, S * v]`), which is what the networks' reshape-and-multiply layers read.
 *
 * - `onehot`: an informative position is the one-hot vector of its symbol, an empty one is zero.
 * - `whitened`: every entry `z -> z(1 + a) - a`, `a = 1/sqrt(v - 1)`.
 *
 * @module
 */
import type { Dataset, Encoding } from "./types.ts";

/** Largest number of entries of one encoded tensor. */
export const MAX_ENTRIES = 2 ** 32 - 1;

/**
 * Encodes rows `from..to-1` of `ds` into `out` (length `(to - from) * d * v`), for callers that
 * encode a large set batch by batch.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeInto } from "./encode.ts";
 * import { sample } from "./sample.ts";
 * import { makeGrammar } from "./grammar.ts";
 * import { makeParams } from "./params.ts";
 * const g = makeGrammar(makeParams({ L: 2, v: 4 }));
 * const ds = sample(g, { count: 10, seed: 0 });
 * const out = new Float32Array(2 * g.d * 4);
 * encodeInto(ds, "onehot", out, 3, 5);
 * assert.ok(out.reduce((a, b) => a + b, 0) === 2 * 4);
 * ```
 */
export function encodeInto(
  ds: Dataset,
  encoding: Encoding,
  out: Float32Array,
  from: number,
  to: number,
): void {
  const { d } = ds.grammar;
  const v = ds.grammar.params.v;
  if (
    !(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to && to <= ds.count)
  ) {
    throw new RangeError(`encodeInto: need 0 <= from <= to <= count (${from}, ${to}, ${ds.count})`);
  }
  const n = (to - from) * d;
  if (out.length !== n * v) {
    throw new RangeError(
      `encodeInto: out must have (to - from) * d * v = ${n * v} entries (got ${out.length})`,
    );
  }
  const base = background(encoding, v);
  out.fill(base);
  setOnes(ds.tokens, from * d, n, v, out);
}

/** The value of every entry but the ones: 0 (onehot) or `-1/sqrt(v - 1)` (whitened). */
function background(encoding: Encoding, v: number): number {
  if (encoding === "onehot") return 0;
  if (encoding === "whitened") return -1 / Math.sqrt(v - 1);
  throw new RangeError(
    `encoding must be "onehot" or "whitened" (got ${JSON.stringify(encoding)})`,
  );
}

/** Sets `out[i * v + x] = 1` for each informative token `x = tokens[t0 + i]`, `i < n`. */
function setOnes(
  tokens: Int16Array,
  t0: number,
  n: number,
  v: number,
  out: Float32Array,
): void {
  for (let i = 0, o = 0; i < n; i++, o += v) {
    const x = tokens[t0 + i];
    if (x >= 0) out[o + x] = 1;
  }
}

/**
 * Encodes a whole data set as a `Float32Array` of layout `[count, d, v]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encode } from "./encode.ts";
 * import { sample } from "./sample.ts";
 * import { makeGrammar } from "./grammar.ts";
 * import { makeParams } from "./params.ts";
 * const g = makeGrammar(makeParams({ L: 2, s0: 1, v: 4 }));
 * const ds = sample(g, { count: 3, seed: 0 });
 * const x = encode(ds);
 * assert.ok(x.length === 3 * 16 * 4 && x.reduce((a, b) => a + b, 0) === 3 * 4);
 * const w = encode(ds, "whitened");
 * assert.ok(Math.abs(w[0] - (ds.tokens[0] === 0 ? 1 : -1 / Math.sqrt(3))) < 1e-6);
 * ```
 */
export function encode(ds: Dataset, encoding: Encoding = "onehot"): Float32Array {
  const size = ds.count * ds.grammar.d * ds.grammar.params.v;
  if (size > MAX_ENTRIES) {
    throw new RangeError(`count * d * v must be <= 2^32 - 1 (got ${size}): encode in batches`);
  }
  const base = background(encoding, ds.grammar.params.v);
  const out = new Float32Array(size);
  // Not encodeInto: a fresh array is already zero, and filling it again for onehot costs a pass
  // over all count * d * v entries (about 15% of the encoding time, bench/generators_oneshot.ts).
  if (base !== 0) out.fill(base);
  setOnes(ds.tokens, 0, ds.count * ds.grammar.d, ds.grammar.params.v, out);
  return out;
}

/**
 * Datum `i` as a plain integer string: symbols `0..v-1`, empty = `-1` (length `d`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { datumTokens } from "./encode.ts";
 * import { sample } from "./sample.ts";
 * import { makeGrammar } from "./grammar.ts";
 * import { makeParams } from "./params.ts";
 * const ds = sample(makeGrammar(makeParams({ L: 2, s0: 1, v: 4 })), { count: 2, seed: 0 });
 * const t = datumTokens(ds, 1);
 * assert.ok(t.length === 16 && t.filter((x) => x >= 0).length === 4);
 * ```
 */
export function datumTokens(ds: Dataset, i: number): number[] {
  if (!(Number.isInteger(i) && i >= 0 && i < ds.count)) {
    throw new RangeError(`datumTokens: i must be an integer in [0, ${ds.count}) (got ${i})`);
  }
  const d = ds.grammar.d;
  return Array.from(ds.tokens.subarray(i * d, (i + 1) * d));
}
