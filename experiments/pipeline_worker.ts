/**
 * The worker side of `workerRunner`: computes the runs it is sent with `runPipeline` and posts
 * back their progress and output (or the failure's message and backend). Not meant to be imported.
 *
 * @module
 */
import { runPipeline } from "./pipeline.ts";
import type { Run } from "./plan.ts";
import { RunFailure, type RunProgress } from "./runner.ts";

interface WorkerScope {
  onmessage: ((event: MessageEvent<{ run: Run }>) => void) | null;
  postMessage(message: unknown): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.onmessage = async (event) => {
  const report = (progress: RunProgress) => scope.postMessage({ kind: "progress", progress });
  try {
    const output = await runPipeline(event.data.run, { report });
    scope.postMessage({ kind: "done", output });
  } catch (e) {
    scope.postMessage({
      kind: "failed",
      message: e instanceof Error ? e.message : String(e),
      name: e instanceof Error ? e.name : undefined,
      backend: e instanceof RunFailure ? e.backend : undefined,
    });
  }
};
