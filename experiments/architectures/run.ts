/**
 * Running the `architectures` experiment into a directory: the runs (resumable: `results.jsonl`
 * is appended to, recorded runs are skipped), then `summary.json` (`architectures`,
 * `correlation`), the figure `architectures.svg`/`.png` and `report.md`.
 *
 * @module
 */
import { makeGrammar } from "@srhm/generators";
import { deepConfig, isDeepNetKind } from "@srhm/networks";
import { type ExecuteOptions, executePlan } from "../executor.ts";
import { readResults, type ResultLine } from "../store.ts";
import { writeFigure } from "../figures/render.ts";
import type { Run } from "../plan.ts";
import { architecturesFigure } from "./figure.ts";
import { ARCHITECTURES_PRESETS, type ArchitecturesOptions, architecturesPlan } from "./plan.ts";
import { architecturesReport } from "./report.ts";
import { type ArchitecturesSummary, type ArchRun, summarizeArchitectures } from "./summary.ts";

/**
 * The names of a run's hidden representations: `hidden1 ... hiddenL` for the hierarchical
 * networks, the block names (`conv1`, `pool1`, `stage2.block1`, `mb7`, ...) for the standard ones.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { architecturesPlan } from "./plan.ts";
 * import { layerNames } from "./run.ts";
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
 * import { archRuns } from "./run.ts";
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

/** The protocol in one line, for the report and the figure's caption. */
export function protocolLine(options: ArchitecturesOptions, seeds: number): string {
  const p = ARCHITECTURES_PRESETS[options.scale];
  const h = p.hierarchical;
  const d = p.deep;
  return `Scale ${options.scale}: SRHM L = s = s0 = 2, v = m = nc = 10 (d = 36), P = ${p.P}, ` +
    `${p.test} test data (iid), ${seeds} seed(s); cnn/lcn H = ${h.width}, batch ${h.batch}, ` +
    `<= ${h.maxEpochs} epochs, reference lr; standard networks width ${d.width}, batch ` +
    `${d.batch}, <= ${d.maxEpochs} epochs, base lr ${d.lr(p.hierarchical as never, "vgg11")} ` +
    `x width, weight decay ${d.weightDecay}; best test error over evaluations every ` +
    `${p.evalEvery} epochs; sensitivities on ${p.perClass} fresh data per class, synonym ` +
    "exchange `other`, level 1 only.";
}

/** What `runArchitectures` did and wrote. */
export interface ArchitecturesOutcome {
  /** Runs computed now / skipped (already recorded) / failed. */
  readonly ok: number;
  readonly skipped: number;
  readonly failed: number;
  /** The summary written to `summary.json`. */
  readonly summary: ArchitecturesSummary;
  /** The files written. */
  readonly files: readonly string[];
}

/**
 * Runs (or resumes) the experiment into `out` and writes its outputs.
 *
 * @example
 * ```ts ignore
 * await runArchitectures({ scale: "small" }, "results/architectures-small");
 * ```
 */
export async function runArchitectures(
  options: ArchitecturesOptions,
  out: string,
  execute: Omit<ExecuteOptions, "resultsFile"> = {},
): Promise<ArchitecturesOutcome> {
  const plan = architecturesPlan(options);
  await Deno.mkdir(out, { recursive: true });
  const resultsFile = `${out}/results.jsonl`;
  const execution = await executePlan(plan, { ...execute, resultsFile });
  const ids = new Set(plan.runs.map((r) => r.id));
  const results = (await readResults(resultsFile)).filter((r) => ids.has(r.id));
  return { ...execution, ...await writeArchitecturesOutputs(results, options, out) };
}

/**
 * Writes `summary.json`, the figure and `report.md` from results.
 *
 * @example
 * ```ts ignore
 * await writeArchitecturesOutputs(results, { scale: "small" }, "results/x");
 * ```
 */
export async function writeArchitecturesOutputs(
  results: readonly ResultLine[],
  options: ArchitecturesOptions,
  out: string,
): Promise<{ summary: ArchitecturesSummary; files: string[] }> {
  const runs = archRuns(results);
  const summary = summarizeArchitectures(runs);
  const seeds = Math.max(0, ...summary.architectures.map((a) => a.seeds.length));
  const protocol = protocolLine(options, seeds);
  const seconds = results.reduce((s, r) => s + Number(r.timings.total ?? 0), 0);
  const files = [`${out}/summary.json`, `${out}/report.md`];
  await Deno.writeTextFile(
    files[0],
    JSON.stringify(
      {
        experiment: "architectures",
        scale: options.scale,
        protocol,
        runSeconds: seconds,
        ...summary,
      },
      (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v),
      2,
    ) + "\n",
  );
  const figure = await writeFigure(
    architecturesFigure(summary, `Test error against sensitivity (${options.scale} scale)`),
    `${out}/architectures`,
  );
  files.push(figure.svg, figure.png);
  await Deno.writeTextFile(
    files[1],
    `# Report\n\n${architecturesReport(summary, protocol)}\nRun time (sum of runs): ` +
      `${(seconds / 60).toFixed(1)} min.\n\n![architectures](architectures.png)\n`,
  );
  return { summary, files };
}

if (import.meta.main) {
  // Until the experiment has its entry in the experiments' registry:
  //   deno run -A experiments/architectures/run.ts small|paper [seeds] [out]
  const scale = (Deno.args[0] ?? "small") as ArchitecturesOptions["scale"];
  const seeds = Deno.args[1] === undefined ? undefined : Number(Deno.args[1]);
  const out = Deno.args[2] ?? `results/architectures-${scale}`;
  const t0 = performance.now();
  const outcome = await runArchitectures({ scale, ...(seeds ? { seeds } : {}) }, out, {
    onProgress: (e) => {
      if (e.kind === "finish") {
        console.error(
          `${e.run.network.kind} seed ${e.run.seed}: ${e.status} (${e.elapsed.toFixed(0)} s)`,
        );
      }
    },
  });
  console.log(
    JSON.stringify({
      out,
      ok: outcome.ok,
      failed: outcome.failed,
      skipped: outcome.skipped,
      minutes: (performance.now() - t0) / 60000,
    }),
  );
  console.log(JSON.stringify(outcome.summary.correlation));
}
