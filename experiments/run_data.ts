/**
 * A run's data: its grammar, then the training and test sets drawn from it as the run's recipe
 * says (`mode`, default `distinct`; `balanced`, default class-balanced: the authors' protocol),
 * encoded for the network. The one place where the pipeline, the `train` command and the explorer
 * turn a run into tensors' worth of numbers.
 *
 * @module
 */
import { encode, type Grammar, makeGrammar, sampleSplit, type SrhmParams } from "@srhm/generators";
import type { TrainData } from "@srhm/networks";
import type { RunTraining } from "./plan.ts";
import { AUTHORS_PROTOCOL } from "./protocol.ts";

/** What fixes a run's data. */
export interface RunDataSpec {
  /** The grammar's parameters (its seed included). */
  readonly params: SrhmParams;
  /** Training-set size. */
  readonly P: number;
  /** Test-set size. */
  readonly test: number;
  /** Seed of the split. */
  readonly seed: number;
  /** The split's sampling and the encoding. */
  readonly training: Pick<RunTraining, "mode" | "balanced" | "encoding">;
}

/**
 * The grammar of `spec.params` and the encoded training and test sets of `spec`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeParams } from "@srhm/generators";
 * import { runData } from "./run_data.ts";
 * const { grammar, data } = runData({
 *   params: makeParams({ L: 2, v: 3, m: 2, nc: 2 }), P: 8, test: 4, seed: 0,
 *   training: { encoding: "onehot" },
 * });
 * assert.equal(data.train.count, 8);
 * assert.equal(data.test.labels.length, 4);
 * assert.equal(data.train.x.length, 8 * grammar.d * 3); // one-hot: d positions, v symbols
 * ```
 */
export function runData(spec: RunDataSpec): { grammar: Grammar; data: TrainData } {
  const grammar = makeGrammar(spec.params);
  const split = sampleSplit(grammar, {
    train: spec.P,
    test: spec.test,
    seed: spec.seed,
    mode: spec.training.mode ?? AUTHORS_PROTOCOL.training.mode,
    balanced: spec.training.balanced ?? AUTHORS_PROTOCOL.training.balanced,
  });
  const encoding = spec.training.encoding;
  return {
    grammar,
    data: {
      train: { x: encode(split.train, encoding), labels: split.train.labels, count: spec.P },
      test: { x: encode(split.test, encoding), labels: split.test.labels, count: spec.test },
    },
  };
}
