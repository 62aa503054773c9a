"""Reads a results table written by `export --format csv` back with pandas and checks it.

    python3 check_table.py TABLE.csv EXPECTED.json [TABLE.parquet]

EXPECTED.json holds {"columns", "types", "rows"} (the table as srhm built it; non-finite numbers
as the strings "NaN", "Infinity", "-Infinity"). Checks the column names and order, each
column's pandas dtype (int -> int64, or float64 where a value is missing; double -> float64;
boolean -> bool, or object where one is missing; string -> object), and every cell exactly
(floats read with float_precision="round_trip"). With TABLE.parquet, and where pandas has a
Parquet engine (pyarrow or fastparquet), the same checks on it; else says that it skipped it.
Prints one JSON object; exits 1 on the first failure.
"""
import json
import math
import sys

import pandas as pd

NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def fail(message):
    print(f"check_table: {message}", file=sys.stderr)
    sys.exit(1)


def same(got, want):
    if want is None:
        return got is None or (isinstance(got, float) and math.isnan(got))
    if isinstance(want, bool):
        return bool(got) == want and not (isinstance(got, float) and math.isnan(got))
    if isinstance(want, (int, float)):
        if isinstance(got, str):
            return False
        if math.isnan(want):
            return math.isnan(got)
        return float(got) == float(want)
    return got == want


def check_frame(df, expected, label):
    columns, types, rows = expected["columns"], expected["types"], expected["rows"]
    if list(df.columns) != columns:
        fail(f"{label}: columns {list(df.columns)[:5]}... differ from {columns[:5]}...")
    if len(df) != len(rows):
        fail(f"{label}: {len(df)} rows, expected {len(rows)}")
    for j, (name, kind) in enumerate(zip(columns, types)):
        col = df[name]
        missing = any(r[j] is None for r in rows)
        want = {
            "int": "float64" if missing else "int64",
            "double": "float64",
            "boolean": "object" if missing else "bool",
            "string": "object",
        }[kind]
        if str(col.dtype) != want:
            fail(f"{label}: column {name} has dtype {col.dtype}, expected {want}")
        for i, r in enumerate(rows):
            w = r[j]
            if kind in ("int", "double") and isinstance(w, str):
                w = NON_FINITE[w]
            g = col.iloc[i]
            g = None if g is None else (g.item() if hasattr(g, "item") else g)
            if not same(g, w):
                fail(f"{label}: row {i} column {name}: {g!r} != {w!r}")


def main():
    if len(sys.argv) not in (3, 4):
        fail("usage: check_table.py TABLE.csv EXPECTED.json [TABLE.parquet]")
    with open(sys.argv[2]) as f:
        expected = json.load(f)
    df = pd.read_csv(sys.argv[1], float_precision="round_trip")
    check_frame(df, expected, "csv")
    checked = ["csv"]
    if len(sys.argv) == 4:
        try:
            frame = pd.read_parquet(sys.argv[3])
        except ImportError as e:
            checked.append(f"parquet skipped: {str(e).splitlines()[0]}")
        else:
            check_frame(frame, expected, "parquet")
            checked.append("parquet")
    print(json.dumps({"rows": len(df), "columns": len(df.columns), "checked": checked,
                      "pandas": pd.__version__}))


if __name__ == "__main__":
    main()
