#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into fuzz/corpus/<target>/.

Small valid inputs of each format (and a few near misses), so that libFuzzer starts from
files the parsers accept and mutates from there. Standard library only; run it again to
regenerate the committed files byte for byte.

    fuzz/make-seeds.py [CHECKPOINT.safetensors ...]

Joule checkpoints given as arguments are added to the safetensors seeds with the sampler's
epoch order cut to 16 indices (it is most of a toy run's header) and rewound, so that the fuzzer also
reaches the checkpoint's configuration, progress and model building.
"""
import gzip
import json
import os
import struct
import sys
import zlib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def put(target, name, data):
    os.makedirs(os.path.join(ROOT, target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(ROOT, target, name), "wb") as f:
        f.write(data)


def gz(data):
    # mtime 0 so the bytes do not change between runs.
    return gzip.compress(data, mtime=0)


def idx(dims, payload):
    return bytes([0, 0, 8, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + payload


images = idx([3, 4, 4], bytes(range(48)))
labels = idx([3], bytes([0, 9, 3]))
put("idx", "images-3x4x4", images)
put("idx", "images-3x4x4.gz", gz(images))
put("idx", "labels-3", labels)
put("idx", "labels-3.gz", gz(labels))
put("idx", "rgb-2x3x2x2", idx([2, 3, 2, 2], bytes(range(24))))
put("idx", "float-type", bytes([0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0]))
put("idx", "two-members.gz", gz(images[:10]) + gz(images[10:]))

row = lambda label, start: ",".join(str((start + i) % 256) for i in range(784)) + f",{label}"
put("csv", "two-rows.csv", row(3, 0) + "\n" + row(7, 100) + "\n")
put("csv", "crlf.csv", row(1, 5) + "\r\n" + row(0, 7))
put("csv", "two-rows.csv.gz", gz((row(3, 0) + "\n" + row(7, 100) + "\n").encode()))
put("csv", "short-row.csv", "0,1,2,3\n")


def png(width, height, color_type, bit_depth, rows, extra=b""):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    raw = b"".join(b"\x00" + r for r in rows)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + extra + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def plte(colors):
    body = b"".join(bytes(c) for c in colors)
    return struct.pack(">I", len(body)) + b"PLTE" + body + struct.pack(">I", zlib.crc32(b"PLTE" + body))


put("png", "gray8-4x3.png", png(4, 3, 0, 8, [bytes([y * 40 + x * 10 for x in range(4)]) for y in range(3)]))
put("png", "rgb8-3x2.png", png(3, 2, 2, 8, [bytes(range(y * 9, y * 9 + 9)) for y in range(2)]))
put("png", "gray-alpha8-2x2.png", png(2, 2, 4, 8, [bytes([200, 255, 100, 0]), bytes([50, 128, 0, 255])]))
put("png", "rgba8-2x2.png", png(2, 2, 6, 8, [bytes(range(8)), bytes(range(8, 16))]))
put("png", "palette2-4x2.png", png(4, 2, 3, 2, [bytes([0b00011011]), bytes([0b11100100])],
                                   extra=plte([(0, 0, 0), (255, 0, 0), (0, 255, 0), (0, 0, 255)])))
put("png", "gray16-3x2.png", png(3, 2, 0, 16, [struct.pack(">3H", 0, 30000, 65535), struct.pack(">3H", 1, 2, 3)]))
trns = struct.pack(">I", 2) + b"tRNS" + bytes([255, 0]) + struct.pack(">I", zlib.crc32(b"tRNS" + bytes([255, 0])))
put("png", "palette8-trns-2x2.png", png(2, 2, 3, 8, [bytes([0, 1]), bytes([1, 0])],
                                        extra=plte([(10, 20, 30), (200, 100, 0)]) + trns))
put("png", "gray1-8x1.png", png(8, 1, 0, 1, [bytes([0b10110010])]))

tensors = {"weight": ("F32", [2, 2], struct.pack("<4f", 1, -2, 3.5, 0)),
           "bias": ("F16", [2], struct.pack("<2e", 0.5, -1)),
           "step": ("I64", [], struct.pack("<q", 7))}


def safetensors(entries, metadata=None):
    header, data, offset = {}, b"", 0
    for name, (dtype, shape, body) in entries.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(body)]}
        data += body
        offset += len(body)
    if metadata is not None:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack("<Q", len(text)) + text + data


put("safetensors", "three-dtypes.safetensors", safetensors(tensors, {"format": "pt"}))
put("safetensors", "bf16-u8-bool.safetensors", safetensors({
    "a": ("BF16", [3], struct.pack("<3H", 0x3F80, 0xBF00, 0x7F80)),
    "b": ("U8", [2, 1], bytes([0, 255])), "c": ("BOOL", [2], bytes([0, 1]))}))
put("safetensors", "empty.safetensors", safetensors({}))

for path in sys.argv[1:]:
    with open(path, "rb") as f:
        raw = f.read()
    length = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + length])
    progress = json.loads(header["__metadata__"]["progress"])
    progress["sampler"]["indices"] = progress["sampler"]["indices"][:16]
    progress["sampler"]["position"] = 0
    header["__metadata__"]["progress"] = json.dumps(progress, separators=(",", ":"), sort_keys=True)
    text = json.dumps(header, separators=(",", ":")).encode()
    configuration = json.loads(header["__metadata__"]["configuration"])
    # Format 2 groups the settings ("core"); earlier checkpoints are flat.
    name = "joule-" + configuration.get("core", configuration)["objective"] + ".safetensors"
    put("safetensors", name, struct.pack("<Q", len(text)) + text + raw[8 + length:])
put("yaml", "jem.yaml", """objective: jem
model: mlp
epochs: 2
batch-size: 64
lr: 1e-4
sgld-steps: 20
sgld_step_size: 1.0
sgld-noise: 0.01
px-weight: 1
flip: false
milestones: [100, 200]
""")
put("yaml", "dsm-toy.yaml", "objective: dsm\ndataset: toy:rings\nmodel: energy-mlp-64\nsigma: 0.1\nsteps: 500\n")
put("yaml", "vera.yaml", "objective: vera\nmodel: mlp\ngenerator: mlp-500\nentropy-weight: 1.0e-4\nvera-sigma-min: 0.01\n")
put("yaml", "anchors.yaml", "base: &b 64\nbatch-size: *b\nseed: 3\n")
put("yaml", "empty.yaml", "")
put("filter", "simple", "metrics.test/accuracy > 0.9")
put("filter", "combined", "params.lr >= 1e-3 AND (tags.note = 'first' OR attributes.status != 'FAILED')\nmetrics.test/accuracy DESC, attributes.start_time")
put("filter", "in-like", "attributes.name LIKE '%sec%' and attributes.experiment = 'fuzz'\nparams.lr")
put("filter", "time", "attributes.start_time > '2026-01-01' or attributes.duration < 3.5e2")
put("filter", "quoted", "tags.note = 'it''s' or params.model = \"mlp\"")
