/**
 * The pipeline of one run, in the order of the paper: grammar → train/test split (distinct) →
 * encoding → network from its configuration → training → test error, then the sensitivities
 * `S_{k,l}` and `D_{k,l}` of every layer with the network at its best test error (how they are
 * measured: `sensitivity_protocol.ts`).
 *
 * Seeds: the grammar uses `run.params.seed`; the split, the initialisation and the SGD order use
 * `run.seed`. Sampling: the train/test split is `run.training.mode` (default `distinct`: disjoint,
 * no duplicates; `iid`: with replacement, as the SRHM code as run), class-balanced unless
 * `run.training.balanced` is `false` (the authors' sets are balanced; absent fields take the
 * authors' values, `protocol.ts`).
 *
 * @module
 */
import type { Grammar, SrhmParams } from "@srhm/generators";
import {
  type AnyNetwork,
  type BackendName,
  BackendUnavailableError,
  buildForGrammar,
  type NetKind,
  selectBackend,
  train,
  type TrainOptions,
  type TrainResult,
} from "@srhm/networks";
import { version_core } from "@tensorflow/tfjs-core";
import type { Run, RunNetwork, RunTraining } from "./plan.ts";
import { type RunContext, RunFailure, type RunOutput } from "./runner.ts";
import { measureSensitivities } from "./sensitivity_protocol.ts";
import { checkRunMemory } from "./run_memory.ts";
import { AUTHORS_PROTOCOL } from "./protocol.ts";
import { runData } from "./run_data.ts";

const seconds = (t0: number): number => (performance.now() - t0) / 1000;

/** What `trainOnGrammar` needs: a run's model, sizes, network and training recipe. */
export interface TrainSpec {
  /** The grammar's parameters. */
  readonly params: SrhmParams;
  /** Training-set size. */
  readonly P: number;
  /** Test-set size. */
  readonly test: number;
  /** Seed of the split, the initialisation and the SGD order. */
  readonly seed: number;
  /** The network. */
  readonly network: Omit<RunNetwork, "kind"> & { readonly kind: NetKind };
  /** The training recipe (`mode`: the split's sampling, default `distinct`); `momentum` defaults
   * to the reference's 0.9. */
  readonly training: RunTraining & { readonly momentum?: number };
}

/** What `trainOnGrammar` returns; the caller owns `network` and must `dispose()` it. */
export interface Trained {
  /** The grammar the data came from. */
  readonly grammar: Grammar;
  /** The trained network, holding its weights with the best test error. */
  readonly network: AnyNetwork;
  /** The trainer's result. */
  readonly result: TrainResult;
  /** The backend that ran it. */
  readonly backend: { readonly name: string; readonly detail: string };
  /** Seconds of drawing and encoding the data. */
  readonly sampleSeconds: number;
  /** Seconds of training. */
  readonly trainSeconds: number;
}

/**
 * The shared first half of every run (`runPipeline` and the `train` command): backend, grammar,
 * train/test split, encoding, network from its configuration, training.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trainOnGrammar } from "./pipeline.ts";
 * const t = await trainOnGrammar({
 *   params: { L: 2, s: 2, s0: 0, v: 3, m: 2, nc: 2, sparsity: "A", seed: 1 },
 *   network: { kind: "cnn", width: 8, bias: "per-position", parametrisation: "mean-field" },
 *   training: { lr: 0.1, batch: 8, maxEpochs: 2, stopLoss: 1e-3, evalEvery: 1, encoding: "onehot", backend: "cpu" },
 *   P: 8, test: 8, seed: 0,
 * }, { quiet: true });
 * assert.equal(t.result.epochs, 2);
 * t.network.dispose();
 * ```
 */
export async function trainOnGrammar(
  spec: TrainSpec,
  options: { readonly quiet?: boolean; readonly onEpoch?: TrainOptions["onEpoch"] } = {},
): Promise<Trained> {
  const backend = await selectBackend(spec.training.backend as BackendName);
  checkRunMemory(spec, backend.name); // before anything is allocated
  const t0 = performance.now();
  const { grammar, data } = runData(spec);
  const sampleSeconds = seconds(t0);
  const network = buildForGrammar(grammar, {
    ...spec.network,
    fcnScale: spec.network.fcnScale ?? AUTHORS_PROTOCOL.network.fcnScale,
    seed: spec.seed,
  });
  try {
    const t1 = performance.now();
    const result = await train<unknown>(network, data, {
      lr: spec.training.lr,
      batch: spec.training.batch,
      maxEpochs: spec.training.maxEpochs,
      stopLoss: spec.training.stopLoss,
      evalEvery: spec.training.evalEvery,
      stopCheck: spec.training.stopCheck ?? AUTHORS_PROTOCOL.training.stopCheck,
      momentum: spec.training.momentum ?? 0.9,
      weightDecay: spec.training.weightDecay ?? 0,
      seed: spec.seed,
      quiet: options.quiet ?? true,
      ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
    });
    return { grammar, network, result, backend, sampleSeconds, trainSeconds: seconds(t1) };
  } catch (e) {
    network.dispose();
    throw e;
  }
}

/**
 * Computes one run: the full pipeline as a `Runner`. Throws a `RunFailure` when training diverged
 * or the backend is not available (with the backend's name).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runPipeline } from "./pipeline.ts";
 * import { makeRun } from "./plan.ts";
 * const run = makeRun({
 *   experiment: "demo",
 *   params: { L: 2, s: 2, s0: 0, v: 3, m: 2, nc: 2, sparsity: "A", seed: 1 },
 *   network: { kind: "cnn", width: 8, bias: "per-position", parametrisation: "mean-field" },
 *   training: { lr: 0.1, batch: 8, maxEpochs: 2, stopLoss: 1e-3, evalEvery: 1, encoding: "onehot", backend: "cpu" },
 *   measure: { sensitivities: true, perClass: 4 },
 *   P: 8, test: 8, seed: 0,
 * });
 * const out = await runPipeline(run);
 * assert.ok(out.metrics.testError >= 0);
 * assert.equal(out.metrics.S?.length, 3);
 * ```
 */
export async function runPipeline(run: Run, context?: Partial<RunContext>): Promise<RunOutput> {
  const { grammar, network, result, backend, sampleSeconds, trainSeconds } = await trainOnGrammar(
    run,
    {
      onEpoch: (e) =>
        context?.report?.({ epoch: e.epoch, loss: e.trainLoss, maxEpochs: run.training.maxEpochs }),
    },
  ).catch((e) => {
    throw e instanceof BackendUnavailableError ? new RunFailure(e.message, e.backend) : e;
  });
  try {
    if (result.status === "diverged") {
      throw new RunFailure(
        `diverged: training loss ${result.trainLoss} after ${result.epochs} epochs (lr ${run.training.lr})`,
        backend.name,
      );
    }
    const t2 = performance.now();
    const sens = run.measure.sensitivities
      ? await measureSensitivities(network, grammar, run)
      : undefined;
    return {
      backend: backend.name,
      versions: { tfjs: version_core },
      timings: { sample: sampleSeconds, train: trainSeconds, measure: seconds(t2) },
      metrics: {
        testError: result.testError,
        finalTestError: result.finalTestError,
        trainLoss: result.trainLoss,
        epochs: result.epochs,
        bestEpoch: result.bestEpoch,
        trainStatus: result.status,
        trainSamplesPerSec: result.trainSamplesPerSec,
        ...(sens ?? {}),
      },
    };
  } finally {
    network.dispose();
  }
}
