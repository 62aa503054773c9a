/**
 * End to end on a real one-node Slurm cluster (scripts/slurm-up.sh: Debian's packages, munged,
 * slurmctld and slurmd on loopback). A small sweep of real training runs (cpu backend, fixed
 * seeds) is submitted as a job array of 3 tasks; one task is cancelled part-way; `collect` lists
 * the runs it left; re-submitting the same sweep computes only those; the merged results equal the
 * same plan executed on one machine without a sweep.
 *
 * The test starts its own private cluster (its own state directory and free ports, so that test
 * runs side by side never share daemons) and stops it at the end, whatever happens; under .ci/run,
 * scripts/ci-services.sh has installed the packages before. If the cluster cannot start, the test
 * fails with the reason.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { makePlan, type Plan, type RunSpec } from "../experiments/plan.ts";
import { readResults, type ResultLine } from "../experiments/store.ts";
import { executePlan } from "../experiments/executor.ts";
import { runPipeline } from "../experiments/pipeline.ts";
import { writePlan } from "../experiments/sweep_dir.ts";
import { tinyRunSpec } from "./fixtures.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const decoder = new TextDecoder();

interface Output {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Two distinct TCP ports that nothing listens on now. */
function freePorts(): [number, number] {
  const a = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const b = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const ports: [number, number] = [(a.addr as Deno.NetAddr).port, (b.addr as Deno.NetAddr).port];
  a.close();
  b.close();
  return ports;
}

async function run(command: string, args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(command, {
    args,
    env,
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

function must(what: string, out: Output): string {
  if (out.code !== 0) {
    throw new Error(`${what} failed (exit ${out.code}):\n${out.stderr}\n${out.stdout}`.trim());
  }
  return out.stdout;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Tiny real runs: a few hundred milliseconds of training each on the cpu backend. */
function spec(P: number, seed: number): RunSpec {
  return tinyRunSpec({
    experiment: "slurm-e2e",
    params: { s0: 1, v: 4, m: 4, nc: 4, seed: 3 },
    network: { width: 16 },
    training: { batch: 16, maxEpochs: 30, evalEvery: 5 },
    measure: { sensitivities: true, perClass: 4 },
    P,
    test: 64,
    seed,
  });
}

/** Metrics without the ones that measure speed or time (they differ between any two executions). */
function deterministic(line: ResultLine): unknown {
  const timing = /seconds|persec|time|duration/i;
  const metrics = Object.fromEntries(
    Object.entries(line.metrics ?? {}).filter(([key]) => !timing.test(key)),
  );
  return { id: line.id, status: line.status, backend: line.backend, reason: line.reason, metrics };
}

test("a sweep on a real Slurm cluster: array, a cancelled task, collect, re-submission", async () => {
  const t0 = performance.now();
  const dir = await Deno.makeTempDir({ prefix: "srhm-slurm-e2e-" });
  const [ctldPort, slurmdPort] = freePorts();
  const cluster = {
    SRHM_SLURM_DIR: `${dir}/slurm`,
    SRHM_SLURM_CTLD_PORT: String(ctldPort),
    SRHM_SLURM_SLURMD_PORT: String(slurmdPort),
  };
  const up = await run("bash", ["scripts/slurm-up.sh"], cluster);
  if (up.code !== 0) {
    await run("bash", ["scripts/slurm-down.sh"], cluster);
    await Deno.remove(dir, { recursive: true });
    throw new Error(
      `the one-node Slurm cluster could not start (bash scripts/slurm-up.sh, exit ${up.code}):\n` +
        up.stderr + up.stdout,
    );
  }
  const env = { SLURM_CONF: `${cluster.SRHM_SLURM_DIR}/slurm.conf` };
  const jobs: string[] = [];
  const cli = (args: string[]) =>
    run(Deno.execPath(), ["run", "-A", `${root}/experiments/cli/main.ts`, ...args], env);
  const squeue = async (job: string) =>
    must("squeue", await run("squeue", ["-h", "-j", job, "-o", "%i %T"], env)).trim();
  const waitFor = async (job: string, seconds: number) => {
    for (let i = 0; i < seconds * 5; i++) {
      if ((await squeue(job)) === "") return;
      await sleep(200);
    }
    const logs = [];
    for await (const e of Deno.readDir(`${dir}/sweep/logs`)) {
      logs.push(`--- ${e.name}\n${await Deno.readTextFile(`${dir}/sweep/logs/${e.name}`)}`);
    }
    throw new Error(
      `job ${job} still queued after ${seconds} s:\n${await squeue(job)}\n${logs.join("\n")}`,
    );
  };
  try {
    const plan: Plan = makePlan(
      "slurm-e2e",
      { note: "slurm end-to-end test" },
      [48, 64, 80, 96].flatMap((P) => [0, 1, 2].map((seed) => spec(P, seed))),
    );
    assert.equal(plan.runs.length, 12);
    await writePlan(`${dir}/input.json`, plan);
    const sweep = `${dir}/sweep`;
    const slurm = ["slurm", "--plan", `${dir}/input.json`, "--out", sweep, "--json", "--submit"];

    // 1. The whole sweep as an array of 3 tasks (4 runs each).
    const first = JSON.parse(must("slurm --submit", await cli([...slurm, "--tasks", "3"])));
    assert.deepEqual([first.tasks, first.pending, first.submitted], [3, 12, true]);
    jobs.push(first.job);

    // 2. Cancel task 0 as soon as it has recorded its first run (it has 3 more to go).
    const shard0 = `${sweep}/shards/${first.job}-task-0.jsonl`;
    let seen = 0;
    for (let i = 0; i < 1500 && seen === 0; i++) {
      seen = (await readResults(shard0, { onWarning: () => {} }).catch(() => [])).length;
      if (seen === 0) await sleep(100);
    }
    assert.ok(seen > 0, `task 0 recorded no run in 150 s (${shard0})`);
    must("scancel", await run("scancel", [`${first.job}_0`], env));
    // While tasks 1 and 2 run, the same sweep cannot be submitted again (runs would be done twice).
    const early = await cli(slurm);
    assert.equal(early.code, 2, early.stderr + early.stdout);
    assert.match(
      early.stderr,
      new RegExp(`job ${first.job} of this sweep is still queued or running`),
    );
    await waitFor(first.job, 240);

    // 3. collect lists what task 0 left.
    const report = JSON.parse(must("collect", await cli(["collect", sweep, "--json"])));
    const task0 = plan.runs.filter((_, k) => k % 3 === 0).map((r) => r.id);
    assert.equal(report.planned, 12);
    assert.ok(
      report.missing.length >= 1,
      `nothing missing after the cancel: ${JSON.stringify(report)}`,
    );
    assert.ok(report.missing.length <= 3, JSON.stringify(report));
    assert.ok(report.missing.every((id: string) => task0.includes(id)), JSON.stringify(report));
    assert.equal(report.ok + report.missing.length, 12, JSON.stringify(report));
    assert.deepEqual(report.failed, []);
    // The run task 0 was computing when cancelled is recorded as killed, with the reason (unless
    // the signal fell in the instant between two runs, or while a finished run was being written).
    assert.ok(report.killed.length <= 1, JSON.stringify(report));
    for (const id of report.killed) {
      assert.ok(report.missing.includes(id));
      const killed = (await readResults(shard0)).find((l) => l.id === id && l.status === "failed");
      assert.match(killed?.reason ?? "", /^killed by SIGTERM/);
    }
    console.log(
      `cancelled task 0 after ${seen} run(s): ${report.missing.length} missing, ` +
        `${report.killed.length} recorded as killed`,
    );

    // 4. Re-submitting the same sweep computes only the missing runs.
    const second = JSON.parse(must("slurm --submit (again)", await cli(slurm)));
    assert.equal(second.pending, report.missing.length);
    assert.equal(second.tasks, Math.min(32, report.missing.length));
    jobs.push(second.job);
    await waitFor(second.job, 240);
    const lines = [];
    for await (const e of Deno.readDir(`${sweep}/shards`)) {
      if (e.name.startsWith(`${second.job}-`)) {
        lines.push(...await readResults(`${sweep}/shards/${e.name}`));
      }
    }
    assert.deepEqual(lines.map((l) => l.id).sort(), [...report.missing].sort());

    const final = JSON.parse(must("collect (final)", await cli(["collect", sweep, "--json"])));
    assert.deepEqual([final.ok, final.missing, final.failed], [12, [], []]);
    const merged = await readResults(`${sweep}/results.jsonl`);

    // 5. The same plan on one machine, no sweep: the same ids and the same metrics.
    await executePlan(plan, { resultsFile: `${dir}/single.jsonl`, runner: runPipeline });
    const single = await readResults(`${dir}/single.jsonl`);
    assert.deepEqual(merged.map((r) => r.id), plan.runs.map((r) => r.id));
    assert.ok(
      single.every((l) =>
        l.status === "ok" && Number.isFinite(l.metrics?.testError) && l.metrics?.S
      ),
      "the single-machine runs measured nothing to compare",
    );
    assert.deepEqual(merged.map(deterministic), single.map(deterministic));
    console.log(`slurm end-to-end test: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    for (const job of jobs) await run("scancel", [job], env);
    for (const job of jobs) {
      for (let i = 0; i < 150 && (await squeue(job).catch(() => "")) !== ""; i++) await sleep(200);
    }
    const down = await run("bash", ["scripts/slurm-down.sh"], cluster);
    await Deno.remove(dir, { recursive: true });
    must("slurm-down.sh", down);
  }
});
