#!/usr/bin/env bash
# Fills the disk under a training run and checks that checkpointing fails cleanly.
#
#   scripts/full-disk-check.sh          (needs root: it mounts a 48 MB tmpfs)
#
# A JEM mlp run (replay buffer 1,000, a checkpoint every 25 steps) writes its checkpoints
# and run store on a small tmpfs. Once its first checkpoint exists the disk is filled to
# the last byte. The run must then stop with a non-zero exit and an error naming the file
# and "No space left on device"; last.safetensors must be the whole previous checkpoint;
# no temporary file may be left; the run store must pass PRAGMA integrity_check. After
# space is freed, `joule train --resume` must finish the run.
# Uses JOULE (default .build/release/joule, built if missing), sqlite3 and python3;
# KEEP=1 keeps the work folder (the run's logs) in /tmp.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/first-checkpoint.sh
JOULE=${JOULE:-.build/release/joule}
JOULE=$(realpath "$JOULE" 2> /dev/null || echo "$JOULE")
[[ -x $JOULE ]] || { swift build -c release --product joule; JOULE=$(realpath .build/release/joule); }
fail() { echo "full-disk-check: FAILED: $*" >&2; exit 1; }

work=$(mktemp -d /tmp/joule-full-disk.XXXXXX)
disk="$work/disk"
mkdir -p "$disk"
if ! mount -t tmpfs -o size=48m tmpfs "$disk" 2> "$work/mount.err"; then
    echo "full-disk-check: skipped: cannot mount a tmpfs here ($(cat "$work/mount.err")); run it as root" >&2
    rm -rf "$work"
    exit 0
fi
pid=""
# A failing check must not leave a training run behind, nor the tmpfs mounted.
trap '[[ -n $pid ]] && { kill -KILL "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; }
      umount "$disk" 2> /dev/null || true; [[ -n ${KEEP:-} ]] || rm -rf "$work"' EXIT

train=(--objective jem --model mlp --steps 200 --batch-size 32 --sgld-steps 5 --buffer-size 1000 --lr 1e-4
       --validation-size 500 --checkpoint-every 25 --seed 5 --checkpoint-dir "$disk/ck" --runs-db "$disk/ck/runs.sqlite")
"$JOULE" train "${train[@]}" > "$work/run.log" 2> "$work/run.err" &
pid=$!
folder=$(first_checkpoint "$disk/ck" "$pid" "$work/run.err") || fail "no first checkpoint"
run=$(basename "$folder")
dd if=/dev/zero of="$disk/filler" bs=64k 2> /dev/null || true   # until the disk is full
before=$(scripts/checkpoint-whole.py "$folder/last.safetensors") || fail "the checkpoint was not whole when the disk filled"
echo "disk full ($(df -h --output=avail "$disk" | tail -1 | tr -d ' ') left) with the run's checkpoint at step ${before##* }"

status=0
wait "$pid" || status=$?
pid=""
((status != 0)) || fail "the run finished on a full disk (exit 0)"
message=$(grep -m1 -i "no space left" "$work/run.err" || true)
[[ -n $message ]] || { cat "$work/run.err"; fail "no 'No space left on device' error"; }
[[ $message == *"$folder"* || $message == *last.safetensors* || $message == *runs.sqlite* ]] || fail "the error names no file: $message"
echo "the run stopped (exit $status): $message"
after=$(scripts/checkpoint-whole.py "$folder/last.safetensors") || fail "last.safetensors is not whole after the failed write"
leftovers=$(find "$folder" -maxdepth 1 -name '.*.tmp-*' | wc -l)
((leftovers == 0)) || fail "$leftovers temporary file(s) left in $folder"
integrity=$(sqlite3 -batch -noheader "$disk/ck/runs.sqlite" "PRAGMA integrity_check")
[[ $integrity == ok ]] || fail "integrity_check: $integrity"
echo "previous checkpoint intact (step ${after##* }), no temporary files, run store integrity $integrity"

rm -f "$disk/filler"
"$JOULE" train --resume "$run" --runs-db "$disk/ck/runs.sqlite" > "$work/resume.log" 2>&1 || { cat "$work/resume.log"; fail "the resume failed"; }
final=$(sqlite3 -batch -noheader "$disk/ck/runs.sqlite" "SELECT status FROM runs WHERE id = '$run'")
[[ $final == FINISHED ]] || fail "after the resume the run is $final"
echo "full-disk-check: passed — resumed from step ${after##* } once space was freed; the run FINISHED"
