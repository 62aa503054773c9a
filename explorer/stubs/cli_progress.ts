/**
 * Browser stand-in for `cli-progress` (a terminal progress bar, which the explorer's trainer never
 * draws: it trains with `quiet`). Constructing a bar is an error, so that a use shows at once.
 *
 * @module
 */

/** Throws: no terminal progress bar in a browser. */
class SingleBar {
  constructor() {
    throw new Error("cli-progress is not available in the browser (train with quiet: true)");
  }
}

/**
 * The module's default export, as the trainer uses it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import cliProgress from "./cli_progress.ts";
 * assert.throws(() => new cliProgress.SingleBar(), /quiet: true/);
 * ```
 */
const cliProgress: { SingleBar: typeof SingleBar; Presets: { shades_classic: object } } = {
  SingleBar,
  Presets: { shades_classic: {} },
};

export default cliProgress;
