/**
 * The options of `paper` (declared with commander, parsed into a request) and the plan of a
 * request: the union of its figures' runs, each composed of `scaling`/`hierarchy` plans. Pure but
 * for commander; free of tfjs and of the renderer, for the registry.
 *
 * @module
 */
import type { AnyCommand } from "../cli/options.ts";
import { UsageError } from "../cli/usage_error.ts";
import type { Plan } from "../plan.ts";
import { fmt } from "../markdown.ts";
import {
  figureById,
  PAPER_FIGURES,
  PAPER_SCALES,
  type PaperFigure,
  type PaperScale,
  runsOwner,
} from "./catalogue.ts";
import { hasComposedExperiment, planOfInvocation } from "./compose.ts";
import type { FigureSummary } from "./figure_summary.ts";
import { figurePlans, type PlanOf, unionPlan } from "./plans.ts";

/**
 * Declares the options of `paper` on its command.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "@commander-js/extra-typings";
 * import { declarePaperOptions } from "./options.ts";
 * const c = declarePaperOptions(new Command() as never).parse(["--figure", "4c", "--dry-run"], { from: "user" });
 * assert.deepEqual(c.opts(), { figure: "4c", dryRun: true });
 * ```
 */
export function declarePaperOptions(command: AnyCommand): AnyCommand {
  return command
    .option("--list", "one line per figure: its id, a tab, its title")
    .option("--figure <id>", `a figure (${PAPER_FIGURES.map((f) => f.id).join(", ")}) or all`)
    .option(
      "--scale <scale>",
      "small (default: a 2-core laptop), medium (a workstation night), paper (H = 512)",
    )
    .option("--seeds <N>", "seeds per P (default 1, as the paper)")
    .option(
      "--out <dir>",
      "output directory (default results/paper-<scale>; figures share its runs)",
    )
    .option("--dry-run", "print the runs and the estimated CPU time of each figure; train nothing")
    .option("--retry-failed", "also compute again the runs recorded as failed")
    .option("--quiet", "no progress on stderr") as unknown as AnyCommand;
}

/** The raw options of `paper`. */
export interface PaperCliOptions {
  /** `--list`: one line per figure (its id, a tab, its title), and nothing else. */
  list?: boolean;
  /** `--figure <id>`: a figure's id, or `all`. */
  figure?: string;
  /** `--scale <scale>`: `small`, `medium` or `paper`. */
  scale?: string;
  /** `--seeds <N>`: seeds per P. */
  seeds?: string;
  /** `--out <dir>`: the output directory. */
  out?: string;
  /** `--dry-run`: print the runs and the estimated time; train nothing. */
  dryRun?: boolean;
  /** `--quiet`: no progress on stderr. */
  quiet?: boolean;
  /** `--retry-failed`: also compute again the runs recorded as failed. */
  retryFailed?: boolean;
  /** `--workers N`: processes computing the runs on this machine (declared by the CLI). */
  workers?: string;
  /** `--allow-mixed-versions`: resume results of another code version (declared by the CLI). */
  allowMixedVersions?: boolean;
}

/** The parsed options of `paper` (without `--list`). */
export interface PaperRequest {
  /** The figures asked for (`--figure`: one, or all of them). */
  readonly figures: readonly PaperFigure[];
  /** The scale (`--scale`, default `small`). */
  readonly scale: PaperScale;
  /** Seeds per P (`--seeds`, default 1). */
  readonly seeds: number;
  /** The output directory (`--out`, default `results/paper-<scale>`). */
  readonly out: string;
}

/**
 * Parses `--figure`, `--scale`, `--seeds`, `--out` (errors name the option and the bound).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parsePaperOptions } from "./options.ts";
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
 * import { availableFigures } from "./options.ts";
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
 * The plan of a `paper` request: the union of its figures' runs (a figure whose experiment is
 * missing is a `UsageError` alone, skipped among others).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { paperPlan } from "./options.ts";
 * import { figureById } from "./catalogue.ts";
 * import { makePlan } from "../plan.ts";
 * const plan = paperPlan({ figures: [figureById("13")], scale: "small", seeds: 1, out: "x" },
 *   (i) => makePlan(i.experiment, {}, []));
 * assert.equal(plan.experiment, "paper");
 * ```
 */
export function paperPlan(request: PaperRequest, planOf: PlanOf = planOfInvocation): Plan {
  const { figures } = availableFigures(request.figures, hasComposedExperiment);
  return unionPlan(figurePlans(figures, request, planOf), request);
}

/**
 * One line per fit for stdout: `4c C1 (s = 2): 2.31 [2.05, 2.6], paper 2.5`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitLines } from "./options.ts";
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
