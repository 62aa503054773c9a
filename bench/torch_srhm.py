#!/usr/bin/env python3
"""The PyTorch peer of srhm's benchmarks, written for this repository from the model's definition
(docs/protocol.md): SRHM data drawn and encoded with tensor operations, and the paper's CNN trained
with SGD and momentum, timed the way bench/generators_oneshot.ts and bench/networks_bench.ts time
ours. It prints one JSON line.

  /usr/bin/python3 bench/torch_srhm.py gen --L 3 --s0 1 --v 8 --P 100000 [--sparsity A|B]
      [--encoding onehot|whitened] [--threads 1]
  /usr/bin/python3 bench/torch_srhm.py train --L 3 --s0 1 --v 8 --width 512 --batch 128
      --steps 100 [--layer linear|conv1d] [--threads 1]
  /usr/bin/python3 bench/torch_srhm.py check

check: draws data of four small grammars and decodes every datum back to its label through the
grammar (as the definition requires), and checks that the two layer forms give the same logits.

gen: a warm-up draw of 1000 data, then one timed draw of P data (i.i.d., as the authors' SRHM code
draws them) and their encoding into a fresh float32 tensor [P, v, d] (channels first, as
torch.nn.functional.conv1d takes it). Fields: gen_samples_per_s = P / gen_s, tokens_s (drawing
the symbols and their positions), gen_s (drawing + encoding).

train: the CNN of docs/protocol.md (filter = stride = S = s (s0+1), L hidden layers of width H,
pre-activation W.patch / sqrt(c_in) + 0.1 b[h, position], ReLU, readout h.beta / H,
N(0, 1) parameters), cross-entropy, SGD with momentum 0.9 at lr x H, on batches of `batch` data
drawn from the grammar (4 batches, cycled). `--layer linear` computes a layer as a reshape and one
matrix product, `--layer conv1d` as a strided convolution: the same map. After 5 warm-up steps,
`steps` timed steps. Fields: samples_per_s, gflops (3 x the forward products' FLOPs per sample, as
bench/networks_bench.ts counts them), loss_first, loss_last.

Requires Debian's python3-torch (run it with /usr/bin/python3). Set OMP_WAIT_POLICY=PASSIVE and
OPENBLAS_CORETYPE as bench/compare_torch.sh does.
"""
import argparse
import json
import math
import time

import torch
import torch.nn.functional as F


def make_grammar(L, s, v, m, nc, gen):
    """rules[l] for levels l = 1..L (index l-1): [parents, m, s] symbols; parents = nc at the top,
    v below. Each level draws parents * m distinct s-tuples of [0, v^s) (so the grammar is
    unambiguous) and gives each parent m of them."""
    rules = []
    for level in range(1, L + 1):
        parents = nc if level == L else v
        codes = torch.randperm(v ** s, generator=gen)[: parents * m]
        digits = torch.stack([(codes // v ** (s - 1 - j)) % v for j in range(s)], dim=1)
        rules.append(digits.reshape(parents, m, s))
    return rules


def draw(rules, P, s, s0, sparsity, gen):
    """P data, i.i.d.: labels [P], informative symbols [P, s^L] and their positions [P, s^L] in
    [0, d), d = (s (s0+1))^L. Top-down: each informative node picks one of its m productions and
    places its s children in its patch of S slots (A: child j at a uniform slot of sub-patch j;
    B: a uniform order-preserving choice of s slots out of S)."""
    L = len(rules)
    S = s * (s0 + 1)
    labels = torch.randint(rules[-1].shape[0], (P,), generator=gen)
    symbols = labels[:, None]
    positions = torch.zeros(P, 1, dtype=torch.long)
    m = rules[0].shape[1]
    for level in range(L, 0, -1):
        nodes = symbols.shape[1]
        choice = torch.randint(m, (P, nodes), generator=gen)
        children = rules[level - 1][symbols, choice]  # [P, nodes, s]
        if sparsity == "A":
            offset = torch.arange(s) * (s0 + 1)
            slots = offset + torch.randint(s0 + 1, (P, nodes, s), generator=gen)
        else:
            keys = torch.rand(P, nodes, S, generator=gen)
            slots = keys.topk(s, dim=2).indices.sort(dim=2).values
        positions = (positions[:, :, None] * S + slots).reshape(P, nodes * s)
        symbols = children.reshape(P, nodes * s)
    return labels, symbols, positions


def encode(symbols, positions, v, d, encoding):
    """One-hot [P, v, d] (an empty position is the zero column); whitened: z (1 + a) - a with
    a = 1 / sqrt(v - 1)."""
    P = symbols.shape[0]
    x = torch.zeros(P, v, d)
    rows = torch.arange(P)[:, None].expand_as(symbols)
    x[rows, symbols, positions] = 1.0
    if encoding == "whitened":
        a = 1.0 / math.sqrt(v - 1)
        x.mul_(1.0 + a).sub_(a)
    return x


class Cnn(torch.nn.Module):
    """The hierarchical CNN, mean-field, one bias per (channel, position)."""

    def __init__(self, L, S, v, nc, H, layer, gen):
        super().__init__()
        self.S, self.H, self.layer = S, H, layer
        self.weights = torch.nn.ParameterList()
        self.biases = torch.nn.ParameterList()
        c_in, length = v, S ** L
        for _ in range(L):
            length //= S
            self.weights.append(torch.nn.Parameter(torch.randn(H, c_in, S, generator=gen)))
            self.biases.append(torch.nn.Parameter(torch.randn(H, length, generator=gen)))
            c_in = H
        self.beta = torch.nn.Parameter(torch.randn(H, nc, generator=gen))

    def forward(self, x):  # x: [B, v, d]
        for W, b in zip(self.weights, self.biases):
            c_in = W.shape[1]
            if self.layer == "conv1d":
                pre = F.conv1d(x, W, stride=self.S)  # [B, H, positions]
            else:
                B, _, length = x.shape
                patches = x.reshape(B, c_in, length // self.S, self.S).permute(0, 2, 1, 3)
                pre = patches.reshape(-1, c_in * self.S) @ W.reshape(self.H, -1).t()
                pre = pre.reshape(B, length // self.S, self.H).permute(0, 2, 1)
            x = torch.relu(pre / math.sqrt(c_in) + 0.1 * b)
        return x.flatten(1) @ self.beta / self.H  # the last layer has one position


def check(o, gen):
    """Checks the peer against the definition: every datum decodes bottom-up to its label through
    the grammar (each non-empty patch holds exactly s symbols, placed as the sparsity allows, that
    form one production), the encodings hold s^L ones, and the two layer forms compute the same
    logits. Prints one JSON line; exits with 1 on a mismatch."""
    failures = []
    for L, s, s0, v, sparsity in [(2, 2, 1, 4, "A"), (3, 2, 1, 8, "B"), (2, 3, 2, 3, "A"), (2, 2, 0, 4, "A")]:
        m, nc = v ** (s - 1), v
        S, d = s * (s0 + 1), (s * (s0 + 1)) ** L
        rules = make_grammar(L, s, v, m, nc, gen)
        parent = [{tuple(rules[l][p, k].tolist()): p for p in range(rules[l].shape[0]) for k in range(m)}
                  for l in range(L)]
        labels, sym, pos = draw(rules, 200, s, s0, sparsity, gen)
        x = encode(sym, pos, v, d, "onehot")
        for i in range(200):
            string = [-1] * d
            for a, b in zip(sym[i].tolist(), pos[i].tolist()):
                string[b] = a
            for level in range(L):
                up = []
                for j in range(0, len(string), S):
                    filled = [(k, c) for k, c in enumerate(string[j:j + S]) if c != -1]
                    if not filled:
                        up.append(-1)
                        continue
                    ok = len(filled) == s and (sparsity == "B" or all(
                        k // (s0 + 1) == n for n, (k, _) in enumerate(filled)))
                    up.append(parent[level].get(tuple(c for _, c in filled), -2) if ok else -2)
                string = up
            if string != [labels[i].item()] or x[i].sum().item() != s ** L:
                failures.append(f"L={L} s={s} s0={s0} v={v} {sparsity}: datum {i} does not decode")
                break
        if s == 2 and s0 == 1 and v == 4:
            nets = [Cnn(L, S, v, nc, 16, layer, torch.Generator().manual_seed(1))
                    for layer in ("linear", "conv1d")]
            a, b = (net(x[:32]) for net in nets)
            if not torch.allclose(a, b, atol=1e-5):
                failures.append("linear and conv1d layers disagree")
    print(json.dumps({"task": "check", "impl": "torch", "ok": not failures, "failures": failures}))
    if failures:
        raise SystemExit(1)


def flops_per_sample(L, S, v, nc, H):
    forward, c_in, length = 0, v, S ** L
    for _ in range(L):
        length //= S
        forward += 2 * length * S * c_in * H
        c_in = H
    return 3 * (forward + 2 * H * nc)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("task", choices=["gen", "train", "check"])
    p.add_argument("--L", type=int, default=3)
    p.add_argument("--s", type=int, default=2)
    p.add_argument("--s0", type=int, default=1)
    p.add_argument("--v", type=int, default=8, help="v = m = nc (the paper's maximal case, s = 2)")
    p.add_argument("--sparsity", choices=["A", "B"], default="A")
    p.add_argument("--encoding", choices=["onehot", "whitened"], default="onehot")
    p.add_argument("--P", type=int, default=100000)
    p.add_argument("--width", type=int, default=512)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--lr", type=float, default=0.01, help="base rate (x H); no effect on speed")
    p.add_argument("--layer", choices=["linear", "conv1d"], default="linear")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    o = p.parse_args()
    torch.set_num_threads(o.threads)
    gen = torch.Generator().manual_seed(o.seed)
    s, v = o.s, o.v
    m, nc = v ** (s - 1), v
    S, d = s * (o.s0 + 1), (s * (o.s0 + 1)) ** o.L
    rules = make_grammar(o.L, s, v, m, nc, gen)
    if o.task == "check":
        check(o, gen)
        return
    common = {"task": o.task, "impl": "torch", "torch": torch.__version__, "L": o.L, "s": s,
              "s0": o.s0, "v": v, "threads": o.threads}
    if o.task == "gen":
        _, sym, pos = draw(rules, 1000, s, o.s0, o.sparsity, gen)
        encode(sym, pos, v, d, o.encoding)
        t0 = time.perf_counter()
        _, sym, pos = draw(rules, o.P, s, o.s0, o.sparsity, gen)
        t1 = time.perf_counter()
        x = encode(sym, pos, v, d, o.encoding)
        t2 = time.perf_counter()
        assert x.shape == (o.P, v, d)
        print(json.dumps({**common, "sparsity": o.sparsity, "encoding": o.encoding, "P": o.P,
                          "tokens_s": round(t1 - t0, 4), "gen_s": round(t2 - t0, 4),
                          "gen_samples_per_s": round(o.P / (t2 - t0), 1)}))
        return
    labels, sym, pos = draw(rules, 4 * o.batch, s, o.s0, "A", gen)
    x = encode(sym, pos, v, d, "onehot")
    batches = [(x[i * o.batch:(i + 1) * o.batch], labels[i * o.batch:(i + 1) * o.batch])
               for i in range(4)]
    net = Cnn(o.L, S, v, nc, o.width, o.layer, gen)
    opt = torch.optim.SGD(net.parameters(), lr=o.lr * o.width, momentum=0.9)

    def step(k):
        xb, yb = batches[k % 4]
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(xb), yb)
        loss.backward()
        opt.step()
        return loss.item()

    loss_first = step(0)
    for k in range(1, 5):
        step(k)
    t0 = time.perf_counter()
    loss_last = loss_first
    for k in range(o.steps):
        loss_last = step(5 + k)
    seconds = time.perf_counter() - t0
    sps = o.steps * o.batch / seconds
    flops = flops_per_sample(o.L, S, v, nc, o.width)
    print(json.dumps({**common, "layer": o.layer, "width": o.width, "batch": o.batch,
                      "steps": o.steps, "seconds": round(seconds, 3),
                      "samples_per_s": round(sps, 1),
                      "mflop_per_sample": round(flops / 1e6, 2),
                      "gflops": round(flops * sps / 1e9, 2), "loss_first": round(loss_first, 6),
                      "loss_last": round(loss_last, 6)}))


if __name__ == "__main__":
    main()
