/**
 * Spread over seeds: rows with the same x (and series) collapsed to a mean with a min-max bar.
 *
 * @module
 */
import type { Datum } from "./line_chart.ts";

/** Which fields of the rows are the abscissa, the value and (optionally) the series. */
export interface SeedBandOptions {
  /** Field of the abscissa. */
  readonly x: string;
  /** Field of the value averaged over seeds. */
  readonly y: string;
  /** Field of the series (one band each). */
  readonly series?: string;
}

/**
 * Groups rows by `x` (and `series`) and returns one row per group with the mean of `y` in `y`,
 * its minimum in `lo`, its maximum in `hi` and the number of finite values in `n` (rows whose
 * `y` is not a finite number are left out of the statistics; a group with none gets `y`, `lo`,
 * `hi` = `null`). Feed the result to `lineChart` with `errorBars: { lo: "lo", hi: "hi" }`; with a
 * single seed the bar has zero length. Groups come out in order of first appearance.
 *
 * @param rows one row per run (e.g. per seed).
 * @param options `{ x, y, series? }`.
 * @returns one row per group.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seedBands } from "./seed_bands.ts";
 * const bands = seedBands(
 *   [{ P: 10, e: 0.2 }, { P: 10, e: 0.4 }, { P: 20, e: 0.1 }],
 *   { x: "P", y: "e" },
 * );
 * assert.ok(bands.length === 2 && Math.abs((bands[0].e as number) - 0.3) < 1e-12);
 * assert.ok(bands[0].lo === 0.2 && bands[0].hi === 0.4 && bands[0].n === 2);
 * ```
 */
export function seedBands(rows: readonly Datum[], options: SeedBandOptions): Datum[] {
  const { x, y, series } = options;
  const groups = new Map<string, { key: Datum; values: number[] }>();
  for (const row of rows) {
    const key: Record<string, unknown> = { [x]: row[x] };
    if (series !== undefined) key[series] = row[series];
    const id = JSON.stringify([row[x], series === undefined ? null : row[series]]);
    let g = groups.get(id);
    if (g === undefined) {
      g = { key, values: [] };
      groups.set(id, g);
    }
    const v = row[y];
    if (typeof v === "number" && Number.isFinite(v)) g.values.push(v);
  }
  return [...groups.values()].map(({ key, values }) => {
    const n = values.length;
    if (n === 0) return { ...key, [y]: null, lo: null, hi: null, n };
    const mean = values.reduce((a, b) => a + b, 0) / n;
    return { ...key, [y]: mean, lo: Math.min(...values), hi: Math.max(...values), n };
  });
}
