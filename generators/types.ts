/**
 * The data types of `@srhm/generators`: parameters, grammars and data sets. Everything here is
 * immutable plain data; the functions that make and use it live in files of their own.
 *
 * @module
 */

/** Placement of the informative children inside a patch (docs/protocol.md, data). */
export type Sparsity = "A" | "B";

/** How a data set is drawn: `distinct` (no duplicates, train/test disjoint) or `iid`. */
export type SamplingMode = "distinct" | "iid";

/** Input encoding (docs/protocol.md, encodings): `onehot` (empty = 0) or `whitened` (`z(1+a)-a`, `a=1/sqrt(v-1)`). */
export type Encoding = "onehot" | "whitened";

/** Validated SRHM parameters (docs/protocol.md, parameters). Make them with `makeParams` / `validateParams`. */
export interface SrhmParams {
  /** Depth: number of production levels, `L >= 1`. */
  readonly L: number;
  /** Informative children per production, `s >= 2`. */
  readonly s: number;
  /** Uninformative slots per informative child, `s0 >= 0` (`0` is the RHM). */
  readonly s0: number;
  /** Vocabulary size below the classes, `v >= 2`. */
  readonly v: number;
  /** Synonyms: productions per symbol, `m * parents <= v^s`. */
  readonly m: number;
  /** Number of classes, `nc >= 2`, `nc * m <= v^s`. */
  readonly nc: number;
  /** Placement rule of the informative children. */
  readonly sparsity: Sparsity;
  /** Seed of the grammar. */
  readonly seed: number;
}

/**
 * An immutable grammar. `rules[l - 1][parent][k]` is the k-th production (a tuple of `s` child
 * symbols in `0..v-1`) of `parent` at level `l`; level `L`'s parents are the classes `0..nc-1`,
 * the other levels' parents are the symbols `0..v-1`.
 */
export interface Grammar {
  /** The parameters it was drawn from. */
  readonly params: SrhmParams;
  /** `rules[l-1][parent][k]`: the `s` children of production `k` of `parent` at level `l`. */
  readonly rules: ReadonlyArray<ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>>;
  /** Patch size `S = s(s0+1)`. */
  readonly S: number;
  /** Input length `d = S^L`. */
  readonly d: number;
  /** Number of distinct data, exact. */
  readonly pmax: bigint;
}

/**
 * A data set of `count` data drawn from one grammar. `tokens` holds `count * d` symbols, datum
 * after datum (`-1` = empty). `productions` and `placements` record every informative internal
 * node's choices (so that the transformations can redraw them); their layout is the sampler's
 * and documented there: treat them as opaque outside `@srhm/generators`.
 */
export interface Dataset {
  /** The grammar the data come from. */
  readonly grammar: Grammar;
  /** Number of data. */
  readonly count: number;
  /** Class of each datum, `[count]`. */
  readonly labels: Int32Array;
  /** Symbols, `[count, d]`, `-1` for empty positions. */
  readonly tokens: Int16Array;
  /** Production index (`0..m-1`) of each informative internal node, `[count, nodes]`. */
  readonly productions: Uint16Array;
  /** Placement index of each informative internal node, `[count, nodes]`. */
  readonly placements: Uint32Array;
}

/** Options of a draw. */
export interface SampleOptions {
  /** How many data. */
  readonly count: number;
  /** Seed of the draw (independent of the grammar's seed). */
  readonly seed: number;
  /** `distinct` (default) or `iid`. */
  readonly mode?: SamplingMode;
  /** Exactly `count / nc` data per class (count must be a multiple of nc). Default false. */
  readonly balanced?: boolean;
}

/** A transformation at level `l` (docs/protocol.md, transformations). */
export type Transformation =
  | { readonly kind: "diffeo"; readonly level: number; readonly cumulative?: boolean }
  | {
    readonly kind: "synonym";
    readonly level: number;
    readonly cumulative?: boolean;
    /** `other` (default: one of the m-1 other synonyms) or `redraw` (uniform among all m). */
    readonly variant?: "other" | "redraw";
  };
