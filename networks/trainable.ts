/**
 * What the trainer needs of a network, so that one trainer serves the hierarchical networks
 * (`Network`) and the standard deep ones (`DeepNetwork`): shapes, trainable variables, a forward
 * pass with a mode (`train`: batch statistics and dropout; `eval`), and a copy of its weights.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { Parametrisation } from "./config.ts";
import { effectiveLr } from "./lr.ts";

/** `train` (batch statistics, running statistics updated, dropout on) or `eval`. */
export type ForwardMode = "train" | "eval";

/** A network that `train` can train; `W` is its weights' layout. */
export interface Trainable<W> {
  /** The shapes the trainer checks the data against, and names for its progress bar. */
  readonly config: {
    readonly kind: string;
    readonly width: number;
    readonly length: number;
    readonly channels: number;
    readonly classes: number;
    readonly parametrisation?: Parametrisation;
  };
  /** The variables that SGD updates. */
  readonly variables: readonly tf.Variable[];
  /**
   * SGD's learning rate is the base rate times this, when given (the standard networks: their
   * width); otherwise `effectiveLr` of the parametrisation.
   */
  readonly lrScale?: number;
  /** The forward pass; the trainer asks for `train` in its steps and `eval` (the default) else. */
  forward(x: tf.Tensor, mode?: ForwardMode): { readonly logits: tf.Tensor2D };
  /** A copy of every weight (and state, e.g. running statistics). */
  getWeights(): Promise<W>;
  /** Puts a copy back. */
  setWeights(weights: W): void;
}

/**
 * The learning rate that SGD uses for `network` with base rate `lr`: `lr * lrScale` when the
 * network says so, else `effectiveLr(lr, width, parametrisation)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sgdLr } from "./trainable.ts";
 * const config = { kind: "x", width: 64, length: 1, channels: 1, classes: 2 };
 * assert.equal(sgdLr({ config, lrScale: 64 }, 1e-4), 6.4e-3);
 * assert.equal(sgdLr({ config: { ...config, parametrisation: "mean-field" } }, 0.1), 6.4);
 * ```
 */
export function sgdLr(
  network: Pick<Trainable<unknown>, "config" | "lrScale">,
  lr: number,
): number {
  if (network.lrScale !== undefined) return lr * network.lrScale;
  return effectiveLr(lr, network.config.width, network.config.parametrisation ?? "standard");
}

/**
 * The weight decay of the penalty `wd * mean(p^2)` on every variable `p`, as SGD's per-variable
 * coefficient of `p` in the gradient: `2 wd / size(p)` (the penalty's gradient).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decayCoefficients } from "./trainable.ts";
 * assert.deepEqual(decayCoefficients([{ size: 4 }, { size: 1 }], 5e-4), [2.5e-4, 1e-3]);
 * ```
 */
export function decayCoefficients(
  variables: readonly { readonly size: number }[],
  wd: number,
): number[] {
  return variables.map((v) => 2 * wd / v.size);
}
