#!/usr/bin/env bash
# `make bench`: runs every side-by-side benchmark (the PHP original and
# WikiGuard in one process each), collects what they record
# (benches/lib/record.inc) and rewrites the generated part of
# docs/benchmarks.md with one table and one PNG chart per area.
#
# BENCH_SKIP_MEDIAWIKI=1 leaves out the edit-latency benchmark through a real
# wiki (the slowest one).
set -euo pipefail
cd "$(dirname "$0")/.."
SO=${WIKIGUARD_SO:-$PWD/target/release/libwikiguard.so}
OUT=build/bench
mkdir -p "$OUT"
RESULTS=$OUT/results.jsonl
: >"$RESULTS"
export WIKIGUARD_BENCH_OUT=$PWD/$RESULTS
command -v gnuplot >/dev/null || { apt-get install -y -qq gnuplot-nox >/dev/null; }

status=0
for script in benches/php/*.php; do
  name=$(basename "$script" .php)
  echo "== $script"
  if ! php -d "extension=$SO" -d memory_limit=2G "$script" 2>&1 | tee "$OUT/$name.txt"; then
    echo "benchmark $script failed" >&2; status=1
  fi
done
if [ -z "${BENCH_SKIP_MEDIAWIKI:-}" ]; then
  echo "== benches/mediawiki"
  php -d "extension=$SO" benches/mediawiki/spam-check.php 2>&1 | tee "$OUT/mediawiki-spam-check.txt" || status=1
  benches/mediawiki/run.sh 2>&1 | tee "$OUT/mediawiki-edit-latency.txt" || status=1
fi
php -d "extension=$SO" benches/report.php "$RESULTS" docs/benchmarks.md docs/img
exit $status
