import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import { makeParams, ParamError, validateParams } from "@srhm/generators";
import { FC, smallParams } from "./generators_arbitraries.ts";

function errorsOf(raw: Record<string, unknown>): readonly string[] {
  const r = validateParams(raw);
  assert.ok(E.isLeft(r), `expected a violation for ${JSON.stringify(raw)}`);
  return r.left;
}

function oneError(raw: Record<string, unknown>, ...fragments: string[]): void {
  const errors = errorsOf(raw);
  assert.equal(errors.length, 1, errors.join(" | "));
  for (const f of fragments) assert.ok(errors[0].includes(f), `${errors[0]} lacks ${f}`);
}

function someError(raw: Record<string, unknown>, fragment: string): void {
  const errors = errorsOf(raw);
  assert.ok(errors.some((e) => e.includes(fragment)), `${errors.join(" | ")} lacks ${fragment}`);
}

test("defaults: s = 2, s0 = 0, A, seed 0, m = v^(s-1), nc = v", () => {
  const p = makeParams({ L: 3, v: 8, s0: 1 });
  assert.deepEqual({ ...p }, { L: 3, s: 2, s0: 1, v: 8, m: 8, nc: 8, sparsity: "A", seed: 0 });
  assert.equal(makeParams({ L: 1, v: 3, s: 3 }).m, 9);
  assert.ok(Object.isFrozen(p));
});

test("valid parameters are accepted as given, never clamped", () => {
  fc.assert(
    fc.property(smallParams(), (p) => {
      const r = validateParams({ ...p });
      assert.ok(E.isRight(r));
      assert.deepEqual({ ...r.right }, { ...p });
    }),
    FC,
  );
});

test("each field: non-integer, negative, NaN, Infinity, wrong type", () => {
  for (const bad of [1.5, -1, NaN, Infinity, -Infinity, "3", null, true, [2], {}]) {
    oneError({ L: bad, v: 4 }, "L must be an integer >= 1");
    oneError({ L: 2, v: bad === null ? "x" : bad }, "v must be an integer >= 2");
    oneError({ L: 2, v: 4, s0: bad === null ? "x" : bad }, "s0 must be an integer >= 0");
    oneError({ L: 2, v: 4, m: bad === null ? "x" : bad }, "m must be an integer >= 1");
    oneError({ L: 2, v: 4, nc: bad === null ? "x" : bad }, "nc must be an integer >= 2");
    oneError({ L: 2, v: 4, seed: bad === null ? "x" : bad }, "seed must be an integer >= 0");
  }
  oneError({ L: 2, v: 4, s: 1 }, "s must be an integer >= 2 (got 1)");
  oneError({ L: 0, v: 4 }, "L must be an integer >= 1 (got 0)");
  oneError({ L: 2, v: 1 }, "v must be an integer >= 2 (got 1)");
  oneError({ L: 2, v: 4, nc: 1 }, "nc must be an integer >= 2 (got 1)");
  oneError({ L: 2, v: 4, m: 0 }, "m must be an integer >= 1 (got 0)");
  oneError({ L: 2, v: 4, sparsity: "C" }, 'sparsity must be "A" or "B" (got "C")');
  oneError({ L: 2, v: 4, s0: -1 }, "s0 must be an integer >= 0 (got -1)");
  assert.equal(errorsOf({ v: 4 })[0], "L must be an integer >= 1 (got undefined)");
});

test("the unambiguity bounds m * nc <= v^s and m * v <= v^s name the numbers", () => {
  oneError({ L: 1, v: 4, m: 8, nc: 4 }, "m * nc <= v^s at level L (8 * 4 = 32 > 16)");
  // L = 1: only the class level, so m * v may exceed v^s
  assert.ok(E.isRight(validateParams({ L: 1, v: 4, m: 8, nc: 2 })));
  oneError({ L: 2, v: 4, m: 5, nc: 2 }, "m * v <= v^s at levels 1..L-1 (5 * 4 = 20 > 16)");
  const both = errorsOf({ L: 2, v: 8, m: 8, nc: 9 });
  assert.deepEqual(both, ["m * nc <= v^s at level L (8 * 9 = 72 > 64)"]);
  const two = errorsOf({ L: 3, v: 4, m: 9, nc: 4 });
  assert.equal(two.length, 2);
});

test("absurd sizes are refused up front with the bound, fast", () => {
  oneError({ L: 1e9, v: 4 }, "L must be <= 20");
  oneError({ L: 12, v: 4, s0: 1 }, "d = S^L must be <= 2^20", "S = s(s0+1) = 4", "L = 12");
  oneError({ L: 2, v: 4, s0: 1e9 }, "s0 must be <= ");
  oneError({ L: 1, v: 1e9, m: 1, nc: 2 }, "v must be <= 32767");
  oneError({ L: 1, v: 30000, s: 4, m: 1, nc: 2 }, "v^s must be <= 2^53");
  oneError({ L: 1, v: 1000, s: 3, nc: 2 }, "m (default v^(s-1)) must be <= 65535");
  oneError({ L: 1, v: 1000, m: 70000, nc: 2 }, "m must be <= 65535");
  oneError({ L: 2, v: 4000, m: 2000, nc: 2 }, "grammar size m * (nc + (L-1) * v) must be <= 2^22");
  someError({ L: 1, v: 2, s: 2, s0: 2 ** 20, m: 1, nc: 2 }, "d = S^L must be <= 2^20");
  oneError(
    { L: 1, v: 2, s: 12, s0: 10, m: 1, nc: 2, sparsity: "B" },
    "s * C(S, s) must be <= 2^22",
  );
  oneError({ L: 1, v: 2, s: 16, s0: 7, m: 1, nc: 2 }, "(s0+1)^s must be <= 2^32");
  oneError({ L: 2, v: 4, seed: 2 ** 60 }, "seed must be <= 2^53 - 1");
});

test("all violations are collected; makeParams throws them one per line", () => {
  const raw = { L: -1, s: 1.5, s0: NaN, v: "x", sparsity: "Z", seed: -3 };
  const errors = errorsOf(raw);
  assert.equal(errors.length, 6);
  assert.throws(() => makeParams(raw), (e) => {
    assert.ok(e instanceof ParamError);
    assert.deepEqual(e.violations, errors);
    assert.equal(e.message.split("\n").length, 6);
    return true;
  });
});

test("arbitrary garbage never throws from validateParams", () => {
  fc.assert(
    fc.property(
      fc.record({
        L: fc.anything(),
        s: fc.anything(),
        s0: fc.anything(),
        v: fc.anything(),
        m: fc.anything(),
        nc: fc.anything(),
        sparsity: fc.anything(),
        seed: fc.anything(),
      }, { requiredKeys: [] }),
      (raw) => {
        const r = validateParams(raw);
        if (E.isLeft(r)) assert.ok(r.left.length > 0 && r.left.every((m) => m.length > 0));
      },
    ),
    { seed: 42, numRuns: 300 },
  );
  assert.deepEqual(E.isLeft(validateParams(null as never)), true);
});
