/**
 * OpenBLAS through Deno's FFI: single-precision matrix products (`cblas_sgemm`) on memory that
 * TensorFlow.js owns (typed arrays of the cpu backend, or views into the wasm backend's memory).
 *
 * Debian's OpenBLAS 0.3.21 does not recognise recent CPUs and then falls back to slow generic
 * kernels; {@link openBlas} names the core type from the CPU's flags (`OPENBLAS_CORETYPE`) before the
 * library loads, unless the variable is already set.
 *
 * @module
 */

/** Where OpenBLAS is looked for, in order (the first one that loads wins). */
export const OPENBLAS_CANDIDATES: readonly string[] = [
  "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
  "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
  "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
  "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
  "/usr/lib64/libopenblas.so.0",
  "/usr/lib/libopenblas.so.0",
  "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
  "/usr/local/opt/openblas/lib/libopenblas.dylib",
  "libopenblas.so.0",
];

const symbols = {
  cblas_sgemm: {
    parameters: [
      "i32", // order
      "i32", // transA
      "i32", // transB
      "i32", // M
      "i32", // N
      "i32", // K
      "f32", // alpha
      "buffer", // A
      "i32", // lda
      "buffer", // B
      "i32", // ldb
      "f32", // beta
      "buffer", // C
      "i32", // ldc
    ],
    result: "void",
  },
  openblas_set_num_threads: { parameters: ["i32"], result: "void" },
  openblas_get_num_threads: { parameters: [], result: "i32" },
  openblas_get_corename: { parameters: [], result: "pointer" },
  openblas_get_config: { parameters: [], result: "pointer" },
} as const;

const ROW_MAJOR = 101;
const NO_TRANS = 111;
const TRANS = 112;

/** A loaded OpenBLAS. */
export interface Blas {
  /** The library file that loaded. */
  readonly path: string;
  /** OpenBLAS's own description: version, core name, threads. */
  readonly describe: () => string;
  /**
   * Row-major `C = A·B` (or with `A^T`, `B^T`): `A` is `M x K` (`K x M` transposed), `B` is `K x N`
   * (`N x K` transposed), `C` is `M x N`; every operand contiguous.
   */
  readonly sgemm: (
    transA: boolean,
    transB: boolean,
    M: number,
    N: number,
    K: number,
    A: Float32Array,
    B: Float32Array,
    C: Float32Array,
  ) => void;
  /** Sets OpenBLAS's thread count. */
  readonly setThreads: (n: number) => void;
  /** Unloads the library. */
  readonly close: () => void;
}

/** What {@link openBlas} can be told. */
export interface OpenBlasOptions {
  /** Library files to try, in order (default {@link OPENBLAS_CANDIDATES}, or `$SRHM_OPENBLAS`). */
  readonly paths?: readonly string[];
  /** The `OPENBLAS_CORETYPE` to set when the variable is unset (default from the CPU's flags). */
  readonly coretype?: string | null;
  /** Threads for OpenBLAS (default: its own choice, one per core, or `OPENBLAS_NUM_THREADS`). */
  readonly threads?: number;
  /**
   * Products of fewer floating-point operations than this run on one thread (default 2^26, about
   * a millisecond's work): waking and joining threads costs more than it saves on them, and much
   * more on a busy machine. 0 lets OpenBLAS thread every product. Default: `$SRHM_BLAS_SMALL_FLOPS`
   * if set, else {@link SMALL_PRODUCT_FLOPS}.
   */
  readonly smallProductFlops?: number;
}

/** The default of {@link OpenBlasOptions.smallProductFlops}. */
export const SMALL_PRODUCT_FLOPS = 2 ** 26;

/**
 * The OpenBLAS core type that suits the CPU flags in `cpuinfo` (the text of `/proc/cpuinfo`):
 * `SkylakeX` with AVX-512, `Haswell` with AVX2 and FMA, else `null` (let OpenBLAS decide).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { coretypeFor } from "./openblas.ts";
 * assert.ok(coretypeFor("flags : sse avx2 fma avx512f avx512bw avx512vl") === "SkylakeX");
 * assert.ok(coretypeFor("flags : sse avx2 fma") === "Haswell");
 * assert.ok(coretypeFor("flags : sse sse2") === null);
 * ```
 */
export function coretypeFor(cpuinfo: string): string | null {
  const line = cpuinfo.split("\n").find((l) => /^flags\s*:/.test(l)) ?? "";
  const flags = new Set(line.replace(/^flags\s*:/, "").trim().split(/\s+/));
  if (["avx512f", "avx512bw", "avx512vl"].every((f) => flags.has(f))) return "SkylakeX";
  if (flags.has("avx2") && flags.has("fma")) return "Haswell";
  return null;
}

function readCpuinfo(): string {
  try {
    return Deno.readTextFileSync("/proc/cpuinfo");
  } catch {
    return "";
  }
}

function cString(p: Deno.PointerValue): string {
  return p === null ? "" : Deno.UnsafePointerView.getCString(p);
}

/**
 * Loads OpenBLAS through `Deno.dlopen` (needs `--allow-ffi`), naming its core type first when
 * `OPENBLAS_CORETYPE` is unset. Throws an error that lists every path tried when none loads.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openBlas } from "./openblas.ts";
 * try {
 *   const blas = openBlas();
 *   const C = new Float32Array(1);
 *   blas.sgemm(false, false, 1, 1, 2, new Float32Array([1, 2]), new Float32Array([3, 4]), C);
 *   assert.ok(C[0] === 11);
 *   blas.close();
 * } catch (e) {
 *   assert.ok(/OpenBLAS/.test(String(e))); // not installed here
 * }
 * ```
 */
export function openBlas(options: OpenBlasOptions = {}): Blas {
  const fromEnv = Deno.env.get("SRHM_OPENBLAS");
  const paths = options.paths ?? (fromEnv ? [fromEnv] : OPENBLAS_CANDIDATES);
  if (Deno.env.get("OPENBLAS_CORETYPE") === undefined) {
    const coretype = options.coretype === undefined ? coretypeFor(readCpuinfo()) : options.coretype;
    if (coretype !== null) Deno.env.set("OPENBLAS_CORETYPE", coretype);
  }
  const failures: string[] = [];
  for (const path of paths) {
    let lib: Deno.DynamicLibrary<typeof symbols>;
    try {
      lib = Deno.dlopen(path, symbols);
    } catch (e) {
      failures.push(`${path}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
      continue;
    }
    const s = lib.symbols;
    if (options.threads !== undefined) s.openblas_set_num_threads(options.threads);
    let most = s.openblas_get_num_threads();
    let current = most;
    const fromEnvSmall = Deno.env.get("SRHM_BLAS_SMALL_FLOPS");
    const small = options.smallProductFlops ??
      (fromEnvSmall !== undefined && fromEnvSmall !== ""
        ? Number(fromEnvSmall)
        : SMALL_PRODUCT_FLOPS);
    const threadsFor = (flops: number) => {
      const want = flops < small ? 1 : most;
      if (want !== current) {
        s.openblas_set_num_threads(want);
        current = want;
      }
    };
    return {
      path,
      describe: () =>
        `${cString(s.openblas_get_config()).trim()}; core ${
          cString(s.openblas_get_corename())
        }; ${most} thread(s)` + (most > 1 && small > 0 ? `, 1 below ${small} flops` : ""),
      sgemm: (transA, transB, M, N, K, A, B, C) => {
        threadsFor(2 * M * N * K);
        s.cblas_sgemm(
          ROW_MAJOR,
          transA ? TRANS : NO_TRANS,
          transB ? TRANS : NO_TRANS,
          M,
          N,
          K,
          1,
          A,
          transA ? M : K,
          B,
          transB ? K : N,
          0,
          C,
          N,
        );
      },
      setThreads: (n) => {
        s.openblas_set_num_threads(n);
        most = current = n;
      },
      close: () => lib.close(),
    };
  }
  throw new Error(
    "OpenBLAS could not be loaded (install it, e.g. `apt-get install libopenblas0-pthread`, " +
      "or name the library file in SRHM_OPENBLAS); tried:\n" + failures.join("\n"),
  );
}
