"""Probes what separates Fashion-MNIST from its "interp" set (the pixel mean of two images) for one
cnn-s checkpoint, outside Joule: the candidate scores that BENCHMARKS.md records as tried for
issue 24's interp bar, each as AUROC (in-distribution positive) on the validation rows, the test
set, and MNIST-5k (which nobody tuned on).

Usage: python bench/interp_probe.py CHECKPOINT.safetensors
Needs the venv of ../shared/bench/setup.sh plus `pip install safetensors scikit-learn`, the Debian
package dataset-fashion-mnist and datasets/mnist_5k.csv.gz (scripts/fetch-mnist5k.sh). One thread,
a few minutes. The split and interp pairs are drawn from numpy's generator with seed 0 (not Joule's
hold-out), so figures agree with `joule evaluate` to a few thousandths, not exactly.

Candidates: Mahalanobis distance (class means, tied covariance) on each convolution's channel
means (and means plus standard deviations), fitted on 15,000 training images; a Gaussian on the
image's intensity histogram (8/16/32 bins); the distance to the nearest of 30,000 training images
in pixel space; and the image's brightest pixel, which tests whether the set carries a contrast
artefact rather than a shape a score should learn.
"""
import csv
import gzip
import os
import sys

import numpy as np
import torch
import torch.nn as nn
from safetensors.torch import load_file
from sklearn.metrics import roc_auc_score

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "scripts"))
from load_in_pytorch import idx, make  # noqa: E402  (the checkpoint's PyTorch module and the IDX reader)

torch.set_num_threads(1)
ROOT = "/usr/share/datasets/fashion-mnist/"
MNIST5K = os.path.join(os.path.dirname(__file__), "..", "datasets", "mnist_5k.csv.gz")


def auroc(inside, outside):
    return roc_auc_score(np.r_[np.ones(len(inside)), np.zeros(len(outside))], np.r_[inside, outside])


def tied_gaussian_score(train, labels):
    """−min over classes of the Mahalanobis distance, class means and one shared covariance."""
    classes = labels.max() + 1
    means = np.stack([train[labels == c].mean(0) for c in range(classes)])
    centred = train - means[labels]
    precision = np.linalg.inv(centred.T @ centred / len(train) + 1e-6 * np.eye(train.shape[1]))
    return lambda g: -np.stack([np.einsum("ij,jk,ik->i", g - m, precision, g - m) for m in means], 1).min(1)


def main():
    model = make("cnn-s")
    state = load_file(sys.argv[1])
    model.load_state_dict({k: v for k, v in state.items() if not k.startswith("optimizer.")})
    model.eval()
    x_all = idx(ROOT + "train-images-idx3-ubyte.gz").reshape(-1, 784)
    y_all = idx(ROOT + "train-labels-idx1-ubyte.gz").astype(int)
    test = idx(ROOT + "t10k-images-idx3-ubyte.gz").reshape(-1, 784)
    rows = [r for r in csv.reader(gzip.open(MNIST5K, "rt")) if r and r[0].isdigit()]
    mnist = np.array([[int(v) for v in r[1:]] for r in rows], np.uint8)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(x_all))
    train, validation = order[:15000], order[55000:]

    def interp(source, n):
        a, b = rng.integers(0, len(source), n), rng.integers(0, len(source), n)
        return ((source[a].astype(int) + source[b] + 1) // 2).astype(np.uint8)

    sets = {
        "validation": (x_all[validation], interp(x_all[validation], 5000)),
        "test": (test, interp(test, 5000)),
    }

    def report(name, score):
        val_in, val_out = sets["validation"]
        test_in, test_out = sets["test"]
        s_test = score(test_in)
        print(f"{name:34s} interp: validation {auroc(score(val_in), score(val_out)):.3f}"
              f"  test {auroc(s_test, score(test_out)):.3f}   mnist-5k {auroc(s_test, score(mnist)):.3f}", flush=True)

    def layer_features(images):
        x = torch.from_numpy(images.astype(np.float32) / 127.5 - 1).view(-1, 1, 28, 28)
        outputs = [[] for _ in range(5)]
        with torch.no_grad():
            for i in range(0, len(x), 1000):
                h, k = x[i:i + 1000], 0
                for layer in list(model)[:10]:
                    h = layer(h)
                    if isinstance(layer, nn.LeakyReLU):
                        outputs[k].append(torch.cat([h.mean((2, 3)), h.std((2, 3))], 1).numpy())
                        k += 1
        return [np.concatenate(o) for o in outputs]

    cache = {}

    def features(images):
        key = images.__array_interface__["data"][0], len(images)
        if key not in cache:
            cache[key] = layer_features(images)
        return cache[key]

    fitted = features(x_all[train])
    for k in range(5):
        width = fitted[k].shape[1] // 2
        for part, columns in (("means", slice(0, width)), ("means+stds", slice(None))):
            score = tied_gaussian_score(fitted[k][:, columns], y_all[train])
            report(f"mahalanobis conv{k + 1} {part}", lambda g, k=k, c=columns, s=score: s(features(g)[k][:, c]))

    for bins in (8, 16, 32):
        def histogram(images, bins=bins):
            return np.stack([np.bincount(r.astype(int) * bins // 256, minlength=bins) for r in images]) / 784.0
        score = tied_gaussian_score(histogram(x_all[train]), y_all[train])
        report(f"intensity histogram, {bins} bins", lambda g, s=score, h=histogram: s(h(g)))

    bank = torch.from_numpy(x_all[order[:30000]].astype(np.float32) / 255)

    def nearest(images):
        q = torch.from_numpy(images.astype(np.float32) / 255)
        d = (q * q).sum(1, keepdim=True) - 2 * q @ bank.T + (bank * bank).sum(1)[None]
        return -d.min(1).values.numpy()

    report("pixel nearest neighbour", nearest)
    report("brightest pixel (an artefact)", lambda g: g.max(1).astype(float))


if __name__ == "__main__":
    main()
