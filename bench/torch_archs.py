#!/usr/bin/env python3
"""The PyTorch peer of srhm's standard networks (the paper's Figure 1): VGG11, VGG16, ResNet18,
ResNet34 and EfficientNet-B0 in one dimension, written for this repository from srhm's own
definitions (networks/deep/*.ts, docs/networks.md), trained with srhm's step for these networks on
random one-hot inputs and timed. It prints one JSON line.

  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch_archs.py --arch vgg11 --v 10 --d 36
      --batch_size 128 --threads 1 [--width 64] [--steps 30] [--warmup 3] [--nc 10]
  /usr/bin/python3 bench/torch_archs.py --params [--arch vgg11] [--width 64] [--v 10] [--d 36]

Training: 8 batches of `batch_size` random one-hot inputs [batch, v, d] (a uniform token at each
position) and uniform labels are drawn once and cycled; `warmup` steps, then `steps` timed steps.
Fields: train_samples_per_s = steps x batch_size / the timed steps' wall clock, train_s, cpu_s
(user + system seconds of the timed steps), params, loss_first and loss_last (cross-entropy).
--params prints, for --arch (every network when it is not given), one JSON line with the number of
trainable numbers, which bench/compare_torch_archs.sh and tests/deep_networks_test.ts compare with
srhm's parameterCount.

What follows srhm's definitions (so that the two sides do the same work):
- The plans, as networks/deep/{vgg,resnet,efficientnetb0}.ts write them, built here from the same
  list of layer descriptions (`conv`, `depthwise`, `batchnorm`, `relu`, `swish`, `maxpool`,
  `meanpool`, `flatten`, `linear`, `dropout`, `excite`, `residual`):
  VGG: 3-wide convolutions (padding 1, with bias) + batch norm + ReLU, a max-pool of 2 (floor)
  after each stage, flatten + linear head. ResNet: 3-wide stem of 64 (no bias), basic blocks of two
  3-wide convolutions with batch norm, identity shortcut or a 1-wide strided projection with batch
  norm, ReLU after the sum, stages 64/128/256/512 with strides 1/2/2/2, mean over positions, linear
  head. EfficientNet-B0: 3-wide stem of 32 (swish), the B0 plan of MBConv blocks (1-wide expansion
  unless the ratio is 1, depthwise 3 or 5, squeeze-excitation x sigmoid(W2 swish(W1 mean(x) + b1)
  + b2) with max(1, floor(c_in / 4)) channels, 1-wide projection with batch norm, identity skip
  where stride 1 keeps the channels, with per-sample drop-connect of rate 0.2 i / n on the i-th
  (0-based) of n blocks), mean over positions, dropout 0.2, linear head.
- Channel counts scaled by width / 64: round(n width / 64), halves up, at least 1 (`scaled`).
- Batch norm over batch and positions, eps 1e-5, running statistics moved by 0.1, in training mode;
  dropout and drop-connect on (training mode).
- Initialisation: convolutions N(0, 2 / fan_in) (fan_in = taps x c_in; taps for a depthwise
  filter), linear maps N(0, 1 / fan_in), biases 0, gamma 1, beta 0.
- The step of srhm's trainer for these networks (DEEP_RECIPE): cross-entropy plus the penalty
  wd * mean(p^2) of every trainable parameter tensor (wd = 5e-4), which enters SGD as its gradient
  2 wd p / size(p) added to each gradient (as srhm's trainer adds it; in place here, PyTorch's
  fastest form: the penalty through autograd cost 80-100 ms per step on vgg11, width 64, 1 thread),
  SGD with momentum 0.9 (PyTorch's rule, as srhm's) at lr x width (base lr 1e-4); the reported
  loss is the cross-entropy.
Choices that differ and do not change the work: tensors are [batch, channels, positions]
(torch.nn.Conv1d's layout; srhm is channels last), so VGG's flatten orders its features channel
major; the random numbers are PyTorch's.

Requires Debian's python3-torch (run it with /usr/bin/python3). Set OMP_WAIT_POLICY=PASSIVE and
OPENBLAS_CORETYPE as bench/compare_torch_archs.sh does.
"""
import argparse
import json
import math
import time

import torch
import torch.nn.functional as F

ARCHS = ["vgg11", "vgg16", "resnet18", "resnet34", "efficientnetb0"]

# Plans as srhm's networks/deep/*.ts state them (channel counts at width 64).
VGG11_PLAN = [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"]
VGG16_PLAN = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M",
              512, 512, 512, "M"]
RESNET_BLOCKS = {"resnet18": [2, 2, 2, 2], "resnet34": [3, 4, 6, 3]}
RESNET_STAGES = [(64, 1), (128, 2), (256, 2), (512, 2)]  # channels, stride of the first block
# expand, channels, blocks, depthwise width, stride of the first block
B0_STAGES = [(1, 16, 1, 3, 1), (6, 24, 2, 3, 2), (6, 40, 2, 5, 2), (6, 80, 3, 3, 2),
             (6, 112, 3, 5, 1), (6, 192, 4, 5, 2), (6, 320, 1, 3, 1)]
B0_DROP_CONNECT, B0_DROPOUT = 0.2, 0.2


def scaled(channels, width):
    """srhm's `scaled`: JavaScript's Math.round (halves up) of channels x width / 64, at least 1."""
    return max(1, math.floor(channels * width / 64 + 0.5))


def conv(out, size, stride, pad, bias):
    return {"op": "conv", "out": out, "size": size, "stride": stride, "pad": pad, "bias": bias}


def vgg_blocks(plan, width, classes):
    blocks, convs, pools = [], 0, 0
    for x in plan:
        if x == "M":
            pools += 1
            blocks.append((f"pool{pools}", [{"op": "maxpool"}]))
        else:
            convs += 1
            blocks.append((f"conv{convs}", [conv(scaled(x, width), 3, 1, 1, True),
                                            {"op": "batchnorm"}, {"op": "relu"}]))
    blocks.append(("head", [{"op": "flatten"}, {"op": "linear", "out": classes}]))
    return blocks


def resnet_blocks(counts, width, classes):
    c = scaled(64, width)
    blocks = [("stem", [conv(c, 3, 1, 1, False), {"op": "batchnorm"}, {"op": "relu"}])]
    for stage, (count, (channels, first_stride)) in enumerate(zip(counts, RESNET_STAGES)):
        out = scaled(channels, width)
        for i in range(count):
            stride = first_stride if i == 0 else 1
            body = [conv(out, 3, stride, 1, False), {"op": "batchnorm"}, {"op": "relu"},
                    conv(out, 3, 1, 1, False), {"op": "batchnorm"}]
            shortcut = ([conv(out, 1, stride, 0, False), {"op": "batchnorm"}]
                        if stride != 1 or c != out else [])
            blocks.append((f"stage{stage + 1}.block{i + 1}", [
                {"op": "residual", "body": body, "shortcut": shortcut, "drop_connect": 0.0,
                 "after": "relu"}]))
            c = out
    blocks.append(("head", [{"op": "meanpool"}, {"op": "linear", "out": classes}]))
    return blocks


def efficientnet_b0_blocks(width, classes):
    c = scaled(32, width)
    blocks = [("stem", [conv(c, 3, 1, 1, False), {"op": "batchnorm"}, {"op": "swish"}])]
    total = sum(stage[2] for stage in B0_STAGES)
    index = 0
    for expand, channels, count, size, first_stride in B0_STAGES:
        out = scaled(channels, width)
        for i in range(count):
            stride = first_stride if i == 0 else 1
            hidden = c * expand
            body = [] if expand == 1 else [conv(hidden, 1, 1, 0, False), {"op": "batchnorm"},
                                           {"op": "swish"}]
            body += [{"op": "depthwise", "size": size, "stride": stride, "pad": size // 2},
                     {"op": "batchnorm"}, {"op": "swish"},
                     {"op": "excite", "squeeze": max(1, c // 4)},
                     conv(out, 1, 1, 0, False), {"op": "batchnorm"}]
            rate = B0_DROP_CONNECT * index / total
            index += 1
            ops = ([{"op": "residual", "body": body, "shortcut": [], "drop_connect": rate,
                     "after": "none"}] if stride == 1 and c == out else body)
            blocks.append((f"mb{index}", ops))
            c = out
    blocks.append(("head", [{"op": "meanpool"}, {"op": "dropout", "rate": B0_DROPOUT},
                            {"op": "linear", "out": classes}]))
    return blocks


def plan(arch, width, classes):
    """The blocks (name, layer descriptions) of `arch` at `width`, as srhm's deepConfig draws them."""
    if arch == "vgg11":
        return vgg_blocks(VGG11_PLAN, width, classes)
    if arch == "vgg16":
        return vgg_blocks(VGG16_PLAN, width, classes)
    if arch in RESNET_BLOCKS:
        return resnet_blocks(RESNET_BLOCKS[arch], width, classes)
    if arch == "efficientnetb0":
        return efficientnet_b0_blocks(width, classes)
    raise ValueError(f"arch must be one of {', '.join(ARCHS)} (got {arch})")


class MeanPool(torch.nn.Module):
    def forward(self, x):  # [B, C, T] -> [B, C, 1]
        return x.mean(dim=2, keepdim=True)


class Flatten(torch.nn.Module):
    def forward(self, x):  # [B, C, T] -> [B, C T, 1]
        return x.reshape(x.shape[0], -1, 1)


class Linear(torch.nn.Module):
    """An affine map of the channels of a single position: [B, K, 1] -> [B, out, 1]."""

    def __init__(self, k, out):
        super().__init__()
        self.map = torch.nn.Linear(k, out)

    def forward(self, x):
        return self.map(x[:, :, 0])[:, :, None]


class Excite(torch.nn.Module):
    """Squeeze-excitation: x sigmoid(W2 swish(W1 mean_T(x) + b1) + b2)."""

    def __init__(self, c, squeeze):
        super().__init__()
        self.reduce = torch.nn.Linear(c, squeeze)
        self.expand = torch.nn.Linear(squeeze, c)

    def forward(self, x):
        g = torch.sigmoid(self.expand(F.silu(self.reduce(x.mean(dim=2)))))
        return x * g[:, :, None]


class Residual(torch.nn.Module):
    """after(body(x) keep + shortcut(x)); keep drops the whole body per sample in training."""

    def __init__(self, body, shortcut, drop_connect, after):
        super().__init__()
        self.body, self.shortcut = body, shortcut
        self.drop_connect, self.after = drop_connect, after

    def forward(self, x):
        h = self.body(x)
        if self.training and self.drop_connect > 0:
            keep = torch.rand(x.shape[0], 1, 1) >= self.drop_connect
            h = h * keep.to(h.dtype) / (1 - self.drop_connect)
        h = h + self.shortcut(x)
        return torch.relu(h) if self.after == "relu" else h


def build_ops(ops, shape):
    """A torch.nn.Sequential of the layer descriptions on inputs of `shape` = (positions,
    channels); returns it and the output shape (srhm's opShape rules: PyTorch's convolution length,
    floor(T / 2) after a max-pool)."""
    T, C = shape
    layers = []
    for op in ops:
        kind = op["op"]
        if kind == "conv":
            layers.append(torch.nn.Conv1d(C, op["out"], op["size"], op["stride"], op["pad"],
                                          bias=op["bias"]))
            T, C = (T + 2 * op["pad"] - op["size"]) // op["stride"] + 1, op["out"]
        elif kind == "depthwise":
            layers.append(torch.nn.Conv1d(C, C, op["size"], op["stride"], op["pad"], groups=C,
                                          bias=False))
            T = (T + 2 * op["pad"] - op["size"]) // op["stride"] + 1
        elif kind == "batchnorm":
            layers.append(torch.nn.BatchNorm1d(C, eps=1e-5, momentum=0.1))
        elif kind == "relu":
            layers.append(torch.nn.ReLU())
        elif kind == "swish":
            layers.append(torch.nn.SiLU())
        elif kind == "maxpool":
            if T < 2:
                raise ValueError(f"maxpool needs >= 2 positions (got {T})")
            layers.append(torch.nn.MaxPool1d(2, 2))
            T //= 2
        elif kind == "meanpool":
            layers.append(MeanPool())
            T = 1
        elif kind == "flatten":
            layers.append(Flatten())
            T, C = 1, T * C
        elif kind == "linear":
            if T != 1:
                raise ValueError(f"linear needs 1 position (got {T})")
            layers.append(Linear(C, op["out"]))
            C = op["out"]
        elif kind == "dropout":
            layers.append(torch.nn.Dropout(op["rate"]))
        elif kind == "excite":
            layers.append(Excite(C, op["squeeze"]))
        elif kind == "residual":
            body, out = build_ops(op["body"], (T, C))
            shortcut, short = build_ops(op["shortcut"], (T, C))
            if out != short:
                raise ValueError(f"residual: body gives {out} but shortcut {short}")
            layers.append(Residual(body, shortcut, op["drop_connect"], op["after"]))
            T, C = out
        else:
            raise ValueError(f"unknown op {kind}")
    return torch.nn.Sequential(*layers), (T, C)


def init_weights(net, gen):
    """srhm's initialisation: convolutions N(0, 2 / fan_in), linear maps N(0, 1 / fan_in), biases
    0, batch norm gamma 1 and beta 0."""
    with torch.no_grad():
        for module in net.modules():
            if isinstance(module, torch.nn.Conv1d):
                fan_in = module.weight.shape[1] * module.weight.shape[2]
                module.weight.normal_(0, math.sqrt(2 / fan_in), generator=gen)
                if module.bias is not None:
                    module.bias.zero_()
            elif isinstance(module, torch.nn.Linear):
                module.weight.normal_(0, math.sqrt(1 / module.weight.shape[1]), generator=gen)
                module.bias.zero_()
            elif isinstance(module, torch.nn.BatchNorm1d):
                module.weight.fill_(1)
                module.bias.zero_()


def build(arch, width, v, d, nc, seed=0):
    """The network `arch` for inputs [batch, v, d] and nc classes, initialised from `seed`."""
    blocks = plan(arch, width, nc)
    net, shape = build_ops([op for _, ops in blocks for op in ops], (d, v))
    if shape != (1, nc):
        raise ValueError(f"{arch}: the head gives {shape}, not (1, {nc})")
    init_weights(net, torch.Generator().manual_seed(seed))
    return net


def parameter_count(net):
    return sum(p.numel() for p in net.parameters())  # trainable: batch norm's statistics are buffers


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--arch", choices=ARCHS, default=None, help="vgg11 (--params: every network)")
    p.add_argument("--v", type=int, default=10, help="input channels (one-hot tokens)")
    p.add_argument("--d", type=int, default=36, help="input positions")
    p.add_argument("--nc", type=int, default=None, help="classes (default: v)")
    p.add_argument("--width", type=int, default=64, help="channels x width / 64 (64: published)")
    p.add_argument("--batch_size", type=int, default=128)
    p.add_argument("--steps", type=int, default=30, help="timed steps")
    p.add_argument("--warmup", type=int, default=3, help="steps before the timed ones (>= 1)")
    p.add_argument("--lr", type=float, default=1e-4, help="base rate (SGD uses lr x width)")
    p.add_argument("--wd", type=float, default=5e-4, help="the penalty wd * mean(p^2) per tensor")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--params", action="store_true", help="print the parameter counts and exit")
    o = p.parse_args()
    for name in ("v", "d", "width", "batch_size", "steps", "warmup", "threads"):
        if getattr(o, name) < 1:
            p.error(f"--{name} must be >= 1 (got {getattr(o, name)})")
    nc = o.nc if o.nc is not None else o.v
    torch.set_num_threads(o.threads)
    if o.params:
        for arch in [o.arch] if o.arch else ARCHS:
            net = build(arch, o.width, o.v, o.d, nc, o.seed)
            print(json.dumps({"arch": arch, "width": o.width, "v": o.v, "d": o.d, "nc": nc,
                              "params": parameter_count(net)}))
        return
    arch = o.arch or "vgg11"
    torch.manual_seed(o.seed)  # dropout and drop-connect masks
    gen = torch.Generator().manual_seed(o.seed + 1)
    net = build(arch, o.width, o.v, o.d, nc, o.seed)
    net.train()
    params = list(net.parameters())
    opt = torch.optim.SGD(params, lr=o.lr * o.width, momentum=0.9)
    tokens = torch.randint(o.v, (8, o.batch_size, o.d), generator=gen)
    xs = torch.zeros(8, o.batch_size, o.v, o.d).scatter_(2, tokens[:, :, None, :], 1.0)
    ys = torch.randint(nc, (8, o.batch_size), generator=gen)

    decay = [2 * o.wd / q.numel() for q in params]  # d/dp of wd * mean(p^2)

    def step(k):
        opt.zero_grad(set_to_none=True)
        ce = F.cross_entropy(net(xs[k % 8])[:, :, 0], ys[k % 8])
        ce.backward()
        if o.wd > 0:
            with torch.no_grad():
                for q, c in zip(params, decay):
                    q.grad.add_(q, alpha=c)
        opt.step()
        return ce

    loss_first = float(step(0))
    for k in range(1, o.warmup):
        step(k)
    c0, t0 = time.process_time(), time.perf_counter()
    for k in range(o.steps):
        ce = step(o.warmup + k)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({"impl": "torch-archs", "torch": torch.__version__, "arch": arch,
                      "threads": o.threads, "width": o.width, "batch_size": o.batch_size,
                      "v": o.v, "d": o.d, "nc": nc, "params": parameter_count(net),
                      "warmup": o.warmup, "steps": o.steps, "train_s": round(seconds, 4),
                      "cpu_s": round(cpu, 3),
                      "train_samples_per_s": round(o.steps * o.batch_size / seconds, 1),
                      "loss_first": round(loss_first, 6), "loss_last": round(float(ce), 6)}))


if __name__ == "__main__":
    main()
