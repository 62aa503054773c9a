/**
 * Replacing one kernel of one tfjs backend, and putting the original back.
 *
 * The original is saved the first time it is replaced, and its setup function is kept on the
 * replacement (so the backend initialises the same way whichever is registered).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

const originals = new Map<string, tf.KernelConfig>();

/**
 * The backend's own kernel `kernelName` as tfjs registered it (saved the first time it is asked
 * for, so that it survives our replacements).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import "@tensorflow/tfjs-backend-wasm";
 * import { originalKernel } from "./override.ts";
 * assert.ok(originalKernel("wasm", "BatchMatMul").kernelName === "BatchMatMul");
 * ```
 */
export function originalKernel(backendName: string, kernelName: string): tf.KernelConfig {
  const key = `${backendName}/${kernelName}`;
  const saved = originals.get(key);
  if (saved !== undefined) return saved;
  const found = tf.getKernel(kernelName, backendName);
  if (found === undefined) {
    throw new Error(`backend "${backendName}" has no ${kernelName} kernel registered`);
  }
  const copy = { ...found };
  originals.set(key, copy);
  return copy;
}

/**
 * Registers `kernelFunc` as kernel `kernelName` of `backendName` in place of whatever is there,
 * keeping the original's setup and dispose functions.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { originalKernel, overrideKernel, restoreKernel } from "./override.ts";
 * overrideKernel("cpu", "Neg", originalKernel("cpu", "Neg").kernelFunc);
 * restoreKernel("cpu", "Neg");
 * assert.ok(tf.getKernel("Neg", "cpu") !== undefined);
 * ```
 */
export function overrideKernel(
  backendName: string,
  kernelName: string,
  kernelFunc: tf.KernelFunc,
): void {
  const original = originalKernel(backendName, kernelName);
  tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({
    kernelName,
    backendName,
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    kernelFunc,
  });
}

/**
 * Puts the backend's own kernel back (a no-op if it was never replaced).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { restoreKernel } from "./override.ts";
 * restoreKernel("cpu", "Sum");
 * assert.ok(tf.getKernel("Sum", "cpu") !== undefined);
 * ```
 */
export function restoreKernel(backendName: string, kernelName: string): void {
  const original = originalKernel(backendName, kernelName);
  tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel(original);
}
