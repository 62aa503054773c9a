/**
 * Test fixtures shared by the experiment tests: a tiny run that trains in milliseconds on the cpu
 * backend, with any field overridden (nested objects are merged, not replaced).
 *
 * @module
 */
import type { SrhmParams } from "@srhm/generators";
import type { RunMeasure, RunNetwork, RunSpec, RunTraining } from "../experiments/plan.ts";

/** Overrides of a tiny run: top-level fields, and nested fields merged into the defaults. */
export interface TinyRunOverrides {
  readonly experiment?: string;
  readonly params?: Partial<SrhmParams>;
  readonly network?: Partial<RunNetwork>;
  readonly training?: Partial<RunTraining>;
  readonly measure?: Partial<RunMeasure>;
  readonly P?: number;
  readonly test?: number;
  readonly seed?: number;
}

/**
 * A tiny run: L=2, s=2, s0=0, v=3, m=2, nc=2; CNN of width 8; 2 epochs of batch 8 on the cpu
 * backend; P = 8, 8 test data; no sensitivities. `over` replaces what it names.
 */
export function tinyRunSpec(over: TinyRunOverrides = {}): RunSpec {
  return {
    experiment: over.experiment ?? "test",
    params: { L: 2, s: 2, s0: 0, v: 3, m: 2, nc: 2, sparsity: "A", seed: 1, ...over.params },
    network: {
      kind: "cnn",
      width: 8,
      bias: "per-position",
      parametrisation: "mean-field",
      ...over.network,
    },
    training: {
      lr: 0.1,
      batch: 8,
      maxEpochs: 2,
      stopLoss: 1e-3,
      evalEvery: 1,
      encoding: "onehot",
      backend: "cpu",
      ...over.training,
    },
    measure: { sensitivities: false, perClass: 4, ...over.measure },
    P: over.P ?? 8,
    test: over.test ?? 8,
    seed: over.seed ?? 0,
  };
}
