/**
 * The protocol of a set of runs in one line (`protocolLine`) and its learning-rate rule
 * (`lrRule`), for stdout, the report and `summary.json`.
 *
 * @module
 */
import { referenceLr } from "@srhm/networks/lr";
import type { Run, RunSpec, RunTraining } from "./plan.ts";
import { gridPointKey } from "./lr_grid.ts";
import { legacyProtocol } from "./protocol.ts";

const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];
const list = (xs: readonly (number | string | boolean)[]): string =>
  unique(xs).sort((a, b) => (typeof a === "number" && typeof b === "number" ? a - b : 0)).join("/");

/**
 * The learning-rate rule of a set of runs, in words: a grid, the authors' table, one fixed rate,
 * or rates given per run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lrRule } from "./protocol_line.ts";
 * const run = (s0: number, lr: number) => ({ params: { s: 2, L: 2, s0 }, network: { kind: "cnn" },
 *   training: { lr } }) as never;
 * assert.equal(lrRule([run(0, 0.01), run(1, 0.1), run(4, 0.03)]),
 *   "lr: the authors' table (0.01 at s0=0, 0.1 at s0=1, 0.03 at s0=4)");
 * assert.equal(lrRule([run(0, 0.1), run(1, 0.1)]), "lr: 0.1 at every point (not the authors' table)");
 * ```
 */
export function lrRule(runs: readonly (Pick<Run, "params" | "network" | "training">)[]): string {
  if (runs.length === 0) return "lr: —";
  const byPoint = new Map<string, Set<number>>();
  for (const r of runs) {
    const key = gridPointKey(r as Run);
    byPoint.set(key, (byPoint.get(key) ?? new Set()).add(r.training.lr));
  }
  const gridRates = unique([...byPoint.values()].filter((x) => x.size > 1).flatMap((x) => [...x]));
  if (gridRates.length > 0) {
    return `lr: grid ${list(gridRates)}, the best test error per point (P, seed) kept`;
  }
  const table = (r: (typeof runs)[number]) => {
    try {
      return referenceLr(r.network.kind, r.params.s, r.params.L, r.params.s0);
    } catch {
      return NaN;
    }
  };
  const at = (xs: readonly (typeof runs)[number][]) =>
    unique(
      xs.map((r) =>
        `${r.training.lr} at ${
          r.network.kind === "cnn" ? "" : `${r.network.kind} `
        }s0=${r.params.s0}`
      ),
    )
      .join(", ");
  if (runs.every((r) => r.training.lr === table(r))) return `lr: the authors' table (${at(runs)})`;
  const lrs = unique(runs.map((r) => r.training.lr));
  if (lrs.length === 1) return `lr: ${lrs[0]} at every point (not the authors' table)`;
  return `lr: given per point (${at(runs)}; not the authors' table)`;
}

/**
 * The whole protocol of a set of runs in one line: lr rule, batch, epochs, evaluation period and
 * stop rule, test size, sampling, seeds, FCN scaling (FCN runs only), and the conventions of the
 * sensitivities. Fields that differ between runs show every value (`a/b`). Runs lacking a
 * protocol field are read as `legacyProtocol` does.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { protocolLine } from "./protocol_line.ts";
 * import { makeRun } from "./plan.ts";
 * const run = makeRun({
 *   experiment: "curve",
 *   params: { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 },
 *   network: { kind: "cnn", width: 64, bias: "per-position", parametrisation: "mean-field" },
 *   training: { lr: 0.1, batch: 32, maxEpochs: 300, stopLoss: 1e-3, evalEvery: 5, encoding: "onehot", backend: "cpu" },
 *   measure: { sensitivities: true, perClass: 20 },
 *   P: 512, test: 2000, seed: 0,
 * });
 * const line = protocolLine([run]);
 * assert.match(line, /^protocol: lr: the authors' table/);
 * assert.match(line, /synonym redraw, cumulative, denominator batch-pairs/);
 * ```
 */
export function protocolLine(runs: readonly (RunSpec | Run)[]): string {
  if (runs.length === 0) return "protocol: — (no runs)";
  const rs = runs.map((r) => legacyProtocol(r));
  const t = (f: (r: RunTraining) => number | string | boolean) =>
    list(rs.map((r) => f(r.training)));
  const grammarSeeds = unique(rs.map((r) => r.params?.seed ?? 0));
  const seeds = unique(rs.map((r) => `${r.params?.seed ?? 0}:${r.seed}`)).length;
  const seedText = grammarSeeds.length > 1
    ? `${seeds} seeds varying grammar, data and init (grammar seeds ${list(grammarSeeds)})`
    : `${seeds} seed(s) of data and init, grammar seed ${grammarSeeds[0]}`;
  const fcn = rs.filter((r) => r.network.kind === "fcn");
  const stop = (r: RunTraining) =>
    `${r.stopLoss} checked ${r.stopCheck === "eval" ? "at evaluations" : "every epoch"}`;
  const measured = rs.filter((r) => r.measure.sensitivities);
  const sens = measured.length === 0 ? "S, D: not measured" : [
    `S, D: synonym ${list(measured.map((r) => r.measure.synonymVariant ?? ""))}`,
    list(measured.map((r) => r.measure.cumulative ? "cumulative" : "level l only")),
    `denominator ${list(measured.map((r) => r.measure.denominator ?? ""))}`,
    `${list(measured.map((r) => r.measure.perClass))} fresh data per class`,
  ].join(", ");
  return [
    `protocol: ${lrRule(rs)}`,
    `batch ${t((r) => r.batch)}`,
    `≤ ${t((r) => r.maxEpochs)} epochs, test error every ${t((r) => r.evalEvery)}`,
    `stop at loss ${t(stop)}`,
    `test ${list(rs.map((r) => r.test))}`,
    `${t((r) => r.mode ?? "")} ${t((r) => r.balanced ? "class-balanced" : "unbalanced")} sets`,
    seedText,
    ...(fcn.length > 0 ? [`FCN scale ${list(fcn.map((r) => r.network.fcnScale ?? ""))}`] : []),
    sens,
  ].join("; ");
}
