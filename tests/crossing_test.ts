import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { crossing } from "../metrics/crossing.ts";

const close = (a: number, b: number, rel = 1e-9): boolean => Math.abs(a - b) <= rel * Math.abs(b);

test("crossing: interpolates linearly in the value on log P between the bracketing points", () => {
  // 0.1 lies a quarter of the way from 0.2 (P=1000) to -0.2 (P=16000) in value: log-P quarter.
  const c = crossing(
    [{ P: 100, value: 0.9 }, { P: 1000, value: 0.2 }, { P: 16000, value: -0.2 }],
    0.1,
  );
  assert.ok(c.reached);
  assert.ok(close(c.P, 1000 * 16 ** 0.25), `${c.P}`);
  assert.ok(close(c.P, 2000));
});

test("crossing: order of the points does not matter", () => {
  const pts = [{ P: 400, value: 0.05 }, { P: 100, value: 0.3 }, { P: 200, value: 0.2 }];
  const c = crossing(pts, 0.1);
  assert.ok(c.reached);
  // Between P=200 (0.2) and P=400 (0.05): t = 0.1/0.15 = 2/3.
  assert.ok(close(c.P, 200 * 2 ** (2 / 3)));
});

test("crossing: a point exactly at the threshold is the crossing", () => {
  const c = crossing([{ P: 10, value: 0.5 }, { P: 20, value: 0.1 }, { P: 40, value: 0 }], 0.1);
  assert.deepEqual(c, { reached: true, P: 20 });
});

test("crossing: never crosses says so with the last value", () => {
  const c = crossing([{ P: 10, value: 0.5 }, { P: 20, value: 0.3 }], 0.1);
  assert.equal(c.reached, false);
  if (!c.reached) {
    assert.equal(c.code, "never-crosses");
    assert.match(c.reason, /0\.3 at the largest P = 20/);
  }
});

test("crossing: already below at the smallest P is not reached (an upper bound only)", () => {
  const c = crossing([{ P: 10, value: 0.05 }, { P: 20, value: 0.01 }], 0.1);
  assert.equal(c.reached, false);
  if (!c.reached) {
    assert.equal(c.code, "already-crossed");
    assert.match(c.reason, /at most 10/);
  }
});

test("crossing: only the first crossing counts on a noisy curve", () => {
  const c = crossing(
    [{ P: 1, value: 1 }, { P: 2, value: 0 }, { P: 4, value: 1 }, { P: 8, value: 0 }],
    0.5,
  );
  assert.ok(c.reached);
  assert.ok(close(c.P, Math.SQRT2));
});

test("crossing: direction above mirrors below", () => {
  const c = crossing([{ P: 100, value: 0.1 }, { P: 10000, value: 0.9 }], 0.5, "above");
  assert.ok(c.reached);
  assert.ok(close(c.P, 1000));
  const d = crossing([{ P: 100, value: 0.6 }], 0.5, "above");
  assert.equal(d.reached, false);
});

test("crossing: NaN values are left out, empty curves are not reached", () => {
  const c = crossing([{ P: 10, value: NaN }, { P: 20, value: 0.5 }, { P: 80, value: 0 }], 0.25);
  assert.ok(c.reached);
  assert.ok(close(c.P, 40));
  const e = crossing([{ P: 10, value: NaN }], 0.25);
  assert.equal(e.reached, false);
  if (!e.reached) assert.equal(e.code, "no-points");
  assert.equal(crossing([], 0.1).reached, false);
});

test("crossing: an infinite value on one side puts the crossing at the other end", () => {
  const c = crossing([{ P: 10, value: Infinity }, { P: 20, value: 0 }], 0.5);
  assert.deepEqual(c, { reached: true, P: 20 });
});

test("crossing: bad inputs name the parameter", () => {
  assert.throws(() => crossing([{ P: 0, value: 1 }], 0.1), /points\[0\]\.P must be finite and > 0/);
  assert.throws(
    () => crossing([{ P: 5, value: 1 }, { P: 5, value: 0 }], 0.1),
    /distinct P \(P = 5/,
  );
  assert.throws(() => crossing([{ P: 5, value: 1 }], NaN), /threshold must be finite/);
});

test("crossing (property): a monotone curve through a known crossing recovers it", () => {
  // value(P) = threshold + slope * (log P* - log P) is linear in log P and crosses at P*, so the
  // interpolation is exact wherever the grid lies, provided P* is inside the grid.
  fc.assert(
    fc.property(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0.05, max: 2, noNaN: true }),
      fc.double({ min: 0.01, max: 0.5, noNaN: true }),
      fc.integer({ min: 3, max: 12 }),
      fc.double({ min: 1.2, max: 4, noNaN: true }),
      (u, slope, threshold, n, ratio) => {
        const P0 = 10;
        const grid = Array.from({ length: n }, (_, i) => P0 * ratio ** i);
        // P* strictly inside (grid[0], grid[n-1]).
        const logStar = Math.log(grid[0]) + (0.01 + 0.98 * u) * Math.log(ratio) * (n - 1);
        const points = grid.map((P) => ({
          P,
          value: threshold + slope * (logStar - Math.log(P)),
        }));
        const c = crossing(points, threshold);
        return c.reached && Math.abs(Math.log(c.P) - logStar) < 1e-9;
      },
    ),
    { seed: 42, numRuns: 300 },
  );
});

test("crossing (property): the crossing lies between the bracketing grid points", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 10 }),
      fc.double({ min: 0.05, max: 0.95, noNaN: true }),
      (drops, threshold) => {
        // A non-increasing curve from 1 downward.
        const points: { P: number; value: number }[] = [];
        let v = 1;
        for (const [i, d] of drops.entries()) {
          v -= d / drops.length;
          points.push({ P: 2 ** (i + 1), value: v });
        }
        const c = crossing(points, threshold);
        const first = points.findIndex((p) => p.value <= threshold);
        if (first === -1) return !c.reached && c.code === "never-crosses";
        if (first === 0) return !c.reached && c.code === "already-crossed";
        return c.reached && c.P > points[first - 1].P && c.P <= points[first].P;
      },
    ),
    { seed: 42, numRuns: 300 },
  );
});
