#!/usr/bin/env bash
# Runs the FIB benchmarks (IPv4/IPv6 lookup, IPv4 load and update) with JMH's GC profiler and writes
# the results as JSON under perf/target/. Builds perf/target/benchmarks.jar when it is missing or
# older than the sources, and fetches the Internet prefix set when it is missing.
#
#   perf/scripts/bench-fib.sh            full run (JMH defaults of each class: 5 x 2 s iterations)
#   perf/scripts/bench-fib.sh --quick    short run to check everything works (-f 1 -wi 2 -i 3, 1 s)
#   perf/scripts/bench-fib.sh [--quick] REGEX [JMH OPTIONS...]   only benchmarks matching REGEX
#   BENCH_JAVA_OPTS=-Djmh.ignoreLock=true perf/scripts/bench-fib.sh ...   when another JMH run holds the lock
#
# Run from anywhere; the benchmarks resolve perf/data/ against the repository root. BENCH_LABEL (default fib) names
# the result file, perf/target/jmh-LABEL-MODE-TIME.json (bench-pipeline.sh sets it).
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
cd "$ROOT"

QUICK=()
MODE=full
if [ "${1:-}" = "--quick" ]; then
    QUICK=(-f 1 -wi 2 -i 3 -w 1s -r 1s)
    MODE=quick
    shift
fi
PATTERN="${1:-org.vbgw.perf.fib.Ipv[46]Table(Lookup|Load)Benchmark}"
[ $# -gt 0 ] && shift

JAR="$ROOT/perf/target/benchmarks.jar"
if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/pom.xml" "$ROOT"/{fib,tap-io,dataplane,control-agent,perf}/pom.xml \
        "$ROOT"/{fib,tap-io,dataplane,control-agent,perf}/src/main -newer "$JAR" -print -quit 2>/dev/null)" ]; then
    command -v mvn >/dev/null || { echo "bench-fib: Maven (mvn) is needed to build $JAR" >&2; exit 2; }
    echo "bench-fib: building $JAR" >&2
    mvn -q -B -pl perf -am package -DskipTests
fi

if [ ! -s perf/data/ipv4-internet.routes ] || [ ! -s perf/data/ipv6-internet.routes ]; then
    perf/scripts/fetch-prefixes.sh
fi

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$ROOT/perf/target/jmh-${BENCH_LABEL:-fib}-$MODE-$STAMP.json"
echo "bench-fib: $MODE run of '$PATTERN', results in $OUT" >&2
# BENCH_JAVA_OPTS reaches the JMH host JVM, e.g. -Djmh.ignoreLock=true on a machine shared with other runs.
# shellcheck disable=SC2086
# An option given after the pattern replaces --quick's of the same name: JMH refuses an option given twice.
KEEP=()
for ((i = 0; i < ${#QUICK[@]}; i += 2)); do
    given=no
    for a in "$@"; do
        [ "$a" = "${QUICK[i]}" ] && given=yes
    done
    [ "$given" = no ] && KEEP+=("${QUICK[i]}" "${QUICK[i + 1]}")
done
java ${BENCH_JAVA_OPTS:-} -jar "$JAR" "$PATTERN" "${KEEP[@]}" -prof gc -rf json -rff "$OUT" "$@"
echo "bench-fib: results in $OUT" >&2
