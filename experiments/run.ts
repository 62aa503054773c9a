/**
 * The run types of a plan: what one run is (network, training, measurement, data), as plain
 * data. `plan.ts` makes runs and plans of them; `protocol.ts` fills their defaults.
 *
 * @module
 */
import type { Encoding, SamplingMode, SrhmParams } from "@srhm/generators";

/** Network part of a run (the rest of the network config follows from the grammar). */
export interface RunNetwork {
  /** Architecture: CNN (shared filters), LCN (locally connected) or FCN. */
  readonly kind: "cnn" | "lcn" | "fcn";
  /** Width H of every hidden layer. */
  readonly width: number;
  /** Biases: one per (channel, position) as in the reference, one per channel, or none. */
  readonly bias: "per-position" | "shared" | "none";
  /** Readout scaling `1/H` (mean-field, the reference) or `1/sqrt(H)` (standard). */
  readonly parametrisation: "mean-field" | "standard";
  /** FCN pre-activation scaling: `channels` (the authors', written by `makeRun` when absent) or
   * `fan-in`; CNN and LCN ignore it. */
  readonly fcnScale?: "channels" | "fan-in";
}

/** Training part of a run (the protocol of docs/protocol.md; momentum is the reference's 0.9). */
export interface RunTraining {
  /** Base learning rate (multiplied by H in the mean-field parametrisation by the trainer). */
  readonly lr: number;
  /** Mini-batch size. */
  readonly batch: number;
  /** Epoch cap. */
  readonly maxEpochs: number;
  /** Stop when an epoch's mean training loss is below this. */
  readonly stopLoss: number;
  /** Evaluate the test error every this many epochs. */
  readonly evalEvery: number;
  /** Input encoding: `onehot` or `whitened`. */
  readonly encoding: Encoding;
  /** `auto`, `wasm`, `cpu`, `webgpu` or `tensorflow` (see `selectBackend`). */
  readonly backend: string;
  /** Sampling of the train/test split: `distinct` (the default, disjoint) or `iid` (with
   * replacement, as the SRHM code as run). */
  readonly mode?: SamplingMode;
  /** Weight decay `wd * mean(p^2)` per parameter tensor (absent: none, so that ids stay). */
  readonly weightDecay?: number;
  /** When the stopping loss is checked: `eval` (the authors', only at evaluation epochs) or
   * `epoch`. */
  readonly stopCheck?: "eval" | "epoch";
  /** Class-balanced training and test sets (the authors': `true`; sizes multiples of `nc`). */
  readonly balanced?: boolean;
}

/** What to measure after training. */
export interface RunMeasure {
  /** Measure `S_{k,l}` and `D_{k,l}` for every hidden layer k, the logits, and every level l. */
  readonly sensitivities: boolean;
  /** Fresh data per class for the sensitivities (the paper: about 20). */
  readonly perClass: number;
  /** Synonym exchange of `S_{k,l}`: `redraw` (the authors', uniform among all m) or `other`
   * (one of the m-1 other synonyms, the paper's text). */
  readonly synonymVariant?: "redraw" | "other";
  /** `true` (the authors'): the transformations act at every level <= l; `false`: at level l
   * only. */
  readonly cumulative?: boolean;
  /** Denominator of `S` and `D`: `batch-pairs` (the authors', all ordered pairs of the batch,
   * i = j included) or `independent` (pairs with an independent second draw). */
  readonly denominator?: "batch-pairs" | "independent";
}

/** One training run, as plain data. Make it with `makeRun` so that `id` matches the content. */
export interface Run {
  /** Content-derived id: first 16 hex digits of SHA-256 of the canonical JSON of the rest. */
  readonly id: string;
  /** Name of the experiment (`curve`, `scaling`, `hierarchy`, ...). */
  readonly experiment: string;
  /** The grammar's parameters (its seed included). */
  readonly params: SrhmParams;
  /** The network (its shapes follow from the grammar). */
  readonly network: RunNetwork;
  /** The training recipe. */
  readonly training: RunTraining;
  /** What to measure after training. */
  readonly measure: RunMeasure;
  /** Training-set size. */
  readonly P: number;
  /** Test-set size. */
  readonly test: number;
  /** Seed of the samples and of the network's initialisation (the grammar has `params.seed`). */
  readonly seed: number;
}

/** A run before its id is attached. */
export type RunSpec = Omit<Run, "id">;
