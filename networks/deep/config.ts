/**
 * The standard deep networks (the paper's Figure 1: VGG, ResNet, EfficientNet, reduced to one
 * spatial dimension) as plain configurations: a network is a list of named blocks, each a list of
 * layer descriptions (`Op`), stax-like; `buildDeepNetwork` (`build.ts`) turns it into tfjs
 * operations. Tensors are channels last, `[batch, positions, channels]`, from the input `[batch, d,
 * v]` to the head's `[batch, 1, classes]`.
 *
 * The blocks are the network's layers in the sense of the sensitivities: the output of every block
 * but the last (the head) is a hidden representation.
 *
 * @module
 */
import { convLength } from "./geometry.ts";

/** One layer description. Channel counts are absolute (the plans scale them by the width). */
export type Op =
  /** Convolution of `size` taps, `stride`, zero `pad` each side, `out` channels (bias optional). */
  | {
    readonly op: "conv";
    readonly out: number;
    readonly size: number;
    readonly stride: number;
    readonly pad: number;
    readonly bias: boolean;
  }
  /** Depthwise convolution (one filter per channel), no bias. */
  | {
    readonly op: "depthwise";
    readonly size: number;
    readonly stride: number;
    readonly pad: number;
  }
  /** Batch norm over batch and positions (batch statistics in training, running at evaluation). */
  | { readonly op: "batchnorm" }
  /** `max(x, 0)`. */
  | { readonly op: "relu" }
  /** `x sigmoid(x)`. */
  | { readonly op: "swish" }
  /** Max-pooling of width and stride 2 (`floor(T / 2)` positions). */
  | { readonly op: "maxpool" }
  /** Mean over positions (`[B, T, C]` -> `[B, 1, C]`). */
  | { readonly op: "meanpool" }
  /** `[B, T, C]` -> `[B, 1, T * C]`. */
  | { readonly op: "flatten" }
  /** Affine map of the channels, with bias (on `[B, 1, K]`: the linear head). */
  | { readonly op: "linear"; readonly out: number }
  /** Zeroes each value with probability `rate` in training (scaling the rest by `1/(1-rate)`). */
  | { readonly op: "dropout"; readonly rate: number }
  /**
   * Squeeze-excitation: `x * sigmoid(W2 swish(W1 mean_T(x) + b1) + b2)`, `squeeze` hidden
   * channels.
   */
  | { readonly op: "excite"; readonly squeeze: number }
  /**
   * `after(body(x) * keep + shortcut(x))`: an empty shortcut is the identity; `dropConnect` drops
   * the whole body per sample with that probability in training (`keep` = 0 or `1/(1-rate)`).
   */
  | {
    readonly op: "residual";
    readonly body: readonly Op[];
    readonly shortcut: readonly Op[];
    readonly dropConnect: number;
    readonly after: "relu" | "none";
  };

/** A named list of layer descriptions; its output is one representation. */
export interface Block {
  /** A name for results (e.g. `conv5`, `stage3.block1`, `head`). */
  readonly name: string;
  /** The layers, in order. */
  readonly ops: readonly Op[];
}

/** The standard networks. */
export type DeepNetKind = "vgg11" | "vgg16" | "resnet18" | "resnet34" | "efficientnetb0";

/** The standard networks, in a fixed order (for CLI choices and messages). */
export const DEEP_NET_KINDS: readonly DeepNetKind[] = [
  "vgg11",
  "vgg16",
  "resnet18",
  "resnet34",
  "efficientnetb0",
];

/**
 * Whether `kind` names a standard network.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isDeepNetKind } from "./config.ts";
 * assert.ok(isDeepNetKind("vgg11") && !isDeepNetKind("cnn"));
 * ```
 */
export function isDeepNetKind(kind: string): kind is DeepNetKind {
  return (DEEP_NET_KINDS as readonly string[]).includes(kind);
}

/** The sizes that a plan is drawn for. */
export interface DeepShape {
  /** `width / 64` scales every channel count (64: the published sizes). */
  readonly width: number;
  /** Input channels (= `v`). */
  readonly channels: number;
  /** Input positions (= `d`). */
  readonly length: number;
  /** Output classes (= `nc`). */
  readonly classes: number;
}

/** A standard network, as plain data. Make one with `deepConfig`. */
export interface DeepConfig extends DeepShape {
  /** Which network. */
  readonly kind: DeepNetKind;
  /** Seed of the initial weights and of the dropout masks. */
  readonly seed: number;
  /** The blocks, first to last; the last is the head (output `[B, 1, classes]`). */
  readonly blocks: readonly Block[];
}

/**
 * A channel count of the published network scaled to `width` (`round(n * width / 64)`, at least 1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scaled } from "./config.ts";
 * assert.equal(scaled(512, 64), 512);
 * assert.equal(scaled(512, 8), 64);
 * assert.equal(scaled(16, 2), 1);
 * ```
 */
export function scaled(channels: number, width: number): number {
  return Math.max(1, Math.round(channels * width / 64));
}

/** The shape `[positions, channels]` after each block, and the parameters' shapes. */
export interface BlockShape {
  /** Block name. */
  readonly name: string;
  /** Output positions. */
  readonly positions: number;
  /** Output channels. */
  readonly channels: number;
}

/**
 * The shape `[positions, channels]` after `op` on `[T, C]`. Throws a `RangeError` naming the op and
 * the bound when the op does not fit its input.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { opShape } from "./config.ts";
 * assert.deepEqual(opShape({ op: "maxpool" }, [9, 4]), [4, 4]);
 * assert.deepEqual(opShape({ op: "flatten" }, [3, 4]), [1, 12]);
 * ```
 */
export function opShape(op: Op, [T, C]: readonly [number, number]): [number, number] {
  switch (op.op) {
    case "conv":
      return [convLength(T, op), op.out];
    case "depthwise":
      return [convLength(T, op), C];
    case "maxpool":
      if (T < 2) throw new RangeError(`maxpool needs >= 2 positions (got ${T})`);
      return [Math.floor(T / 2), C];
    case "meanpool":
      return [1, C];
    case "flatten":
      return [1, T * C];
    case "linear":
      if (T !== 1) {
        throw new RangeError(`linear needs 1 position (got ${T}): flatten or pool first`);
      }
      return [1, op.out];
    case "residual": {
      const body = op.body.reduce<[number, number]>((s, o) => opShape(o, s), [T, C]);
      const short = op.shortcut.reduce<[number, number]>((s, o) => opShape(o, s), [T, C]);
      if (body[0] !== short[0] || body[1] !== short[1]) {
        throw new RangeError(
          `residual: body gives [${body}] but shortcut [${short}]: they must match`,
        );
      }
      return body;
    }
    default:
      return [T, C];
  }
}

/**
 * The output shape of every block, first to last. Throws a `RangeError` when a block does not fit,
 * or when the head's output is not `[1, classes]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockShapes, deepConfig } from "./mod.ts";
 * const shapes = blockShapes(deepConfig("vgg11", { width: 8, channels: 10, length: 36, classes: 10 }));
 * assert.deepEqual(shapes.at(-1), { name: "head", positions: 1, channels: 10 });
 * ```
 */
export function blockShapes(config: DeepConfig): readonly BlockShape[] {
  let shape: [number, number] = [config.length, config.channels];
  const out = config.blocks.map((b) => {
    try {
      shape = b.ops.reduce<[number, number]>((s, o) => opShape(o, s), shape);
    } catch (e) {
      throw new RangeError(`${config.kind} block ${b.name}: ${(e as Error).message}`);
    }
    return { name: b.name, positions: shape[0], channels: shape[1] };
  });
  const last = out.at(-1);
  if (last === undefined || last.positions !== 1 || last.channels !== config.classes) {
    throw new RangeError(
      `${config.kind}: the head must give [1, ${config.classes}] (got [${last?.positions}, ` +
        `${last?.channels}])`,
    );
  }
  return out;
}
