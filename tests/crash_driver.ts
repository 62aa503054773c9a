/**
 * A writer process for the crash tests (`crash_resume_test.ts`), not a test itself: executes the
 * plan in `<plan.json>` into `<out>/results.jsonl`, sharing the work through `<out>/claims` with
 * the other writers on the same directory, computing every run for real (`runPipeline`, the cpu
 * backend).
 *
 *     deno run -A tests/crash_driver.ts <out> <plan.json> <seed> <dieInAppend>
 *
 * With probability `dieInAppend` (per run), after computing a run the process dies in the middle
 * of its append: it takes the file's lock, writes a random prefix of the run's line (possibly with
 * the newline that ends a torn line before it) and kills itself with SIGKILL, as a crash at that
 * byte would leave it.
 *
 * @module
 */
import { executePlan } from "../experiments/executor.ts";
import type { Runner } from "../experiments/runner.ts";
import { runPipeline } from "../experiments/pipeline.ts";
import { formatResult } from "../experiments/store.ts";
import { readPlan } from "../experiments/sweep_dir.ts";

const [out, planFile, seedText, dieText] = Deno.args;
const plan = await readPlan(planFile);
const resultsFile = `${out}/results.jsonl`;
let state = (Number(seedText) * 2654435761 + Deno.pid) >>> 0;
/** A small seeded generator (xorshift32) in [0, 1). */
const random = () => {
  state ^= state << 13;
  state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return state / 2 ** 32;
};
const dieInAppend = Number(dieText ?? "0");

const runner: Runner = async (run, context) => {
  const output = await runPipeline(run, context);
  if (random() < dieInAppend) {
    const line = formatResult({
      id: run.id,
      status: "ok",
      run,
      backend: output.backend,
      versions: {},
      timings: {},
      metrics: output.metrics,
    }) + "\n";
    const file = await Deno.open(resultsFile, { read: true, append: true, create: true });
    await file.lock(true);
    // as `appendResult` does: a torn tail is ended before the record
    const text = await Deno.readTextFile(resultsFile);
    const torn = text.length > 0 && !text.endsWith("\n");
    const bytes = new TextEncoder().encode((torn ? "\n" : "") + line);
    const cut = Math.floor(random() * bytes.length); // 0 .. length-1: never the whole line
    let done = 0;
    while (done < cut) done += await file.write(bytes.subarray(done, cut));
    Deno.kill(Deno.pid, "SIGKILL");
    await new Promise(() => {}); // never returns
  }
  return output;
};

const summary = await executePlan(plan, {
  resultsFile,
  runner,
  claims: `${out}/claims`,
  pollMs: 100,
  onWarning: () => {},
});
console.log(JSON.stringify({ pid: Deno.pid, ok: summary.ok, byOthers: summary.byOthers }));
