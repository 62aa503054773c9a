/**
 * srhm: the Sparse Random Hierarchy Model (Tomasini & Wyart, ICML 2024) and the Random Hierarchy
 * Model, in TypeScript: grammars and data, the paper's networks, their training and measurements.
 *
 * Every export of the four packages is re-exported here under its own name (no two packages export
 * the same name, except `PACKAGE`, which here is `"@srhm/srhm"`), and each package also as a
 * namespace: `import { makeGrammar } from "@srhm/srhm"` and
 * `import { generators } from "@srhm/srhm"; generators.makeGrammar(...)` both work.
 *
 * Importing needs no permission; `selectBackend` (`@srhm/networks`) needs `--allow-read` for the
 * WebAssembly backends and `--allow-ffi` for OpenBLAS, and PNG figures (`renderPng`,
 * `writeFigure`) need `--allow-read --allow-ffi --allow-sys` (resvg's native addon); see the
 * README's "Use it as a library".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generators, makeGrammar, makeParams, PACKAGE, predictCnn } from "./mod.ts";
 * const params = makeParams({ L: 2, s0: 1, v: 4 });
 * assert.equal(makeGrammar(params).pmax, generators.makeGrammar(params).pmax);
 * assert.equal(predictCnn(params), 640); // 2.5 (s0+1)^2 nc m^L
 * assert.equal(PACKAGE, "@srhm/srhm");
 * ```
 *
 * @module
 */
export * as generators from "@srhm/generators";
export * as networks from "@srhm/networks";
export * as metrics from "@srhm/metrics";
export * as experiments from "@srhm/experiments";
export * from "@srhm/generators";
export * from "@srhm/networks";
export * from "@srhm/metrics";
export * from "@srhm/experiments";

/** The name of this package (each member package has its own `PACKAGE`, reached by namespace). */
export const PACKAGE = "@srhm/srhm";
