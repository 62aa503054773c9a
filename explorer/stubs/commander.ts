/**
 * Browser stand-in for `commander` and `@commander-js/extra-typings`: the command line of
 * `experiments` is in the bundle (its modules are reached through `@srhm/experiments`) but never
 * runs in a page. The errors are real classes; building a command or an option throws.
 *
 * @module
 */

/** commander's error (exit code, code, message). */
export class CommanderError extends Error {
  /** The exit code. */
  readonly exitCode: number;
  /** commander's error code. */
  readonly code: string;
  /**
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { CommanderError } from "./commander.ts";
   * assert.equal(new CommanderError(2, "x", "bad").exitCode, 2);
   * ```
   */
  constructor(exitCode: number, code: string, message: string) {
    super(message);
    this.exitCode = exitCode;
    this.code = code;
  }
}

/** commander's error for a bad option value. */
export class InvalidArgumentError extends CommanderError {
  /**
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { InvalidArgumentError } from "./commander.ts";
   * assert.equal(new InvalidArgumentError("no").message, "no");
   * ```
   */
  constructor(message: string) {
    super(1, "commander.invalidArgument", message);
  }
}

const absent = (what: string): never => {
  throw new Error(`commander's ${what} is not available in the browser`);
};

/** Throws: no command line in a browser. */
export class Command {
  /**
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Command } from "./commander.ts";
   * assert.throws(() => new Command(), /not available in the browser/);
   * ```
   */
  constructor(..._args: unknown[]) {
    absent("Command");
  }
}

/** Throws: no command line in a browser. */
export class Option {
  /**
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Option } from "./commander.ts";
   * assert.throws(() => new Option("--x"), /not available in the browser/);
   * ```
   */
  constructor(..._args: unknown[]) {
    absent("Option");
  }
}

/** Throws: no command line in a browser. */
export class Argument {
  /**
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Argument } from "./commander.ts";
   * assert.throws(() => new Argument("x"), /not available in the browser/);
   * ```
   */
  constructor(..._args: unknown[]) {
    absent("Argument");
  }
}

/** Throws: no command line in a browser. */
export function createCommand(): never {
  return absent("createCommand");
}
