/**
 * The one error type that the CLI turns into "exit code 2, one line on stderr".
 *
 * @module
 */

/**
 * A user error (a bad argument): `runCli` prints `error: <message>` on stderr and exits with 2.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UsageError } from "./usage_error.ts";
 * const e = new UsageError("--L must be an integer >= 1 (got 0)");
 * assert.ok(e.name === "UsageError");
 * ```
 */
export class UsageError extends Error {
  override name = "UsageError";
}
