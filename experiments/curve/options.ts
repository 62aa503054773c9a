/**
 * The command-line options of a learning curve (and of the hierarchy, which takes the same):
 *
 *     <params> <network/training> [--P list] [--grid low:high:points] [--seeds N]
 *     [--seed-scope all|data] [--lr-grid list] [--scale small|paper] [--per-class N]
 *     [--no-sensitivities] [--synonym-variant redraw|other] [--cumulative|--no-cumulative]
 *     [--denominator batch-pairs|independent] [--out DIR] [--retry-failed] [--quiet]
 *
 * `<params>` are the grammar options of `grammar` (here `--L` defaults to 2, `--v` to 4 and `--s0`
 * to 1, the default model); `<network/training>` are the options of `train` with the same names,
 * whose defaults come from the preset of `--scale` (`presets.ts`; the learning rate from the
 * authors' table, `referenceLr`). The protocol defaults to the authors' (issue 9, `protocol.ts`),
 * each choice with its named alternative: `--lr x` (one rate) or `--lr-grid a,b,c` (every rate,
 * the best test error per point kept) instead of the table; `--fcn-scale`, `--stop-check`,
 * `--balanced/--no-balanced` (`cli/options.ts`); `--synonym-variant redraw|other`,
 * `--cumulative/--no-cumulative`, `--denominator batch-pairs|independent`; `--seed-scope all|data`
 * (what `--seeds N` varies: grammar, data and init, or data and init). Every choice is written
 * into every run, defaults included (so changing a default changes the run ids).
 *
 * @module
 */
import {
  type Command,
  InvalidArgumentError,
  Option,
  type OptionValues,
} from "@commander-js/extra-typings";
import { NETWORK_KINDS, type NetworkKind } from "@srhm/networks/config";
import { referenceLr, referenceStopLoss } from "@srhm/networks/lr";
import type { SrhmParams } from "@srhm/generators";
import type { RunMeasure, RunNetwork, RunTraining } from "../plan.ts";
import { type Preset, preset, type Scale, SCALES } from "../presets.ts";
import {
  addNetworkOptions,
  addParamOptions,
  integer,
  integerList,
  type NetworkCliOptions,
  type ParamOptions,
  paramsFromOptions,
} from "../cli/options.ts";
import type { CurveOptions } from "./plan.ts";
import {
  AUTHORS_PROTOCOL,
  type Denominator,
  DENOMINATORS,
  SEED_SCOPES,
  type SeedScope,
  SYNONYM_VARIANTS,
  type SynonymVariant,
} from "../protocol.ts";
import { UsageError } from "../cli/usage_error.ts";

/** The experiments' default model: L = 2, v = 4, s0 = 1 (with m = nc = v). */
export const EXPERIMENT_DEFAULTS: ParamOptions = { L: "2", v: "4", s0: "1" };

/**
 * The parser of `--grid low:high:points`: the default grid's span as multiples of the law's `P*`,
 * and its size.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseGrid } from "./options.ts";
 * const g = parseGrid("0.5:2:9");
 * assert.ok(g.low === 0.5 && g.high === 2 && g.points === 9);
 * assert.throws(() => parseGrid("2:1:5"), /low:high:points/);
 * ```
 */
export function parseGrid(text: string): { low: number; high: number; points: number } {
  const parts = text.split(":").map((t) => Number(t.trim()));
  const [low, high, points] = parts;
  if (
    parts.length !== 3 || !(low > 0) || !(high >= low) || !Number.isFinite(high) ||
    !Number.isSafeInteger(points) || points < 1
  ) {
    throw new InvalidArgumentError(
      `must be low:high:points with 0 < low <= high and points >= 1 (got ${JSON.stringify(text)})`,
    );
  }
  return { low, high, points };
}

/**
 * Declares the options of a learning curve on a command (see the module doc).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "@commander-js/extra-typings";
 * import { declareCurveOptions } from "./options.ts";
 * const c = declareCurveOptions(new Command("curve"));
 * c.parse(["--P", "100,200", "--width", "16"], { from: "user" });
 * assert.deepEqual([c.opts().P, c.opts().width, c.opts().net], [[100, 200], 16, "cnn"]);
 * ```
 */
export function declareCurveOptions<Opts extends OptionValues>(
  c: Command<[], Opts>,
): Command<[], Opts & CurveCliOptions> {
  return addNetworkOptions(addParamOptions(c, EXPERIMENT_DEFAULTS), {
    batch: "mini-batch size (default: the preset's per class x nc)",
    maxEpochs: "epoch cap (default: the preset's)",
    evalEvery: "test error every k epochs (default: the preset's)",
  })
    .addOption(new Option("--net <kind>", "network").choices(NETWORK_KINDS).default("cnn" as const))
    .addOption(
      new Option("--width <H>", "width H (default: the preset's, small 64, paper 512)")
        .argParser(integer(1)),
    )
    .addOption(
      new Option("--test <N>", "test-set size (default: the preset's, capped at Pmax - P)")
        .argParser(integer(1)),
    )
    .addOption(
      new Option(
        "--P <list>",
        "training-set sizes, comma-separated (default: a log grid around P*)",
      )
        .argParser(integerList(1)),
    )
    .addOption(
      new Option(
        "--grid <low:high:points>",
        "the default grid: points log-spaced P from low x P_law to high x P_law (small 0.25:4:7)",
      ).argParser(parseGrid),
    )
    .addOption(
      new Option(
        "--seeds <N>",
        "seeds per P (default: the preset's, 1); seed i draws grammar --seed + i, data and init",
      ).argParser(integer(1)),
    )
    .addOption(
      new Option(
        "--seed-scope <scope>",
        "what --seeds varies: all (grammar, data and init) or data (the grammar stays --seed)",
      ).choices(SEED_SCOPES).default("all" as const),
    )
    .addOption(
      new Option(
        "--lr-grid <list>",
        "train every point at each rate (e.g. 0.01,0.03,0.1,0.3), keep the best test error per " +
          "point (all recorded); excludes --lr",
      ).argParser(parseLrGrid),
    )
    .addOption(
      new Option("--scale <scale>", "preset: small (a laptop) or paper").choices(SCALES)
        .default("small" as const),
    )
    .addOption(
      new Option("--per-class <N>", "fresh data per class for the sensitivities (default 20)")
        .argParser(integer(1)),
    )
    .option("--no-sensitivities", "do not measure S_{k,l}, D_{k,l}")
    .addOption(
      new Option(
        "--synonym-variant <v>",
        "synonym exchange of S_{k,l}: redraw (the authors': uniform among all m) or other (one " +
          "of the m-1 others)",
      ).choices(SYNONYM_VARIANTS).default("redraw" as const),
    )
    .option(
      "--cumulative",
      "transform every level <= l for S_{k,l}, D_{k,l} (default, the authors')",
    )
    .option("--no-cumulative", "transform level l only")
    .addOption(
      new Option(
        "--denominator <d>",
        "of S and D: batch-pairs (the authors': all ordered pairs of the batch, i = j included) " +
          "or independent (pairs with an independent draw)",
      ).choices(DENOMINATORS).default("batch-pairs" as const),
    )
    .option("--out <dir>", "output directory (default results/<experiment>-<timestamp>/)")
    .option("--retry-failed", "also compute again the runs recorded as failed")
    .option("--quiet", "no progress on stderr") as unknown as Command<[], Opts & CurveCliOptions>;
}

/** The values of the options of a learning curve, as commander parses them. */
export interface CurveCliOptions extends ParamOptions, NetworkCliOptions {
  /** `--net`. */
  net: NetworkKind;
  /** `--width`. */
  width?: number;
  /** `--test`. */
  test?: number;
  /** `--P`. */
  P?: number[];
  /** `--grid`. */
  grid?: { low: number; high: number; points: number };
  /** `--seeds`. */
  seeds?: number;
  /** `--scale`. */
  scale: Scale;
  /** `--per-class`. */
  perClass?: number;
  /** `--no-sensitivities` (false). */
  sensitivities: boolean;
  /** `--seed-scope`. */
  seedScope: SeedScope;
  /** `--lr-grid`. */
  lrGrid?: number[];
  /** `--synonym-variant`. */
  synonymVariant: SynonymVariant;
  /** `--cumulative` / `--no-cumulative` (absent: the authors', cumulative). */
  cumulative?: boolean;
  /** `--denominator`. */
  denominator: Denominator;
  /** `--out`. */
  out?: string;
  /** `--retry-failed`. */
  retryFailed?: true;
  /** `--quiet`. */
  quiet?: true;
}

/** The parts of a curve's options that do not depend on the network kind. */
function common(o: CurveCliOptions, p: Preset, params: SrhmParams) {
  const training: Omit<RunTraining, "lr" | "stopLoss"> = {
    batch: o.batch ?? p.batchPerClass * params.nc,
    maxEpochs: o.maxEpochs ?? p.maxEpochs,
    evalEvery: o.evalEvery ?? p.evalEvery,
    encoding: o.encoding,
    backend: o.backend,
    mode: o.mode,
    stopCheck: o.stopCheck ?? AUTHORS_PROTOCOL.training.stopCheck,
    balanced: o.balanced ?? AUTHORS_PROTOCOL.training.balanced,
  };
  const measure: RunMeasure = {
    sensitivities: o.sensitivities !== false,
    perClass: o.perClass ?? p.perClass,
    synonymVariant: o.synonymVariant ?? AUTHORS_PROTOCOL.measure.synonymVariant,
    cumulative: o.cumulative ?? AUTHORS_PROTOCOL.measure.cumulative,
    denominator: o.denominator ?? AUTHORS_PROTOCOL.measure.denominator,
  };
  return { training, measure };
}

/**
 * The options of a learning curve (or hierarchy) from the parsed command line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "@commander-js/extra-typings";
 * import { curveOptionsFromCli, declareCurveOptions } from "./options.ts";
 * const c = declareCurveOptions(new Command("curve")).parse(["--P", "100,200", "--width", "16"], { from: "user" });
 * const o = curveOptionsFromCli(c.opts());
 * assert.ok(o.params.s0 === 1 && o.network.width === 16 && o.training.lr === 0.1);
 * assert.ok(o.measure.synonymVariant === "redraw" && o.measure.cumulative === true);
 * assert.ok(o.training.stopCheck === "eval" && o.training.balanced === true);
 * ```
 */
export function curveOptionsFromCli(o: CurveCliOptions): CurveOptions {
  if (o.lr !== undefined && o.lrGrid !== undefined) {
    throw new UsageError("--lr and --lr-grid exclude each other (one rate, or a grid of rates)");
  }
  const params = paramsFromOptions(o, EXPERIMENT_DEFAULTS);
  const p = preset(o.scale);
  const kind: NetworkKind = o.net;
  const { training, measure } = common(o, p, params);
  const network: RunNetwork = {
    kind,
    width: o.width ?? p.width,
    bias: o.bias,
    parametrisation: o.parametrisation,
    fcnScale: o.fcnScale ?? AUTHORS_PROTOCOL.network.fcnScale,
  };
  return {
    params,
    network,
    training: {
      lr: o.lr ?? referenceLr(kind, params.s, params.L, params.s0) * p.lrFactor,
      ...training,
      stopLoss: o.stopLoss ?? referenceStopLoss(kind),
    },
    measure,
    ...(o.P !== undefined ? { P: o.P } : {}),
    grid: o.grid ?? p.grid,
    seeds: o.seeds ?? p.seeds,
    seedScope: o.seedScope ?? "all",
    ...(o.lrGrid !== undefined ? { lrGrid: o.lrGrid } : {}),
    test: o.test ?? p.test,
  };
}

/**
 * The parser of `--lr-grid a,b,c`: the learning rates of a grid, each `> 0`, without repeats.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseLrGrid } from "./options.ts";
 * assert.deepEqual(parseLrGrid("0.01, 0.03,0.1"), [0.01, 0.03, 0.1]);
 * assert.throws(() => parseLrGrid("0.1,0"), /comma-separated list of rates > 0/);
 * ```
 */
export function parseLrGrid(text: string): number[] {
  const rates = text.split(",").map((t) => t.trim());
  if (rates.some((t) => t === "" || !(Number(t) > 0) || !Number.isFinite(Number(t)))) {
    throw new InvalidArgumentError(
      `must be a comma-separated list of rates > 0 (got ${JSON.stringify(text)})`,
    );
  }
  return [...new Set(rates.map(Number))];
}
