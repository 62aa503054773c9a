/**
 * The dry-run estimate: how long a plan takes, from measured per-run costs.
 *
 * A run costs `steps * stepSeconds + flops / flopRate`: `steps` mini-batches over its epochs, and
 * the floating-point operations of its matrix products (`forwardFlops`; a training step costs 3x
 * the forward pass: forward, dX, dW) in training, in the test evaluations every `evalEvery` epochs
 * and in the sensitivities. The epochs are `min(cap, sampleEpochs * P_law / P)`: a converging run
 * sees about the same number of samples whatever P (measured: the CNN's `epochs * P` stays within
 * 30 % over a 16x range of P).
 *
 * Where the constants come from: `flopRate` per network kind is the throughput of the training
 * products measured by the network benchmarks (BENCHMARKS.md, `auto` backend, H = 512: the low
 * end over the sittings on the loaded 2-core machine); `stepSeconds` (the per-step overhead, which
 * dominates the small networks) and `sampleEpochs` are fitted per network kind and depth to
 * measured result lines by `calibrateCost` (each run's `timings.total` and `metrics.epochs`): on
 * the small networks the two terms are nearly proportional, so only one of them can be fitted
 * there. `DEFAULT_COST` is that fit to the calibration runs committed in docs/results/paper/; a dry
 * run refits on the runs already in its output directory when there are enough.
 *
 * @module
 */
import { type DeepNetKind, isDeepNetKind } from "@srhm/networks/kinds";
import { gridCenter } from "../curve/plan.ts";
import type { Run } from "../plan.ts";
import type { ResultLine } from "../store.ts";

/** The fitted constants of one network kind (and depth). */
export interface KindCost {
  /** Seconds of overhead per mini-batch step (kernel launches, data copies). */
  readonly stepSeconds: number;
  /** Epochs to converge times `P / P_law` (`P_law`: the centre of the default grid,
   * `gridCenter`): a run takes `min(cap, sampleEpochs * P_law / P)` epochs. `Infinity` when most
   * measured runs of the kind at `P >= P_law` stopped at the epoch cap. */
  readonly sampleEpochs: number;
}

/** Floating-point operations per second of the training products, per network kind. */
export type FlopRates = Readonly<Record<Run["network"]["kind"], number>>;

/**
 * The throughput of the training products on the development machine (BENCHMARKS.md, `auto`,
 * batch 128): the CNN at L = 3, H = 512 reached 39 to 92 GFLOP/s over the sittings under load
 * (40 taken); the LCN of the same shape ran at 0.35x the CNN's samples per second (14 taken); the
 * FCN is one dense product per layer, priced as the CNN.
 */
export const FLOP_RATES: FlopRates = { cnn: 4e10, lcn: 1.4e10, fcn: 4e10 };

/**
 * The constants of the cost model: the flop rates, and the fitted constants per network kind and
 * depth (`"cnn L=3"`), per kind (`"cnn"`), and for the rest (`fallback`); a run takes the most
 * specific that exists (`costOf`).
 */
export interface CostModel {
  /** Floating-point operations per second of the training products, per network kind. */
  readonly flopRates: FlopRates;
  /** The fitted constants by group: kind and depth (`"cnn L=3"`) or kind alone (`"cnn"`). */
  readonly groups: Readonly<Record<string, KindCost>>;
  /** The constants of a run that no group matches. */
  readonly fallback: KindCost;
  /** Where the constants come from (runs, machine, date). */
  readonly source: string;
}

/**
 * `calibrateCost` of the 24 runs in docs/results/paper/calibration/results.jsonl, rounded to 3
 * digits (a test checks it): four 7-point (FCN: 3-point) learning curves of the small preset at
 * s = 2, v = 4 (CNN L = 2 s0 = 1; LCN L = 2 s0 = 1; CNN L = 3 s0 = 0; FCN L = 2 s0 = 0), measured
 * on 2026-12-01 on the development machine (2 vCPUs shared with other builds, load average 2 to 6;
 * backend `auto` = wasm + OpenBLAS), 547 s in all. The estimate of a dry run is then the wall-clock
 * time of one process on such a machine (one run at a time, using up to its 2 cores).
 */
export const DEFAULT_COST: CostModel = {
  flopRates: FLOP_RATES,
  groups: {
    cnn: { stepSeconds: 8.76e-3, sampleEpochs: 292 },
    "cnn L=2": { stepSeconds: 1.74e-3, sampleEpochs: 72 },
    "cnn L=3": { stepSeconds: 9.31e-3, sampleEpochs: 307 },
    lcn: { stepSeconds: 3.65e-3, sampleEpochs: Infinity },
    "lcn L=2": { stepSeconds: 3.65e-3, sampleEpochs: Infinity },
  },
  fallback: { stepSeconds: 4.85e-3, sampleEpochs: 300 },
  source: "the runs of docs/results/paper/calibration (24 runs of the small preset, 2026-12-01, " +
    "2-core development machine under load) and the flop rates of BENCHMARKS.md",
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

/** The two workloads of a run that the model prices. */
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

const center = (run: Run): number => {
  try {
    return gridCenter(run.network.kind, run.params);
  } catch {
    return run.P;
  }
};

/**
 * The epochs the model expects of a run: `min(cap, max(evalEvery, sampleEpochs * P_law / P))`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { expectedEpochs } from "./cost.ts";
 * const run = { P: 1280, params: { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 },
 *   network: { kind: "cnn" }, training: { maxEpochs: 300, evalEvery: 5 } } as never;
 * assert.equal(expectedEpochs(run, { stepSeconds: 0, sampleEpochs: 70 }), 35); // 70 x 640 / 1280
 * assert.equal(expectedEpochs(run, { stepSeconds: 0, sampleEpochs: Infinity }), 300);
 * ```
 */
export function expectedEpochs(run: Run, cost: KindCost): number {
  const epochs = cost.sampleEpochs * center(run) / run.P;
  return Math.min(run.training.maxEpochs, Math.max(run.training.evalEvery, epochs));
}

/**
 * The constants that price a run: those of its kind and depth, else of its kind, else the fallback.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { costOf } from "./cost.ts";
 * const c = (x: number) => ({ stepSeconds: x, sampleEpochs: 1 });
 * const model = { groups: { "cnn L=3": c(3), cnn: c(2) }, fallback: c(1), source: "" };
 * const run = (kind: string, L: number) => ({ network: { kind }, params: { L } }) as never;
 * assert.deepEqual([run("cnn", 3), run("cnn", 2), run("lcn", 2)].map((r) => costOf(r, model).stepSeconds), [3, 2, 1]);
 * ```
 */
export function costOf(
  run: Pick<Run, "network" | "params">,
  model: Pick<CostModel, "groups" | "fallback">,
): KindCost {
  return model.groups[groupKey(run)] ?? model.groups[run.network.kind] ?? model.fallback;
}

const groupKey = (run: Pick<Run, "network" | "params">) => `${run.network.kind} L=${run.params.L}`;

/**
 * The estimated seconds of a run: `steps * stepSeconds + flops / flopRate` over its expected
 * epochs (`expectedEpochs`), with the constants of its network kind and depth (`costOf`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runSeconds } from "./cost.ts";
 * const run = { P: 100, test: 0, params: { L: 2, s: 2, s0: 0, v: 2, m: 2, nc: 2 },
 *   network: { kind: "cnn", width: 1 }, measure: { sensitivities: false, perClass: 0 },
 *   training: { batch: 10, maxEpochs: 10, evalEvery: 10 } } as never;
 * const flopRates = { cnn: Infinity, lcn: Infinity, fcn: Infinity };
 * const fallback = { stepSeconds: 1, sampleEpochs: Infinity };
 * assert.equal(runSeconds(run, { flopRates, groups: {}, fallback, source: "" }), 100); // 10 epochs x 10 steps x 1 s
 * ```
 */
export function runSeconds(run: Run, model: CostModel): number {
  const kind = run.network.kind as string;
  if (isDeepNetKind(kind)) return deepRunSeconds(run, kind);
  const cost = costOf(run, model);
  const w = workload(run, expectedEpochs(run, cost));
  return w.steps * cost.stepSeconds + w.flops / model.flopRates[run.network.kind];
}

/**
 * Training samples per second of the standard networks at width 16 (batch 128, `auto`), from the
 * small architectures run on the 2-core development machine (docs/results/architectures-small,
 * 2026-12-02, shared with two sweeps): the rate at another width is scaled by `(16 / width)^2`,
 * the products' share of the work.
 */
export const DEEP_SAMPLE_RATES: Readonly<Record<DeepNetKind, number>> = {
  vgg11: 2600,
  vgg16: 1570,
  resnet18: 920,
  resnet34: 770,
  efficientnetb0: 810,
};

/**
 * The estimated seconds of a run of a standard network: every epoch up to the cap (an upper
 * bound: the stopping loss may end it sooner), the evaluations (forward only, a third of a training
 * step per datum) and the sensitivities' data, at `DEEP_SAMPLE_RATES` scaled to its width.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deepRunSeconds } from "./cost.ts";
 * const run = { P: 2600, test: 0, params: { nc: 10 }, network: { kind: "vgg11", width: 16 },
 *   measure: { sensitivities: false, perClass: 0 }, training: { maxEpochs: 10, evalEvery: 10 } } as never;
 * assert.ok(Math.abs(deepRunSeconds(run, "vgg11") - (10 + 1 / 3)) < 1e-9); // 10 epochs, one evaluation
 * ```
 */
export function deepRunSeconds(run: Run, kind: DeepNetKind): number {
  const rate = DEEP_SAMPLE_RATES[kind] * (16 / run.network.width) ** 2;
  const epochs = run.training.maxEpochs;
  const evaluations = Math.ceil(epochs / run.training.evalEvery);
  const measured = run.measure.sensitivities ? run.params.nc * run.measure.perClass * 2 * 8 : 0;
  return (epochs * run.P + (evaluations * (run.test + run.P) + measured) / 3) / rate;
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

interface Row {
  readonly total: number;
  readonly capped: boolean;
  readonly budget: number;
  /** `P >= P_law`. */
  readonly large: boolean;
  readonly steps: number;
  /** Seconds of the products at the kind's flop rate. */
  readonly productSeconds: number;
}

function kindCost(rows: readonly Row[]): KindCost {
  // Least squares of total - productSeconds = a * steps, a >= 0.
  const num = rows.reduce((t, r) => t + r.steps * (r.total - r.productSeconds), 0);
  const den = rows.reduce((t, r) => t + r.steps * r.steps, 0);
  const stepSeconds = den > 0 ? Math.max(0, num / den) : 0;
  // The epochs of the runs at P >= P_law (those that converge, when any does).
  const large = rows.some((r) => r.large) ? rows.filter((r) => r.large) : rows;
  const budgets = large.map((r) => r.budget).sort((x, y) => x - y);
  const sampleEpochs = large.filter((r) => r.capped).length * 2 > large.length
    ? Infinity
    : budgets[Math.floor(budgets.length / 2)];
  return { stepSeconds, sampleEpochs };
}

/**
 * Fits the cost model to measured result lines (status `ok`, with `timings.total` and
 * `metrics.epochs`), per network kind and depth and per kind with at least `min` lines (default 5)
 * each, and over all lines (the fallback): `stepSeconds` is the non-negative least-squares
 * solution of `total - flops / flopRate = steps * stepSeconds` with each run's own epochs;
 * `sampleEpochs` is the median of `epochs * P / P_law` over the runs at `P >= P_law` (`Infinity`
 * when most of them stopped at the epoch cap). Returns `undefined` with fewer than `min` usable
 * lines.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { calibrateCost } from "./cost.ts";
 * // 0.01 s per step, free FLOPs; 10 epochs of a 20-epoch cap.
 * const line = (P: number) => ({ id: `${P}`, status: "ok", backend: "cpu",
 *   versions: {}, timings: { total: 10 * (P / 10) * 0.01 }, metrics: { testError: 0, epochs: 10 },
 *   run: { P, test: 0, params: { L: 2, s: 2, s0: 0, v: 2, m: 2, nc: 2 }, network: { kind: "cnn", width: 1 },
 *     measure: { sensitivities: false, perClass: 0 }, training: { batch: 10, maxEpochs: 20, evalEvery: 10 } } });
 * const flopRates = { cnn: Infinity, lcn: Infinity, fcn: Infinity };
 * const m = calibrateCost([100, 200, 300, 400, 500].map(line) as never[], "test", { flopRates })!;
 * assert.ok(Math.abs(m.groups["cnn L=2"].stepSeconds - 0.01) < 1e-12);
 * assert.equal(m.groups.lcn, undefined);
 * ```
 */
export function calibrateCost(
  results: readonly ResultLine[],
  source: string,
  options: { readonly flopRates?: FlopRates; readonly min?: number } = {},
): CostModel | undefined {
  const flopRates = options.flopRates ?? FLOP_RATES;
  const min = options.min ?? 5;
  const rows = results.flatMap((r) => {
    const total = Number(r.timings.total);
    const epochs = Number(r.metrics?.epochs);
    if (r.status !== "ok" || !(total > 0) || !(epochs > 0)) return [];
    const w = workload(r.run, epochs);
    return [{
      keys: [r.run.network.kind, groupKey(r.run)],
      row: {
        total,
        capped: epochs >= r.run.training.maxEpochs,
        budget: epochs * r.run.P / center(r.run),
        large: r.run.P >= center(r.run),
        steps: w.steps,
        productSeconds: w.flops / flopRates[r.run.network.kind],
      },
    }];
  });
  if (rows.length < min) return undefined;
  const groups: Record<string, KindCost> = {};
  for (const key of [...new Set(rows.flatMap((r) => r.keys))].sort()) {
    const mine = rows.filter((r) => r.keys.includes(key)).map((r) => r.row);
    if (mine.length >= min) groups[key] = kindCost(mine);
  }
  const counts = Object.entries(Object.groupBy(rows, (r) => r.keys[1]))
    .map(([k, v]) => `${v?.length} ${k}`).join(", ");
  return {
    flopRates,
    groups,
    fallback: kindCost(rows.map((r) => r.row)),
    source: `${source} (runs: ${counts})`,
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
