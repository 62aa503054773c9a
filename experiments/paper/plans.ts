/**
 * The plans of the paper's figures (pure): each figure's plan is the union of the plans of its
 * invocations; several figures make one plan whose runs are each listed once; `--dry-run` prints
 * their runs and estimated time.
 *
 * @module
 */
import { makePlan, type Plan } from "../plan.ts";
import type { ResultLine } from "../store.ts";
import {
  droppedPoints,
  figurePoints,
  type PaperFigure,
  type PaperScale,
  runsOwner,
} from "./catalogue.ts";
import { calibrateCost, type CostModel, DEFAULT_COST, estimatePlan, humanSeconds } from "./cost.ts";
import { figureInvocations, type Invocation } from "./invocations.ts";

/** Turns an invocation of an experiment into its plan (`planOfInvocation`). */
export type PlanOf = (invocation: Invocation) => Plan;

/** The options of the paper experiment. */
export interface PaperOptions {
  /** The scale the figures are computed at. */
  readonly scale: PaperScale;
  /** Seeds per P (default 1). */
  readonly seeds?: number;
}

/** A figure with its invocations and plan. */
export interface FigurePlan {
  /** The figure. */
  readonly figure: PaperFigure;
  /** The invocations of experiments that compute its runs. */
  readonly invocations: readonly Invocation[];
  /** The union of the invocations' plans. */
  readonly plan: Plan;
}

/**
 * The plan of each figure (the union of the plans of its invocations).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figureById } from "./catalogue.ts";
 * import { figurePlans } from "./plans.ts";
 * import { makePlan } from "../plan.ts";
 * const [fp] = figurePlans([figureById("4c")], { scale: "small" }, (i) => makePlan(i.experiment, {}, []));
 * assert.equal(fp.invocations.length, 3);
 * assert.equal(fp.plan.experiment, "paper");
 * ```
 */
export function figurePlans(
  figures: readonly PaperFigure[],
  options: PaperOptions,
  planOf: PlanOf,
): FigurePlan[] {
  const out: FigurePlan[] = [];
  for (const figure of figures) {
    const invocations = figureInvocations(figure, options);
    const plans = invocations.map(planOf);
    const plan = makePlan(
      "paper",
      { figure: figure.id, scale: options.scale, seeds: options.seeds ?? 1 },
      plans.flatMap((p) => p.runs),
    );
    out.push({ figure, invocations, plan });
  }
  return out;
}

/**
 * One plan for several figures: the union of their runs, each once, in first-seen order (the
 * positions define the shards of `slurm paper`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unionPlan } from "./plans.ts";
 * assert.equal(unionPlan([], { scale: "small" }).runs.length, 0);
 * ```
 */
export function unionPlan(plans: readonly FigurePlan[], options: PaperOptions): Plan {
  return makePlan(
    "paper",
    { figures: plans.map((p) => p.figure.id), scale: options.scale, seeds: options.seeds ?? 1 },
    plans.flatMap((p) => p.plan.runs),
  );
}

/**
 * The lines of `--dry-run`: per figure its runs (and how many are already in the results), its
 * estimated time, and the points its scale drops from the paper's grid; then the total over the
 * distinct runs, and how the estimate was made.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figureById } from "./catalogue.ts";
 * import { dryRunLines } from "./plans.ts";
 * import { makePlan } from "../plan.ts";
 * const plan = makePlan("paper", {}, []);
 * const lines = dryRunLines([{ figure: figureById("13"), invocations: [], plan }], new Set(), { scale: "small" });
 * assert.ok(lines[0].startsWith("13\t0 runs"));
 * assert.ok(lines.some((l) => l.startsWith("total\t0 distinct runs")));
 * ```
 */
export function dryRunLines(
  plans: readonly FigurePlan[],
  done: ReadonlySet<string>,
  options: PaperOptions,
  model: CostModel = DEFAULT_COST,
): string[] {
  const lines = plans.flatMap(({ figure, plan }) => {
    const e = estimatePlan(plan.runs, done, model);
    const owner = runsOwner(figure);
    const shared = owner.id !== figure.id ? ` (the runs of figure ${owner.id})` : "";
    const dropped = droppedPoints(figure, options.scale);
    return [
      `${figure.id}\t${e.runs} runs${shared}, ${e.done} done, about ${
        humanSeconds(e.seconds)
      } of CPU time left`,
      ...(dropped.length > 0
        ? [
          `  drops ${dropped.length} of the paper's ${
            figurePoints(figure, "paper").length
          } grammars: ${dropped.join("; ")}`,
        ]
        : []),
    ];
  });
  const total = estimatePlan(unionPlan(plans, options).runs, done, model);
  return [
    ...lines,
    `total\t${total.runs} distinct runs, ${total.done} done, about ${
      humanSeconds(total.seconds)
    } of CPU time left`,
    `estimate: ${model.source}`,
  ];
}

/**
 * What the runs of a figure cost, from their own result lines: how many succeeded and failed, the
 * sum of their recorded `timings.total` (wall-clock seconds per run), and when the first and the
 * last started.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runTimesLine } from "./plans.ts";
 * const line = (total: number, startedAt: string) => ({ status: "ok", timings: { total, startedAt } }) as never;
 * assert.equal(
 *   runTimesLine([line(30, "2026-12-01T22:01:00Z"), line(60, "2026-12-01T22:05:00Z")]),
 *   "2 runs (0 failed) took 90 s of wall-clock time in all, started between 2026-12-01T22:01 and 2026-12-01T22:05 UTC.",
 * );
 * assert.equal(runTimesLine([]), "No run of this figure is in the results yet.");
 * ```
 */
export function runTimesLine(lines: readonly ResultLine[]): string {
  if (lines.length === 0) return "No run of this figure is in the results yet.";
  const total = lines.reduce((t, r) => t + (Number(r.timings.total) || 0), 0);
  const starts = lines.map((r) => String(r.timings.startedAt ?? "")).filter((x) => x !== "")
    .sort();
  const failed = lines.filter((r) => r.status !== "ok").length;
  return `${lines.length} runs (${failed} failed) took ${humanSeconds(total)} of wall-clock time ` +
    `in all` +
    (starts.length > 0
      ? `, started between ${starts[0].slice(0, 16)} and ${starts.at(-1)!.slice(0, 16)} UTC.`
      : ".");
}

/**
 * The cost model for a dry run: the groups (network kind and depth) refitted on the results
 * already in the output directory where it holds at least 5 measured runs of them, the others
 * (and the fallback) those of `DEFAULT_COST`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { costModelFor } from "./plans.ts";
 * import { DEFAULT_COST } from "./cost.ts";
 * assert.equal(costModelFor([], "x"), DEFAULT_COST);
 * ```
 */
export function costModelFor(results: readonly ResultLine[], resultsFile: string): CostModel {
  const fit = calibrateCost(results, `the runs measured in ${resultsFile}`);
  if (fit === undefined) return DEFAULT_COST;
  return {
    ...DEFAULT_COST,
    groups: { ...DEFAULT_COST.groups, ...fit.groups },
    source: `${fit.source} and, for the other networks, ${DEFAULT_COST.source}`,
  };
}
