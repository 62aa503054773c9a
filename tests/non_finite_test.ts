import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { decodeNonFinite, stringifyJson } from "../experiments/non_finite.ts";

test("any JSON value with non-finite numbers survives stringifyJson then decodeNonFinite", () => {
  const number = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity));
  const value = fc.letrec((tie) => ({
    leaf: fc.oneof(number, fc.boolean(), fc.constant(null), fc.string({ maxLength: 4 })),
    node: fc.oneof(
      { depthSize: "small" },
      tie("leaf"),
      fc.array(tie("node"), { maxLength: 4 }),
      fc.dictionary(fc.string({ maxLength: 3 }), tie("node"), { maxKeys: 4 }),
    ),
  })).node.filter((v) => !JSON.stringify(v).match(/"(NaN|-?Infinity)"/)); // no such strings as data
  fc.assert(
    fc.property(value, (v) => {
      assert.deepEqual(decodeNonFinite(JSON.parse(stringifyJson(v))), restore(v));
    }),
  );
});

/** `v` as it reads back: -0 becomes 0 (JSON has no -0), everything else stays. */
function restore(v: unknown): unknown {
  if (typeof v === "number") return Object.is(v, -0) ? 0 : v;
  if (Array.isArray(v)) return v.map(restore);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, restore(x)]));
  }
  return v;
}

test("never null for a non-finite number", () => {
  assert.equal(stringifyJson([NaN, Infinity, -Infinity]), '["NaN","Infinity","-Infinity"]');
  assert.equal(stringifyJson({ a: 1 }, 2), '{\n  "a": 1\n}');
});
