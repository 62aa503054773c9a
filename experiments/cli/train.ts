/**
 * CLI commands (placeholder until its issue lands: registers nothing yet).
 *
 * @module
 */
import type { Command } from "@commander-js/extra-typings";

/**
 * Registers this file's commands on the program.
 *
 * @example
 * ```ts
 * import { Command } from "@commander-js/extra-typings";
 * import { registerTrainCommand } from "./train.ts";
 * registerTrainCommand(new Command());
 * ```
 */
export function registerTrainCommand(_program: Command): void {}
