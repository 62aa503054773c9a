/**
 * The runner contract: what computes one run for the executor. A `Runner` takes a run and a
 * `RunContext` (to report `RunProgress`, e.g. once per epoch) and resolves to a `RunOutput`; it
 * rejects with a `RunFailure` (or any error) when the run fails, and the executor records the
 * failure. `runPipeline` (the full pipeline) and `workerRunner` (the same in a Web Worker) are
 * runners; tests pass their own.
 *
 * @module
 */
import type { Run } from "./plan.ts";
import type { RunMetrics } from "./store.ts";

/** What a runner reports for one finished run. */
export interface RunOutput {
  /** The backend that ran it. */
  readonly backend: string;
  /** The measurements. */
  readonly metrics: RunMetrics;
  /** Seconds per stage (e.g. `sample`, `train`, `measure`). */
  readonly timings?: Readonly<Record<string, number>>;
  /** Extra versions (e.g. `tfjs`). */
  readonly versions?: Readonly<Record<string, string>>;
}

/** Progress inside one run, reported by the runner (e.g. once per epoch). */
export interface RunProgress {
  /** The epoch just finished (1-based). */
  readonly epoch: number;
  /** Its mean training loss. */
  readonly loss: number;
  /** The epoch cap of the run. */
  readonly maxEpochs?: number;
}

/** What a runner receives besides the run. */
export interface RunContext {
  /** Call it during training; the executor forwards it to `onProgress`. */
  readonly report: (progress: RunProgress) => void;
}

/** Computes one run. Throwing (or rejecting) marks the run as failed with the error's message. */
export type Runner = (run: Run, context: RunContext) => Promise<RunOutput>;

/** A failure that knows which backend it happened on (the executor records it). */
export class RunFailure extends Error {
  /** The error's name. */
  override name = "RunFailure";
  /** The backend in use when the run failed (`unknown` when not known). */
  readonly backend: string;
  /**
   * A failure with its message and the backend it happened on.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { RunFailure } from "./runner.ts";
   * assert.ok(new RunFailure("diverged", "cpu").backend === "cpu");
   * assert.ok(new RunFailure("crashed").backend === "unknown");
   * ```
   */
  constructor(message: string, backend?: string) {
    super(message);
    this.backend = backend ?? "unknown";
  }
}
