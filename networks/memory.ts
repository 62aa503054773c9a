/**
 * Memory: an estimate of what training a configuration allocates, checked before anything is
 * allocated, so that a configuration whose tensors would not fit is refused with the estimate in
 * the message instead of crashing (or swapping) half-way.
 *
 * The estimate counts float32 numbers (4 bytes each): the weights four times (the variables, the
 * momentum, the gradients, the copy of the best weights); the data twice (the encoded arrays and
 * their tensors: `P` training and `test` test data of `length * channels` numbers each); and the
 * activations of one mini-batch (forward and backward: twice the input and every layer's
 * pre-activation and output) and of one evaluation batch (forward only). It is an order of
 * magnitude, on the high side, not an exact count.
 *
 * The limits: the tensors of the WebAssembly backends (`wasm`, `wasm+blas`, `auto`) live in one
 * WebAssembly memory of at most 4 GiB (4294901760 bytes, tfjs-backend-wasm's heap cap); the
 * encoded arrays and the plain-JavaScript backends (`cpu`) use the machine's memory
 * (`Deno.systemMemoryInfo().total`).
 *
 * @module
 */
import { layerShapes, type NetworkConfig } from "./config.ts";
import { weightShapes } from "./init.ts";

/** An estimate of the bytes training needs, by part. */
export interface MemoryEstimate {
  /** Weights, momentum, gradients and the best weights' copy. */
  readonly weights: number;
  /** The training and test data (arrays and tensors). */
  readonly data: number;
  /** One mini-batch's and one evaluation batch's activations, forward and backward. */
  readonly activations: number;
  /** Of the total, what lives in the backend's tensor memory. */
  readonly tensors: number;
  /** Everything. */
  readonly total: number;
}

/** The sizes that, with the configuration, fix the memory of training. */
export interface MemorySizes {
  /** Training-set size P. */
  readonly train: number;
  /** Test-set size. */
  readonly test: number;
  /** Mini-batch size. */
  readonly batch: number;
  /** Evaluation batch (the trainer's default 1024). */
  readonly evalBatch?: number;
}

const FLOAT = 4;
const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * The bytes that training `config` on `sizes` allocates (see the module doc).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { estimateTrainingMemory } from "./memory.ts";
 * const config = { kind: "cnn", depth: 2, patch: 4, width: 8, channels: 4, length: 16, classes: 4,
 *   bias: "per-position", parametrisation: "mean-field", seed: 0 } as const;
 * const e = estimateTrainingMemory(config, { train: 100, test: 100, batch: 16 });
 * assert.equal(e.data, 2 * 200 * 16 * 4 * 4);
 * assert.equal(e.total, e.weights + e.data + e.activations);
 * ```
 */
export function estimateTrainingMemory(config: NetworkConfig, sizes: MemorySizes): MemoryEstimate {
  const shapes = weightShapes(config);
  const params = shapes.layers.reduce((a, l) => a + count(l.W) + count(l.b), 0) +
    count(shapes.readout);
  const row = config.length * config.channels;
  const perDatum = row +
    layerShapes(config).reduce((a, l) => a + 2 * l.outPositions * l.outChannels, 0);
  return estimateFromCounts({ params, row, perDatum }, sizes);
}

/**
 * The estimate from what a network's memory depends on: its trained parameters, the floats of
 * one input datum (`row`) and the floats one datum keeps through a forward and backward pass
 * (`perDatum`, the input included). The weights count four times (variables, momentum,
 * gradients, the best weights' copy), the data twice (arrays and tensors), the activations for two
 * mini-batches' worth (forward and backward) and one evaluation batch.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { estimateFromCounts } from "./memory.ts";
 * const e = estimateFromCounts({ params: 10, row: 4, perDatum: 8 }, { train: 1, test: 1, batch: 1 });
 * assert.deepEqual([e.weights, e.data, e.activations], [160, 64, 96]);
 * assert.equal(e.total, e.weights + e.data + e.activations);
 * ```
 */
export function estimateFromCounts(
  counts: { readonly params: number; readonly row: number; readonly perDatum: number },
  sizes: MemorySizes,
): MemoryEstimate {
  const weights = 4 * counts.params * FLOAT;
  const dataOnce = (sizes.train + sizes.test) * counts.row * FLOAT;
  const evalBatch = Math.min(sizes.evalBatch ?? 1024, Math.max(sizes.test, 1));
  const activations = (2 * sizes.batch + evalBatch) * counts.perDatum * FLOAT;
  const tensors = weights * 3 / 4 + dataOnce + activations;
  return {
    weights,
    data: 2 * dataOnce,
    activations,
    tensors,
    total: weights + 2 * dataOnce + activations,
  };
}

/** The WebAssembly backend's heap cap (tfjs-backend-wasm 4.22: `getHeapMax()`). */
export const WASM_HEAP_BYTES = 4294901760;

/** Thrown when a configuration would not fit; `estimate` holds the numbers. */
export class MemoryEstimateError extends Error {
  /** Always `"MemoryEstimateError"`. */
  override name = "MemoryEstimateError";
  /**
   * Wraps the refusal and the estimate behind it.
   *
   * @param message the refusal, with the estimate
   * @param estimate the estimate
   */
  constructor(message: string, readonly estimate: MemoryEstimate) {
    super(message);
  }
}

/**
 * Bytes as a short human-readable text (`1.5 GiB`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatBytes } from "./memory.ts";
 * assert.equal(formatBytes(1.5 * 2 ** 30), "1.5 GiB");
 * assert.equal(formatBytes(512), "512 B");
 * ```
 */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let x = bytes;
  let u = 0;
  while (x >= 1024 && u < units.length - 1) {
    x /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(x)} B` : `${x.toFixed(1)} ${units[u]}`;
}

/** The machine's memory in bytes (`Infinity` when it cannot be read). */
function systemMemory(): number {
  try {
    return Deno.systemMemoryInfo().total;
  } catch {
    return Infinity;
  }
}

/**
 * Throws a `MemoryEstimateError` when training `config` on `sizes` with `backend` would not fit:
 * its tensors beyond the WebAssembly heap (wasm backends), or everything beyond the machine's
 * memory (`machineBytes`, default `Deno.systemMemoryInfo().total`). Returns the estimate.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkTrainingMemory } from "./memory.ts";
 * // L = 5, s = 3, s0 = 2 (patch 9, d = 9^5), v = 4, width 512, 20000 test data: far too big
 * const config = { kind: "cnn", depth: 5, patch: 9, width: 512, channels: 4, length: 9 ** 5,
 *   classes: 4, bias: "per-position", parametrisation: "mean-field", seed: 0 } as const;
 * assert.throws(() => checkTrainingMemory(config, { train: 1000, test: 20000, batch: 16 }, "wasm"),
 *   /would not fit in memory: about .* GiB/);
 * ```
 */
export function checkTrainingMemory(
  config: NetworkConfig,
  sizes: MemorySizes,
  backend: string,
  machineBytes: number = systemMemory(),
): MemoryEstimate {
  return checkEstimate(
    estimateTrainingMemory(config, sizes),
    `the ${config.kind.toUpperCase()} of width ${config.width} (input ${config.length} x ` +
      `${config.channels})`,
    sizes,
    backend,
    machineBytes,
  );
}

/**
 * Throws a `MemoryEstimateError` when an estimate does not fit: its tensors beyond the WebAssembly
 * heap (wasm backends), or everything beyond `machineBytes` (default: the machine's memory). `what`
 * names the network in the message. Returns the estimate.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkEstimate } from "./memory.ts";
 * const e = { weights: 0, data: 0, activations: 8 * 2 ** 30, tensors: 8 * 2 ** 30, total: 8 * 2 ** 30 };
 * const sizes = { train: 10, test: 10, batch: 10 };
 * assert.throws(() => checkEstimate(e, "the net", sizes, "wasm"), /the net would not fit in memory/);
 * assert.equal(checkEstimate(e, "the net", sizes, "cpu", 2 ** 40), e);
 * ```
 */
export function checkEstimate(
  e: MemoryEstimate,
  what: string,
  sizes: MemorySizes,
  backend: string,
  machineBytes: number = systemMemory(),
): MemoryEstimate {
  const wasm = backend === "auto" || backend.startsWith("wasm");
  const parts = `weights and optimiser ${formatBytes(e.weights)}, data ${formatBytes(e.data)} ` +
    `(P = ${sizes.train}, test = ${sizes.test}), activations ${formatBytes(e.activations)} ` +
    `(batch ${sizes.batch})`;
  const advice = "lower --width, --P, --test or --batch";
  if (wasm && e.tensors > WASM_HEAP_BYTES) {
    throw new MemoryEstimateError(
      `${what} would not fit in memory: about ${formatBytes(e.tensors)} of tensors ` +
        `(${parts}) against the ${formatBytes(WASM_HEAP_BYTES)} of the ${backend} backend's ` +
        `WebAssembly heap; ${advice}`,
      e,
    );
  }
  if (e.total > machineBytes) {
    throw new MemoryEstimateError(
      `${what} would not fit in memory: about ${formatBytes(e.total)} (${parts}) ` +
        `against the machine's ${formatBytes(machineBytes)}; ${advice}`,
      e,
    );
  }
  return e;
}
