#!/usr/bin/env bash
# End-to-end proof on a real wiki: Debian 12's MediaWiki 1.39 (unpacked into
# build/mediawiki by .ci/oracle) is installed on SQLite in a temporary folder
# with SpamBlacklist, AbuseFilter, TitleBlacklist and WikiGuard, served by
# PHP's built-in server on 127.0.0.1, and driven through api.php by e2e.php.
#
# The same scenario runs twice on copies of one freshly installed wiki:
#   stock  - the wikiguard PHP extension is NOT loaded (the drop-in proof)
#   native - loaded with -d extension=... on the server and the maintenance scripts
# The native run then compares its answers with the stock run's.
#
# Prints "e2e (<mode>): N passed, N failed[, N skipped]" per run and exits
# non-zero if anything failed. Options: --mode stock|native|both
# (default both = stock then native), --keep (leave the temporary folder). Environment: WIKIGUARD_SO (the
# .so), WIKIGUARD_E2E_ALLOW_MISSING=1 (count capabilities the loaded
# extension lacks as skipped rather than failed: for branches that precede
# the native APIs; never set in CI).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TESTS=$ROOT/mediawiki/tests
SO=${WIKIGUARD_SO:-$ROOT/target/release/libwikiguard.so}
MODES=(stock native)
KEEP=0
while (($#)); do
  case $1 in
    --mode) shift; [ "$1" = both ] || MODES=("$1") ;;
    --keep) KEEP=1 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

WORK=$(mktemp -d /tmp/wikiguard-e2e.XXXXXX)
source "$TESTS/lib/wiki.sh"
cleanup() {
  wiki_stop
  if ((KEEP)); then echo "e2e: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
wiki_require || exit 1
wiki_isolate_php

ADMIN_PASS="e2e-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
TEMPLATE=$WORK/template

declare -A RESULT
run_mode() { # mode
  local mode=$1 dir=$WORK/$1 php_ext=()
  case $mode in
    native) php_ext=(-d "extension=$SO") ;;
  esac
  [ "$mode" != stock ] && [ ! -f "$SO" ] && { echo "e2e: missing $SO"; return 1; }
  cp -a "$TEMPLATE" "$dir"
  wiki_serve "$dir" "$(wiki_free_port)" "${php_ext[@]}" || return 1
  local compare=()
  [ "$mode" != stock ] && [ -f "$WORK/stock/results.json" ] && compare=(--compare "$WORK/stock/results.json")
  E2E_PHP="php ${php_ext[*]}" php "$TESTS/e2e.php" --api "http://127.0.0.1:$WIKIGUARD_E2E_PORT/api.php" \
    --mode "$mode" --wiki "$dir" --password "$ADMIN_PASS" --out "$dir/results.json" "${compare[@]}" \
    | tee "$dir/e2e.log"
  wiki_stop
  local counts
  counts=$(tail -1 "$dir/e2e.log")
  # A scenario that died before its summary line counts as one failure.
  [[ $counts =~ ^[0-9]+\ passed ]] || counts="0 passed, 1 failed"
  RESULT[$mode]=$counts
}

status=0
if ! wiki_make "$TEMPLATE" "$ADMIN_PASS"; then
  for mode in "${MODES[@]}"; do echo "e2e ($mode): 0 passed, 1 failed"; done
  exit 1
fi
for mode in "${MODES[@]}"; do
  run_mode "$mode" || RESULT[$mode]="0 passed, 1 failed"
done
echo
for mode in "${MODES[@]}"; do
  echo "e2e ($mode): ${RESULT[$mode]}"
  [[ ${RESULT[$mode]} =~ ([0-9]+)\ failed ]] && ((BASH_REMATCH[1] > 0)) && status=1
  [[ ${RESULT[$mode]} =~ passed ]] || status=1
done
exit $status
