/// <reference lib="webworker" />
/**
 * The explorer's training worker: picks the backend, trains the run (`run.ts`) and posts the
 * learning curve, the live sensitivities and the final `results.jsonl` line (`protocol.ts`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { selectBrowserBackend } from "./browser_backend.ts";
import { resultLine, runOf, trainRun } from "./run.ts";
import type { TrainRequest, WorkerMessage } from "./protocol.ts";

const post = (m: WorkerMessage): void => (self as unknown as Worker).postMessage(m);

/** Waits while the page holds the pause flag at 1. */
function waitWhilePaused(control: Int32Array | null, epoch: number): void {
  if (control === null || Atomics.load(control, 0) !== 1) return;
  post({ type: "paused", epoch });
  while (Atomics.load(control, 0) === 1) Atomics.wait(control, 0, 1);
  post({ type: "resumed" });
}

async function handle(req: TrainRequest): Promise<void> {
  const startedAt = new Date().toISOString();
  const backend = await selectBrowserBackend(req.backend);
  post({ type: "backend", ...backend });
  tf.enableProdMode();
  const control = req.control === null ? null : new Int32Array(req.control);
  const run = runOf(req.config, backend.name);
  const outcome = await trainRun(run, {
    onEpoch: (record) => {
      post({ type: "epoch", record });
      waitWhilePaused(control, record.epoch);
    },
    liveEvery: req.liveEvery,
    onLive: (live) => post({ type: "live", live }),
  });
  const r = outcome.result;
  post({
    type: "done",
    testError: r.testError,
    epochs: r.epochs,
    bestEpoch: r.bestEpoch,
    status: r.status,
    sensitivities: outcome.sensitivities,
    line: resultLine(run, outcome, {
      backend: backend.name,
      startedAt,
      versions: { tfjs: tf.version_core, browser: navigator.userAgent },
    }),
  });
}

self.onmessage = (e: MessageEvent<TrainRequest>) => {
  if (e.data.type !== "train") return;
  handle(e.data).catch((err) =>
    post({ type: "error", message: err instanceof Error ? err.message : String(err) })
  );
};
