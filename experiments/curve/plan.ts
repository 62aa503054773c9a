/**
 * The plan of the learning-curve experiment: one grammar and one network, trained at every P of a
 * grid (and every seed), measuring the test error and the sensitivities.
 *
 * @module
 */
import { pmax, type SamplingMode, type SrhmParams } from "@srhm/generators";
import { CNN_C1, predictCnn } from "@srhm/metrics";
import {
  makePlan,
  type Plan,
  type RunMeasure,
  type RunNetwork,
  type RunSpec,
  type RunTraining,
} from "../plan.ts";
import { logGrid, PRESETS } from "../presets.ts";
import { predictedPstar } from "./summary.ts";
import { AUTHORS_PROTOCOL, type SeedScope } from "../protocol.ts";

/** The options of a learning curve, as plain data (the plan records them). */
export interface CurveOptions {
  /** The grammar's parameters. */
  readonly params: SrhmParams;
  /** The network. */
  readonly network: RunNetwork;
  /** The training recipe. */
  readonly training: RunTraining;
  /** What to measure. */
  readonly measure: RunMeasure;
  /** Training-set sizes; absent: `logGrid` around the predicted `P*` with `grid`. */
  readonly P?: readonly number[];
  /** The default grid's span and size (default: the `small` preset's). */
  readonly grid?: { readonly low: number; readonly high: number; readonly points: number };
  /** Seeds `0..seeds-1` per P: each is the run's `seed` (data, initialisation, SGD order) and,
   * with `seedScope` `all` (the default), also shifts the grammar seed (`params.seed + i`), so
   * that the spread over seeds includes the grammar-to-grammar variation. */
  readonly seeds: number;
  /** `all` (default: seed i draws grammar `params.seed + i`, data and init) or `data` (the
   * grammar stays `params.seed`; data and init vary: the behaviour before issue 9). */
  readonly seedScope?: SeedScope;
  /** Learning-rate grid: every P and seed is trained at each rate; the summaries keep the best
   * test error per P and seed (`chooseLr`). Absent: the one rate of `training.lr`. */
  readonly lrGrid?: readonly number[];
  /** Test-set size, capped per run at `Pmax - P` (distinct sampling). */
  readonly test: number;
}

/**
 * The P at the centre of the default grid: the paper's `P*` for the CNN/LCN; for the FCN (no
 * law) the CNN's, as a starting point (with the s = 2 constant `CNN_C1[2]` where `s` has none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gridCenter } from "./plan.ts";
 * assert.ok(gridCenter("cnn", { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 }) === 640);
 * ```
 */
export function gridCenter(kind: RunNetwork["kind"], params: SrhmParams): number {
  const own = predictedPstar(kind, params).value;
  if (own !== null) return own;
  const cnn = predictedPstar("cnn", params).value;
  return cnn ?? predictCnn(params, CNN_C1[2]);
}

/**
 * The training-set sizes of a curve: `options.P` if given, else the log-spaced default grid. In
 * `distinct` mode (the default) the given sizes must be `< Pmax` (no data would be left to
 * test); in `iid` mode any size is allowed. The default grid is capped at `0.8 Pmax` either way.
 * With `balanced` sets (the authors' protocol) every size is a multiple of `nc`: the default
 * grid is rounded to the nearest multiple, a given size that is not one is an error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { curveSizes } from "./plan.ts";
 * const params = { L: 2, s: 2, s0: 0, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 } as const;
 * assert.ok(curveSizes(params, "cnn", { P: [10, 20] }).join() === "10,20");
 * assert.ok(curveSizes(params, "cnn", { P: [12, 20] }, "distinct", true).join() === "12,20");
 * assert.throws(() => curveSizes(params, "cnn", { P: [10] }, "distinct", true), /multiples of nc/);
 * ```
 */
export function curveSizes(
  params: SrhmParams,
  kind: RunNetwork["kind"],
  options: Pick<CurveOptions, "P" | "grid">,
  mode: SamplingMode = "distinct",
  balanced = false,
): number[] {
  const pmax = pmaxOf(params);
  const nc = params.nc;
  if (options.P !== undefined) {
    for (const P of options.P) {
      if (!Number.isInteger(P) || P < 1) {
        throw new RangeError(`--P values must be integers >= 1 (got ${P})`);
      }
      if (balanced && P % nc !== 0) {
        throw new RangeError(
          `--P values must be multiples of nc = ${nc} with class-balanced sets (got ${P}; ` +
            "--no-balanced allows any size)",
        );
      }
      if (mode === "distinct" && P >= pmax) {
        throw new RangeError(
          `P must be < Pmax (${P} >= ${pmax}): distinct data leave none to test`,
        );
      }
    }
    return [...new Set(options.P)].sort((a, b) => a - b);
  }
  const grid = options.grid ?? PRESETS.small.grid;
  const sizes = logGrid(gridCenter(kind, params), grid, {
    min: params.nc,
    max: Math.floor(pmax * 0.8),
  });
  if (!balanced) return sizes;
  const cap = Math.floor((pmax * 0.8) / nc) * nc;
  const rounded = sizes.map((P) => Math.min(cap, Math.max(nc, Math.round(P / nc) * nc)));
  return [...new Set(rounded)].sort((a, b) => a - b);
}

/**
 * `Pmax` of the parameters (`pmax` of `@srhm/generators`) as a number (`Infinity` beyond 2^53).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pmaxOf } from "./plan.ts";
 * assert.ok(pmaxOf({ L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 }) === 16384);
 * ```
 */
export function pmaxOf(p: SrhmParams): number {
  const value = pmax(p);
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(value);
}

/**
 * The test-set size of a run with `P` training data: `wanted`, capped at `Pmax - P` (at least 0)
 * in `distinct` mode, where the test set must be disjoint from the training set; `wanted` as is
 * in `iid` mode (draws with replacement never run out); with `balanced` sets, rounded down to a
 * multiple of `nc`. The curves and `train` both use it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { testSetSize } from "./plan.ts";
 * const params = { L: 2, s: 2, s0: 0, v: 2, m: 2, nc: 2, sparsity: "A", seed: 0 } as const; // Pmax 16
 * assert.equal(testSetSize(params, 10, 1000), 6);
 * assert.equal(testSetSize(params, 10, 5), 5);
 * assert.equal(testSetSize(params, 40, 1000, "iid"), 1000);
 * assert.equal(testSetSize(params, 10, 5, "distinct", true), 4);
 * ```
 */
export function testSetSize(
  params: SrhmParams,
  P: number,
  wanted: number,
  mode: SamplingMode = "distinct",
  balanced = false,
): number {
  const whole = (n: number) => (balanced ? n - (n % params.nc) : n);
  if (mode === "iid") return whole(wanted);
  const left = pmax(params) - BigInt(P);
  if (left <= 0n) return 0;
  return whole(left < BigInt(wanted) ? Number(left) : wanted);
}

/**
 * The run specs of one curve (every P times every seed, times every rate of `lrGrid` when
 * given), with the test set capped at `Pmax - P` in distinct mode (`testSetSize`). Seed `i` draws
 * the grammar `params.seed + i` too unless `seedScope` is `data`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { curveRuns } from "./plan.ts";
 * const runs = curveRuns("curve", {
 *   params: { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 },
 *   network: { kind: "cnn", width: 32, bias: "per-position", parametrisation: "mean-field" },
 *   training: { lr: 0.1, batch: 32, maxEpochs: 50, stopLoss: 1e-3, evalEvery: 5, encoding: "onehot", backend: "cpu" },
 *   measure: { sensitivities: true, perClass: 20 },
 *   P: [100, 200], seeds: 2, test: 1000,
 * });
 * assert.ok(runs.length === 4 && runs[3].P === 200 && runs[3].seed === 1);
 * assert.ok(runs[3].params.seed === 1 && runs[2].params.seed === 0);
 * ```
 */
export function curveRuns(experiment: string, options: CurveOptions): RunSpec[] {
  if (!Number.isInteger(options.seeds) || options.seeds < 1) {
    throw new RangeError(`seeds must be an integer >= 1 (got ${options.seeds})`);
  }
  if (!Number.isInteger(options.test) || options.test < 1) {
    throw new RangeError(`test must be an integer >= 1 (got ${options.test})`);
  }
  const grid = options.lrGrid;
  if (grid !== undefined && (grid.length === 0 || grid.some((x) => !(x > 0 && isFinite(x))))) {
    throw new RangeError(`lrGrid must be a non-empty list of rates > 0 (got ${grid.join(",")})`);
  }
  const mode = options.training.mode ?? AUTHORS_PROTOCOL.training.mode;
  const balanced = options.training.balanced ?? AUTHORS_PROTOCOL.training.balanced;
  const scope = options.seedScope ?? "all";
  const sizes = curveSizes(options.params, options.network.kind, options, mode, balanced);
  const trainings: RunTraining[] = grid === undefined
    ? [options.training]
    : [...new Set(grid)].map((lr) => ({ ...options.training, lr }));
  return sizes.flatMap((P) =>
    Array.from({ length: options.seeds }, (_, seed) =>
      trainings.map((training) => ({
        experiment,
        params: scope === "all"
          ? { ...options.params, seed: options.params.seed + seed }
          : options.params,
        network: options.network,
        training,
        measure: options.measure,
        P,
        test: testSetSize(options.params, P, options.test, mode, balanced),
        seed,
      }))).flat()
  );
}

/**
 * The plan of a learning curve.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { curvePlan } from "./plan.ts";
 * const plan = curvePlan({
 *   params: { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 },
 *   network: { kind: "cnn", width: 32, bias: "per-position", parametrisation: "mean-field" },
 *   training: { lr: 0.1, batch: 32, maxEpochs: 50, stopLoss: 1e-3, evalEvery: 5, encoding: "onehot", backend: "cpu" },
 *   measure: { sensitivities: true, perClass: 20 },
 *   seeds: 1, test: 1000,
 * });
 * assert.ok(plan.experiment === "curve" && plan.runs.length === 7);
 * ```
 */
export function curvePlan(options: CurveOptions): Plan {
  return makePlan("curve", { ...options }, curveRuns("curve", options));
}
