import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  checkShard,
  parseShard,
  resolveShard,
  ShardError,
  shardFromEnv,
} from "../experiments/shard.ts";
import { shardRuns } from "../experiments/plan.ts";

test("parseShard reads i/n and rejects what is not 0 <= i < n", () => {
  assert.deepEqual(parseShard("0/1"), { index: 0, count: 1 });
  assert.deepEqual(parseShard(" 3 / 8 "), { index: 3, count: 8 });
  for (const bad of ["", "1", "1/", "/2", "a/2", "1/2/3", "-1/2", "1.5/2", "0x1/2"]) {
    assert.throws(
      () => parseShard(bad),
      (e: Error) => e instanceof ShardError && /i\/n/.test(e.message),
      bad,
    );
  }
  assert.throws(() => parseShard("2/2"), /0\.\.1 \(got 2\)/);
  assert.throws(() => parseShard("0/0"), /count must be an integer >= 1 \(got 0\)/);
  assert.throws(() => checkShard({ index: 0.5, count: 2 }), /index/);
});

test("the shares of --shard i/n are disjoint and cover the plan, for any n", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 20 }), (length, n) => {
      const runs = Array.from({ length }, (_, k) => k);
      const shares = Array.from({ length: n }, (_, i) => shardRuns(runs, parseShard(`${i}/${n}`)));
      const all = shares.flat().sort((a, b) => a - b);
      assert.deepEqual(all, runs);
      // Balanced: the shares differ by at most one run.
      const sizes = shares.map((s) => s.length);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
    }),
    { seed: 42, numRuns: 200 },
  );
});

test("outside a Slurm array there is no shard", () => {
  assert.equal(shardFromEnv({}), undefined);
  assert.equal(shardFromEnv({ SLURM_ARRAY_TASK_ID: "" }), undefined);
  assert.equal(shardFromEnv({ SLURM_JOB_ID: "7" }), undefined);
});

test("an array task's shard comes from its id and the array's count or bounds", () => {
  assert.deepEqual(
    shardFromEnv({ SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_COUNT: "3" }),
    { index: 2, count: 3 },
  );
  assert.deepEqual(
    shardFromEnv({
      SLURM_ARRAY_TASK_ID: "12",
      SLURM_ARRAY_TASK_MIN: "10",
      SLURM_ARRAY_TASK_MAX: "13",
      SLURM_ARRAY_TASK_COUNT: "4",
    }),
    { index: 2, count: 4 },
  );
  // --array=1-9:4 has the ids 1, 5, 9.
  assert.deepEqual(
    shardFromEnv({
      SLURM_ARRAY_TASK_ID: "5",
      SLURM_ARRAY_TASK_MIN: "1",
      SLURM_ARRAY_TASK_MAX: "9",
      SLURM_ARRAY_TASK_STEP: "4",
    }),
    { index: 1, count: 3 },
  );
});

test("every id of an arithmetic array maps to its own index in 0..count-1", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 1000 }),
      fc.integer({ min: 1, max: 7 }),
      fc.integer({ min: 1, max: 30 }),
      fc.boolean(),
      (min, step, count, withCount) => {
        const max = min + step * (count - 1);
        const indices = Array.from({ length: count }, (_, k) => {
          const env: Record<string, string> = {
            SLURM_ARRAY_TASK_ID: String(min + k * step),
            SLURM_ARRAY_TASK_MIN: String(min),
            SLURM_ARRAY_TASK_MAX: String(max),
            SLURM_ARRAY_TASK_STEP: String(step),
          };
          if (withCount) env.SLURM_ARRAY_TASK_COUNT = String(count);
          const shard = shardFromEnv(env);
          assert.equal(shard?.count, count);
          return shard?.index;
        });
        assert.deepEqual(indices, Array.from({ length: count }, (_, k) => k));
      },
    ),
    { seed: 42, numRuns: 200 },
  );
});

test("inconsistent or sparse arrays are rejected with the variables named", () => {
  assert.throws(
    () => shardFromEnv({ SLURM_ARRAY_TASK_ID: "3" }),
    /neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX/,
  );
  assert.throws(
    () => shardFromEnv({ SLURM_ARRAY_TASK_ID: "x", SLURM_ARRAY_TASK_COUNT: "3" }),
    /SLURM_ARRAY_TASK_ID must be a non-negative integer \(got "x"\)/,
  );
  // --array=1,5,6: count 3 but bounds 1-6.
  assert.throws(
    () =>
      shardFromEnv({
        SLURM_ARRAY_TASK_ID: "5",
        SLURM_ARRAY_TASK_MIN: "1",
        SLURM_ARRAY_TASK_MAX: "6",
        SLURM_ARRAY_TASK_COUNT: "3",
      }),
    /SLURM_ARRAY_TASK_COUNT 3 != \(MAX - MIN\) \/ STEP \+ 1 = 6/,
  );
  assert.throws(
    () => shardFromEnv({ SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_COUNT: "3" }),
    /0\.\.2 \(got 3\)/,
  );
  assert.throws(
    () =>
      shardFromEnv({
        SLURM_ARRAY_TASK_ID: "4",
        SLURM_ARRAY_TASK_MIN: "1",
        SLURM_ARRAY_TASK_MAX: "9",
        SLURM_ARRAY_TASK_STEP: "4",
      }),
    /not in the array 1-9:4/,
  );
});

test("--shard wins over the Slurm environment", () => {
  const env = { SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "2" };
  assert.deepEqual(resolveShard("3/5", env), { index: 3, count: 5 });
  assert.deepEqual(resolveShard(undefined, env), { index: 1, count: 2 });
  assert.equal(resolveShard(undefined, {}), undefined);
});
