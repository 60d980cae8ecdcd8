"""A PyTorch mirror of `joule train --objective jem` for cnn-s on Fashion-MNIST, used to
choose JEM settings on a GPU before spending hours of CPU on one Joule run.

It follows Joule's JEMTraining as closely as a few lines allow: cnn-s with PyTorch's
default initialisation; the data batch (scaled to [-1, 1], optional horizontal flip, plus
Gaussian noise) feeds both cross-entropy and the p(x) term in one forward pass with the
samples; SGLD x <- x + eta * grad log p(x) + sigma * eps from a replay buffer restarting a
fraction of its chains from per-class Gaussians (JEM++) or Uniform(-1, 1); the loss
CE + w_px (mean E(data) - mean E(samples)) + w_l2 (mean E(data)^2 + mean E(samples)^2);
Adam with linear warmup and cosine decay. It is not bit-identical to Joule (different
random streams, different validation split), so it ranks settings; Joule's own run is
the figure that counts.

    python3 torch_jem_sweep.py --data DIR --out DIR --config name:key=value,... [...]
"""
import argparse, gzip, json, math, os, sys, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def cnn_s():
    act = lambda: nn.LeakyReLU(0.2)
    return nn.Sequential(
        nn.Conv2d(1, 64, 3, 1, 1), act(), nn.Conv2d(64, 64, 3, 2, 1), act(),
        nn.Conv2d(64, 128, 3, 1, 1), act(), nn.Conv2d(128, 128, 3, 2, 1), act(),
        nn.Conv2d(128, 256, 3, 1, 1), act(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(256, 10))


DEFAULTS = dict(lr=1e-3, warmup=500, epochs=12, steps=5, step_size=1.0, noise_sgld=0.01, buffer=10000,
                reinit=0.05, start="class-gaussian", px=1.0, l2=0.1, data_noise=0.03, flip=1, batch=64,
                optimizer="adam", momentum=0.9, weight_decay=0.0, seed=1, limit=0)


def parse_config(text):
    name, _, rest = text.partition(":")
    cfg = dict(DEFAULTS)
    for item in filter(None, rest.split(",")):
        key, value = item.split("=")
        cfg[key] = type(DEFAULTS[key])(value) if not isinstance(DEFAULTS[key], str) else value
    return name, cfg


class ClassGaussians:
    def __init__(self, x, y, classes=10, ridge=1e-4):
        d = x[0].numel()
        self.means, self.factors = [], []
        for c in range(classes):
            xc = x[y == c].reshape(-1, d).double()
            mu = xc.mean(0)
            cov = (xc - mu).T @ (xc - mu) / (xc.shape[0] - 1) + ridge * torch.eye(d, device=x.device, dtype=torch.float64)
            self.means.append(mu.float())
            self.factors.append(torch.linalg.cholesky(cov).float())
        self.means = torch.stack(self.means)
        self.factors = torch.stack(self.factors)

    def sample(self, labels, shape):
        z = torch.randn(len(labels), self.means.shape[1], device=labels.device)
        x = torch.empty_like(z)
        for c in labels.unique():  # one matrix product per class, not a factor per sample
            rows = labels == c
            x[rows] = self.means[c] + z[rows] @ self.factors[c].T
        return x.clamp(-1, 1).reshape(len(labels), *shape)


def run(name, cfg, data_dir, out_dir, device):
    torch.manual_seed(cfg["seed"])
    np.random.seed(cfg["seed"])
    xs = torch.tensor(read_idx(os.path.join(data_dir, "train-images-idx3-ubyte.gz")), dtype=torch.float32)
    ys = torch.tensor(read_idx(os.path.join(data_dir, "train-labels-idx1-ubyte.gz")), dtype=torch.long)
    xt = torch.tensor(read_idx(os.path.join(data_dir, "t10k-images-idx3-ubyte.gz")), dtype=torch.float32)
    yt = torch.tensor(read_idx(os.path.join(data_dir, "t10k-labels-idx1-ubyte.gz")), dtype=torch.long)
    scale = lambda x: (x / 255 * 2 - 1).unsqueeze(1).to(device)
    xs, xt, ys, yt = scale(xs), scale(xt), ys.to(device), yt.to(device)
    perm = torch.randperm(60000, generator=torch.Generator().manual_seed(0)).to(device)
    xv, yv, xtr, ytr = xs[perm[:5000]], ys[perm[:5000]], xs[perm[5000:]], ys[perm[5000:]]

    model = cnn_s().to(device)
    if cfg["optimizer"] == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    else:
        opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=cfg["momentum"], nesterov=True,
                              weight_decay=cfg["weight_decay"])
    per_epoch = cfg["limit"] or len(xtr) // cfg["batch"]  # limit: a smoke test's few steps
    total = per_epoch * cfg["epochs"]

    def lr_at(step):
        if step < cfg["warmup"]:
            return cfg["lr"] * (step + 1) / cfg["warmup"]
        t = (step - cfg["warmup"]) / max(1, total - cfg["warmup"])
        return cfg["lr"] * 0.5 * (1 + math.cos(math.pi * t))

    gaussians = ClassGaussians(xtr, ytr) if cfg["start"] == "class-gaussian" else None

    def start(n):
        if gaussians is None:
            return torch.rand(n, 1, 28, 28, device=device) * 2 - 1
        return gaussians.sample(torch.randint(0, 10, (n,), device=device), (1, 28, 28))

    buffer = start(cfg["buffer"])
    energy = lambda logits: -torch.logsumexp(logits, 1)

    def evaluate(x, y):
        model.eval()
        correct = 0
        with torch.no_grad():
            for i in range(0, len(x), 1000):
                correct += (model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum().item()
        model.train()
        return correct / len(x)

    log = open(os.path.join(out_dir, f"{name}.jsonl"), "w")
    began, step, diverged = time.time(), 0, False
    for epoch in range(cfg["epochs"]):
        order = torch.randperm(len(xtr), device=device)
        for b in range(per_epoch):
            idx = order[b * cfg["batch"]:(b + 1) * cfg["batch"]]
            x, y = xtr[idx], ytr[idx]
            if cfg["flip"]:
                flip = torch.rand(len(x), device=device) < 0.5
                x = torch.where(flip[:, None, None, None], x.flip(3), x)
            x = x + cfg["data_noise"] * torch.randn_like(x)
            for g in opt.param_groups:
                g["lr"] = lr_at(step)
            if cfg["px"] > 0:
                bi = torch.randint(0, cfg["buffer"], (len(x),), device=device)
                xq = buffer[bi]
                restart = torch.rand(len(x), device=device) < cfg["reinit"]
                if restart.any():
                    xq[restart] = start(int(restart.sum()))
                for p in model.parameters():
                    p.requires_grad_(False)
                for _ in range(cfg["steps"]):
                    xq = xq.detach().requires_grad_(True)
                    g, = torch.autograd.grad(torch.logsumexp(model(xq), 1).sum(), xq)
                    xq = xq.detach() + cfg["step_size"] * g + cfg["noise_sgld"] * torch.randn_like(xq)
                for p in model.parameters():
                    p.requires_grad_(True)
                xq = xq.detach()
                buffer[bi] = xq
                logits = model(torch.cat([x, xq]))
                ld, lq = logits[:len(x)], logits[len(x):]
                ed, eq = energy(ld), energy(lq)
                loss = F.cross_entropy(ld, y) + cfg["px"] * (ed.mean() - eq.mean()) \
                    + cfg["l2"] * (ed.pow(2).mean() + eq.pow(2).mean())
            else:
                ld = model(x)
                loss = F.cross_entropy(ld, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            if not torch.isfinite(loss):
                diverged = True
                break
        if diverged:
            break
        row = dict(name=name, epoch=epoch + 1, step=step, val=evaluate(xv, yv), test=evaluate(xt, yt),
                   seconds=round(time.time() - began, 1), loss=loss.item())
        print(json.dumps(row), flush=True)
        log.write(json.dumps(row) + "\n")
        log.flush()
    summary = dict(name=name, config=cfg, diverged=diverged, seconds=round(time.time() - began, 1))
    log.write(json.dumps(summary) + "\n")
    log.close()
    print(json.dumps(summary), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--config", action="append", required=True)
    args = parser.parse_args()
    torch.backends.cudnn.benchmark = True
    device = "cuda" if torch.cuda.is_available() else "cpu"
    for text in args.config:
        name, cfg = parse_config(text)
        run(name, cfg, args.data, args.out, device)


if __name__ == "__main__":
    main()
