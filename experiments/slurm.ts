/**
 * Slurm job arrays for sweeps: the `sbatch` script of an array whose task i runs
 * `srhm sweep --plan <plan> --out <dir>` (the share i of n comes from `SLURM_ARRAY_TASK_ID`), each
 * task appending to its own results shard, and the submission itself (`sbatch --parsable`).
 *
 * @module
 */

/** What the `sbatch` script needs. Paths should be absolute (the job may start elsewhere). */
export interface SbatchOptions {
  /** The job's name (`squeue` shows it). */
  readonly jobName: string;
  /** Array tasks: `--array=0-(tasks-1)`. */
  readonly tasks: number;
  /** The sweep directory (results shards, logs). */
  readonly dir: string;
  /** The plan file the tasks share. */
  readonly planFile: string;
  /** The Deno executable, and the CLI's entry (`experiments/cli/main.ts` or a URL). */
  readonly deno: string;
  /** The CLI's entry point (`experiments/cli/main.ts` or its URL). */
  readonly main: string;
  /** Working directory of the tasks (where `deno.json` is found). */
  readonly workdir: string;
  /** Slurm partition. */
  readonly partition?: string;
  /** Time limit per task, in a format `sbatch --time` accepts (`30`, `1:00:00`, `2-00:00:00`). */
  readonly time?: string;
  /** GPUs per task (`--gpus-per-task`): a count or `type:count`. */
  readonly gpus?: string;
  /** CPUs per task (default 1). */
  readonly cpusPerTask?: number;
  /** At most this many tasks at once (`--array=0-(n-1)%max`). */
  readonly maxParallel?: number;
  /** Extra arguments of `sweep` (e.g. `--retry-failed`). */
  readonly sweepArgs?: readonly string[];
}

/**
 * Bad options for a job script; the message names the option and what it accepts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSbatchOptions, SlurmOptionError } from "./slurm.ts";
 * let error: unknown;
 * try {
 *   checkSbatchOptions({ jobName: "x", tasks: 2, dir: "/d", planFile: "/p", deno: "deno", main: "m", workdir: "/", time: "soon" });
 * } catch (e) { error = e; }
 * assert.ok(error instanceof SlurmOptionError);
 * ```
 */
export class SlurmOptionError extends Error {
  /** The error's name. */
  override name = "SlurmOptionError";
}

/**
 * Quotes a word for a POSIX shell (single quotes; a `'` becomes `'\''`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shellQuote } from "./slurm.ts";
 * assert.ok(shellQuote("a b") === "'a b'" && shellQuote("it's") === "'it'\\''s'");
 * ```
 */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

const TIME = /^(\d+-\d{1,2}(:\d{1,2}){0,2}|\d+(:\d{1,2}){0,2})$/;
const PARTITION = /^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/;
const GPUS = /^([A-Za-z0-9_.-]+:)?[1-9]\d*$/;
const JOB_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Checks the options of a job script; throws a `SlurmOptionError` naming the first bad one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSbatchOptions } from "./slurm.ts";
 * let message = "";
 * try {
 *   checkSbatchOptions({ jobName: "x", tasks: 0, dir: "/d", planFile: "/d/p.json", deno: "deno", main: "m.ts", workdir: "/" });
 * } catch (e) { message = (e as Error).message; }
 * assert.ok(message.includes("--tasks"));
 * ```
 */
export function checkSbatchOptions(o: SbatchOptions): SbatchOptions {
  const fail = (message: string): never => {
    throw new SlurmOptionError(message);
  };
  if (!Number.isSafeInteger(o.tasks) || o.tasks < 1) {
    fail(`--tasks must be an integer >= 1 (got ${o.tasks})`);
  }
  if (!JOB_NAME.test(o.jobName)) fail(`job name must match ${JOB_NAME} (got "${o.jobName}")`);
  if (o.partition !== undefined && !PARTITION.test(o.partition)) {
    fail(`--partition must be a partition name or a comma-separated list (got "${o.partition}")`);
  }
  if (o.time !== undefined && !TIME.test(o.time)) {
    fail(
      `--time must be minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (got "${o.time}")`,
    );
  }
  if (o.gpus !== undefined && !GPUS.test(o.gpus)) {
    fail(`--gpus must be a count >= 1 or type:count (got "${o.gpus}")`);
  }
  if (o.cpusPerTask !== undefined && (!Number.isSafeInteger(o.cpusPerTask) || o.cpusPerTask < 1)) {
    fail(`--cpus-per-task must be an integer >= 1 (got ${o.cpusPerTask})`);
  }
  if (o.maxParallel !== undefined && (!Number.isSafeInteger(o.maxParallel) || o.maxParallel < 1)) {
    fail(`--max-parallel must be an integer >= 1 (got ${o.maxParallel})`);
  }
  return o;
}

/**
 * The `sbatch` script of the array: one task per share, output in `<dir>/logs/<job>-<task>.out`,
 * each task `exec`-ing the sweep so that Slurm's signals reach it directly.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sbatchScript } from "./slurm.ts";
 * const script = sbatchScript({ jobName: "srhm-curve", tasks: 4, dir: "/r/c", planFile: "/r/c/plan.json",
 *   deno: "/usr/bin/deno", main: "/src/experiments/cli/main.ts", workdir: "/src", time: "1:00:00" });
 * assert.ok(script.includes("#SBATCH --array=0-3") && script.includes("#SBATCH --time=1:00:00"));
 * ```
 */
export function sbatchScript(options: SbatchOptions): string {
  const o = checkSbatchOptions(options);
  const array = `0-${o.tasks - 1}${o.maxParallel === undefined ? "" : `%${o.maxParallel}`}`;
  const directives = [
    `--job-name=${o.jobName}`,
    `--array=${array}`,
    `--output=${o.dir}/logs/%A-%a.out`,
    `--chdir=${o.workdir}`,
    "--ntasks=1",
    `--cpus-per-task=${o.cpusPerTask ?? 1}`,
    ...(o.partition === undefined ? [] : [`--partition=${o.partition}`]),
    ...(o.time === undefined ? [] : [`--time=${o.time}`]),
    ...(o.gpus === undefined ? [] : [`--gpus-per-task=${o.gpus}`]),
  ];
  const sweep = [
    o.deno,
    "run",
    "-A",
    o.main,
    "sweep",
    "--plan",
    o.planFile,
    "--out",
    o.dir,
    ...(o.sweepArgs ?? []),
  ];
  return [
    "#!/bin/bash",
    ...directives.map((d) => `#SBATCH ${shellQuoteDirective(d)}`),
    "#",
    "# Written by `srhm slurm`: task i of the array computes the runs of the plan whose position is",
    "# i mod n (SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT) that no earlier task recorded, into",
    "# <dir>/shards/<array job>-task-<i>.jsonl. Merge with: srhm collect <dir>",
    "set -eu",
    `mkdir -p ${shellQuote(`${o.dir}/shards`)}`,
    `exec ${sweep.map(shellQuote).join(" ")}`,
    "",
  ].join("\n");
}

/** `#SBATCH` lines are not shell: sbatch splits them on blanks, so paths must have none. */
function shellQuoteDirective(directive: string): string {
  if (/\s/.test(directive)) {
    throw new SlurmOptionError(`sbatch directives cannot hold blanks (got "${directive}")`);
  }
  return directive;
}

/**
 * The job id in `sbatch --parsable` output (`<id>` or `<id>;<cluster>`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSbatchOutput } from "./slurm.ts";
 * assert.ok(parseSbatchOutput("1234;cluster\n") === "1234");
 * ```
 */
export function parseSbatchOutput(text: string): string {
  const id = text.trim().split(";")[0];
  if (!/^\d+$/.test(id)) throw new Error(`sbatch printed no job id (got "${text.trim()}")`);
  return id;
}

/**
 * Submits a job script with `sbatch --parsable` (the environment is inherited, `SLURM_CONF`
 * included) and returns the job id; a failing `sbatch` throws with its stderr.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { submitSbatch } from "./slurm.ts";
 * const error = await submitSbatch("/nonexistent/job.sh").catch((e) => e);
 * assert.ok(error instanceof Error);
 * ```
 */
export async function submitSbatch(scriptPath: string): Promise<string> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command("sbatch", { args: ["--parsable", scriptPath] }).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error("sbatch is not installed here (no Slurm client on PATH)");
    }
    throw e;
  }
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  if (!output.success) {
    throw new Error(`sbatch ${scriptPath} failed: ${decode(output.stderr).trim()}`);
  }
  return parseSbatchOutput(decode(output.stdout));
}

/**
 * The ids among `ids` that `squeue -h -o %A` lists (its output: one array job id per line).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseQueuedJobs } from "./slurm.ts";
 * assert.ok(parseQueuedJobs("17\n17\n20\n", ["12", "17"]).join() === "17");
 * ```
 */
export function parseQueuedJobs(text: string, ids: readonly string[]): string[] {
  const listed = new Set(text.split("\n").map((l) => l.trim()).filter((l) => l !== ""));
  return ids.filter((id) => listed.has(id));
}

/**
 * The jobs among `ids` still queued or running (`squeue`); ids Slurm no longer knows count as
 * finished. Throws when `squeue` is missing or fails otherwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { queuedJobs } from "./slurm.ts";
 * assert.ok((await queuedJobs([])).length === 0);
 * ```
 */
export async function queuedJobs(ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command("squeue", { args: ["-h", "-o", "%A", "-j", ids.join(",")] })
      .output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error("squeue is not installed here (no Slurm client on PATH)");
    }
    throw e;
  }
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  const stderr = decode(output.stderr);
  if (!output.success) {
    if (/Invalid job id/i.test(stderr)) return [];
    throw new Error(`squeue -j ${ids.join(",")} failed: ${stderr.trim()}`);
  }
  return parseQueuedJobs(decode(output.stdout), ids);
}
