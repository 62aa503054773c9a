/**
 * The paper's figures as data: for every figure its id, our title, what it shows, the network and
 * sparsity, the grammars (points `s, L, s0, v`, with `m = v^(s-1)`, `nc = v` unless given) it trains
 * at each scale, the P grid, and its guide lines. A figure that draws the runs of another one
 * (5, 6, 10, 11, 13, 14 on the runs of 4b or 4c) names it in `runsOf` and trains nothing of its own,
 * so that the runs are computed once when the figures share an output directory.
 *
 * The grids are our reading of the paper (Tomasini & Wyart 2024, figures 1, 4-8, 10-16 and their
 * captions; docs/protocol.md for the laws); where the paper does not say (e.g. `s0` of figures 12 and
 * 15) the choice is written in `note`. `small` fits a 2-core laptop (minutes to an hour per figure),
 * `medium` a workstation night, `paper` the authors' widths (H = 512) and grids; what `small` drops
 * from the paper's grid is computed (`droppedPoints`), not written by hand.
 *
 * @module
 */

/** The scales of the paper experiment. */
export type PaperScale = "small" | "medium" | "paper";

/** The scales, smallest first. */
export const PAPER_SCALES: readonly PaperScale[] = ["small", "medium", "paper"];

/** One grammar of a figure: `m = v^(s-1)` and `nc = v` unless `m`, `nc` are given. */
export interface ModelPoint {
  /** Informative children per production. */
  readonly s: number;
  /** Depth. */
  readonly L: number;
  /** Uninformative slots per informative child. */
  readonly s0: number;
  /** Vocabulary size. */
  readonly v: number;
  /** Synonyms per symbol (default `v^(s-1)`). */
  readonly m?: number;
  /** Number of classes (default `v`). */
  readonly nc?: number;
}

/** A P grid: `points` log-spaced values from `low` to `high` times the law's `P*`. */
export interface PGrid {
  /** The smallest P, as a multiple of the law's `P*`. */
  readonly low: number;
  /** The largest P, as a multiple of the law's `P*`. */
  readonly high: number;
  /** Number of P values, log-spaced from `low` to `high`. */
  readonly points: number;
}

/** A guide line `y = factor * x` of a figure (in its own axes), for the points with this `s`. */
export interface Guide {
  /** The line's constant `C` in `y = C x`. */
  readonly factor: number;
  /** The points it applies to (`undefined`: all). */
  readonly s?: number;
  /** Its legend label, e.g. `y = 2.5x (s = 2)`. */
  readonly label: string;
}

/**
 * What a figure draws (and how it is summarised):
 * - `law`: `P*` against the law's predictor (prefactor and exponent fitted per `s`);
 * - `fraction`: LCN `P*` normalised by `s^(L/2) nc m^L` against `F = (s0+1)^-L`;
 * - `pstar-s`, `pstar-d`: `P*_S` (resp. `P*_D`) against `P*`;
 * - `pstar-sd`: both against `P*`;
 * - `curves`: the learning curves, each beside its law;
 * - `collapse`: the learning curves against `P / P*_law`;
 * - `sensitivity-collapse`: `S_2`, `D_2` against `P / P*_law`;
 * - `hierarchy-s`, `hierarchy-d`: `S_{k,l}` (resp. `D_{k,l}`) against P for every layer and level;
 * - `fcn`: FCN `P*` against `Pmax`, and `P*_S`, `P*_D` against `P*`;
 * - `architectures`: test error against `D`, `S` across architectures (the `architectures`
 *   experiment).
 */
export type FigureKind =
  | "law"
  | "fraction"
  | "pstar-s"
  | "pstar-d"
  | "pstar-sd"
  | "curves"
  | "collapse"
  | "sensitivity-collapse"
  | "hierarchy-s"
  | "hierarchy-d"
  | "fcn"
  | "architectures";

/** One figure of the paper. */
export interface PaperFigure {
  /** The paper's figure number (and panel), e.g. `4c`. */
  readonly id: string;
  /** Our title. */
  readonly title: string;
  /** What it draws and how it is summarised. */
  readonly kind: FigureKind;
  /** The experiment its runs come from: `scaling` (one per `s, L, v`, varying s0), `hierarchy`,
   * or `architectures`. */
  readonly experiment: "scaling" | "hierarchy" | "architectures";
  /** The network. */
  readonly net: "cnn" | "lcn" | "fcn";
  /** Sparsity of the grammars. */
  readonly sparsity: "A" | "B";
  /** The figure whose runs this one draws (then `points` is that figure's). */
  readonly runsOf?: string;
  /** The grammars at each scale (empty when `runsOf` is set). */
  readonly points: Readonly<Record<PaperScale, readonly ModelPoint[]>>;
  /** The P grid per scale (absent: the experiment's preset grid). */
  readonly grid?: Readonly<Partial<Record<PaperScale, PGrid>>>;
  /** Guide lines `y = factor x`. */
  readonly guides: readonly Guide[];
  /** What the paper finds, in one sentence. */
  readonly claim: string;
  /** Our choices where the paper is silent. */
  readonly note?: string;
}

const none: Readonly<Record<PaperScale, readonly ModelPoint[]>> = {
  small: [],
  medium: [],
  paper: [],
};

/**
 * Every `(s, L, v)` of `groups` with every `s0` of its list, in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { grid } from "./catalogue.ts";
 * const pts = grid([{ s: 2, L: 2, v: [4, 6], s0: [0, 1] }]);
 * assert.equal(pts.length, 4);
 * assert.deepEqual(pts[3], { s: 2, L: 2, v: 6, s0: 1 });
 * ```
 */
export function grid(
  groups: readonly {
    s: number;
    L: number;
    v: readonly number[];
    s0: readonly number[];
  }[],
): ModelPoint[] {
  return groups.flatMap((g) => g.v.flatMap((v) => g.s0.map((s0) => ({ s: g.s, L: g.L, v, s0 }))));
}

const lcnGuides: readonly Guide[] = [
  { factor: 1, s: 2, label: "y = x (s = 2)" },
  { factor: 2.5, s: 3, label: "y = 2.5x (s = 3)" },
];
const cnnGuides: readonly Guide[] = [
  { factor: 2.5, s: 2, label: "y = 2.5x (s = 2)" },
  { factor: 3.5, s: 3, label: "y = 3.5x (s = 3)" },
];
const identity: readonly Guide[] = [{ factor: 1, label: "y = x" }];

const LCN_POINTS: Readonly<Record<PaperScale, readonly ModelPoint[]>> = {
  small: grid([
    { s: 2, L: 2, v: [3], s0: [1, 2, 4] },
    { s: 2, L: 3, v: [3], s0: [0, 1] },
    { s: 3, L: 2, v: [3], s0: [0] },
  ]),
  medium: grid([
    { s: 2, L: 2, v: [3, 4], s0: [0, 1, 2, 4] },
    { s: 2, L: 3, v: [3], s0: [0, 1] },
    { s: 3, L: 2, v: [3], s0: [0] },
  ]),
  paper: grid([
    { s: 2, L: 2, v: [3, 4, 6, 8], s0: [0, 1, 2, 4] },
    { s: 2, L: 3, v: [3, 4], s0: [0, 1, 2] },
    { s: 3, L: 2, v: [3], s0: [0, 1, 2] },
  ]),
};

const CNN_POINTS: Readonly<Record<PaperScale, readonly ModelPoint[]>> = {
  small: grid([
    { s: 2, L: 2, v: [4], s0: [0, 1, 2, 3] },
    { s: 2, L: 3, v: [4], s0: [0, 1] },
    { s: 3, L: 2, v: [3], s0: [0, 1] },
  ]),
  medium: grid([
    { s: 2, L: 2, v: [4, 6], s0: [0, 1, 2, 3, 4] },
    { s: 2, L: 3, v: [4], s0: [0, 1, 2] },
    { s: 3, L: 2, v: [3], s0: [0, 1, 2, 4] },
  ]),
  paper: grid([
    { s: 2, L: 2, v: [4, 6, 8], s0: [0, 1, 2, 3, 4, 6] },
    { s: 2, L: 3, v: [4], s0: [0, 1, 2, 3, 4] },
    { s: 2, L: 3, v: [6], s0: [0, 1, 2] },
    { s: 3, L: 2, v: [3, 4], s0: [0, 1, 2, 4, 6] },
    { s: 3, L: 3, v: [3], s0: [0, 1, 2] },
  ]),
};

/** The figures, in the paper's order. */
export const PAPER_FIGURES: readonly PaperFigure[] = [
  {
    id: "1",
    title: "Test error against D and S across seven architectures",
    kind: "architectures",
    experiment: "architectures",
    net: "cnn",
    sparsity: "A",
    points: {
      small: [{ s: 2, L: 2, s0: 2, v: 10, m: 10, nc: 10 }],
      medium: [{ s: 2, L: 2, s0: 2, v: 10, m: 10, nc: 10 }],
      paper: [{ s: 2, L: 2, s0: 2, v: 10, m: 10, nc: 10 }],
    },
    guides: [],
    claim: "the test error correlates with the sensitivities D and S across architectures",
    note: "P = 7400; trained by the architectures experiment",
  },
  {
    id: "4b",
    title: "LCN: P* against s^(L/2) (s0+1)^L nc m^L",
    kind: "law",
    experiment: "scaling",
    net: "lcn",
    sparsity: "A",
    points: LCN_POINTS,
    guides: lcnGuides,
    claim: "P* = C0 s^(L/2) (s0+1)^L nc m^L with C0 about 1 (s = 2) and 2.5 (s = 3)",
  },
  {
    id: "4c",
    title: "CNN: P* against (s0+1)^2 nc m^L",
    kind: "law",
    experiment: "scaling",
    net: "cnn",
    sparsity: "A",
    points: CNN_POINTS,
    guides: cnnGuides,
    claim: "P* = C1 (s0+1)^2 nc m^L with C1 about 2.5 (s = 2) and 3.5 (s = 3), whatever L",
  },
  {
    id: "5",
    title: "LCN: P* against the informative fraction F = (s0+1)^-L",
    kind: "fraction",
    experiment: "scaling",
    net: "lcn",
    sparsity: "A",
    runsOf: "4b",
    points: none,
    guides: [
      { factor: 1, s: 2, label: "y = 1/F (s = 2)" },
      { factor: 2.5, s: 3, label: "y = 2.5/F (s = 3)" },
    ],
    claim: "at fixed d, P* / (s^(L/2) nc m^L) = C0 / F",
    note: "P* is divided by s^(L/2) nc m^L so that every d falls on one line C0/F",
  },
  {
    id: "6",
    title: "CNN: P*_S and P*_D against P*",
    kind: "pstar-sd",
    experiment: "scaling",
    net: "cnn",
    sparsity: "A",
    runsOf: "4c",
    points: none,
    guides: identity,
    claim: "P*_S and P*_D equal P* within about a factor 2",
  },
  {
    id: "7",
    title: "Sparsity B: CNN learning curves",
    kind: "curves",
    experiment: "scaling",
    net: "cnn",
    sparsity: "B",
    points: {
      small: grid([{ s: 2, L: 2, v: [6], s0: [1, 2] }]),
      medium: grid([{ s: 2, L: 2, v: [6], s0: [1, 2, 3, 4] }, { s: 2, L: 3, v: [6], s0: [1] }]),
      paper: grid([{ s: 2, L: 2, v: [6], s0: [1, 2, 3, 4] }, {
        s: 2,
        L: 3,
        v: [6],
        s0: [1, 2, 3, 4],
      }]),
    },
    guides: [],
    claim: "sparsity B gives the same learning curves and scalings as sparsity A",
    note: "CNN, s = 2 (our reading)",
  },
  {
    id: "8",
    title: "Sparsity B: CNN P* against (s0+1)^2 nc m^L",
    kind: "law",
    experiment: "scaling",
    net: "cnn",
    sparsity: "B",
    runsOf: "7",
    points: none,
    guides: [{ factor: 2.5, s: 2, label: "y = 2.5x (s = 2)" }],
    claim: "P* = C1 (s0+1)^2 nc m^L as for sparsity A",
  },
  {
    id: "10",
    title: "LCN: P*_S against P*",
    kind: "pstar-s",
    experiment: "scaling",
    net: "lcn",
    sparsity: "A",
    runsOf: "4b",
    points: none,
    guides: identity,
    claim: "P*_S equals P* within about a factor 2",
  },
  {
    id: "11",
    title: "LCN: P*_D against P*",
    kind: "pstar-d",
    experiment: "scaling",
    net: "lcn",
    sparsity: "A",
    runsOf: "4b",
    points: none,
    guides: identity,
    claim: "P*_D equals P* within about a factor 2",
  },
  {
    id: "12",
    title: "CNN: S_{k,l} against P for every layer k and level l",
    kind: "hierarchy-s",
    experiment: "hierarchy",
    net: "cnn",
    sparsity: "A",
    points: {
      small: [{ s: 2, L: 2, s0: 1, v: 8, m: 8, nc: 8 }],
      medium: [{ s: 2, L: 2, s0: 1, v: 8, m: 8, nc: 8 }],
      paper: [{ s: 2, L: 2, s0: 1, v: 8, m: 8, nc: 8 }],
    },
    guides: [],
    claim: "at large P, S_{k,l} is small for k >= l + 1 only",
    note: "s0 = 1 (our choice: the paper's caption does not say)",
  },
  {
    id: "13",
    title: "CNN: learning curves against P / P*_law",
    kind: "collapse",
    experiment: "scaling",
    net: "cnn",
    sparsity: "A",
    runsOf: "4c",
    points: none,
    guides: [],
    claim: "the learning curves collapse when P is divided by the law",
  },
  {
    id: "14",
    title: "CNN: S_2 and D_2 against P / P*_law",
    kind: "sensitivity-collapse",
    experiment: "scaling",
    net: "cnn",
    sparsity: "A",
    runsOf: "4c",
    points: none,
    guides: [],
    claim: "S_2 and D_2 drop where the test error does, at P of order P*",
  },
  {
    id: "15",
    title: "CNN: D_{k,l} against P for every layer k and level l",
    kind: "hierarchy-d",
    experiment: "hierarchy",
    net: "cnn",
    sparsity: "A",
    runsOf: "12",
    points: none,
    guides: [],
    claim: "at large P, D_{k,l} is small for k >= l + 1 only",
  },
  {
    id: "16",
    title: "FCN: P* and its sensitivities",
    kind: "fcn",
    experiment: "scaling",
    net: "fcn",
    sparsity: "A",
    points: {
      small: grid([{ s: 2, L: 2, v: [4], s0: [0, 1] }]),
      medium: grid([{ s: 2, L: 2, v: [4, 6], s0: [0, 1, 2] }, { s: 2, L: 3, v: [4], s0: [0, 1] }]),
      paper: grid([
        { s: 2, L: 2, v: [4, 6, 8], s0: [0, 1, 2] },
        { s: 2, L: 3, v: [4, 6, 8], s0: [0, 1, 2] },
      ]),
    },
    grid: {
      small: { low: 0.5, high: 32, points: 7 },
      medium: { low: 0.5, high: 64, points: 8 },
      paper: { low: 0.5, high: 128, points: 9 },
    },
    guides: identity,
    claim: "the FCN needs many more data than the CNN and LCN (of order Pmax when shallow)",
    note:
      "the grid is centred on the CNN law (the paper gives no FCN law) and capped at 0.8 Pmax; " +
      "P*_S and P*_D use the CNN's thresholds (the paper gives none for the FCN)",
  },
];

/**
 * The figure of an id, or a `RangeError` that lists the ids.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figureById } from "./catalogue.ts";
 * assert.equal(figureById("4c").net, "cnn");
 * assert.throws(() => figureById("9"), /4b, 4c/);
 * ```
 */
export function figureById(id: string): PaperFigure {
  const figure = PAPER_FIGURES.find((f) => f.id === id);
  if (figure === undefined) {
    throw new RangeError(
      `--figure must be one of ${PAPER_FIGURES.map((f) => f.id).join(", ")} or all (got ${
        JSON.stringify(id)
      })`,
    );
  }
  return figure;
}

/**
 * The figure that owns the runs of `figure` (itself, or its `runsOf`, followed to the end).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figureById, runsOwner } from "./catalogue.ts";
 * assert.equal(runsOwner(figureById("13")).id, "4c");
 * assert.equal(runsOwner(figureById("4c")).id, "4c");
 * ```
 */
export function runsOwner(figure: PaperFigure): PaperFigure {
  let f = figure;
  for (let i = 0; f.runsOf !== undefined && i < PAPER_FIGURES.length; i++) f = figureById(f.runsOf);
  return f;
}

/**
 * The grammars a figure trains at a scale (those of its runs' owner).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figureById, figurePoints } from "./catalogue.ts";
 * assert.deepEqual(figurePoints(figureById("6"), "small"), figurePoints(figureById("4c"), "small"));
 * ```
 */
export function figurePoints(figure: PaperFigure, scale: PaperScale): readonly ModelPoint[] {
  return runsOwner(figure).points[scale];
}

const pointKey = (p: ModelPoint): string =>
  `s=${p.s} L=${p.L} s0=${p.s0} v=${p.v}${p.m !== undefined ? ` m=${p.m}` : ""}${
    p.nc !== undefined ? ` nc=${p.nc}` : ""
  }`;

/**
 * The points of the paper's grid that a scale leaves out, as `s=2 L=3 s0=4 v=6` labels.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { droppedPoints, figureById } from "./catalogue.ts";
 * const dropped = droppedPoints(figureById("4b"), "small");
 * assert.ok(dropped.includes("s=2 L=2 s0=4 v=8"));
 * assert.equal(droppedPoints(figureById("4b"), "paper").length, 0);
 * ```
 */
export function droppedPoints(figure: PaperFigure, scale: PaperScale): string[] {
  const kept = new Set(figurePoints(figure, scale).map(pointKey));
  return figurePoints(figure, "paper").map(pointKey).filter((k) => !kept.has(k));
}

/**
 * The lines of `paper --list`: the id, a tab, the title.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listLines } from "./catalogue.ts";
 * const lines = listLines();
 * assert.ok(lines.includes("4c\tCNN: P* against (s0+1)^2 nc m^L"));
 * ```
 */
export function listLines(): string[] {
  return PAPER_FIGURES.map((f) => `${f.id}\t${f.title}`);
}
