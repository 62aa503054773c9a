/**
 * What an experiment is, for the registry (`registry.ts`): its plan, its command-line options,
 * how its results are summarised, its figures, its report section and its headline. Each
 * experiment is one folder (`curve/`, `scaling/`, `hierarchy/`) whose `mod.ts` exports one
 * `Experiment`; the registry lists them, and nothing else picks an experiment by its name.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { ScalingVariable } from "@srhm/metrics";
import type { Plan, Run } from "./plan.ts";
import type { Runner } from "./runner.ts";
import type { ResultLine } from "./store.ts";
import type { AnyCommand } from "./cli/options.ts";

/** A named figure: written as `<name>.svg` and `<name>.png`. */
export interface Figure {
  /** File name without extension. */
  readonly name: string;
  /** The Vega-Lite specification. */
  readonly spec: TopLevelSpec;
}

/** What every experiment's summary has: its type (the registry's key) and its name. */
export interface SummaryBase {
  /** The registry's key of the experiment that summarised it. */
  readonly type: string;
  /** The experiment's name, as in `run.experiment`. */
  readonly experiment: string;
}

/** Options of summarising (the scaling fit's). */
export interface SummarizeOptions {
  /** Bootstrap resamples of the scaling fit (default 2000). */
  readonly bootstrap?: number;
  /** Seed of the bootstrap (default 0). */
  readonly seed?: number;
  /** The scaling variable (default: the one that varies in the results). */
  readonly variable?: ScalingVariable;
}

/** The command-line part of an experiment: its options and how they become the plan's. */
export interface ExperimentCli<Options> {
  /** One line for `--help`. */
  readonly description: string;
  /** Declares the experiment's options on its command (with commander's types and defaults). */
  readonly declare: (command: AnyCommand) => AnyCommand;
  /** The plan's options from what commander parsed (throws a `RangeError` on a bad value). */
  readonly fromCli: (parsed: Readonly<Record<string, unknown>>) => Options;
}

/** One experiment: everything the CLI, the summaries, the figures and the report need of it. */
export interface Experiment<Options, Summary extends SummaryBase> {
  /** The command-line options. */
  readonly options: ExperimentCli<Options>;
  /** The plan of the given options. */
  readonly plan: (options: Options) => Plan;
  /** The summary of the result lines of one experiment name. */
  readonly summarize: (
    results: readonly ResultLine[],
    name: string,
    options: SummarizeOptions,
  ) => Summary;
  /** Its figures. */
  readonly figures: (summary: Summary) => Figure[];
  /** Its section of `report.md` (Markdown, starting with its `## ` heading). */
  readonly reportSection: (summary: Summary) => string;
  /** A few lines for stdout. */
  readonly headline: (summary: Summary) => string[];
  /** The command's own action, for an experiment whose outputs are not one plan's in one directory
   * (the paper's figures: `--list`, `--dry-run`, one folder per figure); absent, the command
   * executes the plan into `--out` and writes its outputs there. */
  readonly run?: (
    parsed: Readonly<Record<string, unknown>>,
    context: CommandContext,
  ) => Promise<void>;
}

/** An experiment of any options and summary, as the registry hands it out. */
// deno-lint-ignore no-explicit-any
export type AnyExperiment = Experiment<any, SummaryBase>;

/** What the CLI hands to an experiment's own action: the parts that load tfjs and the renderer. */
export interface CommandContext {
  /** Trains a run (`runPipeline`). */
  readonly runner?: Runner;
  /** Writes a figure as `<basePath>.svg` and `.png` (`writeFigure`). */
  readonly writeFigure?: (spec: TopLevelSpec, basePath: string) => Promise<unknown>;
  /** Checks the backends and the memory of the runs before the first starts (`preflight`). */
  readonly preflight?: (runs: readonly Run[]) => Promise<void>;
}
