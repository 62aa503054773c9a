/**
 * CLI commands `grammar` and `sample`:
 *
 *     deno task experiment grammar <params> [--out FILE]
 *     deno task experiment sample <params> --count N [--sample-seed K] [--mode distinct|iid]
 *         [--balanced] [--transform diffeo|synonym --level l [--variant other|redraw]
 *         [--cumulative]] [--out FILE]
 *     deno task experiment sample <params> --count N [...] --format npy --out DIR
 *         [--x onehot|whitened [--layout channels-last|channels-first]]
 *
 * `<params>` are `--L --s --s0 --v --m --nc --sparsity --seed` (defaults `s = 2`, `s0 = 0`,
 * `sparsity A`, `seed 0`, `m = v^(s-1)`, `nc = v`; `L` and `v` are required). `grammar` prints one
 * JSON object `{"params", "pmax" (decimal string), "d", "rules"}` with `rules[l-1][parent]` the
 * parent's `m` productions; `sample` prints one JSON object per line, `{"label", "tokens"}` (length
 * `d`, `-1` = empty) plus `"transformed"` when a transformation is asked for (drawn with the
 * sample seed). With `--out FILE` the output goes to FILE instead of stdout. `--format npy` writes
 * the same data as NumPy files into DIR (`writeNpy`: tokens.npy, labels.npy, with `--x` x.npy,
 * with `--transform` transformed.npy, and meta.json). Both formats stream: the data are drawn and
 * written chunk by chunk.
 *
 * @module
 */
import type { Command } from "@commander-js/extra-typings";
import {
  checkStreamOptions,
  type Dataset,
  type Grammar,
  makeGrammar,
  makeTransformer,
  type NpyMeta,
  type NpyOptions,
  sampleChunks,
  type SamplingMode,
  type SrhmParams,
  type Transformation,
  writeNpy,
} from "@srhm/generators";
import { usage, UsageError } from "./usage_error.ts";
import { addParamOptions, integer, type ParamOptions, paramsFromOptions } from "./options.ts";

/** Opens `--out FILE` for writing; a path that cannot be written is a bad argument. */
function openOut(out: string): Deno.FsFile {
  try {
    return Deno.openSync(out, { write: true, create: true, truncate: true });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new UsageError(`--out ${JSON.stringify(out)} cannot be written: ${why}`);
  }
}

/** Writes all of `text` to stdout, or to `out` when given (replacing the file). */
function emit(chunks: Iterable<string>, out: string | undefined): void {
  const enc = new TextEncoder();
  const file = out === undefined ? null : openOut(out);
  try {
    for (const chunk of chunks) {
      const bytes = enc.encode(chunk);
      let done = 0;
      while (done < bytes.length) {
        done += (file ?? Deno.stdout).writeSync(bytes.subarray(done));
      }
    }
  } finally {
    file?.close();
  }
}

/**
 * The `grammar` command's JSON object.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { grammarJson } from "./grammar.ts";
 * import { makeGrammar, makeParams } from "@srhm/generators";
 * const j = grammarJson(makeGrammar(makeParams({ L: 2, v: 4 })));
 * assert.ok(j.pmax === "256" && j.d === 4 && j.rules.length === 2);
 * ```
 */
export function grammarJson(g: ReturnType<typeof makeGrammar>): {
  params: SrhmParams;
  pmax: string;
  d: number;
  rules: ReturnType<typeof makeGrammar>["rules"];
} {
  const p = g.params;
  return {
    params: {
      L: p.L,
      s: p.s,
      s0: p.s0,
      v: p.v,
      m: p.m,
      nc: p.nc,
      sparsity: p.sparsity,
      seed: p.seed,
    },
    pmax: g.pmax.toString(),
    d: g.d,
    rules: g.rules,
  };
}

/** The JSON lines of a draw, drawn (and transformed) 1024 data at a time. */
function* sampleLines(grammar: Grammar, o: NpyOptions): Generator<string> {
  const d = grammar.d;
  const next = o.transform === undefined ? null : makeTransformer(grammar, o.transform, o.seed);
  for (const ds of sampleChunks(grammar, o, 1024)) {
    const moved: Dataset | null = next === null ? null : next(ds);
    const lines: string[] = [];
    for (let i = 0; i < ds.count; i++) {
      const tokens = ds.tokens.subarray(i * d, (i + 1) * d).join(",");
      const extra = moved === null
        ? ""
        : `,"transformed":[${moved.tokens.subarray(i * d, (i + 1) * d).join(",")}]`;
      lines.push(`{"label":${ds.labels[i]},"tokens":[${tokens}]${extra}}\n`);
    }
    yield lines.join("");
  }
}

/** Parsed options of the `sample` command. */
export interface SampleCliOptions extends ParamOptions {
  /** `--count`: how many data (required). */
  count?: number;
  /** `--sample-seed` (default 0). */
  sampleSeed?: number;
  mode?: string;
  balanced?: boolean;
  transform?: string;
  level?: string;
  variant?: string;
  cumulative?: boolean;
  /** `--format`: `jsonl` (default) or `npy`. */
  format?: string;
  /** `--x`: npy only, also write x.npy encoded `onehot` or `whitened`. */
  x?: string;
  /** `--layout`: x.npy's `channels-last` (default) or `channels-first`. */
  layout?: string;
  out?: string;
}

/** The grammar and the draw asked for by the `sample` command's options (`UsageError` if bad). */
function sampleRequest(o: SampleCliOptions): { grammar: Grammar; options: NpyOptions } {
  const params = paramsFromOptions(o);
  if (o.count === undefined) throw new UsageError("--count is required (an integer >= 0)");
  const count = o.count;
  const seed = o.sampleSeed ?? 0;
  const mode = o.mode ?? "distinct";
  if (mode !== "distinct" && mode !== "iid") {
    throw new UsageError(`--mode must be distinct or iid (got ${JSON.stringify(mode)})`);
  }
  let t: Transformation | null = null;
  if (o.transform !== undefined) {
    if (o.transform !== "diffeo" && o.transform !== "synonym") {
      throw new UsageError(
        `--transform must be diffeo or synonym (got ${JSON.stringify(o.transform)})`,
      );
    }
    if (o.level === undefined) {
      throw new UsageError(`--transform needs --level (an integer in 1..L)`);
    }
    const level = Number(o.level);
    if (!Number.isInteger(level) || level < 1 || level > params.L) {
      throw new UsageError(
        `--level must be an integer in 1..L = 1..${params.L} (got ${JSON.stringify(o.level)})`,
      );
    }
    const variant = o.variant ?? "other";
    if (variant !== "other" && variant !== "redraw") {
      throw new UsageError(`--variant must be other or redraw (got ${JSON.stringify(variant)})`);
    }
    if (o.variant !== undefined && o.transform !== "synonym") {
      throw new UsageError("--variant applies to --transform synonym only");
    }
    t = o.transform === "diffeo"
      ? { kind: "diffeo", level, cumulative: o.cumulative ?? false }
      : { kind: "synonym", level, cumulative: o.cumulative ?? false, variant };
  } else if (o.level !== undefined || o.variant !== undefined || o.cumulative) {
    throw new UsageError("--level, --variant and --cumulative need --transform diffeo|synonym");
  }
  const grammar = usage(() => makeGrammar(params));
  const options: NpyOptions = {
    count,
    seed,
    mode: mode as SamplingMode,
    balanced: o.balanced ?? false,
    ...(t === null ? {} : { transform: t }),
  };
  // Validate the draw now: the streams draw lazily, after the first line or file is written.
  usage(() => checkStreamOptions(grammar, options));
  if (t !== null) usage(() => makeTransformer(grammar, t, seed));
  return { grammar, options };
}

/**
 * The `sample` command's JSON lines (`--format jsonl`, the default), drawn chunk by chunk as they
 * are written. Throws `UsageError` on bad options.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sampleCommandLines } from "./grammar.ts";
 * const lines = [...sampleCommandLines({ L: "2", v: "4", count: 3 })].join("").trim().split("\n");
 * assert.ok(lines.length === 3 && JSON.parse(lines[0]).tokens.length === 4);
 * ```
 */
export function sampleCommandLines(o: SampleCliOptions): Iterable<string> {
  if (o.x !== undefined || o.layout !== undefined) {
    throw new UsageError("--x and --layout need --format npy");
  }
  const { grammar, options } = sampleRequest(o);
  return sampleLines(grammar, options);
}

/**
 * `sample --format npy --out DIR [--x onehot|whitened [--layout channels-last|channels-first]]`:
 * writes the data set with `writeNpy` and returns its `meta.json`. Throws `UsageError` on bad
 * options (a layout without `--x` among them) before writing anything.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sampleCommandNpy } from "./grammar.ts";
 * const out = Deno.makeTempDirSync();
 * const meta = sampleCommandNpy({ L: "2", v: "4", count: 3, x: "onehot", out });
 * assert.deepEqual(meta.files["x.npy"].shape, [3, 4, 4]);
 * assert.throws(() => sampleCommandNpy({ L: "2", v: "4", count: 3, layout: "channels-first", out }));
 * Deno.removeSync(out, { recursive: true });
 * ```
 */
export function sampleCommandNpy(o: SampleCliOptions): NpyMeta {
  const out = o.out;
  if (out === undefined) throw new UsageError("--format npy needs --out DIR");
  if (o.layout !== undefined && o.x === undefined) {
    throw new UsageError("--layout applies to x.npy: give --x onehot|whitened too");
  }
  if (o.x !== undefined && o.x !== "onehot" && o.x !== "whitened") {
    throw new UsageError(`--x must be onehot or whitened (got ${JSON.stringify(o.x)})`);
  }
  const layout = o.layout;
  if (layout !== undefined && layout !== "channels-last" && layout !== "channels-first") {
    throw new UsageError(
      `--layout must be channels-last or channels-first (got ${JSON.stringify(layout)})`,
    );
  }
  const { grammar, options } = sampleRequest(o);
  const x = o.x === undefined ? {} : { x: o.x, ...(layout === undefined ? {} : { layout }) };
  return usage(() => writeNpy(out, grammar, { ...options, ...x }));
}

/** The `sample` command: `--format jsonl` (default, stdout or `--out FILE`) or `npy`. */
function sampleCommand(o: SampleCliOptions): void {
  const format = o.format ?? "jsonl";
  if (format === "npy") {
    const meta = sampleCommandNpy(o);
    console.log(`wrote ${o.out}/ (${[...Object.keys(meta.files), "meta.json"].join(", ")})`);
  } else if (format === "jsonl") emit(sampleCommandLines(o), o.out);
  else throw new UsageError(`--format must be jsonl or npy (got ${JSON.stringify(format)})`);
}

/**
 * Registers `grammar` and `sample` on the program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Command } from "@commander-js/extra-typings";
 * import { registerGrammarCommands } from "./grammar.ts";
 * const program = new Command();
 * registerGrammarCommands(program);
 * assert.ok(program.commands.map((c) => c.name()).join() === "grammar,sample");
 * ```
 */
export function registerGrammarCommands(program: Command): void {
  addParamOptions(
    program.command("grammar").description("print a grammar as one JSON object"),
  )
    .option("--out <file>", "write to FILE instead of stdout")
    .action((opts) => {
      const o = opts as ParamOptions & { out?: string };
      const params = paramsFromOptions(o);
      const grammar = usage(() => makeGrammar(params));
      emit([JSON.stringify(grammarJson(grammar)) + "\n"], o.out);
    });
  addParamOptions(
    program.command("sample").description(
      "print data as JSON lines {label, tokens[, transformed]}, or write them as NumPy files",
    ),
  )
    .option("--count <N>", "how many data (required)", integer(0))
    .option(
      "--sample-seed <K>",
      "seed of the draw and of the transformation (default 0)",
      integer(0),
    )
    .option("--mode <mode>", "distinct (default) or iid")
    .option("--balanced", "exactly count/nc data per class")
    .option("--transform <kind>", "also print a transformed copy: diffeo or synonym")
    .option("--level <l>", "level of the transformation, 1..L")
    .option("--variant <v>", "synonym: other (default) or redraw")
    .option("--cumulative", "transform levels 1..l")
    .option("--format <format>", "jsonl (default: JSON lines) or npy (NumPy files in --out DIR)")
    .option("--x <encoding>", "npy: also write x.npy, the input encoded onehot or whitened")
    .option("--layout <layout>", "x.npy: channels-last [count, d, v] (default) or channels-first")
    .option("--out <path>", "jsonl: write to FILE instead of stdout; npy: the directory")
    .action((opts) => sampleCommand(opts as SampleCliOptions));
}
