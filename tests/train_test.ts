import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { encode, makeGrammar, makeParams, makeRng, sampleSplit } from "@srhm/generators";
import { makeConfig, type NetworkConfig } from "../networks/config.ts";
import { buildNetwork } from "../networks/build.ts";
import { activations } from "../networks/activations.ts";
import { epochPermutation, type LabelledData, train } from "../networks/train.ts";
import { configForGrammar } from "../networks/config.ts";
import { crossEntropy } from "../networks/loss.ts";
import { BackendUnavailableError, selectBackend } from "../networks/backend.ts";
import { testError } from "@srhm/metrics";

await tf.setBackend("cpu");

const small: NetworkConfig = makeConfig({
  kind: "cnn",
  depth: 2,
  patch: 2,
  width: 16,
  channels: 3,
  length: 4,
  classes: 3,
  bias: "per-position",
  parametrisation: "mean-field",
  seed: 0,
});

/** A learnable toy task: one-hot symbols; the class is the symbol at position 0. */
function toy(count: number, seed: number): LabelledData {
  const rng = makeRng(seed, "toy-data");
  const x = new Float32Array(count * 4 * 3);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < 4; p++) {
      const symbol = rng.int(3);
      x[(i * 4 + p) * 3 + symbol] = 1;
      if (p === 0) labels[i] = symbol;
    }
  }
  return { x, labels, count };
}

const data = { train: toy(60, 1), test: toy(40, 2) };
const quiet = { quiet: true, evalEvery: 2 } as const;

/** Test error of a network on a data set, computed independently of the trainer. */
async function errorOf(net: ReturnType<typeof buildNetwork>, d: LabelledData): Promise<number> {
  const { logits } = await activations(net, d.x, d.count);
  const C = net.config.classes;
  let wrong = 0;
  for (let i = 0; i < d.count; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (logits[i * C + c] > logits[i * C + best]) best = c;
    if (best !== d.labels[i]) wrong++;
  }
  return wrong / d.count;
}

test("the number of live tensors is identical after every epoch, and nothing leaks", async () => {
  const before = tf.memory().numTensors;
  const net = buildNetwork(small);
  const counts: number[] = [];
  const result = await train(net, data, {
    lr: 0.05,
    batch: 7, // a ragged last batch
    maxEpochs: 6,
    stopLoss: 0,
    ...quiet,
    onEpoch: () => counts.push(tf.memory().numTensors),
  });
  assert.equal(result.epochs, 6);
  assert.equal(counts.length, 6);
  assert.ok(counts.every((c) => c === counts[0]), `live tensors per epoch: ${counts}`);
  assert.equal(tf.memory().numTensors, before + net.variables.length);
  net.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test("training learns the toy task, converges, keeps the best network and reports it", async () => {
  const net = buildNetwork(small);
  const history: number[] = [];
  const result = await train(net, data, {
    lr: 0.1,
    batch: 10,
    maxEpochs: 300,
    stopLoss: 0.01,
    ...quiet,
    onEpoch: (r) => history.push(r.epoch),
  });
  assert.equal(result.status, "converged");
  assert.ok(result.trainLoss < 0.01);
  assert.equal(result.testError, 0);
  assert.ok(result.epochs < 300);
  assert.equal(result.backend, "cpu");
  assert.ok(result.trainSamplesPerSec > 0 && result.seconds > 0);
  assert.deepEqual(history, result.history.map((r) => r.epoch));
  // evaluated every 2 epochs and at the last one
  const evaluated = result.history.filter((r) => r.testError !== undefined).map((r) => r.epoch);
  assert.ok(evaluated.every((e) => e % 2 === 0 || e === result.epochs));
  assert.ok(evaluated.includes(result.epochs));
  assert.equal(result.finalTestError, result.history[result.history.length - 1].testError);
  assert.equal(
    result.testError,
    Math.min(...result.history.flatMap((r) => r.testError === undefined ? [] : [r.testError])),
  );
  // the network holds the weights of the best test error
  assert.equal(await errorOf(net, data.test), result.testError);
  net.dispose();
});

test("the network is left with the best weights, not the final ones", async () => {
  // evaluate every epoch on a test set whose labels are shuffled: errors move around, and the
  // network must end with the weights of the lowest one
  const rng = makeRng(9, "shuffle-labels");
  const noisy = { ...data.test, labels: data.test.labels.map(() => rng.int(3)) };
  const net = buildNetwork(small);
  const result = await train(net, { train: data.train, test: noisy }, {
    lr: 0.1,
    batch: 10,
    maxEpochs: 12,
    stopLoss: 0,
    quiet: true,
    evalEvery: 1,
  });
  const errors = result.history.map((r) => r.testError as number);
  // the seeds are chosen so that the best epoch is not the last: the check below means something
  assert.ok(result.bestEpoch < result.epochs, `errors ${errors}`);
  assert.notEqual(result.finalTestError, result.testError);
  assert.equal(result.testError, Math.min(...errors));
  assert.equal(result.bestEpoch, errors.indexOf(result.testError) + 1);
  assert.equal(await errorOf(net, noisy), result.testError);
  net.dispose();
});

test("a fixed seed gives the same training run twice (cpu)", async () => {
  const run = async () => {
    const net = buildNetwork(small);
    const r = await train(net, data, {
      lr: 0.05,
      batch: 8,
      maxEpochs: 5,
      stopLoss: 0,
      seed: 3,
      ...quiet,
    });
    const w = await net.getWeights();
    net.dispose();
    return { losses: r.history.map((h) => h.trainLoss), readout: w.readout };
  };
  const a = await run();
  const b = await run();
  assert.deepEqual(a, b);
});

test("divergence ends with status diverged, not a crash", async () => {
  const before = tf.memory().numTensors;
  const net = buildNetwork(small);
  const result = await train(net, data, {
    lr: 1e30,
    batch: 10,
    maxEpochs: 50,
    stopLoss: 0,
    ...quiet,
  });
  assert.equal(result.status, "diverged");
  assert.ok(!Number.isFinite(result.trainLoss));
  assert.ok(result.epochs < 50);
  assert.ok(result.finalTestError >= 0 && result.finalTestError <= 1);
  assert.ok(result.testError >= 0 && result.testError <= 1);
  // It diverged before any evaluation: the network keeps its broken weights, and their error
  // follows @srhm/metrics (a row with a NaN logit is wrong), not an arg-max over NaN.
  assert.equal(result.bestEpoch, 0);
  const { logits } = await activations(net, data.test.x, data.test.count);
  assert.ok(logits.some(Number.isNaN), "the diverged network should give NaN logits");
  const expected = testError(logits, data.test.labels, small.classes);
  assert.equal(result.finalTestError, expected);
  assert.equal(result.testError, expected);
  net.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test("without a test set, the errors are NaN and the final weights stay", async () => {
  const net = buildNetwork(small);
  const empty = { x: new Float32Array(0), labels: new Int32Array(0), count: 0 };
  const result = await train(net, { train: data.train, test: empty }, {
    lr: 0.05,
    batch: 10,
    maxEpochs: 3,
    stopLoss: 0,
    ...quiet,
  });
  assert.ok(Number.isNaN(result.testError) && Number.isNaN(result.finalTestError));
  assert.equal(result.status, "max-epochs");
  net.dispose();
});

test("bad data and options are rejected with messages naming the parameter", async () => {
  const net = buildNetwork(small);
  const opts = { lr: 0.1, batch: 10, maxEpochs: 1, stopLoss: 0, quiet: true };
  await assert.rejects(
    () => train(net, { train: { ...data.train, count: 61 }, test: data.test }, opts),
    /train\.x must hold count \* length \* channels = 732 numbers \(got 720\)/,
  );
  await assert.rejects(
    () =>
      train(net, {
        train: data.train,
        test: { ...data.test, labels: data.test.labels.map(() => 3) },
      }, opts),
    /test\.labels must be in \[0, 3\) \(got 3\)/,
  );
  await assert.rejects(
    () => train(net, data, { ...opts, batch: 0 }),
    /batch must be an integer >= 1/,
  );
  await assert.rejects(() => train(net, data, { ...opts, lr: -1 }), /lr must be > 0/);
  await assert.rejects(
    () => train(net, data, { ...opts, momentum: 1 }),
    /momentum must be in \[0, 1\)/,
  );
  await assert.rejects(
    () => train(net, data, { ...opts, maxEpochs: 1.5 }),
    /maxEpochs must be an integer/,
  );
  net.dispose();
});

test("epochPermutation is a seeded permutation that changes with the epoch", () => {
  const a = epochPermutation(50, 1, 1);
  assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual(a, epochPermutation(50, 1, 1));
  assert.notDeepEqual(a, epochPermutation(50, 1, 2));
  assert.notDeepEqual(a, epochPermutation(50, 2, 1));
});

test("a tiny SRHM (L=2, s=2, s0=1, v=m=nc=4) is learnt to under 5 % test error from 2000 samples", async () => {
  // CNN, H = 32, lr = 0.2 (x H under mean-field), batch 100, at most 12 epochs: about 0.6 s on
  // wasm (10 s on the plain cpu backend); the test error reaches 0-0.2 % by epoch 10.
  await selectBackend("wasm");
  try {
    const grammar = makeGrammar(makeParams({ L: 2, s: 2, s0: 1, v: 4, m: 4, nc: 4, seed: 0 }));
    const split = sampleSplit(grammar, { train: 2000, test: 2000, seed: 1 });
    const d = {
      train: { x: encode(split.train), labels: split.train.labels, count: 2000 },
      test: { x: encode(split.test), labels: split.test.labels, count: 2000 },
    };
    const net = buildNetwork(configForGrammar(grammar, { kind: "cnn", width: 32, seed: 0 }));
    const result = await train(net, d, {
      lr: 0.2,
      batch: 100,
      maxEpochs: 12,
      stopLoss: 0.02,
      evalEvery: 4,
      quiet: true,
    });
    assert.ok(result.testError < 0.05, `test error ${result.testError}`);
    assert.equal(result.backend, "wasm");
    net.dispose();
  } finally {
    await tf.setBackend("cpu");
  }
});

test("cpu and wasm train to the same losses (to float32 rounding)", async () => {
  const losses: number[][] = [];
  for (const name of ["cpu", "wasm"] as const) {
    await selectBackend(name);
    const net = buildNetwork(small);
    const r = await train(net, data, { lr: 0.05, batch: 8, maxEpochs: 3, stopLoss: 0, ...quiet });
    losses.push(r.history.map((h) => h.trainLoss));
    net.dispose();
  }
  await tf.setBackend("cpu");
  losses[0].forEach((l, i) =>
    assert.ok(Math.abs(l - losses[1][i]) < 1e-5, `${l} vs ${losses[1][i]}`)
  );
});

test("one full-batch step moves the weights by -lr * H * gradient (mean-field), -lr * gradient (standard)", async () => {
  for (const parametrisation of ["mean-field", "standard"] as const) {
    const c = { ...small, parametrisation };
    const net = buildNetwork(c);
    const before = await net.getWeights();
    const grads = tf.tidy(() => {
      const x = tf.tensor3d(data.train.x, [data.train.count, c.length, c.channels]);
      const y = tf.cast(tf.oneHot(tf.tensor1d(data.train.labels, "int32"), c.classes), "float32");
      const { grads } = tf.variableGrads(
        () => crossEntropy(net.forward(x).logits, y),
        net.variables as tf.Variable[],
      );
      return grads[net.variables[net.variables.length - 1].name];
    });
    const g = await grads.data();
    grads.dispose();
    const lr = 0.01;
    await train(net, { train: data.train, test: data.test }, {
      lr,
      batch: data.train.count,
      maxEpochs: 1,
      stopLoss: 0,
      momentum: 0,
      quiet: true,
    });
    // one epoch: one step, and the (only) evaluation is the best, so these are the stepped weights
    const after = await net.getWeights();
    const rate = parametrisation === "mean-field" ? lr * c.width : lr;
    after.readout.forEach((w, i) => {
      const expected = before.readout[i] - rate * g[i];
      assert.ok(
        Math.abs(w - expected) < 1e-5,
        `${parametrisation} readout[${i}]: ${w} vs ${expected}`,
      );
    });
    net.dispose();
  }
});

/** Whether a WebGPU adapter exists here (a software one allowed, for correctness only). */
async function webgpuHere(): Promise<boolean> {
  const flag = "SRHM_WEBGPU_ALLOW_SOFTWARE";
  const previous = Deno.env.get(flag);
  Deno.env.set(flag, "1");
  try {
    await selectBackend("webgpu");
    return true;
  } catch (e) {
    if (e instanceof BackendUnavailableError) return false;
    throw e;
  } finally {
    if (previous === undefined) Deno.env.delete(flag);
    else Deno.env.set(flag, previous);
    await tf.setBackend("cpu");
  }
}

const WEBGPU = await webgpuHere();

test(
  "webgpu trains to the cpu's losses and test errors (where an adapter exists)",
  { skip: WEBGPU ? false : "no WebGPU adapter here" },
  async () => {
    const runs: { losses: number[]; errors: (number | undefined)[] }[] = [];
    for (const name of ["cpu", "webgpu"] as const) {
      if (name === "webgpu") assert.ok(await webgpuHere());
      await (name === "webgpu" ? tf.setBackend("webgpu") : selectBackend("cpu"));
      const net = buildNetwork({ ...small, kind: "lcn" });
      const r = await train(net, data, {
        lr: 0.05,
        batch: 20,
        maxEpochs: 2,
        stopLoss: 0,
        ...quiet,
      });
      assert.equal(r.backend, name);
      runs.push({
        losses: r.history.map((h) => h.trainLoss),
        errors: r.history.map((h) => h.testError),
      });
      const a = await activations(net, data.test.x, data.test.count);
      assert.equal(a.logits.length, data.test.count * small.classes);
      net.dispose();
    }
    await tf.setBackend("cpu");
    runs[0].losses.forEach((l, i) => assert.ok(Math.abs(l - runs[1].losses[i]) < 1e-4));
    assert.deepEqual(runs[0].errors, runs[1].errors);
  },
);

test("stopCheck: eval (default) stops only at an evaluation epoch; epoch stops at the first one", async () => {
  const run = async (stopCheck?: "eval" | "epoch") => {
    const net = buildNetwork(small);
    const r = await train(net, data, {
      lr: 0.1,
      batch: 10,
      maxEpochs: 300,
      stopLoss: 0.05,
      quiet: true,
      evalEvery: 7,
      ...(stopCheck ? { stopCheck } : {}),
    });
    net.dispose();
    return r;
  };
  const byEpoch = await run("epoch");
  const byEval = await run();
  assert.equal(byEpoch.status, "converged");
  assert.equal(byEval.status, "converged");
  // the same seed gives the same trajectory: the eval rule stops at the first multiple of 7 at
  // or after the first epoch below the threshold where the loss is still below it
  const firstBelow = byEpoch.epochs;
  assert.ok(byEval.epochs % 7 === 0 && byEval.epochs >= firstBelow);
  const losses = byEval.history.map((h) => h.trainLoss);
  const expected = byEval.history.find((h) => h.epoch % 7 === 0 && h.trainLoss < 0.05)?.epoch;
  assert.equal(byEval.epochs, expected);
  assert.equal(losses[firstBelow - 1], byEpoch.trainLoss);
  await assert.rejects(
    () =>
      train(buildNetwork(small), data, {
        lr: 0.1,
        batch: 10,
        maxEpochs: 1,
        stopLoss: 0,
        stopCheck: "x" as never,
      }),
    /stopCheck must be one of eval, epoch/,
  );
});
