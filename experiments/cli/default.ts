/**
 * CLI command `default` (what `deno task experiment` runs without arguments, for now): draws a
 * small default SRHM grammar (`L = 2, s = 2, s0 = 1, v = m = nc = 4`, sparsity A, seed 0) and
 * prints a summary of the grammar and of 1000 distinct data drawn from it, checking that every
 * datum decodes back to its class.
 *
 * @module
 */
import type { Command } from "@commander-js/extra-typings";
import {
  datumTokens,
  makeDecoder,
  makeGrammar,
  makeParams,
  sample,
  type SrhmParams,
} from "@srhm/generators";

/** The default model's parameters. */
export const DEFAULT_PARAMS: SrhmParams = makeParams({ L: 2, s: 2, s0: 1, v: 4, sparsity: "A" });

/**
 * The summary's lines for `params` and `count` data (sample seed 0).
 *
 * @example
 * ```ts
 * import { DEFAULT_PARAMS, defaultSummary } from "./default.ts";
 * const lines = defaultSummary(DEFAULT_PARAMS, 100);
 * console.assert(lines.some((l) => l.includes("Pmax = 16384")));
 * ```
 */
export function defaultSummary(params: SrhmParams, count: number): string[] {
  const g = makeGrammar(params);
  const { L, s, s0, v, m, nc, sparsity, seed } = g.params;
  const lines = [
    `SRHM grammar: L = ${L}, s = ${s}, s0 = ${s0}, v = ${v}, m = ${m}, nc = ${nc}, ` +
    `sparsity ${sparsity}, seed ${seed}`,
    `  patch S = ${g.S}, input length d = ${g.d}, informative positions s^L = ${s ** L}, ` +
    `Pmax = ${g.pmax}`,
  ];
  g.rules.forEach((level, i) => {
    const first = level[0].map((t) => `(${t.join(" ")})`).join(" ");
    lines.push(
      `  level ${i + 1}: ${level.length} parents x ${m} productions; parent 0 -> ${first}`,
    );
  });
  const ds = sample(g, { count, seed: 0 });
  const perClass = new Array<number>(nc).fill(0);
  ds.labels.forEach((c) => perClass[c]++);
  const decode = makeDecoder(g);
  let decoded = 0;
  for (let i = 0; i < ds.count; i++) if (decode(datumTokens(ds, i)) === ds.labels[i]) decoded++;
  const show = (i: number) =>
    datumTokens(ds, i).map((x) => (x < 0 ? "." : String(x))).join("") + ` -> class ${ds.labels[i]}`;
  lines.push(
    `data: ${ds.count} distinct samples (sample seed 0); per class: ${perClass.join(", ")}`,
    `  decoded back to their class: ${decoded} / ${ds.count}`,
    `  examples ("." = empty): ${show(0)}; ${show(1)}`,
  );
  return lines;
}

/**
 * Registers the `default` command.
 *
 * @example
 * ```ts
 * import { Command } from "@commander-js/extra-typings";
 * import { registerDefaultCommand } from "./default.ts";
 * const program = new Command();
 * registerDefaultCommand(program);
 * console.assert(program.commands[0].name() === "default");
 * ```
 */
export function registerDefaultCommand(program: Command): void {
  program
    .command("default")
    .description("the default run: a small SRHM grammar and a summary of its data")
    .action(() => {
      console.log(defaultSummary(DEFAULT_PARAMS, 1000).join("\n"));
    });
}
