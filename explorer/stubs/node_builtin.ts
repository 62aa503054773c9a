/**
 * Browser stand-in for the Node built-ins that code in the bundle imports but the explorer never
 * calls (`node:fs`, `node:child_process`, `node:util`, `node:os`, `node:url`, ...): an empty
 * default export and the few named ones the workspace imports, which throw when called (or, for
 * constants, are empty).
 *
 * @module
 */

const unavailable = (name: string) => (): never => {
  throw new Error(`${name} is not available in the browser`);
};

/**
 * `node:os` constants (empty tables).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { constants } from "./node_builtin.ts";
 * assert.deepEqual(constants.signals, {});
 * ```
 */
export const constants: { signals: Record<string, number>; errno: Record<string, number> } = {
  signals: {},
  errno: {},
};

/**
 * `node:url`'s `fileURLToPath`: the path of a `file:` URL.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileURLToPath } from "./node_builtin.ts";
 * assert.equal(fileURLToPath("file:///a/b%20c"), "/a/b c");
 * ```
 */
export function fileURLToPath(url: string | URL): string {
  return decodeURIComponent(new URL(url).pathname);
}

/** `node:url`'s `pathToFileURL`. */
export function pathToFileURL(path: string): URL {
  return new URL(`file://${encodeURI(path)}`);
}

/** Throws: no file system in a browser. */
export const readFileSync: () => never = unavailable("node:fs");
/** Throws: no file system in a browser. */
export const existsSync: () => never = unavailable("node:fs");
/** Throws: no processes in a browser. */
export const spawn: () => never = unavailable("node:child_process");

/** The module's default export. */
const builtin: Record<string, unknown> = { constants, fileURLToPath, pathToFileURL };
export default builtin;
