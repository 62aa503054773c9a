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
import { isExperimentName, protocolsOf } from "../registry.ts";
import { runExperiment, versionsLine, writeOutputs } from "../run_experiment.ts";
import { latestById, readResults } from "../store.ts";
import { executePlan } from "../executor.ts";
import { preflight } from "../preflight.ts";
import { shareWork } from "../workers.ts";
import { readPlan } from "../sweep_dir.ts";
import { writeFigure } from "../figures/render.ts";
import type { AnyCommand } from "./options.ts";
import { pendingLine, pendingWork } from "./pending_work.ts";
import { progressBar } from "./progress.ts";
import { usage, UsageError } from "./usage_error.ts";
import { workersOption } from "./workers_option.ts";
export { workersOption };

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

/** Options of `executeWithProgress`. */
export interface ExecuteWithProgressOptions {
  readonly quiet?: boolean;
  readonly retryFailed?: boolean;
  readonly figures?: boolean;
  readonly print?: boolean;
  readonly title?: string;
  /** Processes computing the plan, this one included (default 1); see `workers.ts`. */
  readonly workers?: number;
  /** Resume results of another code version (default false: refuse). */
  readonly allowMixedVersions?: boolean;
  /** Check the backends and the memory before the first run (default true). */
  readonly preflight?: boolean;
}

/**
 * Runs a plan into `out` (the full pipeline) with a progress bar on stderr, then prints the
 * headline and the directory on stdout. Before anything is computed or written, the backends the
 * runs ask for and their memory are checked (`preflight`), and a results file of another code
 * version is refused (unless `allowMixedVersions`). With `workers` > 1, that many processes share
 * the work (this one and `workers - 1` others running the hidden `work` command). Runs that hit a
 * failure of the environment are not recorded: the call then throws after writing the outputs
 * (exit code 1), as it does when every run of the plan failed.
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
  options: ExecuteWithProgressOptions = {},
): Promise<ExperimentSummary[]> {
  const t0 = performance.now();
  const todo = await pendingWork(plan.runs, out, {
    retryFailed: options.retryFailed,
    allowMixedVersions: options.allowMixedVersions,
    preflight: options.preflight === false ? undefined : preflight,
  });
  const protocol = protocolLine(plan.runs);
  if (options.print !== false) console.log(protocol);
  if (options.quiet !== true) {
    console.error(pendingLine(plan.experiment, plan.runs.length, todo.length, out));
  }
  const workers = options.workers ?? 1;
  const helpers = await shareWork(plan, out, {
    workers,
    pending: todo.length,
    retryFailed: options.retryFailed,
    allowMixedVersions: options.allowMixedVersions,
  });
  const progress = progressBar(plan.experiment, { quiet: options.quiet });
  let outputs;
  let execution;
  try {
    ({ outputs, execution } = await runExperiment(plan, out, {
      runner: runPipeline,
      onProgress: progress.onProgress,
      retryFailed: options.retryFailed,
      allowMixedVersions: options.allowMixedVersions,
      figures: options.figures,
      title: options.title ?? `${plan.experiment} (${out})`,
      preamble: [
        `Plan of ${plan.runs.length} runs; this invocation computed ${todo.length} of them` +
        (workers > 1 ? ` with ${workers} processes.` : "."),
        `Plan ${protocol}`,
      ],
    }));
  } catch (e) {
    helpers.stop(); // on success they end by themselves, every run being settled
    throw e;
  } finally {
    progress.stop();
    await helpers.finish();
  }
  if (options.print !== false) {
    for (const line of headline(outputs.summaries)) console.log(line);
    console.log(
      `wrote ${out}/ (${outputs.files.join(", ")}) in ${
        ((performance.now() - t0) / 1000).toFixed(1)
      } s`,
    );
  }
  const environment = execution.environment ?? [];
  if (environment.length > 0) {
    throw new Error(
      `${environment.length} runs could not run here (${environment[0].reason}); they are not ` +
        `recorded and will be computed when the same command is run again`,
    );
  }
  const results = latestById(await readResults(`${out}/results.jsonl`, { onWarning: () => {} }));
  const lines = plan.runs.map((r) => results.get(r.id));
  if (plan.runs.length > 0 && lines.every((l) => l?.status === "failed")) {
    throw new Error(
      `all ${plan.runs.length} runs of the plan failed (first: ${lines[0]?.reason}); see ` +
        `${out}/results.jsonl`,
    );
  }
  return outputs.summaries;
}

/**
 * Declares `--workers` and `--allow-mixed-versions` on a command that runs an experiment.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "@commander-js/extra-typings";
 * import { addSharingOptions } from "./experiments.ts";
 * const c = addSharingOptions(new Command("x"));
 * assert.ok(c.options.some((o) => o.long === "--workers"));
 * ```
 */
export function addSharingOptions<C extends AnyCommand>(c: C): C {
  return c
    .option("--workers <N>", "processes computing the runs on this machine (default 1)")
    .option(
      "--allow-mixed-versions",
      "resume results written by another version of the code",
    ) as unknown as C;
}

function resultsPathOf(target: string): { file: string; dir: string } {
  let isDir = false;
  try {
    isDir = Deno.statSync(target).isDirectory;
  } catch {
    throw new UsageError(`no such results file or directory: ${JSON.stringify(target)}`);
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
 * Registers one command per registered experiment, then `plot`, `report`, and the hidden `work`
 * (a process of `--workers`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "@commander-js/extra-typings";
 * import { registerExperimentCommands } from "./experiments.ts";
 * const program = new Command();
 * registerExperimentCommands(program);
 * assert.ok(program.commands.map((c) => c.name()).join() === "curve,hierarchy,scaling,paper,architectures,plot,report,work");
 * ```
 */
export function registerExperimentCommands(program: Command): void {
  for (const name of Object.keys(EXPERIMENTS)) {
    const entry = experimentOf(name);
    const command = program.command(name).description(entry.options.description);
    const declared: AnyCommand = addSharingOptions(
      entry.options.declare(command as unknown as AnyCommand),
    );
    declared.action(async (opts: Readonly<Record<string, unknown>>) => {
      if (entry.run !== undefined) {
        return await entry.run(opts, { runner: runPipeline, writeFigure, preflight });
      }
      const o = opts as {
        out?: string;
        quiet?: boolean;
        retryFailed?: boolean;
        workers?: string;
        allowMixedVersions?: boolean;
      };
      const plan = planFromCli(name, opts);
      const workers = workersOption(o.workers);
      await executeWithProgress(plan, o.out ?? defaultOut(name), {
        quiet: o.quiet,
        retryFailed: o.retryFailed,
        workers,
        allowMixedVersions: o.allowMixedVersions,
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
      const protocols = summaries.flatMap(protocolsOf);
      for (const line of new Set(protocols)) console.log(line);
      for (const line of headline(summaries)) console.log(line);
      console.log(versionsLine([...latestById(results).values()]));
      console.log(`wrote ${out}/ (${files.join(", ")})`);
    });
  program.command("work", { hidden: true })
    .description("compute a plan's runs into --out, sharing them with the other processes there")
    .requiredOption("--plan <file>", "the plan (JSON)")
    .requiredOption("--out <dir>", "the experiment's directory")
    .option("--retry-failed", "also compute again the runs recorded as failed")
    .option("--allow-mixed-versions", "resume results written by another version of the code")
    .option("--quiet", "(no effect: a worker prints nothing)")
    .action(async (opts) => {
      const plan = await readPlan(opts.plan).catch((e) => {
        throw new UsageError(`--plan ${opts.plan}: ${e instanceof Error ? e.message : e}`);
      });
      await executePlan(plan, {
        resultsFile: `${opts.out}/results.jsonl`,
        runner: runPipeline,
        claims: `${opts.out}/claims`,
        retryFailed: opts.retryFailed === true,
        allowMixedVersions: opts.allowMixedVersions === true,
        onWarning: () => {},
      });
    });
}
