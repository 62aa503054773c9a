/**
 * CLI command `export`: results as a table for pandas (`exportResults`).
 *
 *     deno task experiment export <results> [--format csv|parquet] [--out FILE]
 *
 * `<results>` is a sweep directory (its `results.jsonl` and `shards/*.jsonl`) or one results
 * file; the table has one row per run and one column per flattened field (`experiments/export.ts`).
 *
 * @module
 */
import type { Command } from "@commander-js/extra-typings";
import { exportResults } from "../export.ts";
import { usage, UsageError } from "./usage_error.ts";

/**
 * Registers `export` on the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "@commander-js/extra-typings";
 * import { registerExportCommand } from "./export.ts";
 * const program = new Command();
 * registerExportCommand(program);
 * assert.ok(program.commands.map((c) => c.name()).join() === "export");
 * ```
 */
export function registerExportCommand(program: Command): void {
  program.command("export")
    .description("results as a table, one row per run: CSV or Parquet (for pandas)")
    .argument("<results>", "a sweep directory or a results.jsonl file")
    .option("--format <format>", "csv (default) or parquet")
    .option("--out <file>", "where to write (default: results.csv|parquet beside the results)")
    .action(async (target, opts) => {
      const format = opts.format ?? "csv";
      if (format !== "csv" && format !== "parquet") {
        throw new UsageError(`--format must be csv or parquet (got ${JSON.stringify(format)})`);
      }
      try {
        await Deno.stat(target);
      } catch {
        throw new UsageError(`no such results file or directory: ${target}`);
      }
      const report = await usage(() => exportResults(target, format, opts.out));
      for (const w of report.warnings) console.error(`warning: ${w}`);
      console.log(`wrote ${report.out} (${report.rows} runs, ${report.columns} columns)`);
    });
}
