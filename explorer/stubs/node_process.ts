/**
 * Browser stand-in for `node:process`: the trainer only touches it for its progress bar, which
 * the explorer turns off (`quiet`); command-line code in the bundle reads `argv`, `env`, and
 * never runs.
 *
 * @module
 */

/**
 * A process with no environment, no arguments and silent output streams.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import process from "./node_process.ts";
 * assert.ok(process.stderr.write("nothing") && !process.stderr.isTTY && process.argv.length === 0);
 * ```
 */
const process: {
  env: Record<string, string>;
  argv: string[];
  platform: string;
  versions: Record<string, string>;
  stderr: { isTTY: boolean; write: (chunk: string) => boolean };
  stdout: { isTTY: boolean; write: (chunk: string) => boolean };
  cwd: () => string;
  exit: (code?: number) => never;
  on: () => void;
} = {
  env: {},
  argv: [],
  platform: "browser",
  versions: {},
  stderr: { isTTY: false, write: () => true },
  stdout: { isTTY: false, write: () => true },
  cwd: () => "/",
  exit: (code?: number) => {
    throw new Error(`process.exit(${code ?? 0}) in the browser`);
  },
  on: () => {},
};

export default process;
