#!/usr/bin/env bash
# Edit-save latency through api.php on one wiki with the 12,145-line meta
# spam blacklist, with the wikiguard PHP extension not loaded (stock) and
# loaded (native): same wiki, same edits, one run. The server is PHP's
# built-in one (one process), restarted between the two configurations.
#
# Usage: benches/mediawiki/run.sh [EDITS_PER_ROUND [ROUNDS]] (default 10 3);
# WIKIGUARD_SO overrides the .so.
# Prints a markdown table of median and p95 (ms) per configuration and link count.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SO=${WIKIGUARD_SO:-$ROOT/target/release/libwikiguard.so}
EDITS=${1:-10}
ROUNDS=${2:-3}
WORK=$(mktemp -d /tmp/wikiguard-bench.XXXXXX)
source "$ROOT/mediawiki/tests/lib/wiki.sh"
trap 'wiki_stop; rm -rf "$WORK"' EXIT
wiki_require
wiki_isolate_php
[ -f "$SO" ] || { echo "missing $SO: run 'make build'"; exit 1; }

PASS="bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
WIKI=$WORK/wiki
wiki_make "$WIKI" "$PASS"

# Rounds alternate the two configurations so that background load hits both alike.
RESULTS=$WORK/timings.jsonl
for round in $(seq "$ROUNDS"); do
  for config in stock native; do
    php_ext=()
    [ "$config" = native ] && php_ext=(-d "extension=$SO")
    wiki_serve "$WIKI" "$(wiki_free_port)" "${php_ext[@]}"
    for links in 10 100; do
      php "$ROOT/benches/mediawiki/edit-latency.php" --api "http://127.0.0.1:$WIKIGUARD_E2E_PORT/api.php" \
        --password "$PASS" --label "$config" --edits "$EDITS" --links "$links" --round "$round" >>"$RESULTS"
    done
    wiki_stop
  done
done
echo "mode lines seen in the wiki's WikiGuard log:" >&2
grep -h 'WikiGuard mode' "$WIKI/logs/wikiguard.log" | sed 's/.*WikiGuard mode: //' | sort | uniq -c >&2
php "$ROOT/benches/mediawiki/edit-latency.php" --stats "$RESULTS"
