/**
 * The report section of a scaling experiment: per network kind, the table of `P*` against the
 * variable beside the law, the fitted exponent beside the paper's, and each point's curve.
 *
 * @module
 */
import { fmt, table } from "../markdown.ts";
import { curveSection } from "../curve/report.ts";
import type { ScalingExperimentSummary, ScalingSummary } from "./summary.ts";

/**
 * The Markdown section of a scaling summary (one network kind).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scalingSection } from "./report.ts";
 * const md = scalingSection({ kind: "cnn", variable: "s0", x: "s0+1", exponent: 2.1, interval: [1.8, 2.4],
 *   standardError: 0.1, prefactor: 150, predictedExponent: 2, fitOn: "mean-curve", points: [], curves: [], notes: [],
 *   protocol: "protocol: lr: the authors' table" });
 * assert.ok(md.includes("protocol: lr"));
 * assert.ok(md.includes("2.1") && md.includes("[1.8, 2.4]"));
 * ```
 */
export function scalingSection(s: ScalingSummary): string {
  const rows = s.points.map((p) => [
    String(p.s0),
    String(p.v),
    String(p.L),
    fmt(p.x),
    fmt(p.pstar),
    fmt(p.predicted),
    p.pstar !== null && p.predicted !== null ? fmt(p.pstar / p.predicted) : "—",
    fmt(p.pstarS),
    fmt(p.pstarD),
    ...(s.fitOn === "per-seed" ? [p.pstarSeeds.map(fmt).join(", ")] : []),
  ]);
  const header = ["s0", "v", "L", s.x, "P*", "law", "P*/law", "P*_S", "P*_D"];
  return [
    `${s.kind.toUpperCase()}: P* against ${s.x}`,
    "",
    s.protocol ?? "",
    "",
    table(s.fitOn === "per-seed" ? [...header, "P* per seed"] : header, rows),
    "",
    `- fitted exponent: **${fmt(s.exponent)}**, 95 % bootstrap interval ` +
    `${s.interval ? `[${fmt(s.interval[0])}, ${fmt(s.interval[1])}]` : "—"}, standard error ` +
    `${fmt(s.standardError)}, fitted on ${
      s.fitOn === "per-seed" ? "each seed's P*" : "the P* of each curve"
    }; the paper's exponent: ${fmt(s.predictedExponent)}` +
    (s.interval && s.predictedExponent !== null
      ? ` (${
        s.interval[0] <= s.predictedExponent && s.predictedExponent <= s.interval[1]
          ? "inside"
          : "outside"
      } the interval)`
      : ""),
    ...s.notes.map((n) => `- note: ${n}`),
    "",
    ...s.curves.map((c) => `#### ${s.variable} = ${c.params[s.variable]}\n\n${curveSection(c)}\n`),
  ].join("\n");
}

/**
 * The report section of a scaling experiment: one sub-section per network kind.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scalingReportSection } from "./report.ts";
 * assert.equal(scalingReportSection({ kinds: [] } as never), "## scaling\n\n");
 * ```
 */
export function scalingReportSection(s: ScalingExperimentSummary): string {
  return `## scaling\n\n${s.kinds.map(scalingSection).join("\n\n")}`;
}

/**
 * The headline of a scaling experiment for stdout: the fitted exponent beside the paper's, and
 * the `P*` of each point, one line per network kind.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scalingHeadline } from "./report.ts";
 * assert.deepEqual(scalingHeadline({ kinds: [] } as never), []);
 * ```
 */
export function scalingHeadline(s: ScalingExperimentSummary): string[] {
  return s.kinds.map((k) =>
    `${k.kind}: P* ~ (${k.x})^${fmt(k.exponent)} [${
      k.interval ? k.interval.map(fmt).join(", ") : "—"
    }], ` +
    `paper ${fmt(k.predictedExponent)}; P* = ${k.points.map((p) => fmt(p.pstar)).join(", ")}`
  );
}
