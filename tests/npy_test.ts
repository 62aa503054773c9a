import assert from "node:assert/strict";
import fc from "fast-check";
import {
  type Dataset,
  makeGrammar,
  makeParams,
  makeTransformer,
  npyChunks,
  npyHeader,
  type NpyOptions,
  sample,
  sampleChunks,
  toNpy,
  transform,
  type Transformation,
  writeNpy,
} from "@srhm/generators";
import { FC, smallParams } from "./generators_arbitraries.ts";
import { findPython, runPython } from "./python_env.ts";
import { cliProcess } from "./cli_process.ts";

const CHECK_NPY = new URL("./python/check_npy.py", import.meta.url).pathname;

const cli = cliProcess;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function joined(chunks: readonly Dataset[], key: "tokens" | "labels" | "placements"): number[] {
  return chunks.flatMap((c) => [...c[key]]);
}

Deno.test("sampleChunks: the chunks, concatenated, are sample()'s data for every mode and chunk size", () => {
  fc.assert(
    fc.property(
      smallParams({ maxD: 300 }),
      fc.integer({ min: 1, max: 50 }),
      fc.integer({ min: 1, max: 17 }),
      fc.constantFrom("distinct" as const, "iid" as const),
      fc.boolean(),
      fc.integer({ min: 0, max: 1000 }),
      (p, want, chunk, mode, balanced, seed) => {
        const g = makeGrammar(p);
        let count = mode === "distinct" ? Math.min(want, Number(g.pmax)) : want;
        if (balanced) count -= count % p.nc;
        if (
          balanced && mode === "distinct" && BigInt(Math.ceil(count / p.nc)) > g.pmax / BigInt(p.nc)
        ) return;
        const opts = { count, seed, mode, balanced };
        const whole = sample(g, opts);
        const parts = [...sampleChunks(g, opts, chunk)];
        assert.equal(parts.length, Math.ceil(count / chunk));
        assert.ok(parts.every((c) => c.count <= chunk));
        assert.deepEqual(joined(parts, "tokens"), [...whole.tokens]);
        assert.deepEqual(joined(parts, "labels"), [...whole.labels]);
        assert.deepEqual(joined(parts, "placements"), [...whole.placements]);
      },
    ),
    FC,
  );
});

Deno.test("sampleChunks: by hashing (Pmax > 2^52) too, and the errors of sample() come before any chunk", () => {
  const g = makeGrammar(makeParams({ L: 4, s0: 1, v: 4 }));
  assert.ok(g.pmax > 2n ** 52n);
  const whole = sample(g, { count: 52, seed: 4, balanced: true, mode: "distinct" });
  const parts = [...sampleChunks(g, { count: 52, seed: 4, balanced: true }, 7)];
  assert.deepEqual(joined(parts, "tokens"), [...whole.tokens]);
  const small = makeGrammar(makeParams({ L: 1, v: 3, m: 1, nc: 3 }));
  assert.throws(() => sampleChunks(small, { count: 100, seed: 0 }), /Pmax/);
  assert.throws(() => sampleChunks(small, { count: 3, seed: 0, balanced: true }, 0), /chunk/);
  assert.throws(() => sampleChunks(small, { count: 4, seed: 0, balanced: true }), /multiple of nc/);
});

Deno.test("makeTransformer over the chunks gives transform() of the whole, for both kinds", () => {
  fc.assert(
    fc.property(
      smallParams({ maxD: 300 }),
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 1, max: 9 }),
      fc.boolean(),
      fc.boolean(),
      (p, want, chunk, diffeo, cumulative) => {
        const g = makeGrammar(p);
        const count = Math.min(want, Number(g.pmax));
        const t: Transformation = diffeo
          ? { kind: "diffeo", level: p.L, cumulative }
          : { kind: "synonym", level: 1, cumulative, variant: "redraw" };
        const whole = transform(sample(g, { count, seed: 3 }), t, 11);
        const next = makeTransformer(g, t, 11);
        const parts = [...sampleChunks(g, { count, seed: 3 }, chunk)].map(next);
        assert.deepEqual(joined(parts, "tokens"), [...whole.tokens]);
      },
    ),
    FC,
  );
});

Deno.test("npyHeader: NumPy 1.0 headers, 64-byte aligned, with the dtype and shape as Python literals", () => {
  fc.assert(
    fc.property(
      fc.constantFrom("int8" as const, "int16" as const, "int32" as const, "float32" as const),
      fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { minLength: 1, maxLength: 4 }),
      (dtype, shape) => {
        const h = npyHeader(dtype, shape);
        assert.equal(h.length % 64, 0);
        assert.deepEqual([...h.subarray(0, 8)], [0x93, 78, 85, 77, 80, 89, 1, 0]);
        assert.equal(h[8] + 256 * h[9], h.length - 10);
        const text = new TextDecoder().decode(h.subarray(10));
        const descr = { int8: "|i1", int16: "<i2", int32: "<i4", float32: "<f4" }[dtype];
        const dims = shape.length === 1 ? `${shape[0]},` : shape.join(", ");
        assert.equal(
          text.trimEnd(),
          `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`,
        );
        assert.ok(text.endsWith("\n"));
      },
    ),
    FC,
  );
  assert.throws(() => npyHeader("int8", [-1]), /shape/);
  assert.throws(() => npyHeader("uint8" as never, [1]), /dtype/);
});

Deno.test("writeNpy, npyChunks and toNpy give the same bytes; pieces stay one chunk long", () => {
  const g = makeGrammar(makeParams({ L: 2, s0: 1, v: 4, sparsity: "B" }));
  const t: Transformation = { kind: "diffeo", level: 1 };
  for (const layout of ["channels-last", "channels-first"] as const) {
    const opts: NpyOptions = {
      count: 103,
      seed: 2,
      x: "whitened",
      layout,
      transform: t,
      chunk: 10,
    };
    const dir = Deno.makeTempDirSync();
    try {
      const meta = writeNpy(dir, g, opts);
      const ds = sample(g, opts);
      const mem = toNpy(ds, { x: "whitened", layout, transformed: transform(ds, t, 2) });
      const pieces = [...npyChunks(g, opts)];
      for (const name of ["tokens.npy", "labels.npy", "x.npy", "transformed.npy"]) {
        const file = Deno.readFileSync(`${dir}/${name}`);
        assert.deepEqual(file, mem[name], name);
        assert.deepEqual(concat(pieces.filter((p) => p.file === name).map((p) => p.bytes)), file);
      }
      // a data piece holds at most one chunk: 10 data of d = 16 positions, v = 4 floats each
      assert.ok(pieces.every((p) => p.bytes.length <= Math.max(128, 10 * 16 * 4 * 4)));
      assert.deepEqual(JSON.parse(Deno.readTextFileSync(`${dir}/meta.json`)), meta);
      assert.deepEqual(
        meta.files["x.npy"].shape,
        layout === "channels-last" ? [103, 16, 4] : [103, 4, 16],
      );
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  }
});

Deno.test("writeNpy over an earlier write: its files are replaced or removed, meta.json last", () => {
  const g = makeGrammar(makeParams({ L: 2, s0: 1, v: 4 }));
  const dir = Deno.makeTempDirSync();
  try {
    writeNpy(dir, g, { count: 20, seed: 1, x: "onehot", transform: { kind: "diffeo", level: 1 } });
    Deno.writeTextFileSync(`${dir}/notes.txt`, "mine");
    writeNpy(dir, g, { count: 5, seed: 2 });
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(names, ["labels.npy", "meta.json", "notes.txt", "tokens.npy"]);
    assert.deepEqual(
      Deno.readFileSync(`${dir}/tokens.npy`),
      toNpy(sample(g, { count: 5, seed: 2 }))["tokens.npy"],
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("writeNpy refuses a layout without x, an unknown encoding or layout, before writing", () => {
  const g = makeGrammar(makeParams({ L: 2, v: 4 }));
  const dir = `${Deno.makeTempDirSync()}/never`;
  assert.throws(() => writeNpy(dir, g, { count: 3, seed: 0, layout: "channels-first" }), /layout/);
  assert.throws(() => writeNpy(dir, g, { count: 3, seed: 0, x: "binary" as never }), /x must/);
  assert.throws(
    () => writeNpy(dir, g, { count: 3, seed: 0, x: "onehot", layout: "nchw" as never }),
    /layout must/,
  );
  assert.throws(() => writeNpy(dir, g, { count: -1, seed: 0 }), /count/);
  assert.throws(() => Deno.statSync(dir), Deno.errors.NotFound);
});

Deno.test("sample CLI: a bad --format, a layout without --x, npy without --out exit 2 with one line", async () => {
  const dir = Deno.makeTempDirSync();
  const base = ["sample", "--L", "2", "--v", "4", "--count", "3"];
  try {
    for (
      const [extra, why] of [
        [["--format", "parquet"], /--format must be jsonl or npy/],
        [["--format", "npy", "--out", dir, "--layout", "channels-first"], /--layout applies to x/],
        [["--format", "npy"], /needs --out/],
        [["--x", "onehot"], /need --format npy/],
        [["--format", "npy", "--out", dir, "--x", "onehot", "--layout", "nwc"], /--layout must/],
        [["--format", "npy", "--out", dir, "--x", "bits"], /--x must/],
      ] as const
    ) {
      const r = await cli([...base, ...extra]);
      assert.equal(r.code, 2, extra.join(" "));
      assert.equal(r.stdout, "");
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, why);
    }
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

const numpy = findPython(["numpy"]);
if ("reason" in numpy) {
  console.warn(`npy_test: the NumPy read-back tests skip: ${numpy.reason}`);
}

/** Cases read back in Python: arguments of `sample`, and the npy-only options. */
const CASES: readonly { readonly args: string[]; readonly npy: string[] }[] = [
  { args: ["--L", "2", "--s0", "1", "--v", "4", "--count", "300"], npy: ["--x", "onehot"] },
  {
    args: ["--L", "3", "--s0", "1", "--v", "8", "--count", "2000", "--mode", "iid", "--balanced"],
    npy: ["--x", "whitened", "--layout", "channels-first"],
  },
  {
    args: ["--L", "3", "--s0", "1", "--v", "8", "--count", "1500", "--sample-seed", "7"],
    npy: ["--x", "onehot", "--layout", "channels-last"],
  },
  {
    args: ["--L", "2", "--s0", "2", "--v", "3", "--sparsity", "B", "--count", "500"],
    npy: [],
  },
  { args: ["--L", "1", "--v", "130", "--count", "200"], npy: ["--x", "onehot"] },
  { args: ["--L", "4", "--s0", "1", "--v", "4", "--count", "300", "--seed", "3"], npy: [] },
  { args: ["--L", "2", "--v", "4", "--count", "0"], npy: ["--x", "onehot"] },
];

const TRANSFORMS: readonly string[][] = [
  [],
  ["--transform", "synonym", "--level", "1"],
  ["--transform", "diffeo", "--level", "2", "--cumulative"],
  ["--transform", "synonym", "--level", "2", "--variant", "redraw"],
];

Deno.test({
  name: "sample --format npy read back with NumPy: exact JSONL data, dtypes, shapes, x, decoding",
  ignore: "reason" in numpy,
  fn: async () => {
    const exe = "exe" in numpy ? numpy.exe : "";
    const dir = Deno.makeTempDirSync();
    try {
      for (const [i, c] of CASES.entries()) {
        const t = TRANSFORMS[i % TRANSFORMS.length];
        const args = ["sample", ...c.args, ...t];
        const out = `${dir}/case${i}`;
        const npy = await cli([...args, "--format", "npy", "--out", out, ...c.npy]);
        assert.equal(npy.code, 0, npy.stderr);
        const jsonl = await cli([...args, "--out", `${out}.jsonl`]);
        assert.equal(jsonl.code, 0, jsonl.stderr);
        const r = await runPython(exe, CHECK_NPY, [out, `${out}.jsonl`]);
        assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
        const report = JSON.parse(r.stdout);
        assert.ok(report.checked.includes("every datum decodes to its label"));
        if (t.length > 0 && report.count > 0) {
          assert.ok(report.checked.includes("every transformed datum decodes to its label"));
        }
      }
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
