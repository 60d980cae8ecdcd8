#!/usr/bin/env bash
# Writes the files of Tests/TrainingTests/Fixtures with a joule built from the code before the
# training layer's redesign (issue 23), so that the tests can check that what that code wrote
# still loads and resumes. Kept for the record; the files it made are committed beside it.
#
#   JOULE=/path/to/old/joule Tests/TrainingTests/Fixtures/make-fixtures.sh OUT_DIR
#
# OUT_DIR gets: images/ (three classes of 8×8 grey PNGs), ce.yaml (a YAML configuration),
# runs.sqlite (the run store: four runs, an evaluation and a calibration of the first), and per
# run NAME: NAME-6.safetensors, its checkpoint after 6 steps, and NAME-resumed.json, the
# train/loss values the old code logged resuming that checkpoint to step 12.
set -euo pipefail
out=$(realpath -m "${1:?usage: make-fixtures.sh OUT_DIR}")
joule=${JOULE:?set JOULE to the old joule}
mkdir -p "$out"
cd "$out"
python3 - <<'PY'
import os, struct, zlib
def png(path, pixels):
    raw = b"".join(b"\x00" + bytes(pixels[y * 8:(y + 1) * 8]) for y in range(8))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
                           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
for label, name in enumerate(["dark", "mid", "light"]):
    os.makedirs(f"images/{name}", exist_ok=True)
    for i in range(20):
        png(f"images/{name}/{i}.png", [(label * 90 + (p * 7 + i * 13) % 40) % 256 for p in range(64)])
PY
cat > ce.yaml <<'YAML'
# A configuration file as the code before issue 23 read it.
model: wrn-10-1
batch-size: 8
validation-size: 12
lr: 0.003
schedule: cosine
warmup: 2
noise: 0.01
flip: true
YAML
db="$out/runs.sqlite"
images="png:images"   # relative: the tests run beside their own copy
run() {  # NAME ARGS…: trains 6 steps, keeps the checkpoint, resumes to 12, keeps the losses
    local name=$1; shift
    "$joule" train "$@" --steps 6 --checkpoint-dir "$out/ck" --runs-db "$db" --name "$name" > "$out/$name.log" 2>&1
    local id
    id=$(sqlite3 "$db" "SELECT id FROM runs WHERE name = '$name'")
    cp "$out/ck/$id/last.safetensors" "$out/$name-6.safetensors"
    "$joule" train --resume "$id" --steps 12 --runs-db "$db" >> "$out/$name.log" 2>&1
    sqlite3 -json "$db" "SELECT step, value FROM metrics WHERE run_id = '$id' AND key = 'train/loss' AND step > 6 ORDER BY step" \
        > "$out/$name-resumed.json"
    echo "$name $id"
}
run ce --config ce.yaml --dataset "$images"
run jem --objective jem --dataset "$images" --model wrn-10-1 --batch-size 8 --validation-size 12 --sgld-steps 3 --buffer-size 24 \
    --class-conditional --pxy-weight 0.5 --buffer-start class-gaussian --noise 0.03
run dsm --objective dsm --dataset toy:8gaussians --model energy-mlp-8 --batch-size 32 --lr 3e-3
run vera --objective vera --dataset toy:rings --model energy-mlp-8 --generator mlp-8 --batch-size 32 --lr 3e-3 --beta1 0 --beta2 0.9
ce=$(sqlite3 "$db" "SELECT id FROM runs WHERE name = 'ce'")
"$joule" calibrate "$ce" --runs-db "$db" > /dev/null 2>&1
"$joule" evaluate "$ce" --runs-db "$db" --ood uniform --synthetic-count 20 > /dev/null 2>&1
sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE" > /dev/null
rm -rf "$out/ck"
