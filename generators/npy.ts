/**
 * Data as NumPy `.npy` files (format version 1.0: a magic string, a Python-literal header, then
 * the raw little-endian array in C order), for Python users: `np.load("tokens.npy")`.
 *
 * A data set is a directory of
 * - `tokens.npy`: `[count, d]`, `int8` when `v <= 127` else `int16`, `-1` = empty;
 * - `labels.npy`: `[count]`, `int8` when `nc <= 128`, `int16` when `nc <= 32768`, else `int32`;
 * - `x.npy` (with `x`): the encoded input (`encode`), `float32`, `[count, d, v]` (`channels-last`,
 *   the default) or `[count, v, d]` (`channels-first`, what PyTorch's `Conv1d` reads);
 * - `transformed.npy` (with `transform`): the tokens of the transformed data, drawn with the sample
 *   seed as `transform(data, t, seed)` does, same dtype and shape as `tokens.npy`;
 * - `meta.json`: the grammar (parameters, seed, `Pmax` as a decimal string, `d`, rules), the draw
 *   (count, seed, mode, balanced), the transformation, the encoding and layout, and every file's
 *   dtype and shape ({@link NpyMeta}).
 *
 * The data are those of `sample(grammar, options)` (and of the `sample` command's JSON lines for
 * the same arguments), drawn and written chunk by chunk ({@link npyChunks}, `sampleChunks`), so
 * that a large count needs one chunk of memory plus the draw's bookkeeping, not the whole set.
 *
 * @module
 */
import { encodeInto } from "./encode.ts";
import { MAX_TOKENS, sampleChunks } from "./sample.ts";
import { makeTransformer } from "./transform.ts";
import type { Dataset, Encoding, Grammar, SampleOptions, Transformation } from "./types.ts";

/** The dtypes written: signed integers and 32-bit floats. */
export type NpyDtype = "int8" | "int16" | "int32" | "float32";

/** Layout of `x.npy`: `[count, d, v]` (`channels-last`) or `[count, v, d]` (`channels-first`). */
export type Layout = "channels-last" | "channels-first";

/** The typed array of each dtype. */
export type NpyArray = Int8Array | Int16Array | Int32Array | Float32Array;

const DESCR: Readonly<Record<NpyDtype, string>> = {
  int8: "|i1",
  int16: "<i2",
  int32: "<i4",
  float32: "<f4",
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * The header of a `.npy` file (version 1.0) holding a C-order array of `dtype` and `shape`; the
 * array's bytes follow it. Its length is a multiple of 64, as NumPy writes it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { npyHeader } from "./npy.ts";
 * const h = npyHeader("int16", [3, 4]);
 * assert.ok(h.length % 64 === 0 && h[0] === 0x93 && h[6] === 1);
 * const text = new TextDecoder().decode(h.subarray(10));
 * assert.match(text, /^\{'descr': '<i2', 'fortran_order': False, 'shape': \(3, 4\), \} *\n$/);
 * assert.match(new TextDecoder().decode(npyHeader("int8", [5])), /'shape': \(5,\)/);
 * ```
 */
export function npyHeader(dtype: NpyDtype, shape: readonly number[]): Uint8Array {
  if (!Object.hasOwn(DESCR, dtype)) {
    throw new RangeError(`dtype must be int8, int16, int32 or float32 (got ${String(dtype)})`);
  }
  if (!shape.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw new RangeError(`shape must hold integers >= 0 (got [${shape.join(", ")}])`);
  }
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  const dict = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': ${dims}, }`;
  // magic (6) + version (2) + header length (2) + dict + padding + "\n", a multiple of 64.
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const len = total - 10;
  out[8] = len & 0xff;
  out[9] = len >> 8;
  const text = dict + " ".repeat(total - 10 - dict.length - 1) + "\n";
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
  return out;
}

/** The array's bytes, little-endian (the host's order: big-endian hosts are refused). */
function bytesOf(a: NpyArray): Uint8Array {
  if (!LITTLE_ENDIAN) throw new Error("writing .npy needs a little-endian host");
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * A whole `.npy` file: header then the array's bytes. `shape`'s product must be `data.length`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { npyFile } from "./npy.ts";
 * const f = npyFile(Int16Array.of(1, -1, 300), [3]);
 * assert.ok(f.length === 128 + 6); // NumPy's headers of small arrays take 128 bytes too
 * assert.deepEqual([...f.subarray(128)], [1, 0, 255, 255, 44, 1]);
 * ```
 */
export function npyFile(data: NpyArray, shape: readonly number[]): Uint8Array {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) {
    throw new RangeError(`shape [${shape.join(", ")}] holds ${size} entries, data ${data.length}`);
  }
  const header = npyHeader(dtypeOf(data), shape);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header, 0);
  out.set(bytesOf(data), header.length);
  return out;
}

function dtypeOf(a: NpyArray): NpyDtype {
  if (a instanceof Int8Array) return "int8";
  if (a instanceof Int16Array) return "int16";
  if (a instanceof Int32Array) return "int32";
  return "float32";
}

/**
 * The dtype of `tokens.npy` for `v` symbols (and `-1`): `int8` up to `v = 127`, else `int16`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenDtype } from "./npy.ts";
 * assert.ok(tokenDtype(127) === "int8" && tokenDtype(128) === "int16");
 * ```
 */
export function tokenDtype(v: number): NpyDtype {
  return v <= 127 ? "int8" : "int16";
}

/**
 * The dtype of `labels.npy` for classes `0..nc-1`: `int8`, `int16` or `int32`, the smallest.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { labelDtype } from "./npy.ts";
 * assert.ok(labelDtype(128) === "int8" && labelDtype(129) === "int16");
 * assert.ok(labelDtype(40000) === "int32");
 * ```
 */
export function labelDtype(nc: number): NpyDtype {
  return nc <= 128 ? "int8" : nc <= 32768 ? "int16" : "int32";
}

/** `a` as `dtype` (a copy converted by `set` where the type differs; values fit by construction). */
function narrow(dtype: NpyDtype, a: Int16Array | Int32Array): NpyArray {
  if (dtype === "int16" && a instanceof Int16Array) return a;
  if (dtype === "int32" && a instanceof Int32Array) return a;
  const out = dtype === "int8"
    ? new Int8Array(a.length)
    : dtype === "int16"
    ? new Int16Array(a.length)
    : new Int32Array(a.length);
  out.set(a);
  return out;
}

/** Options of {@link npyChunks} / {@link writeNpy}: the draw, and which files to write. */
export interface NpyOptions extends SampleOptions {
  /** Also write `x.npy`, the input encoded this way (`onehot` or `whitened`). */
  readonly x?: Encoding;
  /** Layout of `x.npy` (default `channels-last`); only with `x`. */
  readonly layout?: Layout;
  /** Also write `transformed.npy`: this transformation, drawn with the sample seed. */
  readonly transform?: Transformation;
  /** Data per chunk (default: about 16 MB of output per chunk). */
  readonly chunk?: number;
}

/** One file's dtype and shape, as `meta.json` lists it. */
export interface NpyFileMeta {
  /** The element type, by name (`int8`, `int16`, `int32` or `float32`). */
  readonly dtype: NpyDtype;
  /** The array's shape, outermost axis first. */
  readonly shape: readonly number[];
}

/** The content of `meta.json`. */
export interface NpyMeta {
  /** `srhm-npy/1`. */
  readonly format: string;
  /** The grammar: parameters (its seed included), `Pmax` (decimal string), `S`, `d`, rules. */
  readonly grammar: {
    readonly params: Grammar["params"];
    readonly pmax: string;
    readonly S: number;
    readonly d: number;
    readonly rules: Grammar["rules"];
  };
  /** The draw. */
  readonly sample: {
    readonly count: number;
    readonly seed: number;
    readonly mode: string;
    readonly balanced: boolean;
  };
  /** The transformation of `transformed.npy`, or null. */
  readonly transform: Transformation | null;
  /** The encoding and layout of `x.npy`, or null. */
  readonly x: { readonly encoding: Encoding; readonly layout: Layout } | null;
  /** The empty symbol in `tokens.npy` and `transformed.npy`: `-1`. */
  readonly empty: number;
  /** Every `.npy` file written, by name. */
  readonly files: Readonly<Record<string, NpyFileMeta>>;
}

const ENCODINGS: readonly string[] = ["onehot", "whitened"];
const NPY_FILES: readonly string[] = ["tokens.npy", "labels.npy", "x.npy", "transformed.npy"];
const LAYOUTS: readonly string[] = ["channels-last", "channels-first"];

/**
 * The `meta.json` of a data set written with `options` (validating the file options: `x`,
 * `layout`, `transform`'s kind; the draw itself is validated by `sampleChunks`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { npyMeta } from "./npy.ts";
 * import { makeGrammar, makeParams } from "./mod.ts";
 * const g = makeGrammar(makeParams({ L: 2, s0: 1, v: 4 }));
 * const meta = npyMeta(g, { count: 10, seed: 1, x: "onehot", layout: "channels-first" });
 * assert.deepEqual(meta.files["x.npy"], { dtype: "float32", shape: [10, 4, 16] });
 * assert.ok(meta.grammar.pmax === "16384" && meta.sample.mode === "distinct");
 * assert.throws(() => npyMeta(g, { count: 1, seed: 0, layout: "channels-first" }), /layout/);
 * ```
 */
export function npyMeta(grammar: Grammar, options: NpyOptions): NpyMeta {
  const { params, d, S, pmax, rules } = grammar;
  if (options.x !== undefined && !ENCODINGS.includes(options.x)) {
    throw new RangeError(`x must be onehot or whitened (got ${JSON.stringify(options.x)})`);
  }
  if (options.layout !== undefined) {
    if (!LAYOUTS.includes(options.layout)) {
      throw new RangeError(
        `layout must be channels-last or channels-first (got ${JSON.stringify(options.layout)})`,
      );
    }
    if (options.x === undefined) throw new RangeError("layout applies to x only: give x too");
  }
  const t = options.transform;
  if (t !== undefined && (t === null || (t.kind !== "diffeo" && t.kind !== "synonym"))) {
    throw new RangeError(`transformation kind must be "diffeo" or "synonym"`);
  }
  const count = options.count;
  const layout = options.layout ?? "channels-last";
  const tokens = { dtype: tokenDtype(params.v), shape: [count, d] };
  const files: Record<string, NpyFileMeta> = {
    "tokens.npy": tokens,
    "labels.npy": { dtype: labelDtype(params.nc), shape: [count] },
  };
  if (options.x !== undefined) {
    const shape = layout === "channels-last" ? [count, d, params.v] : [count, params.v, d];
    files["x.npy"] = { dtype: "float32", shape };
  }
  if (t !== undefined) files["transformed.npy"] = tokens;
  return {
    format: "srhm-npy/1",
    grammar: { params, pmax: pmax.toString(), S, d, rules },
    sample: {
      count,
      seed: options.seed,
      mode: options.mode ?? "distinct",
      balanced: options.balanced ?? false,
    },
    transform: t ?? null,
    x: options.x === undefined ? null : { encoding: options.x, layout },
    empty: -1,
    files,
  };
}

/** Encodes `ds` as `[count, v, d]`: entry `(i, x, p)` is 1 where datum i has symbol x at p. */
function encodeChannelsFirst(ds: Dataset, encoding: Encoding): Float32Array {
  const { d } = ds.grammar;
  const v = ds.grammar.params.v;
  const out = new Float32Array(ds.count * v * d);
  if (encoding === "whitened") out.fill(-1 / Math.sqrt(v - 1));
  const tokens = ds.tokens;
  for (let i = 0; i < ds.count; i++) {
    const row = i * d;
    const base = i * v * d;
    for (let p = 0; p < d; p++) {
      const x = tokens[row + p];
      if (x >= 0) out[base + x * d + p] = 1;
    }
  }
  return out;
}

function encodeAs(ds: Dataset, encoding: Encoding, layout: Layout): Float32Array {
  if (layout === "channels-first") return encodeChannelsFirst(ds, encoding);
  const out = new Float32Array(ds.count * ds.grammar.d * ds.grammar.params.v);
  encodeInto(ds, encoding, out, 0, ds.count);
  return out;
}

/** One piece of output: `bytes` to append to `file`. */
export interface NpyChunk {
  /** The file the bytes belong to (`tokens.npy`, `labels.npy`, ...), in the output folder. */
  readonly file: string;
  /** The bytes to append to that file. */
  readonly bytes: Uint8Array;
}

/**
 * The files of a data set as a stream of pieces, in order: each file's header first, then the
 * data chunk by chunk (a piece per file and chunk). Appending each piece's bytes to its file gives
 * the files {@link writeNpy} writes (but `meta.json`: see {@link npyMeta}). Throws the errors of
 * {@link npyMeta} and of `sampleChunks` at once, before the first piece.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { npyChunks } from "./npy.ts";
 * import { makeGrammar, makeParams } from "./mod.ts";
 * const g = makeGrammar(makeParams({ L: 2, s0: 1, v: 4 }));
 * const pieces = [...npyChunks(g, { count: 10, seed: 1, chunk: 4 })];
 * const size = (f: string) =>
 *   pieces.filter((p) => p.file === f).reduce((n, p) => n + p.bytes.length, 0);
 * assert.ok(size("tokens.npy") === 128 + 10 * 16 && size("labels.npy") === 128 + 10);
 * ```
 */
export function npyChunks(grammar: Grammar, options: NpyOptions): Generator<NpyChunk> {
  const meta = npyMeta(grammar, options);
  const { d, params } = grammar;
  const perDatum = options.x === undefined ? 2 * d : 4 * d * params.v;
  const chunk = options.chunk ?? Math.max(1, Math.min(Math.floor(2 ** 24 / perDatum), 65536));
  if (chunk * d * (options.x === undefined ? 1 : params.v) > MAX_TOKENS) {
    throw new RangeError(`chunk * d * v must be <= 2^30 (chunk = ${chunk})`);
  }
  const next = options.transform === undefined
    ? null
    : makeTransformer(grammar, options.transform, options.seed);
  // Last: a distinct draw computes its indices here, once every option is known to be valid.
  return pieces(meta, sampleChunks(grammar, options, chunk), next);
}

function* pieces(
  meta: NpyMeta,
  chunks: Generator<Dataset>,
  next: ((ds: Dataset) => Dataset) | null,
): Generator<NpyChunk> {
  for (const [file, f] of Object.entries(meta.files)) {
    yield { file, bytes: npyHeader(f.dtype, f.shape) };
  }
  const tokenType = meta.files["tokens.npy"].dtype;
  const labelType = meta.files["labels.npy"].dtype;
  for (const ds of chunks) {
    yield { file: "tokens.npy", bytes: bytesOf(narrow(tokenType, ds.tokens)) };
    yield { file: "labels.npy", bytes: bytesOf(narrow(labelType, ds.labels)) };
    if (meta.x !== null) {
      yield { file: "x.npy", bytes: bytesOf(encodeAs(ds, meta.x.encoding, meta.x.layout)) };
    }
    if (next !== null) {
      yield { file: "transformed.npy", bytes: bytesOf(narrow(tokenType, next(ds).tokens)) };
    }
  }
}

/**
 * The `.npy` files of a data set held in memory, by name: `tokens.npy`, `labels.npy`, and with
 * `options.x` `x.npy` (layout `options.layout`), with `options.transformed` (a transformed copy
 * of `ds`) `transformed.npy`. Same bytes as {@link writeNpy} writes for the same data.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toNpy } from "./npy.ts";
 * import { makeGrammar, makeParams, sample } from "./mod.ts";
 * const ds = sample(makeGrammar(makeParams({ L: 2, s0: 1, v: 4 })), { count: 3, seed: 0 });
 * const files = toNpy(ds, { x: "onehot" });
 * assert.deepEqual(Object.keys(files), ["tokens.npy", "labels.npy", "x.npy"]);
 * assert.ok(files["x.npy"].length === 128 + 3 * 16 * 4 * 4);
 * ```
 */
export function toNpy(
  ds: Dataset,
  options: { readonly x?: Encoding; readonly layout?: Layout; readonly transformed?: Dataset } = {},
): Record<string, Uint8Array> {
  const { d, params } = ds.grammar;
  if (options.layout !== undefined && options.x === undefined) {
    throw new RangeError("layout applies to x only: give x too");
  }
  const tokenType = tokenDtype(params.v);
  const out: Record<string, Uint8Array> = {
    "tokens.npy": npyFile(narrow(tokenType, ds.tokens), [ds.count, d]),
    "labels.npy": npyFile(narrow(labelDtype(params.nc), ds.labels), [ds.count]),
  };
  if (options.x !== undefined) {
    const layout = options.layout ?? "channels-last";
    const shape = layout === "channels-last" ? [ds.count, d, params.v] : [ds.count, params.v, d];
    out["x.npy"] = npyFile(encodeAs(ds, options.x, layout), shape);
  }
  if (options.transformed !== undefined) {
    if (options.transformed.count !== ds.count || options.transformed.grammar.d !== d) {
      throw new RangeError("transformed must have the data set's count and d");
    }
    out["transformed.npy"] = npyFile(narrow(tokenType, options.transformed.tokens), [ds.count, d]);
  }
  return out;
}

/**
 * Draws a data set and writes it into directory `dir` (created if needed; the files of an earlier
 * write there are replaced or removed), chunk by chunk, then `meta.json`, which it returns: a
 * directory with a `meta.json` holds a complete data set. The one function
 * of `@srhm/generators` that touches the file system (needs `--allow-write`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeNpy } from "./npy.ts";
 * import { makeGrammar, makeParams } from "./mod.ts";
 * const dir = Deno.makeTempDirSync();
 * const g = makeGrammar(makeParams({ L: 2, s0: 1, v: 4 }));
 * const meta = writeNpy(dir, g, { count: 100, seed: 1, x: "whitened" });
 * assert.ok(Deno.statSync(`${dir}/x.npy`).size === 128 + 100 * 16 * 4 * 4);
 * assert.deepEqual(JSON.parse(Deno.readTextFileSync(`${dir}/meta.json`)), meta);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function writeNpy(dir: string, grammar: Grammar, options: NpyOptions): NpyMeta {
  const meta = npyMeta(grammar, options);
  const stream = npyChunks(grammar, options);
  Deno.mkdirSync(dir, { recursive: true });
  // meta.json goes first and comes back last (its presence means a complete write); files of an
  // earlier write that this one does not make go too, so that DIR never mixes two data sets.
  for (const name of ["meta.json", ...NPY_FILES.filter((f) => !(f in meta.files))]) {
    try {
      Deno.removeSync(`${dir}/${name}`);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  const files = new Map<string, Deno.FsFile>();
  try {
    for (const name of Object.keys(meta.files)) {
      files.set(
        name,
        Deno.openSync(`${dir}/${name}`, { write: true, create: true, truncate: true }),
      );
    }
    for (const { file, bytes } of stream) {
      const f = files.get(file)!;
      for (let done = 0; done < bytes.length;) done += f.writeSync(bytes.subarray(done));
    }
  } finally {
    for (const f of files.values()) f.close();
  }
  Deno.writeTextFileSync(`${dir}/meta.json`, JSON.stringify(meta) + "\n");
  return meta;
}
