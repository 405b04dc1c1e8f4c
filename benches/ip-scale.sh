#!/usr/bin/env bash
# Scale check of the reputation database (not part of `make test`: it takes
# minutes and ~1 GB of disk). Generates a feed of 10 million networks
# (6M IPv4 /32, 2M IPv4 /24, 2M IPv6 /48, in three lists), builds it with
# wikiguard-db under /usr/bin/time, then measures from PHP: lookups per
# second on it, and the cost of IPReputation::open() in a fresh process.
#
#   bash benches/ip-scale.sh [WORKDIR]     (default /tmp/wikiguard-scale)
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-/tmp/wikiguard-scale}
CLI=target/cli/release/wikiguard-db
SO=$PWD/target/release/libwikiguard.so
[ -x "$CLI" ] || make --no-print-directory cli
mkdir -p "$WORK"

if [ ! -s "$WORK/v4-hosts.txt" ]; then
  echo "generating the 10M-network feed in $WORK"
  python3 - "$WORK" <<'PY'
import random, sys, ipaddress
work = sys.argv[1]
rnd = random.Random(42)
def write(name, count, make):
    with open(f"{work}/{name}", "w") as f:
        seen = set()
        while len(seen) < count:
            seen.add(make())
        f.write("\n".join(seen))
        f.write("\n")
write("v4-hosts.txt", 6_000_000, lambda: str(ipaddress.IPv4Address(rnd.getrandbits(32))))
write("v4-nets.txt", 2_000_000, lambda: f"{ipaddress.IPv4Address(rnd.getrandbits(24) << 8)}/24")
write("v6-nets.txt", 2_000_000, lambda: f"{ipaddress.IPv6Address(rnd.getrandbits(48) << 80)}/48")
PY
fi

echo "== build"
/usr/bin/time -v "$CLI" build -o "$WORK/scale.mmdb" "tor:$WORK/v4-hosts.txt" "list=drop:$WORK/v4-nets.txt" "list=v6:$WORK/v6-nets.txt" \
  2> "$WORK/build.log" || { cat "$WORK/build.log"; exit 1; }
grep -E '^wrote|Elapsed \(wall|Maximum resident' "$WORK/build.log"
ls -l "$WORK/scale.mmdb"

echo "== lookups from PHP (one process; warm: the file in the page cache and each address set looked up once before timing)"
php -d extension="$SO" -r '
function cpu(): float { $r = getrusage(); return $r["ru_utime.tv_sec"] + $r["ru_utime.tv_usec"] / 1e6 + $r["ru_stime.tv_sec"] + $r["ru_stime.tv_usec"] / 1e6; }
$db = WikiGuard\IPReputation::open($argv[1]);
$hosts = array_slice(file($argv[2], FILE_IGNORE_NEW_LINES), 0, 100000);
$random = []; mt_srand(1); for ($i = 0; $i < 100000; $i++) { $random[] = long2ip(mt_rand(0, 0xffffffff)); }
foreach ([["listed IPv4 hosts (hits)", $hosts], ["random IPv4 (mostly misses)", $random]] as [$label, $ips]) {
    foreach ($ips as $ip) { $db->lookup($ip); }
    $wall = $used = INF;
    for ($pass = 0; $pass < 5; $pass++) {
        $c = cpu(); $t = hrtime(true);
        foreach ($ips as $ip) { $db->lookup($ip); }
        $wall = min($wall, (hrtime(true) - $t) / count($ips));
        $used = min($used, (cpu() - $c) * 1e9 / count($ips));
    }
    printf("%-30s %5.0f ns per lookup (wall), %5.0f ns CPU time (best of 5 passes of 100,000)\n", $label, $wall, $used);
}' "$WORK/scale.mmdb" "$WORK/v4-hosts.txt"

echo "== the first 1,000 random lookups in a fresh PHP process (page faults, jump tables built at the 257th)"
php -d extension="$SO" -r '
$ips = []; mt_srand(2); for ($i = 0; $i < 1000; $i++) { $ips[] = long2ip(mt_rand(0, 0xffffffff)); }
$db = WikiGuard\IPReputation::open($argv[1]);
$t = hrtime(true);
foreach ($ips as $ip) { $db->lookup($ip); }
printf("%.1f µs per lookup\n", (hrtime(true) - $t) / 1e3 / count($ips));' "$WORK/scale.mmdb"

echo "== open() in a fresh PHP process (median of 5)"
for i in 1 2 3 4 5; do
  php -d extension="$SO" -r '$t = hrtime(true); WikiGuard\IPReputation::open($argv[1]); printf("%.3f\n", (hrtime(true) - $t) / 1e6);' "$WORK/scale.mmdb"
done | sort -n | sed -n 3p | sed 's/$/ ms/'
