/**
 * The command-line options of a scaling experiment: those of a learning curve
 * (`../curve/options.ts`), and `--vary s0|v|L` (default s0), `--values list` (default per
 * variable: s0 1,2,3; v 3,4,5; L 2,3), `--nets list` (default: `--net`, cnn).
 *
 * @module
 */
import { type Command, Option, type OptionValues } from "@commander-js/extra-typings";
import { NETWORK_KINDS, type NetworkKind } from "@srhm/networks/config";
import type { ScalingVariable } from "@srhm/metrics";
import { preset } from "../presets.ts";
import { choiceList, integerList } from "../cli/options.ts";
import {
  type CurveCliOptions,
  curveOptionsFromCli,
  declareCurveOptions,
} from "../curve/options.ts";
import type { ScalingOptions } from "./plan.ts";

/** The values of `--values` when it is absent, per variable. */
export const DEFAULT_VALUES: Readonly<Record<ScalingVariable, readonly number[]>> = {
  s0: [1, 2, 3],
  v: [3, 4, 5],
  L: [2, 3],
};

/**
 * Declares the options of a scaling experiment on a command.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "@commander-js/extra-typings";
 * import { declareScalingOptions } from "./options.ts";
 * const c = declareScalingOptions(new Command("scaling"));
 * c.parse(["--vary", "v", "--nets", "cnn,lcn"], { from: "user" });
 * assert.deepEqual([c.opts().vary, c.opts().nets, c.opts().values], ["v", ["cnn", "lcn"], undefined]);
 * ```
 */
export function declareScalingOptions<Opts extends OptionValues>(
  c: Command<[], Opts>,
): Command<[], Opts & ScalingCliOptions> {
  return declareCurveOptions(c)
    .addOption(
      new Option("--vary <var>", "the parameter varied: s0, v (with m = v^(s-1), nc = v) or L")
        .choices(["s0", "v", "L"] as const).default("s0" as const),
    )
    .addOption(
      new Option("--values <list>", "values of the variable (default s0: 1,2,3; v: 3,4,5; L: 2,3)")
        .argParser(integerList(0)),
    )
    .addOption(
      new Option("--nets <list>", "network kinds, comma-separated (default: --net's, cnn)")
        .argParser(choiceList(NETWORK_KINDS)),
    ) as unknown as Command<[], Opts & ScalingCliOptions>;
}

/** The values of the options of a scaling experiment, as commander parses them. */
export interface ScalingCliOptions extends CurveCliOptions {
  /** `--vary`. */
  vary: ScalingVariable;
  /** `--values`. */
  values?: number[];
  /** `--nets`. */
  nets?: NetworkKind[];
}

/**
 * The options of a scaling experiment from the parsed command line. Throws a `RangeError` for
 * values of `v` or `L` below 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "@commander-js/extra-typings";
 * import { declareScalingOptions, scalingOptionsFromCli } from "./options.ts";
 * const c = declareScalingOptions(new Command("scaling")).parse(["--values", "1,2"], { from: "user" });
 * const o = scalingOptionsFromCli(c.opts());
 * assert.ok(o.variable === "s0" && o.values.join() === "1,2" && o.kinds.join() === "cnn");
 * ```
 */
export function scalingOptionsFromCli(o: ScalingCliOptions): ScalingOptions {
  const variable = o.vary;
  const values = o.values ?? DEFAULT_VALUES[variable];
  const min = variable === "s0" ? 0 : 1;
  if (values.some((x) => x < min)) {
    throw new RangeError(
      `--values must be a comma-separated list of integers >= ${min} (got ${values.join(",")})`,
    );
  }
  const kinds = o.nets ?? [o.net];
  const curve = curveOptionsFromCli({ ...o, net: kinds[0] });
  const p = preset(o.scale);
  return {
    ...curve,
    variable,
    values,
    kinds,
    network: {
      width: curve.network.width,
      bias: curve.network.bias,
      parametrisation: curve.network.parametrisation,
      fcnScale: curve.network.fcnScale,
    },
    training: { ...curve.training, lr: o.lr === undefined ? null : curve.training.lr },
    lrFactor: p.lrFactor,
    ...(o.batch === undefined ? { batchPerClass: p.batchPerClass } : {}),
  };
}
