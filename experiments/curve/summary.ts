/**
 * The summary of learning curves: results are grouped into learning curves (runs that differ only
 * in `P`, `seed` and the grammar seed, and in the learning rate within a grid), each curve is
 * averaged over seeds per P, and `P*`, `P*_S`, `P*_D` are read off it with `@srhm/metrics`, beside
 * the paper's prediction. A seed is the pair (grammar seed, seed). Within a learning-rate grid
 * only the best rate of each point counts (`chooseLr`). Pure functions over result lines.
 *
 * Conventions: `S[k][l]` and `D[k][l]` are indexed by layer then level: `k = 0..L-1` the hidden
 * layers 1..L, `k = L` the logits; `l = 0..L-1` the levels 1..L. `S_2 = S[1][0]` (for L = 1 the
 * logits). A sensitivity that came out undefined (`0/0`, stored as `null`) is `NaN` here.
 *
 * @module
 */
import {
  type Crossing,
  type HierarchicalKind,
  predictCnn,
  predictLcn,
  pStar,
  PSTAR_THRESHOLD,
  pStarD,
  pStarS,
  referenceThresholds,
} from "@srhm/metrics";
import { canonicalJson } from "../canonical_json.ts";
import { chooseLr, type LrChoice } from "../lr_grid.ts";
import { AUTHORS_PROTOCOL, legacyProtocol } from "../protocol.ts";
import { protocolLine } from "../protocol_line.ts";
import type { Run } from "../plan.ts";
import type { ResultLine, SensitivityTable } from "../store.ts";

/** One P of a learning curve, averaged over the seeds that succeeded. */
export interface CurvePointSummary {
  /** Training-set size. */
  readonly P: number;
  /** Mean best test error over seeds, and its standard deviation (0 with one seed). */
  readonly testError: number;
  /** Standard deviation of the test error over seeds (0 with one seed). */
  readonly testErrorStd: number;
  /** Mean sensitivities (layer then level), empty when not measured. */
  readonly S: SensitivityTable;
  /** Mean diffeomorphism sensitivities (layer then level), empty when not measured. */
  readonly D: SensitivityTable;
  /** Standard deviations over seeds, same layout. */
  readonly SStd: SensitivityTable;
  /** Standard deviations of `D` over seeds. */
  readonly DStd: SensitivityTable;
  /** Seeds that succeeded, and failed. */
  readonly seeds: number;
  /** Runs at this P that failed. */
  readonly failed: number;
  /** Mean epochs and training seconds. */
  readonly epochs: number;
  /** Mean training seconds. */
  readonly seconds: number;
}

/** A learning curve with its sample complexities. */
export interface CurveSummary {
  /** The experiment's name. */
  readonly experiment: string;
  /** The grammar's parameters. */
  readonly params: Run["params"];
  /** The network. */
  readonly network: Run["network"];
  /** The training recipe. */
  readonly training: Run["training"];
  /** `P*` (test error crosses `thresholds.error`), or `null` when not reached (see `notes`). */
  readonly pstar: number | null;
  /** `P*_S` (`S_2` crosses `thresholds.S`) and `P*_D` (`D_2` crosses `thresholds.D`), or `null`. */
  readonly pstarS: number | null;
  /** `P*_D`, or `null` when not reached. */
  readonly pstarD: number | null;
  /** The paper's law for this network (`null` for the FCN or an unknown constant), and its name. */
  readonly predicted: number | null;
  /** The law's formula. */
  readonly law: string;
  /** `pstar / predicted`, or `null`. */
  readonly ratio: number | null;
  /** The thresholds that define `P*` (test error), `P*_S` (on S_2) and `P*_D` (on D_2). */
  readonly thresholds: {
    readonly error: number;
    readonly S: number | null;
    readonly D: number | null;
  };
  /** One per P, increasing. */
  readonly points: CurvePointSummary[];
  /** Why a value is `null`, one sentence each. */
  readonly notes: string[];
  /** The protocol of the curve's runs in one line (`protocolLine`). */
  readonly protocol: string;
  /** With a learning-rate grid: the run chosen at each point (P, grammar seed, seed). */
  readonly lrChoices?: LrChoice[];
}

/**
 * The key of the curve a run belongs to: everything but `P`, `seed`, `test`, `id`, `experiment`,
 * the grammar seed (`params.seed`: seeds vary it), and the learning rate (a grid's rates belong to
 * one curve; see `chooseLr`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { curveKey } from "./summary.ts";
 * const run = (P: number) => ({ id: `${P}`, experiment: "curve", P, seed: 0, test: 9, params: { s0: 1 } }) as never;
 * assert.ok(curveKey(run(10)) === curveKey(run(20)));
 * ```
 */
export function curveKey(run: Run): string {
  const { P: _P, seed: _seed, test: _test, id: _id, experiment: _e, ...rest } = run;
  const { seed: _grammarSeed, ...params } = rest.params ?? {};
  const training = { ...rest.training, lr: undefined };
  return canonicalJson({ ...rest, params, training });
}

const mean = (xs: readonly number[]): number =>
  xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: readonly number[]): number => {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};
const num = (x: unknown): number => (typeof x === "number" ? x : NaN);

function tableStat(
  tables: readonly SensitivityTable[],
  stat: (xs: number[]) => number,
): SensitivityTable {
  if (tables.length === 0) return [];
  return tables[0].map((row, k) =>
    row.map((_, l) => {
      const xs = tables.map((t) => num(t[k]?.[l])).filter((x) => !Number.isNaN(x));
      return xs.length === 0 ? NaN : stat(xs);
    })
  );
}

/**
 * Averages the results of one curve per P (the lines given must belong to one curve).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { curvePoints } from "./summary.ts";
 * const line = (P: number, seed: number, e: number) => ({ id: `${P}-${seed}`, status: "ok" as const,
 *   run: { P, seed } as never, backend: "cpu", versions: {}, timings: { train: 1 },
 *   metrics: { testError: e, epochs: 10 } });
 * const pts = curvePoints([line(10, 0, 0.5), line(10, 1, 0.3), line(20, 0, 0.1)]);
 * assert.ok(pts.length === 2 && Math.abs(pts[0].testError - 0.4) < 1e-12);
 * ```
 */
export function curvePoints(results: readonly ResultLine[]): CurvePointSummary[] {
  const byP = Map.groupBy(results, (r) => r.run.P);
  return [...byP.entries()].sort(([a], [b]) => a - b).map(([P, lines]) => {
    const ok = lines.filter((r) => r.status === "ok" && r.metrics !== null);
    const errors = ok.map((r) => num(r.metrics?.testError));
    const Ss = ok.map((r) => r.metrics?.S).filter((t): t is SensitivityTable => Array.isArray(t));
    const Ds = ok.map((r) => r.metrics?.D).filter((t): t is SensitivityTable => Array.isArray(t));
    return {
      P,
      testError: mean(errors),
      testErrorStd: std(errors),
      S: tableStat(Ss, mean),
      D: tableStat(Ds, mean),
      SStd: tableStat(Ss, std),
      DStd: tableStat(Ds, std),
      seeds: ok.length,
      failed: lines.length - ok.length,
      epochs: mean(ok.map((r) => num(r.metrics?.epochs))),
      seconds: mean(ok.map((r) => num(r.timings.train ?? r.timings.total))),
    };
  });
}

/**
 * The paper's `P*` law for a run's network: `2.5 (s0+1)^2 nc m^L`-type for the CNN (`predictCnn`),
 * `s^(L/2) (s0+1)^L nc m^L` for the LCN (`predictLcn`), none for the FCN.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { predictedPstar } from "./summary.ts";
 * const p = predictedPstar("cnn", { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 });
 * assert.ok(p.value === 640);
 * ```
 */
export function predictedPstar(
  kind: Run["network"]["kind"],
  params: Run["params"],
): { value: number | null; law: string } {
  try {
    if (kind === "cnn") return { value: predictCnn(params), law: "C1 (s0+1)^2 nc m^L" };
    if (kind === "lcn") return { value: predictLcn(params), law: "C0 s^(L/2) (s0+1)^L nc m^L" };
  } catch (e) {
    return { value: null, law: `none (${e instanceof Error ? e.message : e})` };
  }
  return { value: null, law: "none (the paper gives no law for the FCN)" };
}

const reachedP = (c: Crossing, what: string, notes: string[]): number | null => {
  if (c.reached) return c.P;
  notes.push(`${what}: ${c.reason}`);
  return null;
};

/**
 * Summarises one learning curve (lines of runs that differ only in P and seed).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarizeCurve } from "./summary.ts";
 * const params = { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 } as const;
 * const run = (P: number) => ({ P, seed: 0, params, network: { kind: "cnn" }, training: {} }) as never;
 * const line = (P: number, e: number) => ({ id: `${P}`, status: "ok" as const, run: run(P),
 *   backend: "cpu", versions: {}, timings: {}, metrics: { testError: e } });
 * const s = summarizeCurve([line(256, 0.5), line(1024, 0.05)]);
 * assert.ok(s.pstar !== null && s.pstar > 256 && s.pstar < 1024 && s.predicted === 640);
 * ```
 */
export function summarizeCurve(
  results: readonly ResultLine[],
  options: { errorThreshold?: number; S?: number; D?: number } = {},
): CurveSummary {
  if (results.length === 0) throw new RangeError("summarizeCurve: results must not be empty");
  const protocol = protocolLine(results.map((r) => r.run));
  const { lines, choices } = chooseLr(results);
  const run = lines[0].run;
  const notes: string[] = [];
  const points = curvePoints(lines);
  const error = options.errorThreshold ?? PSTAR_THRESHOLD;
  const defined = (f: (p: CurvePointSummary) => number) =>
    points.map((p) => ({ P: p.P, value: f(p) })).filter((p) => !Number.isNaN(p.value));
  const pstar = reachedP(pStar(defined((p) => p.testError), error), "P*", notes);
  let ref: { S: number; D: number } | null = null;
  try {
    if (run.network.kind !== "fcn") ref = referenceThresholds(run.network.kind, run.params.L);
  } catch (e) {
    notes.push(`no reference thresholds on S_2, D_2: ${e instanceof Error ? e.message : e}`);
  }
  const tS = options.S ?? ref?.S ?? null;
  const tD = options.D ?? ref?.D ?? null;
  const layer2 = 1;
  const S2 = defined((p) => num(p.S[layer2]?.[0]));
  const D2 = defined((p) => num(p.D[layer2]?.[0]));
  // The thresholds are always given here, so `kind` does not pick them (the FCN may have some).
  const on = (threshold: number) => ({
    kind: run.network.kind as HierarchicalKind,
    L: run.params.L,
    threshold,
  });
  const pstarS = tS === null || S2.length === 0
    ? (notes.push("P*_S: no S_2 measured or no threshold"), null)
    : reachedP(pStarS(S2, on(tS)), "P*_S", notes);
  const pstarD = tD === null || D2.length === 0
    ? (notes.push("P*_D: no D_2 measured or no threshold"), null)
    : reachedP(pStarD(D2, on(tD)), "P*_D", notes);
  const m = legacyProtocol(run).measure;
  const a = AUTHORS_PROTOCOL.measure;
  if (
    ref !== null && options.S === undefined &&
    (m.synonymVariant !== a.synonymVariant || m.cumulative !== a.cumulative ||
      m.denominator !== a.denominator)
  ) {
    notes.push(
      `the thresholds on S_2, D_2 were tuned by the authors on synonym ${a.synonymVariant}, ` +
        `cumulative, denominator ${a.denominator}; these runs used synonym ${m.synonymVariant}, ` +
        `${m.cumulative ? "cumulative" : "level l only"}, denominator ${m.denominator}`,
    );
  }
  const { value: predicted, law } = predictedPstar(run.network.kind, run.params);
  return {
    experiment: run.experiment,
    params: run.params,
    network: run.network,
    training: run.training,
    pstar,
    pstarS,
    pstarD,
    predicted,
    law,
    ratio: pstar !== null && predicted !== null ? pstar / predicted : null,
    thresholds: { error, S: tS, D: tD },
    points,
    notes,
    protocol,
    ...(choices.length > 0 ? { lrChoices: choices } : {}),
  };
}

/**
 * Splits results into learning curves (by `curveKey`), in first-seen order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { groupCurves } from "./summary.ts";
 * const line = (s0: number, P: number) => ({ id: `${s0}-${P}`, status: "ok" as const,
 *   run: { P, seed: 0, params: { s0 } } as never, backend: "cpu", versions: {}, timings: {}, metrics: { testError: 0 } });
 * assert.ok(groupCurves([line(1, 8), line(2, 8), line(1, 16)]).length === 2);
 * ```
 */
export function groupCurves(results: readonly ResultLine[]): ResultLine[][] {
  return [...Map.groupBy(results, (r) => curveKey(r.run)).values()];
}

/**
 * `P*` of each seed's own learning curve (one per seed, a seed being the pair (grammar seed,
 * seed), sorted; `null` where that curve does not cross). Within a learning-rate grid, the best
 * rate of each point (`chooseLr`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seedPstars } from "./summary.ts";
 * const params = { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 } as const;
 * const line = (P: number, seed: number, e: number) => ({ id: `${P}-${seed}`, status: "ok" as const,
 *   run: { P, seed, params, network: { kind: "cnn" }, training: {} } as never,
 *   backend: "cpu", versions: {}, timings: {}, metrics: { testError: e } });
 * const ps = seedPstars([line(100, 0, 0.2), line(400, 0, 0.05), line(100, 1, 0.5), line(400, 1, 0.3)]);
 * assert.ok(ps.length === 2 && ps[0] !== null && ps[1] === null);
 * ```
 */
export function seedPstars(results: readonly ResultLine[]): (number | null)[] {
  const lines = chooseLr(results).lines;
  const seedOf = (r: ResultLine) => [r.run.params?.seed ?? 0, r.run.seed] as const;
  const keys = [...new Map(lines.map((r) => [seedOf(r).join(":"), seedOf(r)])).values()]
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return keys.map((key) => {
    const mine = lines.filter((r) => seedOf(r).join(":") === key.join(":"));
    const points = curvePoints(mine).map((p) => ({ P: p.P, value: p.testError }))
      .filter((p) => !Number.isNaN(p.value));
    if (points.length === 0) return null;
    const c = pStar(points);
    return c.reached ? c.P : null;
  });
}

/** The summary of a curve experiment: the first curve's fields, and every curve. */
export type CurveExperimentSummary =
  & { readonly type: "curve"; readonly curves: CurveSummary[] }
  & CurveSummary;

/**
 * Summarises the results of a curve experiment: one `CurveSummary` per learning curve in them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarizeCurves } from "./summary.ts";
 * const params = { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 } as const;
 * const line = (P: number, e: number) => ({ id: `${P}`, status: "ok" as const, backend: "cpu",
 *   versions: {}, timings: {}, metrics: { testError: e },
 *   run: { experiment: "curve", P, seed: 0, params, network: { kind: "cnn" }, training: {} } as never });
 * const s = summarizeCurves([line(300, 0.3), line(900, 0.05)]);
 * assert.ok(s.type === "curve" && s.curves.length === 1 && s.pstar !== null);
 * ```
 */
export function summarizeCurves(results: readonly ResultLine[]): CurveExperimentSummary {
  const curves = groupCurves(results).map((g) => summarizeCurve(g));
  return { type: "curve", ...curves[0], curves };
}
