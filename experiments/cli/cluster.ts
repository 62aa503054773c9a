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
 * import { registerClusterCommands } from "./cluster.ts";
 * registerClusterCommands(new Command());
 * ```
 */
export function registerClusterCommands(_program: Command): void {}
