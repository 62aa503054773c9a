/**
 * Results as a table, for pandas and the like: one row per run, one column per field of the
 * results lines, flattened (`deno task experiment export DIR --format csv|parquet`).
 *
 * The columns are derived from the records themselves, not from a fixed list, so that a field
 * added to the results lines later appears as a column of its own:
 * - nested objects are flattened with `.` (`run.params.L`, `run.training.lr`, `versions.tfjs`,
 *   `timings.train`, `metrics.testError`);
 * - arrays of numbers, nested or not (the sensitivity tables), get one column per entry, indexed
 *   from 1: `metrics.S.k.l` is `S_{k,l}` (hidden layer `k`, `k = L + 1` the logits; level `l`),
 *   as long as they hold at most {@link MAX_EXPANDED} numbers; other arrays (of objects, of
 *   strings, or longer) are one column holding their JSON text;
 * - a null field is a missing one (a failed run's `metrics: null` makes no column);
 * - columns come in the order of the records' top-level fields, then of first appearance.
 *
 * A column's type: `boolean`, `int` (every value a safe integer, outside `metrics.*` and
 * `timings.*`, which are measurements and always `double`), `double`, or `string` (strings, or
 * a mix); a missing value is `null`. Non-finite measurements (`NaN`, `Infinity`, which the results
 * store writes as strings) are numbers again here.
 *
 * CSV: RFC 4180 (quotes where needed), `null` as an empty field, `NaN`, `inf`, `-inf`, `true`,
 * `false`, numbers in JavaScript's shortest round-trip form (pandas reads them back exactly with
 * `float_precision="round_trip"`). Parquet: written with `hyparquet-writer` (pure JavaScript; see
 * docs/experiments.md for why this library), `INT64`, `DOUBLE`, `BOOLEAN` and `STRING` columns,
 * all optional, snappy-compressed.
 *
 * @module
 */
import { parquetWriteBuffer } from "hyparquet-writer";
import { readResults, type ResultLine } from "./store.ts";
import { mergeResults } from "./collect.ts";
import { readSweepResults } from "./sweep_dir.ts";

/** One value of the table. */
export type Cell = number | string | boolean | null;

/** A column's type (Parquet: `INT64`, `DOUBLE`, `BOOLEAN`, `STRING`). */
export type ColumnType = "int" | "double" | "boolean" | "string";

/** A table: column names and types, and the rows (one cell per column, `null` when missing). */
export interface Table {
  /** The column names (dotted paths into a result line: `run.P`, `metrics.testError`, ...). */
  readonly columns: readonly string[];
  /** Each column's type, in the order of `columns`. */
  readonly types: readonly ColumnType[];
  /** The rows, one per result line, each with one cell per column. */
  readonly rows: readonly (readonly Cell[])[];
}

/** The export formats. */
export type TableFormat = "csv" | "parquet";

/** Largest number of entries of a numeric array spread into columns of their own. */
export const MAX_EXPANDED = 256;

/** The numbers of a (nested) array of numbers, with their 1-based index paths; null if not one. */
function numericLeaves(a: readonly unknown[]): [string, number | null][] | null {
  const out: [string, number | null][] = [];
  const walk = (x: unknown, path: string): boolean => {
    if (Array.isArray(x)) return x.every((y, i) => walk(y, `${path}.${i + 1}`));
    if (typeof x === "number" || x === null) {
      out.push([path, x]);
      return out.length <= MAX_EXPANDED;
    }
    return false;
  };
  return a.every((y, i) => walk(y, `${i + 1}`)) ? out : null;
}

/** A value as JSON text, non-finite numbers written as the results store does (`"NaN"`,
 * `formatResult`). */
function jsonText(x: unknown): string {
  return JSON.stringify(x, (_k, v) => typeof v === "number" && !Number.isFinite(v) ? String(v) : v);
}

/**
 * A record flattened into `[column, value]` pairs, in field order (see the module doc).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { flattenRecord } from "./export.ts";
 * const flat = flattenRecord({ run: { params: { L: 2 } }, metrics: { S: [[1, 2], [3, NaN]] } });
 * assert.deepEqual(flat, [
 *   ["run.params.L", 2],
 *   ["metrics.S.1.1", 1], ["metrics.S.1.2", 2], ["metrics.S.2.1", 3], ["metrics.S.2.2", NaN],
 * ]);
 * assert.deepEqual(flattenRecord({ h: [{ e: 1 }] }), [["h", '[{"e":1}]']]);
 * ```
 */
export function flattenRecord(record: unknown, prefix = ""): [string, Cell][] {
  const out: [string, Cell][] = [];
  const walk = (x: unknown, path: string): void => {
    // A missing or null field is a null cell: no column of its own (a failed run's `metrics`).
    if (x === undefined || x === null) return;
    if (typeof x === "number" || typeof x === "string" || typeof x === "boolean") {
      out.push([path, x]);
    } else if (Array.isArray(x)) {
      const leaves = numericLeaves(x);
      if (leaves === null) out.push([path, jsonText(x)]);
      else for (const [i, v] of leaves) out.push([`${path}.${i}`, v]);
    } else if (typeof x === "object") {
      for (const [k, v] of Object.entries(x)) walk(v, path === "" ? k : `${path}.${k}`);
    } else out.push([path, String(x)]);
  };
  walk(record, prefix);
  return out;
}

function columnType(name: string, values: readonly Cell[]): ColumnType {
  const present = values.filter((v) => v !== null);
  if (present.length > 0 && present.every((v) => typeof v === "boolean")) return "boolean";
  if (present.every((v) => typeof v === "number")) {
    const measured = name.startsWith("metrics.") || name.startsWith("timings.");
    const ints = present.every((v) => Number.isSafeInteger(v));
    return present.length > 0 && ints && !measured ? "int" : "double";
  }
  return "string";
}

/**
 * The table of a list of records: the union of their flattened fields as columns (see the module
 * doc for the order and the types).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordsTable } from "./export.ts";
 * const t = recordsTable([{ id: "a", run: { P: 8 } }, { id: "b", run: { P: 16, lr: 0.1 }, ok: true }]);
 * assert.deepEqual(t.columns, ["id", "run.P", "run.lr", "ok"]);
 * assert.deepEqual(t.types, ["string", "int", "double", "boolean"]);
 * assert.deepEqual(t.rows, [["a", 8, null, null], ["b", 16, 0.1, true]]);
 * ```
 */
export function recordsTable(records: readonly unknown[]): Table {
  const flat = records.map((r) => flattenRecord(r));
  const top = new Map<string, number>();
  const first = new Map<string, number>();
  for (const row of flat) {
    for (const [name] of row) {
      const head = name.split(".")[0];
      if (!top.has(head)) top.set(head, top.size);
      if (!first.has(name)) first.set(name, first.size);
    }
  }
  const columns = [...first.keys()].sort((a, b) =>
    top.get(a.split(".")[0])! - top.get(b.split(".")[0])! || first.get(a)! - first.get(b)!
  );
  const index = new Map(columns.map((c, i) => [c, i]));
  const rows = flat.map((row) => {
    const cells: Cell[] = new Array(columns.length).fill(null);
    for (const [name, value] of row) cells[index.get(name)!] = value;
    return cells;
  });
  const types = columns.map((c, j) => columnType(c, rows.map((r) => r[j])));
  const fixed = rows.map((r) =>
    r.map((v, j) => types[j] === "string" && v !== null ? String(v) : v)
  );
  return { columns, types, rows: fixed };
}

/**
 * One row per run: the results lines merged by id (the last `ok` line of a run, else its last
 * line), flattened into columns.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resultsTable } from "./export.ts";
 * const line = (status: "ok" | "failed", e: number | null) => ({ id: "x", status,
 *   run: { P: 8 } as never, backend: "cpu", versions: { tfjs: "4.22.0" }, timings: { total: 1 },
 *   metrics: e === null ? null : { testError: e, S: [[0.5, 0.25]] } });
 * const t = resultsTable([line("failed", null), line("ok", 0.5)]);
 * assert.ok(t.rows.length === 1);
 * assert.ok(t.columns.includes("metrics.S.1.2") && t.columns.includes("versions.tfjs"));
 * ```
 */
export function resultsTable(results: readonly ResultLine[]): Table {
  return recordsTable(mergeResults(results));
}

function csvCell(v: Cell): string {
  if (v === null) return "";
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "NaN";
    if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
    return String(v);
  }
  if (typeof v === "boolean") return v ? "true" : "false";
  return /[",\r\n]|^\s|\s$/.test(v) || v === "" ? `"${v.replaceAll('"', '""')}"` : v;
}

/**
 * A table as CSV text (RFC 4180, `\n` line ends, a header line of column names).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordsTable, toCsv } from "./export.ts";
 * const csv = toCsv(recordsTable([{ a: 1, b: 'say "hi", twice' }, { a: Infinity, c: true }]));
 * assert.equal(csv, 'a,b,c\n1,"say ""hi"", twice",\ninf,,true\n');
 * ```
 */
export function toCsv(table: Table): string {
  const lines = [table.columns.map(csvCell).join(",")];
  for (const row of table.rows) lines.push(row.map(csvCell).join(","));
  return lines.join("\n") + "\n";
}

const PARQUET_TYPE: Readonly<Record<ColumnType, "INT64" | "DOUBLE" | "BOOLEAN" | "STRING">> = {
  int: "INT64",
  double: "DOUBLE",
  boolean: "BOOLEAN",
  string: "STRING",
};

/**
 * A table as a Parquet file (one row group; `int` columns as `INT64`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordsTable, toParquet } from "./export.ts";
 * const bytes = toParquet(recordsTable([{ a: 1, b: "x" }, { a: 2, b: null }]));
 * const magic = new TextDecoder().decode(bytes.subarray(0, 4));
 * assert.ok(magic === "PAR1" && new TextDecoder().decode(bytes.subarray(-4)) === "PAR1");
 * ```
 */
export function toParquet(table: Table, createdBy = "srhm"): Uint8Array {
  const columnData = table.columns.map((name, j) => {
    const type = PARQUET_TYPE[table.types[j]];
    const values = table.rows.map((r) => r[j]);
    const data = type === "INT64"
      ? values.map((v) => v === null ? null : BigInt(v as number))
      : values;
    return { name, type, data };
  });
  return new Uint8Array(
    parquetWriteBuffer({ columnData, rowGroupSize: Math.max(1, table.rows.length), createdBy }),
  );
}

/** Where {@link exportResults} read and wrote. */
export interface ExportReport {
  /** The results files read. */
  readonly files: readonly string[];
  /** The file written. */
  readonly out: string;
  /** Rows written (one per result line kept). */
  readonly rows: number;
  /** Columns written. */
  readonly columns: number;
  /** What reading the results warned about (lines skipped or torn), each with its file. */
  readonly warnings: readonly string[];
}

/**
 * Reads the results of `target` (a sweep directory: its `results.jsonl` and `shards/*.jsonl`; or
 * one results file), and writes their table as `format` to `out` (default:
 * `results.csv` / `results.parquet` beside the results). Throws a `RangeError`, before writing,
 * on an unknown format or when there are no results.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { exportResults } from "./export.ts";
 * const dir = await Deno.makeTempDir();
 * const line = { id: "a", status: "ok", run: { P: 8 }, backend: "cpu", versions: {},
 *   timings: { total: 1 }, metrics: { testError: 0.5 } };
 * await Deno.writeTextFile(`${dir}/results.jsonl`, JSON.stringify(line) + "\n");
 * const report = await exportResults(dir, "csv");
 * assert.ok(report.rows === 1 && report.out === `${dir}/results.csv`);
 * const csv = await Deno.readTextFile(report.out);
 * // the store fills the protocol fields this old-style line lacks (run.measure.*, ...)
 * assert.match(csv, /^id,status,run\.P,.*,backend,timings\.total,metrics\.testError\n/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function exportResults(
  target: string,
  format: TableFormat,
  out?: string,
): Promise<ExportReport> {
  if (format !== "csv" && format !== "parquet") {
    throw new RangeError(`format must be csv or parquet (got ${JSON.stringify(format)})`);
  }
  const stat = await Deno.stat(target);
  let files: readonly string[];
  let results: readonly ResultLine[];
  let warnings: readonly string[];
  let dir: string;
  if (stat.isDirectory) {
    ({ files, results, warnings } = await readSweepResults(target));
    dir = target;
  } else {
    const found: string[] = [];
    results = await readResults(target, { onWarning: (w) => found.push(`${target}: ${w}`) });
    warnings = found;
    files = [target];
    const slash = target.lastIndexOf("/");
    dir = slash >= 0 ? target.slice(0, slash) || "/" : ".";
  }
  if (results.length === 0) throw new RangeError(`no results in ${target}`);
  const table = resultsTable(results);
  const file = out ?? `${dir.replace(/\/+$/, "")}/results.${format}`;
  if (format === "csv") await Deno.writeTextFile(file, toCsv(table));
  else await Deno.writeFile(file, toParquet(table, createdBy(results)));
  return { files, out: file, rows: table.rows.length, columns: table.columns.length, warnings };
}

/** `srhm <version>` from the results' versions (the first that says), else `srhm`. */
function createdBy(results: readonly ResultLine[]): string {
  const v = results.map((r) => r.versions?.srhm).find((x) => typeof x === "string");
  return v === undefined ? "srhm" : `srhm ${v}`;
}
