/**
 * Experiments of the Sparse Random Hierarchy Model: plans (runs as plain data with content-derived
 * ids), the JSON Lines results store, the executor (resume, shards, failures) and its runner
 * contract, the pipeline of one run, and the experiments (one folder each: learning curve,
 * scaling, hierarchy; listed in the registry) with their summaries, figures and reports.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makePlan, executePlan } from "./mod.ts";
 * const plan = makePlan("demo", {}, [{ experiment: "demo", P: 4, test: 0, seed: 0 } as never]);
 * const dir = await Deno.makeTempDir();
 * const s = await executePlan(plan, {
 *   resultsFile: `${dir}/results.jsonl`,
 *   runner: () => Promise.resolve({ backend: "none", metrics: { testError: 0 } }),
 * });
 * assert.ok(s.ok === 1);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */
export const PACKAGE = "@srhm/experiments";

export {
  makePlan,
  makeRun,
  type Plan,
  type Run,
  runId,
  type RunMeasure,
  type RunNetwork,
  type RunSpec,
  type RunTraining,
  shardRuns,
} from "./plan.ts";
export {
  AUTHORS_PROTOCOL,
  type Denominator,
  DENOMINATORS,
  LEGACY_PROTOCOL,
  legacyProtocol,
  type ProtocolFields,
  SEED_SCOPES,
  type SeedScope,
  SYNONYM_VARIANTS,
  type SynonymVariant,
  withProtocol,
} from "./protocol.ts";
export { lrRule, protocolLine } from "./protocol_line.ts";
export { chooseLr, gridPointKey, type LrChoice, type LrSelection } from "./lr_grid.ts";
export { canonicalJson } from "./canonical_json.ts";
export { numberOrText, type ParamOptions, validateParamOptions } from "./param_options.ts";
// What reading results needs (the store, the registry, the experiments, the report, the export)
// is `@srhm/experiments/results`; everything else is added here.
export * from "./results.ts";
export { appendResult } from "./store.ts";
export {
  baseVersions,
  type EnvironmentFailure,
  type ExecuteOptions,
  executePlan,
  type ExecuteProgress,
  type ExecuteSummary,
} from "./executor.ts";
export {
  type RunContext,
  RunFailure,
  type Runner,
  type RunOutput,
  type RunProgress,
} from "./runner.ts";
export {
  type AxisOptions,
  type CompiledSpec,
  compileSpec,
  type Datum,
  FIGURE_FONT,
  type FigureConfig,
  figureConfig,
  type FigureFiles,
  lineChart,
  type LineChartOptions,
  renderPng,
  type RenderPngOptions,
  renderSvg,
  type RenderSvgOptions,
  type RuleOptions,
  type SeedBandOptions,
  seedBands,
  sensitivityChart,
  type SensitivityChartOptions,
  sensitivityHeatmap,
  type SensitivityHeatmapOptions,
  type SensitivityPoint,
  writeFigure,
} from "./figures/mod.ts";
export { runPipeline, type Trained, trainOnGrammar, type TrainSpec } from "./pipeline.ts";
export { runData, type RunDataSpec } from "./run_data.ts";
export { measureSensitivities, type Sensitivities } from "./sensitivity_protocol.ts";
export { logGrid, type Preset, preset, PRESETS, type Scale, SCALES } from "./presets.ts";
export {
  type FigureOutputs,
  runPaper,
  type RunPaperOptions,
  type WriteChart,
  writeFigureOutputs,
} from "./paper/run_paper.ts";
export { runPaperCommand } from "./paper/command.ts";
export {
  type OutputOptions,
  type Outputs,
  runExperiment,
  type RunExperimentOptions,
  writeFigures,
  writeOutputs,
} from "./run_experiment.ts";
export {
  checkShard,
  parseShard,
  resolveShard,
  type Shard,
  type ShardEnv,
  ShardError,
  shardFromEnv,
} from "./shard.ts";
export {
  adoptPlan,
  parsePlan,
  readPlan,
  readSweepResults,
  shardFile,
  type SweepPaths,
  sweepPaths,
  type SweepResults,
  writeAtomic,
  writePlan,
} from "./sweep_dir.ts";
export {
  type CollectOptions,
  type CollectReport,
  collectSweep,
  formatCollectReport,
  killedResult,
  mergeResults,
} from "./collect.ts";
export { runSweep, type SweepOptions, type SweepSummary } from "./sweep.ts";
export { type WorkerRunner, workerRunner } from "./worker_runner.ts";
export {
  checkSbatchOptions,
  parseQueuedJobs,
  parseSbatchOutput,
  queuedJobs,
  type SbatchOptions,
  sbatchScript,
  shellQuote,
  SlurmOptionError,
  submitSbatch,
} from "./slurm.ts";
export type { Encoding, Grammar, SamplingMode, SrhmParams } from "@srhm/generators";
export { decodeNonFinite, stringifyJson } from "./non_finite.ts";
export {
  type Claim,
  type ClaimInfo,
  claimIsLive,
  type ClaimOptions,
  liveClaims,
  removeIfUnclaimed,
  tryClaim,
} from "./claims.ts";
export {
  checkCodeVersions,
  codeVersionOf,
  currentCodeVersions,
  hashSource,
  MixedVersionsError,
  sourceHash,
  type VersionCount,
  versionsPresent,
} from "./code_version.ts";
export { classifyFailure, type FailureKind } from "./failures.ts";
export { checkRunMemory, firstMemoryProblem, type RunSizes } from "./run_memory.ts";
export { preflight, PreflightError, type PreflightOptions } from "./preflight.ts";
export { type SpawnOptions, spawnWorkers, type Workers } from "./workers.ts";
