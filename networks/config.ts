/**
 * Network configurations (docs/protocol.md, networks): plain, immutable, JSON-serialisable data. A configuration
 * says everything that fixes a network's architecture and its initial weights; the builder
 * (`build.ts`) turns it into TensorFlow.js operations and the initialiser (`init.ts`) into weights.
 *
 * Every hierarchical network has `depth` hidden layers with filter size = stride = `patch`, so hidden
 * layer `k` (1-based) has `length / patch^k` positions of `width` channels, and the last hidden layer
 * has a single position that feeds the linear readout.
 *
 * @module
 */
import { isLeft, left, right } from "fp-ts/lib/Either.js";
import type { Validation } from "@srhm/generators";

/** The three architectures: shared filters, local filters (no sharing), fully connected. */
export type NetworkKind = "cnn" | "lcn" | "fcn";

/**
 * Bias of the hidden layers: `per-position` (one `b[h, j]` per channel and output position, the
 * reference), `shared` (one `b[h]` per channel), `none`.
 */
export type BiasMode = "per-position" | "shared" | "none";

/**
 * `mean-field` (the reference: readout `h . beta / H`, learning rate `lr * H`) or `standard`
 * (readout `h . beta / sqrt(H)`, learning rate `lr`).
 */
export type Parametrisation = "mean-field" | "standard";

/**
 * How the FCN scales each layer's pre-activation: `channels` (the authors': divide by
 * `sqrt(c_in)`, the previous layer's channels, as the CNN and LCN do) or `fan-in` (divide by the
 * square root of the full fan-in, `positions * c_in`). CNN and LCN ignore it.
 */
export type FcnScale = "channels" | "fan-in";

/** The FCN scalings, the authors' first. */
export const FCN_SCALES: readonly FcnScale[] = ["channels", "fan-in"];

/** The network kinds, in a fixed order (for CLI choices and messages). */
export const NETWORK_KINDS: readonly NetworkKind[] = ["cnn", "lcn", "fcn"];
/** The bias modes. */
export const BIAS_MODES: readonly BiasMode[] = ["per-position", "shared", "none"];
/** The parametrisations. */
export const PARAMETRISATIONS: readonly Parametrisation[] = ["mean-field", "standard"];

/** The names `selectBackend` accepts (here, apart from the backends, for a light import). */
export type BackendName =
  | "auto"
  | "wasm"
  | "wasm+blas"
  | "cpu"
  | "cpu+blas"
  | "webgpu"
  | "tensorflow";

/** Every name `selectBackend` accepts, for command-line choices. */
export const BACKEND_NAMES: readonly BackendName[] = [
  "auto",
  "wasm",
  "wasm+blas",
  "cpu",
  "cpu+blas",
  "webgpu",
  "tensorflow",
];

/** A network, as plain data (docs/protocol.md, networks). Make one with `makeConfig` or `configForGrammar`. */
export interface NetworkConfig {
  /** Architecture. */
  readonly kind: NetworkKind;
  /** Number of hidden layers (= `L` of the grammar). */
  readonly depth: number;
  /** Filter size = stride (= `S = s(s0+1)` of the grammar). */
  readonly patch: number;
  /** Channels per hidden position, `H`. */
  readonly width: number;
  /** Input channels (= `v`). */
  readonly channels: number;
  /** Input positions (= `d = S^L`). */
  readonly length: number;
  /** Output classes (= `nc`). */
  readonly classes: number;
  /** Hidden-layer bias. */
  readonly bias: BiasMode;
  /** Readout scaling and learning-rate convention. */
  readonly parametrisation: Parametrisation;
  /** Seed of the initial weights. */
  readonly seed: number;
  /** FCN only: pre-activation scaling (absent: `channels`, the authors'); see `FcnScale`. */
  readonly fcnScale?: FcnScale;
}

/** A configuration that failed validation; `message` lists every violation, one per line. */
export class ConfigError extends Error {
  /** Always `"ConfigError"`. */
  override name = "ConfigError";
  /** The violations. */
  readonly violations: readonly string[];
  /** Wraps the list of violations. */
  constructor(violations: readonly string[]) {
    super(violations.join("\n"));
    this.violations = violations;
  }
}

const isInt = (x: unknown): x is number => typeof x === "number" && Number.isSafeInteger(x);

function intField(
  raw: Record<string, unknown>,
  name: string,
  min: number,
  errors: string[],
): number {
  const x = raw[name];
  if (!isInt(x) || x < min) {
    errors.push(`${name} must be an integer >= ${min} (got ${JSON.stringify(x) ?? "undefined"})`);
    return NaN;
  }
  return x;
}

function choice<T extends string>(
  raw: Record<string, unknown>,
  name: string,
  options: readonly T[],
  errors: string[],
): T {
  const x = raw[name];
  if (typeof x !== "string" || !(options as readonly string[]).includes(x)) {
    errors.push(
      `${name} must be one of ${options.join(", ")} (got ${JSON.stringify(x) ?? "undefined"})`,
    );
  }
  return x as T;
}

/**
 * Validates a raw configuration (for instance parsed JSON). Every field is required; the checks:
 * integer fields in range, `kind`/`bias`/`parametrisation` among their options, and
 * `length = patch^depth` (the hierarchy must shrink to one position). All violations are listed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isLeft, isRight } from "fp-ts/lib/Either.js";
 * import { validateConfig } from "./config.ts";
 * const ok = validateConfig({
 *   kind: "cnn", depth: 2, patch: 4, width: 8, channels: 4, length: 16, classes: 4,
 *   bias: "per-position", parametrisation: "mean-field", seed: 0,
 * });
 * assert.ok(isRight(ok));
 * const bad = validateConfig({
 *   kind: "cnn", depth: 2, patch: 4, width: 0, channels: 4, length: 15, classes: 4,
 *   bias: "per-position", parametrisation: "mean-field", seed: 0,
 * });
 * assert.ok(isLeft(bad) && bad.left.length === 2);
 * ```
 */
export function validateConfig(raw: unknown): Validation<readonly string[], NetworkConfig> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return left(["a network configuration must be an object"]);
  }
  const r = raw as Record<string, unknown>;
  const errors: string[] = [];
  const kind = choice(r, "kind", NETWORK_KINDS, errors);
  const depth = intField(r, "depth", 1, errors);
  const patch = intField(r, "patch", 2, errors);
  const width = intField(r, "width", 1, errors);
  const channels = intField(r, "channels", 1, errors);
  const length = intField(r, "length", 1, errors);
  const classes = intField(r, "classes", 2, errors);
  const bias = choice(r, "bias", BIAS_MODES, errors);
  const parametrisation = choice(r, "parametrisation", PARAMETRISATIONS, errors);
  const seed = r["seed"];
  if (!isInt(seed) || seed < 0 || seed > 0xffffffff) {
    errors.push(
      `seed must be an integer in [0, 2^32) (got ${JSON.stringify(seed) ?? "undefined"})`,
    );
  }
  if (!Number.isNaN(depth) && !Number.isNaN(patch) && !Number.isNaN(length)) {
    const expected = patch ** depth;
    if (length !== expected) {
      errors.push(
        `length must be patch^depth (${patch}^${depth} = ${expected}), got ${length}` +
          (isPowerOf(length, patch) ? ": depth does not match the length" : ""),
      );
    }
  }
  const fcnScale = r["fcnScale"];
  if (fcnScale !== undefined) choice(r, "fcnScale", FCN_SCALES, errors);
  const known = new Set([
    "fcnScale",
    "kind",
    "depth",
    "patch",
    "width",
    "channels",
    "length",
    "classes",
    "bias",
    "parametrisation",
    "seed",
  ]);
  for (const key of Object.keys(r)) {
    if (!known.has(key)) errors.push(`unknown configuration field ${JSON.stringify(key)}`);
  }
  if (errors.length > 0) return left(errors);
  return right(Object.freeze({
    kind,
    depth,
    patch,
    width,
    channels,
    length,
    classes,
    bias,
    parametrisation,
    seed: seed as number,
    ...(fcnScale === undefined ? {} : { fcnScale: fcnScale as FcnScale }),
  }));
}

function isPowerOf(n: number, base: number): boolean {
  if (n < 1 || base < 2) return false;
  let x = n;
  while (x % base === 0) x /= base;
  return x === 1;
}

/**
 * Like `validateConfig`, but returns the configuration or throws a `ConfigError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeConfig } from "./config.ts";
 * const c = makeConfig({
 *   kind: "lcn", depth: 1, patch: 2, width: 3, channels: 2, length: 2, classes: 2,
 *   bias: "none", parametrisation: "standard", seed: 1,
 * });
 * assert.ok(c.kind === "lcn");
 * ```
 */
export function makeConfig(raw: unknown): NetworkConfig {
  const v = validateConfig(raw);
  if (isLeft(v)) throw new ConfigError(v.left);
  return v.right;
}

/**
 * The fields of a `Grammar` (from `@srhm/generators`) that fix a network's shapes; any grammar fits.
 */
export interface GrammarShape {
  /** The grammar's parameters (only `L`, `v`, `nc` are read). */
  readonly params: { readonly L: number; readonly v: number; readonly nc: number };
  /** Patch size `S = s(s0+1)`. */
  readonly S: number;
  /** Input length `d = S^L`. */
  readonly d: number;
}

/** Options of `configForGrammar`: the architecture; the grammar fixes the shapes. */
export interface GrammarNetworkOptions {
  /** Architecture. */
  readonly kind: NetworkKind;
  /** Width `H`. */
  readonly width: number;
  /** Default `per-position` (the reference). */
  readonly bias?: BiasMode;
  /** Default `mean-field` (the reference). */
  readonly parametrisation?: Parametrisation;
  /** Initialisation seed, default 0. */
  readonly seed?: number;
  /** FCN pre-activation scaling, default `channels` (the authors'). */
  readonly fcnScale?: FcnScale;
}

/**
 * The configuration that matches a grammar: `depth = L`, `patch = S`, `channels = v`,
 * `length = d`, `classes = nc`. Throws a `ConfigError` on a bad width or seed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { configForGrammar } from "./config.ts";
 * // any `Grammar` of @srhm/generators fits; only these fields are read
 * const grammar = { params: { L: 2, v: 4, nc: 4 }, S: 4, d: 16 };
 * const c = configForGrammar(grammar, { kind: "cnn", width: 32 });
 * assert.ok(c.length === 16 && c.patch === 4 && c.depth === 2 && c.classes === 4);
 * ```
 */
export function configForGrammar(
  grammar: GrammarShape,
  opts: GrammarNetworkOptions,
): NetworkConfig {
  const p = grammar.params;
  return makeConfig({
    kind: opts.kind,
    depth: p.L,
    patch: grammar.S,
    width: opts.width,
    channels: p.v,
    length: grammar.d,
    classes: p.nc,
    bias: opts.bias ?? "per-position",
    parametrisation: opts.parametrisation ?? "mean-field",
    seed: opts.seed ?? 0,
    ...(opts.fcnScale === undefined ? {} : { fcnScale: opts.fcnScale }),
  });
}

/** The shape of one hidden layer (1-based `k` in the docs, index `k - 1` in arrays). */
export interface LayerShape {
  /** Input positions `length / patch^(k-1)`. */
  readonly inPositions: number;
  /** Input channels: `channels` for the first layer, `width` after. */
  readonly inChannels: number;
  /** Output positions `length / patch^k`. */
  readonly outPositions: number;
  /** Output channels `width`. */
  readonly outChannels: number;
  /**
   * The number that the pre-activation's sum is divided by the square root of: the input
   * channels `c_in` (docs/protocol.md: `/ sqrt(c_in)`) for CNN, LCN and the FCN with `fcnScale` `channels`
   * (the default, the authors'); the whole input `inPositions * c_in` for the FCN with
   * `fcnScale` `fan-in` (see docs/networks.md).
   */
  readonly scaleFanIn: number;
}

/**
 * The hidden layers' shapes of a configuration, first to last.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { layerShapes } from "./config.ts";
 * const shapes = layerShapes({
 *   kind: "cnn", depth: 2, patch: 4, width: 8, channels: 4, length: 16, classes: 4,
 *   bias: "per-position", parametrisation: "mean-field", seed: 0,
 * });
 * assert.ok(shapes.length === 2 && shapes[0].outPositions === 4 && shapes[1].outPositions === 1);
 * assert.ok(shapes[1].inChannels === 8);
 * ```
 */
export function layerShapes(config: NetworkConfig): readonly LayerShape[] {
  const shapes: LayerShape[] = [];
  let positions = config.length;
  let cin = config.channels;
  for (let k = 0; k < config.depth; k++) {
    const out = positions / config.patch;
    shapes.push({
      inPositions: positions,
      inChannels: cin,
      outPositions: out,
      outChannels: config.width,
      scaleFanIn: config.kind === "fcn" && config.fcnScale === "fan-in" ? positions * cin : cin,
    });
    positions = out;
    cin = config.width;
  }
  return shapes;
}
