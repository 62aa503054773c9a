/**
 * From any results file to the summary of its experiment: the lines are split by
 * `run.experiment` and each part summarised as a curve, a scaling experiment or a hierarchy.
 * What `summary.json` holds (the Outputs contract of issue 4):
 * - `curve`: the `CurveSummary` fields (`pstar`, `pstarS`, `pstarD`, `predicted`, `points`, ...),
 *   plus `curves` (every curve) when the results hold more than one;
 * - `scaling`: `exponent`, `interval`, `predictedExponent`, `points` of the first network kind,
 *   plus `kinds` (one `ScalingSummary` per kind);
 * - `hierarchy`: the `HierarchySummary` fields.
 *
 * @module
 */
import { type HierarchySummary, summarizeHierarchy } from "./hierarchy.ts";
import type { ResultLine } from "./store.ts";
import {
  type CurveSummary,
  groupCurves,
  type ScalingSummary,
  type ScalingVariable,
  summarizeCurve,
  summarizeScaling,
} from "./summary.ts";

/** The summary of one experiment, tagged by its kind. */
export type ExperimentSummary =
  | ({ readonly type: "curve"; readonly curves: CurveSummary[] } & CurveSummary)
  | (
    & { readonly type: "scaling"; readonly experiment: string; readonly kinds: ScalingSummary[] }
    & ScalingSummary
  )
  | ({ readonly type: "hierarchy"; readonly curves: HierarchySummary[] } & HierarchySummary);

/**
 * The scaling variable of a set of results: the one of `s0`, `v`, `L` that varies (s0 if none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectVariable } from "./summarize.ts";
 * const line = (v: number) => ({ run: { params: { s0: 1, v, L: 2 } } }) as never;
 * assert.ok(detectVariable([line(3), line(4)]) === "v");
 * ```
 */
export function detectVariable(results: readonly ResultLine[]): ScalingVariable {
  for (const variable of ["s0", "v", "L"] as const) {
    if (new Set(results.map((r) => r.run.params[variable])).size > 1) return variable;
  }
  return "s0";
}

/** The kind of experiment of a name: `scaling` and `hierarchy` by name, anything else a curve. */
function typeOf(experiment: string): ExperimentSummary["type"] {
  return experiment === "scaling" || experiment === "hierarchy" ? experiment : "curve";
}

/**
 * Summarises results, one summary per experiment name found in them (first-seen order).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarizeResults } from "./summarize.ts";
 * const params = { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 } as const;
 * const line = (P: number, e: number) => ({ id: `${P}`, status: "ok" as const, backend: "cpu",
 *   versions: {}, timings: {}, metrics: { testError: e },
 *   run: { experiment: "curve", P, seed: 0, params, network: { kind: "cnn" }, training: {} } as never });
 * const [s] = summarizeResults([line(300, 0.3), line(900, 0.05)]);
 * assert.ok(s.type === "curve" && s.pstar !== null);
 * ```
 */
export function summarizeResults(
  results: readonly ResultLine[],
  options: { bootstrap?: number; seed?: number; variable?: ScalingVariable } = {},
): ExperimentSummary[] {
  const byExperiment = new Map<string, ResultLine[]>();
  for (const r of results) {
    byExperiment.set(r.run.experiment, [...(byExperiment.get(r.run.experiment) ?? []), r]);
  }
  return [...byExperiment.entries()].map(([name, lines]): ExperimentSummary => {
    const type = typeOf(name);
    if (type === "scaling") {
      const kinds = summarizeScaling(lines, options.variable ?? detectVariable(lines), {
        bootstrap: options.bootstrap ?? 2000,
        seed: options.seed ?? 0,
      });
      return { type, experiment: name, ...kinds[0], kinds };
    }
    if (type === "hierarchy") {
      const curves = groupCurves(lines).map((g) => summarizeHierarchy(g));
      return { type, ...curves[0], curves };
    }
    const curves = groupCurves(lines).map((g) => summarizeCurve(g));
    return { type, ...curves[0], curves };
  });
}
