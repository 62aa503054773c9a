/**
 * Generation + encoding throughput (`deno bench -A bench/generators_bench.ts`): L = 3, s = 2,
 * s0 = 1, v = m = nc = 8, P = 100000 data, sparsity A and B, distinct and iid, one-hot encoding
 * (plus the whitened encoding, the authors' figures' encoding). Samples per second =
 * 100000 / (time per iteration). Compare with our PyTorch peer,
 * `OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch_srhm.py gen --L 3 --s0 1 --v 8
 * --P 100000 --threads 1` (its `gen_samples_per_s`), or both alternately with
 * `bash bench/compare_generators.sh`; see docs/bench-generators.md.
 *
 * @module
 */
import {
  encode,
  encodeInto,
  type Encoding,
  makeGrammar,
  makeParams,
  sample,
  type SamplingMode,
  type Sparsity,
} from "@srhm/generators";

const P = 100_000;

for (const sparsity of ["A", "B"] as Sparsity[]) {
  const grammar = makeGrammar(makeParams({ L: 3, s: 2, s0: 1, v: 8, m: 8, nc: 8, sparsity }));
  for (const mode of ["distinct", "iid"] as SamplingMode[]) {
    for (const encoding of ["onehot", "whitened"] as Encoding[]) {
      let seed = 0;
      Deno.bench({
        name: `generate+encode ${sparsity} ${mode} ${encoding} P=${P}`,
        group: `${sparsity} ${mode}`,
        baseline: encoding === "onehot",
        n: 10,
        warmup: 2,
        fn: () => {
          const ds = sample(grammar, { count: P, seed: seed++, mode });
          const x = encode(ds, encoding);
          if (x.length !== P * 64 * 8) throw new Error("wrong size");
        },
      });
    }
    // The same work with the output tensor allocated once (as a training loop reusing its input
    // buffer would): it separates our computation from the operating system's cost of handing
    // out 205 MB of fresh zeroed pages, which dominates the line above on a virtual machine.
    let seed = 0;
    const out = new Float32Array(P * 64 * 8);
    Deno.bench({
      name: `generate+encodeInto ${sparsity} ${mode} onehot P=${P} (reused buffer)`,
      group: `${sparsity} ${mode}`,
      n: 10,
      warmup: 2,
      fn: () => {
        const ds = sample(grammar, { count: P, seed: seed++, mode });
        encodeInto(ds, "onehot", out, 0, P);
      },
    });
  }
}
