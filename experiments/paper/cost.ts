/**
 * The dry-run estimate: how long a plan takes, from measured per-run costs.
 *
 * A run costs `epochs * (steps * stepSeconds + work / flopRate)` plus its evaluations and
 * sensitivities, where `steps = ceil(P / batch)` mini-batches per epoch and `work` counts the
 * floating-point operations of the matrix products (`forwardFlops`: forward, and 3x that for a
 * training step: forward, dX and dW). Two constants, `stepSeconds` (the per-step overhead, which
 * dominates for the small networks) and `flopRate`, and the mean number of epochs as a fraction
 * of the cap (`epochFraction`), are fitted to result lines by `calibrateCost` (least squares on
 * each run's recorded `timings.total` and `metrics.epochs`). `DEFAULT_COST` holds the fit to runs
 * measured on the development machine (see its `source`); the CLI refits on the results already in
 * the output directory when there are enough of them.
 *
 * @module
 */
import type { Run } from "../plan.ts";
import type { ResultLine } from "../store.ts";

/** The constants of the cost model. */
export interface CostModel {
  /** Seconds of overhead per mini-batch step (kernel launches, data copies). */
  readonly stepSeconds: number;
  /** Floating-point operations per second of the matrix products. */
  readonly flopRate: number;
  /** Mean epochs of a run as a fraction of its epoch cap. */
  readonly epochFraction: number;
  /** Where the constants come from (runs, machine, date). */
  readonly source: string;
}

/**
 * The fit of `calibrateCost` to the runs measured on the development machine (2 vCPUs, shared
 * with other builds: load average 2 to 6), backend `auto` (wasm + OpenBLAS); see
 * docs/paper-figures.md for the runs.
 */
export const DEFAULT_COST: CostModel = {
  stepSeconds: 2.5e-3,
  flopRate: 2e9,
  epochFraction: 0.5,
  source: "placeholder until calibrated",
};

/**
 * The floating-point operations of one forward pass of one sample through a run's network (the
 * matrix products of the hidden layers and the readout): a CNN or LCN layer with `n` output
 * positions costs `2 n S c_in H`, an FCN layer (each of its `n H` units sees the whole input)
 * `2 n H d_in c_in`, with `S = s (s0+1)` and `d = S^L`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { forwardFlops } from "./cost.ts";
 * const params = { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 } as const;
 * // layer 1: 4 positions x (4 x 4) x 8; layer 2: 1 x (4 x 8) x 8; readout 8 x 4 (x 2 FLOP).
 * assert.equal(forwardFlops({ params, network: { kind: "cnn", width: 8 } } as never), 2 * (512 + 256 + 32));
 * ```
 */
export function forwardFlops(run: Pick<Run, "params" | "network">): number {
  const { L, s, s0, v, nc } = run.params;
  const H = run.network.width;
  const S = s * (s0 + 1);
  let positions = S ** L;
  let cin = v;
  let flops = 0;
  for (let k = 0; k < L; k++) {
    const out = positions / S;
    flops += run.network.kind === "fcn" ? 2 * out * H * positions * cin : 2 * out * S * cin * H;
    positions = out;
    cin = H;
  }
  return flops + 2 * H * nc;
}

/** The two workloads of a run, per epoch and once, that the model prices. */
interface Workload {
  /** Mini-batch steps. */
  readonly steps: number;
  /** Floating-point operations. */
  readonly flops: number;
}

const workload = (run: Run, epochs: number): Workload => {
  const F = forwardFlops(run);
  const steps = epochs * Math.ceil(run.P / run.training.batch);
  const evaluations = Math.ceil(epochs / run.training.evalEvery);
  const train = epochs * run.P * 3 * F;
  const test = evaluations * (run.test + run.P) * F;
  const measured = run.measure.sensitivities
    ? run.params.nc * run.measure.perClass * 2 * (2 * run.params.L + 1) * F
    : 0;
  return { steps, flops: train + test + measured };
};

/**
 * The estimated seconds of a run: `epochs * steps * stepSeconds + flops / flopRate` with
 * `epochs = epochFraction * maxEpochs` (at least 1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runSeconds } from "./cost.ts";
 * const run = { P: 100, test: 0, params: { L: 2, s: 2, s0: 0, v: 2, m: 2, nc: 2 },
 *   network: { kind: "cnn", width: 1 }, measure: { sensitivities: false, perClass: 0 },
 *   training: { batch: 10, maxEpochs: 10, evalEvery: 10 } } as never;
 * const model = { stepSeconds: 1, flopRate: Infinity, epochFraction: 1, source: "" };
 * assert.equal(runSeconds(run, model), 100); // 10 epochs x 10 steps x 1 s
 * ```
 */
export function runSeconds(run: Run, model: CostModel): number {
  const epochs = Math.max(1, model.epochFraction * run.training.maxEpochs);
  const w = workload(run, epochs);
  return w.steps * model.stepSeconds + w.flops / model.flopRate;
}

/** A plan's estimate. */
export interface PlanEstimate {
  /** Runs in the plan. */
  readonly runs: number;
  /** Of which already in the results (not counted in `seconds`). */
  readonly done: number;
  /** Estimated seconds of the runs left. */
  readonly seconds: number;
  /** The model used. */
  readonly model: CostModel;
}

/**
 * The estimate of the runs of a plan not yet done.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { estimatePlan, DEFAULT_COST } from "./cost.ts";
 * const e = estimatePlan([], new Set(), DEFAULT_COST);
 * assert.equal(e.runs, 0);
 * assert.equal(e.seconds, 0);
 * ```
 */
export function estimatePlan(
  runs: readonly Run[],
  done: ReadonlySet<string>,
  model: CostModel,
): PlanEstimate {
  const left = runs.filter((r) => !done.has(r.id));
  return {
    runs: runs.length,
    done: runs.length - left.length,
    seconds: left.reduce((t, r) => t + runSeconds(r, model), 0),
    model,
  };
}

/**
 * Fits the cost model to measured result lines (status `ok`, with `timings.total` and
 * `metrics.epochs`): `epochFraction` is the mean of `epochs / maxEpochs`; `stepSeconds` and
 * `1 / flopRate` are the non-negative least-squares solution of `total = steps * a + flops * b`
 * over the runs, with each run's own epochs. Returns `undefined` with fewer than `min` usable lines
 * (default 5).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { calibrateCost } from "./cost.ts";
 * // Two widths (so that steps and FLOPs are not proportional), 0.01 s per step and free FLOPs.
 * const line = (P: number, width: number) => ({ id: `${P}-${width}`, status: "ok", backend: "cpu",
 *   versions: {}, timings: { total: 10 * (P / 10) * 0.01 }, metrics: { testError: 0, epochs: 10 },
 *   run: { P, test: 0, params: { L: 2, s: 2, s0: 0, v: 2, m: 2, nc: 2 }, network: { kind: "cnn", width },
 *     measure: { sensitivities: false, perClass: 0 }, training: { batch: 10, maxEpochs: 20, evalEvery: 10 } } });
 * const lines = [100, 200, 300].flatMap((P) => [line(P, 1), line(P, 100)]) as never[];
 * const m = calibrateCost(lines, "test")!;
 * assert.equal(m.epochFraction, 0.5);
 * assert.ok(Math.abs(m.stepSeconds - 0.01) < 1e-9 && m.flopRate > 1e15);
 * ```
 */
export function calibrateCost(
  results: readonly ResultLine[],
  source: string,
  min = 5,
): CostModel | undefined {
  const rows = results.flatMap((r) => {
    const total = Number(r.timings.total);
    const epochs = Number(r.metrics?.epochs);
    if (r.status !== "ok" || !(total > 0) || !(epochs > 0)) return [];
    return [{ total, epochs, cap: r.run.training.maxEpochs, w: workload(r.run, epochs) }];
  });
  if (rows.length < min) return undefined;
  const epochFraction = rows.reduce((a, r) => a + Math.min(1, r.epochs / r.cap), 0) / rows.length;
  // Normal equations of total = a * steps + b * flops, then the best one-term fit if a or b < 0.
  let sxx = 0, sxy = 0, syy = 0, sxt = 0, syt = 0;
  for (const { total, w } of rows) {
    sxx += w.steps * w.steps;
    sxy += w.steps * w.flops;
    syy += w.flops * w.flops;
    sxt += w.steps * total;
    syt += w.flops * total;
  }
  const det = sxx * syy - sxy * sxy;
  let a = det > 0 ? (sxt * syy - syt * sxy) / det : -1;
  let b = det > 0 ? (syt * sxx - sxt * sxy) / det : -1;
  if (!(a >= 0 && b >= 0)) {
    const aOnly = sxx > 0 ? sxt / sxx : 0;
    const bOnly = syy > 0 ? syt / syy : 0;
    const sse = (x: number, y: number) =>
      rows.reduce((e, r) => e + (r.total - x * r.w.steps - y * r.w.flops) ** 2, 0);
    [a, b] = sse(aOnly, 0) <= sse(0, bOnly) ? [aOnly, 0] : [0, bOnly];
  }
  return {
    stepSeconds: a,
    flopRate: b > 0 ? 1 / b : Infinity,
    epochFraction,
    source: `${source} (${rows.length} runs)`,
  };
}

/**
 * A duration for people: `42 s`, `12 min`, `3.4 h`, `2.1 days`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { humanSeconds } from "./cost.ts";
 * assert.equal(humanSeconds(42), "42 s");
 * assert.equal(humanSeconds(720), "12 min");
 * assert.equal(humanSeconds(3 * 86400), "3.0 days");
 * ```
 */
export function humanSeconds(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}
