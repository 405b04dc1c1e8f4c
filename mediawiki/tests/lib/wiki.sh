# Shell helpers shared by run-e2e.sh and benches/mediawiki/run.sh: a throwaway
# MediaWiki 1.39 on SQLite, served by PHP's built-in server on 127.0.0.1.
# Source it with ROOT (the repository) and WORK (a scratch folder) set.

WIKI_MW=$ROOT/build/mediawiki/usr/share/mediawiki
WIKI_TESTS=$ROOT/mediawiki/tests
SERVER_PID=

# Checks the code tree and PHP modules; unpacks the oracle if needed.
wiki_require() {
  [ -f "$WIKI_MW/vendor/autoload.php" ] || bash "$ROOT/.ci/oracle" "$ROOT/build/mediawiki" || return 1
  php -r 'exit(extension_loaded("pdo_sqlite") && extension_loaded("intl") ? 0 : 1);' \
    || { echo "wiki: php8.2-sqlite3 / php8.2-intl missing (run .ci/deps)"; return 1; }
}

# PHP without any system-wide wikiguard.ini, so that a concurrent
# `make install` check cannot leak the extension into a stock run.
wiki_isolate_php() {
  local scan=$WORK/php-conf.d ini
  mkdir -p "$scan"
  for ini in "$(php -r 'echo PHP_CONFIG_FILE_SCAN_DIR;')"/*.ini; do
    grep -q 'wikiguard' "$ini" || cp "$ini" "$scan/"
  done
  export PHP_INI_SCAN_DIR=$scan
}

wiki_free_port() {
  php -r '$s = stream_socket_server("tcp://127.0.0.1:0"); $n = stream_socket_get_name($s, false); echo substr($n, strrpos($n, ":") + 1);'
}

# wiki_make DIR ADMIN_PASSWORD: installs a wiki in DIR (a symlink farm over the
# code plus its own data/, logs/, ...) with the e2e settings and lists.
wiki_make() {
  local dir=$1 password=$2 f
  mkdir -p "$dir"/{extensions,images,cache,data,logs}
  for f in "$WIKI_MW"/*; do
    case ${f##*/} in LocalSettings.php|extensions|images|config|cache) continue ;; esac
    ln -s "$f" "$dir/"
  done
  ln -s "$WIKI_MW"/extensions-core/* "$dir/extensions/"
  ln -s "$ROOT/mediawiki/WikiGuard" "$dir/extensions/WikiGuard"
  MW_INSTALL_PATH=$dir php "$dir/maintenance/install.php" --confpath="$dir" \
    --dbtype=sqlite --dbpath="$dir/data" --dbname=wikidb \
    --server="http://127.0.0.1:8080" --scriptpath= --lang=en \
    --pass="$password" WikiGuardE2E Admin >"$dir/logs/install.log" 2>&1 \
    || { tail -20 "$dir/logs/install.log"; return 1; }
  # Relocatable (copied per run) and served on whatever port is free.
  sed -i -e 's#^\$wgSQLiteDataDir = .*#$wgSQLiteDataDir = __DIR__ . "/data";#' \
         -e 's#^\$wgServer = .*#$wgServer = "http://127.0.0.1:" . getenv( "WIKIGUARD_E2E_PORT" );#' \
         "$dir/LocalSettings.php"
  cp "$ROOT/php-tests/data/meta-global-spam-blacklist-2013-04-28.txt" "$dir/data/spam-blacklist.txt"
  cp "$WIKI_TESTS/data/email-blacklist.txt" "$WIKI_TESTS/data/title-blacklist.txt" "$dir/data/"
  # The reputation database is built by the project's own wikiguard-db
  # (`make cli`), as a sysadmin would build it from a feed.
  "${WIKIGUARD_DB:-$ROOT/target/cli/release/wikiguard-db}" build -o "$dir/data/reputation.mmdb" \
    "jsonl=e2e:$WIKI_TESTS/data/reputation.jsonl" >"$dir/logs/reputation-db.log" 2>&1 \
    || { cat "$dir/logs/reputation-db.log"; return 1; }
  cat "$WIKI_TESTS/LocalSettings.e2e.php" >>"$dir/LocalSettings.php"
  MW_INSTALL_PATH=$dir WIKIGUARD_E2E_PORT=8080 php "$dir/maintenance/update.php" --quick \
    >"$dir/logs/update.log" 2>&1 || { tail -20 "$dir/logs/update.log"; return 1; }
}

# wiki_serve DIR PORT [php options...]: starts the built-in server (SERVER_PID)
# and exports MW_INSTALL_PATH / WIKIGUARD_E2E_PORT for maintenance scripts.
wiki_serve() {
  local dir=$1 port=$2; shift 2
  export MW_INSTALL_PATH=$dir WIKIGUARD_E2E_PORT=$port
  php "$@" -S "127.0.0.1:$port" -t "$dir" >>"$dir/logs/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 200); do
    php -r 'exit(@fsockopen("127.0.0.1", (int)$argv[1]) ? 0 : 1);' "$port" && return 0
    sleep 0.05
  done
  echo "wiki: server on port $port did not start"; return 1
}

wiki_stop() {
  [ -n "$SERVER_PID" ] || return 0
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}
