/**
 * Presets: the defaults of an experiment at two scales. `small` runs on a laptop's CPU (narrow
 * networks, larger mini-batches, a few thousand test data, a 7-point grid); `paper` uses the
 * paper's recipe (H = 512, 4 data per class per mini-batch, 20000 test data, a 9-point grid, up to
 * 3000 epochs) for a GPU or a cluster. Every value is overridden by the matching CLI option.
 *
 * @module
 */

/** A scale of the presets. */
export type Scale = "small" | "paper";

/** The scales, for option parsing. */
export const SCALES: readonly Scale[] = ["small", "paper"];

/** Default sizes of one scale. */
export interface Preset {
  /** Width H of every hidden layer. */
  readonly width: number;
  /** Mini-batch size as data per class (the paper: 4), times `nc`. */
  readonly batchPerClass: number;
  /** Epoch cap, and the evaluation period. */
  readonly maxEpochs: number;
  /** Evaluation period in epochs. */
  readonly evalEvery: number;
  /** Test-set size (capped by what the grammar can give without overlap). */
  readonly test: number;
  /** Fresh data per class for the sensitivities. */
  readonly perClass: number;
  /** The default grid: `points` log-spaced values of P from `low * P_pred` to `high * P_pred`. */
  readonly grid: { readonly low: number; readonly high: number; readonly points: number };
  /** Seeds per P. */
  readonly seeds: number;
  /** Multiplies the authors' base learning rate (`referenceLr`, their table). */
  readonly lrFactor: number;
}

/** The presets (see the module comment). */
export const PRESETS: Readonly<Record<Scale, Preset>> = Object.freeze({
  small: {
    width: 64,
    batchPerClass: 8,
    maxEpochs: 300,
    evalEvery: 5,
    test: 2000,
    perClass: 20,
    grid: { low: 0.25, high: 4, points: 7 },
    seeds: 1,
    lrFactor: 1,
  },
  paper: {
    width: 512,
    batchPerClass: 4,
    maxEpochs: 3000,
    evalEvery: 10,
    test: 20000,
    perClass: 20,
    grid: { low: 0.125, high: 8, points: 9 },
    seeds: 1,
    lrFactor: 1,
  },
});

/**
 * The preset of a scale, with a clear error for an unknown one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { preset } from "./presets.ts";
 * assert.ok(preset("paper").width === 512);
 * ```
 */
export function preset(scale: string): Preset {
  if (!(SCALES as readonly string[]).includes(scale)) {
    throw new RangeError(`scale must be one of ${SCALES.join(", ")} (got ${scale})`);
  }
  return PRESETS[scale as Scale];
}

/**
 * A log-spaced grid of `points` integers from `low * center` to `high * center` (rounded, distinct,
 * at least `min`, at most `max`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logGrid } from "./presets.ts";
 * assert.ok(logGrid(640, { low: 0.25, high: 4, points: 5 }).join() === "160,320,640,1280,2560");
 * ```
 */
export function logGrid(
  center: number,
  grid: { readonly low: number; readonly high: number; readonly points: number },
  bounds: { readonly min?: number; readonly max?: number } = {},
): number[] {
  const { low, high, points } = grid;
  if (!(center > 0) || !(low > 0) || !(high >= low) || !Number.isInteger(points) || points < 1) {
    throw new RangeError(
      `logGrid: need center > 0, 0 < low <= high, points >= 1 (got ${center}, ${low}, ${high}, ${points})`,
    );
  }
  const min = bounds.min ?? 1;
  const max = bounds.max ?? Infinity;
  const a = Math.log(center * low);
  const b = Math.log(center * high);
  const values = Array.from(
    { length: points },
    (_, i) => Math.round(Math.exp(points === 1 ? (a + b) / 2 : a + (i * (b - a)) / (points - 1))),
  ).map((P) => Math.min(max, Math.max(min, P)));
  return [...new Set(values)].sort((x, y) => x - y);
}
