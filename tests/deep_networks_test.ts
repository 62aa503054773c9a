/**
 * The standard deep networks (vgg11, vgg16, resnet18, resnet34, efficientnetb0): shapes, gradients
 * against finite differences, batch norm's train/eval behaviour, dropout only in training, the
 * parameter counts of PyTorch's versions, and a tiny network fitting a tiny SRHM.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import {
  BATCH_NORM_MOMENTUM,
  batchNormTrain,
  blockShapes,
  buildDeepNetwork,
  col2im,
  col2imSlices,
  conv1d,
  convLength,
  DEEP_NET_KINDS,
  type DeepConfig,
  deepConfig,
  type DeepNetKind,
  depthwiseConv1d,
  gate,
  im2col,
  im2colSlices,
  maxPool2,
  maxPool2Slices,
  meanPool,
  type Op,
  parameterCount,
  swish,
} from "../networks/deep/mod.ts";
import { crossEntropy } from "../networks/loss.ts";
import { momentumSgd } from "../networks/sgd.ts";
import { train } from "../networks/train.ts";
import { decayCoefficients } from "../networks/trainable.ts";
import { buildForGrammar } from "../networks/any_network.ts";
import { encode, makeGrammar, sampleSplit } from "@srhm/generators";
import { findPython, runPython } from "./python_env.ts";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

const shape36 = { channels: 10, length: 36, classes: 10 };

/**
 * The configuration with every dropout and drop-connect rate set to 0 (plain data, so a map), and
 * with `smooth`, every ReLU replaced by swish (for finite differences without kinks).
 */
function withoutDropout(config: DeepConfig, smooth = false): DeepConfig {
  const strip = (op: Op): Op =>
    smooth && op.op === "relu"
      ? { op: "swish" }
      : smooth && op.op === "residual" && op.after === "relu"
      ? strip({ ...op, after: "none" })
      : op.op === "dropout"
      ? { ...op, rate: 0 }
      : op.op === "residual"
      ? { ...op, dropConnect: 0, body: op.body.map(strip), shortcut: op.shortcut.map(strip) }
      : op;
  return { ...config, blocks: config.blocks.map((b) => ({ ...b, ops: b.ops.map(strip) })) };
}

/**
 * Directional derivative check: `<grad f(xs), u>` against `(f(xs + eps u) - f(xs - eps u)) / 2 eps`
 * for a random direction `u` per input; returns [analytic, numeric].
 */
function directional(
  f: (...xs: tf.Tensor[]) => tf.Scalar,
  xs: tf.Tensor[],
  seed: number,
  eps = 1e-2,
): [number, number] {
  return tf.tidy(() => {
    const us = xs.map((x, i) => tf.randomNormal(x.shape, 0, 1, "float32", seed + i));
    const grads = tf.grads(f)(xs);
    const analytic = grads.reduce((s, g, i) => s + tf.sum(tf.mul(g, us[i])).dataSync()[0], 0);
    const plus = f(...xs.map((x, i) => tf.add(x, tf.mul(us[i], eps)))).dataSync()[0];
    const minus = f(...xs.map((x, i) => tf.sub(x, tf.mul(us[i], eps)))).dataSync()[0];
    return [analytic, (plus - minus) / (2 * eps)];
  });
}

function assertClose([a, n]: [number, number], tol: number, what: string): void {
  const scale = Math.max(1e-3, Math.abs(a), Math.abs(n));
  assert.ok(Math.abs(a - n) / scale < tol, `${what}: analytic ${a}, finite differences ${n}`);
}

const geometry = fc.record({
  size: fc.integer({ min: 1, max: 5 }),
  stride: fc.integer({ min: 1, max: 3 }),
  pad: fc.integer({ min: 0, max: 2 }),
});

Deno.test("the parameter counts equal PyTorch's at v = 10, d = 36, width 64", () => {
  // printed by the PyTorch anchor ../shared/anchors/torch_archs_bench.py --steps 1 (PyTorch 1.13),
  // and by our own bench/torch_archs.py --params (next test)
  const torch: Record<DeepNetKind, number> = {
    vgg11: 3087306,
    vgg16: 4922634,
    resnet18: 3850506,
    resnet34: 7224842,
    efficientnetb0: 3456230,
  };
  for (const kind of DEEP_NET_KINDS) {
    assert.equal(parameterCount(deepConfig(kind, { width: 64, ...shape36 })), torch[kind], kind);
  }
});

const torchPython = findPython(["torch"]);

Deno.test({
  name: "bench/torch_archs.py builds the same networks: its parameter counts are parameterCount's",
  ignore: "reason" in torchPython,
  fn: async () => {
    assert.ok("exe" in torchPython);
    const script = new URL("../bench/torch_archs.py", import.meta.url).pathname;
    const shapes = [
      { width: 64, ...shape36 },
      { width: 5, ...shape36 },
      { width: 1, ...shape36 },
      { width: 3, channels: 3, length: 40, classes: 4 },
    ];
    for (const shape of shapes) {
      const args = ["--params", "--width", `${shape.width}`, "--v", `${shape.channels}`];
      args.push("--d", `${shape.length}`, "--nc", `${shape.classes}`);
      const r = await runPython(torchPython.exe, script, args);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
      assert.deepEqual(lines.map((l) => l.arch), [...DEEP_NET_KINDS]);
      for (const l of lines) {
        assert.equal(
          l.params,
          parameterCount(deepConfig(l.arch, shape)),
          `${l.arch} ${JSON.stringify(shape)}`,
        );
      }
    }
  },
});
if ("reason" in torchPython) console.log(`bench/torch_archs.py not checked: ${torchPython.reason}`);

Deno.test("every network's hidden and output shapes follow blockShapes, at any width and batch", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...DEEP_NET_KINDS),
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 3 }),
      (kind, width, batch) => {
        const config = deepConfig(kind, { width, ...shape36 });
        const net = buildDeepNetwork(config);
        try {
          const expected = blockShapes(config);
          const got = tf.tidy(() => {
            for (const mode of ["train", "eval"] as const) {
              const out = net.forward(tf.randomNormal([batch, 36, 10]), mode);
              assert.deepEqual(out.logits.shape, [batch, 10]);
              assert.equal(out.hidden.length, config.blocks.length - 1);
              out.hidden.forEach((h, k) => {
                assert.deepEqual(h.shape, [batch, expected[k].positions, expected[k].channels]);
              });
            }
            return true;
          });
          assert.ok(got);
          assert.deepEqual(net.layerNames, config.blocks.slice(0, -1).map((b) => b.name));
        } finally {
          net.dispose();
        }
      },
    ),
    { numRuns: 12 },
  );
});

Deno.test("a too-short input is refused with the block that does not fit", () => {
  assert.throws(
    () => deepConfig("vgg11", { width: 8, channels: 4, length: 16, classes: 4 }),
    /vgg11 block pool5: maxpool needs >= 2 positions \(got 1\)/,
  );
});

Deno.test("im2col and col2im: the loop kernels equal the slice-and-pad form, and are adjoint", () => {
  fc.assert(
    fc.property(
      geometry,
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 0, max: 1000 }),
      (g, T, C, seed) => {
        fc.pre(T + 2 * g.pad >= g.size);
        tf.tidy(() => {
          const x = tf.randomNormal([2, T, C], 0, 1, "float32", seed);
          const out = convLength(T, g);
          const cols = im2col(x, g);
          assert.deepEqual(cols.shape, [2, out, g.size * C]);
          assert.deepEqual(cols.arraySync(), im2colSlices(x, g).arraySync());
          const d = tf.randomNormal([2, out, g.size * C], 0, 1, "float32", seed + 1);
          const back = col2im(d, T, g);
          const slices = col2imSlices(d, T, g).dataSync();
          back.dataSync().forEach((v, i) => assert.ok(Math.abs(v - slices[i]) < 1e-5));
          // <im2col(x), d> = <x, col2im(d)>
          const lhs = tf.sum(tf.mul(cols, d)).dataSync()[0];
          const rhs = tf.sum(tf.mul(x, back)).dataSync()[0];
          assert.ok(Math.abs(lhs - rhs) < 1e-3 * Math.max(1, Math.abs(lhs)), `${lhs} vs ${rhs}`);
        });
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("conv1d equals the definition of a padded strided convolution", () => {
  fc.assert(
    fc.property(geometry, fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 999 }), (
      g,
      T,
      seed,
    ) => {
      fc.pre(T + 2 * g.pad >= g.size);
      const C = 2;
      const cout = 3;
      tf.tidy(() => {
        const x = tf.randomNormal([1, T, C], 0, 1, "float32", seed);
        const W = tf.randomNormal([g.size * C, cout], 0, 1, "float32", seed + 1);
        const y = (conv1d(x, W, g).arraySync() as number[][][])[0];
        const xs = (x.arraySync() as number[][][])[0];
        const ws = W.arraySync() as number[][];
        for (let t = 0; t < convLength(T, g); t++) {
          for (let o = 0; o < cout; o++) {
            let sum = 0;
            for (let j = 0; j < g.size; j++) {
              const p = t * g.stride + j - g.pad;
              if (p < 0 || p >= T) continue;
              for (let c = 0; c < C; c++) sum += xs[p][c] * ws[j * C + c][o];
            }
            assert.ok(Math.abs(y[t][o] - sum) < 1e-4, `t ${t} o ${o}: ${y[t][o]} vs ${sum}`);
          }
        }
      });
    }),
    { numRuns: 40 },
  );
});

Deno.test("the written-out gradients agree with finite differences", () => {
  const seeds = [1, 2, 3];
  for (const seed of seeds) {
    const r = (shape: number[], k: number) =>
      tf.randomNormal(shape, 0, 1, "float32", seed * 10 + k);
    const probe = r([2, 8, 3], 9); // a fixed random projection of each output
    // <y, probe> as a product (the gradient of Sum is not registered)
    const dot = (y: tf.Tensor) =>
      tf.reshape(
        tf.matMul(
          tf.reshape(y, [1, y.size]) as tf.Tensor2D,
          tf.reshape(tf.slice(probe, [0, 0, 0], y.shape), [y.size, 1]) as tf.Tensor2D,
        ),
        [],
      ) as tf.Scalar;
    for (const g of [{ size: 3, stride: 1, pad: 1 }, { size: 5, stride: 2, pad: 2 }]) {
      assertClose(
        directional((x, W) => dot(conv1d(x, W, g)), [r([2, 7, 3], 1), r([g.size * 3, 3], 2)], seed),
        1e-2,
        `conv1d ${JSON.stringify(g)}`,
      );
      assertClose(
        directional(
          (x, w) => dot(depthwiseConv1d(x, w, g)),
          [r([2, 7, 3], 3), r([g.size, 3], 4)],
          seed,
        ),
        1e-2,
        `depthwise ${JSON.stringify(g)}`,
      );
    }
    assertClose(
      directional(
        (x, gm, b) => {
          const y = batchNormTrain(x, gm, b);
          return dot(tf.mul(y, y));
        },
        [r([2, 5, 3], 5), r([3], 6), r([3], 7)],
        seed,
      ),
      2e-2,
      "batch norm",
    );
    assertClose(
      directional((x) => dot(maxPool2(x)), [r([2, 5, 3], 8)], seed, 1e-3),
      1e-2,
      "maxpool",
    );
    assertClose(
      directional((x) => dot(maxPool2Slices(x)), [r([2, 5, 3], 8)], seed, 1e-3),
      1e-2,
      "maxpool (slices)",
    );
    assertClose(directional((x) => dot(meanPool(x)), [r([2, 4, 3], 10)], seed), 1e-2, "meanpool");
    assertClose(directional((x) => dot(swish(x)), [r([2, 5, 3], 11)], seed), 1e-2, "swish");
    assertClose(directional((x) => dot(gate(x)), [r([2, 5, 3], 12)], seed), 1e-2, "gate");
  }
});

Deno.test("each whole network's loss gradient agrees with finite differences (tiny widths)", () => {
  // ReLUs become swish so that a step of the parameters crosses no kink (the ReLU's own gradient
  // is tested with the hierarchical networks); max-pools keep theirs, away from ties
  for (const kind of DEEP_NET_KINDS) {
    const config = withoutDropout(deepConfig(kind, { width: 3, ...shape36 }, 3), true);
    const net = buildDeepNetwork(config);
    try {
      const [analytic, numeric] = tf.tidy(() => {
        const x = tf.randomNormal([8, 36, 10], 0, 1, "float32", 5);
        const labels = tf.tensor1d([0, 3, 5, 9, 1, 2, 4, 6], "int32");
        const y = tf.cast(tf.oneHot(labels, 10), "float32");
        const vars = net.variables;
        const loss = () => crossEntropy(net.forward(x, "train").logits, y);
        const { grads } = tf.variableGrads(loss, vars as tf.Variable[]);
        // one random direction of unit norm over all the parameters
        const raw = vars.map((v, i) => tf.randomNormal(v.shape, 0, 1, "float32", 100 + i));
        const norm = Math.sqrt(raw.reduce((s, u) => s + tf.sum(tf.mul(u, u)).dataSync()[0], 0));
        const us = raw.map((u) => tf.div(u, norm));
        const a = vars.reduce(
          (s, v, i) => s + tf.sum(tf.mul(grads[v.name], us[i])).dataSync()[0],
          0,
        );
        // small steps: batch norm on a few rows is strongly curved
        const eps = 1e-3;
        const originals = vars.map((v) => tf.clone(v));
        const at = (sign: number) => {
          vars.forEach((v, i) => v.assign(tf.add(originals[i], tf.mul(us[i], sign * eps))));
          return loss().dataSync()[0];
        };
        const n = (at(1) - at(-1)) / (2 * eps);
        vars.forEach((v, i) => v.assign(originals[i]));
        return [a, n];
      });
      assertClose([analytic, numeric], 5e-2, kind);
    } finally {
      net.dispose();
    }
  }
});

Deno.test("batch norm: batch statistics in training, running statistics at evaluation", () => {
  const config = deepConfig("vgg11", { width: 4, ...shape36 }, 1);
  const net = buildDeepNetwork(config);
  try {
    tf.tidy(() => {
      const x = tf.randomNormal([6, 36, 10], 0, 1, "float32", 2);
      // running statistics start at mean 0, variance 1: evaluation is then the identity map on the
      // first convolution's output, and one train step moves them by momentum 0.1
      const before = net.state.map((v) => v.dataSync().slice());
      const trainOut = net.forward(x, "train");
      const conv1 = trainOut.hidden[0]; // relu(batch norm(conv)) with gamma 1, beta 0
      assert.ok(tf.min(conv1).dataSync()[0] >= 0);
      const after = net.state.map((v) => v.dataSync().slice());
      // the first layer's running mean moved to 0.1 * the batch mean of the convolution's output
      assert.ok(after[0].some((v, i) => v !== before[0][i]));
      after[1].forEach((v) => assert.ok(v > 0));
      assert.ok(Math.abs(BATCH_NORM_MOMENTUM - 0.1) < 1e-12);
      // evaluation: a row's output does not depend on the rest of the batch
      const one = net.forward(tf.slice(x, [0, 0, 0], [1, 36, 10])).logits.dataSync();
      const all = net.forward(x).logits.dataSync().slice(0, 10);
      one.forEach((v, i) => assert.ok(Math.abs(v - all[i]) < 1e-4));
      // training: it does (batch statistics)
      const oneT = net.forward(tf.slice(x, [0, 0, 0], [2, 36, 10]), "train").logits.dataSync();
      const allT = net.forward(x, "train").logits.dataSync().slice(0, 10);
      assert.ok(oneT.slice(0, 10).some((v, i) => Math.abs(v - allT[i]) > 1e-4));
      // evaluation does not move the running statistics
      const frozen = net.state.map((v) => v.dataSync().slice());
      net.forward(x);
      net.state.forEach((v, k) => assert.deepEqual(v.dataSync(), frozen[k]));
    });
  } finally {
    net.dispose();
  }
});

Deno.test("batch norm's running statistics follow PyTorch's update (unbiased variance)", () => {
  tf.tidy(() => {
    const x = tf.tensor3d([[[1], [3]], [[5], [7]]]);
    const running = {
      mean: tf.variable(tf.tensor1d([0]), false),
      variance: tf.variable(tf.tensor1d([1]), false),
    };
    const y = batchNormTrain(x, tf.ones([1]), tf.zeros([1]), running).dataSync();
    // batch mean 4, biased variance 5, unbiased 20/3
    assert.ok(Math.abs(y[0] + 3 / Math.sqrt(5 + 1e-5)) < 1e-5);
    assert.ok(Math.abs(running.mean.dataSync()[0] - 0.4) < 1e-6);
    assert.ok(Math.abs(running.variance.dataSync()[0] - (0.9 + 0.1 * 20 / 3)) < 1e-5);
    running.mean.dispose();
    running.variance.dispose();
  });
});

Deno.test("dropout and drop-connect act only in training, reproducibly from the seed", () => {
  const config = deepConfig("efficientnetb0", { width: 4, ...shape36 }, 7);
  const a = buildDeepNetwork(config);
  const b = buildDeepNetwork(config);
  try {
    tf.tidy(() => {
      const x = tf.randomNormal([3, 36, 10], 0, 1, "float32", 1);
      const e1 = a.forward(x).logits.dataSync();
      const e2 = a.forward(x).logits.dataSync();
      assert.deepEqual(e1, e2);
      // dropout off and the same statistics: two train passes differ only by the masks
      const t1 = a.forward(x, "train").logits.dataSync();
      const t2 = a.forward(x, "train").logits.dataSync();
      assert.ok(t1.some((v, i) => v !== t2[i]));
      // same seed, same sequence of masks
      const u1 = b.forward(x, "train").logits.dataSync();
      assert.deepEqual(u1, t1);
      // without dropout, train passes repeat
      const plain = buildDeepNetwork(withoutDropout(config));
      const p1 = plain.forward(x, "train").logits.dataSync();
      const p2 = plain.forward(x, "train").logits.dataSync();
      p1.forEach((v, i) => assert.ok(Math.abs(v - p2[i]) < 1e-5));
      plain.dispose();
    });
  } finally {
    a.dispose();
    b.dispose();
  }
});

Deno.test("weight decay in SGD is the gradient of wd * mean(p^2) per tensor", () => {
  fc.assert(
    fc.property(fc.double({ min: 1e-4, max: 1e-1, noNaN: true }), (wd) => {
      const init = [tf.tensor2d([[1, -2], [3, 0.5]]), tf.tensor1d([0.25, -1, 2])];
      const a = init.map((t) => tf.variable(t.clone()));
      const b = init.map((t) => tf.variable(t.clone()));
      // sums and squares as products (their gradients are the registered ones)
      const flat = (v: tf.Tensor) => tf.reshape(v, [1, v.size]) as tf.Tensor2D;
      const dot = (u: tf.Tensor, v: tf.Tensor) =>
        tf.reshape(tf.matMul(flat(u), flat(v), false, true), []) as tf.Scalar;
      const data = (vs: tf.Variable[]) =>
        tf.add(tf.mul(dot(vs[0], tf.ones(vs[0].shape)), 0.3), dot(vs[1], vs[1])) as tf.Scalar;
      const penalty = (vs: tf.Variable[]) =>
        tf.mul(
          tf.add(tf.mul(dot(vs[0], vs[0]), 1 / 4), tf.mul(dot(vs[1], vs[1]), 1 / 3)),
          wd,
        ) as tf.Scalar;
      const optA = momentumSgd(a, 0.1, 0.9, decayCoefficients(a, wd));
      const optB = momentumSgd(b, 0.1, 0.9);
      for (let i = 0; i < 3; i++) {
        optA.step(() => data(a)).dispose();
        optB.step(() =>
          tf.add(
            data(b),
            penalty(b),
          ) as tf.Scalar
        ).dispose();
      }
      a.forEach((v, k) => {
        const x = v.dataSync();
        const y = b[k].dataSync();
        x.forEach((z, i) => assert.ok(Math.abs(z - y[i]) < 1e-5, `${z} vs ${y[i]}`));
      });
      optA.dispose();
      optB.dispose();
      tf.dispose([...init, ...a, ...b]);
    }),
    { numRuns: 5 },
  );
});

Deno.test("a tiny resnet18 and a tiny vgg11 fit a tiny SRHM; no tensor leaks across epochs", async () => {
  // L = 2, s = 2, s0 = 0, v = 4: d = 4; vgg11 needs 32 positions, so it gets L = 5 (d = 32)
  for (const [kind, L] of [["resnet18", 2], ["vgg11", 5]] as const) {
    const params = { L, s: 2, s0: 0, v: 4, m: 2, nc: 2, sparsity: "A", seed: 1 } as const;
    const grammar = makeGrammar(params);
    const split = sampleSplit(grammar, { train: 32, test: 32, seed: 0, mode: "iid" });
    const net = buildForGrammar(grammar, { kind, width: 4, seed: 0 });
    const counts: number[] = [];
    try {
      const data = {
        train: { x: encode(split.train, "onehot"), labels: split.train.labels, count: 32 },
        test: { x: encode(split.train, "onehot"), labels: split.train.labels, count: 32 },
      };
      const result = await train<unknown>(net, data, {
        lr: 0.05,
        batch: 8,
        maxEpochs: 150,
        stopLoss: 1e-2,
        evalEvery: 5,
        weightDecay: 5e-4,
        quiet: true,
        onEpoch: () => counts.push(tf.memory().numTensors),
      });
      assert.equal(result.status, "converged", `${kind}: loss ${result.trainLoss}`);
      assert.equal(result.testError, 0, kind); // the training set, fitted
      assert.ok(counts.every((c) => c === counts[0]), `${kind}: tensors ${counts.join()}`);
    } finally {
      net.dispose();
    }
  }
});

Deno.test("train --net resnet18 runs with the authors' recipe as defaults", async () => {
  const { parseTrainArgs, runTrain } = await import("../experiments/cli/train.ts");
  const args = (net: string, P: string) => [
    "--L",
    "2",
    "--v",
    "3",
    "--s0",
    "0",
    "--net",
    net,
    "--width",
    "2",
    "--P",
    P,
    "--test",
    "9",
    "--max-epochs",
    "1",
    "--backend",
    "cpu",
    "--quiet",
  ];
  const out = await runTrain(parseTrainArgs(args("resnet18", "15")));
  assert.equal(out.epochs, 1);
  assert.equal(out.network.kind, "resnet18");
  assert.equal(out.training.lr, 1e-4);
  assert.equal(out.training.weightDecay, 5e-4);
  assert.equal(out.training.stopLoss, 1e-2);
  // d = 4 is too short for five max-pools: the error names the block
  const error = await runTrain(parseTrainArgs(args("vgg11", "9"))).catch((e: Error) => e);
  assert.ok(error instanceof Error && /pool3: maxpool needs >= 2 positions/.test(error.message));
});

Deno.test("sensitivities of a standard network: one row per block, then the logits", async () => {
  const { measureSensitivities } = await import("../experiments/sensitivity_protocol.ts");
  const params = { L: 2, s: 2, s0: 0, v: 3, m: 2, nc: 2, sparsity: "A", seed: 1 } as const;
  const grammar = makeGrammar(params);
  const net = buildForGrammar(grammar, { kind: "efficientnetb0", width: 2 });
  try {
    const { S, D } = await measureSensitivities(net, grammar, {
      seed: 0,
      measure: { perClass: 4 },
      training: { encoding: "onehot" },
    });
    const blocks = deepConfig("efficientnetb0", { width: 2, channels: 3, length: 4, classes: 2 })
      .blocks.length;
    assert.equal(S.length, blocks);
    assert.equal(D.length, blocks);
    for (const row of [...S, ...D]) {
      assert.equal(row.length, 2);
      row.forEach((x) => assert.ok(Number.isNaN(x) || x >= 0));
    }
  } finally {
    net.dispose();
  }
});

Deno.test("the wasm backend's loop kernels give the cpu backend's loss and gradients", async () => {
  const { selectBackend } = await import("../networks/backend.ts");
  const lossAndGrads = (kind: DeepNetKind) => {
    const net = buildDeepNetwork(withoutDropout(deepConfig(kind, { width: 3, ...shape36 }, 2)));
    try {
      return tf.tidy(() => {
        const x = tf.randomNormal([4, 36, 10], 0, 1, "float32", 8);
        const y = tf.cast(tf.oneHot(tf.tensor1d([1, 2, 3, 4], "int32"), 10), "float32");
        const { value, grads } = tf.variableGrads(
          () => crossEntropy(net.forward(x, "train").logits, y),
          net.variables as tf.Variable[],
        );
        return [
          value.dataSync()[0],
          ...net.variables.flatMap((v) => [...grads[v.name].dataSync()]),
        ];
      });
    } finally {
      net.dispose();
    }
  };
  try {
    for (const kind of ["vgg11", "resnet18", "efficientnetb0"] as const) {
      await selectBackend("cpu");
      const cpu = lossAndGrads(kind);
      await selectBackend("wasm");
      const wasm = lossAndGrads(kind);
      assert.equal(wasm.length, cpu.length);
      const scale = Math.max(...cpu.map(Math.abs));
      wasm.forEach((v, i) => assert.ok(Math.abs(v - cpu[i]) < 1e-3 * scale, `${kind} [${i}]`));
    }
  } finally {
    await selectBackend("cpu");
  }
});

Deno.test("the first convolution (inputGradient false) gives the weights' gradient and no input's", () => {
  const g = { size: 3, stride: 2, pad: 1 };
  tf.tidy(() => {
    const x = tf.randomNormal([2, 7, 3], 0, 1, "float32", 1);
    const W = tf.randomNormal([9, 4], 0, 1, "float32", 2);
    const dy = tf.randomNormal([2, 4, 4], 0, 1, "float32", 3);
    const both = tf.grads((a: tf.Tensor, w: tf.Tensor) => tf.mul(conv1d(a, w, g), dy))([x, W]);
    const only = tf.grad((w: tf.Tensor) => tf.mul(conv1d(x, w, g, false), dy))(W);
    assert.deepEqual(only.dataSync(), both[1].dataSync());
    assert.deepEqual(conv1d(x, W, g, false).dataSync(), conv1d(x, W, g).dataSync());
    assert.throws(
      () => tf.grad((a: tf.Tensor) => tf.mul(conv1d(a, W, g, false), dy))(x),
      /Cannot compute gradient/,
    );
  });
});

Deno.test("on the cpu backend the loop kernels read a float32 tensor cast from int32 (one-hot data)", async () => {
  const { selectBackend } = await import("../networks/backend.ts");
  await selectBackend("cpu");
  const net = buildDeepNetwork(deepConfig("resnet18", { width: 2, ...shape36 }));
  try {
    const [cast, plain] = tf.tidy(() => {
      const labels = tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], "int32");
      const x = tf.cast(tf.oneHot(tf.tile(labels, [1, 12]), 10), "float32");
      const copy = tf.tensor(x.dataSync(), x.shape, "float32");
      return [net.forward(x).logits.dataSync(), net.forward(copy).logits.dataSync()];
    });
    assert.deepEqual(cast, plain);
  } finally {
    net.dispose();
  }
});
