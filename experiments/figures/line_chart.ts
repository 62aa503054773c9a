/**
 * Line charts of measurements against P (learning curves, P* against s0): log axes, a legend
 * per series, error bars over seeds, the paper's law as a dashed line, reference rules.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { figureConfig } from "./theme.ts";

/** One row of chart data: plain JSON values keyed by field name. */
export type Datum = Readonly<Record<string, unknown>>;

/** An axis: the data field it shows, its title, whether it is logarithmic. */
export interface AxisOptions {
  /** Field of the data rows. */
  readonly field: string;
  /** Axis title (default: the field name). */
  readonly title?: string;
  /** Logarithmic scale (base 10). Rows whose value is `<= 0` are then left out of the chart. */
  readonly log?: boolean;
  /** Fixed domain `[min, max]` (default: from the data). */
  readonly domain?: readonly [number, number];
  /**
   * Log y axis only: draw values `<= 0` at this positive value, marked by a hollow down-triangle,
   * instead of leaving them out (e.g. a test error of 0 drawn at `1 / (2 * testSize)`).
   */
  readonly zeroAt?: number;
}

/** A horizontal or vertical reference line (a threshold, a predicted P*). */
export interface RuleOptions {
  /** Where the rule is drawn. */
  readonly value: number;
  /** Its label. */
  readonly label?: string;
}

/** Options of `lineChart`. */
export interface LineChartOptions {
  /** The title. */
  readonly title: string;
  /** The x axis. */
  readonly x: AxisOptions;
  /** The y axis. */
  readonly y: AxisOptions;
  /** Field that splits the rows into lines (one colour and legend entry each). */
  readonly series?: string;
  /** Legend title of the series (default: the field name). */
  readonly seriesTitle?: string;
  /** The measured rows. */
  readonly points: readonly Datum[];
  /**
   * Join each series' points by a line in x order (default `true`: a curve); `false` draws the
   * points alone, for a scatter against a predictor where several points can share an x.
   */
  readonly connect?: boolean;
  /** Fields holding the lower and upper ends of an error bar (e.g. min and max over seeds). */
  readonly errorBars?: { readonly lo: string; readonly hi: string };
  /**
   * Rows of the paper's law, with the same x and y fields (and the series field, if the law
   * differs per series): drawn as a dashed line, with a legend entry `lawLabel`.
   */
  readonly law?: readonly Datum[];
  /** Legend label of the law (default `"paper's law"`). */
  readonly lawLabel?: string;
  /** Horizontal dashed rules (e.g. the 10 % threshold of P*). */
  readonly yRules?: readonly RuleOptions[];
  /** Vertical dashed rules (e.g. a predicted P*). */
  readonly xRules?: readonly RuleOptions[];
  /** Plot size in pixels (default 420 x 300). */
  readonly width?: number;
  /** Height in pixels. */
  readonly height?: number;
}

type Obj = Record<string, unknown>;

/** Vega-Lite encoding of one quantitative axis. */
function axisEncoding(a: AxisOptions, field = a.field, tight = false): Obj {
  // A tight log axis ends at the data (not at the next decade), with a few pixels of room.
  const log = tight ? { type: "log", nice: false, padding: 10 } : { type: "log" };
  const scale: Obj = a.log ? log : { zero: false };
  if (a.domain) scale.domain = [...a.domain];
  return { field, type: "quantitative", title: a.title ?? a.field, scale };
}

/** Filters keeping the rows that a log axis can show (value > 0) and that are numbers. */
function validRows(axes: readonly AxisOptions[], extra: readonly string[] = []): Obj[] {
  const tests: string[] = [];
  for (const a of axes) {
    tests.push(
      `isValid(datum[${JSON.stringify(a.field)}]) && isFinite(datum[${JSON.stringify(a.field)}])`,
    );
    if (a.log) tests.push(`datum[${JSON.stringify(a.field)}] > 0`);
  }
  for (const f of extra) tests.push(`isValid(datum[${JSON.stringify(f)}])`);
  return [{ filter: tests.join(" && ") }];
}

const copy = (rows: readonly Datum[]): Obj[] => rows.map((r) => ({ ...r }));

const f = (field: string): string => `datum[${JSON.stringify(field)}]`;

/** A numeric value that is `<= 0` (null, NaN and infinities excluded). */
const nonPositive = (field: string): string =>
  `isValid(${f(field)}) && isFinite(${f(field)}) && ${f(field)} <= 0`;

/** Copies `field` into `as`, with the values `<= 0` replaced by `floor`. */
const lift = (field: string, as: string, floor: number): Obj => ({
  calculate: `${nonPositive(field)} ? ${floor} : ${f(field)}`,
  as,
});

/**
 * A Vega-Lite line chart as plain data: one line with points per series, optional error bars
 * (`errorBars.lo` to `errorBars.hi`, e.g. the spread over seeds), the paper's law as a dashed
 * line (legend entry `lawLabel`), dashed reference rules, log axes where asked (ending at the
 * data, not at the next decade). Rows that a log axis cannot show (value `<= 0`, `NaN`, `null`)
 * are filtered out by the spec itself, so that a test error of exactly 0 does not break the
 * chart; with `y.zeroAt`, the zeros are drawn at that value instead, as hollow down-triangles. The rows are copied (the spec shares
 * nothing with the caller). Render it with `renderSvg` / `writeFigure`.
 *
 * @param options the chart.
 * @returns a Vega-Lite specification (layers: data, [zeros], [error bars], [law], [rules]).
 * @throws {RangeError} when `y.zeroAt` is not a finite positive number.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lineChart } from "./line_chart.ts";
 * const spec = lineChart({
 *   title: "CNN learning curve",
 *   x: { field: "P", title: "P", log: true },
 *   y: { field: "error", title: "test error", log: true },
 *   points: [{ P: 100, error: 0.5 }, { P: 1000, error: 0.05 }],
 *   law: [{ P: 640, error: 0.01 }, { P: 640, error: 1 }],
 * });
 * assert.ok("layer" in spec && spec.layer.length === 2);
 * ```
 */
export function lineChart(options: LineChartOptions): TopLevelSpec {
  const { x, y, series } = options;
  const floor = y.log ? y.zeroAt : undefined;
  if (floor !== undefined && !(floor > 0 && Number.isFinite(floor))) {
    throw new RangeError(`y.zeroAt must be finite and > 0 (got ${floor})`);
  }
  const ex = axisEncoding(x, x.field, true);
  const ey = axisEncoding(y);
  // With a floor, the lines are drawn from a copy of the y field whose zeros are lifted.
  const yShown = floor === undefined ? y : { ...y, field: "__y" };
  const eyShown = axisEncoding(y, yShown.field);
  const lifted = floor === undefined ? [] : [lift(y.field, "__y", floor)];
  const color = series
    ? { color: { field: series, type: "nominal", title: options.seriesTitle ?? series } }
    : {};
  const layers: Obj[] = [{
    data: { values: copy(options.points) },
    transform: [...lifted, ...validRows([x, yShown])],
    // With a floor, the points are drawn separately (zeros get a triangle instead).
    mark: options.connect === false
      ? { type: "point", filled: true, size: 40, opacity: floor === undefined ? 1 : 0 }
      : { type: "line", point: floor === undefined ? { size: 40 } : false, strokeWidth: 2 },
    encoding: { x: ex, y: eyShown, ...color },
  }];
  if (floor !== undefined) {
    layers.push({
      data: { values: copy(options.points) },
      transform: validRows([x, y]),
      mark: { type: "point", filled: true, size: 40, opacity: 1 },
      encoding: { x: ex, y: ey, ...color },
    });
    layers.push({
      data: { values: copy(options.points) },
      transform: [{ filter: nonPositive(y.field) }, ...lifted, ...validRows([x])],
      mark: { type: "point", shape: "triangle-down", filled: false, size: 90, strokeWidth: 1.5 },
      encoding: { x: ex, y: eyShown, ...color },
    });
  }
  if (options.errorBars) {
    const { lo, hi } = options.errorBars;
    const [loShown, hiShown] = floor === undefined ? [lo, hi] : ["__lo", "__hi"];
    const liftBars = floor === undefined ? [] : [lift(lo, "__lo", floor), lift(hi, "__hi", floor)];
    layers.push({
      data: { values: copy(options.points) },
      transform: [
        ...liftBars,
        ...validRows([x, { ...y, field: loShown }, { ...y, field: hiShown }]),
      ],
      mark: { type: "errorbar", ticks: true, ...(series ? {} : { color: "#4c78a8" }) },
      encoding: { x: ex, y: axisEncoding(y, loShown), y2: { field: hiShown }, ...color },
    });
  }
  if (options.law && options.law.length > 0) {
    const label = options.lawLabel ?? "paper's law";
    layers.push({
      data: { values: copy(options.law) },
      transform: validRows([x, y]),
      mark: { type: "line", strokeWidth: 1.5, ...(series ? {} : { color: "#333" }) },
      encoding: {
        x: ex,
        y: ey,
        ...color,
        strokeDash: {
          datum: label,
          type: "nominal",
          title: null,
          scale: { domain: [label], range: [[6, 4]] },
          legend: { symbolType: "stroke", symbolStrokeColor: "#333", symbolSize: 400 },
        },
      },
    });
  }
  for (const [axis, rules] of [["y", options.yRules], ["x", options.xRules]] as const) {
    if (!rules || rules.length === 0) continue;
    const a = axis === "y" ? y : x;
    const values = rules.map((r) => ({ [a.field]: r.value, label: r.label ?? "" }));
    const pos = axis === "y" ? { y: ey } : { x: ex };
    layers.push({
      data: { values },
      mark: { type: "rule", strokeDash: [2, 3], color: "#888" },
      encoding: pos,
    });
    layers.push({
      data: { values },
      mark: axis === "y"
        ? { type: "text", align: "left", baseline: "bottom", dx: 3, dy: -2, color: "#555" }
        : { type: "text", align: "left", baseline: "top", dx: 3, dy: 3, color: "#555" },
      encoding: {
        ...pos,
        ...(axis === "y" ? { x: { value: 0 } } : { y: { value: 0 } }),
        text: { field: "label" },
      },
    });
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: options.title,
    width: options.width ?? 420,
    height: options.height ?? 300,
    config: figureConfig(),
    layer: layers,
  } as unknown as TopLevelSpec;
}
