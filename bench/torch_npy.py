"""The PyTorch peer of srhm's NPY writing (issue 15): SRHM data drawn by our own PyTorch generator
(bench/torch_srhm.py's make_grammar and draw, written for this repository from the model's
definition), rendered as the arrays srhm writes, and saved with numpy.save.

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch_npy.py [--P 1000000] [--L 3] [--s0 1]
        [--v 8] [--threads 1] [--out DIR] [--anchor PATH]

Times, after a warm-up draw of 1000 data: the draw of a grammar and of P data, i.i.d. (labels [P]
and the s^L informative symbols with their positions, int64, as bench/torch_srhm.py draws them,
sparsity A), then their rendering into the arrays srhm writes (tokens int8 [P, d] with -1 = empty,
labels int8 [P]), then numpy.save of those two into DIR. Prints one JSON line: seconds of each stage
(gen_s, convert_s, save_s, total_s), the bytes written, and the MB/s and CPU seconds (user +
system) of the three together (the figures compared with srhm's `sample --format npy`, i.e.
bench/npy_oneshot.ts). m = nc = v, s = 2, one thread by default.

--anchor PATH (or $TORCH_BENCH) times another generator instead: a script outside the repository
with sample_rules(v, m, nc, s, L, gen) and sample_srhm(rules, v, m, nc, s, s0, L, P, gen) returning
tokens [P, d] int64 with the empty symbol = v and labels [P] int64 (the PyTorch anchor that the first
figures of BENCHMARKS.md used); it is imported, not copied. Then save_int64_s and bytes_int64 also
give numpy.save of its own int64 arrays.
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

import torch_srhm


def load_anchor(path):
    spec = importlib.util.spec_from_file_location("torch_bench_anchor", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ours(L, s0, v, s):
    """Our generator: draw(P, gen) -> (labels int64 [P], tokens int8 [P, d] with -1 = empty), and the
    time at which the drawing ended and the rendering began."""
    m, nc, d = v ** (s - 1), v, (s * (s0 + 1)) ** L

    def run(P, gen):
        rules = torch_srhm.make_grammar(L, s, v, m, nc, gen)
        labels, symbols, positions = torch_srhm.draw(rules, P, s, s0, "A", gen)
        drawn = time.perf_counter()
        tokens = torch.full((P, d), -1, dtype=torch.int8)
        tokens.scatter_(1, positions, symbols.to(torch.int8))
        return tokens.numpy(), labels.to(torch.int8).numpy(), drawn, None

    return run


def anchored(tb, L, s0, v, s):
    """The anchor's generator, its int64 arrays (empty = v) converted to srhm's int8 arrays."""

    def run(P, gen):
        rules = tb.sample_rules(v, v, v, s, L, gen)
        tok, y = tb.sample_srhm(rules, v, v, v, s, s0, L, P, gen)
        drawn = time.perf_counter()
        raw_tokens, raw_labels = tok.numpy(), y.numpy()
        tokens = np.where(raw_tokens == v, -1, raw_tokens).astype(np.int8)
        return tokens, raw_labels.astype(np.int8), drawn, (raw_tokens, raw_labels)

    return run


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--P", type=int, default=1_000_000)
    p.add_argument("--L", type=int, default=3)
    p.add_argument("--s0", type=int, default=1)
    p.add_argument("--v", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--out", default=None, help="where to write (default: a fresh temp dir, removed)")
    p.add_argument("--anchor", default=os.environ.get("TORCH_BENCH") or None,
                   help="time this script's generator instead of ours (default: $TORCH_BENCH)")
    a = p.parse_args()
    if a.P < 1:
        p.error(f"--P must be >= 1 (got {a.P})")
    if a.anchor and not os.path.isfile(a.anchor):
        p.error(f"--anchor (or $TORCH_BENCH) must name a file (got {a.anchor})")
    torch.set_num_threads(a.threads)
    s, v = 2, a.v
    generate = anchored(load_anchor(a.anchor), a.L, a.s0, v, s) if a.anchor else ours(a.L, a.s0, v, s)
    out = a.out or tempfile.mkdtemp(prefix="torch-npy-")
    os.makedirs(out, exist_ok=True)
    try:
        generate(1000, torch.Generator().manual_seed(12345))  # warm-up

        gen = torch.Generator().manual_seed(a.seed)
        c0 = time.process_time()
        t0 = time.perf_counter()
        tokens, labels, t1, raw = generate(a.P, gen)
        t2 = time.perf_counter()
        np.save(os.path.join(out, "tokens.npy"), tokens)
        np.save(os.path.join(out, "labels.npy"), labels)
        t3 = time.perf_counter()
        cpu = time.process_time() - c0
        written = sum(os.path.getsize(os.path.join(out, f)) for f in ("tokens.npy", "labels.npy"))
        total = t3 - t0
        result = {
            "impl": f"{'torch-anchor' if a.anchor else 'torch-srhm'}+numpy.save-t{a.threads}",
            "P": a.P, "L": a.L, "s0": a.s0, "v": v,
            "gen_s": round(t1 - t0, 4),
            "convert_s": round(t2 - t1, 4),
            "save_s": round(t3 - t2, 4),
            "total_s": round(total, 4),
            "bytes": written,
            "MBps": round(written / 1e6 / total, 1),
            "cpu_s": round(cpu, 3),
            "torch": torch.__version__,
            "numpy": np.__version__,
        }
        if raw is not None:
            np.save(os.path.join(out, "tokens_int64.npy"), raw[0])
            np.save(os.path.join(out, "labels_int64.npy"), raw[1])
            result["save_int64_s"] = round(time.perf_counter() - t3, 4)
            result["bytes_int64"] = sum(os.path.getsize(os.path.join(out, f))
                                        for f in ("tokens_int64.npy", "labels_int64.npy"))
        print(json.dumps(result))
    finally:
        if a.out is None:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
