"""Loads a Joule checkpoint into the equivalent PyTorch module with safetensors +
load_state_dict (no renaming) and reports its Fashion-MNIST test accuracy.

Usage: python scripts/load_in_pytorch.py CHECKPOINT.safetensors [mlp|cnn-s]
Needs torch, safetensors and numpy (e.g. the venv of ../shared/bench/setup.sh plus
`pip install safetensors`), and the Debian package dataset-fashion-mnist.
"""
import gzip
import sys

import numpy as np
import torch
import torch.nn as nn
from safetensors.torch import load_file


def make(name):
    if name == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.LeakyReLU(0.2),
                             nn.Linear(512, 512), nn.LeakyReLU(0.2), nn.Linear(512, 10))
    layers, channels = [], 1
    for out, stride in ((64, 1), (64, 2), (128, 1), (128, 2), (256, 1)):
        layers += [nn.Conv2d(channels, out, 3, stride, 1), nn.LeakyReLU(0.2)]
        channels = out
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(256, 10))


def idx(path):
    data = gzip.open(path).read()
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(data[3])]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


def main():
    path, name = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "cnn-s")
    model = make(name)
    state = load_file(path)
    # The file also holds the optimiser's state under "optimizer."; the model's tensors
    # carry PyTorch's own state_dict names.
    model.load_state_dict({k: v for k, v in state.items() if not k.startswith("optimizer.")})
    root = "/usr/share/datasets/fashion-mnist/"
    x = torch.from_numpy(idx(root + "t10k-images-idx3-ubyte.gz").astype(np.float32) / 127.5 - 1).unsqueeze(1)
    y = torch.from_numpy(idx(root + "t10k-labels-idx1-ubyte.gz").astype(np.int64))
    with torch.no_grad():
        accuracy = (model(x).argmax(1) == y).float().mean().item()
    print(f"PyTorch {name} from {path}: test accuracy {accuracy:.4f}")


if __name__ == "__main__":
    main()
