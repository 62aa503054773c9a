/**
 * Which failures are results. A run that fails by itself (training diverged, a NaN loss) has that
 * failure as its outcome: it is recorded, and a resume does not compute it again. A failure of the
 * environment (a backend that cannot run here, memory exhausted, the run's worker or process
 * killed) says nothing about the run: it is not recorded, and the run is computed on resume.
 *
 * @module
 */

/** `run`: the run's own outcome (recorded); `environment`: retried on resume (not recorded). */
export type FailureKind = "run" | "environment";

/** Messages of errors that come from the environment rather than from the run. */
const ENVIRONMENT_MESSAGES: readonly RegExp[] = [
  /out of memory/i,
  /\bOOM\b/,
  /array buffer allocation failed/i,
  /cannot allocate memory/i,
  /maximum memory size exceeded/i,
  /memory\.grow/i,
  /invalid typed array length/i,
  /invalid array buffer length/i,
  /would not fit in memory/i,
  /worker crashed/i,
  /\bkilled\b/i,
  /backend "[^"]*" is unavailable/,
];

/** Names of errors that come from the environment. */
const ENVIRONMENT_NAMES: readonly string[] = [
  "BackendUnavailableError",
  "MemoryEstimateError",
  "OutOfMemoryError",
];

/**
 * Whether an error thrown by a runner is the run's own failure or the environment's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { classifyFailure } from "./failures.ts";
 * assert.equal(classifyFailure(new Error("diverged: training loss NaN after 3 epochs")), "run");
 * assert.equal(classifyFailure(new RangeError("Array buffer allocation failed")), "environment");
 * assert.equal(classifyFailure(new Error("the run's worker crashed: x")), "environment");
 * ```
 */
export function classifyFailure(error: unknown): FailureKind {
  if (typeof error === "object" && error !== null) {
    const e = error as { name?: unknown; message?: unknown; kind?: unknown };
    if (e.kind === "environment" || e.kind === "run") return e.kind;
    if (typeof e.name === "string" && ENVIRONMENT_NAMES.includes(e.name)) return "environment";
    if (
      typeof e.message === "string" && ENVIRONMENT_MESSAGES.some((r) => r.test(e.message as string))
    ) {
      return "environment";
    }
    return "run";
  }
  return ENVIRONMENT_MESSAGES.some((r) => r.test(String(error))) ? "environment" : "run";
}
