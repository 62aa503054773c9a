import { test } from "node:test";
import assert from "node:assert/strict";
import { runCli } from "../experiments/cli/main.ts";
import { planFromArgs, planFromArgsNow } from "../experiments/cli/experiments.ts";
import { defaultPlan } from "../experiments/cli/default.ts";
import { readResults } from "../experiments/store.ts";

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
  "4",
  "--eval-every",
  "2",
  "--test",
  "40",
  "--per-class",
  "4",
  "--backend",
  "cpu",
  "--quiet",
];

test("curve end to end on a tiny model: results, summary, figures, report; then resumes", async () => {
  const dir = await Deno.makeTempDir();
  const out = `${dir}/curve`;
  assert.equal(await runCli(["curve", ...tiny, "--P", "12,24", "--seeds", "2", "--out", out]), 0);
  const files = [...Deno.readDirSync(out)].map((e) => e.name).sort();
  for (
    const f of [
      "learning_curve.png",
      "learning_curve.svg",
      "report.md",
      "results.jsonl",
      "sensitivities.png",
      "sensitivities.svg",
      "summary.json",
    ]
  ) assert.ok(files.includes(f), `${f} in ${files}`);
  const results = await readResults(`${out}/results.jsonl`);
  assert.equal(results.length, 4);
  assert.ok(results.every((r) => r.status === "ok" && r.backend === "cpu"));
  const r = results[0];
  assert.equal(r.run.params.v, 3);
  assert.equal(r.run.network.width, 8);
  assert.equal(r.run.measure.perClass, 4);
  assert.equal(r.metrics?.S?.length, 3);
  assert.equal(r.metrics?.D?.[0].length, 2);
  assert.equal(typeof r.versions.tfjs, "string");
  const summary = JSON.parse(await Deno.readTextFile(`${out}/summary.json`));
  for (const key of ["pstar", "pstarS", "pstarD", "predicted", "points"]) {
    assert.ok(key in summary, key);
  }
  assert.deepEqual(summary.points.map((p: { P: number }) => p.P), [12, 24]);
  assert.equal(summary.points[0].S.length, 3);
  assert.equal(summary.predicted, 2.5 * 3 * 9);
  assert.match(await Deno.readTextFile(`${out}/report.md`), /P\* \(test error 0\.1\)/);
  // the same command again computes nothing new
  assert.equal(await runCli(["curve", ...tiny, "--P", "12,24", "--seeds", "2", "--out", out]), 0);
  assert.equal((await readResults(`${out}/results.jsonl`)).length, 4);
  // one more P adds one run per seed
  assert.equal(
    await runCli(["curve", ...tiny, "--P", "12,24,36", "--seeds", "2", "--out", out]),
    0,
  );
  assert.equal((await readResults(`${out}/results.jsonl`)).length, 6);
  // plot and report from the results, elsewhere
  assert.equal(await runCli(["plot", `${out}/results.jsonl`, "--out", `${dir}/plots`]), 0);
  assert.ok((await Deno.stat(`${dir}/plots/learning_curve.png`)).size > 0);
  assert.equal(await runCli(["report", out, "--out", `${dir}/rep`, "--no-figures"]), 0);
  assert.match(await Deno.readTextFile(`${dir}/rep/report.md`), /\| 36 \|/);
  await Deno.remove(dir, { recursive: true });
});

test("scaling and hierarchy end to end on tiny models", async () => {
  const dir = await Deno.makeTempDir();
  const base = tiny.filter((_, i) => i >= 6); // without --L --v --s0
  const common = ["--L", "2", "--v", "3", ...base];
  assert.equal(
    await runCli([
      "scaling",
      ...common,
      "--values",
      "0,1",
      "--grid",
      "0.5:2:2",
      "--out",
      `${dir}/scaling`,
    ]),
    0,
  );
  const scaling = JSON.parse(await Deno.readTextFile(`${dir}/scaling/summary.json`));
  for (const key of ["exponent", "interval", "predictedExponent", "points"]) {
    assert.ok(key in scaling, key);
  }
  assert.equal(scaling.predictedExponent, 2);
  assert.deepEqual(scaling.points.map((p: { s0: number }) => p.s0), [0, 1]);
  assert.ok((await Deno.stat(`${dir}/scaling/pstar_scaling.png`)).size > 0);
  assert.equal(
    await runCli(["hierarchy", ...common, "--s0", "0", "--P", "20,40", "--out", `${dir}/h`]),
    0,
  );
  const h = JSON.parse(await Deno.readTextFile(`${dir}/h/summary.json`));
  assert.equal(h.firstInsensitiveS.length, 2);
  assert.deepEqual(h.expected, [2, 3]);
  assert.ok((await Deno.stat(`${dir}/h/hierarchy.png`)).size > 0);
  assert.match(await Deno.readTextFile(`${dir}/h/report.md`), /S_\{out,2\}/);
  await Deno.remove(dir, { recursive: true });
});

test("bad arguments exit with 2, one line on stderr and nothing on stdout", async () => {
  for (
    const args of [
      ["curve", "--P", "0,10"],
      ["curve", "--scale", "huge"],
      ["curve", "--net", "rnn"],
      ["scaling", "--vary", "m"],
      ["curve", "--L", "2", "--v", "3", "--s0", "0", "--P", "100"],
      ["plot", "/nonexistent/results.jsonl"],
      ["curve", "--grid", "2:1:5"],
    ]
  ) {
    const p = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "experiments/cli/main.ts", ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(p.stderr).trim();
    assert.equal(p.code, 2, `${args.join(" ")}: ${stderr}`);
    assert.equal(p.stdout.length, 0);
    assert.equal(stderr.split("\n").length, 1, stderr);
    assert.match(stderr, /^error: /);
  }
});

test("planFromArgs gives the plan that the command would run (for the cluster commands)", async () => {
  const args = ["--P", "100,200", "--seeds", "2", "--width", "16"];
  const viaArgs = await planFromArgs("curve", args);
  assert.deepEqual(viaArgs.runs.map((r) => [r.P, r.seed, r.network.width]), [
    [100, 0, 16],
    [100, 1, 16],
    [200, 0, 16],
    [200, 1, 16],
  ]);
  const scaling = await planFromArgs("scaling", ["--values", "1,2", "--P", "100"]);
  assert.deepEqual(scaling.runs.map((r) => r.params.s0), [1, 2]);
  await assert.rejects(planFromArgs("nope", []), /experiment must be one of/);
  const grid = await planFromArgs("curve", ["--grid", "0.5:2:3"]);
  assert.deepEqual(grid.runs.map((r) => r.P), [320, 640, 1280]);
});

test("the default experiment is the curve of s=2, L=2, s0=1, v=m=nc=4 around P* = 640", () => {
  const plan = defaultPlan();
  assert.equal(plan.experiment, "curve");
  const Ps = plan.runs.map((r) => r.P);
  assert.ok(Ps[0] <= 640 / 4 + 1 && Ps[Ps.length - 1] >= 4 * 640 - 1, Ps.join());
  assert.deepEqual(plan.runs.map((r) => r.id), planFromArgsNow("curve", []).runs.map((r) => r.id));
});

test("--mode, --synonym-variant and --cumulative reach the runs; their defaults are not written", async () => {
  const plain = await planFromArgs("curve", ["--P", "100"]);
  const explicit = await planFromArgs("curve", [
    "--P",
    "100",
    "--mode",
    "distinct",
    "--synonym-variant",
    "other",
  ]);
  assert.deepEqual(explicit.runs.map((r) => r.id), plain.runs.map((r) => r.id));
  assert.equal(plain.runs[0].training.mode, undefined);
  const changed = await planFromArgs("hierarchy", [
    "--P",
    "100",
    "--mode",
    "iid",
    "--synonym-variant",
    "redraw",
    "--cumulative",
  ]);
  const [run] = changed.runs;
  assert.equal(run.training.mode, "iid");
  assert.equal(run.measure.variant, "redraw");
  assert.equal(run.measure.cumulative, true);
  // iid sampling: P >= Pmax (here 3 * 3^2 = 27 for L = 2, v = 3, s0 = 0) is legitimate, uncapped test.
  const big = await planFromArgs("curve", [...tiny, "--P", "100", "--mode", "iid"]);
  assert.equal(big.runs[0].P, 100);
  assert.equal(big.runs[0].test, 40);
  await assert.rejects(
    planFromArgs("curve", ["--mode", "x"]),
    /--mode <mode>' argument 'x' is invalid\. Allowed choices are distinct, iid/,
  );
  await assert.rejects(
    planFromArgs("curve", ["--synonym-variant", "x"]),
    /--synonym-variant <v>' argument 'x' is invalid\. Allowed choices are other, redraw/,
  );
});

test("the default experiment takes its options without its name; sweep has --quiet", async () => {
  const { buildProgram } = await import("../experiments/cli/main.ts");
  const program = buildProgram();
  const dflt = program.commands.find((c) => c.name() === "default");
  assert.ok(dflt !== undefined && !/a few minutes/.test(dflt.description()));
  // Without the name, `--backend` reaches the default command (a bad value: its choices).
  const p = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "experiments/cli/main.ts", "--backend", "nope"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(p.stderr);
  assert.equal(p.code, 2, stderr);
  assert.match(stderr, /'--backend <name>' argument 'nope' is invalid\. Allowed choices are auto/);
  const sweep = program.commands.find((c) => c.name() === "sweep");
  assert.ok(sweep?.options.some((o) => o.long === "--quiet"));
});
