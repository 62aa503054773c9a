/**
 * The checks made before the first run of a plan starts, so that a plan that cannot run here is
 * refused at once (and nothing is recorded) rather than run after run: every backend the runs ask
 * for can be set up (`selectBackend`; its error is the one `train` gives), and every run's tensors
 * fit in memory (`checkRunMemory`).
 *
 * @module
 */
import { type BackendName, BackendUnavailableError, selectBackend } from "@srhm/networks";
import type { Run } from "./plan.ts";
import { firstMemoryProblem } from "./run_memory.ts";

/** Why a plan cannot run here (the CLI's exit code 2). */
export class PreflightError extends Error {
  /** Always `"PreflightError"`. */
  override name = "PreflightError";
}

/** Options of `preflight`. */
export interface PreflightOptions {
  /** Sets a backend up, or throws (default `selectBackend`). */
  readonly setUp?: (name: string) => Promise<unknown>;
}

/**
 * Throws a `PreflightError` when a backend asked for by the runs is unavailable here (with the
 * backend's own message) or when a run would not fit in memory (with the estimate).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { preflight } from "./preflight.ts";
 * import { makeRun } from "./plan.ts";
 * const run = makeRun({
 *   experiment: "demo",
 *   params: { L: 2, s: 2, s0: 0, v: 3, m: 3, nc: 3, sparsity: "A", seed: 0 },
 *   network: { kind: "cnn", width: 8, bias: "per-position", parametrisation: "mean-field" },
 *   training: { lr: 0.1, batch: 8, maxEpochs: 2, stopLoss: 1e-3, evalEvery: 1, encoding: "onehot", backend: "cpu" },
 *   measure: { sensitivities: false, perClass: 4 },
 *   P: 8, test: 8, seed: 0,
 * });
 * await preflight([run]);
 * const huge = { ...run, params: { ...run.params, L: 5, s: 3, s0: 2 }, network: { ...run.network, width: 512 }, test: 20000 };
 * await assert.rejects(preflight([huge]), /would not fit in memory/);
 * ```
 */
export async function preflight(
  runs: readonly Run[],
  options: PreflightOptions = {},
): Promise<void> {
  const setUp = options.setUp ?? ((name: string) => selectBackend(name as BackendName));
  for (const name of new Set(runs.map((r) => r.training.backend))) {
    try {
      await setUp(name);
    } catch (e) {
      if (e instanceof BackendUnavailableError) throw new PreflightError(e.message);
      throw e;
    }
  }
  const memory = firstMemoryProblem(runs);
  if (memory !== undefined) throw new PreflightError(memory.message);
}
