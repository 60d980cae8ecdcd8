#!/usr/bin/env bash
# The two GPU rounds that chose the cnn-s JEM settings (BENCHMARKS.md, issue 5): each
# configuration of bench/torch_jem_sweep.py as its own process on one GPU, for at most
# LIMIT seconds (default 400); per-epoch results land as OUT_DIR/NAME.jsonl.
# Usage: bench/jem-sweep.sh 1|2 FASHION_MNIST_DIR OUT_DIR
# (Run through the device tool with the Fashion-MNIST .gz files copied into the checkout.)
set -uo pipefail
cd "$(dirname "$0")/.."
round=$1 data=$2 out=$3
mkdir -p "$out"
run() { PYTHONUNBUFFERED=1 timeout "${LIMIT:-400}" python3 bench/torch_jem_sweep.py --data "$data" --out "$out" --config "$1" \
          > "$out/$(echo "$1" | cut -d: -f1).log" 2>&1 & }
if [ "$round" = 1 ]; then  # 12-epoch cosine schedules, from the first cnn-s run's settings
  for c in base:lr=1e-3 ce:px=0 lr5e-4:lr=5e-4 lr2e-4:lr=2e-4 l2-0.01:l2=0.01 steps10:steps=10 \
           sgd:optimizer=sgd,lr=0.05,weight_decay=5e-4 px0.3:px=0.3; do run "$c"; done
else                       # 8-epoch cosine schedules around the best of round 1
  for c in ce8:px=0 px0.3:px=0.3 px0.3-l2-0.01:px=0.3,l2=0.01 px0.1:px=0.1 lr2e-3:lr=2e-3 \
           px0.3-lr2e-3:px=0.3,lr=2e-3 px0.3-steps3:px=0.3,steps=3 px0.3-l2-0.03:px=0.3,l2=0.03; do run "$c,epochs=8"; done
fi
wait
