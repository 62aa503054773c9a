/**
 * The outcome of a validation (`validateParams` here, `validateConfig` in `@srhm/networks`,
 * `validateParamOptions` in `@srhm/experiments`), written out as plain types so that it is part
 * of the documented surface. It has the shape of fp-ts's `Either`, so `isLeft`, `isRight`,
 * `match` and `pipe` from `fp-ts/lib/Either.js` apply to it unchanged.
 *
 * @module
 */

/** A failed validation: `left` says what is wrong (each message names the parameter and bound). */
export interface Invalid<E> {
  /** Discriminant of a failed validation (fp-ts's `Left`). */
  readonly _tag: "Left";
  /** What is wrong with the input. */
  readonly left: E;
}

/** A passed validation: `right` is the validated value. */
export interface Valid<A> {
  /** Discriminant of a passed validation (fp-ts's `Right`). */
  readonly _tag: "Right";
  /** The validated value. */
  readonly right: A;
}

/**
 * Either the validated value (`Valid<A>`) or what is wrong with the input (`Invalid<E>`):
 * structurally fp-ts's `Either<E, A>`, and used with fp-ts's functions.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as E from "fp-ts/lib/Either.js";
 * import type { Validation } from "./validation.ts";
 * const ok: Validation<readonly string[], number> = E.right(3);
 * const bad: Validation<readonly string[], number> = E.left(["L must be >= 1 (got 0)"]);
 * assert.ok(E.isRight(ok) && ok.right === 3);
 * assert.ok(E.isLeft(bad) && bad.left[0].startsWith("L"));
 * ```
 */
export type Validation<E, A> = Invalid<E> | Valid<A>;
