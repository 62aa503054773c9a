/**
 * The explorer's build step: `deno bundle --platform browser` turns the page (`page.ts`) and the
 * training worker (`worker.ts`) into two ES modules in `explorer/dist/` (not in git). They are
 * made from the workspace's own packages; the Node-only modules those reach (`cli-progress` and
 * `node:process` of the trainer's progress bar, `@resvg/resvg-js` and `node:path` of the figure
 * files, the built-ins of the command line, `node:crypto`'s SHA-256 of the run ids) are mapped to
 * the small stand-ins of `stubs/` by an import map written beside the bundles (deno.json's imports
 * plus {@link STUBS}).
 *
 * @module
 */

/** The folder of the explorer (`explorer/`), as a path. */
export const EXPLORER_DIR: string = new URL(".", import.meta.url).pathname.replace(/\/$/, "");

/** The repository root (the folder of deno.json). */
export const ROOT_DIR: string = EXPLORER_DIR.replace(/\/explorer$/, "");

/** Where the bundles go. */
export const DIST_DIR: string = `${EXPLORER_DIR}/dist`;

/** Node built-ins without a stand-in of their own: the empty one, `stubs/node_builtin.ts`. */
const OTHER_BUILTINS = [
  "assert",
  "buffer",
  "child_process",
  "fs",
  "fs/promises",
  "module",
  "os",
  "perf_hooks",
  "readline",
  "stream",
  "tty",
  "url",
  "util",
  "worker_threads",
];

/**
 * Node-only modules and their browser stand-ins (paths relative to `explorer/`). Code that the
 * page and the worker import but never call (the command line, file writers, the progress bar)
 * reaches them; the bundler keeps a Node built-in as an import the browser cannot load, and
 * checks the names imported from a stand-in (so a new one fails the build, loudly).
 */
export const STUBS: Readonly<Record<string, string>> = Object.freeze({
  ...Object.fromEntries(OTHER_BUILTINS.map((m) => [`node:${m}`, "./stubs/node_builtin.ts"])),
  "node:crypto": "./stubs/node_crypto.ts",
  "node:events": "./stubs/node_events.ts",
  "node:path": "./stubs/node_path.ts",
  "node:process": "./stubs/node_process.ts",
  "cli-progress": "./stubs/cli_progress.ts",
  // Inside npm packages the import map does not apply: commander's own Node built-ins would stay.
  "commander": "./stubs/commander.ts",
  "@commander-js/extra-typings": "./stubs/commander.ts",
  "@resvg/resvg-js": "./stubs/resvg.ts",
});

/**
 * The import map of the bundle: deno.json's `imports` with the Node-only modules replaced by
 * their stand-ins (as absolute file URLs).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { browserImportMap } from "./build.ts";
 * const map = browserImportMap({ imports: { "cli-progress": "npm:cli-progress@3.12.0", x: "npm:x@1" } });
 * assert.match(map.imports["cli-progress"], /^file:.*stubs\/cli_progress\.ts$/);
 * assert.equal(map.imports.x, "npm:x@1");
 * assert.match(map.imports["node:path"], /stubs\/node_path\.ts$/);
 * ```
 */
export function browserImportMap(
  denoJson: { readonly imports?: Readonly<Record<string, string>> },
): { imports: Record<string, string> } {
  const imports: Record<string, string> = { ...(denoJson.imports ?? {}) };
  for (const [name, path] of Object.entries(STUBS)) {
    imports[name] = new URL(path, import.meta.url).href;
  }
  return { imports };
}

/** Options of {@link buildExplorer}. */
export interface BuildOptions {
  /** Minify the bundles (default false). */
  readonly minify?: boolean;
  /** Where the bundles go (default `explorer/dist`). */
  readonly outDir?: string;
}

/**
 * Bundles `page.ts` and `worker.ts` into `outDir` (`page.js`, `worker.js`) with `deno bundle`.
 * Throws with deno's output when bundling fails.
 *
 * @returns the paths of the two bundles.
 */
export async function buildExplorer(
  options: BuildOptions = {},
): Promise<{ page: string; worker: string }> {
  const outDir = options.outDir ?? DIST_DIR;
  await Deno.mkdir(outDir, { recursive: true });
  const denoJson = JSON.parse(await Deno.readTextFile(`${ROOT_DIR}/deno.json`));
  const importMap = `${outDir}/import_map.json`;
  await Deno.writeTextFile(importMap, JSON.stringify(browserImportMap(denoJson), null, 2) + "\n");
  const args = [
    "bundle",
    "--quiet",
    "--platform",
    "browser",
    "--format",
    "esm",
    "--import-map",
    importMap,
    "--outdir",
    outDir,
    ...(options.minify ? ["--minify"] : []),
    `${EXPLORER_DIR}/page.ts`,
    `${EXPLORER_DIR}/worker.ts`,
  ];
  const out = await new Deno.Command(Deno.execPath(), { args, cwd: ROOT_DIR }).output();
  if (!out.success) {
    const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
    throw new Error(`bundling the explorer failed:\n${text}`);
  }
  return { page: `${outDir}/page.js`, worker: `${outDir}/worker.js` };
}
