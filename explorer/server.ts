/**
 * `deno task explore [--port N] [--no-build]`: builds the explorer's bundles (`build.ts`) and
 * serves the explorer on 127.0.0.1 (default port 8000), printing its URL.
 *
 * Routes: `/` the page (`static/index.html`), `/static/*` its style sheet, `/dist/*` the bundles,
 * `/tfjs-wasm/*` the WebAssembly files of `@tensorflow/tfjs-backend-wasm` (its fall-back backend).
 * Every answer carries the headers of cross-origin isolation (COOP `same-origin`, COEP
 * `require-corp`), which give the page `SharedArrayBuffer`: the page pauses and resumes the
 * training worker through one.
 *
 * @module
 */
import { buildExplorer, DIST_DIR, EXPLORER_DIR, ROOT_DIR } from "./build.ts";

const TYPES: Readonly<Record<string, string>> = {
  html: "text/html; charset=utf-8",
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  json: "application/json",
  wasm: "application/wasm",
  png: "image/png",
  svg: "image/svg+xml",
};

/** The folders behind each URL prefix. */
const ROUTES: readonly (readonly [string, string])[] = [
  ["/static/", `${EXPLORER_DIR}/static/`],
  ["/dist/", `${DIST_DIR}/`],
  ["/tfjs-wasm/", `${ROOT_DIR}/node_modules/@tensorflow/tfjs-backend-wasm/dist/`],
];

/**
 * The file behind a URL path, or null (unknown prefix, or a path that tries to leave its folder).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileFor } from "./server.ts";
 * assert.match(fileFor("/") ?? "", /explorer\/static\/index\.html$/);
 * assert.match(fileFor("/dist/page.js") ?? "", /explorer\/dist\/page\.js$/);
 * assert.equal(fileFor("/dist/../deno.json"), null);
 * assert.equal(fileFor("/etc/passwd"), null);
 * ```
 */
export function fileFor(path: string): string | null {
  if (path === "/" || path === "/index.html") return `${EXPLORER_DIR}/static/index.html`;
  for (const [prefix, dir] of ROUTES) {
    if (!path.startsWith(prefix)) continue;
    const rest = decodeURIComponent(path.slice(prefix.length));
    if (rest === "" || rest.split("/").some((p) => p === ".." || p === "." || p === "")) {
      return null;
    }
    return dir + rest;
  }
  return null;
}

const ISOLATION = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
  "cross-origin-resource-policy": "same-origin",
  "cache-control": "no-store",
};

/** Answers one request from the explorer's files. */
async function handle(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  const file = fileFor(path);
  if (file === null) return new Response("not found", { status: 404, headers: ISOLATION });
  try {
    const body = await Deno.readFile(file);
    const ext = file.slice(file.lastIndexOf(".") + 1);
    return new Response(body, {
      headers: { ...ISOLATION, "content-type": TYPES[ext] ?? "application/octet-stream" },
    });
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      return new Response("not found", { status: 404, headers: ISOLATION });
    }
    throw e;
  }
}

/** A running explorer server. */
export interface ExplorerServer {
  /** Its URL, `http://127.0.0.1:PORT/`. */
  readonly url: string;
  /** Stops it. */
  shutdown(): Promise<void>;
}

/** Options of {@link serveExplorer}. */
export interface ServeOptions {
  /** Port (default 8000; 0 picks a free one). */
  readonly port?: number;
  /** Build the bundles first (default true). */
  readonly build?: boolean;
}

/**
 * Builds the bundles (unless `build: false`) and serves the explorer on 127.0.0.1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { serveExplorer } from "./server.ts";
 * const server = await serveExplorer({ port: 0, build: false });
 * const answer = await fetch(server.url);
 * assert.equal(answer.headers.get("cross-origin-opener-policy"), "same-origin");
 * assert.match(await answer.text(), /data-testid="train"/);
 * await server.shutdown();
 * ```
 */
export async function serveExplorer(options: ServeOptions = {}): Promise<ExplorerServer> {
  if (options.build ?? true) await buildExplorer();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: options.port ?? 8000, onListen: () => {} },
    handle,
  );
  const { port } = server.addr as Deno.NetAddr;
  return { url: `http://127.0.0.1:${port}/`, shutdown: () => server.shutdown() };
}

/**
 * Parses `[--port N] [--no-build]`; throws a message naming the option and its bound.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseServeArgs } from "./server.ts";
 * assert.deepEqual(parseServeArgs([]), { port: 8000, build: true });
 * assert.deepEqual(parseServeArgs(["--port", "9000", "--no-build"]), { port: 9000, build: false });
 * assert.deepEqual(parseServeArgs(["--port=0"]), { port: 0, build: true });
 * assert.throws(() => parseServeArgs(["--port", "x"]), /--port must be an integer in 0\.\.65535/);
 * ```
 */
export function parseServeArgs(args: readonly string[]): { port: number; build: boolean } {
  let port = 8000;
  let build = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--no-build") build = false;
    else if (a === "--port" || a.startsWith("--port=")) {
      const text = a === "--port" ? args[++i] : a.slice("--port=".length);
      const n = Number(text);
      if (text === undefined || text.trim() === "" || !Number.isInteger(n) || n < 0 || n > 65535) {
        throw new Error(`--port must be an integer in 0..65535 (got ${JSON.stringify(text)})`);
      }
      port = n;
    } else throw new Error(`unknown option ${JSON.stringify(a)} (usage: explore [--port N])`);
  }
  return { port, build };
}

if (import.meta.main) {
  let parsed: { port: number; build: boolean };
  try {
    parsed = parseServeArgs(Deno.args);
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    Deno.exit(2);
  }
  if (parsed.build) console.error("explore: bundling the page and the worker ...");
  try {
    const server = await serveExplorer(parsed);
    console.log(`srhm explorer: ${server.url}`);
  } catch (e) {
    if (!(e instanceof Deno.errors.AddrInUse)) throw e;
    console.error(
      `error: port ${parsed.port} is in use on 127.0.0.1; choose another with --port N`,
    );
    Deno.exit(1);
  }
}
