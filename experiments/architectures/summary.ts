/**
 * The summary of the `architectures` experiment (the paper's Figure 1 on one SRHM): per network,
 * its test error and its sensitivities `D_{k,1}`, `S_{k,1}` (level-1 transformations) at the
 * logits (`output`), at the representation at 80 % of its depth (`depth80`: hidden representation
 * `int(0.8 n)` of `n`, 0-based, the authors' rule) and at the last hidden representation
 * (`lastHidden`), each with the name of the layer; and, for `D` and `S` at `output` and `depth80`,
 * Spearman's rank correlation between the networks' mean test errors and mean sensitivities, with a
 * bootstrap 95 % interval over seeds (each network's seeds resampled with replacement).
 *
 * @module
 */
import { makeRng } from "@srhm/generators";
import { spearman } from "@srhm/metrics";

/** Where a sensitivity is measured. */
export type Site = "output" | "depth80" | "lastHidden";

/** The sites, in order. */
export const SITES: readonly Site[] = ["output", "depth80", "lastHidden"];

/** The four correlations of `summary.json`. */
export const CORRELATED = ["D_output", "S_output", "D_depth80", "S_depth80"] as const;

/** One of `CORRELATED`. */
export type Correlated = (typeof CORRELATED)[number];

/** One trained network: its test error and its sensitivity tables (rows: hidden..., logits). */
export interface ArchRun {
  /** The network (`cnn`, `vgg11`, ...). */
  readonly net: string;
  /** The run's seed. */
  readonly seed: number;
  /** Best test error. */
  readonly testError: number;
  /** `S[k][l]`: hidden representation k (the last row: the logits), level l + 1. */
  readonly S: readonly (readonly number[])[];
  /** `D[k][l]`, the same layout. */
  readonly D: readonly (readonly number[])[];
  /** The hidden representations' names, first to last (`S.length - 1` of them). */
  readonly layers: readonly string[];
}

/** Rows of the three sites in a table of `hidden + 1` rows. */
export interface SiteRows {
  readonly output: number;
  readonly depth80: number;
  readonly lastHidden: number;
}

/**
 * The rows of the sites for a network with `hidden` hidden representations: the logits are row
 * `hidden`, `depth80` row `int(0.8 * hidden)`, `lastHidden` row `hidden - 1`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { siteRows } from "./summary.ts";
 * assert.deepEqual(siteRows(13), { output: 13, depth80: 10, lastHidden: 12 }); // vgg11
 * assert.deepEqual(siteRows(2), { output: 2, depth80: 1, lastHidden: 1 }); // cnn, L = 2
 * ```
 */
export function siteRows(hidden: number): SiteRows {
  if (!Number.isSafeInteger(hidden) || hidden < 1) {
    throw new RangeError(`siteRows: hidden must be an integer >= 1 (got ${hidden})`);
  }
  return { output: hidden, depth80: Math.floor(0.8 * hidden), lastHidden: hidden - 1 };
}

/** A sensitivity at one site: mean over seeds and the per-seed values. */
export interface SiteValue {
  /** Mean over the seeds (non-finite values left out; `NaN` if none). */
  readonly mean: number;
  /** One value per seed, in the seeds' order. */
  readonly values: readonly number[];
}

/** One network's line of `summary.json`. */
export interface ArchitectureEntry {
  /** The network. */
  readonly net: string;
  /** Seeds, ascending. */
  readonly seeds: readonly number[];
  /** Mean test error over the seeds. */
  readonly testError: number;
  /** Per-seed test errors. */
  readonly testErrors: readonly number[];
  /** `S_{k,1}` at each site. */
  readonly S: Readonly<Record<Site, SiteValue>>;
  /** `D_{k,1}` at each site. */
  readonly D: Readonly<Record<Site, SiteValue>>;
  /** The layer measured at each site (`logits` at the output). */
  readonly layers: Readonly<Record<Site, string>>;
}

/** A rank correlation with its bootstrap interval. */
export interface CorrelationEntry {
  /** `D_output`, `S_output`, `D_depth80` or `S_depth80`. */
  readonly measure: Correlated;
  /** Spearman's rank correlation of the networks' mean test errors and mean sensitivities. */
  readonly spearman: number;
  /** Bootstrap 95 % interval (2.5 % and 97.5 % quantiles; `NaN` where undefined). */
  readonly interval: readonly [number, number];
  /** Networks in the correlation. */
  readonly networks: number;
  /** Bootstrap resamples. */
  readonly resamples: number;
}

/** What the experiment's `summary.json` holds. */
export interface ArchitecturesSummary {
  /** One entry per network, in the order of first appearance. */
  readonly architectures: readonly ArchitectureEntry[];
  /** The four correlations. */
  readonly correlation: readonly CorrelationEntry[];
}

const finiteMean = (xs: readonly number[]): number => {
  const f = xs.filter(Number.isFinite);
  return f.length === 0 ? NaN : f.reduce((a, b) => a + b, 0) / f.length;
};

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = q * (sorted.length - 1);
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}

/** The level-1 value of `table` at `site` for a run. */
function at(run: ArchRun, table: "S" | "D", site: Site): number {
  const rows = siteRows(run.S.length - 1);
  return run[table][rows[site]]?.[0] ?? NaN;
}

/**
 * Summarises trained networks: the entries per network and the four correlations, with
 * `resamples` bootstrap resamples drawn from `makeRng(seed, "bootstrap", b)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarizeArchitectures } from "./summary.ts";
 * const run = (net: string, seed: number, e: number) => ({
 *   net, seed, testError: e, layers: ["h1", "h2"],
 *   S: [[e], [e], [e]], D: [[2 * e], [2 * e], [2 * e]],
 * });
 * const s = summarizeArchitectures(
 *   [run("a", 0, 0.1), run("a", 1, 0.12), run("b", 0, 0.3), run("b", 1, 0.28), run("c", 0, 0.5)],
 *   { resamples: 50 },
 * );
 * assert.equal(s.architectures.length, 3);
 * assert.equal(s.architectures[0].layers.depth80, "h2");
 * assert.equal(s.correlation[0].measure, "D_output");
 * assert.equal(s.correlation[0].spearman, 1);
 * ```
 */
export function summarizeArchitectures(
  runs: readonly ArchRun[],
  options: { readonly resamples?: number; readonly seed?: number } = {},
): ArchitecturesSummary {
  const resamples = options.resamples ?? 1000;
  const seed = options.seed ?? 0;
  const byNet = new Map<string, ArchRun[]>();
  for (const r of runs) byNet.set(r.net, [...(byNet.get(r.net) ?? []), r]);
  const architectures: ArchitectureEntry[] = [...byNet].map(([net, list]) => {
    const sorted = [...list].sort((a, b) => a.seed - b.seed);
    const table = (t: "S" | "D") =>
      Object.fromEntries(SITES.map((site) => {
        const values = sorted.map((r) => at(r, t, site));
        return [site, { mean: finiteMean(values), values }];
      })) as unknown as Record<Site, SiteValue>;
    const first = sorted[0];
    const rows = siteRows(first.S.length - 1);
    return {
      net,
      seeds: sorted.map((r) => r.seed),
      testError: finiteMean(sorted.map((r) => r.testError)),
      testErrors: sorted.map((r) => r.testError),
      S: table("S"),
      D: table("D"),
      layers: {
        output: "logits",
        depth80: first.layers[rows.depth80] ?? `hidden${rows.depth80 + 1}`,
        lastHidden: first.layers[rows.lastHidden] ?? `hidden${rows.lastHidden + 1}`,
      },
    };
  });
  const correlation = CORRELATED.map((measure): CorrelationEntry => {
    const [t, site] = measure.split("_") as ["S" | "D", Site];
    const errors = architectures.map((a) => a.testError);
    const sens = architectures.map((a) => a[t][site].mean);
    const rho = spearman(sens, errors);
    const boot: number[] = [];
    for (let b = 0; b < resamples; b++) {
      const rng = makeRng(seed, "bootstrap", b);
      const e: number[] = [];
      const s: number[] = [];
      for (const a of architectures) {
        const n = a.seeds.length;
        const picks = Array.from({ length: n }, () => rng.int(n));
        e.push(finiteMean(picks.map((i) => a.testErrors[i])));
        s.push(finiteMean(picks.map((i) => a[t][site].values[i])));
      }
      const r = spearman(s, e);
      if (Number.isFinite(r)) boot.push(r);
    }
    boot.sort((a, b) => a - b);
    return {
      measure,
      spearman: rho,
      interval: [quantile(boot, 0.025), quantile(boot, 0.975)],
      networks: architectures.length,
      resamples,
    };
  });
  return { architectures, correlation };
}
