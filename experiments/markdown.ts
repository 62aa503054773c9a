/**
 * The pieces of the Markdown reports that every experiment's section uses: numbers for a table
 * (`fmt`) and tables (`table`).
 *
 * @module
 */

/**
 * A number for a table: 3 significant digits, `—` for `null`/`NaN`, integers as integers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fmt } from "./markdown.ts";
 * assert.ok(fmt(0.123456) === "0.123" && fmt(null) === "—" && fmt(1234.5) === "1235");
 * ```
 */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "—";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "-∞";
  if (Math.abs(x) >= 100) return String(Math.round(x));
  return Number(x.toPrecision(3)).toString();
}

/**
 * A Markdown table of a header and rows of cells.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table } from "./markdown.ts";
 * assert.equal(table(["P", "error"], [["10", "0.5"]]), "| P | error |\n|---|---|\n| 10 | 0.5 |");
 * ```
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}
