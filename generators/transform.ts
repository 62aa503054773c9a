/**
 * The two transformations of the model (docs/protocol.md, transformations), applied to every datum of a data set. Both work on
 * the data's recorded choices (productions and placements, node layout in `render.ts`) and
 * re-render the tokens; labels never change.
 *
 * - `diffeo` at level `l`: every informative node of level `l` redraws its placement uniformly
 *   (sparsity A: each child to a fresh uniform slot of its own sub-patch; B: a fresh uniform
 *   order-preserving set of slots). Symbols and production choices are kept. `cumulative`:
 *   levels `1..l`.
 * - `synonym` at level `l`: every informative node of level `l` replaces its production by another
 *   synonym: `other` (default) one of the `m - 1` others, uniformly (needs `m >= 2`); `redraw`
 *   uniform among all `m`. Every placement is kept, so the informative positions do not move;
 *   the nodes below keep their production indices and are re-derived from the new children
 *   (their symbols change accordingly). `cumulative`: every node of levels `1..l` changes its
 *   production index that way.
 *
 * The stream is `(seed, "diffeo" | "synonym", l)`.
 *
 * @module
 */
import { informativeNodes } from "./pmax.ts";
import { compile, makeScratch, renderRows } from "./render.ts";
import { makeRng } from "./rng.ts";
import type { Dataset, Grammar, Transformation } from "./types.ts";

/**
 * Applies `t` to every datum of `ds` with the given seed. Returns a new data set (same grammar,
 * count and labels); `ds` is not modified.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { transform } from "./transform.ts";
 * import { sample } from "./sample.ts";
 * import { makeGrammar } from "./grammar.ts";
 * import { makeParams } from "./params.ts";
 * const g = makeGrammar(makeParams({ L: 2, s0: 1, v: 4 }));
 * const ds = sample(g, { count: 50, seed: 3 });
 * const syn = transform(ds, { kind: "synonym", level: 1 }, 9);
 * assert.ok(syn.labels.every((c, i) => c === ds.labels[i]));
 * // synonyms keep every position: informative stays informative
 * assert.ok(syn.tokens.every((x, i) => (x < 0) === (ds.tokens[i] < 0)));
 * const moved = transform(ds, { kind: "diffeo", level: 2 }, 9);
 * assert.ok(moved.count === 50);
 * ```
 */
export function transform(ds: Dataset, t: Transformation, seed: number): Dataset {
  return makeTransformer(ds.grammar, t, seed)(ds);
}

/**
 * A transformation to apply chunk after chunk of one data set: the returned function keeps the
 * stream `(seed, kind, l)` between calls, so that transforming the chunks of a data set in order
 * gives the chunks of `transform(whole, t, seed)`. Validates `t` and `seed` at once (the errors of
 * {@link transform}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeTransformer, transform } from "./transform.ts";
 * import { sample, sampleChunks } from "./sample.ts";
 * import { makeGrammar } from "./grammar.ts";
 * import { makeParams } from "./params.ts";
 * const g = makeGrammar(makeParams({ L: 2, s0: 1, v: 4 }));
 * const t = { kind: "diffeo", level: 1 } as const;
 * const whole = transform(sample(g, { count: 9, seed: 2 }), t, 5);
 * const next = makeTransformer(g, t, 5);
 * const parts = [...sampleChunks(g, { count: 9, seed: 2 }, 4)].map(next);
 * assert.deepEqual(parts.flatMap((p) => [...p.tokens]), [...whole.tokens]);
 * ```
 */
export function makeTransformer(
  grammar: Grammar,
  t: Transformation,
  seed: number,
): (ds: Dataset) => Dataset {
  const { L, m } = grammar.params;
  if (t === null || typeof t !== "object" || (t.kind !== "diffeo" && t.kind !== "synonym")) {
    throw new RangeError(`transformation kind must be "diffeo" or "synonym"`);
  }
  if (!(Number.isInteger(t.level) && t.level >= 1 && t.level <= L)) {
    throw new RangeError(`level must be an integer in 1..L = 1..${L} (got ${t.level})`);
  }
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be an integer >= 0 (got ${seed})`);
  }
  const variant = t.kind === "synonym" ? (t.variant ?? "other") : "redraw";
  if (variant !== "other" && variant !== "redraw") {
    throw new RangeError(`variant must be "other" or "redraw" (got ${JSON.stringify(variant)})`);
  }
  if (t.kind === "synonym" && variant === "other" && m < 2) {
    throw new RangeError(`synonym exchange "other" needs m >= 2 (m = ${m}): use variant "redraw"`);
  }
  const tables = compile(grammar);
  const { s, N, P } = tables;
  const rng = makeRng(seed, t.kind, t.level);
  const lowest = t.cumulative ? 1 : t.level;
  // Nodes of level l (depth L - l) are the index range [first, first + s^(L-l)), `first` being
  // the number of nodes above that depth (those of a tree of depth L - l).
  const ranges: [number, number][] = [];
  for (let l = t.level; l >= lowest; l--) {
    const depth = L - l;
    const first = informativeNodes({ L: depth, s });
    ranges.push([first, first + s ** depth]);
  }
  const scratch = makeScratch(tables);
  return (ds: Dataset): Dataset => {
    if (
      ds.grammar !== grammar && JSON.stringify(ds.grammar.params) !== JSON.stringify(grammar.params)
    ) {
      throw new RangeError("the data set's grammar is not the transformer's");
    }
    const productions = ds.productions.slice();
    const placements = ds.placements.slice();
    for (let i = 0; i < ds.count; i++) {
      const row = i * N;
      for (const [a, b] of ranges) {
        for (let o = row + a; o < row + b; o++) {
          if (t.kind === "diffeo") placements[o] = rng.int(P);
          else if (variant === "redraw") productions[o] = rng.int(m);
          else {
            const r = rng.int(m - 1);
            productions[o] = r >= productions[o] ? r + 1 : r;
          }
        }
      }
    }
    const tokens = new Int16Array(ds.tokens.length);
    renderRows(tables, scratch, ds.labels, productions, placements, tokens, 0, ds.count);
    return Object.freeze({
      grammar,
      count: ds.count,
      labels: ds.labels.slice(),
      tokens,
      productions,
      placements,
    });
  };
}
