/**
 * From the result lines of `architectures` to the summary's input: each run's network, seed, test
 * error, sensitivity tables and the names of its hidden representations; and the protocol line.
 *
 * @module
 */
import { makeGrammar } from "@srhm/generators";
import { deepConfig, isDeepNetKind } from "@srhm/networks/kinds";
import type { ResultLine } from "../store.ts";
import type { Run } from "../plan.ts";
import { ARCHITECTURES_PRESETS, type ArchitecturesOptions } from "./plan.ts";
import type { ArchRun } from "./summary.ts";

/**
 * The names of a run's hidden representations: `hidden1 ... hiddenL` for the hierarchical
 * networks, the block names (`conv1`, `pool1`, `stage2.block1`, `mb7`, ...) for the standard ones.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { architecturesPlan } from "./plan.ts";
 * import { layerNames } from "./runs.ts";
 * const plan = architecturesPlan({ scale: "small", seeds: 1, nets: ["cnn", "resnet18"] });
 * assert.deepEqual(layerNames(plan.runs[0]), ["hidden1", "hidden2"]);
 * assert.equal(layerNames(plan.runs[1])[0], "stem");
 * ```
 */
export function layerNames(run: Run): string[] {
  const kind = run.network.kind as string;
  if (!isDeepNetKind(kind)) {
    return Array.from({ length: run.params.L }, (_, k) => `hidden${k + 1}`);
  }
  const grammar = makeGrammar(run.params);
  const config = deepConfig(kind, {
    width: run.network.width,
    channels: run.params.v,
    length: grammar.d,
    classes: run.params.nc,
  });
  return config.blocks.slice(0, -1).map((b) => b.name);
}

/**
 * The successful results with sensitivities, as the summary's input.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { archRuns } from "./runs.ts";
 * assert.deepEqual(archRuns([]), []);
 * ```
 */
export function archRuns(results: readonly ResultLine[]): ArchRun[] {
  return results
    .filter((r) => r.status === "ok" && r.metrics?.S !== undefined && r.metrics?.D !== undefined)
    .map((r) => ({
      net: r.run.network.kind,
      seed: r.run.seed,
      testError: r.metrics!.testError,
      S: r.metrics!.S!,
      D: r.metrics!.D!,
      layers: layerNames(r.run),
    }));
}

/**
 * The protocol in one line, for the report (`synonymVariant`: that of the runs, default the
 * authors' `redraw`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { protocolLine } from "./runs.ts";
 * assert.ok(protocolLine({ scale: "small" }, 2).startsWith("Scale small: SRHM L = s = s0 = 2"));
 * ```
 */
export function protocolLine(
  options: Pick<ArchitecturesOptions, "scale">,
  seeds: number,
  synonymVariant: string = "redraw",
): string {
  const p = ARCHITECTURES_PRESETS[options.scale];
  const h = p.hierarchical;
  const d = p.deep;
  return `Scale ${options.scale}: SRHM L = s = s0 = 2, v = m = nc = 10 (d = 36), P = ${p.P}, ` +
    `${p.test} test data (iid), ${seeds} seed(s); cnn/lcn H = ${h.width}, batch ${h.batch}, ` +
    `<= ${h.maxEpochs} epochs, reference lr; standard networks width ${d.width}, batch ` +
    `${d.batch}, <= ${d.maxEpochs} epochs, base lr ${d.lr(p.hierarchical as never, "vgg11")} ` +
    `x width, weight decay ${d.weightDecay}; best test error over evaluations every ` +
    `${p.evalEvery} epochs; sensitivities on ${p.perClass} fresh data per class, synonym ` +
    `exchange \`${synonymVariant}\`, level 1 only.`;
}
