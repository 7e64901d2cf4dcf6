#!/usr/bin/env bash
# Failover measurement: sequenced traffic through vbgw over two VIFs, VIF A's link cut again and again
# (port down, route withdrawn, BFD peer silenced), the outage measured at the receiver from lost sequence numbers, for 1,000
# and 1,000,000 routes, active/active and active/standby. Builds perf/target/benchmarks.jar if it is
# missing or older than the sources, then runs org.vbgw.perf.failover.FailoverBenchmark as root.
#   perf/scripts/bench-failover.sh [--repeats 10] [--routes 1000,1000000] [--modes port-down,route-withdrawn,bfd-silenced]
#                                  [--redundancy active-active,active-standby] [--rate 20000] [--flows 20]
#                                  [--hold-down-ms 100] [--route-file FILE] [--json FILE]
#                                  [--bfd-ms 10] [--bfd-multiplier 3] [--control-rt-priority 50] [--worker-nice -20]
#                                  [--peer-rt-priority 50] [--bfd-capture true]
# The JVM runs ZGC: sender, receiver and gateway share it, and a stop-the-world collection (G1's full GC took
# 42-68 ms with 1,000 routes, longer with 1,000,000) stops the gateway's BFD longer than a 10 ms x 3 session's
# 30 ms of slack, so the customer router declares the healthy connection down. ZGC's pauses are under 1 ms.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
JAR="$ROOT/perf/target/benchmarks.jar"

for tool in ip nft ethtool java; do
    command -v "$tool" >/dev/null || { echo "bench-failover: $tool is needed (apt-get install iproute2 nftables ethtool openjdk-17-jdk-headless)" >&2; exit 2; }
done

if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/pom.xml" "$ROOT"/*/pom.xml "$ROOT"/*/src/main -newer "$JAR" -print -quit 2>/dev/null)" ]; then
    echo "bench-failover: building perf/target/benchmarks.jar..." >&2
    (cd "$ROOT" && mvn -q -B -pl perf -am package -DskipTests) >&2
fi

FLAGS=$(sed -n 's:.*<vbgw.jvmFlags>\(.*\)</vbgw.jvmFlags>.*:\1:p' "$ROOT/pom.xml")
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    SUDO=(sudo)
fi
cd "$ROOT"
# shellcheck disable=SC2086
exec "${SUDO[@]}" java $FLAGS -XX:+UseZGC -Xmx3g ${VBGW_JAVA_OPTS:-} -cp "$JAR" org.vbgw.perf.failover.FailoverBenchmark "$@"
