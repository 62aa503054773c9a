/**
 * The command line's side of issue 13: `--workers`, code versions, refusals before any run
 * (backend, memory), runs that all failed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readResults } from "../experiments/store.ts";
import { cliProcess } from "./cli_process.ts";

const cli = cliProcess;

const tiny = [
  "--L",
  "2",
  "--v",
  "3",
  "--s0",
  "0",
  "--width",
  "8",
  "--max-epochs",
  "20",
  "--eval-every",
  "5",
  "--test",
  "12",
  "--no-sensitivities",
  "--backend",
  "cpu",
  "--quiet",
];

test("--workers 2: two processes compute each run once, the summary has every run", async () => {
  const dir = await Deno.makeTempDir();
  const out = `${dir}/curve`;
  const r = await cli([
    "curve",
    ...tiny,
    "--P",
    "6,9,12,15",
    "--seeds",
    "2",
    "--workers",
    "2",
    "--out",
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const results = await readResults(`${out}/results.jsonl`);
  assert.equal(results.length, 8);
  assert.equal(new Set(results.map((x) => x.id)).size, 8);
  const summary = JSON.parse(await Deno.readTextFile(`${out}/summary.json`));
  assert.deepEqual(summary.points.map((p: { P: number }) => p.P), [6, 9, 12, 15]);
  const left = [...Deno.readDirSync(out)].map((e) => e.name);
  assert.ok(!left.some((n) => n.startsWith(".plan-") || n === "claims"), left.join());
  assert.match(await Deno.readTextFile(`${out}/report.md`), /with 2 processes/);
  await Deno.remove(dir, { recursive: true });
});

test("two curve commands started together on one --out compute each run once", async () => {
  const dir = await Deno.makeTempDir();
  const out = `${dir}/curve`;
  const args = ["curve", ...tiny, "--P", "6,9,12,15", "--seeds", "2", "--out", out];
  const [a, b] = await Promise.all([cli(args), cli(args)]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const results = await readResults(`${out}/results.jsonl`);
  assert.equal(results.length, 8, "8 lines for 8 runs");
  assert.equal(new Set(results.map((x) => x.id)).size, 8);
  // both print the whole curve
  assert.equal(a.stdout.split("\n")[0], b.stdout.split("\n")[0]);
  await Deno.remove(dir, { recursive: true });
});

test("results of another code version are not resumed unless --allow-mixed-versions", async () => {
  const dir = await Deno.makeTempDir();
  const out = `${dir}/curve`;
  assert.equal((await cli(["curve", ...tiny, "--P", "6", "--out", out])).code, 0);
  const file = `${out}/results.jsonl`;
  const text = await Deno.readTextFile(file);
  await Deno.writeTextFile(
    file,
    text.replace(/"source":"[^"]*"/, '"source":"sha256:000000000000"'),
  );
  const refused = await cli(["curve", ...tiny, "--P", "6,9", "--out", out]);
  assert.equal(refused.code, 2, refused.stderr);
  assert.equal(refused.stderr.trim().split("\n").length, 1);
  assert.match(refused.stderr, /another code version \(srhm .* \(sha256:000000000000\): 1 lines/);
  assert.match(refused.stderr, /--allow-mixed-versions/);
  assert.equal((await readResults(file)).length, 1, "nothing computed");
  const mixed = await cli(["curve", ...tiny, "--P", "6,9", "--out", out, "--allow-mixed-versions"]);
  assert.equal(mixed.code, 0, mixed.stderr);
  const report = await cli(["report", out, "--no-figures"]);
  assert.equal(report.code, 0, report.stderr);
  assert.match(report.stdout, /Code versions: .*sha256:000000000000\): 1 runs.*\(MIXED\)/);
  assert.match(await Deno.readTextFile(`${out}/report.md`), /\(MIXED\)/);
  await Deno.remove(dir, { recursive: true });
});

test("an unavailable backend is refused before any run, with train's message and exit 2", async () => {
  const dir = await Deno.makeTempDir();
  for (const backend of ["tensorflow", "webgpu"]) {
    const train = await cli([
      "train",
      "--L",
      "2",
      "--v",
      "3",
      "--net",
      "cnn",
      "--width",
      "8",
      "--P",
      "9",
      "--backend",
      backend,
      "--quiet",
    ]);
    if (train.code === 0) continue; // available here
    assert.equal(train.code, 2, train.stderr);
    const out = `${dir}/${backend}`;
    const curve = await cli(["curve", ...tiny, "--P", "6", "--backend", backend, "--out", out]);
    assert.equal(curve.code, 2, curve.stderr);
    assert.equal(curve.stderr, train.stderr);
    assert.equal(curve.stdout, "");
    assert.throws(() => Deno.statSync(out), Deno.errors.NotFound);
  }
  await Deno.remove(dir, { recursive: true });
});

test("a configuration that would not fit is refused before it allocates, with the estimate", async () => {
  const big = ["--L", "5", "--s", "3", "--s0", "2", "--v", "4", "--width", "512", "--P", "1000"];
  const train = await cli(["train", ...big, "--net", "cnn", "--quiet"]);
  assert.equal(train.code, 2);
  assert.match(
    train.stderr,
    /^error: the CNN of width 512 .* would not fit in memory: about \d+\.\d GiB/,
  );
  const dir = await Deno.makeTempDir();
  const curve = await cli(["curve", ...big, "--quiet", "--out", `${dir}/big`]);
  assert.equal(curve.code, 2);
  assert.match(curve.stderr, /would not fit in memory: about \d+\.\d GiB/);
  assert.throws(() => Deno.statSync(`${dir}/big`), Deno.errors.NotFound);
  await Deno.remove(dir, { recursive: true });
});

test("an experiment whose runs all failed exits non-zero and says so", async () => {
  const dir = await Deno.makeTempDir();
  const out = `${dir}/curve`;
  const r = await cli(["curve", ...tiny, "--P", "6,9", "--lr", "1e30", "--out", out]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /error: all 2 runs of the plan failed \(first: diverged/);
  const results = await readResults(`${out}/results.jsonl`);
  assert.ok(results.length === 2 && results.every((x) => x.status === "failed"));
  await Deno.remove(dir, { recursive: true });
});
