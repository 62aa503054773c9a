/**
 * `@srhm/networks`: the paper's CNN, LCN and FCN on TensorFlow.js (docs/protocol.md, networks and training).
 *
 * A network is a plain configuration (`NetworkConfig`, `configForGrammar`, `validateConfig`);
 * `initWeights` draws its weights from our seeded PRNG (the same on every backend); `buildNetwork`
 * turns both into tfjs operations (reshape + one matrix product per layer); `train` runs the
 * paper's protocol; `activations` reads every hidden layer's output back for the metrics.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { buildNetwork, makeConfig } from "./mod.ts";
 * await tf.setBackend("cpu");
 * const net = buildNetwork(makeConfig({
 *   kind: "cnn", depth: 2, patch: 2, width: 4, channels: 3, length: 4, classes: 2,
 *   bias: "per-position", parametrisation: "mean-field", seed: 0,
 * }));
 * assert.ok(net.variables.length === 5);
 * net.dispose();
 * ```
 *
 * @module
 */

/** The package name. */
export const PACKAGE = "@srhm/networks";
export {
  BIAS_MODES,
  ConfigError,
  configForGrammar,
  FCN_SCALES,
  layerShapes,
  makeConfig,
  NETWORK_KINDS,
  PARAMETRISATIONS,
  validateConfig,
} from "./config.ts";
export type {
  BiasMode,
  FcnScale,
  GrammarNetworkOptions,
  GrammarShape,
  LayerShape,
  NetworkConfig,
  NetworkKind,
  Parametrisation,
} from "./config.ts";
export { checkWeights, initWeights, weightShapes } from "./init.ts";
export type { LayerWeights, Weights, WeightShapes } from "./init.ts";
export { BIAS_SCALE, buildNetwork, readoutScale } from "./build.ts";
export type { ForwardOutput, Network } from "./build.ts";
export { activations } from "./activations.ts";
export type { Activations, Representations } from "./activations.ts";
export { crossEntropy } from "./loss.ts";
export { registerNetworkGradients } from "./gradients.ts";
export { effectiveLr, referenceLr, referenceLrRule, referenceStopLoss } from "./lr.ts";
export type { ReferenceLrRule } from "./lr.ts";
export { momentumSgd } from "./sgd.ts";
export type { MomentumSgd } from "./sgd.ts";
export { epochPermutation, STOP_CHECKS, train } from "./train.ts";
export type {
  EpochRecord,
  LabelledData,
  StopCheck,
  TrainData,
  TrainOptions,
  TrainResult,
  TrainStatus,
} from "./train.ts";
export { BACKEND_NAMES, BackendUnavailableError, selectBackend } from "./backend.ts";
export {
  checkEstimate,
  checkTrainingMemory,
  estimateTrainingMemory,
  formatBytes,
  MemoryEstimateError,
  WASM_HEAP_BYTES,
} from "./memory.ts";
export type { MemoryEstimate, MemorySizes } from "./memory.ts";
export { buildForGrammar, DEEP_RECIPE, isDeepNetwork, NET_KINDS } from "./any_network.ts";
export type { AnyNetwork, AnyNetworkOptions, DeepRecipe, NetKind } from "./any_network.ts";
export { decayCoefficients, sgdLr } from "./trainable.ts";
export type { ForwardMode, Trainable } from "./trainable.ts";
export {
  buildDeepNetwork,
  checkDeepTrainingMemory,
  DEEP_NET_KINDS,
  deepConfig,
  estimateDeepTrainingMemory,
  isDeepNetKind,
  parameterCount,
} from "./deep/mod.ts";
export type {
  Block,
  DeepConfig,
  DeepForward,
  DeepNetKind,
  DeepNetwork,
  DeepShape,
  Op,
} from "./deep/mod.ts";
export type { BackendInfo, BackendName } from "./backend.ts";
