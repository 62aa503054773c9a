"""The PyTorch anchor's generation plus numpy.save of the same arrays (issue 15's peer).

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch_npy.py [--P 1000000] [--L 3] [--s0 1]
        [--v 8] [--threads 1] [--out DIR] [--anchor ../shared/anchors/torch_bench.py]

Imports the anchor (its path from --anchor or $TORCH_BENCH; it is not part of srhm and not
copied here) and times, after a small warm-up draw: its sampling of P data (tokens [P, d] int64
with the empty symbol = v, labels [P] int64), then the conversion to the arrays srhm writes
(tokens int8 with -1 = empty, labels int8), then numpy.save of those two into DIR. It also times
numpy.save of the anchor's own int64 arrays. Prints one JSON line: seconds of each stage, the
bytes written, and the MB/s and CPU seconds (user + system) of generation + conversion + save (the
figures compared with srhm's `sample --format npy`). m = nc = v, s = 2, sparsity A, one thread by
default.
"""
import argparse
import importlib.util
import json
import os
import shutil
import tempfile
import time

import numpy as np
import torch


def load_anchor(path):
    spec = importlib.util.spec_from_file_location("torch_bench_anchor", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [os.environ.get("TORCH_BENCH", ""),
                  os.path.join(here, "..", "..", "shared", "anchors", "torch_bench.py"),
                  "/work/shared/anchors/torch_bench.py"]
    default_anchor = next((c for c in candidates if c and os.path.exists(c)), candidates[1])
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--P", type=int, default=1_000_000)
    p.add_argument("--L", type=int, default=3)
    p.add_argument("--s0", type=int, default=1)
    p.add_argument("--v", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--out", default=None, help="where to write (default: a fresh temp dir, removed)")
    p.add_argument("--anchor", default=default_anchor)
    a = p.parse_args()
    tb = load_anchor(a.anchor)
    torch.set_num_threads(a.threads)
    s, v = 2, a.v
    out = a.out or tempfile.mkdtemp(prefix="torch-npy-")
    os.makedirs(out, exist_ok=True)
    try:
        warm = torch.Generator().manual_seed(12345)
        wr = tb.sample_rules(v, v, v, s, a.L, warm)
        tb.sample_srhm(wr, v, v, v, s, a.s0, a.L, 1000, warm)

        gen = torch.Generator().manual_seed(a.seed)
        c0 = time.process_time()
        t0 = time.perf_counter()
        rules = tb.sample_rules(v, v, v, s, a.L, gen)
        tok, y = tb.sample_srhm(rules, v, v, v, s, a.s0, a.L, a.P, gen)
        t1 = time.perf_counter()
        raw_tokens, raw_labels = tok.numpy(), y.numpy()
        tokens = np.where(raw_tokens == v, -1, raw_tokens).astype(np.int8)
        labels = raw_labels.astype(np.int8)
        t2 = time.perf_counter()
        np.save(os.path.join(out, "tokens.npy"), tokens)
        np.save(os.path.join(out, "labels.npy"), labels)
        t3 = time.perf_counter()
        cpu = time.process_time() - c0
        written = sum(os.path.getsize(os.path.join(out, f)) for f in ("tokens.npy", "labels.npy"))
        np.save(os.path.join(out, "tokens_int64.npy"), raw_tokens)
        np.save(os.path.join(out, "labels_int64.npy"), raw_labels)
        t4 = time.perf_counter()
        raw = sum(os.path.getsize(os.path.join(out, f))
                  for f in ("tokens_int64.npy", "labels_int64.npy"))
        total = t3 - t0
        print(json.dumps({
            "impl": f"torch-anchor+numpy.save-t{a.threads}",
            "P": a.P, "L": a.L, "s0": a.s0, "v": v,
            "gen_s": round(t1 - t0, 4),
            "convert_s": round(t2 - t1, 4),
            "save_s": round(t3 - t2, 4),
            "total_s": round(total, 4),
            "bytes": written,
            "MBps": round(written / 1e6 / total, 1),
            "cpu_s": round(cpu, 3),
            "save_int64_s": round(t4 - t3, 4),
            "bytes_int64": raw,
            "torch": torch.__version__,
            "numpy": np.__version__,
        }))
    finally:
        if a.out is None:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
