import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { isLeft, isRight } from "fp-ts/lib/Either.js";
import {
  BIAS_MODES,
  ConfigError,
  configForGrammar,
  FCN_SCALES,
  layerShapes,
  makeConfig,
  NETWORK_KINDS,
  PARAMETRISATIONS,
  validateConfig,
} from "../networks/config.ts";

const VALID = {
  kind: "cnn",
  depth: 3,
  patch: 4,
  width: 16,
  channels: 8,
  length: 64,
  classes: 8,
  bias: "per-position",
  parametrisation: "mean-field",
  seed: 5,
} as const;

function violations(raw: unknown): readonly string[] {
  const r = validateConfig(raw);
  return isLeft(r) ? r.left : [];
}

test("a valid configuration passes, is frozen and survives JSON", () => {
  const r = validateConfig(VALID);
  assert.ok(isRight(r));
  assert.deepEqual(r.right, VALID);
  assert.ok(Object.isFrozen(r.right));
  assert.deepEqual(makeConfig(JSON.parse(JSON.stringify(r.right))), r.right);
});

test("invalid configurations are rejected with messages that name the field and the bound", () => {
  assert.match(
    violations({ ...VALID, length: 60 }).join(),
    /length must be patch\^depth \(4\^3 = 64\), got 60/,
  );
  assert.match(
    violations({ ...VALID, width: 0 }).join(),
    /width must be an integer >= 1 \(got 0\)/,
  );
  assert.match(
    violations({ ...VALID, depth: 2 }).join(),
    /4\^2 = 16\), got 64: depth does not match/,
  );
  assert.match(violations({ ...VALID, patch: 1 }).join(), /patch must be an integer >= 2/);
  assert.match(violations({ ...VALID, classes: 1 }).join(), /classes must be an integer >= 2/);
  assert.match(
    violations({ ...VALID, channels: 2.5 }).join(),
    /channels must be an integer >= 1 \(got 2.5\)/,
  );
  assert.match(
    violations({ ...VALID, kind: "rnn" }).join(),
    /kind must be one of cnn, lcn, fcn \(got "rnn"\)/,
  );
  assert.match(
    violations({ ...VALID, bias: "yes" }).join(),
    /bias must be one of per-position, shared, none/,
  );
  assert.match(
    violations({ ...VALID, parametrisation: "ntk" }).join(),
    /parametrisation must be one of mean-field, standard/,
  );
  assert.match(
    violations({ ...VALID, seed: -1 }).join(),
    /seed must be an integer in \[0, 2\^32\)/,
  );
  assert.match(violations({ ...VALID, extra: 1 }).join(), /unknown configuration field "extra"/);
  const { width: _w, ...noWidth } = VALID;
  assert.match(violations(noWidth).join(), /width must be an integer >= 1 \(got undefined\)/);
  assert.deepEqual(violations(null), ["a network configuration must be an object"]);
  assert.deepEqual(violations([1]), ["a network configuration must be an object"]);
  // every violation is listed, not only the first
  assert.equal(violations({ ...VALID, width: 0, kind: "x", seed: 1.5 }).length, 3);
  assert.throws(() => makeConfig({ ...VALID, width: 0 }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.deepEqual(e.violations, ["width must be an integer >= 1 (got 0)"]);
    return true;
  });
});

test("property: every well-formed configuration validates, its layers shrink by patch to 1", () => {
  fc.assert(
    fc.property(
      fc.record({
        kind: fc.constantFrom(...NETWORK_KINDS),
        depth: fc.integer({ min: 1, max: 4 }),
        patch: fc.integer({ min: 2, max: 6 }),
        width: fc.integer({ min: 1, max: 1024 }),
        channels: fc.integer({ min: 1, max: 64 }),
        classes: fc.integer({ min: 2, max: 64 }),
        bias: fc.constantFrom(...BIAS_MODES),
        parametrisation: fc.constantFrom(...PARAMETRISATIONS),
        seed: fc.integer({ min: 0, max: 0xffffffff }),
        fcnScale: fc.constantFrom(undefined, ...FCN_SCALES),
      }),
      ({ fcnScale, ...r }) => {
        const c = makeConfig({
          ...r,
          length: r.patch ** r.depth,
          ...(fcnScale === undefined ? {} : { fcnScale }),
        });
        const shapes = layerShapes(c);
        assert.equal(shapes.length, c.depth);
        assert.equal(shapes[0].inPositions, c.length);
        assert.equal(shapes[0].inChannels, c.channels);
        assert.equal(shapes[c.depth - 1].outPositions, 1);
        shapes.forEach((s, k) => {
          assert.equal(s.outPositions * c.patch, s.inPositions);
          if (k > 0) assert.equal(s.inChannels, c.width);
          assert.equal(
            s.scaleFanIn,
            c.kind === "fcn" && c.fcnScale === "fan-in"
              ? s.inPositions * s.inChannels
              : s.inChannels,
          );
        });
        // a length that is not patch^depth is always rejected
        assert.ok(isLeft(validateConfig({ ...c, length: c.length + 1 })));
      },
    ),
    { seed: 42, numRuns: 200 },
  );
});

test("configForGrammar reads L, S, v, d, nc and applies the defaults", () => {
  const grammar = { params: { L: 3, v: 8, nc: 8 }, S: 4, d: 64 };
  const c = configForGrammar(grammar, { kind: "lcn", width: 32 });
  assert.deepEqual(c, {
    kind: "lcn",
    depth: 3,
    patch: 4,
    width: 32,
    channels: 8,
    length: 64,
    classes: 8,
    bias: "per-position",
    parametrisation: "mean-field",
    seed: 0,
  });
  const d = configForGrammar(grammar, {
    kind: "fcn",
    width: 4,
    bias: "none",
    parametrisation: "standard",
    seed: 3,
  });
  assert.equal(d.bias, "none");
  assert.equal(d.parametrisation, "standard");
  assert.equal(d.seed, 3);
  assert.throws(() => configForGrammar(grammar, { kind: "cnn", width: 0 }), /width must be/);
});

test("fcnScale: absent means the authors' channels scaling; fan-in is the named alternative", () => {
  const fcn = { ...VALID, kind: "fcn" } as const;
  const byChannels = layerShapes(makeConfig(fcn));
  assert.deepEqual(byChannels.map((s) => s.scaleFanIn), [8, 16, 16]);
  assert.deepEqual(layerShapes(makeConfig({ ...fcn, fcnScale: "channels" })), byChannels);
  const byFanIn = layerShapes(makeConfig({ ...fcn, fcnScale: "fan-in" }));
  assert.deepEqual(byFanIn.map((s) => s.scaleFanIn), [64 * 8, 16 * 16, 4 * 16]);
  // the CNN ignores it
  assert.deepEqual(
    layerShapes(makeConfig({ ...VALID, fcnScale: "fan-in" })).map((s) => s.scaleFanIn),
    [8, 16, 16],
  );
  assert.deepEqual(violations({ ...fcn, fcnScale: "sqrt" }), [
    'fcnScale must be one of channels, fan-in (got "sqrt")',
  ]);
});
