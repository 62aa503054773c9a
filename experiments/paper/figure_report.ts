/**
 * The Markdown report of a paper figure: the paper's claim, the commands that trained it, the fits
 * beside the paper's values, one row per learning curve, the points the scale leaves out of the
 * paper's grid, the notes and the charts. Pure.
 *
 * @module
 */
import { fmt } from "../markdown.ts";
import type { FigureSummary } from "./figure_summary.ts";
import { architecturesReport } from "../architectures/report.ts";

const table = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");

const curvesTable = (rows: readonly (readonly string[])[]): string =>
  table(
    [
      "net",
      "s",
      "L",
      "s0",
      "v",
      "m",
      "nc",
      "sparsity",
      "predictor",
      "law",
      "P*",
      "P*/law",
      "P*_S",
      "P*_D",
      "Pmax",
    ],
    rows,
  );

const yesNo = (b: boolean | null) => b === null ? "—" : b ? "yes" : "no";

/** What the report says besides the summary. */
export interface FigureReportContext {
  /** The scale it ran at. */
  readonly scale: string;
  /** The commands that train its runs (`commandLine` of each invocation). */
  readonly commands: readonly string[];
  /** The points of the paper's grid left out at this scale. */
  readonly dropped: readonly string[];
  /** Lines after the title (the command of the figure, the time taken, the runs). */
  readonly preamble?: readonly string[];
  /** Chart files (relative), PNG shown when both PNG and SVG exist. */
  readonly figures?: readonly string[];
}

/**
 * The fits as a Markdown table: quantity, measured value, 95 % interval, the paper's value, points,
 * whether the paper's value lies in the interval, whether the value is within a factor 2.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitsTable } from "./figure_report.ts";
 * const md = fitsTable([{ name: "C1 (s = 2)", value: 2.3, interval: [2, 2.6], paper: 2.5, n: 4,
 *   inside: true, withinFactor2: true }]);
 * assert.ok(md.includes("| C1 (s = 2) | 2.3 | [2, 2.6] | 2.5 | 4 | yes | yes |"));
 * ```
 */
export function fitsTable(fits: FigureSummary["fits"]): string {
  return table(
    ["quantity", "measured", "95 % interval", "paper", "n", "paper in interval", "within 2x"],
    fits.map((f) => [
      f.name,
      fmt(f.value),
      f.interval === null ? "—" : `[${fmt(f.interval[0])}, ${fmt(f.interval[1])}]`,
      fmt(f.paper),
      String(f.n),
      yesNo(f.inside),
      yesNo(f.withinFactor2),
    ]),
  );
}

/**
 * The whole report of a figure.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figureById } from "./catalogue.ts";
 * import { summarizeFigure } from "./figure_summary.ts";
 * import { figureReport } from "./figure_report.ts";
 * const md = figureReport(summarizeFigure(figureById("4c"), []), {
 *   scale: "small", commands: ["deno task experiment scaling ..."], dropped: ["s=2 L=2 s0=6 v=8"],
 *   figures: ["pstar_law.svg", "pstar_law.png"] });
 * assert.ok(md.startsWith("# Figure 4c: CNN"));
 * assert.ok(md.includes("s=2 L=2 s0=6 v=8") && md.includes("![pstar_law.png](pstar_law.png)"));
 * ```
 */
export function figureReport(summary: FigureSummary, context: FigureReportContext): string {
  const rows = summary.points.map((p) => [
    p.net.toUpperCase(),
    String(p.params.s),
    String(p.params.L),
    String(p.params.s0),
    String(p.params.v),
    String(p.params.m),
    String(p.params.nc),
    p.params.sparsity,
    fmt(p.predictor),
    fmt(p.law),
    fmt(p.pstar),
    fmt(p.ratio),
    fmt(p.pstarS),
    fmt(p.pstarD),
    fmt(p.pmax),
  ]);
  const figures = context.figures ?? [];
  const shown = figures.filter((f) =>
    f.endsWith(".png") || (f.endsWith(".svg") && !figures.includes(f.replace(/\.svg$/, ".png")))
  );
  return [
    `# Figure ${summary.figure}: ${summary.title}`,
    "",
    ...(context.preamble ?? []).flatMap((l) => [l, ""]),
    `The paper: ${summary.claim}.${summary.note ? ` ${summary.note}.` : ""}`,
    "",
    `Scale \`${context.scale}\`. The runs are those of:`,
    "",
    "```sh",
    ...context.commands,
    "```",
    "",
    "## Fits beside the paper",
    "",
    summary.fits.length > 0 ? fitsTable(summary.fits) : "No fit (no results yet).",
    "",
    ...(summary.architectures !== undefined
      ? [architecturesReport(summary.architectures, summary.architectures.protocol), ""]
      : ["## Learning curves", "", curvesTable(rows), ""]),
    ...(context.dropped.length > 0
      ? [
        `Left out of the paper's grid at this scale (${context.dropped.length}): ` +
        context.dropped.join("; ") + ".",
        "",
      ]
      : []),
    ...(summary.notes.length > 0
      ? ["## Notes", "", ...summary.notes.map((n) => `- ${n}`), ""]
      : []),
    ...(shown.length > 0 ? ["## Figures", "", ...shown.map((f) => `![${f}](${f})`), ""] : []),
  ].join("\n");
}
