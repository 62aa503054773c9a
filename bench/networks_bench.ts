/**
 * Training throughput of @srhm/networks: forward + backward + SGD-momentum step of the paper's CNN
 * (the reference: s=2, s0=1, L=3, v=m=nc=8, H=512, batch 128), after warm-up, per backend.
 *
 * - `deno bench -A bench/networks_bench.ts`: a few short timed runs (L=2, H=256) per backend.
 * - `deno run -A bench/networks_bench.ts --backend wasm+blas --L 3 --width 512 --batch 128
 *   --steps 100`: one JSON line `{ backend, detail, samplesPerSec, gflops, ... }` (what
 *   bench/compare_torch.sh runs beside the PyTorch peer, bench/torch_srhm.py).
 *
 * @module
 */
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs-core";
// Module paths rather than "@srhm/networks": the bench needs only these, and keeps working while
// the rest of the package changes.
import { type BackendName, selectBackend } from "../networks/backend.ts";
import { buildNetwork } from "../networks/build.ts";
import { configForGrammar, layerShapes, type NetworkConfig } from "../networks/config.ts";
import { crossEntropy } from "../networks/loss.ts";
import { restoreProduct } from "../networks/kernels/batch_matmul.ts";
import { restoreSharedIdentity } from "../networks/kernels/shared_identity.ts";
import { restoreLeadingSum } from "../networks/kernels/leading_sum.ts";
import { encode, makeGrammar, makeParams, sample } from "@srhm/generators";

/** What to measure. */
export interface ThroughputOptions {
  readonly backend: BackendName | "tfjs-wasm";
  readonly kind: "cnn" | "lcn" | "fcn";
  readonly L: number;
  readonly s0: number;
  readonly width: number;
  readonly batch: number;
  readonly steps: number;
  readonly warmup: number;
  readonly seed: number;
  /** Also print per-kernel milliseconds per step on stderr. */
  readonly profile?: boolean;
}

/** One measurement. */
export interface ThroughputResult {
  readonly backend: string;
  readonly detail: string;
  readonly kind: string;
  readonly L: number;
  readonly s0: number;
  readonly width: number;
  readonly batch: number;
  readonly steps: number;
  readonly seconds: number;
  readonly samplesPerSec: number;
  readonly mflopPerSample: number;
  readonly gflops: number;
  readonly finalLoss: number;
}

/** Multiply-add FLOPs of one training sample: 3x the forward products (forward, dX, dW). */
export function trainingFlopsPerSample(config: NetworkConfig): number {
  let forward = 0;
  for (const l of layerShapes(config)) {
    const rows = config.kind === "fcn" ? 1 : l.outPositions;
    const fanIn = config.kind === "fcn"
      ? l.inPositions * l.inChannels
      : config.patch * l.inChannels;
    forward += 2 * rows * fanIn * config.width;
  }
  forward += 2 * config.width * config.classes;
  return 3 * forward;
}

/** The data, network and one training step of the reference configuration, on the current backend. */
export function makeTrainingStep(o: Omit<ThroughputOptions, "backend" | "steps" | "warmup">): {
  config: NetworkConfig;
  step: () => tf.Scalar;
  dispose: () => void;
} {
  const params = makeParams({ L: o.L, s: 2, s0: o.s0, v: 8, m: 8, nc: 8, seed: o.seed });
  const grammar = makeGrammar(params);
  const config = configForGrammar(grammar, { kind: o.kind, width: o.width, seed: o.seed });
  const ds = sample(grammar, { count: o.batch * 4, seed: o.seed, mode: "iid" });
  const x = encode(ds);
  const labels = Int32Array.from(ds.labels);
  const network = buildNetwork(config);
  const optimizer = tf.train.momentum(0.1 * o.width / o.width, 0.9); // lr irrelevant to speed
  const batches = Array.from({ length: 4 }, (_, i) => ({
    x: tf.tensor3d(
      x.subarray(i * o.batch * config.length * 8, (i + 1) * o.batch * config.length * 8),
      [o.batch, config.length, 8],
    ),
    y: tf.oneHot(tf.tensor1d(labels.subarray(i * o.batch, (i + 1) * o.batch), "int32"), 8),
  }));
  let i = 0;
  const step = (): tf.Scalar => {
    const b = batches[i++ % batches.length];
    return optimizer.minimize(() => crossEntropy(network.forward(b.x).logits, b.y), true)!;
  };
  const dispose = () => {
    for (const b of batches) tf.dispose([b.x, b.y]);
    optimizer.dispose();
    network.dispose();
  };
  return { config, step, dispose };
}

/** Milliseconds per kernel name over `steps` training steps (tf.profile), largest first. */
export async function profileKernels(
  step: () => tf.Scalar,
  steps: number,
): Promise<{ kernel: string; ms: number; calls: number }[]> {
  const info = await tf.profile(() => {
    for (let k = 0; k < steps; k++) step().dispose();
  });
  const by = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    const e = by.get(k.name) ?? { ms: 0, calls: 0 };
    e.ms += Number(k.kernelTimeMs) / steps;
    e.calls += 1 / steps;
    by.set(k.name, e);
  }
  return [...by].map(([kernel, e]) => ({ kernel, ms: +e.ms.toFixed(2), calls: e.calls }))
    .sort((a, b) => b.ms - a.ms);
}

/**
 * Selects `name`; "tfjs-wasm" is tfjs-wasm with its own kernels (ours taken out), for comparison.
 */
export async function selectForBench(
  name: BackendName | "tfjs-wasm",
): Promise<{ name: string; detail: string }> {
  if (name !== "tfjs-wasm") return await selectBackend(name);
  await selectBackend("wasm");
  restoreProduct("wasm");
  restoreSharedIdentity();
  restoreLeadingSum();
  return { name, detail: "@tensorflow/tfjs-backend-wasm with its own kernels (none of ours)" };
}

/** Measures training samples per second on `o.backend`. */
export async function measureTraining(o: ThroughputOptions): Promise<ThroughputResult> {
  const picked = await selectForBench(o.backend);
  const { config, step, dispose } = makeTrainingStep(o);
  try {
    for (let k = 0; k < o.warmup; k++) {
      const c = step();
      await c.data();
      c.dispose();
    }
    const t0 = performance.now();
    let finalLoss = NaN;
    for (let k = 0; k < o.steps; k++) {
      const c = step();
      if (k === o.steps - 1) finalLoss = (await c.data())[0];
      c.dispose();
    }
    const seconds = (performance.now() - t0) / 1000;
    if (o.profile) {
      for (const row of await profileKernels(step, 5)) console.error(JSON.stringify(row));
    }
    const samplesPerSec = o.steps * o.batch / seconds;
    const flops = trainingFlopsPerSample(config);
    return {
      backend: picked.name,
      detail: picked.detail,
      kind: o.kind,
      L: o.L,
      s0: o.s0,
      width: o.width,
      batch: o.batch,
      steps: o.steps,
      seconds: +seconds.toFixed(3),
      samplesPerSec: +samplesPerSec.toFixed(1),
      mflopPerSample: +(flops / 1e6).toFixed(2),
      gflops: +(flops * samplesPerSec / 1e9).toFixed(2),
      finalLoss,
    };
  } finally {
    dispose();
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      backend: { type: "string", default: "auto" },
      kind: { type: "string", default: "cnn" },
      L: { type: "string", default: "3" },
      s0: { type: "string", default: "1" },
      width: { type: "string", default: "512" },
      batch: { type: "string", default: "128" },
      steps: { type: "string", default: "100" },
      warmup: { type: "string", default: "5" },
      seed: { type: "string", default: "0" },
      profile: { type: "boolean", default: false },
    },
  });
  const result = await measureTraining({
    backend: values.backend as BackendName,
    kind: values.kind as "cnn",
    L: Number(values.L),
    s0: Number(values.s0),
    width: Number(values.width),
    batch: Number(values.batch),
    steps: Number(values.steps),
    warmup: Number(values.warmup),
    seed: Number(values.seed),
    profile: values.profile,
  });
  console.log(JSON.stringify(result));
} else {
  for (const backend of ["wasm", "wasm+blas", "tfjs-wasm"] as const) {
    let current: ReturnType<typeof makeTrainingStep> | undefined;
    Deno.bench({
      name: `train step, CNN L=2 s0=1 H=256 batch 128, ${backend}`,
      group: "train-step",
      n: 10,
      warmup: 2,
      async fn(b) {
        if (current === undefined) {
          await selectForBench(backend);
          current = makeTrainingStep({ kind: "cnn", L: 2, s0: 1, width: 256, batch: 128, seed: 0 });
        }
        b.start();
        const c = current.step();
        await c.data();
        b.end();
        c.dispose();
      },
    });
  }
}
