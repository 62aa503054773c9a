import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  compileSpec,
  lineChart,
  renderPng,
  renderSvg,
  seedBands,
  sensitivityChart,
  sensitivityHeatmap,
  writeFigure,
} from "../experiments/figures/mod.ts";

type Obj = Record<string, unknown>;
const plain = (spec: unknown): Obj => spec as Obj;
// deno-lint-ignore no-explicit-any
const layersOf = (spec: unknown): any[] => (spec as { layer: unknown[] }).layer;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const pngWidth = (png: Uint8Array): number =>
  new DataView(png.buffer, png.byteOffset).getUint32(16);

/** Number of points (symbol paths) in the first symbol mark group of an SVG. */
function symbolCount(svg: string): number {
  const start = svg.indexOf("mark-symbol");
  assert.ok(start >= 0, "the SVG has a symbol mark");
  const end = svg.indexOf("</g>", start);
  return (svg.slice(start, end).match(/<path/g) ?? []).length;
}

const curve = (): Obj[] =>
  [1, 2].flatMap((s0) =>
    [100, 400, 1600].map((P) => ({
      P,
      error: 0.5 * (100 * s0 / P),
      lo: 0.4 * (100 * s0 / P),
      hi: 0.6 * (100 * s0 / P),
      s0: `s0 = ${s0}`,
    }))
  );

const fullChart = () =>
  lineChart({
    title: "Learning curve CNN",
    x: { field: "P", title: "training-set size P", log: true },
    y: { field: "error", title: "test error", log: true },
    series: "s0",
    seriesTitle: "empty slots",
    points: curve(),
    errorBars: { lo: "lo", hi: "hi" },
    law: [{ P: 300, error: 0.01, s0: "s0 = 1" }, { P: 300, error: 1, s0: "s0 = 1" }],
    lawLabel: "2.5 (s0+1)^2 nc m^L",
    yRules: [{ value: 0.1, label: "10 %" }],
  });

test("lineChart: log scales, series colour, error bars, dashed law layer, rules", () => {
  const layers = layersOf(fullChart());
  assert.equal(layers.length, 5); // data, error bars, law, rule, rule label
  const [data, bars, law, rule] = layers;
  assert.equal(data.mark.type, "line");
  assert.equal(data.encoding.x.scale.type, "log");
  assert.equal(data.encoding.y.scale.type, "log");
  assert.equal(data.encoding.color.field, "s0");
  assert.equal(bars.mark.type, "errorbar");
  assert.equal(bars.encoding.y.field, "lo");
  assert.equal(bars.encoding.y2.field, "hi");
  assert.equal(law.mark.type, "line");
  assert.deepEqual(law.encoding.strokeDash.scale.range, [[6, 4]]);
  assert.equal(law.encoding.strokeDash.datum, "2.5 (s0+1)^2 nc m^L");
  assert.equal(rule.mark.type, "rule");
  assert.equal(rule.encoding.y.field, "error");
  assert.deepEqual(rule.data.values, [{ error: 0.1, label: "10 %" }]);
});

test("lineChart: linear axes and no optional layers when not asked", () => {
  const spec = lineChart({
    title: "t",
    x: { field: "a" },
    y: { field: "b", domain: [0, 1] },
    points: [{ a: 1, b: 0 }],
  });
  const layers = layersOf(spec);
  assert.equal(layers.length, 1);
  assert.equal(layers[0].encoding.x.scale.type, undefined);
  assert.deepEqual(layers[0].encoding.y.scale.domain, [0, 1]);
  assert.equal(layers[0].encoding.color, undefined);
});

test("lineChart: the spec copies the rows (changing them later changes nothing)", () => {
  const points: Obj[] = [{ P: 10, error: 0.5 }];
  const spec = lineChart({ title: "t", x: { field: "P" }, y: { field: "error" }, points });
  points[0].error = 0.9;
  assert.equal(layersOf(spec)[0].data.values[0].error, 0.5);
});

test("lineChart: compiles without vega-lite warnings", () => {
  assert.deepEqual(compileSpec(fullChart()).warnings, []);
});

test("renderSvg: the title, axis titles, legend entries and one symbol per valid point", async () => {
  const warnings: string[] = [];
  const svg = await renderSvg(fullChart(), { onWarning: (w) => warnings.push(w) });
  assert.ok(svg.startsWith("<svg"));
  for (const text of ["Learning curve CNN", "training-set size P", "test error", "empty slots"]) {
    assert.ok(svg.includes(text), `SVG contains ${text}`);
  }
  assert.ok(svg.includes("s0 = 1") && svg.includes("s0 = 2"));
  assert.ok(svg.includes("2.5 (s0+1)^2 nc m^L"), "legend entry of the law");
  assert.ok(svg.includes("10 %"));
  assert.ok(svg.includes("stroke-dasharray"), "a dashed line");
  assert.equal(symbolCount(svg), 6);
  assert.deepEqual(warnings, []);
});

test("renderSvg: rows a log axis cannot show (0, NaN, null) are left out, not drawn", async () => {
  const spec = lineChart({
    title: "zeros",
    x: { field: "P", log: true },
    y: { field: "error", log: true },
    points: [
      { P: 10, error: 0.5 },
      { P: 100, error: 0.05 },
      { P: 1000, error: 0 },
      { P: 2000, error: NaN },
      { P: 4000, error: null },
    ],
  });
  const svg = await renderSvg(spec, { onWarning: () => {} });
  assert.equal(symbolCount(svg), 2);
});

test("renderPng: PNG signature, requested width, nonzero size", async () => {
  const svg = await renderSvg(fullChart(), { onWarning: () => {} });
  const png = await renderPng(svg, { width: 640 });
  assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE);
  assert.equal(pngWidth(png), 640);
  assert.ok(png.length > 1000);
  await assert.rejects(() => renderPng(svg, { width: 0 }), /width must be an integer >= 1/);
});

test("renderPng: text is drawn (a font was found)", async () => {
  const page = (text: string) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">` +
    `<text x="5" y="30" font-family="sans-serif" font-size="24">${text}</text></svg>`;
  const blank = await renderPng(page(""));
  const written = await renderPng(page("P* = 640"));
  assert.notDeepEqual(written, blank);
  assert.ok(written.length > blank.length);
});

const sensitivityPoints = () =>
  [128, 1024].flatMap((P) =>
    [1, 2, "logits"].flatMap((layer) =>
      [1, 2].flatMap((level) =>
        (["S", "D"] as const).map((measure) => ({
          P,
          layer,
          level,
          measure,
          value: layer === 1 ? 0.875 : P === 128 ? 0.5 : 0.125,
        }))
      )
    )
  );

test("sensitivityChart: one panel per level and measure, a line per layer, log P", async () => {
  const chart = sensitivityChart({ title: "Sensitivities", points: sensitivityPoints() });
  const spec = plain(chart);
  const facet = spec.facet as Obj;
  assert.equal((facet.column as Obj).field, "levelLabel");
  assert.equal((facet.row as Obj).field, "measure");
  const layer = (spec.spec as { layer: Obj[] }).layer;
  // deno-lint-ignore no-explicit-any
  const enc = layer[0].encoding as any;
  assert.equal(enc.x.scale.type, "log");
  assert.equal(enc.color.field, "layer");
  assert.deepEqual(enc.color.sort, ["1", "2", "logits"]);
  assert.deepEqual(compileSpec(chart).warnings, []);
  const svg = await renderSvg(chart, { onWarning: () => {} });
  for (const text of ["Sensitivities", "l = 1", "l = 2", "logits", "layer k"]) {
    assert.ok(svg.includes(text), `SVG contains ${text}`);
  }
  // Only S present: no row facet.
  const onlyS = plain(sensitivityChart({
    title: "S",
    points: sensitivityPoints().filter((p) => p.measure === "S"),
  }));
  assert.equal((onlyS.facet as Obj).row, undefined);
});

test("sensitivityHeatmap: a panel per (measure, P), values printed in the cells", async () => {
  const chart = sensitivityHeatmap({ title: "Tables", points: sensitivityPoints() });
  const spec = plain(chart);
  assert.deepEqual((spec.facet as Obj).sort, [
    "S, P = 128",
    "S, P = 1024",
    "D, P = 128",
    "D, P = 1024",
  ]);
  const layer = (spec.spec as { layer: Obj[] }).layer;
  assert.equal((layer[0].mark as Obj).type, "rect");
  assert.equal((layer[1].mark as Obj).type, "text");
  assert.deepEqual(compileSpec(chart).warnings, []);
  const svg = await renderSvg(chart, { onWarning: () => {} });
  for (const text of ["Tables", "S, P = 128", "D, P = 1024", "0.88", "0.50", "0.13", "logits"]) {
    assert.ok(svg.includes(text), `SVG contains ${text}`);
  }
});

test("writeFigure: writes base.svg and base.png in a new directory", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const files = await writeFigure(fullChart(), `${dir}/sub/curve`, { onWarning: () => {} });
    assert.deepEqual(files, { svg: `${dir}/sub/curve.svg`, png: `${dir}/sub/curve.png` });
    const svg = await Deno.readTextFile(files.svg);
    assert.ok(svg.includes("Learning curve CNN"));
    const png = await Deno.readFile(files.png);
    assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

test("seedBands: mean, min, max and count per (x, series); invalid values left out", () => {
  const bands = seedBands(
    [
      { P: 10, e: 0.2, k: "a" },
      { P: 10, e: 0.6, k: "a" },
      { P: 10, e: NaN, k: "a" },
      { P: 10, e: 0.5, k: "b" },
      { P: 20, e: null, k: "a" },
    ],
    { x: "P", y: "e", series: "k" },
  );
  assert.deepEqual(bands, [
    { P: 10, k: "a", e: 0.4, lo: 0.2, hi: 0.6, n: 2 },
    { P: 10, k: "b", e: 0.5, lo: 0.5, hi: 0.5, n: 1 },
    { P: 20, k: "a", e: null, lo: null, hi: null, n: 0 },
  ]);
});

test("seedBands (property): lo <= mean <= hi and the counts add up", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({ P: fc.constantFrom(1, 2, 4), e: fc.double({ min: 0, max: 1, noNaN: true }) }),
        { minLength: 1, maxLength: 30 },
      ),
      (rows) => {
        const bands = seedBands(rows, { x: "P", y: "e" });
        const total = bands.reduce((a, b) => a + (b.n as number), 0);
        return total === rows.length &&
          bands.every((b) =>
            (b.lo as number) <= (b.e as number) + 1e-12 &&
            (b.e as number) <= (b.hi as number) + 1e-12
          );
      },
    ),
    { seed: 42, numRuns: 200 },
  );
});

test("renderSvg: an empty chart still renders, each distinct warning once", async () => {
  const warnings: string[] = [];
  const svg = await renderSvg(
    lineChart({
      title: "nothing to show",
      x: { field: "P", log: true },
      y: { field: "error", log: true },
      points: [{ P: 10, error: 0 }],
    }),
    { onWarning: (w) => warnings.push(w) },
  );
  assert.ok(svg.includes("nothing to show"));
  assert.ok(warnings.length > 0);
  assert.equal(new Set(warnings).size, warnings.length);
});

/** Paths per symbol mark group of an SVG, in document order (legend symbols excluded). */
function symbolGroups(svg: string): number[] {
  const counts: number[] = [];
  for (const m of svg.matchAll(/class="mark-symbol role-mark[^"]*"/g)) {
    const end = svg.indexOf("</g>", m.index);
    counts.push((svg.slice(m.index, end).match(/<path/g) ?? []).length);
  }
  return counts;
}

test("lineChart: y.zeroAt draws the zeros at the floor as hollow triangles", async () => {
  const points = [
    { P: 100, error: 0.5, lo: 0.4, hi: 0.6 },
    { P: 400, error: 0.01, lo: 0, hi: 0.02 },
    { P: 1600, error: 0, lo: 0, hi: 0 },
    { P: 3200, error: null, lo: null, hi: null },
  ];
  const spec = lineChart({
    title: "floor",
    x: { field: "P", log: true },
    y: { field: "error", log: true, zeroAt: 1e-3 },
    points,
    errorBars: { lo: "lo", hi: "hi" },
  });
  const [line, dots, zeros, bars] = layersOf(spec);
  assert.equal(line.mark.point, false);
  assert.equal(line.encoding.y.field, "__y");
  assert.equal(dots.mark.type, "point");
  assert.equal(zeros.mark.shape, "triangle-down");
  assert.equal(zeros.mark.filled, false);
  assert.equal(bars.encoding.y.field, "__lo");
  assert.deepEqual(compileSpec(spec).warnings, []);
  const svg = await renderSvg(spec, { onWarning: () => {} });
  // Two positive points, one zero; null is left out.
  assert.deepEqual(symbolGroups(svg), [2, 1]);
  assert.throws(
    () =>
      lineChart({ title: "t", x: { field: "P" }, y: { field: "e", log: true, zeroAt: 0 }, points }),
    /y\.zeroAt must be finite and > 0/,
  );
});

Deno.test("lineChart with connect false draws the measured points without a line", () => {
  const points = [{ x: 1, y: 2, s: "a" }, { x: 1, y: 3, s: "a" }, { x: 2, y: 5, s: "a" }];
  const marks = (connect?: boolean) =>
    (lineChart({
      title: "t",
      x: { field: "x", log: true },
      y: { field: "y", log: true },
      series: "s",
      points,
      ...(connect === undefined ? {} : { connect }),
    }) as unknown as { layer: { mark: { type: string } }[] }).layer.map((l) => l.mark.type);
  assert.deepEqual(marks(), ["line"]);
  assert.deepEqual(marks(false), ["point"]);
});
