/**
 * The `architectures` experiment (the paper's Figure 1): test error against the sensitivities
 * `D` and `S` of seven networks on one SRHM. Its registry entry, and its parts.
 *
 * @module
 */
import type { Experiment, SummaryBase } from "../experiment.ts";
import type { ResultLine } from "../store.ts";
import { architecturesFigure } from "./figure.ts";
import {
  type ArchitecturesCliOptions,
  architecturesOptionsFromCli,
  declareArchitecturesOptions,
} from "./options.ts";
import {
  ARCHITECTURES_PRESETS,
  type ArchitecturesOptions,
  architecturesPlan,
  type ArchitecturesScale,
} from "./plan.ts";
import { isDeepNetKind } from "@srhm/networks/kinds";
import { architecturesReport } from "./report.ts";
import { archRuns, protocolLine } from "./runs.ts";
import { type ArchitecturesSummary, summarizeArchitectures } from "./summary.ts";

export * from "./figure.ts";
export * from "./options.ts";
export * from "./plan.ts";
export * from "./report.ts";
export * from "./runs.ts";
export * from "./summary.ts";

/** What `summary.json` holds for `architectures`. */
export interface ArchitecturesExperimentSummary extends SummaryBase, ArchitecturesSummary {
  /** Always `"architectures"`. */
  readonly type: "architectures";
  /** The protocol in one line. */
  readonly protocol: string;
  /** Seconds of all the runs together. */
  readonly runSeconds: number;
}

/**
 * The scale whose preset the results were run with (the width of their standard networks, else
 * their P); `small` when none matches.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { architecturesScaleOf } from "./mod.ts";
 * const line = (kind: string, width: number, P: number) => ({ run: { network: { kind, width }, P } }) as never;
 * assert.equal(architecturesScaleOf([line("vgg11", 64, 7400)]), "paper");
 * assert.equal(architecturesScaleOf([line("cnn", 64, 7400), line("vgg11", 16, 7400)]), "small");
 * ```
 */
export function architecturesScaleOf(results: readonly ResultLine[]): ArchitecturesScale {
  const deep = results.find((r) => isDeepNetKind(r.run.network.kind as string));
  const matches = (s: ArchitecturesScale) =>
    deep !== undefined
      ? deep.run.network.width === ARCHITECTURES_PRESETS[s].deep.width
      : results.some((r) => r.run.P === ARCHITECTURES_PRESETS[s].P);
  return matches("paper") && !matches("small") ? "paper" : "small";
}

/**
 * The summary of an `architectures` results file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarizeArchitecturesResults } from "./mod.ts";
 * assert.equal(summarizeArchitecturesResults([], "architectures").architectures.length, 0);
 * ```
 */
export function summarizeArchitecturesResults(
  results: readonly ResultLine[],
  name: string,
): ArchitecturesExperimentSummary {
  const runs = archRuns(results);
  const scale = architecturesScaleOf(results);
  const seeds = new Set(runs.map((r) => r.seed)).size;
  const variant = results.find((r) => r.run.measure?.synonymVariant !== undefined)?.run.measure
    .synonymVariant;
  return {
    type: "architectures",
    experiment: name,
    protocol: protocolLine({ scale }, seeds, variant),
    runSeconds: results.reduce((s, r) => s + Number(r.timings.total ?? 0), 0),
    ...summarizeArchitectures(runs),
  };
}

/** The registry entry. */
export const architectures: Experiment<ArchitecturesOptions, ArchitecturesExperimentSummary> = {
  options: {
    description: "the paper's Figure 1: test error against sensitivity for seven networks",
    declare: declareArchitecturesOptions,
    fromCli: (parsed) => architecturesOptionsFromCli(parsed as unknown as ArchitecturesCliOptions),
  },
  plan: architecturesPlan,
  summarize: (results, name) => summarizeArchitecturesResults(results, name),
  figures: (summary) => [{
    name: "architectures",
    spec: architecturesFigure(summary, "Test error against sensitivity"),
  }],
  reportSection: (summary) =>
    architecturesReport(summary, summary.protocol) +
    `\nRun time (sum of runs): ${(summary.runSeconds / 60).toFixed(1)} min.\n`,
  headline: (summary) =>
    summary.correlation.map((c) =>
      `${c.measure}: Spearman ${c.spearman.toFixed(3)} [${c.interval[0].toFixed(2)}, ` +
      `${c.interval[1].toFixed(2)}]`
    ),
};
