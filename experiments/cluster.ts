/**
 * Sweeps beyond one machine: shards of a plan (`--shard i/n` or a Slurm array task's), sweep
 * directories with one results file per task, Slurm job arrays, and `collect` (merge, truncated
 * lines, missing runs). See docs/cluster.md.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as cluster from "./cluster.ts";
 * assert.ok(cluster.parseShard("1/4").count === 4 && typeof cluster.collectSweep === "function");
 * ```
 *
 * @module
 */
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
