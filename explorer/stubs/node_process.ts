/**
 * Browser stand-in for `node:process`, which the bundle of the explorer maps it to: the trainer
 * only touches it for its progress bar, which the explorer turns off (`quiet`).
 *
 * @module
 */

/**
 * A process with no environment and a silent stderr.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import process from "./node_process.ts";
 * assert.ok(process.stderr.write("nothing") && !process.stderr.isTTY);
 * ```
 */
const process: {
  env: Record<string, string>;
  stderr: { isTTY: boolean; write: (chunk: string) => boolean };
} = { env: {}, stderr: { isTTY: false, write: () => true } };

export default process;
