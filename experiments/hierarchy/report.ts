/**
 * The report section of the hierarchy experiment: the curve's section, then `S_{k,l}` and
 * `D_{k,l}` per P and the first insensitive layers beside the paper's expectation.
 *
 * @module
 */
import { fmt, table } from "../markdown.ts";
import { curveSection } from "../curve/report.ts";
import type { HierarchyExperimentSummary, HierarchySummary } from "./summary.ts";

/**
 * The Markdown section of a hierarchy summary: `S_{k,l}` and `D_{k,l}` per P.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hierarchySection } from "./report.ts";
 * import { summarizeHierarchy } from "./summary.ts";
 * const params = { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 } as const;
 * const line = { id: "a", status: "ok" as const, backend: "cpu", versions: {}, timings: {},
 *   run: { experiment: "hierarchy", P: 100, seed: 0, params, network: { kind: "cnn" }, training: {} } as never,
 *   metrics: { testError: 0.01, S: [[0.9, 0.8], [0.05, 0.7], [0.01, 0.1]], D: [[0.5, 0.5], [0.05, 0.3], [0.01, 0.05]] } };
 * assert.ok(hierarchySection(summarizeHierarchy([line])).includes("S_{1,1}"));
 * ```
 */
export function hierarchySection(h: HierarchySummary): string {
  const L = h.params.L;
  const cols: { k: number; l: number }[] = [];
  for (let k = 0; k <= L; k++) for (let l = 0; l < L; l++) cols.push({ k, l });
  const name = (k: number) => (k === L ? "out" : String(k + 1));
  const tableOf = (what: "S" | "D") =>
    table(
      ["P", ...cols.map(({ k, l }) => `${what}_{${name(k)},${l + 1}}`)],
      h.points.map((p) => [String(p.P), ...cols.map(({ k, l }) => fmt(p[what][k]?.[l]))]),
    );
  const first = (xs: (number | null)[]) =>
    xs.map((k, l) =>
      `level ${l + 1}: ${k === null ? "none" : k === L + 1 ? "logits" : `layer ${k}`}`
    )
      .join("; ");
  return [
    curveSection(h),
    "",
    "Synonym sensitivities S_{k,l} (k: layer, `out` = logits; l: level):",
    "",
    tableOf("S"),
    "",
    "Diffeomorphism sensitivities D_{k,l}:",
    "",
    tableOf("D"),
    "",
    `At the largest P, the first layer from which S stays below ${fmt(h.small.S)}: ` +
    `${first(h.firstInsensitiveS)}; D below ${fmt(h.small.D)}: ${first(h.firstInsensitiveD)}. ` +
    `The paper: layer l+1 for level l.`,
  ].join("\n");
}

/**
 * The report section of a hierarchy experiment: one sub-section per curve.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hierarchyReportSection } from "./report.ts";
 * assert.equal(hierarchyReportSection({ curves: [] } as never), "## hierarchy\n\n");
 * ```
 */
export function hierarchyReportSection(s: HierarchyExperimentSummary): string {
  return `## hierarchy\n\n${s.curves.map(hierarchySection).join("\n\n")}`;
}
