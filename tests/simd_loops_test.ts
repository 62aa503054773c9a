// The WebAssembly SIMD loops (networks/kernels/simd_loops.wat) against their definitions, the
// JavaScript loops of networks/deep/loop_kernels.ts and networks/kernels/momentum_step.ts, on
// random shapes (channel counts that are and are not multiples of four, strided and padded
// windows), and the committed binary against the text it is compiled from.
import assert from "node:assert/strict";
import fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { type SimdLoops, simdLoopsBinary, simdLoopsOn } from "../networks/kernels/simd_loops.ts";
import {
  hasMomentumStep,
  momentumStep,
  momentumStepInto,
} from "../networks/kernels/momentum_step.ts";
import {
  batchNormGradInto,
  batchNormInto,
  col2imInto,
  im2colInto,
} from "../networks/deep/loop_kernels.ts";
import { binaryModule, compileSimdLoops } from "../scripts/build_simd.ts";
import { momentumSgd } from "../networks/sgd.ts";
import { selectBackend } from "../networks/backend.ts";

Deno.test("simd_loops_binary.ts is the compilation of simd_loops.wat (deno task build-simd)", async () => {
  const text = await Deno.readTextFile(
    new URL("../networks/kernels/simd_loops.wat", import.meta.url),
  );
  const bytes = await compileSimdLoops(text);
  assert.deepEqual(simdLoopsBinary(), bytes);
  const committed = await Deno.readTextFile(
    new URL("../networks/kernels/simd_loops_binary.ts", import.meta.url),
  );
  assert.equal(committed, binaryModule(bytes));
});

/** A heap of floats with a bump allocator; its arrays start off 16-byte boundaries on purpose. */
function heap(floats: number) {
  const memory = new WebAssembly.Memory({ initial: Math.ceil((floats * 4 + 4096) / 65536) });
  const loops = simdLoopsOn(memory) as SimdLoops;
  assert.ok(loops !== null, "this engine runs WebAssembly SIMD");
  let next = 4; // offset by one float: unaligned on purpose
  const f32 = () => new Float32Array(memory.buffer);
  return {
    loops,
    put(values: Float32Array | number): number {
      const n = typeof values === "number" ? values : values.length;
      const at = next;
      if (typeof values !== "number") f32().set(values, at / 4);
      next += n * 4 + 4;
      return at;
    },
    get: (at: number, n: number) => f32().slice(at / 4, at / 4 + n),
  };
}

const floats = (n: number, seed: number) => {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 4 - 1.5;
  });
};

const close = (a: Float32Array, b: Float32Array, tol: number, what: string) => {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) {
    assert.ok(
      Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])),
      `${what}[${i}]: ${a[i]} vs ${b[i]}`,
    );
  }
};

const geometry = fc.record({
  size: fc.integer({ min: 1, max: 5 }),
  stride: fc.integer({ min: 1, max: 3 }),
})
  .chain(({ size, stride }) =>
    fc.record({
      size: fc.constant(size),
      stride: fc.constant(stride),
      pad: fc.integer({ min: 0, max: size - 1 }),
      B: fc.integer({ min: 1, max: 3 }),
      T: fc.integer({ min: size, max: 9 }),
      C: fc.integer({ min: 1, max: 13 }),
      seed: fc.integer(),
    })
  );

Deno.test("SIMD im2col and col2im equal the JavaScript loops exactly", () => {
  fc.assert(
    fc.property(geometry, ({ size, stride, pad, B, T, C, seed }) => {
      const g = { size, stride, pad };
      const out = Math.floor((T + 2 * pad - size) / stride) + 1;
      const x = floats(B * T * C, seed);
      const cols = new Float32Array(B * out * size * C);
      im2colInto(x, B, T, C, g, out, cols);
      const dx = new Float32Array(B * T * C);
      col2imInto(cols, B, T, C, g, out, dx);
      const h = heap(x.length + 2 * cols.length + dx.length);
      const px = h.put(x);
      const pc = h.put(new Float32Array(cols.length).fill(NaN));
      h.loops.im2col(px, B, T, C, size, stride, pad, out, pc);
      assert.deepEqual(h.get(pc, cols.length), cols);
      const pd = h.put(new Float32Array(dx.length).fill(NaN));
      h.loops.col2im(pc, B, T, C, size, stride, pad, out, pd);
      assert.deepEqual(h.get(pd, dx.length), dx);
    }),
    { numRuns: 200 },
  );
});

Deno.test("SIMD batch norm (with and without its ReLU) and its gradient agree with the JavaScript loops", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 1, max: 19 }),
      fc.integer(),
      fc.boolean(),
      (N, C, seed, relu) => {
        const x = floats(N * C, seed);
        const gamma = floats(C, seed + 1);
        const beta = floats(C, seed + 2);
        const ref = [N * C, N * C, C, C, C].map((n) => new Float32Array(n));
        batchNormInto(x, gamma, beta, N, C, 1e-5, ref[0], ref[1], ref[2], ref[3], ref[4], relu);
        if (relu) assert.ok(ref[0].every((v) => v >= 0));
        const h = heap(8 * N * C + 10 * C);
        const [px, pg, pb] = [x, gamma, beta].map((a) => h.put(a));
        const outs = [N * C, N * C, C, C, C].map((n) => h.put(n));
        const flag = relu ? 1 : 0;
        h.loops.batch_norm(
          px,
          pg,
          pb,
          N,
          C,
          1e-5,
          outs[0],
          outs[1],
          outs[2],
          outs[3],
          outs[4],
          flag,
        );
        ["y", "xhat", "mean", "variance", "inv"].forEach((name, i) =>
          close(h.get(outs[i], ref[i].length), ref[i], 1e-5, name)
        );
        // the SIMD y, so that both sides mask the same positions (ties at 0 may round apart)
        const y = h.get(outs[0], N * C);
        const dy = floats(N * C, seed + 3);
        const gref = [N * C, C, C].map((n) => new Float32Array(n));
        batchNormGradInto(
          dy,
          ref[1],
          ref[4],
          gamma,
          N,
          C,
          gref[0],
          gref[1],
          gref[2],
          relu ? y : undefined,
        );
        const pdy = h.put(dy);
        const g = [N * C, C, C].map((n) => h.put(n));
        h.loops.batch_norm_grad(pdy, outs[1], outs[4], pg, N, C, g[0], g[1], g[2], outs[0], flag);
        ["dx", "dgamma", "dbeta"].forEach((name, i) =>
          close(h.get(g[i], gref[i].length), gref[i], 1e-4, name)
        );
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("batch norm with its ReLU fused is the ReLU of the batch norm, gradients too", async () => {
  const { batchNormTrain } = await import("../networks/deep/batch_norm.ts");
  for (const backend of ["cpu", "wasm"] as const) {
    await selectBackend(backend);
    const x = tf.tensor3d(floats(2 * 5 * 6, 11), [2, 5, 6]);
    const [gamma, beta] = [tf.tensor1d(floats(6, 12)), tf.tensor1d(floats(6, 13))];
    const dy = tf.tensor3d(floats(60, 14), [2, 5, 6]);
    const grads = (relu: boolean) =>
      tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const y = relu
          ? batchNormTrain(a, g, b, undefined, true)
          : tf.relu(batchNormTrain(a, g, b));
        return tf.mul(y, dy);
      })([x, gamma, beta]);
    const fused = grads(true);
    const apart = grads(false);
    for (let i = 0; i < 3; i++) {
      close(
        await fused[i].data() as Float32Array,
        await apart[i].data() as Float32Array,
        1e-5,
        `${backend} ${i}`,
      );
    }
    const y1 = batchNormTrain(x, gamma, beta, undefined, true);
    const y2 = tf.relu(batchNormTrain(x, gamma, beta));
    close(await y1.data() as Float32Array, await y2.data() as Float32Array, 0, `${backend} y`);
    tf.dispose([x, gamma, beta, dy, y1, y2, ...fused, ...apart]);
  }
  await selectBackend("cpu");
});

Deno.test("SIMD momentum step equals its definition bit for bit", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 37 }),
      fc.integer(),
      fc.double({ min: 1e-4, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 0.99, noNaN: true }),
      fc.constantFrom(0, 5e-4, 0.3),
      (n, seed, lr, momentum, decay) => {
        const [p, buf, g] = [0, 1, 2].map((k) => floats(n, seed + k));
        const [pRef, bufRef] = [new Float32Array(n), new Float32Array(n)];
        momentumStepInto(p, buf, g, lr, momentum, decay, pRef, bufRef);
        const h = heap(6 * n);
        const [pp, pbuf, pg, po, pbo] = [p, buf, g, n, n].map((a) => h.put(a));
        h.loops.momentum_step(pp, pbuf, pg, n, lr, momentum, decay, po, pbo);
        assert.deepEqual(h.get(po, n), pRef);
        assert.deepEqual(h.get(pbo, n), bufRef);
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("the momentum kernel gives the numbers of the tfjs operations it replaces", async () => {
  for (const backend of ["cpu", "wasm"] as const) {
    await selectBackend(backend);
    assert.ok(hasMomentumStep(), backend);
    const [p, buf, g] = [0, 1, 2].map((k) => tf.tensor1d(floats(21, 7 + k)));
    const [lr, momentum, decay] = [0.0064, 0.9, 5e-4 * 2 / 21];
    const [pk, bk] = momentumStep(p, buf, g, lr, momentum, decay);
    const bOps = tf.add(tf.mul(buf, momentum), tf.add(g, tf.mul(p, decay)));
    const pOps = tf.sub(p, tf.mul(bOps, lr));
    assert.deepEqual(await bk.data(), await bOps.data(), backend);
    assert.deepEqual(await pk.data(), await pOps.data(), backend);
    tf.dispose([p, buf, g, pk, bk, bOps, pOps]);
  }
  await selectBackend("cpu");
});

Deno.test("momentumSgd steps the same on the cpu and wasm backends (fused kernel on both)", async () => {
  const run = async (backend: "cpu" | "wasm") => {
    await selectBackend(backend);
    const w = tf.variable(tf.tensor1d(floats(9, 3)));
    const target = tf.tensor1d(floats(9, 4));
    const opt = momentumSgd([w], 0.1, 0.9, [0.01]);
    for (let i = 0; i < 5; i++) {
      // |w - target|^2 by the operations whose gradients the networks register
      opt.step(() => {
        const d = tf.add(w, tf.mul(target, -1));
        return tf.reshape(tf.matMul(tf.reshape(d, [1, 9]), tf.reshape(d, [9, 1])), []) as tf.Scalar;
      }).dispose();
    }
    const out = await w.data() as Float32Array;
    opt.dispose();
    tf.dispose([w, target]);
    return out;
  };
  const cpu = await run("cpu");
  const wasm = await run("wasm");
  close(wasm, cpu, 1e-6, "w");
  await selectBackend("cpu");
});

Deno.test("addRelu and the running-statistics kernel give the numbers of the operations they replace", async () => {
  const { addRelu } = await import("../networks/deep/add_relu.ts");
  const { runningStatsKernel, hasLoopKernels } = await import("../networks/deep/loop_kernels.ts");
  for (const backend of ["cpu", "wasm"] as const) {
    await selectBackend(backend);
    assert.ok(hasLoopKernels());
    const [a, b, dy] = [0, 1, 2].map((k) => tf.tensor3d(floats(2 * 3 * 7, 20 + k), [2, 3, 7]));
    const f = (fused: boolean) =>
      tf.grads((x: tf.Tensor, y: tf.Tensor) =>
        tf.mul(fused ? addRelu(x, y) : tf.relu(tf.add(x, y)), dy)
      )([a, b]);
    const [fused, apart] = [f(true), f(false)];
    for (let i = 0; i < 2; i++) {
      // equal up to the sign of zeros (the ReLU's gradient as dy * step(x) gives -0)
      const [u, v] = [await fused[i].data(), await apart[i].data()] as Float32Array[];
      close(u, v, 0, `${backend} grad ${i}`);
    }
    const y1 = addRelu(a, b);
    const y2 = tf.relu(tf.add(a, b));
    assert.deepEqual(await y1.data(), await y2.data(), backend);
    const [rm, rv, bm, bv] = [0, 1, 2, 3].map((k) => tf.abs(tf.tensor1d(floats(7, 30 + k))));
    const [m1, v1] = runningStatsKernel(rm, rv, bm, bv, 6, 0.1);
    const m2 = tf.add(tf.mul(rm, 1 - 0.1), tf.mul(bm, 0.1));
    const v2 = tf.add(tf.mul(rv, 1 - 0.1), tf.mul(tf.mul(bv, 6 / 5), 0.1));
    assert.deepEqual(await m1.data(), await m2.data(), `${backend} running mean`);
    assert.deepEqual(await v1.data(), await v2.data(), `${backend} running variance`);
    tf.dispose([a, b, dy, ...fused, ...apart, y1, y2, rm, rv, bm, bv, m1, v1, m2, v2]);
  }
  await selectBackend("cpu");
});
