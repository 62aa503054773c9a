/**
 * The plan of the hierarchy experiment: a learning curve with the sensitivities of every layer to
 * every level always measured.
 *
 * @module
 */
import { type CurveOptions, curveRuns } from "../curve/plan.ts";
import { makePlan, type Plan } from "../plan.ts";

/**
 * The plan: the curve's runs under the name `hierarchy`, with the sensitivities always measured.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hierarchyPlan } from "./plan.ts";
 * const plan = hierarchyPlan({
 *   params: { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 },
 *   network: { kind: "cnn", width: 32, bias: "per-position", parametrisation: "mean-field" },
 *   training: { lr: 0.1, batch: 32, maxEpochs: 50, stopLoss: 1e-3, evalEvery: 5, encoding: "onehot", backend: "cpu" },
 *   measure: { sensitivities: false, perClass: 20 },
 *   P: [100], seeds: 1, test: 1000,
 * });
 * assert.ok(plan.runs[0].measure.sensitivities && plan.experiment === "hierarchy");
 * ```
 */
export function hierarchyPlan(options: CurveOptions): Plan {
  const measured = { ...options, measure: { ...options.measure, sensitivities: true } };
  return makePlan("hierarchy", { ...measured }, curveRuns("hierarchy", measured));
}
