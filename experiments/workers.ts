/**
 * Local worker processes: `--workers N` computes a plan with N processes on one machine, sharing
 * the results directory through claims (`claims.ts`), so that each run is computed once. They are
 * processes, not threads: a crash (out of memory, a killed process) takes one run down, and the
 * run is taken over by another worker once its claimant is seen dead.
 *
 * The calling process is one of the N; `spawnWorkers` starts the other N - 1, each running the
 * hidden `work` command of the CLI on the plan written in the results directory.
 *
 * @module
 */

import type { Plan } from "./plan.ts";
import { writePlan } from "./sweep_dir.ts";

/** Started worker processes. */
export interface Workers {
  /** Their pids. */
  readonly pids: readonly number[];
  /** Resolves when all have exited, with their exit codes. */
  readonly done: Promise<number[]>;
  /** Kills those still running (SIGTERM). */
  readonly stop: () => void;
}

/** Options of `spawnWorkers`. */
export interface SpawnOptions {
  /** The CLI's entry point (a `file:` URL or path of `main.ts`). */
  readonly entry: URL | string;
  /** The arguments of each worker, after the entry point (e.g. `["work", "--plan", f, ...]`). */
  readonly args: readonly string[];
  /** Where the worker's stderr goes (default: inherited). */
  readonly stderr?: "inherit" | "null";
}

/** The `deno.json` of the workspace that holds `entry` (its nearest ancestor holding a workspace). */
function workspaceConfig(entry: string): string | undefined {
  let dir = entry.slice(0, entry.lastIndexOf("/"));
  while (dir.length > 0) {
    try {
      const json = JSON.parse(Deno.readTextFileSync(`${dir}/deno.json`));
      if (Array.isArray(json.workspace)) return `${dir}/deno.json`;
    } catch {
      // no deno.json here
    }
    dir = dir.slice(0, dir.lastIndexOf("/"));
  }
  return undefined;
}

/**
 * Starts `n` worker processes (`deno run -A [--config <workspace>] <entry> <args>`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { spawnWorkers } from "./workers.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/main.ts`, "Deno.exit(Number(Deno.args[0]));");
 * const w = spawnWorkers(2, { entry: `${dir}/main.ts`, args: ["3"] });
 * assert.deepEqual(await w.done, [3, 3]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function spawnWorkers(n: number, options: SpawnOptions): Workers {
  const entry = options.entry instanceof URL
    ? decodeURIComponent(options.entry.pathname)
    : options.entry;
  const config = workspaceConfig(entry);
  const children = Array.from({ length: n }, () =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", ...(config ? ["--config", config] : []), entry, ...options.args],
      stdin: "null",
      stdout: "null",
      stderr: options.stderr ?? "inherit",
    }).spawn());
  return {
    pids: children.map((c) => c.pid),
    done: Promise.all(children.map((c) => c.status.then((s) => s.code))),
    stop: () => {
      for (const c of children) {
        try {
          c.kill("SIGTERM");
        } catch {
          // already exited
        }
      }
    },
  };
}

/** Options of `shareWork`. */
export interface ShareWorkOptions {
  /** Processes computing the plan, this one included. */
  readonly workers: number;
  /** Runs still to compute (no helper is started for fewer than two). */
  readonly pending: number;
  /** Helpers also compute the runs recorded as failed. */
  readonly retryFailed?: boolean;
  /** Helpers resume results of another code version. */
  readonly allowMixedVersions?: boolean;
}

/** The helpers of `shareWork`: `stop` kills them, `finish` waits for them and removes the plan file. */
export interface SharedWork {
  readonly stop: () => void;
  readonly finish: () => Promise<void>;
}

/**
 * Starts `workers - 1` helper processes (the CLI's hidden `work` command) that compute `plan` into
 * `out` beside this process, claiming runs as it does; the plan goes to `out/.plan-<pid>.json`.
 * With one worker, or fewer than two runs pending, it starts nothing.
 *
 * @example
 * ```ts
 * import { shareWork } from "./workers.ts";
 * import { makePlan } from "./plan.ts";
 * const none = await shareWork(makePlan("curve", {}, []), "unused", { workers: 1, pending: 0 });
 * none.stop();
 * await none.finish();
 * ```
 */
export async function shareWork(
  plan: Plan,
  out: string,
  options: ShareWorkOptions,
): Promise<SharedWork> {
  if (options.workers <= 1 || options.pending <= 1) {
    return { stop: () => {}, finish: () => Promise.resolve() };
  }
  await Deno.mkdir(out, { recursive: true });
  const planFile = `${out}/.plan-${Deno.pid}.json`;
  await writePlan(planFile, plan);
  const helpers = spawnWorkers(Math.min(options.workers, options.pending) - 1, {
    entry: new URL("./cli/main.ts", import.meta.url),
    args: [
      "work",
      "--plan",
      planFile,
      "--out",
      out,
      ...(options.retryFailed ? ["--retry-failed"] : []),
      ...(options.allowMixedVersions ? ["--allow-mixed-versions"] : []),
    ],
  });
  return {
    stop: helpers.stop,
    finish: async () => {
      await helpers.done;
      await Deno.remove(planFile).catch(() => {});
    },
  };
}
