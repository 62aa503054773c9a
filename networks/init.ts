/**
 * Initial weights (docs/protocol.md, networks), as plain `Float32Array`s drawn from our own seeded PRNG
 * (`makeRng` of `@srhm/generators`, Box-Muller normals), so that one seed gives bit-identical
 * weights on every backend and every machine.
 *
 * Every weight and bias is `N(0, 1)`; the scalings (`1/sqrt(c_in)`, `0.1 * b`, readout `1/H`) are
 * applied in the forward pass, not folded into the weights, so that SGD sees the parametrisation
 * of the paper.
 *
 * @module
 */
import { makeRng } from "@srhm/generators";
import { layerShapes, type NetworkConfig } from "./config.ts";

/** One hidden layer's parameters. */
export interface LayerWeights {
  /**
   * Filters, row-major:
   * - CNN `[patch * c_in, H]`, row `t * c_in + c` (position `t` in the patch, channel `c`);
   * - LCN `[outPositions, patch * c_in, H]` (one filter per output position);
   * - FCN `[inPositions * c_in, outPositions * H]`, row `p * c_in + c`, column `j * H + h`.
   */
  readonly W: Float32Array;
  /**
   * Bias: `per-position` `[outPositions, H]`, `shared` `[H]`, `none` empty.
   */
  readonly b: Float32Array;
}

/** All parameters of a network: the hidden layers, first to last, and the readout `[H, classes]`. */
export interface Weights {
  /** Hidden layers, first to last. */
  readonly layers: readonly LayerWeights[];
  /** Readout `beta`, `[H, classes]` row-major. */
  readonly readout: Float32Array;
}

/** The tensor shapes of a configuration's weights (the layout of `Weights`). */
export interface WeightShapes {
  /** Per hidden layer: the shapes of `W` and `b` (`b` is `[0]` without bias). */
  readonly layers: readonly { readonly W: readonly number[]; readonly b: readonly number[] }[];
  /** Readout `[H, classes]`. */
  readonly readout: readonly number[];
}

/**
 * The shapes of the weights of a configuration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { weightShapes } from "./init.ts";
 * const shapes = weightShapes({
 *   kind: "lcn", depth: 2, patch: 4, width: 8, channels: 4, length: 16, classes: 3,
 *   bias: "per-position", parametrisation: "mean-field", seed: 0,
 * });
 * assert.ok(shapes.layers[0].W.join() === "4,16,8");
 * assert.ok(shapes.layers[1].W.join() === "1,32,8");
 * assert.ok(shapes.readout.join() === "8,3");
 * ```
 */
export function weightShapes(config: NetworkConfig): WeightShapes {
  const H = config.width;
  const layers = layerShapes(config).map((l) => {
    const fan = config.patch * l.inChannels;
    const W = config.kind === "cnn"
      ? [fan, H]
      : config.kind === "lcn"
      ? [l.outPositions, fan, H]
      : [l.inPositions * l.inChannels, l.outPositions * H];
    const b = config.bias === "per-position"
      ? [l.outPositions, H]
      : config.bias === "shared"
      ? [H]
      : [0];
    return { W, b };
  });
  return { layers, readout: [H, config.classes] };
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function normals(n: number, seed: number, purpose: string, index?: number): Float32Array {
  const rng = makeRng(seed, purpose, index);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  return out;
}

/**
 * Draws the initial weights of a configuration: every entry `N(0, 1)`, from the streams
 * `makeRng(seed, "init-W", k)`, `makeRng(seed, "init-b", k)` (layer `k = 0..depth-1`) and
 * `makeRng(seed, "init-readout")`, each filled in row-major order. Deterministic: the same
 * configuration gives the same arrays everywhere.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initWeights } from "./init.ts";
 * const config = {
 *   kind: "cnn", depth: 2, patch: 4, width: 8, channels: 4, length: 16, classes: 4,
 *   bias: "per-position", parametrisation: "mean-field", seed: 7,
 * } as const;
 * const a = initWeights(config);
 * const b = initWeights(config);
 * assert.ok(a.layers[0].W.length === 16 * 8 && a.layers[0].b.length === 4 * 8);
 * assert.ok(a.readout.every((x, i) => x === b.readout[i]));
 * ```
 */
export function initWeights(config: NetworkConfig): Weights {
  const shapes = weightShapes(config);
  const layers = shapes.layers.map((s, k) => ({
    W: normals(size(s.W), config.seed, "init-W", k),
    b: normals(size(s.b), config.seed, "init-b", k),
  }));
  return { layers, readout: normals(size(shapes.readout), config.seed, "init-readout") };
}

/**
 * Checks that `weights` has the layout of `config` (throws an `Error` naming the first mismatch).
 *
 * @example
 * ```ts
 * import { checkWeights, initWeights } from "./init.ts";
 * const config = {
 *   kind: "fcn", depth: 1, patch: 2, width: 3, channels: 2, length: 2, classes: 2,
 *   bias: "shared", parametrisation: "standard", seed: 0,
 * } as const;
 * checkWeights(config, initWeights(config));
 * ```
 */
export function checkWeights(config: NetworkConfig, weights: Weights): void {
  const shapes = weightShapes(config);
  if (weights.layers.length !== shapes.layers.length) {
    throw new Error(
      `weights have ${weights.layers.length} layers, the configuration ${shapes.layers.length}`,
    );
  }
  shapes.layers.forEach((s, k) => {
    const w = weights.layers[k];
    if (w.W.length !== size(s.W)) {
      throw new Error(`weights.layers[${k}].W has ${w.W.length} entries, expected [${s.W}]`);
    }
    if (w.b.length !== size(s.b)) {
      throw new Error(`weights.layers[${k}].b has ${w.b.length} entries, expected [${s.b}]`);
    }
  });
  if (weights.readout.length !== size(shapes.readout)) {
    throw new Error(
      `weights.readout has ${weights.readout.length} entries, expected [${shapes.readout}]`,
    );
  }
}
