/**
 * Canonical JSON: object keys sorted (recursively), no whitespace, so that equal data always
 * serialise to the same text (the input of a run's content-derived id).
 *
 * @module
 */

/**
 * Serialises plain data (objects, arrays, strings, finite numbers, booleans, null) with sorted keys.
 * Keys whose value is `undefined` are left out, as `JSON.stringify` does. Non-finite numbers and
 * other values (functions, bigints, typed arrays) are rejected with an error naming the path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonicalJson } from "./canonical_json.ts";
 * assert.ok(canonicalJson({ b: 1, a: [2, { d: null, c: "x" }] }) === '{"a":[2,{"c":"x","d":null}],"b":1}');
 * ```
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, "$");
}

function serialise(value: unknown, path: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) {
        throw new Error(`canonicalJson: ${path} must be a finite number (got ${value})`);
      }
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) {
        return `[${value.map((x, i) => serialise(x, `${path}[${i}]`)).join(",")}]`;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new Error(
          `canonicalJson: ${path} must be plain data (got ${proto?.constructor?.name})`,
        );
      }
      const record = value as Record<string, unknown>;
      const parts = Object.keys(record).sort()
        .filter((k) => record[k] !== undefined)
        .map((k) => `${JSON.stringify(k)}:${serialise(record[k], `${path}.${k}`)}`);
      return `{${parts.join(",")}}`;
    }
    default:
      throw new Error(`canonicalJson: ${path} must be plain data (got ${typeof value})`);
  }
}
