/**
 * CLI command `train`: trains one network on one SRHM data set and prints one JSON line.
 *
 *     deno task experiment train <params> --net cnn|lcn|fcn|vgg11|... --width H --P N [--test N] [--lr X]
 *         [--batch B] [--max-epochs E] [--stop-loss X] [--eval-every K] [--momentum X]
 *         [--encoding onehot|whitened] [--mode distinct|iid] [--bias per-position|shared|none]
 *         [--parametrisation mean-field|standard] [--backend auto|wasm|cpu|...] [--run-seed K]
 *         [--history] [--quiet]
 *
 * `<params>` are the grammar's `--L --s --s0 --v --m --nc --sparsity --seed` (as in `grammar`;
 * `--seed` seeds the grammar). `--run-seed` (default 0) seeds the train/test draw, the initial
 * weights and the SGD order, as a `Run` of `@srhm/experiments` does. `--mode distinct` (default)
 * draws disjoint train and test sets without duplicates, so it needs `P < Pmax` and
 * `P + test <= Pmax`; `--mode iid` draws with replacement (the reference's), where any P is
 * legitimate. Defaults: the test set holds `min(20000, Pmax - P)` data in distinct mode, 20000 in
 * iid mode (`testSetSize`; a multiple of nc with balanced sets); `lr` is the authors' table
 * `referenceLr(net, s, L, s0)` (docs/protocol.md), `batch` the authors' 4 per class, `stop-loss`
 * 1e-3 (1e-2 for the FCN) checked at evaluation epochs only (`--stop-check eval`), `eval-every`
 * 10, `max-epochs` 1000, class-balanced sets (`--no-balanced`: not; balanced sets need P and the
 * test size to be multiples of nc), the FCN scaled by `sqrt(c_in)` (`--fcn-scale channels`),
 * backend `auto`. The standard deep networks (`vgg11`, `vgg16`, `resnet18`, `resnet34`,
 * `efficientnetb0`; `--width` 64 = the published sizes) default to the authors' recipe for them
 * (`DEEP_RECIPE`): lr 1e-4 (times the width), `--weight-decay` 5e-4, 250 epochs, stop-loss 1e-2.
 * The progress bar goes to stderr; stdout gets the JSON line only.
 *
 * @module
 */
import { Command, Option, type OptionValues } from "@commander-js/extra-typings";
import { pmax, type SrhmParams } from "@srhm/generators";
import {
  DEEP_RECIPE,
  type DeepConfig,
  isDeepNetKind,
  NET_KINDS,
  type NetKind,
  type NetworkConfig,
  referenceLr,
  referenceStopLoss,
  type StopCheck,
  type TrainResult,
} from "@srhm/networks";
import {
  addNetworkOptions,
  addParamOptions,
  integer,
  type NetworkCliOptions,
  type ParamOptions,
  paramsFromOptions,
  real,
} from "./options.ts";
import { testSetSize } from "../curve/plan.ts";
import { trainOnGrammar } from "../pipeline.ts";
import { checkRunMemory } from "../run_memory.ts";
import { stringifyJson } from "../non_finite.ts";
import { UsageError } from "./usage_error.ts";

/** The test-set size `train` asks for when `--test` is absent (capped by `testSetSize`). */
const DEFAULT_TEST = 20000;

/** What `train` prints (one JSON object). */
export interface TrainCliOutput extends
  Pick<
    TrainResult,
    | "testError"
    | "finalTestError"
    | "trainLoss"
    | "epochs"
    | "bestEpoch"
    | "seconds"
    | "trainSamplesPerSec"
    | "status"
  > {
  /** Seconds of drawing and encoding the data. */
  readonly sampleSeconds: number;
  /** Training samples per second (training steps only). */
  readonly trainSamplesPerSec: number;
  /** The backend that ran it. */
  readonly backend: string;
  /** How the backend was set up (from `selectBackend`). */
  readonly backendDetail: string;
  /** The grammar's parameters. */
  readonly params: SrhmParams;
  /** The network's configuration. */
  readonly network: NetworkConfig | DeepConfig;
  /** The data and training settings (defaults filled in). */
  readonly training: {
    readonly P: number;
    readonly test: number;
    readonly lr: number;
    readonly batch: number;
    readonly maxEpochs: number;
    readonly stopLoss: number;
    readonly evalEvery: number;
    readonly momentum: number;
    readonly weightDecay: number;
    readonly encoding: "onehot" | "whitened";
    readonly mode: "distinct" | "iid";
    readonly stopCheck: StopCheck;
    readonly balanced: boolean;
    readonly runSeed: number;
  };
  /** Per-epoch records, with `--history`. */
  readonly history?: TrainResult["history"];
}

/**
 * Declares the options of `train` on a command.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "@commander-js/extra-typings";
 * import { declareTrainOptions } from "./train.ts";
 * const c = declareTrainOptions(new Command("train"));
 * assert.ok(c.options.some((o) => o.long === "--run-seed"));
 * ```
 */
export function declareTrainOptions<Opts extends OptionValues>(
  command: Command<[], Opts>,
): Command<[], Opts & TrainCliOptions> {
  return addNetworkOptions(addParamOptions(command))
    .addOption(new Option("--net <kind>", "network").choices(NET_KINDS).makeOptionMandatory())
    .addOption(
      new Option("--width <H>", "channels per hidden position").argParser(integer(1))
        .makeOptionMandatory(),
    )
    .addOption(
      new Option("--P <N>", "training set size").argParser(integer(1)).makeOptionMandatory(),
    )
    .addOption(
      new Option(
        "--test <N>",
        "test-set size (default min(20000, Pmax - P); 20000 with --mode iid)",
      ).argParser(integer(0)),
    )
    .addOption(
      new Option("--momentum <x>", "SGD momentum").argParser(
        real((x) => x >= 0 && x < 1, "in [0, 1)"),
      )
        .default(0.9),
    )
    .addOption(
      new Option(
        "--weight-decay <x>",
        "wd of the penalty wd * mean(p^2) per parameter tensor (default 5e-4 for the standard " +
          "networks, 0 for cnn/lcn/fcn)",
      ).argParser(real((x) => x >= 0, ">= 0")),
    )
    .addOption(
      new Option(
        "--run-seed <K>",
        "seed of the data draw, the initial weights and the SGD order",
      ).argParser(integer(0, 0xffffffff)).default(0),
    )
    .option("--history", "include the per-epoch history in the output")
    .option("--quiet", "no progress bar on stderr") as unknown as Command<
      [],
      Opts & TrainCliOptions
    >;
}

/** The values of the options of `train`, as commander parses them. */
export interface TrainCliOptions extends ParamOptions, NetworkCliOptions {
  /** `--net`. */
  net: NetKind;
  /** `--width`. */
  width: number;
  /** `--P`. */
  P: number;
  /** `--test`. */
  test?: number;
  /** `--momentum`. */
  momentum: number;
  /** `--weight-decay`. */
  weightDecay?: number;
  /** `--run-seed`. */
  runSeed: number;
  /** `--history`. */
  history?: true;
  /** `--quiet`. */
  quiet?: true;
}

/**
 * The options of `train` from its arguments (as typed after `train`); a bad one throws a
 * `UsageError` with commander's message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTrainArgs } from "./train.ts";
 * const o = parseTrainArgs(["--L", "2", "--v", "3", "--net", "cnn", "--width", "8", "--P", "20"]);
 * assert.deepEqual([o.width, o.P, o.momentum, o.backend], [8, 20, 0.9, "auto"]);
 * ```
 */
export function parseTrainArgs(args: readonly string[]): TrainCliOptions {
  const command = declareTrainOptions(new Command("train"))
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  try {
    command.parse([...args], { from: "user" });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message.replace(/^error: /, "") : String(e));
  }
  return command.opts();
}

/**
 * Trains, and returns what the command prints. Bad arguments throw `UsageError` before anything
 * is computed; an unavailable backend (`BackendUnavailableError`) and a configuration whose
 * tensors would not fit (`MemoryEstimateError`, with the estimate) are refused before anything is
 * allocated (exit code 2, as bad arguments).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTrainArgs, runTrain } from "./train.ts";
 * const out = await runTrain(parseTrainArgs([
 *   "--L", "2", "--v", "3", "--s0", "0", "--net", "cnn", "--width", "8", "--P", "21", "--test", "12",
 *   "--max-epochs", "2", "--backend", "cpu", "--quiet",
 * ]));
 * assert.ok(out.epochs === 2 && out.backend === "cpu" && out.training.test === 12);
 * ```
 */
export async function runTrain(o: TrainCliOptions): Promise<TrainCliOutput> {
  const params = paramsFromOptions(o);
  const { net: kind, width, P, mode } = o;
  const available = pmax(params);
  if (mode === "distinct" && BigInt(P) >= available) {
    throw new UsageError(
      `--P must be < Pmax = ${available} in distinct mode (got ${P}): no data left for a test set`,
    );
  }
  const balanced = o.balanced ?? true;
  if (balanced && P % params.nc !== 0) {
    throw new UsageError(
      `--P must be a multiple of nc = ${params.nc} with class-balanced sets (got ${P}; ` +
        "--no-balanced allows any size)",
    );
  }
  const test = o.test ?? testSetSize(params, P, DEFAULT_TEST, mode, balanced);
  if (mode === "distinct" && BigInt(P + test) > available) {
    throw new UsageError(
      `--P + --test must be <= Pmax = ${available} in distinct mode (got ${P + test})`,
    );
  }
  if (balanced && test % params.nc !== 0) {
    throw new UsageError(
      `--test must be a multiple of nc = ${params.nc} with class-balanced sets (got ${test})`,
    );
  }
  const deep = isDeepNetKind(kind);
  const lr = o.lr ?? (deep ? DEEP_RECIPE.lr : referenceLr(kind, params.s, params.L, params.s0));
  const batch = o.batch ?? 4 * params.nc;
  const maxEpochs = o.maxEpochs ?? (deep ? DEEP_RECIPE.maxEpochs : 1000);
  const stopLoss = o.stopLoss ?? (deep ? DEEP_RECIPE.stopLoss : referenceStopLoss(kind));
  const weightDecay = o.weightDecay ?? (deep ? DEEP_RECIPE.weightDecay : 0);
  const evalEvery = o.evalEvery ?? 10;
  const { momentum, encoding, bias, parametrisation, backend: backendName, runSeed } = o;

  const { stopCheck, fcnScale } = o;
  const training = {
    mode,
    lr,
    batch,
    maxEpochs,
    stopLoss,
    evalEvery,
    momentum,
    weightDecay,
    encoding,
    stopCheck,
    balanced,
  };
  // refused before anything is allocated (exit code 2), with the estimate
  checkRunMemory({
    params,
    network: { kind, width, bias, parametrisation },
    P,
    test,
    training: { batch, backend: backendName },
  });
  const trained = await trainOnGrammar({
    params,
    P,
    test,
    seed: runSeed,
    network: { kind, width, bias, parametrisation, fcnScale },
    training: { ...training, backend: backendName },
  }, { quiet: o.quiet ?? false });
  const { result: r, backend, sampleSeconds } = trained;
  const network = trained.network.config;
  try {
    return {
      testError: r.testError,
      finalTestError: r.finalTestError,
      trainLoss: r.trainLoss,
      epochs: r.epochs,
      bestEpoch: r.bestEpoch,
      seconds: r.seconds,
      trainSamplesPerSec: r.trainSamplesPerSec,
      status: r.status,
      sampleSeconds,
      backend: backend.name,
      backendDetail: backend.detail,
      params,
      network,
      training: { P, test, ...training, runSeed },
      ...(o.history ? { history: r.history } : {}),
    };
  } finally {
    trained.network.dispose();
  }
}

/**
 * Registers `train` on the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "@commander-js/extra-typings";
 * import { registerTrainCommand } from "./train.ts";
 * const program = new Command();
 * registerTrainCommand(program);
 * assert.ok(program.commands.some((c) => c.name() === "train"));
 * ```
 */
export function registerTrainCommand(program: Command): void {
  const command = program
    .command("train")
    .description("train one network on one SRHM data set; prints one JSON line");
  declareTrainOptions(command)
    .action(async (opts) => {
      const out = await runTrain(opts as TrainCliOptions);
      const line = stringifyJson(out) + "\n";
      const bytes = new TextEncoder().encode(line);
      let done = 0;
      while (done < bytes.length) done += Deno.stdout.writeSync(bytes.subarray(done));
    });
}
