/**
 * A runner that computes each run in a Web Worker (`pipeline_worker.ts`, the full pipeline), so that
 * the main thread's event loop stays free while a run trains: a SIGTERM (Slurm's `scancel`, a time
 * limit) is handled at once, and the run in progress is recorded as killed, even on backends whose
 * training never yields to the event loop (cpu, wasm).
 *
 * @module
 */
import { RunFailure, type Runner, type RunOutput, type RunProgress } from "./runner.ts";

/** A runner backed by one worker; `close()` terminates the worker. */
export interface WorkerRunner {
  /** The runner (one run at a time). */
  readonly runner: Runner;
  /** Terminates the worker. */
  readonly close: () => void;
}

type Reply =
  | { kind: "progress"; progress: RunProgress }
  | { kind: "done"; output: RunOutput }
  | { kind: "failed"; message: string; backend?: string; name?: string };

/**
 * Starts a worker-backed runner (one run at a time; a crashed worker is replaced for the next run).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { workerRunner } from "./worker_runner.ts";
 * import { makeRun } from "./plan.ts";
 * const run = makeRun({
 *   experiment: "demo",
 *   params: { L: 2, s: 2, s0: 0, v: 4, m: 4, nc: 4, sparsity: "A", seed: 1 },
 *   network: { kind: "cnn", width: 8, bias: "per-position", parametrisation: "mean-field" },
 *   training: { lr: 0.1, batch: 16, maxEpochs: 2, stopLoss: 1e-3, evalEvery: 1, encoding: "onehot", backend: "cpu" },
 *   measure: { sensitivities: false, perClass: 4 },
 *   P: 32, test: 32, seed: 0,
 * });
 * const { runner, close } = workerRunner();
 * try {
 *   const out = await runner(run, { report: () => {} });
 *   assert.ok(out.backend === "cpu" && out.metrics.testError >= 0);
 * } finally {
 *   close();
 * }
 * ```
 */
export function workerRunner(): WorkerRunner {
  let worker: Worker | undefined;
  const start = (): Worker =>
    new Worker(new URL("./pipeline_worker.ts", import.meta.url), { type: "module" });
  const runner: Runner = (run, context) =>
    new Promise<RunOutput>((resolve, reject) => {
      const w = worker ?? (worker = start());
      w.onmessage = (event: MessageEvent<Reply>) => {
        const reply = event.data;
        if (reply.kind === "progress") context.report(reply.progress);
        else if (reply.kind === "done") resolve(reply.output);
        else {
          // named as the worker's error was (so that `classifyFailure` sees e.g. a backend error)
          const failure = new RunFailure(reply.message, reply.backend);
          if (reply.name !== undefined) failure.name = reply.name;
          reject(failure);
        }
      };
      w.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        w.terminate();
        worker = undefined;
        reject(new Error(`the run's worker crashed: ${event.message}`));
      };
      w.postMessage({ run });
    });
  return {
    runner,
    close: () => {
      worker?.terminate();
      worker = undefined;
    },
  };
}
