#!/usr/bin/env bash
# A customer's table through vbgw's whole BGP path, timed: BIRD 2 announces N prefixes of the RouteViews-derived
# Internet table over eBGP to the gateway's FRR (rendered and run as vbgw does), zebra hands them over FPM to a
# started gateway runtime (FPM server, RIB, journal, FIB). Prints per run the time from the session's Established
# to all in bgpd, to the first and last route over FPM (the FPM ingest rate) and to all in the FIB, and where the
# CPU went; then medians. Fetches the table (perf/scripts/fetch-prefixes.sh) and builds perf/target/benchmarks.jar
# when missing. Runs org.vbgw.perf.frr.BgpFibConvergenceBenchmark as root.
#   perf/scripts/bench-bgp-scale.sh [--prefixes N|all] [--repeats 3] [--routes FILE]
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
JAR="$ROOT/perf/target/benchmarks.jar"

for tool in ip bird vtysh java; do
    command -v "$tool" >/dev/null || { echo "bench-bgp-scale: $tool is needed (apt-get install iproute2 bird2 frr openjdk-17-jdk-headless)" >&2; exit 2; }
done
[ -x /usr/lib/frr/zebra ] || { echo "bench-bgp-scale: FRR's daemons are needed in /usr/lib/frr (apt-get install frr)" >&2; exit 2; }

if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/pom.xml" "$ROOT"/*/pom.xml "$ROOT"/*/src/main -newer "$JAR" -print -quit 2>/dev/null)" ]; then
    echo "bench-bgp-scale: building perf/target/benchmarks.jar..." >&2
    (cd "$ROOT" && mvn -q -B -pl perf -am package -DskipTests) >&2
fi
if [ ! -s "$ROOT/perf/data/ipv4-internet.routes" ]; then
    "$ROOT/perf/scripts/fetch-prefixes.sh"
fi

FLAGS=$(sed -n 's:.*<vbgw.jvmFlags>\(.*\)</vbgw.jvmFlags>.*:\1:p' "$ROOT/pom.xml")
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    SUDO=(sudo)
fi
cd "$ROOT"
# shellcheck disable=SC2086
exec "${SUDO[@]}" java $FLAGS -Xmx3g ${VBGW_JAVA_OPTS:-} -cp "$JAR" org.vbgw.perf.frr.BgpFibConvergenceBenchmark "$@"
