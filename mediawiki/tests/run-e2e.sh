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
# --mode shim (development only, never part of `make test`) runs the native
# scenario against shim/wikiguard-shim.php, a plain-PHP test double of the
# native API, to exercise this extension's glue before the native classes exist.
#
# Prints "e2e (<mode>): N passed, N failed[, N skipped]" per run and exits
# non-zero if anything failed. Options: --mode stock|native|shim|both
# (default both = stock then native), --keep (leave the temporary folder). Environment: WIKIGUARD_SO (the
# .so), WIKIGUARD_E2E_ALLOW_MISSING=1 (count capabilities the loaded
# extension lacks as skipped rather than failed: for branches that precede
# the native APIs; never set in CI).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TESTS=$ROOT/mediawiki/tests
SO=${WIKIGUARD_SO:-$ROOT/target/release/libwikiguard.so}
MW=$ROOT/build/mediawiki/usr/share/mediawiki
MODES=(stock native)
KEEP=0
while (($#)); do
  case $1 in
    --mode) shift; [ "$1" = both ] || MODES=("$1"); [ "$1" = shim ] && MODES=(stock shim) ;;
    --keep) KEEP=1 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

[ -f "$MW/vendor/autoload.php" ] || bash "$ROOT/.ci/oracle" "$ROOT/build/mediawiki" || exit 1
php -r 'exit(extension_loaded("pdo_sqlite") && extension_loaded("intl") ? 0 : 1);' \
  || { echo "e2e: php8.2-sqlite3 / php8.2-intl missing (run .ci/deps)"; exit 1; }

WORK=$(mktemp -d /tmp/wikiguard-e2e.XXXXXX)
SERVER_PID=
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  if ((KEEP)); then echo "e2e: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# PHP without any system-wide wikiguard.ini (a concurrent `make install`
# check must not leak the extension into the stock run).
SCAN_DIR=$WORK/php-conf.d
mkdir -p "$SCAN_DIR"
for ini in "$(php -r 'echo PHP_CONFIG_FILE_SCAN_DIR;')"/*.ini; do
  grep -q 'wikiguard' "$ini" || cp "$ini" "$SCAN_DIR/"
done
export PHP_INI_SCAN_DIR=$SCAN_DIR

free_port() { php -r '$s = stream_socket_server("tcp://127.0.0.1:0"); $n = stream_socket_get_name($s, false); echo substr($n, strrpos($n, ":") + 1);'; }

ADMIN_PASS="e2e-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
TEMPLATE=$WORK/template

# A wiki in $TEMPLATE: a symlink farm over the code plus its own writable parts.
make_template() {
  mkdir -p "$TEMPLATE"/{extensions,images,cache,data,logs}
  for f in "$MW"/*; do
    case ${f##*/} in LocalSettings.php|extensions|images|config|cache) continue ;; esac
    ln -s "$f" "$TEMPLATE/"
  done
  ln -s "$MW"/extensions-core/* "$TEMPLATE/extensions/"
  ln -s "$ROOT/mediawiki/WikiGuard" "$TEMPLATE/extensions/WikiGuard"
  MW_INSTALL_PATH=$TEMPLATE php "$TEMPLATE/maintenance/install.php" --confpath="$TEMPLATE" \
    --dbtype=sqlite --dbpath="$TEMPLATE/data" --dbname=wikidb \
    --server="http://127.0.0.1:8080" --scriptpath= --lang=en \
    --pass="$ADMIN_PASS" WikiGuardE2E Admin >"$WORK/install.log" 2>&1 \
    || { tail -20 "$WORK/install.log"; return 1; }
  sed -i -e 's#^\$wgSQLiteDataDir = .*#$wgSQLiteDataDir = __DIR__ . "/data";#' \
         -e 's#^\$wgServer = .*#$wgServer = "http://127.0.0.1:" . getenv( "WIKIGUARD_E2E_PORT" );#' \
         "$TEMPLATE/LocalSettings.php"
  cp "$ROOT/php-tests/data/meta-global-spam-blacklist-2013-04-28.txt" "$TEMPLATE/data/spam-blacklist.txt"
  cp "$TESTS/data/email-blacklist.txt" "$TESTS/data/title-blacklist.txt" "$TEMPLATE/data/"
  php "$TESTS/make-reputation-db.php" "$TEMPLATE/data/reputation.mmdb" || return 1
  cat "$TESTS/LocalSettings.e2e.php" >>"$TEMPLATE/LocalSettings.php"
  MW_INSTALL_PATH=$TEMPLATE WIKIGUARD_E2E_PORT=8080 php "$TEMPLATE/maintenance/update.php" --quick \
    >"$WORK/update.log" 2>&1 || { tail -20 "$WORK/update.log"; return 1; }
}

declare -A RESULT
run_mode() { # mode
  local mode=$1 dir=$WORK/$1 port php_ext=()
  case $mode in
    native) php_ext=(-d "extension=$SO") ;;
    shim) php_ext=(-d "extension=$SO" -d "auto_prepend_file=$TESTS/shim/wikiguard-shim.php") ;;
  esac
  [ "$mode" != stock ] && [ ! -f "$SO" ] && { echo "e2e: missing $SO"; return 1; }
  cp -a "$TEMPLATE" "$dir"
  port=$(free_port)
  export MW_INSTALL_PATH=$dir WIKIGUARD_E2E_PORT=$port
  php "${php_ext[@]}" -S "127.0.0.1:$port" -t "$dir" >"$dir/logs/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do
    php -r 'exit(@fsockopen("127.0.0.1", (int)$argv[1]) ? 0 : 1);' "$port" && break
    sleep 0.05
  done
  local compare=()
  [ "$mode" != stock ] && [ -f "$WORK/stock/results.json" ] && compare=(--compare "$WORK/stock/results.json")
  E2E_PHP="php ${php_ext[*]}" php "$TESTS/e2e.php" --api "http://127.0.0.1:$port/api.php" \
    --mode "$mode" --wiki "$dir" --password "$ADMIN_PASS" --out "$dir/results.json" "${compare[@]}" \
    | tee "$dir/e2e.log"
  kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
  local counts
  counts=$(tail -1 "$dir/e2e.log")
  RESULT[$mode]=$counts
}

status=0
if ! make_template; then
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
