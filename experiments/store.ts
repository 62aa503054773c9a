/**
 * The results store: a JSON Lines file, one `ResultLine` per finished run, appended one line per
 * write. Several processes may append to one file (`--workers`, two commands on one `--out`):
 * an append holds an exclusive OS lock on the file (`flock`), so lines never interleave.
 *
 * A crash can stop an append at any byte, leaving a torn last line without its newline. The next
 * append sees that the file does not end with a newline and ends the torn line first, so a torn
 * line is never glued to the next record; reading skips it with a warning, and its run, having no
 * valid line, is computed again on resume. (A torn line glued to a record by an older version is
 * recovered: the record after the torn bytes is read.)
 *
 * Non-finite numbers, which JSON cannot hold (`JSON.stringify` would turn them into `null`), are
 * written as the strings `"NaN"`, `"Infinity"` and `"-Infinity"` (`formatResult`) and read back
 * as numbers in `metrics` and `timings` (`parseResults`), so that e.g. a sensitivity of
 * `Infinity` (a zero denominator) or `NaN` (not defined, `0/0` or m = 1) survives a round trip.
 * A `null` in files written before is read as it is (the summaries treat it as `NaN`).
 *
 * @module
 */
import { dirname } from "node:path";
import type { Run } from "./plan.ts";
import { decodeNonFinite, stringifyJson } from "./non_finite.ts";
import { legacyProtocol } from "./protocol.ts";

/** Sensitivities: `S[k][l]` / `D[k][l]`, k = hidden layer `k+1` (k = L: the logits), l = level `l+1`. */
export type SensitivityTable = number[][];

/** What one run measured. Fields other than these may be present (e.g. `history`). */
export interface RunMetrics {
  /** Best test error seen during training (the reference's choice). */
  readonly testError: number;
  /** Test error at the end of training. */
  readonly finalTestError?: number;
  /** Mean training loss of the last epoch. */
  readonly trainLoss?: number;
  /** Epochs run. */
  readonly epochs?: number;
  /** The trainer's status: `converged`, `max-epochs` or `diverged`. */
  readonly trainStatus?: string;
  /** Training throughput (samples per second, training steps only). */
  readonly trainSamplesPerSec?: number;
  /** Synonym-exchange sensitivities (absent when not measured). */
  readonly S?: SensitivityTable;
  /** Diffeomorphism sensitivities (absent when not measured). */
  readonly D?: SensitivityTable;
  /** Further measurements (e.g. `bestEpoch`). */
  readonly [key: string]: unknown;
}

/** One line of a results file. */
export interface ResultLine {
  /** The run's id (equal to `run.id`). */
  readonly id: string;
  /** `ok`, or `failed` (then `reason` says why and `metrics` is null). */
  readonly status: "ok" | "failed";
  /** Why a failed run failed. */
  readonly reason?: string;
  /** The full run (configuration and seed). */
  readonly run: Run;
  /** The backend that ran it (e.g. `cpu`, `wasm`), or `unknown` when it failed before choosing. */
  readonly backend: string;
  /** Versions of the software that produced it (`srhm`, `deno`, `tfjs`, ...). */
  readonly versions: Readonly<Record<string, string>>;
  /** Wall-clock times in seconds (`total`, and the stages the runner reports), and `startedAt`. */
  readonly timings: Readonly<Record<string, number | string>>;
  /** The measurements (`null` for a failed run). */
  readonly metrics: RunMetrics | null;
}

/** The result of parsing a results file's text. */
export interface ParsedResults {
  /** The valid lines, in file order. */
  readonly results: ResultLine[];
  /** One message per skipped line (`line N: why`). */
  readonly warnings: string[];
}

/**
 * One result as one line of JSON (no newline), with non-finite numbers written as the strings
 * `"NaN"`, `"Infinity"`, `"-Infinity"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatResult, parseResults, type ResultLine } from "./store.ts";
 * const line: ResultLine = { id: "a", status: "ok", run: {} as never, backend: "cpu", versions: {},
 *   timings: {}, metrics: { testError: 0, S: [[Infinity, NaN]] } };
 * const text = formatResult(line);
 * assert.match(text, /\[\["Infinity","NaN"\]\]/);
 * assert.deepEqual(parseResults(text).results[0].metrics?.S, [[Infinity, NaN]]);
 * ```
 */
export function formatResult(result: ResultLine): string {
  return stringifyJson(result);
}

/**
 * Appends one result as one line, creating the file and its parent directory if needed. The
 * append holds an exclusive lock on the file; if the file does not end with a newline (a torn
 * line left by a crash), a newline is written first, so the record starts on a line of its own.
 * The data are flushed to disk (`fdatasync`) before the lock is released.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendResult, readResults } from "./store.ts";
 * const dir = await Deno.makeTempDir();
 * const line = { id: "0123456789abcdef", status: "failed", reason: "demo", run: {} as never,
 *   backend: "cpu", versions: {}, timings: { total: 0 }, metrics: null } as const;
 * await Deno.writeTextFile(`${dir}/r.jsonl`, '{"id":"torn'); // a crash mid-write
 * await appendResult(`${dir}/r.jsonl`, line);
 * const results = await readResults(`${dir}/r.jsonl`, { onWarning: () => {} });
 * assert.ok(results.length === 1 && results[0].id === line.id);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function appendResult(path: string, result: ResultLine): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const record = formatResult(result) + "\n";
  const file = await Deno.open(path, { read: true, append: true, create: true });
  try {
    await file.lock(true);
    const torn = !(await endsWithNewline(file));
    await writeAll(file, new TextEncoder().encode((torn ? "\n" : "") + record));
    await file.syncData();
  } finally {
    file.close(); // releases the lock
  }
}

/** Whether an open file is empty or ends with `\n`. */
async function endsWithNewline(file: Deno.FsFile): Promise<boolean> {
  const { size } = await file.stat();
  if (size === 0) return true;
  await file.seek(size - 1, Deno.SeekMode.Start);
  const last = new Uint8Array(1);
  const n = await file.read(last);
  return n === 1 && last[0] === 0x0a;
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) done += await file.write(bytes.subarray(done));
}

/**
 * Parses the text of a results file. A line that is not valid JSON, or not a result (no string
 * `id`, no `status` of `ok`/`failed`, no `run` object), is skipped and reported in `warnings`;
 * when such a line ends with a whole record glued to torn bytes (`...torn{"id":...}`, written by
 * a version whose append did not end a torn line), that record is recovered.
 * Blank lines are ignored. The strings `"NaN"`, `"Infinity"`, `"-Infinity"` in `metrics` and
 * `timings` are read as those numbers (see `formatResult`). A run written before its protocol
 * fields existed gets them with the values its code ran (`legacyProtocol`); its `id` stays the
 * one recorded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseResults } from "./store.ts";
 * const ok = JSON.stringify({ id: "a", status: "ok", run: {}, backend: "cpu", versions: {}, timings: {}, metrics: { testError: 0.5 } });
 * const { results, warnings } = parseResults(ok + "\n" + ok.slice(0, 20));
 * assert.ok(results.length === 1 && warnings.length === 1);
 * ```
 */
export function parseResults(text: string): ParsedResults {
  const results: ResultLine[] = [];
  const warnings: string[] = [];
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const why = validate(line);
    if (typeof why !== "string") {
      results.push(why);
      return;
    }
    const glued = recoverGlued(line);
    const last = i === lines.length - 1 || lines.slice(i + 1).every((l) => l.trim() === "");
    const cause = last ? " (truncated last line?)" : " (a write cut short by a crash?)";
    if (glued === undefined) {
      warnings.push(`line ${i + 1}: ${why}${cause}; skipped`);
    } else {
      warnings.push(`line ${i + 1}: torn bytes before a record${cause}; the record is kept`);
      results.push(glued);
    }
  });
  return { results, warnings };
}

/** The last whole record at the end of a line that starts with torn bytes, if any. */
function recoverGlued(line: string): ResultLine | undefined {
  for (let at = line.indexOf('{"id":', 1); at > 0; at = line.indexOf('{"id":', at + 1)) {
    const r = validate(line.slice(at));
    if (typeof r !== "string") return r;
  }
  return undefined;
}

function validate(line: string): ResultLine | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return "not valid JSON";
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not an object";
  const r = value as Record<string, unknown>;
  if (typeof r.id !== "string") return "no string id";
  if (r.status !== "ok" && r.status !== "failed") return `status must be "ok" or "failed"`;
  if (typeof r.run !== "object" || r.run === null) return "no run";
  return {
    ...r,
    run: legacyProtocol(r.run as Run),
    metrics: decodeNonFinite(r.metrics),
    timings: decodeNonFinite(r.timings),
  } as unknown as ResultLine;
}

/** Options of `readResults`. */
export interface ReadResultsOptions {
  /** Called once per skipped line; default: `console.warn` with the file name. */
  readonly onWarning?: (message: string) => void;
}

/**
 * Reads a results file (a missing file is an empty one), skipping truncated or invalid lines with
 * a warning.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readResults } from "./store.ts";
 * const none = await readResults("/nonexistent/results.jsonl");
 * assert.ok(none.length === 0);
 * ```
 */
export async function readResults(
  path: string,
  options: ReadResultsOptions = {},
): Promise<ResultLine[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  const { results, warnings } = parseResults(text);
  const warn = options.onWarning ?? ((m: string) => console.warn(`warning: ${path}: ${m}`));
  warnings.forEach(warn);
  return results;
}

/**
 * One result per id: the last `ok` line if there is one, else the last line. (A run that failed
 * and later succeeded counts as succeeded.)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { latestById } from "./store.ts";
 * const r = (status: "ok" | "failed", v: number) =>
 *   ({ id: "x", status, run: {} as never, backend: "cpu", versions: {}, timings: {}, metrics: { testError: v } });
 * assert.ok(latestById([r("ok", 1), r("failed", 2)]).get("x")?.status === "ok");
 * ```
 */
export function latestById(results: readonly ResultLine[]): Map<string, ResultLine> {
  const byId = new Map<string, ResultLine>();
  for (const r of results) {
    const previous = byId.get(r.id);
    if (previous === undefined || r.status === "ok" || previous.status !== "ok") byId.set(r.id, r);
  }
  return byId;
}

/**
 * The start of the reason of a run whose task was killed while it ran.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isKilled, KILLED } from "./store.ts";
 * assert.ok(isKilled({ status: "failed", reason: `${KILLED} by SIGINT` } as never));
 * ```
 */
export const KILLED = "killed";

/**
 * Whether a failed line records a kill (to compute again) rather than the run's own failure.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isKilled } from "./store.ts";
 * assert.ok(isKilled({ status: "failed", reason: "killed by SIGTERM" } as never));
 * assert.ok(!isKilled({ status: "failed", reason: "diverged at epoch 3" } as never));
 * ```
 */
export function isKilled(line: ResultLine): boolean {
  return line.status === "failed" && (line.reason ?? "").startsWith(KILLED);
}

/** Options of `pendingRuns`. */
export interface PendingOptions {
  /** Also compute again the runs that failed by themselves (default false). */
  readonly retryFailed?: boolean;
}

/**
 * The runs still to compute, the one rule of the executor, `sweep`, `slurm` and `collect`: a run
 * with no line, or whose only lines failed because its task was killed (`isKilled`), or any failed
 * run with `retryFailed`. A run that failed by itself (e.g. diverged) is a result and stays.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pendingRuns } from "./store.ts";
 * const runs = [{ id: "a" }, { id: "b" }, { id: "c" }] as never[];
 * const line = (id: string, status: "ok" | "failed", reason?: string) =>
 *   ({ id, status, reason, run: {} as never, backend: "cpu", versions: {}, timings: {}, metrics: null });
 * const results = [line("a", "ok"), line("b", "failed", "killed by SIGTERM")];
 * assert.ok(pendingRuns(runs, results).map((r) => r.id).join() === "b,c");
 * ```
 */
export function pendingRuns(
  runs: readonly Run[],
  results: readonly ResultLine[],
  options: PendingOptions = {},
): Run[] {
  const byId = latestById(results);
  return runs.filter((run) => {
    const line = byId.get(run.id);
    return line === undefined ||
      (line.status === "failed" && (options.retryFailed === true || isKilled(line)));
  });
}
