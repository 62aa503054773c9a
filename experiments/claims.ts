/**
 * Claims: how processes that share a results directory share the work. Before computing a run, a
 * process claims it: it creates `<dir>/<run id>.json` holding its host, pid, the pid's start time
 * and a random token. Every claim operation holds an exclusive OS lock on `.<dir name>.lock`
 * beside `dir` (`flock`, released by the kernel when a process dies), so two processes never both
 * take one run.
 *
 * A claim expires when its claimant is gone: on the same host, when no process with that pid and
 * start time exists (a crashed or killed claimant is seen at once); from another host (a shared
 * file system), when the claim's heartbeat (its file's mtime, refreshed by `Claim.heartbeat`) is
 * older than `staleAfter` seconds. An expired claim is taken over by the next process that asks.
 *
 * @module
 */

/** What a claim file holds. */
export interface ClaimInfo {
  /** The claimed run's id. */
  readonly id: string;
  /** The claimant's host name. */
  readonly host: string;
  /** The claimant's pid. */
  readonly pid: number;
  /** The pid's start time (clock ticks since boot, Linux `/proc/<pid>/stat`), when known. */
  readonly start?: number;
  /** A random token, unique per claim. */
  readonly token: string;
  /** When the claim was taken (ISO 8601). */
  readonly claimedAt: string;
}

/** Options of `tryClaim`. */
export interface ClaimOptions {
  /**
   * Seconds without a heartbeat after which a claim from another host expires (default 600). On
   * the claimant's own host, the claimant's pid decides.
   */
  readonly staleAfter?: number;
}

/** A claim held by this process. */
export interface Claim {
  /** What the claim file says: the run, the claimant (host, pid) and when it was taken. */
  readonly info: ClaimInfo;
  /** The claim file. */
  readonly path: string;
  /** Refreshes the claim's heartbeat (its mtime). */
  heartbeat(): Promise<void>;
  /** Gives the claim up (removes its file if it is still this claim). */
  release(): Promise<void>;
}

/**
 * The start time of a process (Linux: field 22 of `/proc/<pid>/stat`), `undefined` where unknown,
 * `null` when there is no such process.
 */
function processStart(pid: number): number | null | undefined {
  let text: string;
  try {
    text = Deno.readTextFileSync(`/proc/${pid}/stat`);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      try {
        Deno.statSync("/proc/self/stat");
      } catch {
        return undefined; // no procfs: cannot tell
      }
      return null;
    }
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const start = Number(fields[19]);
  return Number.isFinite(start) ? start : undefined;
}

function hostname(): string {
  try {
    return Deno.hostname();
  } catch {
    return "unknown-host";
  }
}

/**
 * Whether a claim is still held: on this host, its process is alive (same pid, same start time);
 * elsewhere (or without procfs), its heartbeat `mtime` is less than `staleAfter` seconds old.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { claimIsLive } from "./claims.ts";
 * const mine = { id: "a", host: Deno.hostname(), pid: Deno.pid, token: "t", claimedAt: "" };
 * assert.ok(claimIsLive(mine, new Date()));
 * const elsewhere = { ...mine, host: "other-host" };
 * assert.ok(!claimIsLive(elsewhere, new Date(Date.now() - 3600_000), { staleAfter: 60 }));
 * ```
 */
export function claimIsLive(
  info: ClaimInfo,
  mtime: Date | null,
  options: ClaimOptions = {},
  now: number = Date.now(),
): boolean {
  if (info.host === hostname()) {
    if (info.pid === Deno.pid) return true;
    const start = processStart(info.pid);
    if (start === null) return false;
    if (start !== undefined) return info.start === undefined || info.start === start;
  }
  const staleAfter = options.staleAfter ?? 600;
  return mtime !== null && now - mtime.getTime() < staleAfter * 1000;
}

/** The lock file of a claims directory: `.<name>.lock` beside it. */
function lockPath(dir: string): string {
  const d = dir.replace(/\/+$/, "");
  const slash = d.lastIndexOf("/");
  return slash < 0 ? `.${d}.lock` : `${d.slice(0, slash + 1)}.${d.slice(slash + 1)}.lock`;
}

async function withLock<T>(dir: string, f: () => Promise<T>): Promise<T> {
  const path = lockPath(dir);
  const slash = path.lastIndexOf("/");
  if (slash > 0) await Deno.mkdir(path.slice(0, slash), { recursive: true });
  const lock = await Deno.open(path, { write: true, create: true });
  try {
    await lock.lock(true);
    await Deno.mkdir(dir, { recursive: true });
    return await f();
  } finally {
    lock.close();
  }
}

async function readClaim(path: string): Promise<{ info: ClaimInfo; mtime: Date | null } | null> {
  try {
    const [text, stat] = await Promise.all([Deno.readTextFile(path), Deno.stat(path)]);
    return { info: JSON.parse(text) as ClaimInfo, mtime: stat.mtime };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    if (e instanceof SyntaxError) {
      // A claim file cut short (its writer died while writing it): expired.
      return { info: { id: "", host: "", pid: -1, token: "", claimedAt: "" }, mtime: null };
    }
    throw e;
  }
}

/**
 * Claims run `id` in the claims directory `dir`: the claim, or `null` when another live process
 * holds it. An expired claim is replaced.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tryClaim } from "./claims.ts";
 * const dir = await Deno.makeTempDir();
 * const claim = await tryClaim(`${dir}/claims`, "0123456789abcdef");
 * assert.ok(claim !== null);
 * // a stale claim of a process that no longer exists is taken over
 * await Deno.writeTextFile(`${dir}/claims/fedcba9876543210.json`, JSON.stringify({
 *   id: "fedcba9876543210", host: Deno.hostname(), pid: 2 ** 22 + 1, token: "x", claimedAt: "",
 * }));
 * assert.ok(await tryClaim(`${dir}/claims`, "fedcba9876543210") !== null);
 * await claim.release();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function tryClaim(
  dir: string,
  id: string,
  options: ClaimOptions = {},
): Promise<Claim | null> {
  const path = `${dir}/${id}.json`;
  const info: ClaimInfo = {
    id,
    host: hostname(),
    pid: Deno.pid,
    ...(() => {
      const start = processStart(Deno.pid);
      return typeof start === "number" ? { start } : {};
    })(),
    token: crypto.randomUUID(),
    claimedAt: new Date().toISOString(),
  };
  const taken = await withLock(dir, async () => {
    const held = await readClaim(path);
    if (held !== null && claimIsLive(held.info, held.mtime, options)) return false;
    if (held !== null) await Deno.remove(path).catch(() => {});
    const file = await Deno.open(path, { write: true, createNew: true }); // O_CREAT | O_EXCL
    try {
      await file.write(new TextEncoder().encode(JSON.stringify(info) + "\n"));
    } finally {
      file.close();
    }
    return true;
  });
  if (!taken) return null;
  return {
    info,
    path,
    heartbeat: async () => {
      const now = new Date();
      await Deno.utime(path, now, now).catch(() => {});
    },
    release: () =>
      withLock(dir, async () => {
        const held = await readClaim(path);
        if (held !== null && held.info.token === info.token) await Deno.remove(path);
      }),
  };
}

/**
 * The claims currently held in `dir` by live processes (expired ones are left out).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { liveClaims, tryClaim } from "./claims.ts";
 * const dir = await Deno.makeTempDir();
 * const claim = await tryClaim(dir, "0123456789abcdef");
 * assert.deepEqual((await liveClaims(dir)).map((c) => c.id), ["0123456789abcdef"]);
 * await claim?.release();
 * assert.equal((await liveClaims(dir)).length, 0);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function liveClaims(dir: string, options: ClaimOptions = {}): Promise<ClaimInfo[]> {
  const out: ClaimInfo[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  for (const e of entries.filter((e) => e.isFile && e.name.endsWith(".json"))) {
    const held = await readClaim(`${dir}/${e.name}`);
    if (held !== null && claimIsLive(held.info, held.mtime, options)) out.push(held.info);
  }
  return out;
}

/**
 * Removes the claims directory when no claim is left in it (the lock file stays).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { removeIfUnclaimed, tryClaim } from "./claims.ts";
 * const dir = await Deno.makeTempDir();
 * const claim = await tryClaim(`${dir}/claims`, "0123456789abcdef");
 * await removeIfUnclaimed(`${dir}/claims`);
 * assert.ok(Deno.statSync(`${dir}/claims`).isDirectory);
 * await claim?.release();
 * await removeIfUnclaimed(`${dir}/claims`);
 * assert.throws(() => Deno.statSync(`${dir}/claims`));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function removeIfUnclaimed(dir: string): Promise<void> {
  await withLock(dir, async () => {
    await Deno.remove(dir).catch(() => {}); // fails while not empty
  });
}
