/**
 * The standard deep networks of the paper's Figure 1 (VGG11, VGG16, ResNet18, ResNet34,
 * EfficientNet-B0) in one dimension, as plain configurations and a builder.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEEP_NET_KINDS, deepConfig, parameterCount } from "./mod.ts";
 * const counts = DEEP_NET_KINDS.map((k) =>
 *   parameterCount(deepConfig(k, { width: 8, channels: 10, length: 36, classes: 10 }))
 * );
 * assert.ok(counts.every((n) => n > 0));
 * ```
 *
 * @module
 */
export { blockShapes, DEEP_NET_KINDS, isDeepNetKind, opShape, scaled } from "./config.ts";
export type { Block, BlockShape, DeepConfig, DeepNetKind, DeepShape, Op } from "./config.ts";
export { deepConfig } from "./plans.ts";
export { initDeepWeights, parameterCount, paramSpecs } from "./params.ts";
export type { ParamInit, ParamSpec } from "./params.ts";
export { buildDeepNetwork } from "./build.ts";
export type { DeepForward, DeepNetwork } from "./build.ts";
export {
  col2im,
  col2imSlices,
  conv1d,
  convLength,
  depthwiseConv1d,
  im2col,
  im2colSlices,
} from "./conv1d.ts";
export type { ConvGeometry } from "./conv1d.ts";
export {
  BATCH_NORM_EPS,
  BATCH_NORM_MOMENTUM,
  batchNormEval,
  batchNormTrain,
} from "./batch_norm.ts";
export type { RunningStats } from "./batch_norm.ts";
export { checkDeepTrainingMemory, estimateDeepTrainingMemory } from "./memory.ts";
export { maxPool2, maxPool2Slices, meanPool, scaleChannels } from "./pooling.ts";
export { gate, swish } from "./swish.ts";
export { addRelu } from "./add_relu.ts";
