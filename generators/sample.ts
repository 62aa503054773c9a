/**
 * Drawing data (docs/protocol.md, data).
 *
 * - `iid`: the class uniformly (or a balanced, shuffled list of classes), and every informative
 *   node's production (uniform among `m`) and placement (uniform among `(s0+1)^s` in A, `C(S, s)`
 *   in B) independently, from the stream `(seed, "sample")`.
 * - `distinct` (default): no two data are equal. Where `Pmax <= 2^52`, distinct indices are drawn
 *   uniformly in `[0, Pmax)` (`distinctIntegers`) and each index is decoded in mixed
 *   radix: `class = x mod nc`, then for each node in order its production (radix `m`) then its
 *   placement (radix placements). Balanced draws take distinct indices in `[0, Pmax / nc)` per
 *   class. Where `Pmax > 2^52`, data are drawn i.i.d. and repeats are rejected through an exact
 *   hash table over the choices (distinct choices give distinct strings: see `pmax.ts`).
 * Asking for more distinct data than `Pmax` (or than `Pmax / nc` per class) is an error.
 *
 * The layouts of `Dataset.productions` / `placements` are documented in `render.ts`.
 *
 * @module
 */
import { distinctIntegers } from "./grammar.ts";
import { compile, makeScratch, renderRows, type Tables } from "./render.ts";
import { makeRng, type Rng } from "./rng.ts";
import { shuffleInPlace } from "./shuffle.ts";
import type { Dataset, Grammar, SampleOptions, SamplingMode } from "./types.ts";

/** Largest `count * d` (tokens) one draw may produce. */
export const MAX_TOKENS = 2 ** 30;
/**
 * Distinct data are drawn by index decoding where `Pmax <=` this, by hashing otherwise; also the
 * largest product of radices decoded from one draw (so that mixed-radix decoding stays exact).
 */
export const INDEX_DECODING_LIMIT = 2 ** 52;

interface Choices {
  labels: Int32Array;
  productions: Uint16Array;
  placements: Uint32Array;
}

function fail(message: string): never {
  throw new RangeError(message);
}

function checkCount(name: string, count: unknown, d: number): number {
  if (typeof count !== "number" || !Number.isInteger(count) || count < 0) {
    fail(`${name} must be an integer >= 0 (got ${String(count)})`);
  }
  if (count * d > MAX_TOKENS) {
    fail(`${name} * d must be <= 2^30 tokens (${count} * ${d} = ${count * d})`);
  }
  return count;
}

function checkSeed(seed: unknown): number {
  if (typeof seed !== "number" || !Number.isSafeInteger(seed) || seed < 0) {
    fail(`seed must be an integer >= 0 (got ${String(seed)})`);
  }
  return seed;
}

function checkMode(mode: unknown): SamplingMode {
  if (mode !== "distinct" && mode !== "iid") {
    fail(`mode must be "distinct" or "iid" (got ${JSON.stringify(mode)})`);
  }
  return mode;
}

/** A shuffled list holding each class `count / nc` times. */
function balancedLabels(rng: Rng, count: number, nc: number, name: string): Int32Array {
  if (count % nc !== 0) {
    fail(`${name} must be a multiple of nc when balanced (${name} = ${count}, nc = ${nc})`);
  }
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = i % nc;
  return shuffleInPlace(rng, out);
}

function allocate(t: Tables, count: number): Choices {
  return {
    labels: new Int32Array(count),
    productions: new Uint16Array(count * t.N),
    placements: new Uint32Array(count * t.N),
  };
}

/**
 * The radices of a row's choices: `nc` (when the label is drawn too), then `m` and the placements
 * of each node in order; grouped greedily into runs whose product is at most 2^52, so that one
 * draw `rng.int(product)` gives a whole run of independent uniform digits (decoded in mixed radix).
 */
interface Radix {
  readonly withLabel: boolean;
  readonly radices: Float64Array;
  readonly inverse: Float64Array;
  /** `groupEnd[g]`: one past the last digit of group `g`. */
  readonly groupEnd: Int32Array;
  readonly groupSize: Float64Array;
}

function makeRadix(t: Tables, withLabel: boolean): Radix {
  const rs: number[] = withLabel ? [t.nc] : [];
  for (let k = 0; k < t.N; k++) rs.push(t.m, t.P);
  const ends: number[] = [];
  const sizes: number[] = [];
  let size = 1;
  for (let i = 0; i < rs.length; i++) {
    if (size * rs[i] > INDEX_DECODING_LIMIT) {
      ends.push(i);
      sizes.push(size);
      size = 1;
    }
    size *= rs[i];
  }
  ends.push(rs.length);
  sizes.push(size);
  return {
    withLabel,
    radices: Float64Array.from(rs),
    inverse: Float64Array.from(rs, (r) => 1 / r),
    groupEnd: Int32Array.from(ends),
    groupSize: Float64Array.from(sizes),
  };
}

/**
 * Decodes `x < 2^52` in mixed radix into `digits[from..to)` (least significant digit first),
 * multiplying by the reciprocals (`inverse[i] = 1 / radices[i]`) and correcting the quotient by
 * one where rounding put it off (exact since every product stays below 2^53).
 */
function decodeInto(
  x: number,
  radices: Float64Array,
  inverse: Float64Array,
  digits: Float64Array,
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) {
    const r = radices[i];
    let q = Math.floor(x * inverse[i]);
    let rem = x - q * r;
    if (rem < 0) {
      q -= 1;
      rem += r;
    } else if (rem >= r) {
      q += 1;
      rem -= r;
    }
    digits[i] = rem;
    x = q;
  }
}

/** Copies a row of digits into the label (if drawn), productions and placements of row `i`. */
function scatter(t: Tables, c: Choices, i: number, digits: Float64Array, withLabel: boolean): void {
  let k = 0;
  if (withLabel) c.labels[i] = digits[k++];
  const prods = c.productions;
  const places = c.placements;
  for (let o = i * t.N, end = o + t.N; o < end; o++) {
    prods[o] = digits[k++];
    places[o] = digits[k++];
  }
}

function drawRow(c: Choices, i: number, rng: Rng, t: Tables, rx: Radix, digits: Float64Array) {
  let from = 0;
  for (let g = 0; g < rx.groupEnd.length; g++) {
    const to = rx.groupEnd[g];
    decodeInto(rng.int(rx.groupSize[g]), rx.radices, rx.inverse, digits, from, to);
    from = to;
  }
  scatter(t, c, i, digits, rx.withLabel);
}

/**
 * Draws rows `from..to-1` of a data set into a fresh `Choices` whose row 0 is row `from`. The calls
 * must come in order (`from` of one call = `to` of the previous, starting at 0): the stream
 * `(seed, "sample")` is consumed row after row, so that any split into calls gives the same rows.
 */
type Drawer = (from: number, to: number) => Choices;

function iidDrawer(t: Tables, rng: Rng, plan: Int32Array | null): Drawer {
  const rx = makeRadix(t, plan === null);
  const digits = new Float64Array(rx.radices.length);
  return (from, to) => {
    const c = allocate(t, to - from);
    for (let i = from; i < to; i++) {
      if (plan !== null) c.labels[i - from] = plan[i];
      drawRow(c, i - from, rng, t, rx, digits);
    }
    return c;
  };
}

function indexDrawer(
  t: Tables,
  count: number,
  rng: Rng,
  plan: Int32Array | null,
  pmax: number,
): Drawer {
  const rx = makeRadix(t, plan === null);
  const digits = new Float64Array(rx.radices.length);
  const R = digits.length;
  if (plan === null) {
    const xs = distinctIntegers(rng, pmax, count);
    return (from, to) => {
      const c = allocate(t, to - from);
      for (let i = from; i < to; i++) {
        decodeInto(xs[i], rx.radices, rx.inverse, digits, 0, R);
        scatter(t, c, i - from, digits, true);
      }
      return c;
    };
  }
  const nc = t.nc;
  const perClass = new Int32Array(nc);
  for (let i = 0; i < count; i++) perClass[plan[i]]++;
  const pools: Float64Array[] = [];
  const cursor = new Int32Array(nc);
  for (let k = 0; k < nc; k++) pools.push(distinctIntegers(rng, pmax / nc, perClass[k]));
  return (from, to) => {
    const c = allocate(t, to - from);
    for (let i = from; i < to; i++) {
      const k = plan[i];
      c.labels[i - from] = k;
      decodeInto(pools[k][cursor[k]++], rx.radices, rx.inverse, digits, 0, R);
      scatter(t, c, i - from, digits, false);
    }
    return c;
  };
}

function hashRow(c: Choices, i: number, N: number): number {
  let h = c.labels[i] ^ 0x9e3779b9;
  for (let o = i * N, end = o + N; o < end; o++) {
    h = Math.imul(h ^ c.productions[o], 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 15) ^ c.placements[o], 0xc2b2ae35);
    h ^= h >>> 13;
  }
  return h >>> 0;
}

function sameRow(c: Choices, i: number, j: number, N: number): boolean {
  if (c.labels[i] !== c.labels[j]) return false;
  for (let a = i * N, b = j * N, end = a + N; a < end; a++, b++) {
    if (c.productions[a] !== c.productions[b] || c.placements[a] !== c.placements[b]) return false;
  }
  return true;
}

/** Rejection of repeats: every row's choices are kept (the rows returned are views of them). */
function hashDrawer(t: Tables, count: number, rng: Rng, plan: Int32Array | null): Drawer {
  const c = allocate(t, count);
  let size = 16;
  while (size < 2 * count) size *= 2;
  const table = new Int32Array(size).fill(-1);
  const mask = size - 1;
  const rx = makeRadix(t, plan === null);
  const digits = new Float64Array(rx.radices.length);
  return (from, to) => {
    for (let i = from; i < to; i++) {
      for (;;) {
        if (plan !== null) c.labels[i] = plan[i];
        drawRow(c, i, rng, t, rx, digits);
        let h = hashRow(c, i, t.N) & mask;
        let repeat = false;
        while (table[h] !== -1) {
          if (sameRow(c, table[h], i, t.N)) {
            repeat = true;
            break;
          }
          h = (h + 1) & mask;
        }
        if (!repeat) {
          table[h] = i;
          break;
        }
      }
    }
    const N = t.N;
    return {
      labels: c.labels.subarray(from, to),
      productions: c.productions.subarray(from * N, to * N),
      placements: c.placements.subarray(from * N, to * N),
    };
  };
}

/** Throws unless `count` distinct data (balanced or not) exist. */
function checkDistinct(grammar: Grammar, count: number, balanced: boolean): void {
  const pmax = grammar.pmax;
  if (BigInt(count) > pmax) {
    fail(`count must be <= Pmax for distinct data (count = ${count} > Pmax = ${pmax})`);
  }
  if (balanced) {
    const nc = grammar.params.nc;
    const perClass = pmax / BigInt(nc);
    const want = BigInt(Math.ceil(count / nc));
    if (want > perClass) {
      fail(
        `count / nc must be <= Pmax / nc for balanced distinct data (${want} > ${perClass})`,
      );
    }
  }
}

function makeDrawer(
  grammar: Grammar,
  t: Tables,
  count: number,
  seed: number,
  mode: SamplingMode,
  plan: Int32Array | null,
  strategy: Strategy,
): Drawer {
  const rng = makeRng(seed, "sample");
  if (mode === "iid") return iidDrawer(t, rng, plan);
  checkDistinct(grammar, count, plan !== null);
  const pmax = grammar.pmax;
  const byIndex = strategy === "index" ||
    (strategy === "auto" && pmax <= BigInt(INDEX_DECODING_LIMIT));
  if (byIndex) return indexDrawer(t, count, rng, plan, Number(pmax));
  return hashDrawer(t, count, rng, plan);
}

function draw(
  grammar: Grammar,
  t: Tables,
  count: number,
  seed: number,
  mode: SamplingMode,
  plan: Int32Array | null,
  strategy: Strategy,
): Choices {
  return makeDrawer(grammar, t, count, seed, mode, plan, strategy)(0, count);
}

function toDataset(grammar: Grammar, t: Tables, c: Choices, from: number, to: number): Dataset {
  const count = to - from;
  const N = t.N;
  const whole = from === 0 && to === c.labels.length;
  const labels = whole ? c.labels : c.labels.slice(from, to);
  const productions = whole ? c.productions : c.productions.slice(from * N, to * N);
  const placements = whole ? c.placements : c.placements.slice(from * N, to * N);
  const tokens = new Int16Array(count * t.d);
  renderRows(t, makeScratch(t), labels, productions, placements, tokens, 0, count);
  return Object.freeze({ grammar, count, labels, tokens, productions, placements });
}

/**
 * Draws `opts.count` data from `grammar` (see the module doc for the modes).
 * Throws a `RangeError` naming the bound on bad options (count not an integer, more distinct data
 * than `Pmax`, balanced with `count` not a multiple of `nc`, more than 2^30 tokens).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sample } from "./sample.ts";
 * import { makeGrammar } from "./grammar.ts";
 * import { makeParams } from "./params.ts";
 * const g = makeGrammar(makeParams({ L: 2, s0: 1, v: 4 }));
 * const ds = sample(g, { count: 100, seed: 7, balanced: true });
 * assert.ok(ds.count === 100 && ds.tokens.length === 100 * g.d);
 * assert.ok(ds.labels.filter((c) => c === 0).length === 25);
 * ```
 */
export function sample(grammar: Grammar, opts: SampleOptions): Dataset {
  return sampleWithStrategy(grammar, opts, "auto");
}

/** How distinct data are drawn: by index decoding, by hashing, or `auto` (see the module doc). */
export type Strategy = "auto" | "index" | "hash";

/**
 * {@link sample} with the distinct-mode strategy forced (for tests; `index` needs
 * `Pmax <= 2^52`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sampleWithStrategy } from "./sample.ts";
 * import { makeGrammar } from "./grammar.ts";
 * import { makeParams } from "./params.ts";
 * const g = makeGrammar(makeParams({ L: 2, v: 4 }));
 * const ds = sampleWithStrategy(g, { count: 256, seed: 1 }, "hash");
 * assert.ok(ds.count === 256);
 * ```
 */
export function sampleWithStrategy(
  grammar: Grammar,
  opts: SampleOptions,
  strategy: Strategy,
): Dataset {
  if (strategy === "index" && grammar.pmax > BigInt(INDEX_DECODING_LIMIT)) {
    fail(`index decoding needs Pmax <= 2^52 (Pmax = ${grammar.pmax})`);
  }
  const t = compile(grammar);
  const count = checkCount("count", opts.count, t.d);
  const seed = checkSeed(opts.seed);
  const mode = checkMode(opts.mode ?? "distinct");
  const plan = opts.balanced ? balancedLabels(makeRng(seed, "labels"), count, t.nc, "count") : null;
  return toDataset(grammar, t, draw(grammar, t, count, seed, mode, plan, strategy), 0, count);
}

/** Largest `count` of a streamed draw ({@link sampleChunks}). */
export const MAX_STREAM_COUNT = 2 ** 31 - 1;

/**
 * The data of {@link sample}, drawn and rendered `chunk` data at a time: the chunks, in order and
 * concatenated, are exactly `sample(grammar, opts)` (same labels, tokens and choices), but only
 * one chunk of tokens exists at a time, so that `count` is not bounded by the 2^30 tokens of one
 * draw. What stays for the whole draw is the bookkeeping of the mode, per datum: nothing for
 * `iid`, 4 bytes of label plan when balanced, about 40 bytes of distinct indices and their hash
 * set for `distinct` by index decoding, and every datum's choices (`6N + 4` bytes) for `distinct`
 * by hashing (`Pmax > 2^52`). Throws the errors of `sample` (but for the token bound) before the
 * first chunk; `count` must be at most {@link MAX_STREAM_COUNT}, `chunk * d` at most 2^30.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sample, sampleChunks } from "./sample.ts";
 * import { makeGrammar } from "./grammar.ts";
 * import { makeParams } from "./params.ts";
 * const g = makeGrammar(makeParams({ L: 2, s0: 1, v: 4 }));
 * const whole = sample(g, { count: 10, seed: 3 });
 * const chunks = [...sampleChunks(g, { count: 10, seed: 3 }, 4)];
 * assert.deepEqual(chunks.map((c) => c.count), [4, 4, 2]);
 * assert.deepEqual(chunks.flatMap((c) => [...c.tokens]), [...whole.tokens]);
 * ```
 */
export function sampleChunks(
  grammar: Grammar,
  opts: SampleOptions,
  chunk = 65536,
): Generator<Dataset> {
  const t = compile(grammar);
  checkStreamOptions(grammar, opts);
  if (!Number.isInteger(chunk) || chunk < 1 || chunk * t.d > MAX_TOKENS) {
    fail(`chunk must be an integer >= 1 with chunk * d <= 2^30 (chunk = ${chunk}, d = ${t.d})`);
  }
  const count = opts.count;
  const seed = checkSeed(opts.seed);
  const mode = checkMode(opts.mode ?? "distinct");
  const plan = opts.balanced ? balancedLabels(makeRng(seed, "labels"), count, t.nc, "count") : null;
  const drawer = makeDrawer(grammar, t, count, seed, mode, plan, "auto");
  return chunksOf(grammar, t, drawer, count, chunk);
}

/**
 * Checks the options of a streamed draw ({@link sampleChunks}) without drawing anything: `count`
 * an integer in `[0, 2^31 - 1]`, the seed, the mode, `count` a multiple of `nc` when balanced,
 * and enough distinct data. Throws the `RangeError` that `sampleChunks` would.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkStreamOptions } from "./sample.ts";
 * import { makeGrammar } from "./grammar.ts";
 * import { makeParams } from "./params.ts";
 * const g = makeGrammar(makeParams({ L: 1, v: 3, m: 1, nc: 3 })); // Pmax = 3
 * checkStreamOptions(g, { count: 3, seed: 0 });
 * assert.throws(() => checkStreamOptions(g, { count: 4, seed: 0 }), /Pmax/);
 * assert.throws(() => checkStreamOptions(g, { count: 2, seed: 0, balanced: true }), /nc/);
 * ```
 */
export function checkStreamOptions(grammar: Grammar, opts: SampleOptions): void {
  const count = opts.count;
  if (!Number.isInteger(count) || count < 0 || count > MAX_STREAM_COUNT) {
    fail(`count must be an integer in [0, 2^31 - 1] (got ${String(count)})`);
  }
  checkSeed(opts.seed);
  const mode = checkMode(opts.mode ?? "distinct");
  const nc = grammar.params.nc;
  if (opts.balanced && count % nc !== 0) {
    fail(`count must be a multiple of nc when balanced (count = ${count}, nc = ${nc})`);
  }
  if (mode === "distinct") checkDistinct(grammar, count, opts.balanced ?? false);
}

function* chunksOf(
  grammar: Grammar,
  t: Tables,
  drawer: Drawer,
  count: number,
  chunk: number,
): Generator<Dataset> {
  const scratch = makeScratch(t);
  for (let from = 0; from < count; from += chunk) {
    const to = Math.min(count, from + chunk);
    const c = drawer(from, to);
    const tokens = new Int16Array((to - from) * t.d);
    renderRows(t, scratch, c.labels, c.productions, c.placements, tokens, 0, to - from);
    yield Object.freeze({
      grammar,
      count: to - from,
      labels: c.labels,
      tokens,
      productions: c.productions,
      placements: c.placements,
    });
  }
}

/** Options of {@link sampleSplit}. */
export interface SplitOptions {
  /** Training-set size. */
  readonly train: number;
  /** Test-set size. */
  readonly test: number;
  /** Seed of the draw. */
  readonly seed: number;
  /** `distinct` (default: disjoint sets without duplicates) or `iid`. */
  readonly mode?: SamplingMode;
  /** Each set balanced (`train`, `test` multiples of `nc`). */
  readonly balanced?: boolean;
}

/**
 * Draws a training and a test set in one go. In `distinct` mode the two are disjoint and hold no
 * duplicate (they are one distinct draw of `train + test` data, split).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sampleSplit } from "./sample.ts";
 * import { makeGrammar } from "./grammar.ts";
 * import { makeParams } from "./params.ts";
 * const g = makeGrammar(makeParams({ L: 2, v: 4 }));
 * const { train, test } = sampleSplit(g, { train: 200, test: 56, seed: 1 });
 * const key = (ds: typeof train, i: number) => ds.tokens.slice(i * g.d, (i + 1) * g.d).join();
 * const seen = new Set(Array.from({ length: 200 }, (_, i) => key(train, i)));
 * assert.ok(seen.size === 200);
 * assert.ok(Array.from({ length: 56 }, (_, i) => key(test, i)).every((k) => !seen.has(k)));
 * ```
 */
export function sampleSplit(
  grammar: Grammar,
  opts: SplitOptions,
): { train: Dataset; test: Dataset } {
  const t = compile(grammar);
  const train = checkCount("train", opts.train, t.d);
  const test = checkCount("test", opts.test, t.d);
  checkCount("train + test", train + test, t.d);
  const seed = checkSeed(opts.seed);
  const mode = checkMode(opts.mode ?? "distinct");
  let plan: Int32Array | null = null;
  if (opts.balanced) {
    plan = new Int32Array(train + test);
    plan.set(balancedLabels(makeRng(seed, "labels", 0), train, t.nc, "train"), 0);
    plan.set(balancedLabels(makeRng(seed, "labels", 1), test, t.nc, "test"), train);
  }
  const c = draw(grammar, t, train + test, seed, mode, plan, "auto");
  return {
    train: toDataset(grammar, t, c, 0, train),
    test: toDataset(grammar, t, c, train, train + test),
  };
}
