/**
 * The package surface of issue 8: `@srhm/experiments/results` (reading results, summaries,
 * figure specifications, reports) loads neither TensorFlow.js nor resvg's native addon, and
 * importing `@srhm/networks` registers no gradient (that happens in `selectBackend` and
 * `buildNetwork`).
 */
import { test } from "node:test";
import assert from "node:assert/strict";

async function moduleGraph(entry: string): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: { specifier: string; dependencies?: { specifier: string; code?: unknown }[] }[];
  };
  return info.modules.flatMap((
    m,
  ) => [m.specifier, ...(m.dependencies ?? []).filter((d) => d.code).map((d) => d.specifier)]);
}

test("@srhm/experiments/results loads neither tfjs nor resvg", async () => {
  const graph = await moduleGraph("experiments/results.ts");
  assert.ok(graph.some((s) => s.endsWith("experiments/registry.ts")));
  const heavy = graph.filter((s) => /tfjs|resvg|experiments\/pipeline\.ts/.test(s));
  assert.deepEqual(heavy, []);
});

test("importing @srhm/networks registers no gradient; selectBackend does", async () => {
  const code = `
    import * as tf from "@tensorflow/tfjs-core";
    await import("@srhm/networks");
    const before = tf.getGradient("BatchMatMul") === undefined ? 0 : 1;
    const { selectBackend } = await import("@srhm/networks");
    await selectBackend("cpu");
    console.log(before, tf.getGradient("BatchMatMul") === undefined ? 0 : 1);
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.equal(new TextDecoder().decode(out.stdout).trim(), "0 1");
});
