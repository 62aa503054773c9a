/**
 * Markdown reports from experiment summaries: a title, a preamble, one section per summary (each
 * experiment's `reportSection`, see `registry.ts`) and the figures.
 *
 * @module
 */
import { type ExperimentSummary, protocolsOf, reportSectionOf } from "./registry.ts";

/**
 * A whole report: a title, one section per experiment summary, and the figures (relative paths).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderReport } from "./report.ts";
 * const md = renderReport([], { title: "empty", figures: ["curve.svg"] });
 * assert.ok(md.startsWith("# empty") && md.includes("![curve.svg](curve.svg)"));
 * ```
 */
export function renderReport(
  summaries: readonly ExperimentSummary[],
  options: { title: string; figures?: readonly string[]; preamble?: readonly string[] },
): string {
  const sections = summaries.map(reportSectionOf);
  const figures = (options.figures ?? []).filter((f) => f.endsWith(".svg") || f.endsWith(".png"));
  const shown = figures.filter((f) =>
    f.endsWith(".png") || !figures.includes(f.replace(/\.svg$/, ".png"))
  );
  return [
    `# ${options.title}`,
    "",
    ...(options.preamble ?? []).flatMap((p) => [p, ""]),
    ...summaries.flatMap((s) => {
      const protocols = protocolsOf(s);
      return protocols.length > 0 ? [`${s.experiment}: ${protocols.join(" || ")}`, ""] : [];
    }),
    ...sections.flatMap((s) => [s, ""]),
    ...(shown.length > 0 ? ["## Figures", "", ...shown.map((f) => `![${f}](${f})`), ""] : []),
  ].join("\n");
}
