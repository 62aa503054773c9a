/**
 * One encoding of the numbers that JSON cannot hold, for every file the experiments write
 * (`results.jsonl`, `summary.json`, the `train` command's line): `NaN`, `Infinity` and `-Infinity`
 * become the strings `"NaN"`, `"Infinity"` and `"-Infinity"` (plain `JSON.stringify` would write
 * `null`, which reads back as "absent"). `decodeNonFinite` turns those strings back into numbers.
 *
 * @module
 */

const NON_FINITE: Readonly<Record<string, number>> = {
  NaN: NaN,
  Infinity: Infinity,
  "-Infinity": -Infinity,
};

/**
 * `JSON.stringify` with `NaN`, `Infinity`, `-Infinity` written as the strings `"NaN"`,
 * `"Infinity"`, `"-Infinity"`; `space` as for `JSON.stringify`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stringifyJson } from "./non_finite.ts";
 * assert.equal(stringifyJson({ a: NaN, b: [Infinity, -Infinity, 1] }), '{"a":"NaN","b":["Infinity","-Infinity",1]}');
 * ```
 */
export function stringifyJson(value: unknown, space?: number): string {
  return JSON.stringify(
    value,
    (_key, x) => typeof x === "number" && !Number.isFinite(x) ? String(x) : x,
    space,
  );
}

/**
 * `value` with the strings `"NaN"`, `"Infinity"`, `"-Infinity"` turned back into numbers, at
 * every depth (a copy; other values are kept).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeNonFinite } from "./non_finite.ts";
 * assert.deepEqual(decodeNonFinite({ S: [["Infinity", "NaN", 0.5]], note: "x" }),
 *   { S: [[Infinity, NaN, 0.5]], note: "x" });
 * ```
 */
export function decodeNonFinite(value: unknown): unknown {
  if (typeof value === "string") {
    return Object.hasOwn(NON_FINITE, value) ? NON_FINITE[value] : value;
  }
  if (Array.isArray(value)) return value.map(decodeNonFinite);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, decodeNonFinite(x)]));
  }
  return value;
}
