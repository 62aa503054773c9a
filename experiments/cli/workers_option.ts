/**
 * The `--workers N` option of the commands that run an experiment.
 *
 * @module
 */
import { UsageError } from "./usage_error.ts";

/**
 * `--workers N`: an integer in 1..64 (default 1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { workersOption } from "./workers_option.ts";
 * assert.equal(workersOption(undefined), 1);
 * assert.equal(workersOption("2"), 2);
 * assert.throws(() => workersOption("0"), /--workers must be an integer in 1\.\.64/);
 * ```
 */
export function workersOption(text: string | undefined): number {
  const n = text === undefined ? 1 : Number(text);
  if (text !== undefined && (text.trim() === "" || !Number.isInteger(n) || n < 1 || n > 64)) {
    throw new UsageError(`--workers must be an integer in 1..64 (got ${JSON.stringify(text)})`);
  }
  return n;
}
