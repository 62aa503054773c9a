/**
 * An `Identity` for the wasm backend that shares the input's memory instead of copying it.
 *
 * tfjs clones (`Identity`) every tensor that a gradient needs later; the wasm backend's Identity
 * copies the whole buffer, about 40 copies per training step of the reference network. Tensors are
 * immutable (no kernel writes into its inputs, and a variable's `assign` swaps buffers), so a
 * reference-counted share, which is what the cpu backend's Identity does, gives the same values.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import { originalKernel, overrideKernel, restoreKernel } from "./override.ts";

interface RefCounting {
  incRef(dataId: tf.DataId): void;
}

/**
 * Registers the sharing Identity on the wasm backend (strings keep the original kernel).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-wasm";
 * import { restoreSharedIdentity, useSharedIdentity } from "./shared_identity.ts";
 * await tf.setBackend("wasm");
 * useSharedIdentity();
 * const x = tf.tensor([1, 2, 3]);
 * const y = tf.clone(x);
 * x.dispose();
 * assert.ok((await y.data())[2] === 3);
 * restoreSharedIdentity();
 * ```
 */
export function useSharedIdentity(): void {
  const original = originalKernel("wasm", "Identity");
  overrideKernel("wasm", "Identity", (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === "string") return original.kernelFunc(args);
    (args.backend as unknown as RefCounting).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
}

/**
 * Puts the wasm backend's copying Identity back.
 *
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-wasm";
 * import { restoreSharedIdentity } from "./shared_identity.ts";
 * restoreSharedIdentity();
 * ```
 */
export function restoreSharedIdentity(): void {
  restoreKernel("wasm", "Identity");
}
