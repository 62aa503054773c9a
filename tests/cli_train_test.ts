import { test } from "node:test";
import assert from "node:assert/strict";
import { parseTrainArgs, runTrain } from "../experiments/cli/train.ts";
import { UsageError } from "../experiments/cli/usage_error.ts";
import { makeParams, pmax } from "@srhm/generators";
import { cliProcess } from "./cli_process.ts";

/** `train` on the options of an object (`maxEpochs: "1"` is `--max-epochs 1`, `true` a flag). */
async function train(o: Record<string, string | boolean | undefined>) {
  const args = Object.entries(o).flatMap(([k, x]) => {
    const flag = `--${k.replace(/([a-z])([A-Z])/g, (_, a, b) => `${a}-${b.toLowerCase()}`)}`;
    return x === undefined || x === false ? [] : x === true ? [flag] : [flag, x];
  });
  return await runTrain(parseTrainArgs(args));
}

// L = 2, v = 3 (m = 3, nc = 3): Pmax = nc * m^3
const PMAX = Number(pmax(makeParams({ L: 2, v: 3 })));

const cli = cliProcess;

const TINY = [
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
  "30",
  "--test",
  "21",
  "--batch",
  "10",
  "--max-epochs",
  "3",
  "--eval-every",
  "1",
  "--backend",
  "cpu",
  "--run-seed",
  "4",
];

test("train prints one JSON line with the contract's fields; two processes agree exactly", async () => {
  const [a, b] = await Promise.all([cli(TINY), cli(TINY)]);
  assert.equal(a.code, 0, a.stderr);
  const lines = a.stdout.split("\n").filter((l) => l !== "");
  assert.equal(lines.length, 1);
  const out = JSON.parse(lines[0]);
  for (
    const key of [
      "testError",
      "finalTestError",
      "trainLoss",
      "epochs",
      "seconds",
      "trainSamplesPerSec",
      "backend",
      "status",
    ]
  ) assert.ok(key in out, key);
  assert.equal(out.backend, "cpu");
  assert.equal(out.epochs, 3);
  assert.equal(out.status, "max-epochs");
  assert.ok(out.testError >= 0 && out.testError <= 1);
  assert.equal(out.network.kind, "cnn");
  assert.equal(out.network.length, 4);
  assert.equal(out.training.test, 21);
  // the progress bar went to stderr, not stdout
  assert.match(a.stderr, /epochs/);
  // same arguments, another process: the same numbers (cpu is deterministic)
  const other = JSON.parse(b.stdout);
  for (const key of ["testError", "finalTestError", "trainLoss", "epochs", "bestEpoch"]) {
    assert.equal(other[key], out[key], key);
  }
});

test("bad arguments exit with 2, one line on stderr, nothing on stdout", async () => {
  const r = await cli([
    "train",
    "--L",
    "2",
    "--v",
    "3",
    "--net",
    "rnn",
    "--width",
    "8",
    "--P",
    "10",
  ]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr.trim().split("\n").length, 1);
  assert.match(
    r.stderr,
    /'--net <kind>' argument 'rnn' is invalid\. Allowed choices are cnn, lcn, fcn/,
  );
});

test("argument checks name the option and the bound", async () => {
  const base = { L: "2", v: "3", net: "cnn", width: "8", P: "12", backend: "cpu", quiet: true };
  const cases: [Record<string, string | boolean | undefined>, RegExp][] = [
    [{ width: "0" }, /'--width <H>' argument '0' is invalid\. must be an integer >= 1 \(got "0"\)/],
    [{ P: undefined }, /required option '--P <N>' not specified/],
    [{ net: undefined }, /required option '--net <kind>' not specified/],
    [{ P: String(PMAX) }, new RegExp(`--P must be < Pmax = ${PMAX}`)],
    [
      { P: "60", test: String(PMAX - 50) },
      new RegExp(
        `--P \\+ --test must be <= Pmax = ${PMAX} in distinct mode \\(got ${PMAX + 10}\\)`,
      ),
    ],
    [{ lr: "-1" }, /'--lr <x>' argument '-1' is invalid\. must be > 0/],
    [{ batch: "1.5" }, /'--batch <B>' argument '1\.5' is invalid\. must be an integer >= 1/],
    [{ momentum: "1" }, /'--momentum <x>' argument '1' is invalid\. must be in \[0, 1\)/],
    [{ encoding: "binary" }, /Allowed choices are onehot, whitened/],
    [{ backend: "cuda" }, /Allowed choices are auto, /],
    [{ bias: "x" }, /Allowed choices are per-position, shared, none/],
    [{ v: "1" }, /v must be an integer >= 2 \(got 1\)/],
    [{ P: "10" }, /--P must be a multiple of nc = 3 with class-balanced sets \(got 10;/],
    [{ test: "10" }, /--test must be a multiple of nc = 3 with class-balanced sets \(got 10\)/],
    [{ stopCheck: "x" }, /Allowed choices are eval, epoch/],
    [{ fcnScale: "x" }, /Allowed choices are channels, fan-in/],
  ];
  for (const [change, message] of cases) {
    await assert.rejects(
      () => train({ ...base, ...change }),
      (e: unknown) => e instanceof UsageError && message.test(e.message),
      JSON.stringify(change),
    );
  }
});

test("defaults: the authors' lr and stop loss, 4 per class batch, test = min(20000, Pmax - P)", async () => {
  const out = await train({
    L: "2",
    v: "3",
    net: "fcn",
    width: "4",
    P: "15",
    maxEpochs: "1",
    backend: "cpu",
    quiet: true,
    history: true,
  });
  assert.equal(out.training.lr, 0.01);
  assert.equal(out.training.stopLoss, 1e-2);
  assert.equal(out.training.batch, 12);
  assert.equal(out.training.test, PMAX - 15);
  assert.equal(out.training.stopCheck, "eval");
  assert.equal(out.training.balanced, true);
  assert.equal((out.network as { fcnScale?: string }).fcnScale, "channels");
  assert.equal(out.training.evalEvery, 10);
  assert.equal(out.history?.length, 1);
  assert.equal(out.network.kind, "fcn");
});

test("--mode iid allows P >= Pmax, with a test set of 20000 by default", async () => {
  const out = await train({
    L: "2",
    v: "3",
    net: "cnn",
    width: "4",
    P: String(PMAX + 6),
    mode: "iid",
    batch: String(PMAX + 6),
    maxEpochs: "1",
    backend: "cpu",
    quiet: true,
  });
  assert.equal(out.training.mode, "iid");
  assert.equal(out.training.P, PMAX + 6);
  assert.equal(out.training.test, 19998); // 20000 rounded down to a multiple of nc = 3
  await assert.rejects(
    () =>
      train({
        L: "2",
        v: "3",
        net: "cnn",
        width: "4",
        P: String(PMAX),
        mode: "distinct",
        backend: "cpu",
        quiet: true,
      }),
    (e: unknown) =>
      e instanceof UsageError && /--P must be < Pmax .* in distinct mode/.test(e.message),
  );
});
