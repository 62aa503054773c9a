/**
 * Our own seeded, splittable pseudo-random generator.
 *
 * A stream is keyed by `(seed, purpose, index)`: the three are hashed (MurmurHash3's 32-bit
 * finaliser over the seed's two 32-bit halves, the purpose's UTF-16 code units and the index's
 * halves) into the 128-bit state of a xoshiro128** generator. Only 32-bit integer arithmetic
 * (`Math.imul`, shifts) is used, so a stream is bit-for-bit identical on every platform. A grammar,
 * a data set, a placement and a transformation each take their own stream, so that changing one
 * never shifts another.
 *
 * @module
 */

/** A stream of pseudo-random numbers (stateful: each call advances it). */
export interface Rng {
  /** A uniform 32-bit unsigned integer in `[0, 2^32)`. */
  uint32(): number;
  /** A uniform float in `[0, 1)` with 53 random bits. */
  float(): number;
  /** A uniform integer in `[0, n)`, without modulo bias; `1 <= n <= 2^53`. */
  int(n: number): number;
  /** A standard normal deviate (Box-Muller). */
  normal(): number;
  /** An independent child stream keyed by this stream's key, `purpose` and `index`. */
  split(purpose: string, index?: number): Rng;
}

const TWO32 = 4294967296;
const TWO53 = 9007199254740992;
const TWO_M32 = 1 / 4294967296;

/** MurmurHash3's 32-bit finaliser. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Absorbs one 32-bit word into the running hash `h` (MurmurHash3 body step). */
function absorb(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) >>> 0;
}

function checkInteger(name: string, x: number): void {
  if (!Number.isSafeInteger(x)) {
    throw new RangeError(`makeRng: ${name} must be a safe integer (got ${x})`);
  }
}

/** Hashes the key words into four state words (never all zero). */
function deriveState(words: readonly number[]): [number, number, number, number] {
  const out: [number, number, number, number] = [0, 0, 0, 0];
  for (let lane = 0; lane < 4; lane++) {
    let h = (0x9e3779b9 * (lane + 1)) >>> 0;
    for (const w of words) h = absorb(h, w);
    out[lane] = fmix32(h ^ words.length);
  }
  if ((out[0] | out[1] | out[2] | out[3]) === 0) out[0] = 0x9e3779b9;
  return out;
}

function keyWords(parent: readonly number[], purpose: string, index: number): number[] {
  checkInteger("index", index);
  const words = [...parent, purpose.length];
  for (let i = 0; i < purpose.length; i++) words.push(purpose.charCodeAt(i));
  words.push(index >>> 0, Math.floor(index / TWO32) >>> 0);
  return words;
}

/** xoshiro128** over four 32-bit words. */
class Xoshiro128 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = 0;
  private hasSpare = false;
  private readonly key: readonly number[];

  constructor(key: readonly number[]) {
    this.key = key;
    const [a, b, c, d] = deriveState(key);
    // Keep the fields int32 (`| 0`) so that V8 stores them unboxed.
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
  }

  uint32(): number {
    const b = this.b;
    const r = Math.imul(b, 5);
    const result = Math.imul((r << 7) | (r >>> 25), 9) >>> 0;
    const t = b << 9;
    this.c ^= this.a;
    this.d ^= b;
    this.b = b ^ this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = (this.d << 11) | (this.d >>> 21);
    return result;
  }

  float(): number {
    return ((this.uint32() >>> 5) * 67108864 + (this.uint32() >>> 6)) / TWO53;
  }

  int(n: number): number {
    if (n <= 2097152 && n >= 1 && n === Math.floor(n)) {
      // Lemire's multiply-shift with rejection (exact in doubles since n <= 2^21): no modulo.
      if ((n & (n - 1)) === 0) return this.uint32() & (n - 1);
      let mm = this.uint32() * n;
      let hi = Math.floor(mm * TWO_M32);
      let lo = mm - hi * TWO32;
      if (lo < n) {
        const t = (TWO32 - n) - Math.floor((TWO32 - n) / n) * n;
        while (lo < t) {
          mm = this.uint32() * n;
          hi = Math.floor(mm * TWO_M32);
          lo = mm - hi * TWO32;
        }
      }
      return hi;
    }
    if (!(n >= 1 && n <= TWO53) || n !== Math.floor(n)) {
      throw new RangeError(`Rng.int: n must be an integer in [1, 2^53] (got ${n})`);
    }
    if (n <= TWO32) {
      const limit = Math.floor(TWO32 / n) * n;
      let x = this.uint32();
      while (x >= limit) x = this.uint32();
      return x - Math.floor(x / n) * n;
    }
    const limit = Math.floor(TWO53 / n) * n;
    let x = (this.uint32() >>> 11) * TWO32 + this.uint32();
    while (x >= limit) x = (this.uint32() >>> 11) * TWO32 + this.uint32();
    return x - Math.floor(x / n) * n;
  }

  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const u1 = 1 - this.float();
    const u2 = this.float();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spare = r * Math.sin(theta);
    this.hasSpare = true;
    return r * Math.cos(theta);
  }

  split(purpose: string, index = 0): Rng {
    return new Xoshiro128(keyWords(this.key, purpose, index));
  }
}

/**
 * Makes the stream keyed by `(seed, purpose, index)`. The same key always gives the same stream,
 * on every platform; different keys give independent streams.
 *
 * @param seed any safe integer
 * @param purpose what the stream is for (e.g. `"grammar"`, `"sample"`, `"diffeo"`)
 * @param index a non-negative safe integer distinguishing streams of the same purpose (default 0)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeRng } from "./rng.ts";
 * const a = makeRng(42, "sample", 3);
 * const b = makeRng(42, "sample", 3);
 * assert.ok(a.uint32() === b.uint32());
 * const x = a.int(6);
 * assert.ok(Number.isInteger(x) && x >= 0 && x < 6);
 * const u = a.float();
 * assert.ok(u >= 0 && u < 1);
 * ```
 */
export function makeRng(seed: number, purpose: string, index = 0): Rng {
  checkInteger("seed", seed);
  return new Xoshiro128(keyWords([seed >>> 0, Math.floor(seed / TWO32) >>> 0], purpose, index));
}
