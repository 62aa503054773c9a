import assert from "node:assert/strict";
import fc from "fast-check";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import {
  type Cell,
  flattenRecord,
  recordsTable,
  resultsTable,
  type Table,
  toCsv,
  toParquet,
} from "../experiments/export.ts";
import { makeRun } from "../experiments/plan.ts";
import { formatResult, parseResults, type ResultLine } from "../experiments/store.ts";
import { tinyRunSpec } from "./fixtures.ts";
import { findPython, runPython } from "./python_env.ts";
import { cliProcess } from "./cli_process.ts";

const CHECK_TABLE = new URL("./python/check_table.py", import.meta.url).pathname;
const FC = { seed: 42, numRuns: 60 } as const;

const cli = cliProcess;

/** A results line of a tiny run with sensitivities (L = 2: 3 x 2 tables), and extra run fields. */
function resultLine(i: number, over: Partial<ResultLine> = {}, extra = {}): ResultLine {
  const run = makeRun(tinyRunSpec({ P: 8 * (i + 1), seed: i, measure: { sensitivities: true } }));
  const table = (k: number) =>
    Array.from(
      { length: 3 },
      (_, a) => Array.from({ length: 2 }, (_, b) => k / (1 + a + 3 * b + i)),
    );
  return {
    id: run.id,
    status: "ok",
    run: { ...run, ...extra },
    backend: "cpu",
    versions: { srhm: "0.1.0", deno: "2.9.6", tfjs: "4.22.0" },
    timings: { startedAt: `2026-12-01T00:00:0${i % 10}.000Z`, sample: 0.001 * i, total: 0.1 + i },
    metrics: {
      testError: 0.5 / (i + 1),
      trainLoss: 1 / 3 + i,
      epochs: 2,
      trainStatus: "max-epochs",
      S: table(1),
      D: i === 2 ? [[Infinity, NaN], [0, 1], [-0.5, 2]] : table(2),
    },
    ...over,
  };
}

/** The value at a flattened column name in a record (index segments 1-based into arrays). */
function lookup(record: unknown, column: string): unknown {
  let x: unknown = record;
  for (const seg of column.split(".")) {
    if (Array.isArray(x)) x = x[Number(seg) - 1];
    else if (typeof x === "object" && x !== null) x = (x as Record<string, unknown>)[seg];
    else return undefined;
  }
  return x;
}

const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.string({ maxLength: 6 }),
    fc.constant(null),
    fc.array(fc.double(), { maxLength: 4 }),
    fc.array(fc.array(fc.integer(), { maxLength: 3 }), { maxLength: 3 }),
    fc.array(fc.record({ e: fc.integer() }), { minLength: 1, maxLength: 2 }),
    fc.dictionary(fc.stringMatching(/^[a-zA-Z]{1,5}$/), tie("value"), { maxKeys: 4 }),
  ),
})).value;

const records = fc.array(
  fc.dictionary(fc.stringMatching(/^[a-zA-Z]{1,5}$/), jsonValue, { maxKeys: 5 }),
  { minLength: 1, maxLength: 6 },
);

Deno.test("recordsTable: every leaf of every record is its cell; nothing else is in the table", () => {
  fc.assert(
    fc.property(records, (rs) => {
      const t = recordsTable(rs);
      assert.equal(new Set(t.columns).size, t.columns.length);
      rs.forEach((r, i) => {
        const flat = new Map(flattenRecord(r));
        t.columns.forEach((c, j) => {
          const cell = t.rows[i][j];
          if (!flat.has(c)) return assert.equal(cell, null, c);
          const want = flat.get(c)!;
          // a string column holds every value as text; a numeric array entry is that number
          if (t.types[j] === "string" && want !== null) assert.equal(cell, String(want));
          else assert.ok(Object.is(cell, want), `${c}: ${cell} vs ${want}`);
          const raw = lookup(r, c);
          if (raw !== undefined && !Array.isArray(raw)) {
            assert.ok(Object.is(raw, want) || typeof raw === "object");
          }
        });
        for (const [c] of flat) assert.ok(t.columns.includes(c), c);
      });
    }),
    FC,
  );
});

Deno.test("resultsTable: one row per run; every S_{k,l}, D_{k,l}, parameter and new field a column", () => {
  const lines = [0, 1, 2, 3].map((i) => resultLine(i));
  // a protocol field that did not exist before, on one run only, and a failed then ok duplicate
  lines.push(resultLine(4, {}, { training: { ...lines[0].run.training, lrSchedule: "cosine" } }));
  const failed = resultLine(1, { status: "failed", reason: "boom", metrics: null });
  const t = resultsTable([failed, ...lines]);
  assert.equal(t.rows.length, 5);
  for (const k of [1, 2, 3]) {
    for (const l of [1, 2]) {
      assert.ok(
        t.columns.includes(`metrics.S.${k}.${l}`) && t.columns.includes(`metrics.D.${k}.${l}`),
      );
    }
  }
  for (
    const c of [
      "run.params.L",
      "run.params.s0",
      "run.network.width",
      "run.training.lr",
      "run.training.lrSchedule",
      "run.P",
      "metrics.testError",
      "timings.total",
      "versions.tfjs",
    ]
  ) assert.ok(t.columns.includes(c), c);
  const col = (c: string) => t.rows.map((r) => r[t.columns.indexOf(c)]);
  assert.deepEqual(col("run.training.lrSchedule"), [null, null, null, null, "cosine"]);
  assert.deepEqual(col("status"), ["ok", "ok", "ok", "ok", "ok"]);
  assert.ok(!t.columns.includes("reason"));
  assert.ok(Object.is(col("metrics.D.1.1")[2], Infinity) && Number.isNaN(col("metrics.D.1.2")[2]));
  assert.equal(t.types[t.columns.indexOf("run.params.L")], "int");
  assert.equal(t.types[t.columns.indexOf("metrics.epochs")], "double");
  assert.equal(t.types[t.columns.indexOf("run.measure.sensitivities")], "boolean");
  // columns grouped by top-level field, in the results line's order
  const heads = [...new Set(t.columns.map((c) => c.split(".")[0]))];
  assert.deepEqual(heads, ["id", "status", "run", "backend", "versions", "timings", "metrics"]);
});

function cellOf(v: unknown): Cell {
  return typeof v === "bigint" ? Number(v) : v === undefined ? null : v as Cell;
}

Deno.test("toParquet: read back with hyparquet, every cell and type exact", async () => {
  const lines = [0, 1, 2, 3, 4].map((i) => resultLine(i));
  lines.push(resultLine(5, { status: "failed", reason: 'a "quoted", reason', metrics: null }));
  const t = resultsTable(lines);
  const bytes = toParquet(t);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const rows = await parquetReadObjects({ file: file as ArrayBuffer });
  assert.equal(rows.length, t.rows.length);
  rows.forEach((row, i) => {
    assert.deepEqual(Object.keys(row), [...t.columns]);
    t.columns.forEach((c, j) => assert.ok(Object.is(cellOf(row[c]), t.rows[i][j]), `${i} ${c}`));
  });
  const schema = parquetMetadata(file as ArrayBuffer).schema.slice(1);
  const want = { int: "INT64", double: "DOUBLE", boolean: "BOOLEAN", string: "BYTE_ARRAY" };
  assert.deepEqual(schema.map((s) => s.type), t.types.map((x) => want[x]));
});

Deno.test("toCsv: RFC 4180 quoting, one line per run, non-finite numbers as NaN/inf", () => {
  const t: Table = {
    columns: ["a", "b,c", "d"],
    types: ["double", "string", "boolean"],
    rows: [[NaN, 'x "y"', true], [-Infinity, "line\nbreak", null], [0.1 + 0.2, " pad", false]],
  };
  assert.equal(
    toCsv(t),
    'a,"b,c",d\nNaN,"x ""y""",true\n-inf,"line\nbreak",\n0.30000000000000004," pad",false\n',
  );
});

const pandas = findPython(["pandas"]);
if ("reason" in pandas) {
  console.warn(`export_test: the pandas read-back test skips: ${pandas.reason}`);
}

Deno.test({
  name:
    "export CLI: CSV read back with pandas (exact cells, dtypes); Parquet with pandas if it can",
  ignore: "reason" in pandas,
  fn: async () => {
    const exe = "exe" in pandas ? pandas.exe : "";
    const dir = Deno.makeTempDirSync();
    try {
      const lines = [0, 1, 2, 3, 4].map((i) => resultLine(i));
      const failed = resultLine(5, { status: "failed", reason: 'out, of "memory"', metrics: null });
      await Deno.mkdir(`${dir}/shards`);
      await Deno.writeTextFile(
        `${dir}/results.jsonl`,
        lines.slice(0, 3).map(formatResult).join("\n") + "\n",
      );
      await Deno.writeTextFile(
        `${dir}/shards/task-0-of-1.jsonl`,
        [...lines.slice(2), failed].map(formatResult).join("\n") + "\n",
      );
      // as the command reads them (the store fills the protocol fields an older line lacks)
      const read = parseResults([...lines, failed].map(formatResult).join("\n")).results;
      const t = resultsTable(read);
      const nonFinite = (v: Cell) => typeof v === "number" && !Number.isFinite(v) ? String(v) : v;
      await Deno.writeTextFile(
        `${dir}/expected.json`,
        JSON.stringify({
          columns: t.columns,
          types: t.types,
          rows: t.rows.map((r) => r.map(nonFinite)),
        }),
      );
      for (const format of ["csv", "parquet"]) {
        const r = await cli(["export", dir, "--format", format]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(
          r.stdout,
          new RegExp(`wrote .*results\\.${format} \\(6 runs, ${t.columns.length} columns\\)`),
        );
      }
      const py = await runPython(exe, CHECK_TABLE, [
        `${dir}/results.csv`,
        `${dir}/expected.json`,
        `${dir}/results.parquet`,
      ]);
      assert.equal(py.code, 0, py.stderr);
      const report = JSON.parse(py.stdout);
      assert.equal(report.rows, 6);
      console.log(`export_test: pandas ${report.pandas} checked ${report.checked.join("; ")}`);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

Deno.test("export CLI: an unknown format, a missing directory, no results exit 2 with one line", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    for (
      const [args, why] of [
        [["export", dir, "--format", "xlsx"], /--format must be csv or parquet/],
        [["export", `${dir}/none`], /no such results/],
        [["export", dir], /no results in/],
      ] as const
    ) {
      const r = await cli([...args]);
      assert.equal(r.code, 2, args.join(" "));
      assert.equal(r.stdout, "");
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, why);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
