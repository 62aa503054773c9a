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
 * weights and the SGD order, as a `Run` of `@srhm/experiments` does. Defaults: the test set holds
 * `min(20000, Pmax - P)` data; `lr` is `referenceLr(net, s, L, s0)` (SPEC section 7), `batch` the
 * reference's 4 per class, `stop-loss` 1e-3 (1e-2 for the FCN), `eval-every` 10, `max-epochs` 1000,
 * backend `auto`. The progress bar goes to stderr; stdout gets the JSON line only.
 *
 * @module
 */
import type { Command } from "@commander-js/extra-typings";
import { encode, makeGrammar, pmax, sampleSplit, type SrhmParams } from "@srhm/generators";
import {
  BACKEND_NAMES,
  type BackendName,
  BIAS_MODES,
  type BiasMode,
  buildNetwork,
  configForGrammar,
  NETWORK_KINDS,
  type NetworkConfig,
  type NetworkKind,
  type Parametrisation,
  PARAMETRISATIONS,
  referenceLr,
  referenceStopLoss,
  selectBackend,
  train,
  type TrainResult,
} from "@srhm/networks";
import { type ParamOptions, paramsFromOptions } from "./grammar.ts";
import { UsageError } from "./usage_error.ts";

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
export interface TrainCliOutput {
  /** Best test error seen. */
  readonly testError: number;
  /** Test error of the final network. */
  readonly finalTestError: number;
  /** Mean training loss of the last epoch. */
  readonly trainLoss: number;
  /** Epochs run. */
  readonly epochs: number;
  /** Epoch of the best test error. */
  readonly bestEpoch: number;
  /** Seconds of training (the trainer's wall clock). */
  readonly seconds: number;
  /** Seconds of drawing and encoding the data. */
  readonly sampleSeconds: number;
  /** Training samples per second (training steps only). */
  readonly trainSamplesPerSec: number;
  /** The backend that ran it. */
  readonly backend: string;
  /** How the backend was set up (from `selectBackend`). */
  readonly backendDetail: string;
  /** `converged`, `max-epochs` or `diverged`. */
  readonly status: TrainResult["status"];
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

function intOption(name: string, text: string | undefined, min: number, fallback?: number): number {
  if (text === undefined) {
    if (fallback === undefined) {
      throw new UsageError(`--${name} is required (an integer >= ${min})`);
    }
    return fallback;
  }
  const x = Number(text);
  if (text.trim() === "" || !Number.isSafeInteger(x) || x < min) {
    throw new UsageError(`--${name} must be an integer >= ${min} (got ${JSON.stringify(text)})`);
  }
  return x;
}

function numberOption(
  name: string,
  text: string | undefined,
  ok: (x: number) => boolean,
  bound: string,
  fallback: number,
): number {
  if (text === undefined) return fallback;
  const x = Number(text);
  if (text.trim() === "" || !Number.isFinite(x) || !ok(x)) {
    throw new UsageError(`--${name} must be ${bound} (got ${JSON.stringify(text)})`);
  }
  return x;
}

function choiceOption<T extends string>(
  name: string,
  text: string | undefined,
  options: readonly T[],
  fallback?: T,
): T {
  if (text === undefined) {
    if (fallback === undefined) {
      throw new UsageError(`--${name} is required (one of ${options.join(", ")})`);
    }
    return fallback;
  }
  if (!(options as readonly string[]).includes(text)) {
    throw new UsageError(
      `--${name} must be one of ${options.join(", ")} (got ${JSON.stringify(text)})`,
    );
  }
  return text as T;
}

/**
 * Parses, trains, and returns what the command prints. Bad arguments throw `UsageError` before
 * anything is computed; an unavailable backend throws its own error (exit code 1).
 *
 * @example
 * ```ts
 * import { runTrain } from "./train.ts";
 * const out = await runTrain({
 *   L: "2", v: "3", s0: "0", net: "cnn", width: "8", P: "20", test: "10", "maxEpochs": "2",
 *   backend: "cpu", quiet: true,
 * });
 * console.assert(out.epochs === 2 && out.backend === "cpu" && out.training.test === 10);
 * ```
 */
export async function runTrain(o: TrainCliOptions): Promise<TrainCliOutput> {
  const params = paramsFromOptions(o);
  const kind = choiceOption<NetworkKind>("net", o.net, NETWORK_KINDS);
  const width = intOption("width", o.width, 1);
  const P = intOption("P", o.P, 1);
  const available = pmax(params);
  if (BigInt(P) >= available) {
    throw new UsageError(
      `--P must be < Pmax = ${available} (got ${P}): no data left for a test set`,
    );
  }
  const left = available - BigInt(P);
  const test = intOption("test", o.test, 0, left < 20000n ? Number(left) : 20000);
  const mode = choiceOption("mode", o.mode, ["distinct", "iid"] as const, "distinct");
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

  const backend = await selectBackend(backendName);
  const t0 = performance.now();
  const grammar = makeGrammar(params);
  const split = sampleSplit(grammar, { train: P, test, seed: runSeed, mode });
  const data = {
    train: { x: encode(split.train, encoding), labels: split.train.labels, count: P },
    test: { x: encode(split.test, encoding), labels: split.test.labels, count: test },
  };
  const sampleSeconds = (performance.now() - t0) / 1000;
  const network = configForGrammar(grammar, { kind, width, bias, parametrisation, seed: runSeed });
  const net = buildNetwork(network);
  try {
    const r = await train(net, data, {
      lr,
      batch,
      maxEpochs,
      stopLoss,
      evalEvery,
      momentum,
      seed: runSeed,
      quiet: o.quiet ?? false,
    });
    return {
      testError: r.testError,
      finalTestError: r.finalTestError,
      trainLoss: r.trainLoss,
      epochs: r.epochs,
      bestEpoch: r.bestEpoch,
      seconds: r.seconds,
      sampleSeconds,
      trainSamplesPerSec: r.trainSamplesPerSec,
      backend: backend.name,
      backendDetail: backend.detail,
      status: r.status,
      params,
      network,
      training: {
        P,
        test,
        lr,
        batch,
        maxEpochs,
        stopLoss,
        evalEvery,
        momentum,
        encoding,
        mode,
        runSeed,
      },
      ...(o.history ? { history: r.history } : {}),
    };
  } finally {
    net.dispose();
  }
}

/**
 * Registers `train` on the program.
 *
 * @example
 * ```ts
 * import { Command } from "@commander-js/extra-typings";
 * import { registerTrainCommand } from "./train.ts";
 * const program = new Command();
 * registerTrainCommand(program);
 * console.assert(program.commands.some((c) => c.name() === "train"));
 * ```
 */
export function registerTrainCommand(program: Command): void {
  program
    .command("train")
    .description("train one network on one SRHM data set; prints one JSON line")
    .option("--L <L>", "depth: number of production levels (required)")
    .option("--s <s>", "informative children per production (default 2)")
    .option("--s0 <s0>", "uninformative slots per informative child (default 0: the RHM)")
    .option("--v <v>", "vocabulary size (required)")
    .option("--m <m>", "synonyms per symbol (default v^(s-1))")
    .option("--nc <nc>", "number of classes (default v)")
    .option("--sparsity <A|B>", "placement of the informative children (default A)")
    .option("--seed <seed>", "grammar seed (default 0)")
    .option("--net <kind>", "cnn, lcn or fcn (required)")
    .option("--width <H>", "channels per hidden position (required)")
    .option("--P <N>", "training set size (required)")
    .option("--test <N>", "test set size (default min(20000, Pmax - P))")
    .option("--lr <x>", "base learning rate, x H under mean-field (default: SPEC section 7)")
    .option("--batch <B>", "mini-batch size (default 4 per class)")
    .option("--max-epochs <E>", "epoch cap (default 1000)")
    .option("--stop-loss <x>", "stop below this mean training loss (default 1e-3; FCN 1e-2)")
    .option("--eval-every <k>", "test error every k epochs (default 10)")
    .option("--momentum <x>", "SGD momentum (default 0.9)")
    .option("--encoding <e>", "onehot (default) or whitened")
    .option("--mode <mode>", "distinct (default) or iid sampling")
    .option("--bias <mode>", "per-position (default), shared or none")
    .option("--parametrisation <p>", "mean-field (default) or standard")
    .option("--backend <name>", `${BACKEND_NAMES.join(", ")} (default auto)`)
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
