#!/usr/bin/env bash
# The forwarding pipeline per packet (ForwarderBenchmark, 64-byte frames, Internet-size FIB): IPv4, IPv6 and mixed
# traffic through the whole path, the minimal path (the floor this machine puts under it) bare and with everything
# else the forwarder does, and the replay baseline to subtract, in one JMH run with CPU time per packet
# (CpuTimeProfiler) and allocation per packet (-prof gc). Results as JSON under perf/target/ (bench-fib.sh runs JMH
# and builds the jar when needed).
#
#   perf/scripts/bench-pipeline.sh            10 x 1 s warmup, 5 x 1 s measured per benchmark (~3 minutes)
#   perf/scripts/bench-pipeline.sh --quick    3 x 1 s warmup, 3 x 1 s measured (C2 may not have settled: a check only)
#   perf/scripts/bench-pipeline.sh [--quick] [JMH OPTIONS...]   e.g. -p frameSize=64,imix
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)

RUNS=(-f 1 -wi 10 -i 5 -w 1s -r 1s)
if [ "${1:-}" = "--quick" ]; then
    RUNS=(-f 1 -wi 3 -i 3 -w 1s -r 1s)
    shift
fi
# forward* and replayBaseline do not read minimalAdds: JMH runs them once per value all the same, which only adds
# repeats of them to the same run.
BENCH_LABEL=pipeline exec "$ROOT/perf/scripts/bench-fib.sh" \
    'org.vbgw.perf.dataplane.ForwarderBenchmark.(forwardIpv4|forwardIpv6|forwardMixed|minimalIpv4|replayBaseline)$' \
    "${RUNS[@]}" -p frameSize=64 -p table=internet -p minimalAdds=none,all \
    -prof org.vbgw.perf.dataplane.CpuTimeProfiler \
    -jvmArgsAppend "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -Xms2g -Xmx2g" "$@"
