/**
 * CLI command `train`: trains one network on one SRHM data set and prints one JSON line.
 *
 *     deno task experiment train <params> --net cnn|lcn|fcn --width H --P N [--test N] [--lr X]
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
 * iid mode (`testSetSize`); `lr` is `referenceLr(net, s, L, s0)` (SPEC section 7), `batch` the
 * reference's 4 per class, `stop-loss` 1e-3 (1e-2 for the FCN), `eval-every` 10, `max-epochs` 1000,
 * backend `auto`. The progress bar goes to stderr; stdout gets the JSON line only.
 *
 * @module
 */
import type { Command } from "@commander-js/extra-typings";
import { pmax, type SrhmParams } from "@srhm/generators";
import {
  BACKEND_NAMES,
  type BackendName,
  BIAS_MODES,
  type BiasMode,
  NETWORK_KINDS,
  type NetworkConfig,
  type NetworkKind,
  type Parametrisation,
  PARAMETRISATIONS,
  referenceLr,
  referenceStopLoss,
  type TrainResult,
} from "@srhm/networks";
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
import { testSetSize } from "../curve.ts";
import { trainOnGrammar } from "../pipeline.ts";
import { UsageError } from "./usage_error.ts";

/** The test-set size `train` asks for when `--test` is absent (capped by `testSetSize`). */
const DEFAULT_TEST = 20000;

/** The raw option strings of `train`, as commander hands them over. */
export interface TrainCliOptions extends ParamOptions {
  /** `--net`: `cnn`, `lcn` or `fcn`. */
  net?: string;
  /** `--width`: `H`. */
  width?: string;
  /** `--P`: training set size. */
  P?: string;
  /** `--test`: test set size. */
  test?: string;
  /** `--lr`: base learning rate. */
  lr?: string;
  /** `--batch`: mini-batch size. */
  batch?: string;
  /** `--max-epochs`: epoch cap. */
  maxEpochs?: string;
  /** `--stop-loss`: stopping threshold of the epoch's mean training loss. */
  stopLoss?: string;
  /** `--eval-every`: test error every this many epochs. */
  evalEvery?: string;
  /** `--momentum`: SGD momentum. */
  momentum?: string;
  /** `--encoding`: `onehot` or `whitened`. */
  encoding?: string;
  /** `--mode`: `distinct` or `iid`. */
  mode?: string;
  /** `--bias`: `per-position`, `shared` or `none`. */
  bias?: string;
  /** `--parametrisation`: `mean-field` or `standard`. */
  parametrisation?: string;
  /** `--backend`: a name of `BACKEND_NAMES`. */
  backend?: string;
  /** `--run-seed`: seed of the draw, the initial weights and the SGD order. */
  runSeed?: string;
  /** `--history`: include the per-epoch records. */
  history?: boolean;
  /** `--quiet`: no progress bar. */
  quiet?: boolean;
}

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
  readonly network: NetworkConfig;
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
    readonly encoding: "onehot" | "whitened";
    readonly mode: "distinct" | "iid";
    readonly runSeed: number;
  };
  /** Per-epoch records, with `--history`. */
  readonly history?: TrainResult["history"];
}

/**
 * Parses, trains, and returns what the command prints. Bad arguments throw `UsageError` before
 * anything is computed; an unavailable backend throws its own error (exit code 1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runTrain } from "./train.ts";
 * const out = await runTrain({
 *   L: "2", v: "3", s0: "0", net: "cnn", width: "8", P: "20", test: "10", "maxEpochs": "2",
 *   backend: "cpu", quiet: true,
 * });
 * assert.ok(out.epochs === 2 && out.backend === "cpu" && out.training.test === 10);
 * ```
 */
export async function runTrain(o: TrainCliOptions): Promise<TrainCliOutput> {
  const params = paramsFromOptions(o);
  const kind = choiceOption<NetworkKind>("net", o.net, NETWORK_KINDS);
  const width = intOption("width", o.width, 1);
  const P = intOption("P", o.P, 1);
  const mode = modeOption(o.mode);
  const available = pmax(params);
  if (mode === "distinct" && BigInt(P) >= available) {
    throw new UsageError(
      `--P must be < Pmax = ${available} in distinct mode (got ${P}): no data left for a test set`,
    );
  }
  const test = intOption("test", o.test, 0, testSetSize(params, P, DEFAULT_TEST, mode));
  if (mode === "distinct" && BigInt(P + test) > available) {
    throw new UsageError(
      `--P + --test must be <= Pmax = ${available} in distinct mode (got ${P + test})`,
    );
  }
  const lr = numberOption(
    "lr",
    o.lr,
    (x) => x > 0,
    "> 0",
    referenceLr(kind, params.s, params.L, params.s0),
  );
  const batch = intOption("batch", o.batch, 1, 4 * params.nc);
  const maxEpochs = intOption("max-epochs", o.maxEpochs, 1, 1000);
  const stopLoss = numberOption(
    "stop-loss",
    o.stopLoss,
    (x) => x >= 0,
    ">= 0",
    referenceStopLoss(kind),
  );
  const evalEvery = intOption("eval-every", o.evalEvery, 1, 10);
  const momentum = numberOption("momentum", o.momentum, (x) => x >= 0 && x < 1, "in [0, 1)", 0.9);
  const encoding = choiceOption("encoding", o.encoding, ["onehot", "whitened"] as const, "onehot");
  const bias = choiceOption<BiasMode>("bias", o.bias, BIAS_MODES, "per-position");
  const parametrisation = choiceOption<Parametrisation>(
    "parametrisation",
    o.parametrisation,
    PARAMETRISATIONS,
    "mean-field",
  );
  const backendName = choiceOption<BackendName>("backend", o.backend, BACKEND_NAMES, "auto");
  const runSeed = intOption("run-seed", o.runSeed, 0, 0);
  if (runSeed > 0xffffffff) throw new UsageError(`--run-seed must be < 2^32 (got ${runSeed})`);

  const training = { mode, lr, batch, maxEpochs, stopLoss, evalEvery, momentum, encoding };
  const trained = await trainOnGrammar({
    params,
    P,
    test,
    seed: runSeed,
    network: { kind, width, bias, parametrisation },
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

type AnyCommand = Command<[], Record<string, unknown>>;

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
    .description("train one network on one SRHM data set; prints one JSON line") as AnyCommand;
  addNetworkOptions(addParamOptions(command))
    .option("--P <N>", "training set size (required)")
    .option("--momentum <x>", "SGD momentum (default 0.9)")
    .option(
      "--run-seed <K>",
      "seed of the data draw, the initial weights and the SGD order (default 0)",
    )
    .option("--history", "include the per-epoch history in the output")
    .option("--quiet", "no progress bar on stderr")
    .action(async (opts) => {
      const out = await runTrain(opts);
      const line = JSON.stringify(out) + "\n";
      const bytes = new TextEncoder().encode(line);
      let done = 0;
      while (done < bytes.length) done += Deno.stdout.writeSync(bytes.subarray(done));
    });
}
