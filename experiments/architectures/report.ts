/**
 * The `architectures` experiment's section of `report.md`: the table of test errors and
 * sensitivities per network (with the layer of each site), and the correlations.
 *
 * @module
 */
import type { ArchitecturesSummary, Site } from "./summary.ts";

const num = (x: number, digits = 3): string =>
  Number.isFinite(x)
    ? (Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(digits) : x.toExponential(1))
    : "-";

/**
 * The markdown section (a heading, the protocol line, two tables).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarizeArchitectures } from "./summary.ts";
 * import { architecturesReport } from "./report.ts";
 * const run = (net: string, seed: number, e: number) => ({
 *   net, seed, testError: e, layers: ["h1", "h2"], S: [[e], [e], [e]], D: [[e], [e], [e]],
 * });
 * const s = summarizeArchitectures([run("a", 0, 0.1), run("b", 0, 0.2), run("c", 0, 0.3)], {
 *   resamples: 10,
 * });
 * const md = architecturesReport(s, "protocol");
 * assert.ok(md.includes("| a | 1 | 0.100 |"));
 * assert.ok(md.includes("| D_output | 1.000 |"));
 * ```
 */
export function architecturesReport(summary: ArchitecturesSummary, protocol: string): string {
  const lines: string[] = [
    "## Architectures (the paper's Figure 1)",
    "",
    protocol,
    "",
    "Level-1 sensitivities `D_{k,1}` and `S_{k,1}`, means over seeds; the layer of each site in",
    "brackets (`depth80`: representation `int(0.8 n)` of the `n` hidden ones, 0-based).",
    "",
    "| network | seeds | test error | D output | S output | D depth80 | S depth80 | D last hidden | S last hidden |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const cell = (a: ArchitecturesSummary["architectures"][number], t: "S" | "D", site: Site) =>
    num(a[t][site].mean);
  for (const a of summary.architectures) {
    lines.push(
      `| ${a.net} | ${a.seeds.length} | ${num(a.testError)} | ${cell(a, "D", "output")} | ` +
        `${cell(a, "S", "output")} | ${cell(a, "D", "depth80")} (${a.layers.depth80}) | ` +
        `${cell(a, "S", "depth80")} | ${cell(a, "D", "lastHidden")} (${a.layers.lastHidden}) | ` +
        `${cell(a, "S", "lastHidden")} |`,
    );
  }
  lines.push(
    "",
    "Spearman's rank correlation between the networks' mean test errors and mean sensitivities,",
    "with a bootstrap 95 % interval (each network's seeds resampled):",
    "",
    "| sensitivity | Spearman | 95 % interval | networks |",
    "| --- | ---: | --- | ---: |",
  );
  for (const c of summary.correlation) {
    lines.push(
      `| ${c.measure} | ${num(c.spearman)} | [${num(c.interval[0], 2)}, ${
        num(c.interval[1], 2)
      }] | ` +
        `${c.networks} |`,
    );
  }
  return lines.join("\n") + "\n";
}
