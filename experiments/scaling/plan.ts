/**
 * The plan of the scaling experiment: for each network kind and each value of `s0` (default), `v`
 * or `L`, a learning curve on a grid around the paper's prediction at that point.
 *
 * @module
 */
import type { SrhmParams } from "@srhm/generators";
import type { ScalingVariable } from "@srhm/metrics";
import { referenceLr } from "@srhm/networks/lr";
import { type CurveOptions, curveRuns } from "../curve/plan.ts";
import { makePlan, type Plan, type RunNetwork, type RunSpec, type RunTraining } from "../plan.ts";

/** The options of a scaling experiment, as plain data. */
export interface ScalingOptions extends Omit<CurveOptions, "params" | "network" | "training"> {
  /** The parameters at which the variable is set (the other parameters stay). */
  readonly params: SrhmParams;
  /** The parameter varied: `s0`, `v` or `L`. */
  readonly variable: ScalingVariable;
  /** The values of the variable (e.g. s0 = 1, 2, 3). */
  readonly values: readonly number[];
  /** The networks, one curve per kind per value. */
  readonly kinds: readonly RunNetwork["kind"][];
  /** The network, but for its kind. */
  readonly network: Omit<RunNetwork, "kind">;
  /** `lr: null` takes the authors' rate of each point (`referenceLr`) times `lrFactor`. */
  readonly training: Omit<RunTraining, "lr"> & { readonly lr: number | null };
  /** Multiplies the authors' rate (`referenceLr`) when `training.lr` is null (default 1). */
  readonly lrFactor?: number;
  /** Mini-batch as data per class (`batch = batchPerClass * nc`) when given; else `training.batch`. */
  readonly batchPerClass?: number;
}

/**
 * The parameters with the variable set: `s0`, `L`, or `v` (then `m = v^(s-1)`, `nc = v`: the
 * paper's maximal case).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withVariable } from "./plan.ts";
 * const p = withVariable({ L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 }, "v", 3);
 * assert.ok(p.v === 3 && p.m === 3 && p.nc === 3);
 * ```
 */
export function withVariable(
  params: SrhmParams,
  variable: ScalingVariable,
  value: number,
): SrhmParams {
  if (!Number.isInteger(value)) {
    throw new RangeError(`${variable} values must be integers (got ${value})`);
  }
  if (variable === "v") return { ...params, v: value, m: value ** (params.s - 1), nc: value };
  return { ...params, [variable]: value };
}

/**
 * The plan: for each kind and value, a learning curve (grid around that point's prediction).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scalingPlan } from "./plan.ts";
 * const plan = scalingPlan({
 *   params: { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 },
 *   variable: "s0", values: [1, 2], kinds: ["cnn"],
 *   network: { width: 32, bias: "per-position", parametrisation: "mean-field" },
 *   training: { lr: null, batch: 32, maxEpochs: 50, stopLoss: 1e-3, evalEvery: 5, encoding: "onehot", backend: "cpu" },
 *   measure: { sensitivities: false, perClass: 20 },
 *   grid: { low: 0.5, high: 2, points: 3 }, seeds: 1, test: 500,
 * });
 * assert.ok(plan.runs.length === 6 && plan.runs[3].params.s0 === 2);
 * ```
 */
export function scalingPlan(options: ScalingOptions): Plan {
  if (options.values.length === 0) throw new RangeError("scaling needs at least one value");
  const specs: RunSpec[] = options.kinds.flatMap((kind) =>
    options.values.flatMap((value) => {
      const params = withVariable(options.params, options.variable, value);
      const lr = options.training.lr ??
        referenceLr(kind, params.s, params.L, params.s0) * (options.lrFactor ?? 1);
      const batch = options.batchPerClass !== undefined
        ? options.batchPerClass * params.nc
        : options.training.batch;
      return curveRuns("scaling", {
        ...options,
        params,
        network: { ...options.network, kind },
        training: { ...options.training, lr, batch },
      });
    })
  );
  return makePlan("scaling", { ...options }, specs);
}
