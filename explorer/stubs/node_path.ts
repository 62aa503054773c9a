/**
 * Browser stand-in for `node:path` (POSIX paths): `dirname`, `basename`, `isAbsolute`, `join`,
 * `resolve` (from `/`), which code in the bundle imports for writing files the page never writes.
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

/** The last part of a path. */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/**
 * Whether a path starts at the root.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isAbsolute, join, resolve } from "./node_path.ts";
 * assert.ok(isAbsolute("/x") && !isAbsolute("x"));
 * assert.equal(join("a", "b/", "c"), "a/b/c");
 * assert.equal(resolve("a", "../b"), "/b");
 * ```
 */
export function isAbsolute(path: string): boolean {
  return path.startsWith("/");
}

function normalise(parts: string[]): string[] {
  const out: string[] = [];
  for (const p of parts) {
    if (p === "" || p === ".") continue;
    if (p === "..") out.pop();
    else out.push(p);
  }
  return out;
}

/** The parts joined by `/`. */
export function join(...parts: string[]): string {
  const abs = parts.length > 0 && isAbsolute(parts[0]);
  return (abs ? "/" : "") + normalise(parts.join("/").split("/")).join("/");
}

/** An absolute path (the browser's working directory is `/`). */
export function resolve(...parts: string[]): string {
  let start = 0;
  parts.forEach((p, i) => {
    if (isAbsolute(p)) start = i;
  });
  return "/" + normalise(parts.slice(start).join("/").split("/")).join("/");
}

/** The separator. */
export const sep = "/";

/** The module's default export. */
const path: Record<string, unknown> = { dirname, basename, isAbsolute, join, resolve, sep };
export default path;
