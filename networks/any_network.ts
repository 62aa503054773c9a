/**
 * Every network that `--net` can name: the paper's hierarchical networks (`cnn`, `lcn`, `fcn`) and
 * the standard deep ones (`vgg11`, `vgg16`, `resnet18`, `resnet34`, `efficientnetb0`), built for a
 * grammar's shapes, with each family's training recipe.
 *
 * @module
 */
import { type BiasMode, configForGrammar, type GrammarShape } from "./config.ts";
import type { FcnScale, Parametrisation } from "./config.ts";
import { buildNetwork, type Network } from "./build.ts";
import { isDeepNetKind } from "./deep/config.ts";
import type { NetKind } from "./net_kinds.ts";
import { deepConfig } from "./deep/plans.ts";
import { buildDeepNetwork, type DeepNetwork } from "./deep/build.ts";

/** A built network of either family. */
export type AnyNetwork = Network | DeepNetwork;

/** What fixes a network besides the grammar. */
export interface AnyNetworkOptions {
  /** Which network. */
  readonly kind: NetKind;
  /** `H` of a hierarchical network; the channel scale (64 = published) of a standard one. */
  readonly width: number;
  /** Hierarchical networks only (default `per-position`). */
  readonly bias?: BiasMode;
  /** Hierarchical networks only (default `mean-field`). */
  readonly parametrisation?: Parametrisation;
  /** Initialisation seed (default 0). */
  readonly seed?: number;
  /** FCN pre-activation scaling (default `channels`, the authors'). */
  readonly fcnScale?: FcnScale;
}

/**
 * Whether a built network is a standard deep one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { buildForGrammar, isDeepNetwork } from "./any_network.ts";
 * await tf.setBackend("cpu");
 * const grammar = { params: { L: 2, v: 4, nc: 4 }, S: 4, d: 16 };
 * const net = buildForGrammar(grammar, { kind: "resnet18", width: 4 });
 * assert.ok(isDeepNetwork(net));
 * net.dispose();
 * ```
 */
export function isDeepNetwork(network: AnyNetwork): network is DeepNetwork {
  return isDeepNetKind(network.config.kind);
}

/**
 * Builds network `kind` for a grammar's shapes (input `[d, v]`, `nc` classes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { buildForGrammar } from "./any_network.ts";
 * await tf.setBackend("cpu");
 * // vgg11's five max-pools need 32 positions or more: d = 6^2
 * const grammar = { params: { L: 2, v: 4, nc: 4 }, S: 6, d: 36 };
 * for (const kind of ["cnn", "vgg11"] as const) {
 *   const net = buildForGrammar(grammar, { kind, width: 8 });
 *   const shape = tf.tidy(() => net.forward(tf.ones([2, 36, 4])).logits.shape.join());
 *   assert.equal(shape, "2,4");
 *   net.dispose();
 * }
 * ```
 */
export function buildForGrammar(grammar: GrammarShape, opts: AnyNetworkOptions): AnyNetwork {
  const seed = opts.seed ?? 0;
  if (isDeepNetKind(opts.kind)) {
    const shape = {
      width: opts.width,
      channels: grammar.params.v,
      length: grammar.d,
      classes: grammar.params.nc,
    };
    return buildDeepNetwork(deepConfig(opts.kind, shape, seed));
  }
  return buildNetwork(configForGrammar(grammar, { ...opts, kind: opts.kind, seed }));
}

export { DEEP_RECIPE, NET_KINDS } from "./net_kinds.ts";
export type { DeepRecipe, NetKind } from "./net_kinds.ts";
