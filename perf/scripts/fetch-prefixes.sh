#!/usr/bin/env bash
# Fetches the RouteViews-derived prefix set of the npm package @ip-location-db/asn and converts its
# IPv4 and IPv6 address ranges into vbgw route files (PREFIX NEXTHOP_ID per line):
#   perf/data/ipv4-internet.routes   perf/data/ipv6-internet.routes
# perf/data/ is git-ignored: the data is fetched, never committed. Idempotent: does nothing when both
# route files exist (delete them, or pass --force, to fetch again).
#
# The package version is pinned so that figures quoted in docs/BENCHMARKS.md name one table;
# override with ASN_DB_VERSION=latest (or another version) to measure a newer one.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
DATA="$ROOT/perf/data"
PACKAGE="@ip-location-db/asn"
VERSION="${ASN_DB_VERSION:-2.3.2026061719}"
V4="$DATA/ipv4-internet.routes"
V6="$DATA/ipv6-internet.routes"

if [ "${1:-}" = "--force" ]; then
    rm -f "$V4" "$V6"
elif [ -n "${1:-}" ]; then
    echo "usage: $0 [--force]" >&2
    exit 2
fi

if [ -s "$V4" ] && [ -s "$V6" ]; then
    echo "fetch-prefixes: $V4 and $V6 exist; nothing to do (--force fetches again)" >&2
    exit 0
fi

command -v npm >/dev/null || {
    echo "fetch-prefixes: npm is needed to fetch $PACKAGE (Debian: apt-get install npm)" >&2
    exit 2
}
command -v java >/dev/null || { echo "fetch-prefixes: java (17+) is needed for the conversion" >&2; exit 2; }

mkdir -p "$DATA"
WORK="$DATA/asn-package"
rm -rf "$WORK"
mkdir -p "$WORK"

echo "fetch-prefixes: npm pack $PACKAGE@$VERSION" >&2
TARBALL=$(cd "$WORK" && npm pack --silent "$PACKAGE@$VERSION" | tail -n 1)
[ -f "$WORK/$TARBALL" ] || { echo "fetch-prefixes: npm pack produced no tarball" >&2; exit 1; }
tar -xzf "$WORK/$TARBALL" -C "$WORK"
for csv in asn-ipv4-num.csv asn-ipv6-num.csv; do
    [ -f "$WORK/package/$csv" ] || {
        echo "fetch-prefixes: $PACKAGE@$VERSION has no $csv; its layout changed (look in $WORK/package)" >&2
        exit 1
    }
done

# The converter is a class of the perf module; build it when the benchmarks jar is missing or stale.
JAR="$ROOT/perf/target/benchmarks.jar"
if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/perf/src" "$ROOT/perf/pom.xml" -newer "$JAR" -print -quit)" ]; then
    command -v mvn >/dev/null || { echo "fetch-prefixes: Maven is needed to build $JAR" >&2; exit 2; }
    echo "fetch-prefixes: building $JAR" >&2
    (cd "$ROOT" && mvn -q -B -pl perf -am package -DskipTests)
fi

java -cp "$JAR" org.vbgw.perf.fib.PrefixSetConverter "$WORK/package" "$DATA"
rm -rf "$WORK"
