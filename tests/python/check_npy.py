"""Reads a data set written by `sample --format npy` back with NumPy and checks it.

    python3 check_npy.py DIR JSONL

DIR holds tokens.npy, labels.npy (and x.npy, transformed.npy as meta.json lists them) and
meta.json; JSONL is the `sample` command's JSON-lines output for the same arguments. Checks, with
NumPy only: every file's dtype and shape (as meta.json says and as the format promises), the bytes
(equal to what numpy.save writes for the loaded array, header included), exact equality with the
JSON lines, x.npy equal to the encoding computed here from the tokens, and the SRHM invariant:
every datum (and every transformed datum) decodes bottom-up through the grammar's rules to its
label. Prints one JSON object of what was checked; exits 1 on the first failure.
"""
import io
import json
import math
import sys

import numpy as np


def fail(message):
    print(f"check_npy: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def decode(tokens, grammar):
    """Bottom-up decoding of every row of `tokens` ([n, d], -1 = empty); -1 where not a datum."""
    p = grammar["params"]
    L, s, s0, v, sparsity = p["L"], p["s"], p["s0"], p["v"], p["sparsity"]
    S = grammar["S"]
    n = tokens.shape[0]
    cur = tokens.astype(np.int64)
    ok = np.ones(n, dtype=bool)
    for level in range(1, L + 1):
        rules = grammar["rules"][level - 1]
        table = {}
        for parent, productions in enumerate(rules):
            for children in productions:
                code = 0
                for c in children:
                    code = code * v + c
                table[code] = parent
        patches = cur.reshape(n, cur.shape[1] // S, S)
        info = patches >= 0
        count = info.sum(axis=-1)
        ok &= np.all((count == 0) | (count == s), axis=-1)
        if sparsity == "A":
            per_sub = info.reshape(n, patches.shape[1], s, s0 + 1).sum(axis=-1)
            ok &= np.all((count == 0)[..., None] | (per_sub == 1), axis=(-2, -1))
        # the informative symbols of each patch, in position order
        order = np.argsort(~info, axis=-1, kind="stable")[..., :s]
        syms = np.take_along_axis(patches, order, axis=-1)
        codes = np.zeros(patches.shape[:2], dtype=np.int64)
        for j in range(s):
            codes = codes * v + np.where(syms[..., j] >= 0, syms[..., j], 0)
        parents = np.array([table.get(int(c), -2) for c in codes.ravel()], dtype=np.int64)
        parents = parents.reshape(codes.shape)
        parents = np.where(count == 0, -1, parents)
        ok &= np.all(parents != -2, axis=-1)
        cur = parents
    out = cur[:, 0]
    return np.where(ok, out, -1)


def npy_bytes(array):
    buf = io.BytesIO()
    np.save(buf, array)
    return buf.getvalue()


def main():
    if len(sys.argv) != 3:
        fail("usage: check_npy.py DIR JSONL")
    folder, jsonl = sys.argv[1], sys.argv[2]
    with open(f"{folder}/meta.json") as f:
        meta = json.load(f)
    grammar = meta["grammar"]
    p = grammar["params"]
    count, d, v, nc = meta["sample"]["count"], grammar["d"], p["v"], p["nc"]
    check(d == grammar["S"] ** p["L"], "d must be S^L")
    arrays = {}
    for name, spec in meta["files"].items():
        path = f"{folder}/{name}"
        a = np.load(path)
        arrays[name] = a
        check(a.dtype == np.dtype(spec["dtype"]), f"{name}: dtype {a.dtype}, meta says {spec['dtype']}")
        check(list(a.shape) == spec["shape"], f"{name}: shape {a.shape}, meta says {spec['shape']}")
        with open(path, "rb") as f:
            check(f.read() == npy_bytes(a), f"{name}: bytes differ from numpy.save's")
    tokens, labels = arrays["tokens.npy"], arrays["labels.npy"]
    check(tokens.dtype == (np.int8 if v <= 127 else np.int16), f"tokens dtype {tokens.dtype}")
    want = np.int8 if nc <= 128 else np.int16 if nc <= 32768 else np.int32
    check(labels.dtype == want, f"labels dtype {labels.dtype}")
    check(tokens.shape == (count, d) and labels.shape == (count,), "tokens/labels shapes")

    with open(jsonl) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    check(len(lines) == count, f"{len(lines)} JSON lines for count {count}")
    if count > 0:
        check(np.array_equal(labels, np.array([r["label"] for r in lines])), "labels != JSONL")
        check(np.array_equal(tokens, np.array([r["tokens"] for r in lines])), "tokens != JSONL")
    transformed = arrays.get("transformed.npy")
    if transformed is not None and count > 0:
        t = np.array([r["transformed"] for r in lines])
        check(np.array_equal(transformed, t), "transformed != JSONL")

    checked = ["dtypes", "shapes", "numpy.save bytes", "JSONL"]
    x = arrays.get("x.npy")
    if x is not None:
        onehot = tokens[:, :, None] == np.arange(v)[None, None, :]
        if meta["x"]["encoding"] == "whitened":
            expect = np.where(onehot, np.float32(1), np.float32(-1 / math.sqrt(v - 1)))
        else:
            expect = onehot.astype(np.float32)
        if meta["x"]["layout"] == "channels-first":
            expect = expect.transpose(0, 2, 1)
        check(np.array_equal(x, expect), "x.npy != the encoding of tokens.npy")
        checked.append(f"x {meta['x']['encoding']} {meta['x']['layout']}")

    decoded = decode(tokens, grammar)
    check(np.array_equal(decoded, labels.astype(np.int64)), "a datum does not decode to its label")
    checked.append("every datum decodes to its label")
    if transformed is not None:
        moved = decode(transformed, grammar)
        check(np.array_equal(moved, labels.astype(np.int64)), "a transformed datum changed label")
        checked.append("every transformed datum decodes to its label")
    # the decoder is not blind: moving every datum's informative symbols by one breaks it
    if count > 0:
        broken = np.where(tokens >= 0, (tokens.astype(np.int64) + 1) % v, -1)
        check(not np.array_equal(decode(broken, grammar), labels), "decoder accepted corrupted data")
    print(json.dumps({"count": int(count), "files": sorted(arrays), "checked": checked}))


if __name__ == "__main__":
    main()
