/**
 * The memory check of a run (`checkTrainingMemory` of `@srhm/networks` on the run's network and
 * sizes), done before anything is allocated: by `trainOnGrammar` before it samples, and by the
 * commands for every run of a plan before the first run starts.
 *
 * @module
 */
import type { SrhmParams } from "@srhm/generators";
import {
  checkDeepTrainingMemory,
  checkTrainingMemory,
  configForGrammar,
  deepConfig,
  isDeepNetKind,
  type MemoryEstimate,
  MemoryEstimateError,
} from "@srhm/networks";
import type { RunNetwork } from "./plan.ts";

/** What the memory of a run depends on. */
export interface RunSizes {
  /** The grammar's parameters (they fix the input length `d` and the vocabulary `v`). */
  readonly params: SrhmParams;
  /** The network; `kind` may also name a standard deep network. */
  readonly network: Omit<RunNetwork, "kind"> & { readonly kind: string };
  /** Training set size. */
  readonly P: number;
  /** Test set size. */
  readonly test: number;
  /** The batch size and the backend (`auto`, `cpu`, `wasm`, ...) the run trains with. */
  readonly training: { readonly batch: number; readonly backend: string };
}

/**
 * Throws a `MemoryEstimateError` (with the estimate in its message) when the run would not fit;
 * returns the estimate. `backend` defaults to the run's (`auto`: the WebAssembly heap's cap).
 * The hierarchical networks (CNN, LCN, FCN) are estimated by `checkTrainingMemory`, the standard
 * deep networks (`vgg11` ... `efficientnetb0`) by `checkDeepTrainingMemory`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkRunMemory } from "./run_memory.ts";
 * const run = {
 *   params: { L: 5, s: 3, s0: 2, v: 4, m: 16, nc: 4, sparsity: "A", seed: 0 },
 *   network: { kind: "cnn", width: 512, bias: "per-position", parametrisation: "mean-field" },
 *   P: 1000, test: 20000, training: { batch: 16, backend: "auto" },
 * } as const;
 * assert.throws(() => checkRunMemory(run), /would not fit in memory: about \d/);
 * assert.ok(checkRunMemory({ ...run, params: { ...run.params, L: 2 }, network: { ...run.network, width: 8 }, test: 100 }).total > 0);
 * const figure1 = { L: 2, s: 2, s0: 2, v: 10, m: 10, nc: 10, sparsity: "A", seed: 0 } as const;
 * const deep = { ...run, params: figure1, network: { ...run.network, kind: "resnet34" }, P: 7400,
 *   training: { batch: 4096, backend: "auto" } };
 * assert.throws(() => checkRunMemory(deep), /RESNET34 of width 512 .* would not fit/);
 * ```
 */
export function checkRunMemory(run: RunSizes, backend?: string): MemoryEstimate {
  const p = run.params;
  const sizes = { train: run.P, test: run.test, batch: Math.min(run.training.batch, run.P) };
  if (isDeepNetKind(run.network.kind)) {
    const config = deepConfig(run.network.kind, {
      width: run.network.width,
      channels: p.v,
      length: (p.s * (p.s0 + 1)) ** p.L,
      classes: p.nc,
    });
    return checkDeepTrainingMemory(config, sizes, backend ?? run.training.backend);
  }
  const S = p.s * (p.s0 + 1);
  const d = S ** p.L;
  const config = configForGrammar({ params: p, S, d }, {
    kind: run.network.kind as RunNetwork["kind"],
    width: run.network.width,
    bias: run.network.bias,
    parametrisation: run.network.parametrisation,
  });
  return checkTrainingMemory(config, sizes, backend ?? run.training.backend);
}

/**
 * The first run of a list that would not fit, as its error (or `undefined`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { firstMemoryProblem } from "./run_memory.ts";
 * assert.equal(firstMemoryProblem([]), undefined);
 * ```
 */
export function firstMemoryProblem(runs: readonly RunSizes[]): MemoryEstimateError | undefined {
  for (const run of runs) {
    try {
      checkRunMemory(run);
    } catch (e) {
      if (e instanceof MemoryEstimateError) return e;
      throw e;
    }
  }
  return undefined;
}
