/**
 * Option declarations shared by the commands, with commander's own tools: `Option.choices` for
 * the words, `argParser` for the numbers (`integer`, `integerList`, `real`: one parser each),
 * defaults where they do not depend on other options, and the value types that
 * `@commander-js/extra-typings` infers from them. A bad value exits with code 2 and commander's
 * one-line message, which names the option and the bound.
 *
 * The grammar's `<params>` (`--L --s --s0 --v --m --nc --sparsity --seed`) stay strings, checked
 * together by `validateParamOptions` (`../param_options.ts`: one message listing every violation).
 *
 * @module
 */
import {
  type Command,
  InvalidArgumentError,
  Option,
  type OptionValues,
} from "@commander-js/extra-typings";
import * as E from "fp-ts/lib/Either.js";
import type { SrhmParams } from "@srhm/generators";
import {
  BACKEND_NAMES,
  type BackendName,
  BIAS_MODES,
  type BiasMode,
  FCN_SCALES,
  type FcnScale,
  type Parametrisation,
  PARAMETRISATIONS,
} from "@srhm/networks/config";
import { UsageError } from "./usage_error.ts";
import { type ParamOptions, validateParamOptions } from "../param_options.ts";
import { STOP_CHECK_CHOICES, type StopCheck } from "../protocol.ts";

export { numberOrText, type ParamOptions } from "../param_options.ts";

/**
 * The parser of an integer option in `min..max`: commander calls it with the text typed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { integer } from "./options.ts";
 * assert.equal(integer(1)("64"), 64);
 * assert.throws(() => integer(1)("0"), /must be an integer >= 1 \(got "0"\)/);
 * assert.throws(() => integer(0, 9)("10"), /must be an integer in 0\.\.9/);
 * ```
 */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): (text: string) => number {
  const bound = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in ${min}..${max}`;
  return (text) => {
    const x = Number(text);
    if (text.trim() === "" || !Number.isSafeInteger(x) || x < min || x > max) {
      throw new InvalidArgumentError(`must be an integer ${bound} (got ${JSON.stringify(text)})`);
    }
    return x;
  };
}

/**
 * The parser of a comma-separated list of integers `>= min`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { integerList } from "./options.ts";
 * assert.deepEqual(integerList(1)("100, 200,400"), [100, 200, 400]);
 * assert.throws(() => integerList(1)("0,10"), /comma-separated list of integers >= 1/);
 * ```
 */
export function integerList(min: number): (text: string) => number[] {
  const one = integer(min);
  return (text) => {
    try {
      return text.split(",").map((t) => one(t.trim()));
    } catch {
      throw new InvalidArgumentError(
        `must be a comma-separated list of integers >= ${min} (got ${JSON.stringify(text)})`,
      );
    }
  };
}

/**
 * The parser of a finite number that satisfies `ok` (`bound` says how in the message).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { real } from "./options.ts";
 * assert.equal(real((x) => x > 0, "> 0")("0.5"), 0.5);
 * assert.throws(() => real((x) => x > 0, "> 0")("-1"), /must be > 0/);
 * ```
 */
export function real(ok: (x: number) => boolean, bound: string): (text: string) => number {
  return (text) => {
    const x = Number(text);
    if (text.trim() === "" || !Number.isFinite(x) || !ok(x)) {
      throw new InvalidArgumentError(`must be ${bound} (got ${JSON.stringify(text)})`);
    }
    return x;
  };
}

/**
 * The parser of a comma-separated list of words from `choices`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { choiceList } from "./options.ts";
 * assert.deepEqual(choiceList(["cnn", "lcn"] as const)("cnn, lcn"), ["cnn", "lcn"]);
 * assert.throws(() => choiceList(["cnn", "lcn"] as const)("rnn"), /cnn, lcn/);
 * ```
 */
export function choiceList<T extends string>(choices: readonly T[]): (text: string) => T[] {
  return (text) =>
    text.split(",").map((t) => {
      const word = t.trim();
      if (!(choices as readonly string[]).includes(word)) {
        throw new InvalidArgumentError(
          `must be a comma-separated list of ${choices.join(", ")} (got ${JSON.stringify(text)})`,
        );
      }
      return word as T;
    });
}

/**
 * Turns the `<params>` options into validated parameters, or throws one `UsageError` listing
 * every violation (`validateParamOptions`' message). `--L` and `--v` are required unless
 * `defaults` supplies them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { paramsFromOptions } from "./options.ts";
 * const p = paramsFromOptions({ L: "2", v: "4", s0: "1" });
 * assert.equal(p.m, 4);
 * assert.equal(p.nc, 4);
 * assert.equal(p.sparsity, "A");
 * assert.equal(paramsFromOptions({}, { L: "3", v: "2" }).L, 3);
 * assert.throws(() => paramsFromOptions({ L: "2", v: "1" }), /^UsageError: --v must be/);
 * ```
 */
export function paramsFromOptions(o: ParamOptions, defaults: ParamOptions = {}): SrhmParams {
  const r = validateParamOptions(o, defaults);
  if (E.isLeft(r)) throw new UsageError(r.left);
  return r.right;
}

/** A command of no arguments, as the helpers below take it (they return it with their options). */
export type AnyCommand = Command;

/**
 * Declares the `<params>` options on a command. `defaults` only changes the help text (the
 * values are applied by `paramsFromOptions`); absent ones read "required" for `--L` and `--v`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "@commander-js/extra-typings";
 * import { addParamOptions } from "./options.ts";
 * const c = addParamOptions(new Command("x"), { L: "2" });
 * assert.ok(c.options.some((o) => o.long === "--sparsity"));
 * ```
 */
export function addParamOptions<Opts extends OptionValues>(
  c: Command<[], Opts>,
  defaults: ParamOptions = {},
): Command<[], Opts & ParamOptions> {
  const dflt = (x: string | undefined, otherwise: string) =>
    x === undefined ? otherwise : `default ${x}`;
  return c
    .option("--L <L>", `depth: number of production levels (${dflt(defaults.L, "required")})`)
    .option("--s <s>", "informative children per production (default 2)")
    .option(
      "--s0 <s0>",
      `uninformative slots per informative child (${dflt(defaults.s0, "default 0: the RHM")})`,
    )
    .option("--v <v>", `vocabulary size (${dflt(defaults.v, "required")})`)
    .option("--m <m>", "synonyms per symbol (default v^(s-1))")
    .option("--nc <nc>", "number of classes (default v)")
    .option("--sparsity <A|B>", "placement of the informative children (default A)")
    .option("--seed <seed>", "grammar seed (default 0)") as unknown as Command<
      [],
      Opts & ParamOptions
    >;
}

/** Help texts of the training options, where a command's defaults differ. */
export interface NetworkOptionHelp {
  /** `--batch`. */
  readonly batch?: string;
  /** `--max-epochs`. */
  readonly maxEpochs?: string;
  /** `--eval-every`. */
  readonly evalEvery?: string;
}

/** The values of the options that `addNetworkOptions` declares, as commander parses them. */
export interface NetworkCliOptions {
  /** `--lr`. */
  lr?: number;
  /** `--batch`. */
  batch?: number;
  /** `--max-epochs`. */
  maxEpochs?: number;
  /** `--stop-loss`. */
  stopLoss?: number;
  /** `--eval-every`. */
  evalEvery?: number;
  /** `--encoding`. */
  encoding: "onehot" | "whitened";
  /** `--mode`. */
  mode: (typeof SAMPLING_MODES)[number];
  /** `--bias`. */
  bias: BiasMode;
  /** `--parametrisation`. */
  parametrisation: Parametrisation;
  /** `--backend`. */
  backend: BackendName;
  /** `--fcn-scale`. */
  fcnScale: FcnScale;
  /** `--stop-check`. */
  stopCheck: StopCheck;
  /** `--balanced` / `--no-balanced` (absent: the authors', balanced). */
  balanced?: boolean;
}

/** The sampling modes of `--mode`. */
export const SAMPLING_MODES = ["distinct", "iid"] as const;

/**
 * Declares the network and training options that `train` and the experiments share (`--lr
 * --batch --max-epochs --stop-loss --eval-every --encoding --mode --bias --parametrisation
 * --backend --fcn-scale --stop-check --balanced/--no-balanced`, the protocol's defaults the
 * authors'); `help` gives the defaults that differ between commands. (`--net`, `--width` and
 * `--test` differ in more than their help: each command declares its own.)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "@commander-js/extra-typings";
 * import { addNetworkOptions } from "./options.ts";
 * const c = addNetworkOptions(new Command("x"));
 * c.parse(["--backend", "cpu", "--batch", "8"], { from: "user" });
 * assert.deepEqual([c.opts().backend, c.opts().batch, c.opts().mode], ["cpu", 8, "distinct"]);
 * ```
 */
export function addNetworkOptions<Opts extends OptionValues>(
  c: Command<[], Opts>,
  help: NetworkOptionHelp = {},
): Command<[], Opts & NetworkCliOptions> {
  return c
    .addOption(
      new Option(
        "--lr <x>",
        "base learning rate, x H under mean-field (default: the authors' table, docs/protocol.md)",
      ).argParser(real((x) => x > 0, "> 0")),
    )
    .addOption(
      new Option("--batch <B>", help.batch ?? "mini-batch size (default 4 per class)")
        .argParser(integer(1)),
    )
    .addOption(
      new Option("--max-epochs <E>", help.maxEpochs ?? "epoch cap (default 1000)")
        .argParser(integer(1)),
    )
    .addOption(
      new Option("--stop-loss <x>", "stop below this mean training loss (default 1e-3; FCN 1e-2)")
        .argParser(real((x) => x >= 0, ">= 0")),
    )
    .addOption(
      new Option("--eval-every <k>", help.evalEvery ?? "test error every k epochs (default 10)")
        .argParser(integer(1)),
    )
    .addOption(
      new Option("--encoding <e>", "input encoding").choices(["onehot", "whitened"] as const)
        .default("onehot" as const),
    )
    .addOption(
      new Option(
        "--mode <mode>",
        "sampling of the train/test split: distinct (disjoint) or iid (the reference's)",
      ).choices(SAMPLING_MODES).default("distinct" as const),
    )
    .addOption(
      new Option("--bias <mode>", "biases of the hidden layers").choices(BIAS_MODES)
        .default("per-position" as const),
    )
    .addOption(
      new Option("--parametrisation <p>", "readout scaling").choices(PARAMETRISATIONS)
        .default("mean-field" as const),
    )
    .addOption(
      new Option("--backend <name>", "TensorFlow.js backend").choices(BACKEND_NAMES)
        .default("auto" as const),
    )
    .addOption(
      new Option(
        "--fcn-scale <s>",
        "FCN pre-activation / sqrt(c_in) (channels, the authors') or / sqrt(full fan-in)",
      ).choices(FCN_SCALES).default("channels" as const),
    )
    .addOption(
      new Option(
        "--stop-check <when>",
        "check the stopping loss at evaluation epochs only (eval, the authors') or every epoch",
      ).choices(STOP_CHECK_CHOICES).default("eval" as const),
    )
    .option(
      "--balanced",
      "class-balanced training and test sets (default, the authors'; sizes multiples of nc)",
    )
    .option("--no-balanced", "classes drawn uniformly per datum") as unknown as Command<
      [],
      Opts & NetworkCliOptions
    >;
}
