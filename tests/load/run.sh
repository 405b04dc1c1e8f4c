#!/usr/bin/env bash
# The php-fpm + nginx load test (`make loadtest`; a short run is a suite of
# `make test`). Starts private php-fpm and nginx instances on loopback (no
# system service is touched), serves tests/load/edit-check.php with the built
# extension, and drives it with wrk at each concurrency in
# LOADTEST_CONCURRENCY for LOADTEST_SECONDS each, while the reputation
# database named by INI wikiguard.reputation_db is atomically replaced
# (rename) every LOADTEST_SWAP_INTERVAL seconds, alternating two versions A
# and B that answer differently for the probe addresses.
#
# Fails unless: every response is a 200 whose edit check equals the
# single-process baseline and whose reputation answer is A's or B's; the
# database was replaced at least LOADTEST_MIN_SWAPS times and both answers
# were served; no worker crashed or was replaced (php-fpm log, worker pids);
# no worker's RSS grew by more than LOADTEST_RSS_GROWTH_MB between the end of
# the warm-up and the end of the run.
#
# Prints one RESULT line per concurrency, a Markdown table of the figures and
# "loadtest: passed" or "loadtest: FAILED (<reasons>)". Everything it starts
# stops on exit (trap); every loop is bounded in count and time.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

SO=${WIKIGUARD_SO:-$ROOT/target/release/libwikiguard.so}
CLI=${WIKIGUARD_DB:-$ROOT/target/cli/release/wikiguard-db}
SECONDS_EACH=${LOADTEST_SECONDS:-30}
CONCURRENCY=${LOADTEST_CONCURRENCY:-2 8 32}
WORKERS=${LOADTEST_WORKERS:-4}
SWAP_INTERVAL=${LOADTEST_SWAP_INTERVAL:-0.05}
MIN_SWAPS=${LOADTEST_MIN_SWAPS:-100}
RELOAD_INTERVAL=${LOADTEST_RELOAD_INTERVAL:-0.2}
RSS_GROWTH_MB=${LOADTEST_RSS_GROWTH_MB:-16}
WARMUP_SECONDS=3
# Probe addresses: A-only, A and B differ, B-only, the same in both, in neither.
PROBE_IPS=(198.51.100.1 198.51.100.2 198.51.100.3 198.51.100.5 198.51.100.9 2001:db8::1 2001:db8::2)

LOADTEST_PACKAGES=(php8.2-fpm nginx-light wrk)
missing=()
for pkg in "${LOADTEST_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "loadtest: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi
[ -f "$SO" ] || { echo "loadtest: missing $SO (make build)" >&2; exit 1; }
[ -x "$CLI" ] || { echo "loadtest: missing $CLI (make cli)" >&2; exit 1; }

D=$(mktemp -d /tmp/wikiguard-load.XXXXXX)
LOG_KEEP=${LOADTEST_LOGS:-$ROOT/build/test-logs/loadtest}
pids=()
cleanup() {
  local pid
  touch "$D/stop"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  mkdir -p "$LOG_KEEP" && cp "$D"/*.log "$LOG_KEEP"/ 2>/dev/null || true
  rm -rf "$D"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$D/www" "$D/db" "$D/tmp"
chmod 0711 "$D" # nginx workers (nobody) reach the socket inside
cp tests/load/edit-check.php tests/load/edit_check.inc "$D/www/"
cp php-tests/data/meta-global-spam-blacklist-2013-04-28.txt "$D/www/spam-list.txt"

# The two database versions and what each answers for the probes.
"$CLI" build -o "$D/db/A.mmdb" list=feedA:tests/load/feed-a.txt tor=tor:tests/load/tor-exits.txt >/dev/null
"$CLI" build -o "$D/db/B.mmdb" list=feedB:tests/load/feed-b.txt tor=tor:tests/load/tor-exits.txt >/dev/null
"$CLI" lookup "$D/db/A.mmdb" "${PROBE_IPS[@]}" >"$D/db/A.lookup"
"$CLI" lookup "$D/db/B.mmdb" "${PROBE_IPS[@]}" >"$D/db/B.lookup"
php -d "extension=$SO" tests/load/expect.php "$D/www/spam-list.txt" "$D/db/A.lookup" "$D/db/B.lookup" >"$D/expect.lua"
cmp -s "$D/db/A.lookup" "$D/db/B.lookup" && { echo "loadtest: A and B answer alike" >&2; exit 1; }
cp "$D/db/A.mmdb" "$D/db/reputation.mmdb"

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cat >"$D/fpm.conf" <<EOF
[global]
pid = $D/fpm.pid
error_log = $D/fpm.log
daemonize = no
[load]
listen = $D/fpm.sock
listen.mode = 0666
listen.backlog = 512
pm = static
pm.max_children = $WORKERS
; a hang becomes a 502/504 the driver counts, not a stuck run
request_terminate_timeout = 60s
catch_workers_output = yes
php_admin_flag[log_errors] = on
php_admin_flag[display_errors] = off
php_admin_value[error_log] = $D/php-errors.log
; as a sysadmin would give each pool its database (php-fpm applies these in
; each worker after module start-up)
php_admin_value[wikiguard.reputation_db] = $D/db/reputation.mmdb
php_admin_value[wikiguard.reload_interval] = $RELOAD_INTERVAL
EOF

cat >"$D/nginx.conf" <<EOF
worker_processes 1;
pid $D/nginx.pid;
error_log $D/nginx-error.log;
daemon off;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $D/tmp/body; fastcgi_temp_path $D/tmp/fcgi;
  proxy_temp_path $D/tmp/proxy; uwsgi_temp_path $D/tmp/uwsgi; scgi_temp_path $D/tmp/scgi;
  client_body_buffer_size 64k;
  server {
    listen 127.0.0.1:$PORT;
    root $D/www;
    location = /edit-check.php {
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
      fastcgi_read_timeout 60s;
      fastcgi_pass unix:$D/fpm.sock;
    }
  }
}
EOF

# The extension is loaded by the master (as conf.d/wikiguard.ini would); the
# fpm php.ini brings opcache.
php-fpm8.2 -R -y "$D/fpm.conf" -c /etc/php/8.2/fpm/php.ini -d "extension=$SO" &
FPM_PID=$!; pids+=("$FPM_PID")
nginx -c "$D/nginx.conf" -e "$D/nginx-error.log" &
pids+=("$!")

for _ in $(seq 1 100); do
  curl -fsS -o /dev/null --max-time 2 -H 'X-Forwarded-For: 198.51.100.1' --data-binary ok \
    "http://127.0.0.1:$PORT/edit-check.php" 2>/dev/null && break
  sleep 0.1
done
curl -fsS --max-time 5 -H 'X-Forwarded-For: 198.51.100.1' -H 'X-Edit-Kind: short' --data-binary ok \
  "http://127.0.0.1:$PORT/edit-check.php" || { echo "loadtest: endpoint not answering" >&2; tail -n 5 "$D"/*.log >&2; exit 1; }

worker_rss() { # "pid rss_kb" of each fpm worker, sorted by pid
  local pid
  for pid in $(pgrep -P "$FPM_PID" | sort -n); do
    printf '%s %s\n' "$pid" "$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")"
  done
}

drive() { # concurrency seconds → wrk output
  local connections=$1 threads=$(( $1 < 2 ? $1 : 2 ))
  timeout $(($2 + 60)) wrk -t "$threads" -c "$connections" -d "${2}s" --timeout 30s --latency \
    -s tests/load/edits.lua "http://127.0.0.1:$PORT" -- "$D/expect.lua"
}

drive 4 "$WARMUP_SECONDS" >"$D/warmup.log"
worker_rss >"$D/rss-before"

# The swapper: alternates A and B at the configured path by rename, bounded
# in count; it stops when the run ends.
max_swaps=$(awk -v n="$CONCURRENCY" -v s="$SECONDS_EACH" -v i="$SWAP_INTERVAL" \
  'BEGIN { c = split(n, a, " "); print int(c * (s + 5) / i) + 10 }')
(
  swaps=0
  while ((swaps < max_swaps)) && [ ! -e "$D/stop" ]; do
    version=$([ $((swaps % 2)) -eq 0 ] && echo B || echo A)
    cp "$D/db/$version.mmdb" "$D/db/reputation.mmdb.tmp"
    mv -f "$D/db/reputation.mmdb.tmp" "$D/db/reputation.mmdb"
    swaps=$((swaps + 1))
    echo "$swaps" >"$D/swaps"
    sleep "$SWAP_INTERVAL"
  done
) &
SWAPPER_PID=$!; pids+=("$SWAPPER_PID")

: >"$D/results"
for c in $CONCURRENCY; do
  drive "$c" "$SECONDS_EACH" >"$D/wrk-c$c.log" 2>&1 || true
  sed -n 's/^RESULT /RESULT concurrency='"$c"' /p' "$D/wrk-c$c.log" | tee -a "$D/results"
  grep '^FIRST_PROBLEM' "$D/wrk-c$c.log" | cut -c1-400 || true
done
touch "$D/stop"; wait "$SWAPPER_PID" 2>/dev/null || true
worker_rss >"$D/rss-after"
cp "$D/fpm.log" "$D/fpm-before-shutdown.log"

# --- Verdict ---------------------------------------------------------------
failures=()
field() { sed -nE "s/.* $1=([0-9.]+).*/\1/p" <<<"$2"; }
sum_field() { awk -v k="$1" '{ for (i = 1; i <= NF; i++) if (split($i, kv, "=") == 2 && kv[1] == k) s += kv[2] } END { print s + 0 }' "$D/results"; }
runs=$(grep -c '^RESULT' "$D/results" || true)
(( runs == $(wc -w <<<"$CONCURRENCY") )) || failures+=("$runs of $(wc -w <<<"$CONCURRENCY") wrk runs reported")
for key in non200 mismatches socket_errors timeouts refusals; do
  total=$(sum_field "$key")
  ((total == 0)) || failures+=("$key=$total")
done
(( $(sum_field requests) > 0 )) || failures+=("no requests")
(( $(sum_field a_answers) > 0 && $(sum_field b_answers) > 0 )) || failures+=("not both database versions were served")
swaps=$(cat "$D/swaps" 2>/dev/null || echo 0)
((swaps >= MIN_SWAPS)) || failures+=("only $swaps replacements of the database (< $MIN_SWAPS)")
if grep -E 'exited on signal|child [0-9]+ exited|SIGSEGV|SIGBUS|SIGABRT' "$D/fpm-before-shutdown.log" >&2; then
  failures+=("a php-fpm worker exited")
fi
[ "$(cut -d' ' -f1 "$D/rss-before")" = "$(cut -d' ' -f1 "$D/rss-after")" ] || failures+=("the set of fpm workers changed")
if [ -s "$D/php-errors.log" ]; then head -5 "$D/php-errors.log" >&2; failures+=("PHP errors were logged"); fi
max_growth_kb=$(join "$D/rss-before" "$D/rss-after" | awk '{ g = $3 - $2; if (g > m) m = g } END { print m + 0 }')
((max_growth_kb <= RSS_GROWTH_MB * 1024)) || failures+=("worker RSS grew by ${max_growth_kb} KiB (> ${RSS_GROWTH_MB} MiB)")

echo
echo "| concurrency | requests | req/s | p50 ms | p99 ms | max ms | non-200 | mismatches | A answers | B answers |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
while read -r line; do
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
    "$(field concurrency "$line")" "$(field requests "$line")" "$(field rps "$line")" \
    "$(field p50_ms "$line")" "$(field p99_ms "$line")" "$(field max_ms "$line")" \
    "$(field non200 "$line")" "$(field mismatches "$line")" "$(field a_answers "$line")" "$(field b_answers "$line")"
done < <(sed 's/^RESULT/RESULT /' "$D/results")
echo
echo "workers: $WORKERS (pm static), ${SECONDS_EACH}s per concurrency, database replaced $swaps times" \
  "(every ${SWAP_INTERVAL}s, reload_interval ${RELOAD_INTERVAL}s)"
echo "worker RSS KiB after warm-up: $(cut -d' ' -f2 "$D/rss-before" | tr '\n' ' ')"
echo "worker RSS KiB at the end:    $(cut -d' ' -f2 "$D/rss-after" | tr '\n' ' ')(max growth ${max_growth_kb} KiB, bound ${RSS_GROWTH_MB} MiB)"
if ((${#failures[@]})); then
  echo "loadtest: FAILED (${failures[*]})"
  exit 1
fi
echo "loadtest: passed"
