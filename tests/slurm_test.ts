import { test } from "node:test";
import { currentCodeVersions } from "../experiments/code_version.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  checkSbatchOptions,
  parseQueuedJobs,
  parseSbatchOutput,
  type SbatchOptions,
  sbatchScript,
  shellQuote,
  SlurmOptionError,
} from "../experiments/slurm.ts";
import { makePlan, type Plan, type RunSpec } from "../experiments/plan.ts";
import { readPlan, sweepPaths, writePlan } from "../experiments/sweep_dir.ts";
import { killedResult } from "../experiments/collect.ts";
import { appendResult, type ResultLine } from "../experiments/store.ts";
import { runCli } from "../experiments/cli/main.ts";
import { tinyRunSpec } from "./fixtures.ts";

const base: SbatchOptions = {
  jobName: "srhm-curve",
  tasks: 4,
  dir: "/scratch/sweeps/curve",
  planFile: "/scratch/sweeps/curve/submit-1/plan.json",
  deno: "/usr/local/bin/deno",
  main: "/src/srhm/experiments/cli/main.ts",
  workdir: "/src/srhm",
};

function directives(script: string): string[] {
  return script.split("\n").filter((l) => l.startsWith("#SBATCH ")).map((l) => l.slice(8));
}

async function bash(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command("bash", { args, env, stdout: "piped", stderr: "piped" })
    .output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

test("the job script is an array of n tasks, one log per task, the sweep exec-ed", () => {
  const script = sbatchScript({ ...base, partition: "gpu", time: "2:00:00", gpus: "a100:1" });
  assert.ok(script.startsWith("#!/bin/bash\n"));
  assert.deepEqual(directives(script), [
    "--job-name=srhm-curve",
    "--array=0-3",
    "--output=/scratch/sweeps/curve/logs/%A-%a.out",
    "--chdir=/src/srhm",
    "--ntasks=1",
    "--cpus-per-task=1",
    "--partition=gpu",
    "--time=2:00:00",
    "--gpus-per-task=a100:1",
  ]);
  assert.match(
    script,
    /\nexec \/usr\/local\/bin\/deno run -A \/src\/srhm\/experiments\/cli\/main\.ts sweep --plan \/scratch\/sweeps\/curve\/submit-1\/plan\.json --out \/scratch\/sweeps\/curve\n/,
  );
  const limited = sbatchScript({ ...base, tasks: 1, maxParallel: 2, cpusPerTask: 4 });
  assert.ok(directives(limited).includes("--array=0-0%2"));
  assert.ok(directives(limited).includes("--cpus-per-task=4"));
  assert.ok(!directives(limited).some((d) => /partition|time|gpus/.test(d)));
});

test("bad job options are refused with the option and what it accepts", () => {
  const cases: [Partial<SbatchOptions>, RegExp][] = [
    [{ tasks: 0 }, /--tasks must be an integer >= 1 \(got 0\)/],
    [{ tasks: 2.5 }, /--tasks/],
    [{ time: "2 hours" }, /--time must be minutes, MM:SS, HH:MM:SS/],
    [{ time: "1:2:3:4" }, /--time/],
    [{ partition: "a b" }, /--partition/],
    [{ gpus: "0" }, /--gpus must be a count >= 1 or type:count \(got "0"\)/],
    [{ gpus: "a100:" }, /--gpus/],
    [{ cpusPerTask: 0 }, /--cpus-per-task/],
    [{ maxParallel: -1 }, /--max-parallel/],
    [{ jobName: "my job" }, /job name/],
    [{ dir: "/with space" }, /directives cannot hold blanks/],
  ];
  for (const [patch, message] of cases) {
    assert.throws(
      () => sbatchScript({ ...base, ...patch }),
      (e: Error) => e instanceof SlurmOptionError && message.test(e.message),
      JSON.stringify(patch),
    );
  }
  for (const time of ["30", "30:00", "1:00:00", "2-00", "2-12:00", "2-12:00:00"]) {
    assert.equal(checkSbatchOptions({ ...base, time }).time, time);
  }
});

test("shellQuote round-trips any word through bash", async () => {
  const words = fc.sample(fc.string({ maxLength: 12 }), { seed: 42, numRuns: 60 })
    .concat(["it's", "a b", "$HOME", "`id`", "\\", '"', "-n", "", "é ü"]);
  const script = `printf '%s\\0' ${words.map(shellQuote).join(" ")}`;
  const out = await bash(["-c", script]);
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(out.stdout.split("\0").slice(0, -1), words);
});

test("the job script is valid bash and runs the sweep with the task's environment", async () => {
  const dir = await Deno.makeTempDir({ prefix: "srhm slurm " }); // a blank in the path
  try {
    const script = sbatchScript({
      ...base,
      dir: "/tmp/unused",
      planFile: `${dir}/it's plan.json`,
      deno: `${dir}/fake deno`,
    });
    // sbatch reads the directives; bash runs the rest. A stand-in for deno prints its arguments.
    await Deno.writeTextFile(
      `${dir}/fake deno`,
      '#!/bin/bash\nprintf "%s|" "$@"; echo "task=$SLURM_ARRAY_TASK_ID"\n',
    );
    await Deno.chmod(`${dir}/fake deno`, 0o755);
    await Deno.writeTextFile(`${dir}/job.sh`, script.replace("mkdir -p", "true"));
    assert.equal((await bash(["-n", `${dir}/job.sh`])).code, 0);
    const out = await bash([`${dir}/job.sh`], { SLURM_ARRAY_TASK_ID: "2", PATH: "/usr/bin:/bin" });
    assert.equal(out.code, 0, out.stderr);
    assert.equal(
      out.stdout.trim(),
      `run|-A|${base.main}|sweep|--plan|${dir}/it's plan.json|--out|/tmp/unused|task=2`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

test("parseQueuedJobs keeps the ids squeue lists", () => {
  assert.deepEqual(parseQueuedJobs("17\n17\n 20 \n", ["12", "17", "20"]), ["17", "20"]);
  assert.deepEqual(parseQueuedJobs("", ["12"]), []);
});

test("parseSbatchOutput takes the job id of --parsable output", () => {
  assert.equal(parseSbatchOutput("42\n"), "42");
  assert.equal(parseSbatchOutput("42;cluster"), "42");
  assert.throws(() => parseSbatchOutput("sbatch: error: Batch job submission failed"), /no job id/);
});

// ---- the CLI (in process: runCli, with stdout captured) ----

const spec = (P: number): RunSpec => tinyRunSpec({ experiment: "slurm-test", P });

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error, warn } = console;
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  console.warn = console.error;
  try {
    const code = await runCli(args);
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
  } finally {
    Object.assign(console, { log, error, warn });
  }
}

function ok(run: Plan["runs"][number]): ResultLine {
  return {
    id: run.id,
    status: "ok",
    run,
    backend: "test",
    versions: currentCodeVersions(), // as a job of this code would write it
    timings: {},
    metrics: { testError: 0 },
  };
}

test("slurm writes a job for the pending runs only; collect reports; errors exit 2", async () => {
  const dir = await Deno.makeTempDir({ prefix: "srhm-slurm-cli-" });
  try {
    const plan = makePlan("slurm-test", {}, [8, 9, 10, 11, 12].map(spec));
    const input = `${dir}/input.json`;
    await writePlan(input, plan);
    const out = `${dir}/sweep`;
    const first = await cli(["slurm", "--plan", input, "--out", out, "--tasks", "3", "--json"]);
    assert.equal(first.code, 0, first.stderr);
    const fields = JSON.parse(first.stdout);
    assert.deepEqual(
      [fields.planned, fields.pending, fields.tasks, fields.submitted],
      [5, 5, 3, false],
    );
    assert.equal(fields.script, `${out}/submit-1/job.sh`);
    const script = await Deno.readTextFile(fields.script);
    assert.match(script, /#SBATCH --array=0-2\n/);
    assert.match(script, new RegExp(`sweep --plan ${out}/submit-1/plan\\.json --out ${out}\\n`));
    assert.deepEqual((await readPlan(sweepPaths(out).plan)).runs, plan.runs);

    // Two runs done, one killed: the next job covers the three others with at most 3 tasks.
    await appendResult(`${out}/shards/1-task-0.jsonl`, ok(plan.runs[0]));
    await appendResult(`${out}/shards/1-task-1.jsonl`, ok(plan.runs[1]));
    await appendResult(
      `${out}/shards/1-task-2.jsonl`,
      killedResult(plan.runs[2], "SIGTERM", "", 1),
    );
    const second = await cli(["slurm", "--plan", input, "--out", out, "--json"]);
    assert.equal(second.code, 0, second.stderr);
    const again = JSON.parse(second.stdout);
    assert.deepEqual([again.pending, again.tasks, again.script], [3, 3, `${out}/submit-2/job.sh`]);
    assert.deepEqual(
      (await readPlan(again.plan)).runs.map((r) => r.id),
      plan.runs.slice(2).map((r) => r.id),
    );

    const collected = await cli(["collect", out, "--json"]);
    assert.equal(collected.code, 0, collected.stderr);
    const report = JSON.parse(collected.stdout);
    assert.deepEqual(report.missing, plan.runs.slice(2).map((r) => r.id));
    assert.deepEqual(report.killed, [plan.runs[2].id]);
    assert.equal(report.ok, 2);
    const text = await cli(["collect", out]);
    assert.match(
      text.stdout,
      /5 runs planned; 2 ok, 0 failed, 3 missing \(1 killed while running\)/,
    );

    // Everything done: nothing to submit.
    for (const run of plan.runs.slice(2)) {
      await appendResult(`${out}/shards/2-task-0.jsonl`, ok(run));
    }
    const done = await cli(["slurm", "--plan", input, "--out", out]);
    assert.match(done.stdout, /all 5 runs of the plan are done; nothing to submit/);

    // Bad arguments: exit 2, one line on stderr, nothing on stdout.
    const bad: string[][] = [
      ["sweep", "--plan", input],
      ["sweep", "--plan", input, "--out", out, "--shard", "3/3"],
      ["slurm", "--plan", input, "--out", `${dir}/fresh`, "--time", "soon"],
      ["slurm", "--plan", input, "--out", out, "--tasks", "0"],
      ["slurm", "--plan", `${dir}/missing.json`, "--out", out],
      ["slurm", "--out", out],
      ["slurm", "--plan", input, "--out", `${dir}/other`, "curve"],
      ["collect", `${dir}/nothing-here`],
    ];
    for (const args of bad) {
      const r = await cli(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.equal(r.stdout, "", args.join(" "));
      assert.equal(r.stderr.split("\n").length, 1, r.stderr);
    }
    // An experiment and its own options give the plan (here: 2 sizes x 2 seeds).
    const curve = await cli([
      "slurm",
      "curve",
      "--P",
      "100,200",
      "--seeds",
      "2",
      "--out",
      `${dir}/curve`,
      "--json",
      "--tasks",
      "8",
      "--time",
      "30",
    ]);
    assert.equal(curve.code, 0, curve.stderr);
    assert.deepEqual([JSON.parse(curve.stdout).planned, JSON.parse(curve.stdout).tasks], [4, 4]);
    const curvePlan = await readPlan(`${dir}/curve/plan.json`);
    assert.deepEqual(curvePlan.runs.map((r) => [r.experiment, r.P, r.seed]), [
      ["curve", 100, 0],
      ["curve", 100, 1],
      ["curve", 200, 0],
      ["curve", 200, 1],
    ]);
    const unknown = await cli(["slurm", "nonsense", "--out", `${dir}/x`]);
    assert.equal(unknown.code, 2);

    // A bad option is refused before anything is written.
    await assert.rejects(Deno.stat(`${dir}/fresh`), Deno.errors.NotFound);
    const other = makePlan("slurm-test", {}, [spec(99)]);
    await writePlan(`${dir}/other.json`, other);
    const clash = await cli(["slurm", "--plan", `${dir}/other.json`, "--out", out]);
    assert.equal(clash.code, 2);
    assert.match(clash.stderr, /holds another sweep/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
