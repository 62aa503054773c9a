/**
 * The one Fisher-Yates shuffle of the project (the grammar's tuple order, balanced labels, the
 * trainer's epoch order): a fixed sequence of draws, so that a seed gives the same order everywhere.
 *
 * @module
 */
import type { Rng } from "./rng.ts";

/** A writable indexed collection (a plain array or any typed array). */
export interface MutableArrayLike<T> {
  /** Number of elements. */
  readonly length: number;
  /** Element `i`. */
  [index: number]: T;
}

/**
 * Shuffles `array` in place, uniformly (Fisher-Yates), and returns it. The draws are
 * `rng.int(i + 1)` for `i = length - 1` down to `1`, in that order, each swapping `array[i]` with
 * the drawn index: `length - 1` draws (none for fewer than two elements).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shuffleInPlace } from "./shuffle.ts";
 * import { makeRng } from "./rng.ts";
 * const xs = shuffleInPlace(makeRng(1, "demo"), Int32Array.of(0, 1, 2, 3, 4, 5));
 * assert.deepEqual([...xs].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5]);
 * assert.deepEqual(xs, shuffleInPlace(makeRng(1, "demo"), Int32Array.of(0, 1, 2, 3, 4, 5)));
 * ```
 */
export function shuffleInPlace<A extends MutableArrayLike<unknown>>(rng: Rng, array: A): A {
  for (let i = array.length - 1; i > 0; i--) {
    const r = rng.int(i + 1);
    const x = array[i];
    array[i] = array[r];
    array[r] = x;
  }
  return array;
}
