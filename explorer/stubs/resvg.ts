/**
 * Browser stand-in for `@resvg/resvg-js` (a native rasteriser for PNG files): the explorer draws
 * figures as SVG in the page and never makes a PNG.
 *
 * @module
 */

/**
 * Throws: no native rasteriser in a browser.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Resvg } from "./resvg.ts";
 * assert.throws(() => new Resvg(), /not available in the browser/);
 * ```
 */
export class Resvg {
  constructor() {
    throw new Error("PNG rendering (resvg) is not available in the browser; figures are SVG");
  }
}
