#!/usr/bin/env bash
# The run store at scale: 100 runs holding 1,000,000 metric rows, then the time of a
# filtered `joule runs list` and of `joule runs compare` over 5 runs (medians of 5, whole
# commands including process start). Usage: bench/run-store-scale.sh [DB]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
joule=.build/release/joule
db=${1:-/tmp/joule-scale/runs.sqlite}
mkdir -p "$(dirname "$db")"
rm -f "$db" "$db-wal" "$db-shm"
start=$(date +%s.%N)
for i in $(seq -w 1 100); do
  "$joule" runs write-metrics --runs-db "$db" --run "run-$i" --count 10000 --batch 10000 --keys 10 >/dev/null
done
echo "populated 100 runs × 10,000 metric rows in $(echo "$(date +%s.%N) - $start" | bc) s ($(du -h "$db" | cut -f1))"
median() {  # median wall seconds of 5 runs of the command
  for _ in 1 2 3 4 5; do
    s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc
  done | sort -n | sed -n 3p
}
echo "runs list --where (filter on two metrics, order by a metric): $(median "$joule" runs list --runs-db "$db" \
  --where "metrics.m3 > 0 and (metrics.m7 < 0.5 or params.writer = 'synthetic')" --order-by "metrics.m1 desc" --limit 20) s"
echo "runs list --json (all 100 runs):                              $(median "$joule" runs list --runs-db "$db" --json) s"
echo "runs compare (5 runs):                                        $(median "$joule" runs compare --runs-db "$db" run-001 run-025 run-050 run-075 run-100) s"
echo "report (2 runs, 20,000 rows of curves):                       $(median "$joule" report --runs-db "$db" run-001 run-002 --out /tmp/joule-scale/report.html) s"
