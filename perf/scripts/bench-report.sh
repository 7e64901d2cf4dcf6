#!/usr/bin/env bash
# One command for the figures of docs/BENCHMARKS.md: forwarding against Linux kernel forwarding and latency
# (bench-e2e.sh), failover (bench-failover.sh), the FIB micro-benchmarks (bench-fib.sh) and the pipeline per packet
# against this machine's floor (bench-pipeline.sh), run one after the
# other, then assembled into Markdown sections stamped with the command, date, machine (CPU, vCPUs, kernel, JDK),
# load average before and after, and the baseline of each figure:
#   perf/target/BENCHMARKS-<UTC date and time>.md      (the run's raw outputs: perf/target/bench-report-<same>/)
#
#   perf/scripts/bench-report.sh            full run, about an hour: quote these figures (on a quiet machine)
#   perf/scripts/bench-report.sh --quick    a few minutes: fewer repeats, shorter runs, 1,000 routes only
#   BENCH_REPORT_STEPS="e2e fib" perf/scripts/bench-report.sh   only some steps (e2e, failover, fib, pipeline)
#
# Needs root (namespaces, AF_PACKET, nftables; sudo is used otherwise), BIRD 2 and tcpdump for the BFD
# failover mode. A step that fails is reported as not measured, with its last lines; the others still run.
# Run it when nothing else loads the machine: the load average is in the report so a reader can tell.
set -uo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
cd "$ROOT"

MODE=full
if [ "${1:-}" = "--quick" ]; then
    MODE=quick
    shift
fi
[ $# -eq 0 ] || { echo "usage: $0 [--quick]" >&2; exit 2; }

STAMP=$(date -u +%Y-%m-%dT%H%MZ)
# Relative to the repository root (the working directory from here on), so the report names no host path.
RUN="perf/target/bench-report-$STAMP"
OUT="perf/target/BENCHMARKS-$STAMP.md"
mkdir -p "$RUN"

JAR="$ROOT/perf/target/benchmarks.jar"
if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/pom.xml" "$ROOT"/*/pom.xml "$ROOT"/*/src/main -newer "$JAR" -print -quit 2>/dev/null)" ]; then
    echo "bench-report: building perf/target/benchmarks.jar..." >&2
    mvn -q -B -pl perf -am package -DskipTests >&2 || { echo "bench-report: the build failed" >&2; exit 1; }
fi

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
{
    echo "date=$(date -u +%Y-%m-%d)"
    echo "mode=$MODE"
    echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
    echo "vcpus=$(nproc)"
    echo "kernel=$(uname -r)"
    echo "jdk=$(java -version 2>&1 | head -n 1 | tr -d '"')"
    echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with local changes)')"
} > "$RUN/machine.properties"

# step NAME COMMAND...: runs one harness, keeping its command, output, exit code, times and load average.
step() {
    local name=$1
    shift
    echo "$*" > "$RUN/$name.cmd"
    loadavg > "$RUN/$name.load-before"
    date -u +%H:%M:%S > "$RUN/$name.started"
    echo "bench-report: $name: $*" >&2
    "$@" > "$RUN/$name.out" 2>&1
    echo $? > "$RUN/$name.status"
    date -u +%H:%M:%S > "$RUN/$name.ended"
    loadavg > "$RUN/$name.load-after"
    echo "bench-report: $name: exit $(cat "$RUN/$name.status"), output in $RUN/$name.out" >&2
}

STEPS=${BENCH_REPORT_STEPS:-e2e failover fib pipeline}
for s in $STEPS; do
    case "$s" in
        e2e)
            if [ "$MODE" = quick ]; then
                step e2e perf/scripts/bench-e2e.sh --seconds 2 --repeats 1 --warmup 1
            else
                step e2e perf/scripts/bench-e2e.sh --seconds 5 --repeats 3
            fi
            ;;
        failover)
            if [ "$MODE" = quick ]; then
                step failover perf/scripts/bench-failover.sh --routes 1000 --redundancy active-active,active-standby \
                    --modes port-down,bfd-silenced --repeats 2 --settle-ms 1500 --json "$RUN/failover.json"
            else
                step failover perf/scripts/bench-failover.sh --routes 1000,1000000 \
                    --redundancy active-active,active-standby --modes port-down,bfd-silenced,route-withdrawn \
                    --repeats 5 --settle-ms 2500 --json "$RUN/failover.json"
            fi
            ;;
        fib)
            if [ "$MODE" = quick ]; then
                # bench-fib.sh's own --quick (2 warmup + 3 measured 1 s iterations) less one of each (options after
                # the pattern replace --quick's); of the table loads only vbgw's own: the reference structures'
                # loads of a million routes take a minute an operation.
                step fib perf/scripts/bench-fib.sh --quick \
                    'org.vbgw.perf.fib.(Ipv[46]TableLookupBenchmark|Ipv4TableLoadBenchmark.vbgw)' -wi 1 -i 2
            else
                step fib perf/scripts/bench-fib.sh
            fi
            json=$(sed -n 's/^bench-fib: results in //p' "$RUN/fib.out" | tail -n 1)
            [ -n "$json" ] && [ -f "$json" ] && cp "$json" "$RUN/fib.json"
            ;;
        pipeline)
            if [ "$MODE" = quick ]; then
                step pipeline perf/scripts/bench-pipeline.sh --quick
            else
                step pipeline perf/scripts/bench-pipeline.sh
            fi
            json=$(sed -n 's/^bench-fib: results in //p' "$RUN/pipeline.out" | tail -n 1)
            [ -n "$json" ] && [ -f "$json" ] && cp "$json" "$RUN/pipeline.json"
            ;;
        *)
            echo "bench-report: unknown step '$s' (e2e, failover, fib, pipeline)" >&2
            exit 2
            ;;
    esac
done

java -cp "$JAR" org.vbgw.perf.report.BenchmarkReport "$RUN" "$OUT"
echo "bench-report: the sections for docs/BENCHMARKS.md are in $OUT" >&2
