/**
 * The opening of a command that computes a plan's runs into `OUT/results.jsonl` (an experiment,
 * `paper`): what is already there, what remains, and, when something remains, the checks that
 * must pass before any of it is computed (the code version of the runs already there, the
 * preflight of the remaining ones: backend, memory).
 *
 * @module
 */
import type { Run } from "../run.ts";
import { pendingRuns, readResults } from "../store.ts";
import { checkCodeVersions } from "../code_version.ts";
import { baseVersions } from "../executor.ts";

/** What {@link pendingWork} is told. */
export interface PendingWorkOptions {
  /** Compute again the runs that failed (default: they count as done). */
  readonly retryFailed?: boolean;
  /** Resume results written by another code version (default: refuse, naming the versions). */
  readonly allowMixedVersions?: boolean;
  /** Checks the remaining runs before any is computed; throws to refuse them. */
  readonly preflight?: (todo: readonly Run[]) => Promise<void>;
}

/**
 * The runs of `runs` still to compute in `out`, after the version check and the preflight when any
 * remain (they throw to refuse).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pendingWork } from "./pending_work.ts";
 * const out = await Deno.makeTempDir();
 * assert.deepEqual(await pendingWork([], out, {}), []);
 * ```
 */
export async function pendingWork(
  runs: readonly Run[],
  out: string,
  options: PendingWorkOptions,
): Promise<Run[]> {
  const file = `${out}/results.jsonl`;
  const before = await readResults(file, { onWarning: () => {} });
  const todo = pendingRuns(runs, before, { retryFailed: options.retryFailed });
  if (todo.length > 0) {
    checkCodeVersions(before, baseVersions(), {
      where: file,
      allowMixed: options.allowMixedVersions,
    });
    await options.preflight?.(todo);
  }
  return todo;
}

/**
 * The line a command prints before computing: `NAME: N runs, K already in OUT/results.jsonl`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pendingLine } from "./pending_work.ts";
 * assert.equal(pendingLine("paper", 14, 4, "out"), "paper: 14 runs, 10 already in out/results.jsonl");
 * ```
 */
export function pendingLine(name: string, runs: number, todo: number, out: string): string {
  return `${name}: ${runs} runs, ${runs - todo} already in ${out}/results.jsonl`;
}
