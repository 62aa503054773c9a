import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import { selectBackend } from "../networks/backend.ts";
import { restoreProduct } from "../networks/kernels/batch_matmul.ts";
import { openBlas } from "../networks/blas/openblas.ts";
import { makeRng } from "@srhm/generators";

/** Whether OpenBLAS loads here (the BLAS tests skip, saying so, where it does not). */
function blasAvailable(): boolean {
  try {
    openBlas().close();
    return true;
  } catch {
    return false;
  }
}
const noBlas = blasAvailable() ? false : "OpenBLAS is not installed here";

/** Seeded standard normal entries (the same on every backend). */
function normals(n: number, seed: number): Float32Array {
  const rng = makeRng(seed, "kernels-test");
  return Float32Array.from({ length: n }, () => rng.normal());
}

/** A seeded tensor of standard normal entries. */
function normal(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(normals(shape.reduce((p, k) => p * k, 1), seed), shape);
}

type Case = { batchA: number; batchB: number; M: number; N: number; K: number };
type Product = { values: Float32Array; shape: number[] };
const FLAGS = [[false, false], [false, true], [true, false], [true, true]] as const;

/** tf.matMul of seeded operands with every transpose flag combination, on the current backend. */
async function products(c: Case, seed: number): Promise<Product[]> {
  const out: Product[] = [];
  for (const [tA, tB] of FLAGS) {
    const y = tf.tidy(() => {
      const a = normal([c.batchA, tA ? c.K : c.M, tA ? c.M : c.K], seed);
      const b = normal([c.batchB, tB ? c.N : c.K, tB ? c.K : c.N], seed + 1);
      return tf.matMul(a, b, tA, tB);
    });
    out.push({ values: (await y.data()) as Float32Array, shape: y.shape });
    y.dispose();
  }
  return out;
}

/** The same products by a direct loop in double precision. */
function reference(c: Case, seed: number): Product[] {
  const batch = Math.max(c.batchA, c.batchB);
  return FLAGS.map(([tA, tB]) => {
    const A = normals(c.batchA * c.M * c.K, seed);
    const B = normals(c.batchB * c.K * c.N, seed + 1);
    const values = new Float32Array(batch * c.M * c.N);
    for (let t = 0; t < batch; t++) {
      const oa = (c.batchA === 1 ? 0 : t) * c.M * c.K;
      const ob = (c.batchB === 1 ? 0 : t) * c.K * c.N;
      for (let m = 0; m < c.M; m++) {
        for (let n = 0; n < c.N; n++) {
          let s = 0;
          for (let k = 0; k < c.K; k++) {
            const a = A[oa + (tA ? k * c.M + m : m * c.K + k)];
            const b = B[ob + (tB ? n * c.K + k : k * c.N + n)];
            s += a * b;
          }
          values[(t * c.M + m) * c.N + n] = s;
        }
      }
    }
    return { values, shape: [batch, c.M, c.N] };
  });
}

function assertClose(got: Product[], want: Product[], tol: number, what: string): void {
  assert.equal(got.length, want.length);
  got.forEach((g, i) => {
    assert.deepEqual(g.shape, want[i].shape);
    for (let j = 0; j < g.values.length; j++) {
      const w = want[i].values[j];
      assert.ok(
        Math.abs(g.values[j] - w) <= tol * (1 + Math.abs(w)),
        `${what}, transposes ${FLAGS[i]}, entry ${j}: ${g.values[j]} vs ${w}`,
      );
    }
  });
}

const cases = fc.record({
  batchA: fc.constantFrom(1, 3),
  batchB: fc.constantFrom(1, 3),
  M: fc.integer({ min: 1, max: 9 }),
  N: fc.integer({ min: 1, max: 9 }),
  K: fc.integer({ min: 1, max: 40 }),
});

test("wasm: the plain and our BatchMatMul (untransposing, per batch item) both equal a direct loop (4 transpose cases, batched)", async () => {
  await fc.assert(
    fc.asyncProperty(cases, fc.integer({ min: 0, max: 1000 }), async (c, seed) => {
      const want = reference(c, seed);
      await selectBackend("wasm");
      restoreProduct("wasm");
      assertClose(await products(c, seed), want, 1e-5, "plain wasm");
      await selectBackend("wasm");
      assertClose(await products(c, seed), want, 1e-5, "untransposing wasm");
    }),
    { seed: 42, numRuns: 12 },
  );
});

test("wasm+blas and cpu+blas: OpenBLAS products equal a direct loop within float32 rounding", {
  skip: noBlas,
}, async () => {
  await fc.assert(
    fc.asyncProperty(cases, fc.integer({ min: 0, max: 1000 }), async (c, seed) => {
      const want = reference(c, seed);
      await selectBackend("wasm+blas");
      assertClose(await products(c, seed), want, 1e-5, "wasm+blas");
      await selectBackend("cpu+blas");
      assertClose(await products(c, seed), want, 1e-5, "cpu+blas");
    }),
    { seed: 42, numRuns: 8 },
  );
});

/** Gradients of relu(A·B) against a fixed upstream gradient, with respect to A and B. */
async function gradients(): Promise<Float32Array[]> {
  const gs = tf.tidy(() => {
    const a = normal([2, 7, 13], 5);
    const b = normal([13, 6], 6);
    const dy = normal([2, 7, 6], 7);
    return tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.relu(tf.matMul(x, y)))([a, b], dy);
  });
  const out: Float32Array[] = [];
  for (const g of gs) out.push((await g.data()) as Float32Array);
  tf.dispose(gs);
  return out;
}

test("gradients through the overridden kernels equal those through the plain kernel", async () => {
  // The gradient functions of BatchMatMul and Relu come from the networks package.
  (await import("../networks/gradients.ts")).registerNetworkGradients();
  await selectBackend("wasm");
  restoreProduct("wasm");
  const want = await gradients();
  for (const name of noBlas ? ["wasm"] as const : ["wasm", "wasm+blas", "cpu+blas"] as const) {
    await selectBackend(name);
    const got = await gradients();
    assert.equal(got.length, 2);
    got.forEach((g, i) =>
      g.forEach((v, j) =>
        assert.ok(
          Math.abs(v - want[i][j]) <= 1e-5 * (1 + Math.abs(want[i][j])),
          `${name}: gradient ${i} entry ${j}: ${v} vs ${want[i][j]}`,
        )
      )
    );
  }
});

/** tf.sum over `axes` of a seeded tensor of `shape`, read back. */
async function sums(shape: number[], axes: number[], keepDims: boolean, seed: number) {
  const y = tf.tidy(() => tf.sum(normal(shape, seed), axes, keepDims));
  const out = { values: (await y.data()) as Float32Array, shape: y.shape };
  y.dispose();
  return out;
}

test("wasm: Sum over leading axes (in place, or by sgemm) equals the plain kernel; others delegate", async () => {
  const { restoreLeadingSum } = await import("../networks/kernels/leading_sum.ts");
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
      fc.integer({ min: 0, max: 3 }),
      fc.boolean(),
      fc.integer({ min: 0, max: 1000 }),
      async (shape, k, keepDims, seed) => {
        const rank = shape.length;
        const axesList = [
          Array.from({ length: Math.min(k, rank) }, (_, i) => i),
          [rank - 1],
          [0, rank - 1],
        ];
        for (const axes of axesList) {
          if (axes.length === 0) continue;
          await selectBackend("wasm");
          restoreLeadingSum();
          const want = await sums(shape, axes, keepDims, seed);
          for (const name of noBlas ? ["wasm"] as const : ["wasm", "wasm+blas"] as const) {
            await selectBackend(name);
            const got = await sums(shape, axes, keepDims, seed);
            assert.deepEqual(got.shape, want.shape, `${name} ${shape} ${axes}`);
            got.values.forEach((v, i) =>
              assert.ok(Math.abs(v - want.values[i]) <= 1e-5 * (1 + Math.abs(want.values[i])))
            );
          }
        }
      },
    ),
    { seed: 42, numRuns: 15 },
  );
});

test("wasm: the shared Identity keeps clones intact when the source is disposed or reassigned", async () => {
  await selectBackend("wasm");
  const before = tf.memory().numTensors;
  const x = tf.tensor([1, 2, 3]);
  const y = tf.clone(x);
  x.dispose();
  assert.deepEqual(Array.from(await y.data()), [1, 2, 3]);
  const init = tf.tensor([4, 5]);
  const v = tf.variable(init);
  init.dispose();
  const snapshot = tf.clone(v);
  tf.tidy(() => v.assign(tf.tensor([6, 7])));
  assert.deepEqual(Array.from(await snapshot.data()), [4, 5]);
  assert.deepEqual(Array.from(await v.data()), [6, 7]);
  tf.dispose([y, v, snapshot]);
  assert.equal(tf.memory().numTensors, before);
});

test("empty products: zero rows give an empty result, a zero inner dimension gives zeros", async () => {
  for (const name of noBlas ? ["wasm"] as const : ["wasm", "wasm+blas", "cpu+blas"] as const) {
    await selectBackend(name);
    const empty = tf.matMul(tf.zeros([0, 3]), tf.ones([3, 2]));
    assert.deepEqual(empty.shape, [0, 2]);
    const zeros = tf.matMul(tf.ones([2, 0]), tf.ones([0, 3]), false, false);
    assert.deepEqual(Array.from(await zeros.data()), [0, 0, 0, 0, 0, 0]);
    tf.dispose([empty, zeros]);
  }
});

/** `sum(t)` written with products only (the networks package registers no Sum gradient). */
function total(t: tf.Tensor): tf.Scalar {
  const cols = t.shape[t.rank - 1];
  const rows = t.size / cols;
  const rowSums = tf.matMul(tf.ones([1, rows]), tf.reshape(t, [rows, cols]));
  return tf.reshape(tf.matMul(rowSums, tf.ones([cols, 1])), []) as tf.Scalar;
}

/** Asserts that two lists of arrays agree entry by entry within `tol` (relative). */
function assertAllClose(got: Float32Array[], want: Float32Array[], tol: number, what: string) {
  assert.equal(got.length, want.length, what);
  got.forEach((g, i) => {
    assert.equal(g.length, want[i].length, `${what}: array ${i} length`);
    g.forEach((v, j) =>
      assert.ok(
        Math.abs(v - want[i][j]) <= tol * (1 + Math.abs(want[i][j])),
        `${what}: array ${i} entry ${j}: ${v} vs ${want[i][j]}`,
      )
    );
  });
}

test("wasm: one tensor as the right operand of untransposed products in two shapes (tfjs-wasm caches XNNPACK operators by tensor id)", async () => {
  await selectBackend("wasm");
  const before = tf.memory().numTensors;
  for (let rep = 0; rep < 5; rep++) {
    const got = tf.tidy(() => {
      const dy = normal([6, 4], rep); // [batch * P, H]
      const wide = tf.reshape(dy, [2, 12]); // [batch, P * H]: the same data, another shape
      const first = tf.matMul(tf.ones([1, 2]), wide);
      const second = tf.matMul(normal([5, 6], rep + 1), dy);
      return [first, second].map((t) => t.dataSync() as Float32Array);
    });
    await selectBackend("cpu");
    const want = tf.tidy(() => {
      const dy = normal([6, 4], rep);
      const first = tf.matMul(tf.ones([1, 2]), tf.reshape(dy, [2, 12]));
      const second = tf.matMul(normal([5, 6], rep + 1), dy);
      return [first, second].map((t) => t.dataSync() as Float32Array);
    });
    await selectBackend("wasm");
    assertAllClose(got, want, 1e-5, `repetition ${rep}`);
  }
  assert.equal(tf.memory().numTensors, before);
});

/**
 * The variant of a builder layer that crashed the wasm backend: the 1/sqrt(c_in) scaling on the
 * input, a per-position bias whose gradient is `ones[1, batch] . dy[batch, P * H]`; trained by
 * `tf.variableGrads` for a few steps. Returns the losses and the final weights.
 */
async function scaledInputSteps(
  batch: number,
  P: number,
  cin: number,
  H: number,
): Promise<Float32Array[]> {
  const W = tf.tidy(() => tf.variable(normal([cin, H], 11)));
  const b = tf.tidy(() => tf.variable(normal([P, H], 12)));
  const addBias = tf.customGrad(
    ((pre: tf.Tensor, bias: tf.Tensor) => ({
      value: tf.add(pre, tf.mul(bias, 0.1)),
      gradFunc: (dy: tf.Tensor) => [
        dy,
        tf.mul(
          tf.reshape(tf.matMul(tf.ones([1, batch]), tf.reshape(dy, [batch, P * H])), [P, H]),
          0.1,
        ),
      ],
    })) as unknown as Parameters<typeof tf.customGrad>[0],
  );
  const losses: number[] = [];
  for (let step = 0; step < 6; step++) {
    tf.tidy(() => {
      const x = normal([batch, P, cin], 100 + step);
      const rows = tf.mul(tf.reshape(x, [batch * P, cin]), 1 / Math.sqrt(cin));
      const loss = () => {
        const product = tf.reshape(tf.matMul(rows, W), [batch, P, H]);
        return total(tf.relu(addBias(product, b) as tf.Tensor));
      };
      const { value, grads } = tf.variableGrads(loss, [W, b]);
      losses.push(value.dataSync()[0]);
      W.assign(tf.sub(W, tf.mul(grads[W.name], 0.05)));
      b.assign(tf.sub(b, tf.mul(grads[b.name], 0.05)));
    });
  }
  const out = [
    Float32Array.from(losses),
    (await W.data()) as Float32Array,
    (await b.data()) as Float32Array,
  ];
  tf.dispose([W, b]);
  return out;
}

test("wasm: the input-scaled layer with a ones-matrix bias gradient trains as on cpu (the reported crash)", async () => {
  (await import("../networks/gradients.ts")).registerNetworkGradients();
  for (
    const [batch, P, cin, H] of [[4, 3, 5, 6], [1, 3, 5, 6], [4, 1, 5, 6], [1, 1, 1, 1], [
      3,
      2,
      1,
      4,
    ]]
  ) {
    await selectBackend("cpu");
    const want = await scaledInputSteps(batch, P, cin, H);
    await selectBackend("wasm");
    const before = tf.memory().numTensors;
    const got = await scaledInputSteps(batch, P, cin, H);
    assert.equal(tf.memory().numTensors, before);
    assertAllClose(got, want, 1e-4, `batch ${batch}, P ${P}, c_in ${cin}, H ${H}`);
  }
});

/** Gradients of total(relu(op(A) op(B))) with respect to A and B, after many tidy cycles. */
function productGradients(c: Case & { ranked: boolean }, tA: boolean, tB: boolean, seed: number) {
  const shapeA = [tA ? c.K : c.M, tA ? c.M : c.K];
  const shapeB = [tB ? c.N : c.K, tB ? c.K : c.N];
  const outer = (n: number) => c.ranked ? [1, n] : [n];
  const a = normal([...outer(c.batchA), ...shapeA], seed);
  const b = normal([...outer(c.batchB), ...shapeB], seed + 1);
  const f = (x: tf.Tensor, y: tf.Tensor) => total(tf.relu(tf.matMul(x, y, tA, tB)));
  const gs = tf.grads(f)([a, b]);
  const out = gs.map((g) => g.dataSync() as Float32Array);
  tf.dispose([a, b, ...gs]);
  return out;
}

test("wasm: gradients of products (dimensions of 1, 4 transpose cases, broadcast batches) equal cpu's", async () => {
  (await import("../networks/gradients.ts")).registerNetworkGradients();
  const gradCases = fc.record({
    batchA: fc.constantFrom(1, 3),
    batchB: fc.constantFrom(1, 3),
    M: fc.constantFrom(1, 2, 5),
    N: fc.constantFrom(1, 3, 6),
    K: fc.constantFrom(1, 4, 7),
    ranked: fc.boolean(),
  });
  await fc.assert(
    fc.asyncProperty(gradCases, fc.integer({ min: 0, max: 1000 }), async (c, seed) => {
      for (const [tA, tB] of FLAGS) {
        await selectBackend("cpu");
        const want = productGradients(c, tA, tB, seed);
        await selectBackend("wasm");
        const before = tf.memory().numTensors;
        for (let rep = 0; rep < 3; rep++) {
          const got = productGradients(c, tA, tB, seed);
          assertAllClose(got, want, 1e-4, `${JSON.stringify(c)}, transposes ${tA},${tB}`);
        }
        assert.equal(tf.memory().numTensors, before);
      }
    }),
    { seed: 42, numRuns: 25 },
  );
});

test("wasm: a broadcast product keeps the broadcast rank ([1,1,M,K] by [B,K,N] is [1,B,M,N])", async () => {
  for (
    const name of noBlas
      ? ["wasm", "cpu"] as const
      : ["wasm", "wasm+blas", "cpu+blas", "cpu"] as const
  ) {
    await selectBackend(name);
    const shapes = tf.tidy(() =>
      [
        tf.matMul(tf.ones([1, 1, 2, 3]), tf.ones([4, 3, 5])),
        tf.matMul(tf.ones([4, 2, 3]), tf.ones([1, 1, 3, 5])),
        tf.matMul(tf.ones([1, 2, 3]), tf.ones([1, 1, 3, 5]), false, false),
      ].map((t) => t.shape)
    );
    assert.deepEqual(shapes, [[1, 4, 2, 5], [1, 4, 2, 5], [1, 1, 2, 5]], name);
  }
});
