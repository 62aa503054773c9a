/**
 * The names `--net` accepts and the standard networks' training recipe, without TensorFlow.js
 * (the subpath `@srhm/networks/kinds`, for code that plans runs but never trains): the names, the
 * recipe, and the standard networks' configurations (`deepConfig`: plain data).
 *
 * @module
 */
import { NETWORK_KINDS, type NetworkKind } from "./config.ts";
import { DEEP_NET_KINDS, type DeepNetKind } from "./deep/config.ts";

export { DEEP_NET_KINDS, isDeepNetKind } from "./deep/config.ts";
export type { DeepConfig, DeepNetKind } from "./deep/config.ts";
export { deepConfig } from "./deep/plans.ts";

/** A network's name: hierarchical or standard. */
export type NetKind = NetworkKind | DeepNetKind;

/** Every name `--net` accepts, hierarchical first. */
export const NET_KINDS: readonly NetKind[] = [...NETWORK_KINDS, ...DEEP_NET_KINDS];

/** The training recipe of the standard networks (the authors' for Figure 1). */
export interface DeepRecipe {
  /** Base learning rate; SGD uses `lr * width` (1e-4: 6.4e-3 at width 64). */
  readonly lr: number;
  /** Weight decay of the penalty `wd * mean(p^2)` per parameter tensor (5e-4). */
  readonly weightDecay: number;
  /** Epoch cap (250). */
  readonly maxEpochs: number;
  /** Stop when the epoch's mean training loss is below this (1e-2). */
  readonly stopLoss: number;
}

/**
 * The authors' recipe for the standard networks: SGD with momentum 0.9, base lr 1e-4 (times the
 * width), weight decay 5e-4, at most 250 epochs, stop below a training loss of 1e-2.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEEP_RECIPE } from "./any_network.ts";
 * assert.equal(DEEP_RECIPE.lr * 64, 6.4e-3);
 * ```
 */
export const DEEP_RECIPE: DeepRecipe = Object.freeze({
  lr: 1e-4,
  weightDecay: 5e-4,
  maxEpochs: 250,
  stopLoss: 1e-2,
});
