/**
 * CLI commands of the experiments, one per entry of the registry (`../registry.ts`), and `plot`
 * and `report`:
 *
 *     deno task experiment curve     <params> <network/training> [--P list] [--seeds N] [--scale small|paper] [--out DIR]
 *     deno task experiment hierarchy <params> <network/training> [--P list] [--seeds N] [--scale small|paper] [--out DIR]
 *     deno task experiment scaling   <params> <network/training> [--vary s0|v|L] [--values list] [--nets cnn,lcn] ...
 *     deno task experiment plot   <results.jsonl | DIR> [--out DIR]
 *     deno task experiment report <results.jsonl | DIR> [--out DIR] [--no-figures]
 *
 * Each experiment declares its own options (`options.ts` in its folder); the protocol defaults
 * to the authors' (issue 9, `protocol.ts`), and stdout and the report state it in one line. Each writes into `--out
 * DIR` (default `results/<experiment>-<UTC timestamp>/`) `results.jsonl`, `summary.json`, figures
 * (`*.svg`, `*.png`) and `report.md`; running it again on the same DIR resumes (runs already in
 * `results.jsonl` are skipped). The progress bar goes to stderr; stdout gets a few lines of
 * results and the output directory.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { protocolLine } from "../protocol_line.ts";
import { dirname } from "node:path";
import type { Plan } from "../plan.ts";
import { runPipeline } from "../pipeline.ts";
import { experimentOf, EXPERIMENTS, type ExperimentSummary, headline } from "../registry.ts";
import { isExperimentName } from "../registry.ts";
import { runExperiment, writeOutputs } from "../run_experiment.ts";
import { pendingRuns, readResults } from "../store.ts";
import type { AnyCommand } from "./options.ts";
import { progressBar } from "./progress.ts";
import { usage, UsageError } from "./usage_error.ts";

function checkName(experiment: string): void {
  if (!isExperimentName(experiment)) {
    throw new UsageError(
      `experiment must be one of ${Object.keys(EXPERIMENTS).join(", ")} (got ${
        JSON.stringify(experiment)
      })`,
    );
  }
}

/**
 * The plan of an experiment from the options that commander parsed for its command (a bad value
 * throws a `UsageError`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planFromCli, experimentCommand } from "./experiments.ts";
 * const c = experimentCommand("curve").parse(["--P", "100,200", "--seeds", "2"], { from: "user" });
 * assert.ok(planFromCli("curve", c.opts()).runs.length === 4);
 * ```
 */
export function planFromCli(experiment: string, parsed: Readonly<Record<string, unknown>>): Plan {
  checkName(experiment);
  const entry = experimentOf(experiment);
  return usage(() => entry.plan(entry.options.fromCli(parsed)));
}

/**
 * An experiment's command, its options declared (without an action).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { experimentCommand } from "./experiments.ts";
 * assert.ok(experimentCommand("scaling").options.some((o) => o.long === "--vary"));
 * ```
 */
export function experimentCommand(experiment: string): AnyCommand {
  checkName(experiment);
  const entry = experimentOf(experiment);
  return entry.options.declare(
    new Command(experiment).description(entry.options.description),
  );
}

/**
 * The plan of an experiment from its raw arguments (as typed after the experiment's name), for
 * the cluster commands (`sweep curve --s0 2 ...`) and the default experiment.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planFromArgs } from "./experiments.ts";
 * const plan = await planFromArgs("curve", ["--P", "100,200", "--seeds", "3"]);
 * assert.ok(plan.runs.length === 6);
 * ```
 */
export function planFromArgs(experiment: string, args: readonly string[]): Promise<Plan> {
  try {
    return Promise.resolve(planFromArgsNow(experiment, args));
  } catch (e) {
    return Promise.reject(e);
  }
}

/**
 * `planFromArgs`, synchronously.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planFromArgsNow } from "./experiments.ts";
 * assert.ok(planFromArgsNow("curve", ["--P", "100"]).runs.length === 1);
 * ```
 */
export function planFromArgsNow(experiment: string, args: readonly string[]): Plan {
  const command = experimentCommand(experiment).exitOverride().configureOutput({
    writeErr: () => {},
    writeOut: () => {},
  });
  try {
    command.parse([...args], { from: "user" });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message.replace(/^error: /, "") : String(e));
  }
  return planFromCli(experiment, command.opts());
}

/**
 * The default output directory: `results/<experiment>-<UTC timestamp>`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultOut } from "./experiments.ts";
 * assert.ok(defaultOut("curve", new Date(Date.UTC(2026, 0, 2, 3, 4, 5))) === "results/curve-20260102-030405");
 * ```
 */
export function defaultOut(experiment: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, "").replace(/[-:]/g, "").replace("T", "-");
  return `results/${experiment}-${stamp}`;
}

/**
 * Runs a plan into `out` (the full pipeline) with a progress bar on stderr, then prints the
 * headline and the directory on stdout.
 *
 * @example
 * ```ts
 * import { executeWithProgress } from "./experiments.ts";
 * import { makePlan } from "../plan.ts";
 * const dir = await Deno.makeTempDir();
 * await executeWithProgress(makePlan("curve", {}, []), dir, { quiet: true, figures: false, print: false });
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function executeWithProgress(
  plan: Plan,
  out: string,
  options: {
    quiet?: boolean;
    retryFailed?: boolean;
    figures?: boolean;
    print?: boolean;
    title?: string;
  } = {},
): Promise<ExperimentSummary[]> {
  const t0 = performance.now();
  const before = await readResults(`${out}/results.jsonl`, { onWarning: () => {} });
  const todo = pendingRuns(plan.runs, before, { retryFailed: options.retryFailed });
  const protocol = protocolLine(plan.runs);
  if (options.print !== false) console.log(protocol);
  if (options.quiet !== true) {
    console.error(
      `${plan.experiment}: ${plan.runs.length} runs, ${
        plan.runs.length - todo.length
      } already in ${out}/results.jsonl`,
    );
  }
  const progress = progressBar(plan.experiment, { quiet: options.quiet });
  let outputs;
  try {
    ({ outputs } = await runExperiment(plan, out, {
      runner: runPipeline,
      onProgress: progress.onProgress,
      retryFailed: options.retryFailed,
      figures: options.figures,
      title: options.title ?? `${plan.experiment} (${out})`,
      preamble: [
        `Plan of ${plan.runs.length} runs; this invocation computed ${todo.length} of them.`,
        `Plan ${protocol}`,
      ],
    }));
  } finally {
    progress.stop();
  }
  if (options.print !== false) {
    for (const line of headline(outputs.summaries)) console.log(line);
    console.log(
      `wrote ${out}/ (${outputs.files.join(", ")}) in ${
        ((performance.now() - t0) / 1000).toFixed(1)
      } s`,
    );
  }
  return outputs.summaries;
}

function resultsPathOf(target: string): { file: string; dir: string } {
  let isDir = false;
  try {
    isDir = Deno.statSync(target).isDirectory;
  } catch {
    throw new UsageError(`no such results file or directory: ${target}`);
  }
  if (isDir) return { file: `${target}/results.jsonl`, dir: target };
  return { file: target, dir: dirname(target) };
}

/** The figure files (`*.svg`, `*.png`) in a directory, sorted; none if it does not exist. */
function figureFilesIn(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => /\.(svg|png)$/.test(n))
      .sort();
  } catch {
    return [];
  }
}

/**
 * Registers one command per registered experiment, then `plot` and `report`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "@commander-js/extra-typings";
 * import { registerExperimentCommands } from "./experiments.ts";
 * const program = new Command();
 * registerExperimentCommands(program);
 * assert.ok(program.commands.map((c) => c.name()).join() === "curve,hierarchy,scaling,plot,report");
 * ```
 */
export function registerExperimentCommands(program: Command): void {
  for (const name of Object.keys(EXPERIMENTS)) {
    const entry = experimentOf(name);
    const command = program.command(name).description(entry.options.description);
    const declared: AnyCommand = entry.options.declare(command as unknown as AnyCommand);
    declared.action(async (opts: Readonly<Record<string, unknown>>) => {
      const o = opts as { out?: string; quiet?: boolean; retryFailed?: boolean };
      const plan = planFromCli(name, opts);
      await executeWithProgress(plan, o.out ?? defaultOut(name), {
        quiet: o.quiet,
        retryFailed: o.retryFailed,
      });
    });
  }
  program.command("plot")
    .description("figures (SVG, PNG) from a results file or directory")
    .argument("<results>", "results.jsonl or the directory holding it")
    .option("--out <dir>", "where to write (default: beside the results)")
    .action(async (target, opts) => {
      const { file, dir } = resultsPathOf(target);
      const out = opts.out ?? dir;
      const results = await readResults(file);
      if (results.length === 0) throw new UsageError(`no results in ${file}`);
      const { files } = await writeOutputs(results, out, { report: false });
      console.log(`wrote ${out}/ (${files.filter((f) => f !== "summary.json").join(", ")})`);
    });
  program.command("report")
    .description("summary.json and report.md (with the figures found beside it) from results")
    .argument("<results>", "results.jsonl or the directory holding it")
    .option("--out <dir>", "where to write (default: beside the results)")
    .option("--no-figures", "do not draw the figures again")
    .action(async (target, opts) => {
      const { file, dir } = resultsPathOf(target);
      const out = opts.out ?? dir;
      const results = await readResults(file);
      if (results.length === 0) throw new UsageError(`no results in ${file}`);
      const existing = opts.figures === false ? figureFilesIn(out) : undefined;
      const { summaries, files } = await writeOutputs(results, out, {
        figures: opts.figures,
        existingFigures: existing,
      });
      const protocols = summaries.flatMap((s) =>
        s.type === "scaling" ? s.kinds.map((k) => k.protocol) : s.curves.map((c) => c.protocol)
      );
      for (const line of new Set(protocols)) console.log(line);
      for (const line of headline(summaries)) console.log(line);
      console.log(`wrote ${out}/ (${files.join(", ")})`);
    });
}
