/**
 * The `srhm` command line: `deno task experiment <command> [options]`.
 *
 * The CLI is thin: each command lives in its own file under `experiments/cli/`, parses its options
 * into the same plain objects that library users pass, and calls the library. Bad arguments exit
 * with code 2 and one line on stderr, with nothing on stdout.
 *
 * @module
 */
import { CommanderError } from "@commander-js/extra-typings";
import { Command } from "@commander-js/extra-typings";
import { UsageError } from "./usage_error.ts";
import { registerGrammarCommands } from "./grammar.ts";
import { registerTrainCommand } from "./train.ts";
import { registerExperimentCommands } from "./experiments.ts";
import { registerClusterCommands } from "./cluster_commands.ts";
import { registerDefaultCommand } from "./default.ts";
import { registerExportCommand } from "./export.ts";

/** Every command module registers itself on the program through one of these. */
export type Register = (program: Command) => void;

/** The commands, in the order `--help` lists them. */
const REGISTRATIONS: readonly Register[] = [
  registerDefaultCommand,
  registerGrammarCommands,
  registerTrainCommand,
  registerExperimentCommands,
  registerClusterCommands,
  registerExportCommand,
];

/**
 * Builds the whole program (without parsing). Exposed for tests.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildProgram } from "./main.ts";
 * const program = buildProgram();
 * assert.ok(program.commands.some((c) => c.name() === "grammar"));
 * ```
 */
export function buildProgram(): Command {
  const program = new Command()
    .name("srhm")
    .description("Sparse Random Hierarchy Model: grammars, data, networks, experiments")
    .exitOverride()
    .configureOutput({
      writeErr: (s) => Deno.stderr.writeSync(new TextEncoder().encode(oneLine(s))),
    });
  for (const register of REGISTRATIONS) register(program);
  return program;
}

/**
 * A message of commander as one line (its hints, e.g. "(Did you mean --help?)", go on the same
 * line); help texts (several lines, no `error:`) are kept as they are.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { oneLine } from "./main.ts";
 * assert.equal(oneLine("error: unknown option '--nope'\n(Did you mean --mode?)\n"),
 *   "error: unknown option '--nope' (Did you mean --mode?)\n");
 * ```
 */
export function oneLine(text: string): string {
  if (!text.startsWith("error:")) return text;
  return text.trimEnd().split("\n").map((l) => l.trim()).join(" ") + "\n";
}

/** Errors that refuse a command before it computes anything: exit code 2, like a bad argument. */
const REFUSALS = [
  "UsageError",
  "PreflightError",
  "MixedVersionsError",
  "BackendUnavailableError",
  "MemoryEstimateError",
];

/**
 * Runs the CLI on `args`; returns the exit code (0 ok, 2 bad arguments or a command refused
 * before it computes anything: an unavailable backend, a run that would not fit in memory,
 * results of another code version; 1 failure).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCli } from "./main.ts";
 * const code = await runCli(["grammar", "--L", "0"]);
 * assert.ok(code === 2);
 * ```
 */
export async function runCli(args: readonly string[]): Promise<number> {
  const program = buildProgram();
  program.commands.forEach((c) => c.exitOverride());
  try {
    await program.parseAsync([...args], { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version are not errors; commander has already printed its message.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError || (e instanceof Error && REFUSALS.includes(e.name))) {
      console.error(`error: ${e.message.split("\n").join(" ")}`);
      return 2;
    }
    console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

if (import.meta.main) {
  Deno.exit(await runCli(Deno.args));
}
