/**
 * A figure's plan as invocations of the existing experiments: the arguments that `scaling` or
 * `hierarchy` would be given on the command line (one `scaling --vary s0` per `s, L, v` of the
 * figure, one `hierarchy` per grammar). Every default that the arguments leave out (learning rate,
 * stopping loss, encoding, sensitivity conventions, batch) is the experiment's own, so the figure
 * follows the project's protocol wherever it is decided. Pure: the CLI turns the invocations into
 * plans (`planFromArgs`), whose runs carry content-derived ids, so that two figures drawing the
 * same runs (4c, 6, 13, 14) compute them once in a shared results file.
 *
 * @module
 */
import {
  figurePoints,
  type ModelPoint,
  type PaperFigure,
  type PaperScale,
  type PGrid,
  runsOwner,
} from "./catalogue.ts";

/** An experiment and its command-line arguments. */
export interface Invocation {
  /** `scaling`, `hierarchy` or `architectures`. */
  readonly experiment: string;
  /** Its arguments, as typed after its name. */
  readonly args: readonly string[];
}

/** The width, epochs and test set of each scale, as arguments of the experiments. */
export const SCALE_ARGS: Readonly<Record<PaperScale, readonly string[]>> = {
  small: ["--scale", "small"],
  medium: ["--scale", "paper", "--width", "256", "--max-epochs", "1000", "--test", "10000"],
  paper: ["--scale", "paper"],
};

/** The default P grid of each scale (that of the experiments' presets, `medium`: 7 points). */
export const SCALE_GRIDS: Readonly<Record<PaperScale, PGrid>> = {
  small: { low: 0.25, high: 4, points: 7 },
  medium: { low: 0.25, high: 4, points: 7 },
  paper: { low: 0.125, high: 8, points: 9 },
};

/** Options of `figureInvocations`. */
export interface InvocationOptions {
  /** The scale whose grammars, grid and arguments the invocations use. */
  readonly scale: PaperScale;
  /** Seeds per P (default 1, as the paper). */
  readonly seeds?: number;
}

const gridArg = (g: PGrid): string => `${g.low}:${g.high}:${g.points}`;

const grammarArgs = (p: ModelPoint): string[] => [
  "--s",
  String(p.s),
  "--L",
  String(p.L),
  "--v",
  String(p.v),
  ...(p.m !== undefined ? ["--m", String(p.m)] : []),
  ...(p.nc !== undefined ? ["--nc", String(p.nc)] : []),
];

/**
 * The P grid of a figure at a scale: its own, else the scale's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figureById } from "./catalogue.ts";
 * import { figureGrid } from "./invocations.ts";
 * assert.equal(figureGrid(figureById("16"), "small").high, 32);
 * assert.equal(figureGrid(figureById("4c"), "small").points, 7);
 * ```
 */
export function figureGrid(figure: PaperFigure, scale: PaperScale): PGrid {
  return runsOwner(figure).grid?.[scale] ?? SCALE_GRIDS[scale];
}

/**
 * The invocations that train a figure's runs (those of its `runsOf` figure when it has one): one
 * `scaling --vary s0 --values ...` per `(s, L, v)` in the order of the points, or one `hierarchy`
 * per grammar, or one `architectures` run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figureById } from "./catalogue.ts";
 * import { figureInvocations } from "./invocations.ts";
 * const inv = figureInvocations(figureById("4c"), { scale: "small" });
 * assert.equal(inv.length, 3);
 * assert.equal(inv[0].experiment, "scaling");
 * assert.ok(inv[0].args.join(" ").includes("--vary s0 --values 0,1,2,3"));
 * const one = figureInvocations(figureById("1"), { scale: "medium", seeds: 3 });
 * assert.deepEqual(one, [{ experiment: "architectures", args: ["--scale", "paper", "--seeds", "3"] }]);
 * ```
 */
export function figureInvocations(figure: PaperFigure, options: InvocationOptions): Invocation[] {
  const owner = runsOwner(figure);
  const seeds = options.seeds ?? 1;
  if (!Number.isInteger(seeds) || seeds < 1) {
    throw new RangeError(`--seeds must be an integer >= 1 (got ${seeds})`);
  }
  const common = [
    ...SCALE_ARGS[options.scale],
    "--seeds",
    String(seeds),
    "--grid",
    gridArg(figureGrid(owner, options.scale)),
    "--sparsity",
    owner.sparsity,
  ];
  if (owner.experiment === "architectures") {
    // Figure 1 is one run of the architectures experiment: its own presets (`medium` takes the
    // authors' sizes, as `paper`), its own default seeds unless more than one is asked for.
    return [{
      experiment: "architectures",
      args: [
        "--scale",
        options.scale === "small" ? "small" : "paper",
        ...(seeds > 1 ? ["--seeds", String(seeds)] : []),
      ],
    }];
  }
  const points = figurePoints(owner, options.scale);
  if (owner.experiment === "scaling") {
    const groups = new Map<string, { point: ModelPoint; s0: number[] }>();
    for (const p of points) {
      const key = grammarArgs(p).join(" ");
      const g = groups.get(key);
      if (g === undefined) groups.set(key, { point: p, s0: [p.s0] });
      else g.s0.push(p.s0);
    }
    return [...groups.values()].map(({ point, s0 }) => ({
      experiment: "scaling",
      args: [
        ...grammarArgs(point),
        "--nets",
        owner.net,
        "--vary",
        "s0",
        "--values",
        s0.join(","),
        ...common,
      ],
    }));
  }
  return points.map((p) => ({
    experiment: owner.experiment,
    args: [...grammarArgs(p), "--s0", String(p.s0), "--net", owner.net, ...common],
  }));
}

/**
 * The invocation as one shell line (`deno task experiment scaling --s 2 ...`), for reports.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { commandLine } from "./invocations.ts";
 * assert.equal(commandLine({ experiment: "scaling", args: ["--s", "2"] }), "deno task experiment scaling --s 2");
 * ```
 */
export function commandLine(invocation: Invocation): string {
  return ["deno task experiment", invocation.experiment, ...invocation.args].join(" ");
}
