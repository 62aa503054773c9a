/**
 * The grammar's `<params>` as the command line takes them (`--L --s --s0 --v --m --nc --sparsity
 * --seed`, raw strings), validated together by the generators' `validateParams`, with the
 * messages worded after the options (`--v must be ...`). Pure and free of commander, so that the
 * browser explorer's form gives exactly the command line's message.
 *
 * @module
 */
import * as E from "fp-ts/lib/Either.js";
import { type RawParams, type SrhmParams, validateParams, type Validation } from "@srhm/generators";

/** The raw strings of the `<params>` options, as commander hands them over. */
export interface ParamOptions {
  /** `--L`. */
  L?: string;
  /** `--s`. */
  s?: string;
  /** `--s0`. */
  s0?: string;
  /** `--v`. */
  v?: string;
  /** `--m`. */
  m?: string;
  /** `--nc`. */
  nc?: string;
  /** `--sparsity`. */
  sparsity?: string;
  /** `--seed` (the grammar's). */
  seed?: string;
}

/**
 * A command-line number: the number when the text is one, else the text itself (so that the
 * validator's message quotes what was typed).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { numberOrText } from "./param_options.ts";
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
 * The `<params>` options as validated parameters, or the command line's message (every
 * violation, named by its option, joined by `; `). `--L` and `--v` are required unless `defaults`
 * supplies them; an `undefined` option takes its default.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as E from "fp-ts/lib/Either.js";
 * import { validateParamOptions } from "./param_options.ts";
 * const p = validateParamOptions({ L: "2", v: "4", s0: "1" });
 * assert.ok(E.isRight(p) && p.right.m === 4 && p.right.nc === 4 && p.right.sparsity === "A");
 * const d = validateParamOptions({ L: undefined }, { L: "3", v: "2" });
 * assert.ok(E.isRight(d) && d.right.L === 3);
 * assert.deepEqual(validateParamOptions({ v: "4" }), E.left("--L is required (an integer >= 1)"));
 * const bad = validateParamOptions({ L: "0", v: "4" });
 * assert.ok(E.isLeft(bad) && /^--L must be an integer >= 1/.test(bad.left));
 * ```
 */
export function validateParamOptions(
  o: ParamOptions,
  defaults: ParamOptions = {},
): Validation<string, SrhmParams> {
  const all: ParamOptions = { ...defaults, ...definedOnly(o) };
  if (all.L === undefined) return E.left("--L is required (an integer >= 1)");
  if (all.v === undefined) return E.left("--v is required (an integer >= 2)");
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
  return E.isLeft(r) ? E.left(r.left.map(asOption).join("; ")) : r;
}

/** A violation of `validateParams` ("v must be ...") with the parameter as its option ("--v ..."). */
function asOption(violation: string): string {
  return violation
    .replace(/^(L|s0|s|v|m|nc|sparsity|seed)(?= must| \()/, "--$1")
    .replace(/^(m|nc|v) \* (m|nc|v) <=/, "--$1 * --$2 must be <=");
}

function definedOnly(o: ParamOptions): ParamOptions {
  return Object.fromEntries(
    Object.entries(o).filter(([k, x]) => x !== undefined && PARAM_NAMES.has(k)),
  );
}

const PARAM_NAMES = new Set(["L", "s", "s0", "v", "m", "nc", "sparsity", "seed"]);
