/**
 * The memory that training a standard deep network (VGG, ResNet, EfficientNet) needs, estimated
 * before anything is allocated, as `networks/memory.ts` does for the hierarchical networks: the
 * weights four times (variables, momentum, gradients, the best weights' copy) plus the batch
 * norms' running statistics, the data twice (arrays and tensors), and the activations of a
 * mini-batch (every layer's output, forward and backward) and of an evaluation batch (forward). An
 * im2col copy per convolution (width `size` times the input channels) is counted with the
 * activations: it is the fast path's largest temporary.
 *
 * @module
 */
import {
  checkEstimate,
  estimateFromCounts,
  type MemoryEstimate,
  type MemorySizes,
} from "../memory.ts";
import { type DeepConfig, type Op, opShape } from "./config.ts";
import { parameterCount } from "./params.ts";

/** Floats stored per datum by one op on input `[T, C]` (its output, and its im2col copy). */
function opFloats(
  op: Op,
  shape: readonly [number, number],
): { out: [number, number]; floats: number } {
  if (op.op === "residual") {
    let floats = 0;
    let s: [number, number] = [shape[0], shape[1]];
    for (const o of op.body) {
      const r = opFloats(o, s);
      floats += r.floats;
      s = r.out;
    }
    let t: [number, number] = [shape[0], shape[1]];
    for (const o of op.shortcut) {
      const r = opFloats(o, t);
      floats += r.floats;
      t = r.out;
    }
    return { out: s, floats: floats + s[0] * s[1] };
  }
  const out = opShape(op, shape);
  const im2col = op.op === "conv" ? out[0] * op.size * shape[1] : 0;
  return { out, floats: out[0] * out[1] + im2col };
}

/**
 * The estimate, by part, in bytes (the same parts as `estimateTrainingMemory`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deepConfig } from "./plans.ts";
 * import { parameterCount } from "./params.ts";
 * import { estimateDeepTrainingMemory } from "./memory.ts";
 * const config = deepConfig("vgg11", { width: 16, channels: 10, length: 36, classes: 10 });
 * const e = estimateDeepTrainingMemory(config, { train: 7400, test: 2000, batch: 128 });
 * assert.ok(e.weights >= 16 * parameterCount(config));
 * assert.equal(e.data, 2 * (7400 + 2000) * 36 * 10 * 4);
 * assert.equal(e.total, e.weights + e.data + e.activations);
 * ```
 */
export function estimateDeepTrainingMemory(
  config: DeepConfig,
  sizes: MemorySizes,
): MemoryEstimate {
  const row = config.length * config.channels;
  let shape: [number, number] = [config.length, config.channels];
  let perDatum = row;
  for (const block of config.blocks) {
    for (const op of block.ops) {
      const r = opFloats(op, shape);
      perDatum += r.floats;
      shape = r.out;
    }
  }
  return estimateFromCounts({ params: parameterCount(config), row, perDatum }, sizes);
}

/**
 * Throws a `MemoryEstimateError` (naming the network, the estimate by part and what to lower) when
 * training `config` would not fit: its tensors beyond the WebAssembly heap (wasm backends), or
 * everything beyond the machine's memory. Returns the estimate.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deepConfig } from "./plans.ts";
 * import { checkDeepTrainingMemory } from "./memory.ts";
 * const big = deepConfig("resnet34", { width: 512, channels: 10, length: 36, classes: 10 });
 * assert.throws(() => checkDeepTrainingMemory(big, { train: 7400, test: 20000, batch: 4096 }, "wasm"),
 *   /RESNET34 of width 512 .* would not fit in memory: about .* GiB/);
 * const small = deepConfig("vgg11", { width: 16, channels: 10, length: 36, classes: 10 });
 * checkDeepTrainingMemory(small, { train: 7400, test: 2000, batch: 128 }, "wasm");
 * ```
 */
export function checkDeepTrainingMemory(
  config: DeepConfig,
  sizes: MemorySizes,
  backend: string,
  machineBytes?: number,
): MemoryEstimate {
  return checkEstimate(
    estimateDeepTrainingMemory(config, sizes),
    `the ${config.kind.toUpperCase()} of width ${config.width} (input ${config.length} x ` +
      `${config.channels})`,
    sizes,
    backend,
    machineBytes,
  );
}
