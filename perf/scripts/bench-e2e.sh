#!/usr/bin/env bash
# End-to-end forwarding benchmark: vbgw against Linux kernel IP forwarding in the same three-namespace
# topology, same generator and sink, back to back. Builds perf/target/benchmarks.jar if it is missing or
# older than the sources, then runs org.vbgw.perf.e2e.ForwardingBenchmark as root.
#   perf/scripts/bench-e2e.sh [--seconds 5] [--size 64|512|1500] [--repeats 3] [other options: --help]
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
JAR="$ROOT/perf/target/benchmarks.jar"

for tool in ip nft ethtool java; do
    command -v "$tool" >/dev/null || { echo "bench-e2e: $tool is needed (apt-get install iproute2 nftables ethtool openjdk-17-jdk-headless)" >&2; exit 2; }
done

if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/pom.xml" "$ROOT"/*/pom.xml "$ROOT"/*/src/main -newer "$JAR" -print -quit 2>/dev/null)" ]; then
    echo "bench-e2e: building perf/target/benchmarks.jar..." >&2
    (cd "$ROOT" && mvn -q -B -pl perf -am package -DskipTests) >&2
fi

FLAGS=$(sed -n 's:.*<vbgw.jvmFlags>\(.*\)</vbgw.jvmFlags>.*:\1:p' "$ROOT/pom.xml")
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    SUDO=(sudo)
fi
# shellcheck disable=SC2086
exec "${SUDO[@]}" java $FLAGS ${VBGW_JAVA_OPTS:-} -cp "$JAR" org.vbgw.perf.e2e.ForwardingBenchmark "$@"
