/**
 * Browser stand-in for `node:path`: the figures' file writer (never called in a page) is the only
 * user of `dirname` in the bundle.
 *
 * @module
 */

/** The directory part of a `/`-separated path. */
export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? (i === 0 ? "/" : ".") : path.slice(0, i);
}

export default { dirname };
