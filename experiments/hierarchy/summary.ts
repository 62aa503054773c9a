/**
 * The summary of the hierarchy experiment: the table of `S_{k,l}` and `D_{k,l}` against P and, at
 * the largest P, the first layer insensitive to each level (the paper: layer l+1 is the first
 * insensitive to level l).
 *
 * @module
 */
import { referenceThresholds } from "@srhm/metrics";
import type { ResultLine } from "../store.ts";
import { type CurveSummary, groupCurves, summarizeCurve } from "../curve/summary.ts";

/** The hierarchy summary: the curve, the thresholds of "small", and the first insensitive layers. */
export interface HierarchySummary extends CurveSummary {
  /** A sensitivity below this is "small" (the reference `S_2`/`D_2` thresholds by default). */
  readonly small: { readonly S: number; readonly D: number };
  /** At the largest P: per level l (index l-1), the first layer k (1-based; L+1 = the logits) whose
   * `S_{k,l}` (resp. `D_{k,l}`) is small and stays small for every layer above; `null` if none. */
  readonly firstInsensitiveS: (number | null)[];
  /** The same for `D_{k,l}`. */
  readonly firstInsensitiveD: (number | null)[];
  /** The paper's expectation: `l + 1` for level l. */
  readonly expected: number[];
}

/**
 * The first layer (1-based) from which a column of a table is below `threshold` up to the top.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { firstInsensitive } from "./summary.ts";
 * assert.ok(firstInsensitive([[0.9], [0.1], [0.05]], 0, 0.2) === 2);
 * ```
 */
export function firstInsensitive(
  table: readonly (readonly number[])[],
  level: number,
  threshold: number,
): number | null {
  let first: number | null = null;
  for (let k = table.length - 1; k >= 0; k--) {
    const v = table[k]?.[level];
    if (typeof v === "number" && v < threshold) first = k + 1;
    else break;
  }
  return first;
}

/**
 * Summarises one hierarchy curve.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarizeHierarchy } from "./summary.ts";
 * const params = { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 } as const;
 * const line = { id: "a", status: "ok" as const, backend: "cpu", versions: {}, timings: {},
 *   run: { P: 100, seed: 0, params, network: { kind: "cnn" }, training: {} } as never,
 *   metrics: { testError: 0.01, S: [[0.9, 0.8], [0.05, 0.7], [0.01, 0.1]], D: [[0.5, 0.5], [0.05, 0.3], [0.01, 0.05]] } };
 * const h = summarizeHierarchy([line]);
 * assert.ok(h.firstInsensitiveS[0] === 2 && h.firstInsensitiveS[1] === 3);
 * ```
 */
export function summarizeHierarchy(
  results: readonly ResultLine[],
  small?: { S: number; D: number },
): HierarchySummary {
  const curve = summarizeCurve(results);
  const { L } = curve.params;
  let thresholds = small;
  if (thresholds === undefined) {
    try {
      thresholds = curve.network.kind === "fcn"
        ? { S: 0.2, D: 0.2 }
        : referenceThresholds(curve.network.kind, Math.max(2, L));
    } catch {
      thresholds = { S: 0.2, D: 0.2 };
    }
  }
  const last = curve.points[curve.points.length - 1];
  const levels = Array.from({ length: L }, (_, l) => l);
  return {
    ...curve,
    small: thresholds,
    firstInsensitiveS: levels.map((l) => firstInsensitive(last?.S ?? [], l, thresholds.S)),
    firstInsensitiveD: levels.map((l) => firstInsensitive(last?.D ?? [], l, thresholds.D)),
    expected: levels.map((l) => l + 2),
  };
}

/** The summary of a hierarchy experiment: the first curve's fields, and every curve. */
export type HierarchyExperimentSummary =
  & { readonly type: "hierarchy"; readonly curves: HierarchySummary[] }
  & HierarchySummary;

/**
 * Summarises the results of a hierarchy experiment: one `HierarchySummary` per learning curve.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarizeHierarchies } from "./summary.ts";
 * const params = { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 } as const;
 * const line = { id: "a", status: "ok" as const, backend: "cpu", versions: {}, timings: {},
 *   run: { experiment: "hierarchy", P: 100, seed: 0, params, network: { kind: "cnn" }, training: {} } as never,
 *   metrics: { testError: 0.01, S: [[0.9, 0.8], [0.05, 0.7], [0.01, 0.1]], D: [[0.5, 0.5], [0.05, 0.3], [0.01, 0.05]] } };
 * const h = summarizeHierarchies([line]);
 * assert.ok(h.type === "hierarchy" && h.curves.length === 1 && h.firstInsensitiveS[0] === 2);
 * ```
 */
export function summarizeHierarchies(results: readonly ResultLine[]): HierarchyExperimentSummary {
  const curves = groupCurves(results).map((g) => summarizeHierarchy(g));
  return { type: "hierarchy", ...curves[0], curves };
}
