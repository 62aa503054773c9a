/**
 * What the explorer shows of the model, as pure functions over the generators' data: the
 * parameters from the form (with the command line's validation messages), the sample of
 * `deno task experiment sample <params> --count 1 --sample-seed K`, its derivation tree (read off
 * the productions and placements the sampler records), and a transformation with the positions
 * it changed.
 *
 * @module
 */
import type * as E from "fp-ts/lib/Either.js";
import {
  type Dataset,
  informativeNodes,
  sample,
  type SrhmParams,
  transform,
  type Transformation,
} from "@srhm/generators";
import { validateParamOptions } from "@srhm/experiments";

/** The form's parameter fields, in the order of the command line's `<params>`. */
export const PARAM_FIELDS = ["L", "s", "s0", "v", "m", "nc", "sparsity", "seed"] as const;

/** One parameter field's name. */
export type ParamField = (typeof PARAM_FIELDS)[number];

/** The form's text per field; an empty or missing field takes the command line's default. */
export type ParamForm = Partial<Record<ParamField, string>>;

/**
 * The parameters of the form, validated as `deno task experiment <command> <params>` does (the
 * experiments' `validateParamOptions`, which the command line's `paramsFromOptions` calls): `L`
 * and `v` are required, an empty field takes the command line's default, and the error is the
 * command line's message (every violation, named by its option, joined by `; `).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as E from "fp-ts/lib/Either.js";
 * import { paramsFromForm } from "./model.ts";
 * const ok = paramsFromForm({ L: "2", v: "4", s0: "1", m: "" });
 * assert.ok(E.isRight(ok) && ok.right.m === 4 && ok.right.sparsity === "A");
 * assert.deepEqual(paramsFromForm({ L: "0", v: "4" }), E.left("--L must be an integer >= 1 (got 0)"));
 * assert.deepEqual(paramsFromForm({ v: "4" }), E.left("--L is required (an integer >= 1)"));
 * ```
 */
export function paramsFromForm(form: ParamForm): E.Either<string, SrhmParams> {
  const field = (name: ParamField): string | undefined => {
    const x = form[name];
    return x === undefined || x.trim() === "" ? undefined : x.trim();
  };
  return validateParamOptions(Object.fromEntries(PARAM_FIELDS.map((f) => [f, field(f)])));
}

/**
 * The explorer's sample: the one datum of `sample <params> --count 1 --sample-seed K` (mode
 * `distinct`, not balanced), as a data set of one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeGrammar, makeParams } from "@srhm/generators";
 * import { explorerSample } from "./model.ts";
 * const ds = explorerSample(makeGrammar(makeParams({ L: 2, s0: 1, v: 4 })), 0);
 * assert.ok(ds.count === 1 && ds.tokens.length === 16);
 * ```
 */
export function explorerSample(grammar: Dataset["grammar"], sampleSeed: number): Dataset {
  return sample(grammar, { count: 1, seed: sampleSeed, mode: "distinct", balanced: false });
}

/** One node of a derivation tree. */
export interface TreeNode {
  /** The node's level: `L` for the root (the class), `0` for a token. */
  readonly level: number;
  /** Its symbol (the class at the root). */
  readonly symbol: number;
  /** The first position of its patch in the string. */
  readonly start: number;
  /** The length of its patch, `S^level`. */
  readonly size: number;
  /** For an internal node: the index of its production among the parent's `m` synonyms. */
  readonly production?: number;
  /** For an internal node: its placement index. */
  readonly placement?: number;
  /** Its `s` informative children (empty for a token). */
  readonly children: readonly TreeNode[];
}

/** Slot of informative child `j` under placement `p` (the sampler's layout, see render.ts). */
function slotOf(p: number, j: number, s: number, s0: number, sparsityA: boolean): number {
  const S = s * (s0 + 1);
  if (sparsityA) {
    return j * (s0 + 1) + (Math.floor(p / (s0 + 1) ** j) % (s0 + 1));
  }
  // sparsity B: the p-th s-subset of 0..S-1 in lexicographic order
  let rank = p;
  let next = 0;
  for (let i = 0; i < s; i++) {
    for (let x = next; x < S; x++) {
      const rest = binom(S - x - 1, s - i - 1);
      if (rank < rest) {
        if (i === j) return x;
        next = x + 1;
        break;
      }
      rank -= rest;
    }
  }
  throw new RangeError(`placement ${p} out of range`);
}

function binom(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/**
 * The derivation tree of datum `i` of `ds`, from the production and placement every informative
 * node recorded (breadth-first node order, see the generators' render.ts). Its tokens are
 * exactly the datum's informative tokens.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeGrammar, makeParams, sample } from "@srhm/generators";
 * import { derivationTree, treeLeaves } from "./model.ts";
 * const ds = sample(makeGrammar(makeParams({ L: 2, s0: 1, v: 4 })), { count: 1, seed: 5 });
 * const tree = derivationTree(ds, 0);
 * assert.ok(tree.level === 2 && tree.symbol === ds.labels[0] && tree.children.length === 2);
 * const rendered = new Array(16).fill(-1);
 * for (const leaf of treeLeaves(tree)) rendered[leaf.start] = leaf.symbol;
 * assert.deepEqual(rendered, [...ds.tokens]);
 * ```
 */
export function derivationTree(ds: Dataset, i: number): TreeNode {
  const { L, s, s0, sparsity } = ds.grammar.params;
  const S = s * (s0 + 1);
  const N = informativeNodes({ L, s });
  const rules = ds.grammar.rules;
  const node = (level: number, symbol: number, start: number, depth: number, q: number) => {
    const size = S ** level;
    if (level === 0) return { level, symbol, start, size, children: [] };
    const index = (s ** depth - 1) / (s - 1) + q;
    const production = ds.productions[i * N + index];
    const placement = ds.placements[i * N + index];
    const tuple = rules[level - 1][symbol][production];
    const children: TreeNode[] = tuple.map((child, j) =>
      node(
        level - 1,
        child,
        start + slotOf(placement, j, s, s0, sparsity === "A") * S ** (level - 1),
        depth + 1,
        q * s + j,
      )
    );
    return { level, symbol, start, size, production, placement, children };
  };
  return node(L, ds.labels[i], 0, 0, 0);
}

/**
 * The tokens (level-0 nodes) of a derivation tree, left to right.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { treeLeaves } from "./model.ts";
 * const leaf = (start: number) => ({ level: 0, symbol: start, start, size: 1, children: [] });
 * const t = { level: 1, symbol: 0, start: 0, size: 4, children: [leaf(1), leaf(3)] };
 * assert.deepEqual(treeLeaves(t).map((n) => n.start), [1, 3]);
 * ```
 */
export function treeLeaves(tree: TreeNode): TreeNode[] {
  return tree.level === 0 ? [tree] : tree.children.flatMap(treeLeaves);
}

/**
 * The path from the root to the token at `position` (root first), or `[]` for an empty slot.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pathTo } from "./model.ts";
 * const leaf = (start: number) => ({ level: 0, symbol: 7, start, size: 1, children: [] });
 * const t = { level: 1, symbol: 0, start: 0, size: 4, children: [leaf(1), leaf(3)] };
 * assert.deepEqual(pathTo(t, 3).map((n) => n.level), [1, 0]);
 * assert.deepEqual(pathTo(t, 2), []);
 * ```
 */
export function pathTo(tree: TreeNode, position: number): TreeNode[] {
  if (tree.level === 0) return tree.start === position ? [tree] : [];
  for (const child of tree.children) {
    if (position >= child.start && position < child.start + child.size) {
      const below = pathTo(child, position);
      return below.length === 0 ? [] : [tree, ...below];
    }
  }
  return [];
}

/** A transformation applied to a sample, and the positions whose token it changed. */
export interface Moved {
  /** The transformed data set. */
  readonly data: Dataset;
  /** Positions (of datum 0) whose token differs from before. */
  readonly changed: readonly number[];
}

/**
 * Applies `t` with `seed` (as `sample --transform ... ` does with its sample seed) and lists the
 * positions of datum 0 it changed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeGrammar, makeParams } from "@srhm/generators";
 * import { applyTransformation, explorerSample } from "./model.ts";
 * const ds = explorerSample(makeGrammar(makeParams({ L: 2, s0: 1, v: 4 })), 0);
 * const moved = applyTransformation(ds, { kind: "synonym", level: 1 }, 0);
 * assert.ok(moved.changed.every((i) => moved.data.tokens[i] !== ds.tokens[i]));
 * assert.ok(moved.changed.every((i) => ds.tokens[i] >= 0)); // synonyms never move a token
 * ```
 */
export function applyTransformation(ds: Dataset, t: Transformation, seed: number): Moved {
  const data = transform(ds, t, seed);
  const d = ds.grammar.d;
  const changed: number[] = [];
  for (let i = 0; i < d; i++) if (data.tokens[i] !== ds.tokens[i]) changed.push(i);
  return { data, changed };
}
