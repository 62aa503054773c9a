/**
 * One-shot timing of `writeNpy` (what `sample --format npy` does): draw, render and write P data of
 * L = 3, s = 2, s0 = 1, v = m = nc = 8 as `tokens.npy` (int8) and `labels.npy` (int8), in a fresh
 * process after a small warm-up write, like `bench/torch_npy.py` times the PyTorch anchor's
 * generation plus `numpy.save` of the same arrays:
 *
 *     deno run -A bench/npy_oneshot.ts [--P 1000000] [--mode iid|distinct] [--balanced]
 *         [--x onehot] [--out DIR]
 *
 * Prints one JSON line: seconds, bytes written, MB/s, the CPU seconds (user + system) of the timed
 * write, and the peak resident memory (`VmHWM`).
 * Without `--out` it writes into a fresh temporary directory and removes it.
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";
import {
  type Encoding,
  makeGrammar,
  makeParams,
  type SamplingMode,
  writeNpy,
} from "@srhm/generators";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    P: { type: "string", default: "1000000" },
    L: { type: "string", default: "3" },
    s0: { type: "string", default: "1" },
    v: { type: "string", default: "8" },
    mode: { type: "string", default: "iid" },
    balanced: { type: "boolean", default: false },
    x: { type: "string" },
    seed: { type: "string", default: "0" },
    out: { type: "string" },
  },
});

function peakRssMB(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"));
    return m === null ? null : Math.round(Number(m[1]) / 1024);
  } catch {
    return null;
  }
}

const g = makeGrammar(
  makeParams({ L: Number(values.L), s0: Number(values.s0), v: Number(values.v) }),
);
const dir = values.out ?? Deno.makeTempDirSync({ prefix: "srhm-npy-" });
const options = {
  seed: Number(values.seed),
  mode: values.mode as SamplingMode,
  balanced: values.balanced,
  ...(values.x === undefined ? {} : { x: values.x as Encoding }),
};
try {
  writeNpy(`${dir}/warmup`, g, { ...options, count: 1000 });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const meta = writeNpy(dir, g, { ...options, count: Number(values.P) });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const bytes = Object.keys(meta.files).reduce((n, f) => n + Deno.statSync(`${dir}/${f}`).size, 0);
  console.log(JSON.stringify({
    impl: `srhm-writeNpy-${values.mode}${values.balanced ? "-balanced" : ""}`,
    P: Number(values.P),
    L: g.params.L,
    s0: g.params.s0,
    v: g.params.v,
    files: Object.keys(meta.files),
    total_s: Number(seconds.toFixed(4)),
    bytes,
    MBps: Number((bytes / 1e6 / seconds).toFixed(1)),
    cpu_s: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
    peakRssMB: peakRssMB(),
  }));
} finally {
  if (values.out === undefined) Deno.removeSync(dir, { recursive: true });
}
