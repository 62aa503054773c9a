/**
 * The `paper` command:
 *
 *     deno task experiment paper --list
 *     deno task experiment paper --figure ID|all [--scale small|medium|paper] [--seeds N] [--out DIR] [--dry-run]
 *
 * `--list` prints one line per figure (id, tab, title). `--figure` trains the figure's runs into
 * `DIR/results.jsonl` (default `results/paper-<scale>`, so that figures share their runs by
 * default), then writes each figure into `DIR/<id>/`. `--dry-run` prints the runs and the estimated
 * CPU time of each figure and trains nothing. A figure whose experiment is not in this build
 * (figure 1 needs `architectures`) exits with 2 and says so; `--figure all` skips it with a note.
 *
 * @module
 */
import type { Command } from "@commander-js/extra-typings";
import { UsageError } from "../cli/usage_error.ts";
import { progressReporter } from "../cli/progress.ts";
import { missingRuns } from "../executor.ts";
import type { Plan } from "../plan.ts";
import { readResults } from "../store.ts";
import { fmt } from "../report.ts";
import {
  figureById,
  listLines,
  PAPER_FIGURES,
  PAPER_SCALES,
  type PaperFigure,
  type PaperScale,
  runsOwner,
} from "./catalogue.ts";
import { humanSeconds } from "./cost.ts";
import type { FigureSummary } from "./figure_summary.ts";
import {
  costModelFor,
  dryRunLines,
  type FigurePlan,
  figurePlans,
  type PlanOf,
  runPaper,
  unionPlan,
} from "./run_paper.ts";

/** The raw options of `paper`. */
export interface PaperCliOptions {
  list?: boolean;
  figure?: string;
  scale?: string;
  seeds?: string;
  out?: string;
  dryRun?: boolean;
  quiet?: boolean;
  retryFailed?: boolean;
}

/** The parsed options of `paper` (without `--list`). */
export interface PaperRequest {
  readonly figures: readonly PaperFigure[];
  readonly scale: PaperScale;
  readonly seeds: number;
  readonly out: string;
}

/**
 * Parses `--figure`, `--scale`, `--seeds`, `--out` (errors name the option and the bound).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parsePaperOptions } from "./command.ts";
 * const r = parsePaperOptions({ figure: "4c" });
 * assert.equal(r.scale, "small");
 * assert.equal(r.out, "results/paper-small");
 * assert.throws(() => parsePaperOptions({ figure: "4c", seeds: "0" }), /--seeds must be an integer >= 1/);
 * assert.throws(() => parsePaperOptions({}), /--figure/);
 * ```
 */
export function parsePaperOptions(o: PaperCliOptions): PaperRequest {
  if (o.figure === undefined) {
    throw new UsageError(
      `give --list, or --figure ID with ID one of ${
        PAPER_FIGURES.map((f) => f.id).join(", ")
      } or all`,
    );
  }
  const scale = o.scale ?? "small";
  if (!(PAPER_SCALES as readonly string[]).includes(scale)) {
    throw new UsageError(
      `--scale must be one of ${PAPER_SCALES.join(", ")} (got ${JSON.stringify(scale)})`,
    );
  }
  const seeds = o.seeds === undefined ? 1 : Number(o.seeds);
  if (!Number.isSafeInteger(seeds) || seeds < 1 || !/^\s*\d+\s*$/.test(o.seeds ?? "1")) {
    throw new UsageError(`--seeds must be an integer >= 1 (got ${JSON.stringify(o.seeds)})`);
  }
  let figures: readonly PaperFigure[];
  try {
    figures = o.figure === "all" ? PAPER_FIGURES : [figureById(o.figure)];
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return { figures, scale: scale as PaperScale, seeds, out: o.out ?? `results/paper-${scale}` };
}

/** What the command needs from the rest of the CLI. */
export interface PaperCommandDeps {
  /** The plan of an experiment from its arguments (the CLI's `planFromArgs`). */
  readonly planOf: PlanOf;
  /** Whether an experiment exists in this build (figure 1 needs `architectures`). */
  readonly hasExperiment: (name: string) => boolean;
  /** Where the plan goes instead of being run (the cluster commands). */
  readonly onPlan?: (plan: Plan) => void;
}

/** The message of a figure whose experiment is missing. */
const missing = (f: PaperFigure) =>
  `figure ${f.id} needs the ${runsOwner(f).experiment} experiment, which this build does not ` +
  `have yet`;

/**
 * The figures of a request that this build can make, and notes for those it cannot. A single
 * figure that cannot be made is a `UsageError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figureById } from "./catalogue.ts";
 * import { availableFigures } from "./command.ts";
 * const r = availableFigures([figureById("1"), figureById("4c")], (e) => e !== "architectures");
 * assert.deepEqual(r.figures.map((f) => f.id), ["4c"]);
 * assert.match(r.notes[0], /needs the architectures experiment/);
 * assert.throws(() => availableFigures([figureById("1")], () => false), /architectures/);
 * ```
 */
export function availableFigures(
  figures: readonly PaperFigure[],
  hasExperiment: (name: string) => boolean,
): { figures: PaperFigure[]; notes: string[] } {
  const ok = figures.filter((f) => hasExperiment(runsOwner(f).experiment));
  const notes = figures.filter((f) => !ok.includes(f)).map(missing);
  if (figures.length === 1 && ok.length === 0) throw new UsageError(notes[0]);
  return { figures: ok, notes };
}

/**
 * The union plan of a `paper` request given as arguments (`--figure 4c --scale small`), for the
 * cluster commands (`slurm paper --figure 4c ...`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { paperPlanFromOptions } from "./command.ts";
 * import { makePlan } from "../plan.ts";
 * const plan = await paperPlanFromOptions({ figure: "13" }, {
 *   planOf: async (i) => makePlan(i.experiment, {}, []), hasExperiment: () => true });
 * assert.equal(plan.experiment, "paper");
 * ```
 */
export async function paperPlanFromOptions(
  o: PaperCliOptions,
  deps: PaperCommandDeps,
): Promise<Plan> {
  const request = parsePaperOptions(o);
  const { figures } = availableFigures(request.figures, deps.hasExperiment);
  return unionPlan(await figurePlans(figures, request, deps.planOf), request);
}

/**
 * One line per fit for stdout: `4c C1 (s = 2): 2.31 [2.05, 2.6], paper 2.5`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitLines } from "./command.ts";
 * const lines = fitLines({ figure: "4c", fits: [{ name: "C1 (s = 2)", value: 2.3, interval: [2, 2.6],
 *   paper: 2.5, n: 4, inside: true, withinFactor2: true }] } as never);
 * assert.deepEqual(lines, ["4c C1 (s = 2): 2.3 [2, 2.6], paper 2.5"]);
 * ```
 */
export function fitLines(summary: Pick<FigureSummary, "figure" | "fits">): string[] {
  return summary.fits.map((f) =>
    `${summary.figure} ${f.name}: ${fmt(f.value)}${
      f.interval ? ` [${fmt(f.interval[0])}, ${fmt(f.interval[1])}]` : ""
    }, paper ${fmt(f.paper)}`
  );
}

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
): Promise<void> {
  const t0 = performance.now();
  const union = unionPlan(plans, request);
  const before = await readResults(`${request.out}/results.jsonl`, { onWarning: () => {} });
  const todo = missingRuns(union, before, { includeFailed: o.retryFailed });
  if (o.quiet !== true) {
    console.error(
      `paper: ${union.runs.length} runs, ${
        union.runs.length - todo.length
      } already in ${request.out}/results.jsonl`,
    );
  }
  const progress = progressReporter("paper", todo, { quiet: o.quiet });
  let outcome;
  try {
    outcome = await runPaper(plans, request.out, {
      ...request,
      onProgress: progress.onProgress,
      retryFailed: o.retryFailed,
      preamble: () => [
        `\`${command}\`: ${union.runs.length} runs in \`${request.out}/results.jsonl\`, ` +
        `${todo.length} computed by this invocation in ${
          humanSeconds((performance.now() - t0) / 1000)
        } (wall clock, ${new Date().toISOString().slice(0, 16)}Z).`,
      ],
    });
  } finally {
    progress.stop();
  }
  for (const f of outcome.figures) {
    for (const line of fitLines(f.summary)) console.log(line);
    console.log(`wrote ${f.dir}/ (${f.files.join(", ")})`);
  }
}

/**
 * Registers `paper` on a program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "@commander-js/extra-typings";
 * import { registerPaperCommand } from "./command.ts";
 * import { makePlan } from "../plan.ts";
 * const program = new Command();
 * registerPaperCommand(program, { planOf: async (i) => makePlan(i.experiment, {}, []), hasExperiment: () => true });
 * assert.deepEqual(program.commands.map((c) => c.name()), ["paper"]);
 * ```
 */
export function registerPaperCommand(program: Command, deps: PaperCommandDeps): void {
  program.command("paper")
    .description("every figure of the paper: its runs, its fits beside the paper's values, charts")
    .option("--list", "one line per figure: its id, a tab, its title")
    .option("--figure <id>", `a figure (${PAPER_FIGURES.map((f) => f.id).join(", ")}) or all`)
    .option(
      "--scale <scale>",
      "small (default: a 2-core laptop), medium (a workstation night), paper",
    )
    .option("--seeds <N>", "seeds per P (default 1, as the paper)")
    .option(
      "--out <dir>",
      "output directory (default results/paper-<scale>; figures share its runs)",
    )
    .option("--dry-run", "print the runs and the estimated CPU time of each figure; train nothing")
    .option("--retry-failed", "also compute again the runs recorded as failed")
    .option("--quiet", "no progress on stderr")
    .action(async (opts) => {
      const o = opts as PaperCliOptions;
      if (o.list === true) {
        for (const line of listLines()) console.log(line);
        return;
      }
      const request = parsePaperOptions(o);
      const { figures, notes } = availableFigures(request.figures, deps.hasExperiment);
      for (const note of notes) console.error(`paper: ${note}; skipped`);
      const plans = await figurePlans(figures, request, deps.planOf);
      if (deps.onPlan) return deps.onPlan(unionPlan(plans, request));
      if (o.dryRun === true) return await dryRun(plans, request);
      const command = ["deno task experiment paper", "--figure", o.figure, "--scale", request.scale]
        .concat(request.seeds !== 1 ? ["--seeds", String(request.seeds)] : [])
        .concat(["--out", request.out]).join(" ");
      await run(plans, request, o, command);
    });
}
