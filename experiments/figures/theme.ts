/**
 * The look shared by every figure: fonts that resvg finds on a bare Linux machine, sizes, grid.
 *
 * @module
 */

/**
 * The font list of every figure. DejaVu Sans comes first because it is the font most often
 * installed on a bare Linux machine (and the one `renderPng` falls back to); the SVG viewer picks
 * the first it has.
 */
export const FIGURE_FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif";

/** A plain-data Vega-Lite `config` object. */
export type FigureConfig = Record<string, unknown>;

/**
 * The Vega-Lite `config` of every figure: `FIGURE_FONT`, readable sizes, a light grid, a white
 * background (so the PNG is not transparent).
 *
 * @returns a fresh config object (safe to modify).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { figureConfig, FIGURE_FONT } from "./theme.ts";
 * assert.ok(figureConfig().font === FIGURE_FONT);
 * ```
 */
export function figureConfig(): FigureConfig {
  return {
    font: FIGURE_FONT,
    background: "white",
    padding: 8,
    title: { fontSize: 14, anchor: "start", offset: 10 },
    axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridOpacity: 0.5 },
    legend: { labelFontSize: 11, titleFontSize: 12, symbolStrokeWidth: 2 },
    header: { labelFontSize: 12, titleFontSize: 12 },
    view: { stroke: "#ccc" },
  };
}
