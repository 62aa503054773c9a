/**
 * Option parsing shared by every command: the grammar's `<params>` (`--L --s --s0 --v --m --nc
 * --sparsity --seed`), the network and training options that `train` and the experiments share,
 * and the checked conversions of option strings into numbers and choices. Every bad value throws
 * a `UsageError` that names the option and its bound (exit code 2).
 *
 * @module
 */
import type { Command } from "@commander-js/extra-typings";
import * as E from "fp-ts/lib/Either.js";
import { type RawParams, type SrhmParams, validateParams } from "@srhm/generators";
import { BACKEND_NAMES } from "@srhm/networks";
import { UsageError } from "./usage_error.ts";

/** The raw strings of the `<params>` options, as commander hands them over. */
export interface ParamOptions {
  L?: string;
  s?: string;
  s0?: string;
  v?: string;
  m?: string;
  nc?: string;
  sparsity?: string;
  seed?: string;
}

/**
 * A command-line number: the number when the text is one, else the text itself (so that the
 * validator's message quotes what was typed).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { numberOrText } from "./options.ts";
 * assert.equal(numberOrText("8"), 8);
 * assert.equal(numberOrText("x"), "x");
 * assert.equal(numberOrText(undefined), undefined);
 * ```
 */
export function numberOrText(x: string | undefined): number | string | undefined {
  if (x === undefined) return undefined;
  const n = Number(x);
  return x.trim() !== "" && !Number.isNaN(n) ? n : x;
}

/**
 * Turns the `<params>` options into validated parameters, or throws one `UsageError` listing
 * every violation. `--L` and `--v` are required unless `defaults` supplies them.
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
 * ```
 */
export function paramsFromOptions(o: ParamOptions, defaults: ParamOptions = {}): SrhmParams {
  const all: ParamOptions = { ...defaults, ...definedOnly(o) };
  if (all.L === undefined) throw new UsageError("--L is required (an integer >= 1)");
  if (all.v === undefined) throw new UsageError("--v is required (an integer >= 2)");
  const raw: RawParams = {
    L: numberOrText(all.L),
    s: numberOrText(all.s),
    s0: numberOrText(all.s0),
    v: numberOrText(all.v),
    m: numberOrText(all.m),
    nc: numberOrText(all.nc),
    sparsity: all.sparsity,
    seed: numberOrText(all.seed),
  };
  const r = validateParams(raw);
  if (E.isLeft(r)) throw new UsageError(r.left.join("; "));
  return r.right;
}

function definedOnly(o: ParamOptions): ParamOptions {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));
}

type AnyCommand = Command<[], Record<string, unknown>>;

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
export function addParamOptions<C extends AnyCommand>(c: C, defaults: ParamOptions = {}) {
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
    .option("--seed <seed>", "grammar seed (default 0)");
}

/** Help texts of the network and training options, where a command's defaults differ. */
export interface NetworkOptionHelp {
  readonly net?: string;
  readonly width?: string;
  readonly batch?: string;
  readonly maxEpochs?: string;
  readonly evalEvery?: string;
  readonly test?: string;
}

/**
 * Declares the network and training options that `train` and the experiments share (`--net
 * --width --lr --batch --max-epochs --stop-loss --eval-every --encoding --mode --bias
 * --parametrisation --backend --test`); `help` gives the defaults that differ between commands.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "@commander-js/extra-typings";
 * import { addNetworkOptions } from "./options.ts";
 * const c = addNetworkOptions(new Command("x"), { net: "cnn (default), lcn or fcn" });
 * assert.ok(c.options.some((o) => o.long === "--backend"));
 * ```
 */
export function addNetworkOptions<C extends AnyCommand>(c: C, help: NetworkOptionHelp = {}) {
  return c
    .option("--net <kind>", help.net ?? "cnn, lcn or fcn (required)")
    .option("--width <H>", help.width ?? "channels per hidden position (required)")
    .option("--lr <x>", "base learning rate, x H under mean-field (default: SPEC section 7)")
    .option("--batch <B>", help.batch ?? "mini-batch size (default 4 per class)")
    .option("--max-epochs <E>", help.maxEpochs ?? "epoch cap (default 1000)")
    .option("--stop-loss <x>", "stop below this mean training loss (default 1e-3; FCN 1e-2)")
    .option("--eval-every <k>", help.evalEvery ?? "test error every k epochs (default 10)")
    .option("--encoding <e>", "onehot (default) or whitened")
    .option(
      "--mode <mode>",
      "sampling of the train/test split: distinct (default, disjoint) or iid (the reference's)",
    )
    .option("--bias <mode>", "per-position (default), shared or none")
    .option("--parametrisation <p>", "mean-field (default) or standard")
    .option("--backend <name>", `${BACKEND_NAMES.join(", ")} (default auto)`)
    .option(
      "--test <N>",
      help.test ?? "test-set size (default min(20000, Pmax - P); 20000 with --mode iid)",
    );
}

/** The sampling modes of `--mode`. */
export const SAMPLING_MODES = ["distinct", "iid"] as const;

/**
 * `--mode distinct|iid` (default `distinct`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { modeOption } from "./options.ts";
 * assert.equal(modeOption(undefined), "distinct");
 * assert.equal(modeOption("iid"), "iid");
 * assert.throws(() => modeOption("x"), /--mode must be one of distinct, iid/);
 * ```
 */
export function modeOption(text: string | undefined): (typeof SAMPLING_MODES)[number] {
  return choiceOption("mode", text, SAMPLING_MODES, "distinct");
}

/**
 * An integer option `>= min`; `fallback` when absent (absent with no fallback: required).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { intOption } from "./options.ts";
 * assert.equal(intOption("width", "64", 1), 64);
 * assert.equal(intOption("width", undefined, 1, 8), 8);
 * assert.throws(() => intOption("width", "0", 1), /--width must be an integer >= 1/);
 * ```
 */
export function intOption(
  name: string,
  text: string | undefined,
  min: number,
  fallback?: number,
): number {
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

/**
 * A finite number option that satisfies `ok` (described by `bound` in the error); `fallback`
 * when absent.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { numberOption } from "./options.ts";
 * assert.equal(numberOption("lr", "0.5", (x) => x > 0, "> 0", 0.1), 0.5);
 * assert.throws(() => numberOption("lr", "-1", (x) => x > 0, "> 0", 0.1), /--lr must be > 0/);
 * ```
 */
export function numberOption(
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

/**
 * One of a fixed list of words; `fallback` when absent (absent with no fallback: required).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { choiceOption } from "./options.ts";
 * assert.equal(choiceOption("mode", "iid", ["distinct", "iid"] as const), "iid");
 * assert.throws(() => choiceOption("mode", "x", ["distinct", "iid"] as const), /one of distinct, iid/);
 * ```
 */
export function choiceOption<T extends string>(
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
