/**
 * Browser stand-in for `node:path`: the figures' file writer (never called in a page) is the only
 * user of `dirname` in the bundle.
 *
 * @module
 */

/**
 * The directory part of a `/`-separated path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dirname } from "./node_path.ts";
 * assert.equal(dirname("/a/b/c.svg"), "/a/b");
 * assert.equal(dirname("c.svg"), ".");
 * ```
 */
export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? (i === 0 ? "/" : ".") : path.slice(0, i);
}

export default { dirname };
