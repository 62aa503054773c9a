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

export default { SingleBar, Presets: { shades_classic: {} } };
