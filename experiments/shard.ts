/**
 * Which share of a plan a process runs: shard `index` of `count` (the runs whose position in the
 * plan is `index` modulo `count`, see `shardRuns`). The share comes from `--shard i/n`, or inside a
 * Slurm array task from `SLURM_ARRAY_TASK_ID` with `SLURM_ARRAY_TASK_COUNT` (or the array's bounds
 * `SLURM_ARRAY_TASK_MIN`/`MAX` and its `SLURM_ARRAY_TASK_STEP`).
 *
 * @module
 */

/** Shard `index` (0-based) of `count` disjoint shards. */
export interface Shard {
  /** The shard, 0-based. */
  readonly index: number;
  /** The number of shards. */
  readonly count: number;
}

/**
 * A shard specification that cannot be used; the message names the parameter and the bound. (A
 * `RangeError`, as every other bad value of a plan.)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseShard, ShardError } from "./shard.ts";
 * let error: unknown;
 * try { parseShard("4/4"); } catch (e) { error = e; }
 * assert.ok(error instanceof ShardError);
 * ```
 */
export class ShardError extends RangeError {
  /** The error's name. */
  override name = "ShardError";
}

const INTEGER = /^\s*(\d+)\s*$/;

/**
 * Checks a shard: `count` an integer >= 1, `index` an integer in `0..count-1`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkShard } from "./shard.ts";
 * assert.ok(checkShard({ index: 2, count: 3 }).index === 2);
 * let message = "";
 * try { checkShard({ index: 3, count: 3 }); } catch (e) { message = (e as Error).message; }
 * assert.ok(message.includes("0..2"));
 * ```
 */
export function checkShard(shard: Shard, source = "shard"): Shard {
  const { index, count } = shard;
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new ShardError(`${source}: the shard count must be an integer >= 1 (got ${count})`);
  }
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) {
    throw new ShardError(
      `${source}: the shard index must be an integer in 0..count-1 = 0..${
        count - 1
      } (got ${index})`,
    );
  }
  return { index, count };
}

/**
 * Parses `--shard i/n` (0-based `i`, `0 <= i < n`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseShard } from "./shard.ts";
 * const s = parseShard("1/3");
 * assert.ok(s.index === 1 && s.count === 3);
 * ```
 */
export function parseShard(text: string): Shard {
  const parts = text.split("/");
  const i = parts.length === 2 ? INTEGER.exec(parts[0]) : null;
  const n = parts.length === 2 ? INTEGER.exec(parts[1]) : null;
  if (i === null || n === null) {
    throw new ShardError(
      `--shard must be i/n with integers 0 <= i < n, e.g. 0/4 (got "${text}")`,
    );
  }
  return checkShard({ index: Number(i[1]), count: Number(n[1]) }, `--shard ${text}`);
}

/** The environment variables that `shardFromEnv` reads (a subset of `Deno.env.toObject()`). */
export type ShardEnv = Readonly<Record<string, string | undefined>>;

function envInteger(env: ShardEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const match = INTEGER.exec(raw);
  if (match === null) throw new ShardError(`${name} must be a non-negative integer (got "${raw}")`);
  return Number(match[1]);
}

/**
 * The shard of a Slurm array task, or `undefined` outside an array (no `SLURM_ARRAY_TASK_ID`).
 * `index = (ID - MIN) / STEP` (MIN defaults to 0, STEP to 1), `count = SLURM_ARRAY_TASK_COUNT`,
 * else `(MAX - MIN) / STEP + 1`. Arrays whose ids are not one arithmetic range (e.g.
 * `--array=1,5,6`) are rejected: submit `--array=0-(n-1)` as `slurm` does.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shardFromEnv } from "./shard.ts";
 * const s = shardFromEnv({ SLURM_ARRAY_TASK_ID: "5", SLURM_ARRAY_TASK_MIN: "4", SLURM_ARRAY_TASK_MAX: "7" });
 * assert.ok(s?.index === 1 && s?.count === 4);
 * assert.ok(shardFromEnv({}) === undefined);
 * ```
 */
export function shardFromEnv(env: ShardEnv): Shard | undefined {
  const id = envInteger(env, "SLURM_ARRAY_TASK_ID");
  if (id === undefined) return undefined;
  const min = envInteger(env, "SLURM_ARRAY_TASK_MIN") ?? 0;
  const max = envInteger(env, "SLURM_ARRAY_TASK_MAX");
  const step = envInteger(env, "SLURM_ARRAY_TASK_STEP") ?? 1;
  const given = envInteger(env, "SLURM_ARRAY_TASK_COUNT");
  if (step < 1) throw new ShardError(`SLURM_ARRAY_TASK_STEP must be >= 1 (got ${step})`);
  if (max !== undefined && max < min) {
    throw new ShardError(
      `SLURM_ARRAY_TASK_MAX must be >= SLURM_ARRAY_TASK_MIN (${max} < ${min})`,
    );
  }
  if (id < min || (max !== undefined && id > max) || (id - min) % step !== 0) {
    throw new ShardError(
      `SLURM_ARRAY_TASK_ID ${id} is not in the array ${min}-${max ?? "?"}:${step}`,
    );
  }
  const span = max === undefined ? undefined : (max - min) / step + 1;
  if (given === undefined && span === undefined) {
    throw new ShardError(
      "SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX is",
    );
  }
  if (given !== undefined && span !== undefined && !Number.isInteger(span)) {
    throw new ShardError(`the array ${min}-${max}:${step} is not an arithmetic range`);
  }
  if (given !== undefined && span !== undefined && given !== span) {
    throw new ShardError(
      `SLURM_ARRAY_TASK_COUNT ${given} != (MAX - MIN) / STEP + 1 = ${span}: the array's ids are ` +
        "not one range (submit --array=0-(n-1))",
    );
  }
  const count = given ?? (span as number);
  return checkShard({ index: (id - min) / step, count }, `SLURM_ARRAY_TASK_ID ${id}`);
}

/**
 * The shard to run: `--shard i/n` when given, else the Slurm array task's, else `undefined` (the
 * whole plan).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveShard } from "./shard.ts";
 * const env = { SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_COUNT: "3" };
 * assert.ok(resolveShard("0/2", env)?.count === 2);
 * assert.ok(resolveShard(undefined, env)?.index === 2);
 * assert.ok(resolveShard(undefined, {}) === undefined);
 * ```
 */
export function resolveShard(flag: string | undefined, env: ShardEnv): Shard | undefined {
  return flag !== undefined ? parseShard(flag) : shardFromEnv(env);
}
