/**
 * Charts of the sensitivity matrices `S_{k,l}` and `D_{k,l}` (hidden layer k, level l) against
 * P: faceted lines, and heatmaps (a table per P).
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { figureConfig } from "./theme.ts";

/** One measured sensitivity: layer `k` (a number, or a name such as `"logits"`), level `l`. */
export interface SensitivityPoint {
  /** Training-set size. */
  readonly P: number;
  /** Layer `1..L`, or `"logits"`. */
  readonly layer: number | string;
  /** Level `1..L`. */
  readonly level: number;
  /** The ratio (`NaN` / `null` rows, undefined measurements, are left out). */
  readonly value: number | null;
  /** `"S"` (synonyms) or `"D"` (diffeomorphisms); default `"S"`. */
  readonly measure?: "S" | "D";
  /** Optional ends of an error bar (e.g. min and max over seeds). */
  readonly lo?: number;
  /** Top of the band (mean + std over seeds). */
  readonly hi?: number;
}

/** Options of `sensitivityChart`. */
export interface SensitivityChartOptions {
  /** The title. */
  readonly title: string;
  /** The points. */
  readonly points: readonly SensitivityPoint[];
  /** Logarithmic value axis (default false: linear from 0). */
  readonly logValue?: boolean;
  /** Draw error bars from `lo` to `hi` (default: when any point has both). */
  readonly errorBars?: boolean;
  /** Size of one panel in pixels (default 220 x 160). */
  readonly width?: number;
  /** Height in pixels. */
  readonly height?: number;
}

type Obj = Record<string, unknown>;

function rows(points: readonly SensitivityPoint[]): Obj[] {
  return points.map((p) => ({
    P: p.P,
    layer: String(p.layer),
    level: p.level,
    levelLabel: `l = ${p.level}`,
    value: p.value === null || Number.isNaN(p.value) ? null : p.value,
    measure: p.measure ?? "S",
    lo: p.lo ?? null,
    hi: p.hi ?? null,
  }));
}

/** Layer names in their natural order (numbers first, ascending, then names). */
function layerOrder(points: readonly SensitivityPoint[]): string[] {
  const names = [...new Set(points.map((p) => p.layer))];
  names.sort((a, b) =>
    typeof a === "number" && typeof b === "number"
      ? a - b
      : typeof a === "number"
      ? -1
      : typeof b === "number"
      ? 1
      : a.localeCompare(b)
  );
  return names.map(String);
}

/**
 * Sensitivities against P as faceted lines: one panel per level l (columns) and per measure
 * (rows: `S`, then `D`, when both are present), one coloured line per hidden layer k. Rows with
 * an undefined value are left out (and, on a log axis, values `<= 0`). Reading it: layer l+1 is
 * the first whose line falls towards 0 in the panel of level l.
 *
 * @param options the chart.
 * @returns a faceted Vega-Lite specification.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sensitivityChart } from "./sensitivity_chart.ts";
 * const spec = sensitivityChart({
 *   title: "S_{k,l}",
 *   points: [{ P: 100, layer: 1, level: 1, value: 0.9 }, { P: 1000, layer: 2, level: 1, value: 0.1 }],
 * });
 * assert.ok("facet" in spec);
 * ```
 */
export function sensitivityChart(options: SensitivityChartOptions): TopLevelSpec {
  const { points } = options;
  const measures = [...new Set(points.map((p) => p.measure ?? "S"))].sort().reverse();
  const bars = options.errorBars ?? points.some((p) => p.lo !== undefined && p.hi !== undefined);
  const filter = options.logValue
    ? "isValid(datum.value) && isFinite(datum.value) && datum.value > 0"
    : "isValid(datum.value) && isFinite(datum.value)";
  const x = {
    field: "P",
    type: "quantitative",
    scale: { type: "log", nice: false, padding: 10 },
    title: "P",
  };
  const yScale: Obj = options.logValue ? { type: "log" } : { zero: true };
  const y = { field: "value", type: "quantitative", scale: yScale, title: "sensitivity" };
  const color = {
    field: "layer",
    type: "nominal",
    title: "layer k",
    sort: layerOrder(points),
  };
  const layer: Obj[] = [{
    transform: [{ filter }],
    mark: { type: "line", point: { size: 30 }, strokeWidth: 2 },
    encoding: { x, y, color },
  }];
  if (bars) {
    layer.push({
      transform: [{ filter: `${filter} && isValid(datum.lo) && isValid(datum.hi)` }],
      mark: { type: "errorbar", ticks: true },
      encoding: { x, y: { ...y, field: "lo" }, y2: { field: "hi" }, color },
    });
  }
  const facet: Obj = {
    column: { field: "levelLabel", type: "ordinal", title: null, sort: { field: "level" } },
  };
  if (measures.length > 1) {
    facet.row = { field: "measure", type: "nominal", title: null, sort: measures };
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: options.title,
    config: figureConfig(),
    data: { values: rows(points) },
    facet,
    spec: { width: options.width ?? 220, height: options.height ?? 160, layer },
    resolve: { scale: { y: "shared" } },
  } as unknown as TopLevelSpec;
}

/** Options of `sensitivityHeatmap`. */
export interface SensitivityHeatmapOptions {
  /** The title. */
  readonly title: string;
  /** The points. */
  readonly points: readonly SensitivityPoint[];
  /** Panels per row (default 4). */
  readonly columns?: number;
  /** Upper end of the colour scale (values above are clamped; default 1). */
  readonly max?: number;
}

/**
 * Sensitivity matrices as heatmaps with the value printed in each cell: one panel per P
 * (and per measure, when both `S` and `D` are present), level l across, layer k down (the last
 * layer on top). Undefined values show as an empty cell.
 *
 * @param options the chart.
 * @returns a faceted Vega-Lite specification.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sensitivityHeatmap } from "./sensitivity_chart.ts";
 * const spec = sensitivityHeatmap({
 *   title: "D_{k,l}",
 *   points: [{ P: 100, layer: 1, level: 1, value: 0.9, measure: "D" }],
 * });
 * assert.ok("facet" in spec);
 * ```
 */
export function sensitivityHeatmap(options: SensitivityHeatmapOptions): TopLevelSpec {
  const { points } = options;
  const max = options.max ?? 1;
  const data: Obj[] = rows(points).map((r) => ({ ...r, panel: `${r.measure}, P = ${r.P}` }));
  const panels = [
    ...new Set(
      [...data].sort((a, b) =>
        String(b.measure).localeCompare(String(a.measure)) || (a.P as number) - (b.P as number)
      ).map((r) => r.panel as string),
    ),
  ];
  const axis = { grid: false, labelAngle: 0, ticks: false, domain: false };
  const x = { field: "level", type: "ordinal", title: "level l", axis };
  const y = {
    field: "layer",
    type: "ordinal",
    title: "layer k",
    axis,
    sort: layerOrder(points).reverse(),
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: options.title,
    config: figureConfig(),
    data: { values: data },
    facet: { field: "panel", type: "nominal", title: null, sort: panels },
    columns: options.columns ?? 4,
    spec: {
      width: { step: 44 },
      height: { step: 30 },
      layer: [
        {
          transform: [{ filter: "isValid(datum.value) && isFinite(datum.value)" }],
          mark: { type: "rect" },
          encoding: {
            x,
            y,
            color: {
              field: "value",
              type: "quantitative",
              title: "sensitivity",
              scale: { scheme: "blues", domain: [0, max], clamp: true },
            },
          },
        },
        {
          transform: [{ filter: "isValid(datum.value) && isFinite(datum.value)" }],
          mark: { type: "text", fontSize: 11 },
          encoding: {
            x,
            y,
            text: { field: "value", type: "quantitative", format: ".2f" },
            color: {
              condition: { test: `datum.value > ${0.6 * max}`, value: "white" },
              value: "black",
            },
          },
        },
      ],
    },
  } as unknown as TopLevelSpec;
}
