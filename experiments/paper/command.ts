/**
 * The `paper` command's action (`runPaperCommand`, the registry entry's `run`):
 *
 *     deno task experiment paper --list
 *     deno task experiment paper --figure ID|all [--scale small|medium|paper] [--seeds N] [--out DIR] [--dry-run]
 *
 * `--list` prints one line per figure (id, tab, title). `--figure` trains the figure's runs into
 * `DIR/results.jsonl` (default `results/paper-<scale>`, so that figures share their runs by
 * default), then writes each figure into `DIR/<id>/`. `--dry-run` prints the runs and the estimated
 * CPU time of each figure and trains nothing. Every figure's experiment is in this build (figure 1
 * is the `architectures` experiment's); a build without one exits with 2 for that figure and says
 * so (`--figure all` skips it with a note).
 *
 * @module
 */
import { progressBar } from "../cli/progress.ts";
import type { CommandContext } from "../experiment.ts";
import { readResults } from "../store.ts";
import { pendingLine, pendingWork } from "../cli/pending_work.ts";
import { listLines } from "./catalogue.ts";
import { hasComposedExperiment, planOfInvocation } from "./compose.ts";
import { humanSeconds } from "./cost.ts";
import {
  availableFigures,
  fitLines,
  type PaperCliOptions,
  type PaperRequest,
  parsePaperOptions,
} from "./options.ts";
import { costModelFor, dryRunLines, type FigurePlan, figurePlans, unionPlan } from "./plans.ts";
import { runPaper } from "./run_paper.ts";
import { shareWork } from "../workers.ts";
import { workersOption } from "../cli/workers_option.ts";

async function dryRun(plans: readonly FigurePlan[], request: PaperRequest): Promise<void> {
  const file = `${request.out}/results.jsonl`;
  const results = await readResults(file, { onWarning: () => {} });
  const done = new Set(results.filter((r) => r.status === "ok").map((r) => r.id));
  for (const line of dryRunLines(plans, done, request, costModelFor(results, file))) {
    console.log(line);
  }
}

async function run(
  plans: readonly FigurePlan[],
  request: PaperRequest,
  o: PaperCliOptions,
  command: string,
  context: CommandContext,
): Promise<void> {
  if (context.runner === undefined) throw new Error("paper: no runner to train with");
  const t0 = performance.now();
  const union = unionPlan(plans, request);
  const allowMixedVersions = o.allowMixedVersions === true;
  const todo = await pendingWork(union.runs, request.out, {
    retryFailed: o.retryFailed,
    allowMixedVersions,
    preflight: context.preflight,
  });
  const helpers = await shareWork(union, request.out, {
    workers: workersOption(o.workers),
    pending: todo.length,
    retryFailed: o.retryFailed,
    allowMixedVersions,
  });
  if (o.quiet !== true) {
    console.error(pendingLine("paper", union.runs.length, todo.length, request.out));
  }
  const progress = progressBar("paper", { quiet: o.quiet });
  let outcome;
  try {
    outcome = await runPaper(plans, request.out, {
      ...request,
      runner: context.runner,
      writeChart: context.writeFigure,
      onProgress: progress.onProgress,
      retryFailed: o.retryFailed,
      allowMixedVersions,
      preamble: () => [
        `\`${command}\`: ${union.runs.length} runs in \`${request.out}/results.jsonl\`, ` +
        `${todo.length} computed by this invocation in ${
          humanSeconds((performance.now() - t0) / 1000)
        } (wall clock, ${new Date().toISOString().slice(0, 16)}Z).`,
      ],
    });
  } catch (e) {
    helpers.stop();
    throw e;
  } finally {
    progress.stop();
    await helpers.finish();
  }
  for (const f of outcome.figures) {
    for (const line of fitLines(f.summary)) console.log(line);
    console.log(`wrote ${f.dir}/ (${f.files.join(", ")})`);
  }
}

/**
 * The `paper` command's action, from what commander parsed: `--list`, `--dry-run`, or the run of
 * the figures and their outputs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runPaperCommand } from "./command.ts";
 * const out: string[] = [];
 * const log = console.log;
 * console.log = (x: string) => out.push(x);
 * try {
 *   await runPaperCommand({ list: true });
 * } finally {
 *   console.log = log;
 * }
 * assert.ok(out.some((l) => l.startsWith("4c\t")));
 * ```
 */
export async function runPaperCommand(
  parsed: Readonly<Record<string, unknown>>,
  context: CommandContext = {},
): Promise<void> {
  const o = parsed as PaperCliOptions;
  if (o.list === true) {
    for (const line of listLines()) console.log(line);
    return;
  }
  const request = parsePaperOptions(o);
  const { figures, notes } = availableFigures(request.figures, hasComposedExperiment);
  for (const note of notes) console.error(`paper: ${note}; skipped`);
  const plans = figurePlans(figures, request, planOfInvocation);
  if (o.dryRun === true) return await dryRun(plans, request);
  const command = ["deno task experiment paper", "--figure", o.figure, "--scale", request.scale]
    .concat(request.seeds !== 1 ? ["--seeds", String(request.seeds)] : [])
    .concat(["--out", request.out]).join(" ");
  await run(plans, request, o, command, context);
}
