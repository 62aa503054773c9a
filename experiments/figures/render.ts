/**
 * Rendering Vega-Lite specifications without a browser: vega-lite compiles to Vega, a headless
 * Vega view (renderer `none`) writes SVG, resvg rasterises the SVG to PNG.
 *
 * @module
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { dirname } from "node:path";

/** Options of `renderSvg` and `compileSpec`. */
export interface RenderSvgOptions {
  /** Receives every warning of vega-lite and vega (default: `console.warn` with a prefix). */
  readonly onWarning?: (message: string) => void;
}

/** A compiled Vega specification and the warnings vega-lite gave while compiling. */
export interface CompiledSpec {
  /** The compiled Vega specification. */
  readonly vega: vega.Spec;
  /** Vega-Lite's warnings while compiling. */
  readonly warnings: readonly string[];
}

/** Vega's warning for a layer without data (e.g. the P* rule of a curve that never reaches P*). */
const EMPTY_LAYER = /^Infinite extent for field "[^"]*": \[Infinity, -Infinity\]$/;

const defaultWarn = (message: string): void => console.warn(`figure: ${message}`);

/** A logger for vega-lite / vega that sends warnings and errors to `sink`. */
function makeLogger(sink: (message: string) => void): vega.LoggerInterface {
  let current = vega.Warn;
  const text = (args: readonly unknown[]): string =>
    args.map((
      a,
    ) => (typeof a === "string" ? a : a instanceof Error ? a.message : JSON.stringify(a)))
      .join(" ");
  const logger = {
    level(value?: number) {
      if (value === undefined) return current;
      current = value;
      return logger;
    },
    error(...args: readonly unknown[]) {
      sink(`error: ${text(args)}`);
      return logger;
    },
    warn(...args: readonly unknown[]) {
      const message = text(args);
      // An empty layer (no P* reached yet, so no P* rule) has no extent: nothing to report.
      if (current >= vega.Warn && !EMPTY_LAYER.test(message)) sink(message);
      return logger;
    },
    info(..._args: readonly unknown[]) {
      return logger;
    },
    debug(..._args: readonly unknown[]) {
      return logger;
    },
  };
  return logger as unknown as vega.LoggerInterface;
}

/**
 * Compiles a Vega-Lite specification to Vega, collecting vega-lite's warnings (a spec that
 * compiles without any is well formed). The input is not modified.
 *
 * @param spec a Vega-Lite specification.
 * @returns `{ vega, warnings }`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileSpec } from "./render.ts";
 * const { vega, warnings } = compileSpec({
 *   data: { values: [{ a: 1, b: 2 }] },
 *   mark: "point",
 *   encoding: { x: { field: "a", type: "quantitative" }, y: { field: "b", type: "quantitative" } },
 * });
 * assert.ok(warnings.length === 0 && Array.isArray(vega.marks));
 * ```
 */
export function compileSpec(spec: TopLevelSpec): CompiledSpec {
  const warnings: string[] = [];
  const compiled = compile(structuredClone(spec), {
    logger: makeLogger((m) => warnings.push(m)) as never,
  });
  return { vega: compiled.spec as vega.Spec, warnings };
}

/**
 * Renders a Vega-Lite specification to an SVG document, without a browser or a canvas (text is
 * laid out with Vega's width estimates). Warnings of vega-lite and vega go to `onWarning`, each
 * distinct message once (an empty chart warns about infinite extents, and still renders).
 *
 * @param spec a Vega-Lite specification (e.g. from `lineChart`).
 * @param options `{ onWarning? }`.
 * @returns the SVG text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "./render.ts";
 * const svg = await renderSvg({
 *   title: "demo",
 *   data: { values: [{ a: 1, b: 2 }, { a: 2, b: 3 }] },
 *   mark: "line",
 *   encoding: { x: { field: "a", type: "quantitative" }, y: { field: "b", type: "quantitative" } },
 * });
 * assert.ok(svg.startsWith("<svg") && svg.includes("demo"));
 * ```
 */
export async function renderSvg(
  spec: TopLevelSpec,
  options: RenderSvgOptions = {},
): Promise<string> {
  const report = options.onWarning ?? defaultWarn;
  const seen = new Set<string>();
  const sink = (message: string): void => {
    if (seen.has(message)) return;
    seen.add(message);
    report(message);
  };
  const compiled = compileSpec(spec);
  compiled.warnings.forEach((w) => sink(w));
  const view = new vega.View(vega.parse(compiled.vega), {
    renderer: "none",
    logger: makeLogger(sink),
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Options of `renderPng`. */
export interface RenderPngOptions {
  /** Width of the PNG in pixels (the height follows the aspect ratio); default: twice the SVG's. */
  readonly width?: number;
  /** Font files to load besides the system fonts (for machines without DejaVu Sans). */
  readonly fontFiles?: readonly string[];
  /** Family used where the SVG's families are missing (default `"DejaVu Sans"`). */
  readonly defaultFontFamily?: string;
}

/** The module of `@resvg/resvg-js`, loaded on the first `renderPng` (see `loadResvg`). */
type ResvgModule = typeof import("@resvg/resvg-js");

let resvg: Promise<ResvgModule> | undefined;

/** What resvg's native addon asks for while it loads (`process.report`: sys; its `.node` file). */
const RESVG_PERMISSIONS: readonly { query: Deno.PermissionDescriptor; flag: string }[] = [
  { query: { name: "sys", kind: "cpus" }, flag: "--allow-sys" },
  { query: { name: "sys", kind: "networkInterfaces" }, flag: "--allow-sys" },
  { query: { name: "read" }, flag: "--allow-read" },
  { query: { name: "ffi" }, flag: "--allow-ffi" },
];

/**
 * Loads `@resvg/resvg-js` on first use, so that importing the figures (or `@srhm/experiments`)
 * needs no permission. Its native addon needs `--allow-sys`, `--allow-read` and `--allow-ffi` (or
 * `-A`) when it loads; without them the error names the missing ones.
 */
async function loadResvg(): Promise<ResvgModule> {
  if (resvg !== undefined) return await resvg;
  try {
    const loading = import("@resvg/resvg-js");
    const module = await loading;
    resvg = loading;
    return module;
  } catch (e) {
    const missing = new Set(
      RESVG_PERMISSIONS.filter((p) => Deno.permissions.querySync(p.query).state !== "granted")
        .map((p) => p.flag),
    );
    const first = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    throw new Error(
      `renderPng: @resvg/resvg-js (a native addon) failed to load: ${first}; it needs ` +
        "--allow-sys, --allow-read and --allow-ffi (or -A)" +
        (missing.size === 0 ? "" : ` (not granted here: ${[...missing].join(", ")})`),
    );
  }
}

/**
 * Rasterises an SVG document to PNG with resvg. The system fonts are loaded, and the generic
 * `sans-serif` and any missing family map to `defaultFontFamily` (DejaVu Sans): on a machine
 * with none of the figure's fonts, pass `fontFiles`, or the text is left out of the PNG (the
 * SVG is unaffected).
 *
 * resvg is a native addon, loaded on the first call: it needs `--allow-sys`, `--allow-read` and
 * `--allow-ffi` (or `-A`), and the error names any that is missing.
 *
 * @param svg the SVG text (e.g. from `renderSvg`).
 * @param options `{ width?, fontFiles?, defaultFontFamily? }`.
 * @returns the PNG bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderPng } from "./render.ts";
 * const png = await renderPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">' +
 *   '<rect width="10" height="10" fill="red"/></svg>', { width: 20 });
 * assert.ok(png[0] === 0x89 && png[1] === 0x50); // "\x89PNG"
 * ```
 */
export async function renderPng(svg: string, options: RenderPngOptions = {}): Promise<Uint8Array> {
  const width = options.width;
  if (width !== undefined && (!Number.isInteger(width) || width < 1)) {
    throw new RangeError(`width must be an integer >= 1 (got ${width})`);
  }
  const family = options.defaultFontFamily ?? "DejaVu Sans";
  const { Resvg } = await loadResvg();
  const image = new Resvg(svg, {
    fitTo: width === undefined ? { mode: "zoom", value: 2 } : { mode: "width", value: width },
    background: "white",
    font: {
      loadSystemFonts: true,
      fontFiles: options.fontFiles ? [...options.fontFiles] : undefined,
      defaultFontFamily: family,
      sansSerifFamily: family,
    },
  });
  return new Uint8Array(image.render().asPng());
}

/** Paths written by `writeFigure`. */
export interface FigureFiles {
  /** The SVG file written. */
  readonly svg: string;
  /** The PNG file written. */
  readonly png: string;
}

/**
 * Renders a Vega-Lite specification and writes `basePath.svg` and `basePath.png` (creating the
 * directory if needed).
 *
 * @param spec a Vega-Lite specification.
 * @param basePath path without extension, e.g. `results/curve/learning_curve`.
 * @param options rendering options of `renderSvg` and `renderPng`.
 * @returns the two paths.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeFigure } from "./render.ts";
 * const dir = await Deno.makeTempDir();
 * const files = await writeFigure({
 *   data: { values: [{ a: 1, b: 2 }] },
 *   mark: "point",
 *   encoding: { x: { field: "a", type: "quantitative" }, y: { field: "b", type: "quantitative" } },
 * }, `${dir}/fig`);
 * assert.ok(files.png === `${dir}/fig.png` && (await Deno.stat(files.svg)).size > 0);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeFigure(
  spec: TopLevelSpec,
  basePath: string,
  options: RenderSvgOptions & RenderPngOptions = {},
): Promise<FigureFiles> {
  const svg = await renderSvg(spec, options);
  const png = await renderPng(svg, options);
  await Deno.mkdir(dirname(basePath), { recursive: true });
  const files = { svg: `${basePath}.svg`, png: `${basePath}.png` };
  await Deno.writeTextFile(files.svg, svg);
  await Deno.writeFile(files.png, png);
  return files;
}
