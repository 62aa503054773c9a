/**
 * CLI commands of the experiments:
 *
 *     deno task experiment curve     <params> <network/training> [--P list] [--seeds N] [--scale small|paper] [--out DIR]
 *     deno task experiment hierarchy <params> <network/training> [--P list] [--seeds N] [--scale small|paper] [--out DIR]
 *     deno task experiment scaling   <params> <network/training> [--vary s0|v|L] [--values list] [--nets cnn,lcn] ...
 *     deno task experiment plot   <results.jsonl | DIR> [--out DIR]
 *     deno task experiment report <results.jsonl | DIR> [--out DIR]
 *
 * `<params>` are the grammar options of `grammar` (parsed by its `paramsFromOptions`; here `--L`
 * defaults to 2, `--v` to 4 and `--s0` to 1, the default model); `<network/training>` are the
 * options of `train` with the same names (`--net --width --lr --batch --max-epochs --stop-loss
 * --eval-every --encoding --mode --bias --parametrisation --backend --test`), whose defaults come
 * from the preset of `--scale` (`presets.ts`; the learning rate from `referenceLr`).
 * `--synonym-variant other|redraw` and `--cumulative` choose the transformations of the
 * sensitivities. The defaults (`--mode distinct`, `other`, not cumulative) are not written into
 * the runs, so the ids of runs made before these options existed stay the same. Each experiment
 * writes into `--out DIR` (default `results/<experiment>-<UTC timestamp>/`) `results.jsonl`,
 * `summary.json`, figures (`*.svg`, `*.png`) and `report.md`; running it again on the same DIR
 * resumes (runs already in `results.jsonl` are skipped). The progress bar goes to stderr; stdout
 * gets a few lines of results and the output directory.
 *
 * @module
 */
import type { Command } from "@commander-js/extra-typings";
import {
  BACKEND_NAMES,
  BIAS_MODES,
  NETWORK_KINDS,
  type NetworkKind,
  PARAMETRISATIONS,
  referenceLr,
  referenceStopLoss,
} from "@srhm/networks";
import type { SrhmParams } from "@srhm/generators";
import { type CurveOptions, curvePlan } from "../curve.ts";
import { hierarchyPlan } from "../hierarchy.ts";
import type { Plan, RunMeasure, RunNetwork, RunTraining } from "../plan.ts";
import { type Preset, preset, SCALES } from "../presets.ts";
import { fmt } from "../report.ts";
import { runPipeline } from "../pipeline.ts";
import { runExperiment, writeOutputs } from "../run_experiment.ts";
import { type ScalingOptions, scalingPlan } from "../scaling.ts";
import { pendingRuns, readResults } from "../store.ts";
import type { ExperimentSummary } from "../summarize.ts";
import type { ScalingVariable } from "../summary.ts";
import {
  addNetworkOptions,
  addParamOptions,
  choiceOption,
  intOption,
  modeOption,
  numberOption,
  type ParamOptions,
  paramsFromOptions,
} from "./options.ts";
import { progressReporter } from "./progress.ts";
import { UsageError } from "./usage_error.ts";

/** The raw option strings of `curve`, `hierarchy` and `scaling`. */
export interface ExperimentCliOptions extends ParamOptions {
  net?: string;
  width?: string;
  lr?: string;
  batch?: string;
  maxEpochs?: string;
  stopLoss?: string;
  evalEvery?: string;
  encoding?: string;
  mode?: string;
  bias?: string;
  parametrisation?: string;
  backend?: string;
  test?: string;
  P?: string;
  seeds?: string;
  grid?: string;
  scale?: string;
  perClass?: string;
  sensitivities?: boolean;
  synonymVariant?: string;
  cumulative?: boolean;
  out?: string;
  quiet?: boolean;
  retryFailed?: boolean;
  /** `scaling` only. */
  vary?: string;
  values?: string;
  nets?: string;
}

/**
 * A comma-separated list of integers `>= min`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseIntList } from "./experiments.ts";
 * assert.ok(parseIntList("P", "100, 200,400", 1).join() === "100,200,400");
 * ```
 */
export function parseIntList(name: string, text: string, min: number): number[] {
  const items = text.split(",").map((t) => t.trim());
  return items.map((t) => {
    const x = Number(t);
    if (t === "" || !Number.isSafeInteger(x) || x < min) {
      throw new UsageError(
        `--${name} must be a comma-separated list of integers >= ${min} (got ${
          JSON.stringify(text)
        })`,
      );
    }
    return x;
  });
}

/**
 * `--grid low:high:points`: the default grid's span as multiples of the law's `P*`, and its size.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseGrid } from "./experiments.ts";
 * const g = parseGrid("0.5:2:9");
 * assert.ok(g.low === 0.5 && g.high === 2 && g.points === 9);
 * ```
 */
export function parseGrid(text: string): { low: number; high: number; points: number } {
  const parts = text.split(":").map((t) => Number(t.trim()));
  const [low, high, points] = parts;
  if (
    parts.length !== 3 || !(low > 0) || !(high >= low) || !Number.isFinite(high) ||
    !Number.isSafeInteger(points) || points < 1
  ) {
    throw new UsageError(
      `--grid must be low:high:points with 0 < low <= high and points >= 1 (got ${
        JSON.stringify(text)
      })`,
    );
  }
  return { low, high, points };
}

/** The experiments' default model: L = 2, v = 4, s0 = 1 (with m = nc = v). */
const EXPERIMENT_DEFAULTS: ParamOptions = { L: "2", v: "4", s0: "1" };

/** The grammar parameters, with the experiments' defaults. */
function experimentParams(o: ExperimentCliOptions): SrhmParams {
  return paramsFromOptions(o, EXPERIMENT_DEFAULTS);
}

function scaleOf(o: ExperimentCliOptions): Preset {
  return preset(choiceOption("scale", o.scale, SCALES, "small"));
}

function networkOf(o: ExperimentCliOptions, p: Preset, kind: NetworkKind): RunNetwork {
  return {
    kind,
    width: intOption("width", o.width, 1, p.width),
    bias: choiceOption("bias", o.bias, BIAS_MODES, "per-position"),
    parametrisation: choiceOption(
      "parametrisation",
      o.parametrisation,
      PARAMETRISATIONS,
      "mean-field",
    ),
  };
}

function trainingOf(
  o: ExperimentCliOptions,
  p: Preset,
  kind: NetworkKind,
  params: SrhmParams,
): Omit<RunTraining, "lr"> & { lr: number | null } {
  return {
    lr: o.lr === undefined ? null : numberOption("lr", o.lr, (x) => x > 0, "> 0", 0),
    batch: intOption("batch", o.batch, 1, p.batchPerClass * params.nc),
    maxEpochs: intOption("max-epochs", o.maxEpochs, 1, p.maxEpochs),
    stopLoss: numberOption("stop-loss", o.stopLoss, (x) => x >= 0, ">= 0", referenceStopLoss(kind)),
    evalEvery: intOption("eval-every", o.evalEvery, 1, p.evalEvery),
    encoding: choiceOption("encoding", o.encoding, ["onehot", "whitened"] as const, "onehot"),
    backend: choiceOption("backend", o.backend, BACKEND_NAMES, "auto"),
    ...(o.mode !== undefined && modeOption(o.mode) !== "distinct"
      ? { mode: modeOption(o.mode) }
      : {}),
  };
}

function measureOf(o: ExperimentCliOptions, p: Preset): RunMeasure {
  const variant = choiceOption("synonym-variant", o.synonymVariant, ["other", "redraw"], "other");
  return {
    sensitivities: o.sensitivities !== false,
    perClass: intOption("per-class", o.perClass, 1, p.perClass),
    ...(variant !== "other" ? { variant } : {}),
    ...(o.cumulative === true ? { cumulative: true } : {}),
  };
}

/**
 * The options of a learning curve (or hierarchy) from the command line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { curveOptionsFromCli } from "./experiments.ts";
 * const o = curveOptionsFromCli({ P: "100,200", width: "16" });
 * assert.ok(o.params.s0 === 1 && o.network.width === 16 && o.training.lr === 0.1);
 * ```
 */
export function curveOptionsFromCli(o: ExperimentCliOptions): CurveOptions {
  const params = experimentParams(o);
  const p = scaleOf(o);
  const kind = choiceOption<NetworkKind>("net", o.net, NETWORK_KINDS, "cnn");
  const training = trainingOf(o, p, kind, params);
  return {
    params,
    network: networkOf(o, p, kind),
    training: {
      ...training,
      lr: training.lr ?? referenceLr(kind, params.s, params.L, params.s0) * p.lrFactor,
    },
    measure: measureOf(o, p),
    ...(o.P !== undefined ? { P: parseIntList("P", o.P, 1) } : {}),
    grid: o.grid === undefined ? p.grid : parseGrid(o.grid),
    seeds: intOption("seeds", o.seeds, 1, p.seeds),
    test: intOption("test", o.test, 1, p.test),
  };
}

/**
 * The options of a scaling experiment from the command line (`--vary`, default s0 with values
 * 1,2,3; `--nets`, default cnn).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scalingOptionsFromCli } from "./experiments.ts";
 * const o = scalingOptionsFromCli({ values: "1,2" });
 * assert.ok(o.variable === "s0" && o.values.join() === "1,2" && o.kinds.join() === "cnn");
 * ```
 */
export function scalingOptionsFromCli(o: ExperimentCliOptions): ScalingOptions {
  const variable = choiceOption<ScalingVariable>("vary", o.vary, ["s0", "v", "L"], "s0");
  const defaults = { s0: "1,2,3", v: "3,4,5", L: "2,3" }[variable];
  const values = parseIntList("values", o.values ?? defaults, variable === "s0" ? 0 : 1);
  const kinds = (o.nets ?? o.net ?? "cnn").split(",").map((k) =>
    choiceOption<NetworkKind>("nets", k.trim(), NETWORK_KINDS, "cnn")
  );
  const curve = curveOptionsFromCli({ ...o, net: kinds[0] });
  const p = scaleOf(o);
  return {
    ...curve,
    variable,
    values,
    kinds,
    network: {
      width: curve.network.width,
      bias: curve.network.bias,
      parametrisation: curve.network.parametrisation,
    },
    training: { ...curve.training, lr: o.lr === undefined ? null : curve.training.lr },
    lrFactor: p.lrFactor,
    ...(o.batch === undefined ? { batchPerClass: p.batchPerClass } : {}),
  };
}

/** The experiments this file runs. */
export const EXPERIMENTS = ["curve", "hierarchy", "scaling"] as const;

/**
 * The plan of an experiment from its parsed command-line options.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planFromCli } from "./experiments.ts";
 * const plan = planFromCli("curve", { P: "100,200", seeds: "2" });
 * assert.ok(plan.runs.length === 4);
 * ```
 */
export function planFromCli(experiment: string, o: ExperimentCliOptions): Plan {
  try {
    if (experiment === "curve") return curvePlan(curveOptionsFromCli(o));
    if (experiment === "hierarchy") return hierarchyPlan(curveOptionsFromCli(o));
    if (experiment === "scaling") return scalingPlan(scalingOptionsFromCli(o));
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
  throw new UsageError(
    `experiment must be one of ${EXPERIMENTS.join(", ")} (got ${JSON.stringify(experiment)})`,
  );
}

/**
 * The plan of an experiment from its raw arguments (as typed after the experiment's name), for
 * the cluster commands (`sweep curve --s0 2 ...`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planFromArgs } from "./experiments.ts";
 * const plan = await planFromArgs("curve", ["--P", "100,200", "--seeds", "3"]);
 * assert.ok(plan.runs.length === 6);
 * ```
 */
export async function planFromArgs(experiment: string, args: readonly string[]): Promise<Plan> {
  if (!(EXPERIMENTS as readonly string[]).includes(experiment)) {
    throw new UsageError(
      `experiment must be one of ${EXPERIMENTS.join(", ")} (got ${JSON.stringify(experiment)})`,
    );
  }
  const { Command } = await import("@commander-js/extra-typings");
  const program = new Command().exitOverride().configureOutput({ writeErr: () => {} });
  let plan: Plan | undefined;
  registerExperimentCommands(program, {
    onPlan: (p) => {
      plan = p;
    },
  });
  try {
    await program.parseAsync([experiment, ...args], { from: "user" });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if (plan === undefined) {
    throw new UsageError(
      `experiment must be one of ${EXPERIMENTS.join(", ")} (got ${JSON.stringify(experiment)})`,
    );
  }
  return plan;
}

/**
 * The default output directory: `results/<experiment>-<UTC timestamp>`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultOut } from "./experiments.ts";
 * assert.ok(defaultOut("curve", new Date(Date.UTC(2026, 0, 2, 3, 4, 5))) === "results/curve-20260102-030405");
 * ```
 */
export function defaultOut(experiment: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, "").replace(/[-:]/g, "").replace("T", "-");
  return `results/${experiment}-${stamp}`;
}

/**
 * A few lines of results for stdout.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { headline } from "./experiments.ts";
 * assert.ok(headline([]).length === 0);
 * ```
 */
export function headline(summaries: readonly ExperimentSummary[]): string[] {
  return summaries.flatMap((s) => {
    if (s.type === "scaling") {
      return s.kinds.map((k) =>
        `${k.kind}: P* ~ (${k.x})^${fmt(k.exponent)} [${
          k.interval ? k.interval.map(fmt).join(", ") : "—"
        }], ` +
        `paper ${fmt(k.predictedExponent)}; P* = ${k.points.map((p) => fmt(p.pstar)).join(", ")}`
      );
    }
    return s.curves.map((c) =>
      `${c.network.kind} L=${c.params.L} s0=${c.params.s0} v=${c.params.v}: P* = ${fmt(c.pstar)} ` +
      `(law ${fmt(c.predicted)}), P*_S = ${fmt(c.pstarS)}, P*_D = ${fmt(c.pstarD)}`
    );
  });
}

/**
 * Runs a plan into `out` with a progress bar on stderr, then prints the headline and the
 * directory on stdout.
 *
 * @example
 * ```ts
 * import { executeWithProgress } from "./experiments.ts";
 * import { makePlan } from "../plan.ts";
 * const dir = await Deno.makeTempDir();
 * await executeWithProgress(makePlan("curve", {}, []), dir, { quiet: true, figures: false, print: false });
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function executeWithProgress(
  plan: Plan,
  out: string,
  options: {
    quiet?: boolean;
    retryFailed?: boolean;
    figures?: boolean;
    print?: boolean;
    title?: string;
  } = {},
): Promise<ExperimentSummary[]> {
  const t0 = performance.now();
  const before = await readResults(`${out}/results.jsonl`, { onWarning: () => {} });
  const todo = pendingRuns(plan.runs, before, { retryFailed: options.retryFailed });
  if (options.quiet !== true) {
    console.error(
      `${plan.experiment}: ${plan.runs.length} runs, ${
        plan.runs.length - todo.length
      } already in ${out}/results.jsonl`,
    );
  }
  const progress = progressReporter(plan.experiment, todo, { quiet: options.quiet });
  let outputs;
  try {
    ({ outputs } = await runExperiment(plan, out, {
      runner: runPipeline,
      onProgress: progress.onProgress,
      retryFailed: options.retryFailed,
      figures: options.figures,
      title: options.title ?? `${plan.experiment} (${out})`,
      preamble: [
        `Plan of ${plan.runs.length} runs; this invocation computed ${todo.length} of them.`,
      ],
    }));
  } finally {
    progress.stop();
  }
  if (options.print !== false) {
    for (const line of headline(outputs.summaries)) console.log(line);
    console.log(
      `wrote ${out}/ (${outputs.files.join(", ")}) in ${
        ((performance.now() - t0) / 1000).toFixed(1)
      } s`,
    );
  }
  return outputs.summaries;
}

function resultsPathOf(target: string): { file: string; dir: string } {
  let isDir = false;
  try {
    isDir = Deno.statSync(target).isDirectory;
  } catch {
    throw new UsageError(`no such results file or directory: ${target}`);
  }
  if (isDir) return { file: `${target}/results.jsonl`, dir: target };
  const slash = target.lastIndexOf("/");
  return { file: target, dir: slash >= 0 ? target.slice(0, slash) || "/" : "." };
}

/** The figure files (`*.svg`, `*.png`) in a directory, sorted; none if it does not exist. */
function figureFilesIn(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => /\.(svg|png)$/.test(n))
      .sort();
  } catch {
    return [];
  }
}

/** Options of `registerExperimentCommands`. */
export interface RegisterExperimentOptions {
  /** When given, the experiment commands only build their plan and hand it over (no run). */
  readonly onPlan?: (plan: Plan) => void;
}

type AnyCommand = Command<[], Record<string, unknown>>;

function addExperimentOptions<C extends AnyCommand>(c: C) {
  return addNetworkOptions(addParamOptions(c, EXPERIMENT_DEFAULTS), {
    net: "cnn (default), lcn or fcn",
    width: "width H (default: the preset's, small 64, paper 512)",
    batch: "mini-batch size (default: the preset's per class x nc)",
    maxEpochs: "epoch cap (default: the preset's)",
    evalEvery: "test error every k epochs (default: the preset's)",
    test: "test-set size (default: the preset's, capped at Pmax - P)",
  })
    .option("--P <list>", "training-set sizes, comma-separated (default: a log grid around P*)")
    .option(
      "--grid <low:high:points>",
      "the default grid: points log-spaced P from low x P_law to high x P_law (small 0.25:4:7)",
    )
    .option("--seeds <N>", "seeds per P (default 1)")
    .option("--scale <scale>", "preset: small (default, a laptop) or paper")
    .option("--per-class <N>", "fresh data per class for the sensitivities (default 20)")
    .option("--no-sensitivities", "do not measure S_{k,l}, D_{k,l}")
    .option(
      "--synonym-variant <v>",
      "synonym exchange of S_{k,l}: other (default, one of the m-1 others) or redraw (the reference's)",
    )
    .option(
      "--cumulative",
      "transform every level <= l for S_{k,l}, D_{k,l} (default: level l only)",
    )
    .option("--out <dir>", "output directory (default results/<experiment>-<timestamp>/)")
    .option("--retry-failed", "also compute again the runs recorded as failed")
    .option("--quiet", "no progress on stderr");
}

/**
 * Registers `curve`, `hierarchy`, `scaling`, `plot` and `report`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "@commander-js/extra-typings";
 * import { registerExperimentCommands } from "./experiments.ts";
 * const program = new Command();
 * registerExperimentCommands(program);
 * assert.ok(program.commands.map((c) => c.name()).join() === "curve,hierarchy,scaling,plot,report");
 * ```
 */
export function registerExperimentCommands(
  program: Command,
  options: RegisterExperimentOptions = {},
): void {
  const descriptions: Record<(typeof EXPERIMENTS)[number], string> = {
    curve:
      "learning curve: test error and sensitivities over P; P*, P*_S, P*_D beside the paper's law",
    hierarchy:
      "the table of S_{k,l} and D_{k,l} against P (layer l+1 is the first insensitive to level l)",
    scaling: "P* against s0 (or v, L) with the fitted exponent beside the paper's law",
  };
  for (const experiment of EXPERIMENTS) {
    let c = addExperimentOptions(
      program.command(experiment).description(descriptions[experiment]) as unknown as AnyCommand,
    );
    if (experiment === "scaling") {
      c = c
        .option("--vary <var>", "s0 (default), v (with m = v^(s-1), nc = v) or L")
        .option("--values <list>", "values of the variable (default s0: 1,2,3; v: 3,4,5; L: 2,3)")
        .option(
          "--nets <list>",
          "network kinds, comma-separated (default cnn)",
        ) as unknown as AnyCommand;
    }
    c.action(async (opts) => {
      const o = opts as ExperimentCliOptions;
      const plan = planFromCli(experiment, o);
      if (options.onPlan) return options.onPlan(plan);
      await executeWithProgress(plan, o.out ?? defaultOut(experiment), {
        quiet: o.quiet,
        retryFailed: o.retryFailed,
      });
    });
  }
  program.command("plot")
    .description("figures (SVG, PNG) from a results file or directory")
    .argument("<results>", "results.jsonl or the directory holding it")
    .option("--out <dir>", "where to write (default: beside the results)")
    .action(async (target, opts) => {
      const { file, dir } = resultsPathOf(target);
      const out = opts.out ?? dir;
      const results = await readResults(file);
      if (results.length === 0) throw new UsageError(`no results in ${file}`);
      const { files } = await writeOutputs(results, out, { report: false });
      console.log(`wrote ${out}/ (${files.filter((f) => f !== "summary.json").join(", ")})`);
    });
  program.command("report")
    .description("summary.json and report.md (with the figures found beside it) from results")
    .argument("<results>", "results.jsonl or the directory holding it")
    .option("--out <dir>", "where to write (default: beside the results)")
    .option("--no-figures", "do not draw the figures again")
    .action(async (target, opts) => {
      const { file, dir } = resultsPathOf(target);
      const out = opts.out ?? dir;
      const results = await readResults(file);
      if (results.length === 0) throw new UsageError(`no results in ${file}`);
      const existing = opts.figures === false ? figureFilesIn(out) : undefined;
      const { summaries, files } = await writeOutputs(results, out, {
        figures: opts.figures,
        existingFigures: existing,
      });
      for (const line of headline(summaries)) console.log(line);
      console.log(`wrote ${out}/ (${files.join(", ")})`);
    });
}
