/**
 * Crash tests with real processes: writers killed (SIGKILL) at random points while they train,
 * while they append (they die mid-line at a random byte), and `collect` killed while it merges;
 * with two and three concurrent writers on one results directory. Every run of the plan must end
 * up exactly once in the results. The random points come from a fixed seed (printed), so that a
 * failure can be replayed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { makePlan, type Plan } from "../experiments/plan.ts";
import { parseResults, readResults } from "../experiments/store.ts";
import { executePlan } from "../experiments/executor.ts";
import { writePlan } from "../experiments/sweep_dir.ts";
import { tinyRunSpec } from "./fixtures.ts";

const DRIVER = new URL("./crash_driver.ts", import.meta.url).pathname;

/** The CLI's entry point, as the `experiment` task names it. */
function cliEntry(): string {
  const json = JSON.parse(Deno.readTextFileSync(new URL("../deno.json", import.meta.url)));
  const task: string = json.tasks.experiment;
  const script = task.split(/\s+/).at(-1)!;
  return new URL(`../${script}`, import.meta.url).pathname;
}

/** A seeded generator (xorshift32) in [0, 1). */
function rng(seed: number): () => number {
  let state = (seed * 2654435761) >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A plan of `n` tiny runs that each train for a fraction of a second. */
function crashPlan(n: number): Plan {
  return makePlan(
    "crash",
    {},
    Array.from({ length: n }, (_, i) =>
      tinyRunSpec({
        experiment: "crash",
        training: { maxEpochs: 300, evalEvery: 100, stopLoss: 0 },
        P: 4 + 4 * (i % 2),
        seed: i,
      })),
  );
}

interface Writer {
  child: Deno.ChildProcess;
  status: Promise<Deno.CommandStatus>;
  exited?: Deno.CommandStatus;
  killedByUs?: boolean;
}

/** Whether process `pid` holds a claim in `claims` (it is computing a run). */
function holdsClaim(claims: string, pid: number): boolean {
  try {
    return [...Deno.readDirSync(claims)].some((e) => {
      try {
        return JSON.parse(Deno.readTextFileSync(`${claims}/${e.name}`)).pid === pid;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

function startWriter(out: string, planFile: string, seed: number, die: number): Writer {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", DRIVER, out, planFile, String(seed), String(die)],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const w: Writer = { child, status: child.status };
  w.status.then((s) => (w.exited = s));
  return w;
}

/** Every plan run has exactly one valid line; returns the number of torn lines skipped. */
async function assertExactlyOnce(plan: Plan, file: string): Promise<number> {
  const { results, warnings } = parseResults(await Deno.readTextFile(file));
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
  for (const run of plan.runs) {
    assert.equal(counts.get(run.id), 1, `run ${run.id} has ${counts.get(run.id) ?? 0} lines`);
  }
  assert.equal(counts.size, plan.runs.length, "no line of a run outside the plan");
  const failed = results.filter((r) => r.status !== "ok").map((r) => r.reason);
  assert.deepEqual(failed, [], "every run ok");
  return warnings.length;
}

async function crashScenario(writers: number, seed: number): Promise<void> {
  const random = rng(seed);
  const dir = await Deno.makeTempDir({ prefix: "srhm-crash-" });
  const out = `${dir}/out`;
  const planFile = `${dir}/plan.json`;
  const plan = crashPlan(8);
  await writePlan(planFile, plan);
  const die = 0.2; // per run: die mid-append
  let started = 0;
  const pool: Writer[] = Array.from(
    { length: writers },
    () => startWriter(out, planFile, seed * 100 + started++, die),
  );
  let kills = 0;
  let killsWhileTraining = 0;
  let appendDeaths = 0;
  const maxKills = 6;
  // Kill random writers at random times (during start-up or training), restart every writer that
  // did not finish cleanly, until all of them finish cleanly.
  for (let round = 0; round < 200; round++) {
    await sleep(200 + random() * 1500);
    for (let i = 0; i < pool.length; i++) {
      const s = pool[i].exited;
      if (s === undefined || s.success) continue;
      if (!pool[i].killedByUs) appendDeaths++;
      pool[i] = startWriter(out, planFile, seed * 100 + started++, die);
    }
    const running = pool.filter((w) => w.exited === undefined);
    if (running.length === 0) break;
    if (kills < maxKills) {
      // Most kills wait for a writer that is computing a run (it holds a claim), the others
      // strike at once (often during start-up).
      let victim = running[Math.floor(random() * running.length)];
      if (random() < 0.75) {
        for (let t = 0; t < 100; t++) {
          const busy = running.filter((w) =>
            w.exited === undefined && holdsClaim(`${out}/claims`, w.child.pid)
          );
          if (busy.length > 0) {
            victim = busy[Math.floor(random() * busy.length)];
            await sleep(random() * 100);
            break;
          }
          await sleep(50);
        }
      }
      if (victim.exited !== undefined) continue;
      if (holdsClaim(`${out}/claims`, victim.child.pid)) killsWhileTraining++;
      victim.killedByUs = true;
      try {
        victim.child.kill("SIGKILL");
      } catch {
        victim.killedByUs = false; // it had just finished
      }
      await victim.status;
      kills++;
    }
  }
  await Promise.all(pool.map((w) => w.status));
  assert.ok(pool.every((w) => w.exited?.success), "every writer finished");
  const torn = await assertExactlyOnce(plan, `${out}/results.jsonl`);
  console.log(
    `${writers} writers (seed ${seed}): ${started} processes, ${kills} killed at random ` +
      `(${killsWhileTraining} while computing a run), ${appendDeaths} died mid-append, ` +
      `${torn} torn lines skipped, ` +
      `${plan.runs.length} runs each once`,
  );
  await Deno.remove(dir, { recursive: true });
}

test("two writers killed at random points (training, append): every run once", async () => {
  await crashScenario(2, 11);
});

test("three writers killed at random points (training, append): every run once", async () => {
  await crashScenario(3, 23);
});

test("collect killed at random points: results.jsonl is always whole, every run once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "srhm-collect-" });
  const plan = makePlan(
    "crash",
    {},
    Array.from({ length: 60 }, (_, i) => tinyRunSpec({ experiment: "crash", seed: i })),
  );
  await writePlan(`${dir}/plan.json`, plan);
  const runner = (run: { seed: number }) =>
    Promise.resolve({ backend: "fake", metrics: { testError: 1 / (1 + run.seed) } });
  for (let k = 0; k < 3; k++) {
    await executePlan(
      { ...plan, runs: plan.runs.filter((_, i) => i % 3 === k) },
      { resultsFile: `${dir}/shards/task-${k}-of-3.jsonl`, runner },
    );
  }
  const collect = () =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", cliEntry(), "collect", dir],
      stdout: "null",
      stderr: "null",
    }).spawn();
  const t0 = performance.now();
  assert.ok((await collect().status).success);
  const full = performance.now() - t0;
  await Deno.remove(`${dir}/results.jsonl`);
  const random = rng(5);
  let kills = 0;
  for (let i = 0; i < 6; i++) {
    const child = collect();
    await sleep(random() * full);
    try {
      child.kill("SIGKILL");
      kills++;
    } catch { /* it had finished */ }
    await child.status;
    // whatever the moment, results.jsonl is absent or whole (written by rename)
    try {
      const { results, warnings } = parseResults(await Deno.readTextFile(`${dir}/results.jsonl`));
      assert.equal(warnings.length, 0);
      assert.equal(results.length, plan.runs.length);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  assert.ok((await collect().status).success);
  const merged = await readResults(`${dir}/results.jsonl`);
  assert.deepEqual(merged.map((r) => r.id), plan.runs.map((r) => r.id));
  console.log(`collect: ${kills} kills at random points out of 6 starts; results whole each time`);
  await Deno.remove(dir, { recursive: true });
});
