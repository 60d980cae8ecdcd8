#!/usr/bin/env python3
"""Checks that safetensors files are whole; prints each one's training step.

    scripts/checkpoint-whole.py FILE...

A file is whole when its 8-byte header length, its JSON header and its tensors' byte ranges
account for every byte of the file exactly (what a write cut short cannot do). For a Joule
checkpoint the step comes from the progress in its metadata. Exits 1 naming the first file
that is not whole.
"""
import json
import struct
import sys

SIZES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1,
         "U64": 8, "U32": 4, "U16": 2, "U8": 1, "BOOL": 1}

for path in sys.argv[1:]:
    with open(path, "rb") as f:
        raw = f.read()
    try:
        (length,) = struct.unpack("<Q", raw[:8])
        header = json.loads(raw[8:8 + length])
        data = len(raw) - 8 - length
        ranges = sorted(tuple(v["data_offsets"]) for k, v in header.items() if k != "__metadata__")
        end = 0
        for (begin, stop), (name, entry) in zip(ranges, sorted(
                ((k, v) for k, v in header.items() if k != "__metadata__"), key=lambda kv: kv[1]["data_offsets"])):
            count = 1
            for extent in entry["shape"]:
                count *= extent
            assert begin == end, f"gap or overlap before {name}"
            assert stop - begin == count * SIZES[entry["dtype"]], f"{name}: byte range disagrees with its shape"
            end = stop
        assert end == data, f"tensors cover {end} bytes, the file holds {data} after the header"
        progress = json.loads(header.get("__metadata__", {}).get("progress", "{}"))
        print(f"{path}: whole, step {progress.get('step', '?')}")
    except Exception as error:  # noqa: BLE001 - any failure means the file is not whole
        print(f"{path}: NOT WHOLE ({error})", file=sys.stderr)
        sys.exit(1)
