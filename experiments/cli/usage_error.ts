/**
 * The one error type that the CLI turns into "exit code 2, one line on stderr", and `usage()`,
 * which classifies the errors of the library by their class: a `RangeError` (a bad value: every
 * validator of a plan, a grammar or a shard throws one, `ShardError` included), a
 * `SlurmOptionError` and a `SweepDirError` are the user's, anything else is a failure.
 *
 * @module
 */
import { SlurmOptionError } from "../slurm.ts";
import { SweepDirError } from "../sweep_dir.ts";

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

/** The classes of the library's errors that say the user's input is wrong. */
const USER_ERRORS = [RangeError, SlurmOptionError, SweepDirError] as const;

/**
 * Runs `f` (sync or async), turning the errors that say the user's input is wrong (by their
 * class, see the module doc) into `UsageError`s with the same message, and `prefix` before it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { usage, UsageError } from "./usage_error.ts";
 * assert.throws(() => usage(() => { throw new RangeError("L must be >= 1"); }), UsageError);
 * assert.throws(() => usage(() => { throw new TypeError("a bug"); }), TypeError);
 * await assert.rejects(usage(() => Promise.reject(new RangeError("x")), "--plan p: "), /^UsageError: --plan p: x/);
 * ```
 */
export function usage<T>(f: () => T, prefix = ""): T {
  const convert = (e: unknown): never => {
    if (USER_ERRORS.some((c) => e instanceof c)) {
      throw new UsageError(`${prefix}${(e as Error).message}`);
    }
    throw e;
  };
  try {
    const value = f();
    return (value instanceof Promise ? value.catch(convert) : value) as T;
  } catch (e) {
    return convert(e);
  }
}
