/**
 * Grammars and data of the Sparse Random Hierarchy Model (SRHM): parameters, seeded streams,
 * production rules, sampling, encoding and the two transformations of the paper.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encode, makeGrammar, makeParams, sample } from "./mod.ts";
 * const grammar = makeGrammar(makeParams({ L: 2, s0: 1, v: 4 }));
 * const data = sample(grammar, { count: 8, seed: 1 });
 * const x = encode(data); // Float32Array [8, d = 16, v = 4]
 * assert.ok(x.length === 8 * 16 * 4);
 * ```
 *
 * @module
 */

/** This package's name. */
export const PACKAGE = "@srhm/generators";

export type {
  Dataset,
  Encoding,
  Grammar,
  SampleOptions,
  SamplingMode,
  Sparsity,
  SrhmParams,
  Transformation,
} from "./types.ts";
export { LIMITS, makeParams, ParamError, type RawParams, validateParams } from "./params.ts";
export type { Invalid, Valid, Validation } from "./validation.ts";
export { makeRng, type Rng } from "./rng.ts";
export { type MutableArrayLike, shuffleInPlace } from "./shuffle.ts";
export { distinctIntegers, makeGrammar } from "./grammar.ts";
export { binomial, informativeNodes, placementsPerNode, pmax } from "./pmax.ts";
export {
  checkStreamOptions,
  INDEX_DECODING_LIMIT,
  MAX_STREAM_COUNT,
  MAX_TOKENS,
  sample,
  sampleChunks,
  sampleSplit,
  type SplitOptions,
} from "./sample.ts";
export { datumTokens, encode, encodeInto, MAX_ENTRIES } from "./encode.ts";
export { makeTransformer, transform } from "./transform.ts";
export { type Decoder, makeDecoder } from "./decode.ts";
export {
  labelDtype,
  type Layout,
  type NpyArray,
  type NpyChunk,
  npyChunks,
  type NpyDtype,
  npyFile,
  type NpyFileMeta,
  npyHeader,
  type NpyMeta,
  npyMeta,
  type NpyOptions,
  tokenDtype,
  toNpy,
  writeNpy,
} from "./npy.ts";
