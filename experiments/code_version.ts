/**
 * The code version of a result: the package version and a content hash of the source that
 * computed it. Every result line records both (`versions.srhm`, `versions.source`); resuming a
 * results file written by another version refuses (`checkCodeVersions`), unless mixing is asked
 * for, so that one experiment's numbers come from one code.
 *
 * The source hash is the SHA-256 of the workspace members' source files (`generators/`,
 * `networks/`, `metrics/`, `experiments/`: every `.ts` and `.json` file, by path and content),
 * first 12 hex digits. It does not enter the run ids: an id is a function of the run's
 * specification only.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { ResultLine } from "./store.ts";
import denoJson from "./deno.json" with { type: "json" };

/** The members whose source the hash covers, relative to the repository root. */
export const SOURCE_DIRS: readonly string[] = ["generators", "networks", "metrics", "experiments"];

/** Files of a directory tree (relative paths, sorted) whose name ends with `.ts` or `.json`. */
function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const entries = [...Deno.readDirSync(`${root}/${dir}`)].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0
  );
  for (const e of entries) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory && e.name !== "node_modules") out.push(...sourceFiles(root, path));
    else if (e.isFile && /\.(ts|json)$/.test(e.name)) out.push(path);
  }
  return out;
}

/**
 * The content hash of the source under `root` (a directory holding `SOURCE_DIRS`): `sha256:`
 * and 12 hex digits, or `unknown` when the source cannot be read (no read permission, or the
 * code was loaded from a remote URL).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hashSource } from "./code_version.ts";
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/experiments`);
 * await Deno.writeTextFile(`${root}/experiments/a.ts`, "export const a = 1;\n");
 * const before = hashSource(root);
 * assert.match(before, /^sha256:[0-9a-f]{12}$/);
 * await Deno.writeTextFile(`${root}/experiments/a.ts`, "export const a = 2;\n");
 * assert.notEqual(hashSource(root), before);
 * assert.equal(hashSource("/nonexistent"), "unknown");
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export function hashSource(root: string): string {
  try {
    const hash = createHash("sha256");
    let files = 0;
    for (const dir of SOURCE_DIRS) {
      try {
        if (!Deno.statSync(`${root}/${dir}`).isDirectory) continue;
      } catch {
        continue;
      }
      for (const path of sourceFiles(root, dir)) {
        hash.update(`${path}\n`);
        hash.update(Deno.readFileSync(`${root}/${path}`));
        hash.update("\n");
        files++;
      }
    }
    return files === 0 ? "unknown" : `sha256:${hash.digest("hex").slice(0, 12)}`;
  } catch {
    return "unknown";
  }
}

let cached: string | undefined;

/**
 * The content hash of this copy of srhm's source (computed once per process; see `hashSource`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sourceHash } from "./code_version.ts";
 * assert.match(sourceHash(), /^(sha256:[0-9a-f]{12}|unknown)$/);
 * assert.equal(sourceHash(), sourceHash());
 * ```
 */
export function sourceHash(): string {
  if (cached !== undefined) return cached;
  const here = new URL("..", import.meta.url);
  cached = here.protocol === "file:" ? hashSource(decodeURIComponent(here.pathname)) : "unknown";
  return cached;
}

/**
 * The versions of the code that every result line records: `srhm` (the package version) and
 * `source` (`sourceHash`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { currentCodeVersions } from "./code_version.ts";
 * assert.equal(typeof currentCodeVersions().srhm, "string");
 * ```
 */
export function currentCodeVersions(): { srhm: string; source: string } {
  return { srhm: denoJson.version, source: sourceHash() };
}

/**
 * The code version of a result line as one string: `srhm <version> (<source hash>)`; lines
 * written before the hash was recorded read `(source not recorded)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { codeVersionOf } from "./code_version.ts";
 * assert.equal(codeVersionOf({ versions: { srhm: "0.1.0", source: "sha256:0123456789ab" } }),
 *   "srhm 0.1.0 (sha256:0123456789ab)");
 * assert.equal(codeVersionOf({ versions: {} }), "srhm ? (source not recorded)");
 * ```
 */
export function codeVersionOf(line: Pick<ResultLine, "versions">): string {
  const v = line.versions ?? {};
  return `srhm ${v.srhm ?? "?"} (${v.source ?? "source not recorded"})`;
}

/** One code version found in results, with the number of lines it wrote. */
export interface VersionCount {
  /** The code version, as `codeVersionOf` writes it (`srhm 0.1.0 (sha256:...)`). */
  readonly version: string;
  /** How many result lines that version wrote. */
  readonly lines: number;
}

/**
 * The code versions present in results, most lines first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { versionsPresent } from "./code_version.ts";
 * const a = { versions: { srhm: "0.1.0", source: "sha256:aaaaaaaaaaaa" } };
 * const b = { versions: { srhm: "0.2.0", source: "sha256:bbbbbbbbbbbb" } };
 * assert.deepEqual(versionsPresent([a, b, b]).map((v) => v.lines), [2, 1]);
 * ```
 */
export function versionsPresent(lines: readonly Pick<ResultLine, "versions">[]): VersionCount[] {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const v = codeVersionOf(line);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts].map(([version, n]) => ({ version, lines: n }))
    .sort((a, b) => b.lines - a.lines || (a.version < b.version ? -1 : 1));
}

/** Thrown when results written by another code version would be resumed. */
export class MixedVersionsError extends Error {
  /** Always `"MixedVersionsError"`. */
  override name = "MixedVersionsError";
}

/**
 * Refuses (throws `MixedVersionsError`) when `lines` hold results of a code version other than
 * `current`, unless `allowMixed`. `where` names the results in the message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkCodeVersions } from "./code_version.ts";
 * const now = { srhm: "0.2.0", source: "sha256:bbbbbbbbbbbb" };
 * const old = { versions: { srhm: "0.1.0", source: "sha256:aaaaaaaaaaaa" } };
 * assert.throws(() => checkCodeVersions([old], now, { where: "r.jsonl" }), /--allow-mixed-versions/);
 * checkCodeVersions([old], now, { where: "r.jsonl", allowMixed: true });
 * checkCodeVersions([{ versions: now }], now, { where: "r.jsonl" });
 * ```
 */
export function checkCodeVersions(
  lines: readonly Pick<ResultLine, "versions">[],
  current: Readonly<Record<string, string>>,
  options: { readonly where: string; readonly allowMixed?: boolean },
): void {
  if (options.allowMixed === true) return;
  const mine = codeVersionOf({ versions: current });
  const others = versionsPresent(lines).filter((v) => v.version !== mine);
  if (others.length === 0) return;
  const list = others.map((v) => `${v.version}: ${v.lines} lines`).join("; ");
  throw new MixedVersionsError(
    `${options.where} holds results of another code version (${list}); this is ${mine}. ` +
      "Resuming would mix code versions in one experiment: use a new --out, or pass " +
      "--allow-mixed-versions to mix them",
  );
}
