/**
 * Cluster commands: `sweep` (one share of a plan, e.g. one Slurm array task), `slurm` (writes and
 * submits the job array of a sweep: only the runs still pending) and `collect` (merges the task
 * shards and lists what is missing). See docs/cluster.md.
 *
 * A plan comes from `--plan FILE` (a plan as JSON, e.g. a sweep directory's `plan.json`) or from an
 * experiment and its options, as the experiment's own command takes them
 * (`slurm curve --s0 2 --seeds 4 --out DIR`).
 *
 * @module
 */
import { type Command, Option } from "@commander-js/extra-typings";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plan } from "../plan.ts";
import {
  adoptPlan,
  readPlan,
  readSweepResults,
  sweepPaths,
  writeAtomic,
  writePlan,
} from "../sweep_dir.ts";
import { resolveShard } from "../shard.ts";
import { collectSweep, formatCollectReport } from "../collect.ts";
import { pendingRuns } from "../store.ts";
import { baseVersions } from "../executor.ts";
import { checkCodeVersions } from "../code_version.ts";
import { runSweep } from "../sweep.ts";
import { workerRunner } from "../worker_runner.ts";
import { checkSbatchOptions, queuedJobs, sbatchScript, submitSbatch } from "../slurm.ts";
import { EXPERIMENTS } from "../registry.ts";
import { usage, UsageError } from "./usage_error.ts";
import { planFromArgs } from "./experiments.ts";
import { integer } from "./options.ts";
import { progressBar } from "./progress.ts";

/**
 * The default number of array tasks (capped by the runs pending).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_TASKS } from "./cluster_commands.ts";
 * assert.ok(Number.isInteger(DEFAULT_TASKS) && DEFAULT_TASKS >= 1);
 * ```
 */
export const DEFAULT_TASKS = 32;

/**
 * The plan of a cluster command: `--plan FILE`, or the experiment's plan from its options.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolvePlan } from "./cluster_commands.ts";
 * const error = await resolvePlan(undefined, [], undefined).catch((e) => e);
 * assert.ok(error.name === "UsageError");
 * ```
 */
export async function resolvePlan(
  experiment: string | undefined,
  args: readonly string[],
  planFile: string | undefined,
): Promise<Plan> {
  if (planFile !== undefined) {
    if (experiment !== undefined) {
      throw new UsageError(`give either --plan or an experiment, not both (got "${experiment}")`);
    }
    try {
      return await readPlan(planFile);
    } catch (e) {
      // Whatever stops the file from being read as a plan is the user's to fix.
      throw new UsageError(`--plan ${planFile}: ${(e as Error).message}`);
    }
  }
  if (experiment === undefined) {
    throw new UsageError(
      `name an experiment (${Object.keys(EXPERIMENTS).join(", ")}) or give --plan FILE`,
    );
  }
  return await planFromArgs(experiment, args);
}

function requireOut(out: string | undefined): string {
  if (out === undefined || out === "") {
    throw new UsageError("--out DIR is required (the sweep directory: plan, shards, results)");
  }
  return resolve(out);
}

/** The options that `sweep` and `slurm` share: where the plan comes from and goes to. */
function addPlanOptions<C extends Command<[string | undefined, string[]]>>(command: C) {
  return command
    .option("--plan <file>", "a plan as JSON (instead of an experiment and its options)")
    .option("--out <dir>", "the sweep directory (plan.json, shards/, results.jsonl, logs/)")
    .option("--retry-failed", "also compute again the runs that failed by themselves")
    .option("--allow-mixed-versions", "resume results written by another version of the code");
}

/**
 * Registers `sweep`, `slurm` and `collect` on the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "@commander-js/extra-typings";
 * import { registerClusterCommands } from "./cluster_commands.ts";
 * const program = new Command();
 * registerClusterCommands(program);
 * assert.ok(["sweep", "slurm", "collect"].every((n) => program.commands.some((c) => c.name() === n)));
 * ```
 */
export function registerClusterCommands(program: Command): void {
  addPlanOptions(
    program.command("sweep")
      .description(
        "compute one share of a plan (--shard i/n, or the Slurm array task's) into its own shard",
      )
      .argument("[experiment]", "curve, scaling or hierarchy (or use --plan)")
      .argument("[options...]", "the experiment's options, as its own command takes them")
      .allowUnknownOption()
      .allowExcessArguments(),
  )
    .option("--shard <i/n>", "run share i of n (0 <= i < n); default: SLURM_ARRAY_TASK_ID's")
    .option("--quiet", "no progress bar on stderr")
    .action(async (experiment, args, opts) => {
      const out = requireOut(opts.out);
      const env = Deno.env.toObject();
      const shard = usage(() => resolveShard(opts.shard, env));
      const plan = await resolvePlan(experiment, args, opts.plan);
      const label = shard === undefined ? "sweep" : `shard ${shard.index}/${shard.count}`;
      const bar = progressBar(label, { quiet: opts.quiet });
      // Runs train in a worker, so that a SIGTERM is handled (and the run recorded) at once.
      const worker = workerRunner();
      try {
        const summary = await usage(() =>
          runSweep(plan, {
            dir: out,
            shard,
            // The array's job id names the file only when the share is the array task's own.
            job: opts.shard === undefined ? env.SLURM_ARRAY_JOB_ID : undefined,
            retryFailed: opts.retryFailed === true,
            allowMixedVersions: opts.allowMixedVersions === true,
            runner: worker.runner,
            onProgress: bar.onProgress,
          })
        );
        bar.stop();
        console.log(
          `${label}: ${summary.planned} runs, ${summary.settled} already done, ` +
            `${summary.ok} ok, ${summary.failed} failed now -> ${summary.resultsFile}`,
        );
      } finally {
        bar.stop();
        worker.close();
      }
    });

  addPlanOptions(
    program.command("slurm")
      .description(
        "write the sbatch script of a job array computing the runs of a sweep still pending " +
          "(and submit it with --submit)",
      )
      .argument("[experiment]", "curve, scaling or hierarchy (or use --plan)")
      .argument("[options...]", "the experiment's options, as its own command takes them")
      .allowUnknownOption()
      .allowExcessArguments(),
  )
    .option(
      "--tasks <n>",
      `array tasks (default: ${DEFAULT_TASKS}, at most one per pending run)`,
      integer(1),
    )
    .option("--partition <p>", "Slurm partition")
    .option("--time <t>", "time limit per task (sbatch --time: 30, 1:00:00, 1-00:00:00)")
    .option("--gpus <g>", "GPUs per task (a count or type:count)")
    .option("--cpus-per-task <c>", "CPUs per task (default 1)", integer(1))
    .option("--max-parallel <k>", "at most k tasks at once", integer(1))
    .option("--submit", "submit the script with sbatch")
    .addOption(new Option("--json", "print what was done as one JSON object"))
    .action(async (experiment, args, opts) => {
      const out = requireOut(opts.out);
      const job = {
        jobName: "srhm",
        tasks: opts.tasks ?? DEFAULT_TASKS,
        dir: out,
        planFile: `${out}/submit-0/plan.json`,
        deno: Deno.execPath(),
        main: cliEntry(),
        workdir: Deno.cwd(),
        partition: opts.partition,
        time: opts.time,
        gpus: opts.gpus,
        cpusPerTask: opts.cpusPerTask,
        maxParallel: opts.maxParallel,
        sweepArgs: [
          ...(opts.retryFailed ? ["--retry-failed"] : []),
          ...(opts.allowMixedVersions ? ["--allow-mixed-versions"] : []),
        ],
      };
      usage(() => checkSbatchOptions(job)); // before anything is written
      const plan = await resolvePlan(experiment, args, opts.plan);
      const whole = await usage(() => adoptPlan(out, plan));
      const read = await readSweepResults(out);
      read.warnings.forEach((w) => console.error(`warning: ${w}`));
      const pending = pendingRuns(whole.runs, read.results, {
        retryFailed: opts.retryFailed === true,
      });
      const report = (fields: Record<string, unknown>, text: string) =>
        console.log(opts.json ? JSON.stringify(fields) : text);
      if (pending.length === 0) {
        report(
          { dir: out, planned: whole.runs.length, pending: 0, submitted: false },
          `${out}: all ${whole.runs.length} runs of the plan are done; nothing to submit ` +
            `(merge them with: collect ${out})`,
        );
        return;
      }
      // the tasks would refuse to resume results of another code version: refuse now
      checkCodeVersions(read.results, baseVersions(), {
        where: out,
        allowMixed: opts.allowMixedVersions === true,
      });
      if (opts.submit) {
        // Runs that an earlier array of this sweep is computing now would be submitted twice.
        const active = await queuedJobs(await submittedJobs(out));
        if (active.length > 0) {
          throw new UsageError(
            `job ${active.join(", ")} of this sweep is still queued or running: wait for it ` +
              `(squeue -j ${active.join(",")}) or cancel it (scancel ${active.join(" ")}), ` +
              "then submit again",
          );
        }
      }
      const tasks = Math.min(opts.tasks ?? DEFAULT_TASKS, pending.length);
      const k = await nextSubmission(out);
      const submitDir = `${out}/submit-${k}`;
      const planFile = `${submitDir}/plan.json`;
      const scriptFile = `${submitDir}/job.sh`;
      const script = usage(() =>
        sbatchScript({
          ...job,
          jobName: `srhm-${whole.experiment}`.replace(/[^A-Za-z0-9_.-]/g, "_"),
          tasks,
          planFile,
        })
      );
      await writePlan(planFile, { ...whole, runs: pending });
      await writeAtomic(scriptFile, script);
      await Deno.chmod(scriptFile, 0o755);
      await Deno.mkdir(sweepPaths(out).logs, { recursive: true });
      const fields = {
        dir: out,
        script: scriptFile,
        plan: planFile,
        planned: whole.runs.length,
        pending: pending.length,
        tasks,
      };
      if (!opts.submit) {
        report(
          { ...fields, submitted: false },
          `wrote ${scriptFile}: ${tasks} tasks for ${pending.length} pending runs of ` +
            `${whole.runs.length}; submit it with: sbatch ${scriptFile}`,
        );
        return;
      }
      const jobId = await submitSbatch(scriptFile);
      await Deno.writeTextFile(`${submitDir}/job`, `${jobId}\n`);
      report(
        { ...fields, submitted: true, job: jobId },
        `submitted job ${jobId}: ${tasks} tasks for ${pending.length} pending runs of ` +
          `${whole.runs.length} (${scriptFile}); then: collect ${out}`,
      );
    });

  program.command("collect")
    .description(
      "merge a sweep's shards into DIR/results.jsonl, report truncated lines and the runs missing",
    )
    .argument("<dir>", "the sweep directory")
    .option("--retry-failed", "count the runs that failed by themselves as missing too")
    .option("--no-write", "report only; do not write results.jsonl")
    .option("--json", "print the report as one JSON object")
    .action(async (dir, opts) => {
      const report = await usage(
        () => collectSweep(dir, { write: opts.write, retryFailed: opts.retryFailed === true }),
        `collect ${dir}: `,
      );
      if (!opts.json) {
        console.log(formatCollectReport(report));
        return;
      }
      console.log(JSON.stringify({
        dir: report.dir,
        resultsFile: report.written ? report.resultsFile : null,
        planned: report.planned ?? null,
        ok: report.ok,
        failed: report.failed.map((r) => ({ id: r.id, reason: r.reason ?? null })),
        missing: report.missing.map((r) => r.id),
        killed: report.killed.map((r) => r.id),
        warnings: report.warnings,
        files: report.files,
        lines: report.lines,
        extra: report.extra,
      }));
    });
}

/** The job ids of a sweep directory's earlier submissions (`submit-<k>/job`). */
async function submittedJobs(dir: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (!/^submit-\d+$/.test(e.name)) continue;
    const id = (await Deno.readTextFile(`${dir}/${e.name}/job`).catch(() => "")).trim();
    if (/^\d+$/.test(id)) ids.push(id);
  }
  return ids;
}

/** The next free submission number of a sweep directory (`submit-<k>`). */
async function nextSubmission(dir: string): Promise<number> {
  let k = 0;
  try {
    for await (const e of Deno.readDir(dir)) {
      const m = /^submit-(\d+)$/.exec(e.name);
      if (m) k = Math.max(k, Number(m[1]));
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return k + 1;
}

/** The CLI's entry point as `deno run` takes it (a path for a local checkout, else the URL). */
function cliEntry(): string {
  const url = new URL("./main.ts", import.meta.url);
  const path = url.protocol === "file:" ? fileURLToPath(url) : url.href;
  return url.protocol === "file:" && !isAbsolute(path) ? resolve(path) : path;
}
