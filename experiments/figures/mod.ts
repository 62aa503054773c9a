/**
 * Figures without a browser: Vega-Lite specifications built as plain data (line charts with log
 * axes, error bars and the paper's law; sensitivity panels and heatmaps), rendered to SVG by a
 * headless Vega view and to PNG by resvg.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lineChart, renderPng, renderSvg } from "./mod.ts";
 * const spec = lineChart({
 *   title: "learning curve",
 *   x: { field: "P", log: true },
 *   y: { field: "error", log: true },
 *   points: [{ P: 100, error: 0.5 }, { P: 1000, error: 0.05 }],
 * });
 * const svg = await renderSvg(spec);
 * assert.ok(svg.includes("learning curve") && (await renderPng(svg)).length > 0);
 * ```
 *
 * @module
 */
export {
  type AxisOptions,
  type Datum,
  lineChart,
  type LineChartOptions,
  type RuleOptions,
} from "./line_chart.ts";
export {
  sensitivityChart,
  type SensitivityChartOptions,
  sensitivityHeatmap,
  type SensitivityHeatmapOptions,
  type SensitivityPoint,
} from "./sensitivity_chart.ts";
export { type SeedBandOptions, seedBands } from "./seed_bands.ts";
export {
  type CompiledSpec,
  compileSpec,
  type FigureFiles,
  renderPng,
  type RenderPngOptions,
  renderSvg,
  type RenderSvgOptions,
  writeFigure,
} from "./render.ts";
export { FIGURE_FONT, type FigureConfig, figureConfig } from "./theme.ts";
