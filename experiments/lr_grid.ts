/**
 * The learning rate as an experiment variable (`--lr-grid`, the authors' "grid search"): every
 * point (P, grammar seed, seed) of a curve is trained at each rate of the grid, every run is
 * recorded in `results.jsonl`, and the summaries keep, per point, the run with the best test
 * error (`chooseLr`); `summary.json` (`lrChoices`) and the report name the chosen runs.
 *
 * A grid point is recognised by its content: runs that differ only in `training.lr`. A grid run
 * is therefore the very run a fixed-rate experiment makes at that rate (same id), so the results
 * of fixed-rate experiments can seed a grid (copy their `results.jsonl` lines into the grid's
 * directory: the executor skips what is there), and a directory into which runs at several rates
 * were put is read as a grid over the rates it holds, which the protocol line says.
 *
 * @module
 */
import { canonicalJson } from "./canonical_json.ts";
import type { ResultLine } from "./store.ts";

/** One chosen run of a grid point. */
export interface LrChoice {
  /** The chosen run's id. */
  readonly id: string;
  /** Training-set size of the point. */
  readonly P: number;
  /** Grammar seed of the point. */
  readonly grammarSeed: number;
  /** Data and initialisation seed of the point. */
  readonly seed: number;
  /** The chosen rate. */
  readonly lr: number;
  /** Its best test error. */
  readonly testError: number;
  /** The best test error at each rate of the grid (`NaN`: failed or missing). */
  readonly byLr: Readonly<Record<string, number>>;
}

/** What `chooseLr` returns. */
export interface LrSelection {
  /** The lines to summarise: every line outside a grid, and the chosen line of each grid point. */
  readonly lines: ResultLine[];
  /** One entry per grid point, in first-seen order. */
  readonly choices: LrChoice[];
}

/**
 * The key of a grid point: the run without its id and learning rate.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gridPointKey } from "./lr_grid.ts";
 * const run = (lr: number) => ({ id: `${lr}`, P: 8, training: { lr, batch: 4 } }) as never;
 * assert.equal(gridPointKey(run(0.1)), gridPointKey(run(0.01)));
 * ```
 */
export function gridPointKey(run: ResultLine["run"]): string {
  const { id: _id, training, ...rest } = run;
  const { lr: _lr, ...t } = training ?? {};
  return canonicalJson({ ...rest, training: t });
}

/**
 * Keeps, per grid point (runs that differ only in `training.lr`), the `ok` run with the lowest
 * test error (ties: the smaller rate); a point whose runs all failed keeps its first line, so that
 * the failure is counted. A point with one rate passes unchanged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseLr } from "./lr_grid.ts";
 * const line = (lr: number, e: number) => ({ id: `r${lr}`, status: "ok" as const, backend: "cpu",
 *   versions: {}, timings: {}, metrics: { testError: e },
 *   run: { P: 100, seed: 0, params: { seed: 0 }, training: { lr } } as never });
 * const { lines, choices } = chooseLr([line(0.01, 0.3), line(0.1, 0.2)]);
 * assert.equal(lines.length, 1);
 * assert.equal(choices[0].lr, 0.1);
 * assert.equal(choices[0].byLr["0.01"], 0.3);
 * assert.equal(chooseLr([line(0.1, 0.2)]).choices.length, 0);
 * ```
 */
export function chooseLr(results: readonly ResultLine[]): LrSelection {
  const points = new Map<string, ResultLine[]>();
  for (const r of results) {
    const key = gridPointKey(r.run);
    points.set(key, [...(points.get(key) ?? []), r]);
  }
  const rates = (lines: readonly ResultLine[]) =>
    [...new Set(lines.map((r) => r.run.training?.lr))].sort((a, b) => a - b);
  const lines: ResultLine[] = [];
  const choices: LrChoice[] = [];
  const grid = rates([...points.values()].filter((g) => rates(g).length > 1).flat());
  for (const group of points.values()) {
    if (rates(group).length < 2) {
      lines.push(...group);
      continue;
    }
    const error = (r: ResultLine) =>
      r.status === "ok" && typeof r.metrics?.testError === "number" ? r.metrics.testError : NaN;
    const ok = group.filter((r) => !Number.isNaN(error(r)))
      .sort((a, b) => error(a) - error(b) || a.run.training.lr - b.run.training.lr);
    const chosen = ok[0] ?? group[0];
    lines.push(chosen);
    if (ok.length === 0) continue;
    choices.push({
      id: chosen.id,
      P: chosen.run.P,
      grammarSeed: chosen.run.params?.seed ?? 0,
      seed: chosen.run.seed,
      lr: chosen.run.training.lr,
      testError: error(chosen),
      byLr: Object.fromEntries(
        grid.map((lr) => {
          const r = group.filter((g) => g.run.training.lr === lr);
          const e = r.map(error).filter((x) => !Number.isNaN(x));
          return [String(lr), e.length === 0 ? NaN : Math.min(...e)];
        }),
      ),
    });
  }
  return { lines, choices };
}
