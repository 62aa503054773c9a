import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import {
  type BiasMode,
  makeConfig,
  type NetworkConfig,
  type NetworkKind,
  type Parametrisation,
} from "../networks/config.ts";
import { initWeights, type Weights } from "../networks/init.ts";
import { buildNetwork } from "../networks/build.ts";
import { activations } from "../networks/activations.ts";
import { crossEntropy } from "../networks/loss.ts";
import { makeRng } from "@srhm/generators";

await tf.setBackend("cpu");

function config(
  kind: NetworkKind,
  bias: BiasMode = "per-position",
  parametrisation: Parametrisation = "mean-field",
  o: Partial<NetworkConfig> = {},
): NetworkConfig {
  return makeConfig({
    kind,
    depth: 2,
    patch: 3,
    width: 5,
    channels: 4,
    length: 9,
    classes: 3,
    bias,
    parametrisation,
    seed: 11,
    ...o,
  });
}

/** Random inputs `[count, length, channels]`, entries in [-1, 1). */
function inputs(c: NetworkConfig, count: number, seed: number): Float32Array {
  const rng = makeRng(seed, "test-inputs");
  const x = new Float32Array(count * c.length * c.channels);
  for (let i = 0; i < x.length; i++) x[i] = 2 * rng.float() - 1;
  return x;
}

/**
 * The formula of docs/protocol.md, section 6, as direct loops in float64: for each layer, output position j and
 * channel h, `sum_{c,t} W[h,c,t] x[c, jS+t] / sqrt(c_in) + 0.1 b[h,j]` (CNN; LCN with W per j;
 * FCN over every input position and channel, divided by sqrt(c_in), or by sqrt(fan-in) with
 * `fcnScale: "fan-in"`), then ReLU; logits
 * `h . beta / H` (mean-field) or `/ sqrt(H)` (standard). W indices follow the documented layouts.
 */
function reference(
  c: NetworkConfig,
  w: Weights,
  x: ArrayLike<number>,
  count: number,
): { hidden: Float64Array[]; logits: Float64Array } {
  const S = c.patch;
  const H = c.width;
  let a = Float64Array.from(x);
  let P = c.length;
  let cin = c.channels;
  const hidden: Float64Array[] = [];
  for (let k = 0; k < c.depth; k++) {
    const Pout = P / S;
    const { W, b } = w.layers[k];
    const out = new Float64Array(count * Pout * H);
    for (let n = 0; n < count; n++) {
      for (let j = 0; j < Pout; j++) {
        for (let h = 0; h < H; h++) {
          let sum = 0;
          if (c.kind === "fcn") {
            for (let p = 0; p < P; p++) {
              for (let ch = 0; ch < cin; ch++) {
                sum += W[(p * cin + ch) * (Pout * H) + j * H + h] * a[(n * P + p) * cin + ch];
              }
            }
            sum /= Math.sqrt(c.fcnScale === "fan-in" ? P * cin : cin);
          } else {
            const base = c.kind === "lcn" ? j * S * cin * H : 0;
            for (let t = 0; t < S; t++) {
              for (let ch = 0; ch < cin; ch++) {
                sum += W[base + (t * cin + ch) * H + h] * a[(n * P + j * S + t) * cin + ch];
              }
            }
            sum /= Math.sqrt(cin);
          }
          const bias = c.bias === "per-position" ? b[j * H + h] : c.bias === "shared" ? b[h] : 0;
          out[(n * Pout + j) * H + h] = Math.max(0, sum + 0.1 * bias);
        }
      }
    }
    hidden.push(out);
    a = out;
    P = Pout;
    cin = H;
  }
  const logits = new Float64Array(count * c.classes);
  const scale = c.parametrisation === "mean-field" ? 1 / H : 1 / Math.sqrt(H);
  for (let n = 0; n < count; n++) {
    for (let y = 0; y < c.classes; y++) {
      let sum = 0;
      for (let h = 0; h < H; h++) sum += a[n * H + h] * w.readout[h * c.classes + y];
      logits[n * c.classes + y] = sum * scale;
    }
  }
  return { hidden, logits };
}

function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: number,
  what: string,
) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    assert.ok(
      d <= tol * (1 + Math.abs(expected[i])),
      `${what}[${i}]: ${actual[i]} vs ${expected[i]}`,
    );
  }
}

const KINDS: readonly NetworkKind[] = ["cnn", "lcn", "fcn"];
const BIASES: readonly BiasMode[] = ["per-position", "shared", "none"];

test("forward matches a direct loop implementation of the protocol's formula", async () => {
  for (const kind of KINDS) {
    for (const bias of BIASES) {
      for (const par of ["mean-field", "standard"] as const) {
        const c = config(kind, bias, par);
        const w = initWeights(c);
        const net = buildNetwork(c, w);
        const x = inputs(c, 6, 1);
        const out = await activations(net, x, 6, 4);
        const ref = reference(c, w, x, 6);
        const what = `${kind}/${bias}/${par}`;
        ref.hidden.forEach((h, k) => assertClose(out.hidden[k], h, 1e-5, `${what} hidden ${k}`));
        assertClose(out.logits, ref.logits, 1e-5, `${what} logits`);
        net.dispose();
      }
    }
  }
  // the FCN's named alternative scaling, by the full fan-in
  const c = { ...config("fcn"), fcnScale: "fan-in" as const };
  const w = initWeights(c);
  const net = buildNetwork(c, w);
  const x = inputs(c, 6, 2);
  const out = await activations(net, x, 6, 4);
  const ref = reference(c, w, x, 6);
  ref.hidden.forEach((h, k) => assertClose(out.hidden[k], h, 1e-5, `fcn fan-in hidden ${k}`));
  assertClose(out.logits, ref.logits, 1e-5, "fcn fan-in logits");
  net.dispose();
});

test("CNN, LCN and FCN with the same seed produce the documented shapes", () => {
  const c = { depth: 3, patch: 2, width: 6, channels: 3, length: 8, classes: 4 };
  for (const kind of KINDS) {
    const net = buildNetwork(config(kind, "per-position", "mean-field", c));
    const shapes = tf.tidy(() => {
      const out = net.forward(tf.zeros([5, 8, 3]));
      return { hidden: out.hidden.map((h) => h.shape), logits: out.logits.shape };
    });
    // hidden layer k: [batch, length / patch^k, H]; logits [batch, classes]
    assert.deepEqual(shapes.hidden, [[5, 4, 6], [5, 2, 6], [5, 1, 6]], kind);
    assert.deepEqual(shapes.logits, [5, 4], kind);
    const perKind = net.variables.map((v) => v.shape);
    const expected = kind === "cnn"
      ? [[6, 6], [4, 6], [12, 6], [2, 6], [12, 6], [1, 6], [6, 4]]
      : kind === "lcn"
      ? [[4, 6, 6], [4, 6], [2, 12, 6], [2, 6], [1, 12, 6], [1, 6], [6, 4]]
      : [[24, 24], [4, 6], [24, 12], [2, 6], [12, 6], [1, 6], [6, 4]];
    assert.deepEqual(perKind, expected, kind);
    net.dispose();
  }
});

test("forward rejects an input of the wrong shape with a clear message", () => {
  const net = buildNetwork(config("cnn"));
  assert.throws(() => tf.tidy(() => net.forward(tf.zeros([2, 8, 4]))), /\[batch, 9, 4\]/);
  net.dispose();
});

test("setWeights/getWeights round-trip exactly; wrong weights are rejected", async () => {
  const c = config("lcn");
  const net = buildNetwork(c);
  const other = initWeights({ ...c, seed: 99 });
  net.setWeights(other);
  const got = await net.getWeights();
  assert.deepEqual(got.readout, other.readout);
  got.layers.forEach((l, k) => {
    assert.deepEqual(l.W, other.layers[k].W);
    assert.deepEqual(l.b, other.layers[k].b);
  });
  assert.throws(() => net.setWeights(initWeights({ ...c, width: 4 })), /layers\[0\]\.W/);
  assert.throws(() => buildNetwork(c, initWeights(config("cnn"))), /layers\[0\]\.W/);
  net.dispose();
});

/** Cross-entropy of the float64 reference, mean over the batch. */
function referenceLoss(
  c: NetworkConfig,
  w: Weights,
  x: Float32Array,
  labels: number[],
): number {
  const { logits } = reference(c, w, x, labels.length);
  let total = 0;
  labels.forEach((y, n) => {
    const row = logits.subarray(n * c.classes, (n + 1) * c.classes);
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((s, z) => s + Math.exp(z - max), 0));
    total += lse - row[y];
  });
  return total / labels.length;
}

test("gradients match central finite differences of the float64 reference", async () => {
  for (const kind of KINDS) {
    for (const bias of BIASES) {
      // standard parametrisation: the gradients are of order 1, so relative errors are visible
      const c = config(kind, bias, "standard", { width: 4 });
      const w = initWeights(c);
      const net = buildNetwork(c, w);
      const count = 4;
      const x = inputs(c, count, 2);
      const labels = [0, 2, 1, 2];
      const grads = tf.tidy(() => {
        const xt = tf.tensor3d(x, [count, c.length, c.channels]);
        const y = tf.oneHot(tf.tensor1d(labels, "int32"), c.classes);
        const { grads } = tf.variableGrads(
          () => crossEntropy(net.forward(xt).logits, tf.cast(y, "float32")),
          net.variables as tf.Variable[],
        );
        return net.variables.map((v) => grads[v.name]);
      });
      const analytic = await Promise.all(grads.map((g) => g.data()));
      tf.dispose(grads);
      // the flat list of weight arrays, in the order of net.variables
      const arrays: Float32Array[] = [];
      for (const l of w.layers) arrays.push(l.W, ...(bias === "none" ? [] : [l.b]));
      arrays.push(w.readout);
      const eps = 1e-3;
      const rng = makeRng(3, "fd-coordinates");
      arrays.forEach((arr, a) => {
        for (let probe = 0; probe < 8; probe++) {
          const i = rng.int(arr.length);
          const saved = arr[i];
          const plus = Float32Array.from(arr);
          plus[i] = saved + eps;
          const minus = Float32Array.from(arr);
          minus[i] = saved - eps;
          const withArr = (v: Float32Array): Weights => {
            const copy: Float32Array[] = arrays.map((z, b) => (b === a ? v : z));
            let p = 0;
            const layers = w.layers.map(() => {
              const W = copy[p++];
              const b = bias === "none" ? new Float32Array(0) : copy[p++];
              return { W, b };
            });
            return { layers, readout: copy[p] };
          };
          // the perturbation eps is exact in float64 (the reference works in float64)
          const fd = (referenceLoss(c, withArr(plus), x, labels) -
            referenceLoss(c, withArr(minus), x, labels)) /
            (plus[i] - minus[i]);
          const g = analytic[a][i];
          assert.ok(
            Math.abs(g - fd) <= 2e-3 + 1e-2 * Math.abs(fd),
            `${kind}/${bias} variable ${a} entry ${i}: autodiff ${g} vs finite difference ${fd}`,
          );
        }
      });
      net.dispose();
    }
  }
});

test("activations agrees with forward, whatever the batch size, and leaks no tensor", async () => {
  const c = config("fcn");
  const net = buildNetwork(c);
  const x = inputs(c, 7, 4);
  const before = tf.memory().numTensors;
  const a = await activations(net, x, 7, 3);
  const b = await activations(net, x, 7, 100);
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(a.logits, b.logits);
  a.hidden.forEach((h, k) => assert.deepEqual(h, b.hidden[k]));
  assert.equal(a.hidden[0].length, 7 * 3 * 5);
  await assert.rejects(() => activations(net, x, 6), /count \* length \* channels/);
  net.dispose();
});
