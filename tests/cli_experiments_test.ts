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
    await runCli(["hierarchy", ...common, "--s0", "0", "--P", "21,42", "--out", `${dir}/h`]),
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

test("every protocol option reaches the runs; the defaults are the authors' and always written", async () => {
  const plain = await planFromArgs("curve", ["--P", "100"]);
  const explicit = await planFromArgs("curve", [
    "--P",
    "100",
    "--mode",
    "distinct",
    "--synonym-variant",
    "redraw",
    "--cumulative",
    "--denominator",
    "batch-pairs",
    "--stop-check",
    "eval",
    "--balanced",
    "--fcn-scale",
    "channels",
  ]);
  assert.deepEqual(explicit.runs.map((r) => r.id), plain.runs.map((r) => r.id));
  const [p] = plain.runs;
  assert.equal(p.training.mode, "distinct");
  assert.equal(p.training.stopCheck, "eval");
  assert.equal(p.training.balanced, true);
  assert.equal(p.network.fcnScale, "channels");
  assert.equal(p.measure.synonymVariant, "redraw");
  assert.equal(p.measure.cumulative, true);
  assert.equal(p.measure.denominator, "batch-pairs");
  const changed = await planFromArgs("hierarchy", [
    "--P",
    "100",
    "--mode",
    "iid",
    "--synonym-variant",
    "other",
    "--no-cumulative",
    "--denominator",
    "independent",
    "--stop-check",
    "epoch",
    "--no-balanced",
    "--fcn-scale",
    "fan-in",
  ]);
  const [run] = changed.runs;
  assert.equal(run.training.mode, "iid");
  assert.equal(run.training.stopCheck, "epoch");
  assert.equal(run.training.balanced, false);
  assert.equal(run.network.fcnScale, "fan-in");
  assert.equal(run.measure.synonymVariant, "other");
  assert.equal(run.measure.cumulative, false);
  assert.equal(run.measure.denominator, "independent");
  // each alternative alone changes the run id
  const alone = [
    ["--synonym-variant", "other"],
    ["--no-cumulative"],
    ["--denominator", "independent"],
    ["--stop-check", "epoch"],
    ["--no-balanced"],
    ["--fcn-scale", "fan-in"],
    ["--mode", "iid"],
  ];
  const ids = await Promise.all(
    alone.map(async (a) => (await planFromArgs("curve", ["--P", "100", ...a])).runs[0].id),
  );
  assert.equal(new Set([p.id, ...ids]).size, alone.length + 1);
  // iid sampling: P >= Pmax (here 3 * 3^2 = 27 for L = 2, v = 3, s0 = 0) is legitimate, uncapped test.
  const big = await planFromArgs("curve", [...tiny, "--P", "99", "--mode", "iid"]);
  assert.equal(big.runs[0].P, 99);
  assert.equal(big.runs[0].test, 39); // 40 rounded down to a multiple of nc = 3 (balanced)
  await assert.rejects(
    planFromArgs("curve", ["--mode", "x"]),
    /--mode <mode>' argument 'x' is invalid\. Allowed choices are distinct, iid/,
  );
  await assert.rejects(
    planFromArgs("curve", ["--synonym-variant", "x"]),
    /--synonym-variant <v>' argument 'x' is invalid\. Allowed choices are redraw, other/,
  );
  await assert.rejects(
    planFromArgs("curve", ["--denominator", "x"]),
    /Allowed choices are batch-pairs, independent/,
  );
  await assert.rejects(
    planFromArgs("curve", ["--stop-check", "x"]),
    /Allowed choices are eval, epoch/,
  );
  await assert.rejects(
    planFromArgs("curve", ["--fcn-scale", "x"]),
    /Allowed choices are channels, fan-in/,
  );
  await assert.rejects(
    planFromArgs("curve", ["--P", "101"]),
    /--P values must be multiples of nc = 4 with class-balanced sets/,
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

test("--seeds varies the grammar with data and init; --seed-scope data keeps the grammar", async () => {
  const all = await planFromArgs("curve", ["--P", "100", "--seeds", "3", "--seed", "5"]);
  assert.deepEqual(all.runs.map((r) => [r.params.seed, r.seed]), [[5, 0], [6, 1], [7, 2]]);
  const data = await planFromArgs("curve", [
    "--P",
    "100",
    "--seeds",
    "3",
    "--seed",
    "5",
    "--seed-scope",
    "data",
  ]);
  assert.deepEqual(data.runs.map((r) => [r.params.seed, r.seed]), [[5, 0], [5, 1], [5, 2]]);
  await assert.rejects(
    planFromArgs("curve", ["--seed-scope", "x"]),
    /Allowed choices are all, data/,
  );
});

test("--lr-grid trains every point at every rate and records the grid; excludes --lr", async () => {
  const plan = await planFromArgs("scaling", [
    "--values",
    "1,2",
    "--grid",
    "1:1:1",
    "--seeds",
    "2",
    "--lr-grid",
    "0.01,0.1",
  ]);
  assert.equal(plan.runs.length, 2 * 2 * 2);

  assert.deepEqual([...new Set(plan.runs.map((r) => r.training.lr))].sort(), [0.01, 0.1]);
  await assert.rejects(
    planFromArgs("curve", ["--lr", "0.1", "--lr-grid", "0.1,0.3"]),
    /--lr and --lr-grid exclude each other/,
  );
  await assert.rejects(
    planFromArgs("curve", ["--lr-grid", "0.1,-1"]),
    /comma-separated list of rates > 0/,
  );
});

test("the default learning rates are the authors' table per s0 (scaling over s0 = 0..4)", async () => {
  const plan = await planFromArgs("scaling", ["--values", "0,1,2,3,4", "--grid", "1:1:1"]);
  assert.deepEqual(plan.runs.map((r) => [r.params.s0, r.training.lr]), [
    [0, 0.01],
    [1, 0.1],
    [2, 0.1],
    [3, 0.1],
    [4, 0.03],
  ]);
  const lcn = await planFromArgs("scaling", [
    "--nets",
    "lcn",
    "--values",
    "3,4",
    "--grid",
    "1:1:1",
  ]);
  assert.deepEqual(lcn.runs.map((r) => r.training.lr), [0.01, 0.003]);
});

/** A results line as written before issue 9: no protocol fields, `measure.variant`. */
const oldLine = (P: number, seed: number, testError: number, S2: number) =>
  JSON.stringify({
    id: `old-${P}-${seed}`,
    status: "ok",
    run: {
      experiment: "curve",
      params: { L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, sparsity: "A", seed: 0 },
      network: { kind: "cnn", width: 64, bias: "per-position", parametrisation: "mean-field" },
      training: {
        lr: 0.1,
        batch: 32,
        maxEpochs: 300,
        stopLoss: 0.001,
        evalEvery: 5,
        encoding: "onehot",
        backend: "wasm",
      },
      measure: { sensitivities: true, perClass: 20, variant: "redraw" },
      P,
      test: 2000,
      seed,
      id: `old-${P}-${seed}`,
    },
    backend: "wasm",
    versions: { tfjs: "4.22.0" },
    timings: { total: 3, train: 2 },
    metrics: {
      testError,
      S: [[0.5, 0.8], [S2, 0.8], [0.1, 0.5]],
      D: [[0.1, 0.5], [S2 / 4, 0.3], [0.01, 0.05]],
    },
  });

test("report and plot read a results directory written before issue 9", async () => {
  const dir = await Deno.makeTempDir();
  const lines = [
    oldLine(160, 0, 0.5, 0.6),
    oldLine(640, 0, 0.09, 0.35),
    oldLine(2560, 0, 0, 0.25),
    oldLine(160, 1, 0.55, 0.62),
    oldLine(640, 1, 0.1, 0.36),
    oldLine(2560, 1, 0, 0.24),
  ];
  await Deno.writeTextFile(`${dir}/results.jsonl`, lines.join("\n") + "\n");
  const [r] = await readResults(`${dir}/results.jsonl`);
  assert.equal(r.id, "old-160-0");
  assert.equal(r.run.measure.synonymVariant, "redraw");
  assert.equal(r.run.measure.cumulative, false);
  assert.equal(r.run.measure.denominator, "independent");
  assert.equal(r.run.training.stopCheck, "epoch");
  assert.equal(r.run.training.balanced, false);
  assert.equal(r.run.network.fcnScale, "fan-in");
  assert.equal(await runCli(["report", dir, "--no-figures"]), 0);
  const report = await Deno.readTextFile(`${dir}/report.md`);
  assert.match(report, /lr: the authors' table \(0\.1 at s0=1\)/);
  assert.match(report, /synonym redraw, level l only, denominator independent/);
  assert.match(report, /stop at loss 0\.001 checked every epoch/);
  assert.match(report, /the thresholds on S_2, D_2 were tuned by the authors/);
  const summary = JSON.parse(await Deno.readTextFile(`${dir}/summary.json`));
  assert.ok(summary.pstar > 160 && summary.pstar < 2560);
  assert.equal(await runCli(["plot", dir, "--out", `${dir}/plots`]), 0);
  assert.ok((await Deno.stat(`${dir}/plots/learning_curve.png`)).size > 0);
  await Deno.remove(dir, { recursive: true });
});

test("an lr grid end to end: every rate recorded, the best per point chosen and named", async () => {
  const dir = await Deno.makeTempDir();
  const out = `${dir}/grid`;
  const args = ["curve", ...tiny, "--P", "12,24", "--seeds", "2", "--lr-grid", "0.01,1"];
  assert.equal(await runCli([...args, "--out", out]), 0);
  const results = await readResults(`${out}/results.jsonl`);
  assert.equal(results.length, 2 * 2 * 2);
  const summary = JSON.parse(await Deno.readTextFile(`${out}/summary.json`));
  assert.equal(summary.lrChoices.length, 4);
  for (const c of summary.lrChoices) {
    const mine = results.filter((r) =>
      r.run.P === c.P && r.run.seed === c.seed && r.run.params.seed === c.grammarSeed
    );
    assert.equal(mine.length, 2);
    const best = Math.min(...mine.map((r) => r.metrics?.testError ?? NaN));
    const chosen = mine.find((r) => r.id === c.id);
    assert.equal(chosen?.metrics?.testError, best);
  }
  // the curve's test error at each P is the mean of the chosen runs
  for (const p of summary.points) {
    const chosen = summary.lrChoices.filter((c: { P: number }) => c.P === p.P);
    const mean = chosen.reduce((a: number, c: { testError: number }) => a + c.testError, 0) /
      chosen.length;
    assert.ok(Math.abs(p.testError - mean) < 1e-12);
  }
  const report = await Deno.readTextFile(`${out}/report.md`);
  assert.match(report, /lr: grid 0\.01\/1, the best test error per point/);
  assert.match(report, /learning rate chosen per point/);
  await Deno.remove(dir, { recursive: true });
});
