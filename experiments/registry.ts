/**
 * The registry of experiments: one entry per experiment folder, `{ options, plan, summarize,
 * figures, reportSection, headline }` (see `experiment.ts`). The CLI, the summaries, the figures
 * and the report look an experiment up here; nothing else picks one by its name. Adding an
 * experiment is adding its folder and one line to `EXPERIMENTS`.
 *
 * What `summary.json` holds: the summary of each experiment name found in the results (`type`
 * is the registry key; a name that is not a key is summarised as a curve):
 * - `curve`: the `CurveSummary` fields (`pstar`, `pstarS`, `pstarD`, `predicted`, `points`, ...),
 *   plus `curves` (every curve);
 * - `scaling`: `exponent`, `interval`, `predictedExponent`, `points` of the first network kind,
 *   plus `kinds` (one `ScalingSummary` per kind);
 * - `hierarchy`: the `HierarchySummary` fields, plus `curves`;
 * - `paper`: `figures`, one `FigureSummary` per figure of the paper with runs in the results (its
 *   runs are named `scaling` and `hierarchy`, so only a results file of runs named `paper` shows it).
 *
 * @module
 */
import type { AnyExperiment, Figure, SummarizeOptions } from "./experiment.ts";
import type { ResultLine } from "./store.ts";
import { curve } from "./curve/mod.ts";
import { hierarchy } from "./hierarchy/mod.ts";
import { scaling } from "./scaling/mod.ts";
import { paper } from "./paper/mod.ts";
import type { PaperExperimentSummary } from "./paper/figure_summary.ts";
import { architectures } from "./architectures/mod.ts";
import type { CurveExperimentSummary } from "./curve/summary.ts";
import type { HierarchyExperimentSummary } from "./hierarchy/summary.ts";
import type { ScalingExperimentSummary } from "./scaling/summary.ts";
import type { ArchitecturesExperimentSummary } from "./architectures/mod.ts";

/**
 * The experiments, by name (the order of `--help`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EXPERIMENTS } from "./registry.ts";
 * assert.deepEqual(Object.keys(EXPERIMENTS), ["curve", "hierarchy", "scaling", "paper", "architectures"]);
 * ```
 */
export const EXPERIMENTS = { curve, hierarchy, scaling, paper, architectures } as const;

/** The name of a registered experiment. */
export type ExperimentName = keyof typeof EXPERIMENTS;

/** The summary of one experiment, tagged by its registry key `type`. */
export type ExperimentSummary =
  | CurveExperimentSummary
  | ScalingExperimentSummary
  | HierarchyExperimentSummary
  | PaperExperimentSummary
  | ArchitecturesExperimentSummary;

export type { AnyExperiment };

/**
 * Whether `name` is a registered experiment.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isExperimentName } from "./registry.ts";
 * assert.ok(isExperimentName("scaling") && !isExperimentName("nope"));
 * ```
 */
export function isExperimentName(name: string): name is ExperimentName {
  return Object.hasOwn(EXPERIMENTS, name);
}

/**
 * The registry entry of an experiment name, or of its summary: a name that is not registered is
 * a learning curve (e.g. the results of a hand-made plan).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { experimentOf, EXPERIMENTS } from "./registry.ts";
 * const same = (a: unknown, b: unknown) => a === b;
 * assert.ok(same(experimentOf("scaling"), EXPERIMENTS.scaling) && same(experimentOf("demo"), EXPERIMENTS.curve));
 * ```
 */
export function experimentOf(name: string): AnyExperiment {
  return (isExperimentName(name)
    ? EXPERIMENTS[name]
    : EXPERIMENTS.curve) as unknown as AnyExperiment;
}

/**
 * Summarises results, one summary per experiment name found in them (first-seen order).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarizeResults } from "./registry.ts";
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
  options: SummarizeOptions = {},
): ExperimentSummary[] {
  const byExperiment = Map.groupBy(results, (r) => r.run.experiment);
  return [...byExperiment.entries()].map(([name, lines]) =>
    experimentOf(name).summarize(lines, name, options) as ExperimentSummary
  );
}

/**
 * The figures of one experiment summary.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figuresOf } from "./registry.ts";
 * assert.ok(figuresOf({ type: "curve", curves: [] } as never).length >= 1);
 * ```
 */
export function figuresOf(summary: ExperimentSummary): Figure[] {
  return experimentOf(summary.type).figures(summary);
}

/**
 * The report section of one experiment summary.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reportSectionOf } from "./registry.ts";
 * assert.equal(reportSectionOf({ type: "scaling", kinds: [] } as never), "## scaling\n\n");
 * ```
 */
export function reportSectionOf(summary: ExperimentSummary): string {
  return experimentOf(summary.type).reportSection(summary);
}

/**
 * A few lines of results for stdout, for every summary.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { headline } from "./registry.ts";
 * assert.ok(headline([]).length === 0);
 * ```
 */
export function headline(summaries: readonly ExperimentSummary[]): string[] {
  const lines: string[] = [];
  for (const s of summaries) lines.push(...experimentOf(s.type).headline(s));
  return lines;
}

/**
 * The protocol lines (`protocolLine`) a summary states, without repeats: those of its scaling
 * kinds, of its curves, and its own `protocol`, whichever it has (empty when none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ExperimentSummary, protocolsOf } from "./registry.ts";
 * const s = { curves: [{ protocol: "a" }, { protocol: "a" }], protocol: "b" };
 * assert.deepEqual(protocolsOf(s as unknown as ExperimentSummary), ["a", "b"]);
 * ```
 */
export function protocolsOf(summary: ExperimentSummary): string[] {
  const s = summary as unknown as {
    readonly kinds?: readonly { readonly protocol?: unknown }[];
    readonly curves?: readonly { readonly protocol?: unknown }[];
    readonly protocol?: unknown;
  };
  const all = [...(s.kinds ?? []), ...(s.curves ?? []), { protocol: s.protocol }]
    .map((x) => x.protocol)
    .filter((p): p is string => typeof p === "string");
  return [...new Set(all)];
}
