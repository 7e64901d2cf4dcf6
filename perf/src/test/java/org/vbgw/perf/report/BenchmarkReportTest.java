package org.vbgw.perf.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Markdown assembly on canned outputs of the three harnesses, as bench-report.sh leaves them. */
class BenchmarkReportTest
{
    private static final String MACHINE = """
        date=2026-11-22
        mode=quick
        cpu=AMD EPYC 7B13
        vcpus=2
        kernel=6.1.0-28-cloud-amd64
        jdk=openjdk version 17.0.15 2025-04-15
        commit=abc1234
        """;

    private static final String E2E = """
        repeat 1 kernel    full offered   276,585 pps  forwarded   276,585 pps  loss   0.0 %  p50   268.8 ...
        Medians of 1 repeats, 64-byte frames:

        | middle | load | offered pps | forwarded pps | loss % | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | worker CPU ns/pkt (user) | gen CPU ns/pkt | sink CPU ns/pkt | vbgw rx ring drops |
        |---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
        | kernel | full | 276,585 | 276,585 | 0.0 | 268.8 | 400.1 | 598.5 | 700.0 | 800.0 | - (-) | 3610 | 900 | 0 |
        | vbgw-ring | full | 335,005 | 320,517 | 4.3 | 5181.4 | 9000.0 | 21413.9 | 22000.0 | 23000.0 | 2670 (162) | 2216 | 880 | 12 |

        ratio vbgw-ring/kernel at full load: forwarded pps 1.16x, p50 latency 19.28x, p99 latency 35.78x, path CPU per packet 5328 / 3610 ns = 1.48x
        """;

    private static final String FAILOVER = """
        1,000 routes, active/active: loaded through the RIB and the journal in 0.47 s
          scheduling: control thread: thread 32066 SCHED_FIFO 50
          scheduling: vbgw-worker-0: thread 32067 nice -20
          BFD Up on both connections, 10 ms x 3
          bfd-silenced    #0: outage 27.01 ms (worst of 10 flows on A, 10 moved to B), lost 262, ...

        Outage at the cut, worst flow on VIF A per repeat, ms as p50 / p90 / max (2 repeats each; 20,000 pps over 20 flows: one flow's spacing 1.00 ms)
        | routes | redundancy | mode | outage, all repeats | clean repeats | outage, clean | per-flow outage | lost (median) | surviving flows lost (all / clean) | unexplained loss | failback ms | failback lost | cut handed over, p50 ms | B's BFD session down |
        |---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
        | 1,000 | active/active | bfd-silenced | 30.24 / 33.49 / 33.49 | 2 of 2 | 30.24 / 33.49 / 33.49 | 28.1 / 33.4 / 33.5 | 297 | 0 / 0 | 0 | 606.08 / 709.36 / 709.36 | 0 | 10.4 | 0 |
        | 1,000 | active/active | port-down | 2.30 / 4.00 / 4.00 | 2 of 2 | 2.30 / 4.00 / 4.00 | 1.0 / 3.9 / 4.0 | 40 | 0 / 0 | 0 | 139.0 / 141.0 / 141.0 | 0 | 5.0 | 0 |
        JSON (every trial, with packets per ms per VIF): perf/target/failover.json
        """;

    private static final String FIB_JSON = """
        [
          {
            "jmhVersion": "1.37",
            "benchmark": "org.vbgw.perf.fib.Ipv4TableLookupBenchmark.vbgw",
            "mode": "thrpt",
            "params": {"routes": "ipv4-internet"},
            "primaryMetric": {"score": 41234567.8, "scoreError": 123456.7, "scoreUnit": "ops/s"},
            "secondaryMetrics": {"gc.alloc.rate.norm": {"score": 0.0012, "scoreUnit": "B/op"}}
          },
          {
            "jmhVersion": "1.35",
            "benchmark": "org.vbgw.perf.fib.Ipv4TableLookupBenchmark.trie",
            "mode": "thrpt",
            "params": {"routes": "ipv4-internet"},
            "primaryMetric": {"score": 5123456.0, "scoreError": 65432.1, "scoreUnit": "ops/s"},
            "secondaryMetrics": {"·gc.alloc.rate.norm": {"score": 96.0, "scoreUnit": "B/op"}}
          }
        ]
        """;

    private static final String PIPELINE_JSON = pipelineJson(
        "forwardIpv4", "none", 100.0, 101.5, 0.001,
        "replayBaseline", "none", 9.0, 9.2, 0.0,
        "minimalIpv4", "none", 59.0, 60.0, 0.0,
        "forwardIpv4", "all", 104.0, 105.0, 0.001,
        "replayBaseline", "all", 11.0, 11.1, 0.0,
        "minimalIpv4", "all", 75.0, 76.0, 0.0);

    /** JMH's JSON for ForwarderBenchmark rows: name, minimalAdds, CPU ns, wall ns, B/op, repeated. */
    private static String pipelineJson(final Object... rows)
    {
        final StringBuilder json = new StringBuilder("[\n");
        for (int i = 0; i < rows.length; i += 5)
        {
            json.append(i == 0 ? "" : ",\n").append(String.format(java.util.Locale.ROOT, """
                {"benchmark": "org.vbgw.perf.dataplane.ForwarderBenchmark.%s", "mode": "avgt",
                 "params": {"frameSize": "64", "minimalAdds": "%s", "table": "internet"},
                 "primaryMetric": {"score": %s, "scoreError": 1.0, "scoreUnit": "ns/op"},
                 "secondaryMetrics": {"cpu.worker.norm": {"score": %s, "scoreUnit": "ns/op"},
                                      "gc.alloc.rate.norm": {"score": %s, "scoreUnit": "B/op"}}}""",
                rows[i], rows[i + 1], rows[i + 3], rows[i + 2], rows[i + 4]));
        }
        return json.append("\n]\n").toString();
    }

    @TempDir
    Path dir;

    private void step(final String name, final String cmd, final int status, final String out) throws IOException
    {
        Files.writeString(dir.resolve(name + ".cmd"), cmd + "\n");
        Files.writeString(dir.resolve(name + ".status"), status + "\n");
        Files.writeString(dir.resolve(name + ".out"), out);
        Files.writeString(dir.resolve(name + ".started"), "22:00:00\n");
        Files.writeString(dir.resolve(name + ".ended"), "22:03:10\n");
        Files.writeString(dir.resolve(name + ".load-before"), "0.41 0.52 0.60\n");
        Files.writeString(dir.resolve(name + ".load-after"), "1.93 0.98 0.75\n");
    }

    private String report() throws IOException
    {
        return new BenchmarkReport(dir).markdown();
    }

    @Test
    void everySectionCarriesCommandDateMachineLoadAndBaseline() throws IOException
    {
        Files.writeString(dir.resolve("machine.properties"), MACHINE);
        step("e2e", "perf/scripts/bench-e2e.sh --seconds 2 --repeats 1 --warmup 1", 0, E2E);
        step("failover", "perf/scripts/bench-failover.sh --routes 1000 --repeats 2", 0, FAILOVER);
        step("fib", "perf/scripts/bench-fib.sh --quick", 0, "bench-fib: results in x.json\n");
        Files.writeString(dir.resolve("fib.json"), FIB_JSON);

        final String md = report();

        assertTrue(md.startsWith("## Benchmark report, 2026-11-22\n"), md);
        assertTrue(md.contains("at commit `abc1234`"), md);
        assertTrue(md.contains("**Quick run**"), md);
        for (final String section : List.of("### Forwarding", "### Latency", "### Failover", "### FIB micro-benchmarks"))
        {
            final String body = section(md, section);
            assertTrue(body.contains("- Command: `perf/scripts/bench-"), section + ":\n" + body);
            assertTrue(body.contains("- Ran: 22:00:00 to 22:03:10 UTC on AMD EPYC 7B13, 2 vCPUs, Linux " +
                "6.1.0-28-cloud-amd64, openjdk version 17.0.15 2025-04-15"), section + ":\n" + body);
            assertTrue(body.contains("- Load average (1/5/15 min) before: 0.41 0.52 0.60, after: 1.93 0.98 0.75"),
                section + ":\n" + body);
            assertTrue(body.contains("- Baseline: "), section + ":\n" + body);
        }
        assertTrue(section(md, "### Forwarding").contains("--seconds 2 --repeats 1 --warmup 1"));
        assertTrue(section(md, "### FIB").contains("- Command: `perf/scripts/bench-fib.sh --quick`"));
    }

    @Test
    void forwardingKeepsTheMediansAndRatiosAndLatencyPicksItsColumns() throws IOException
    {
        Files.writeString(dir.resolve("machine.properties"), MACHINE);
        step("e2e", "perf/scripts/bench-e2e.sh", 0, E2E);

        final String forwarding = section(report(), "### Forwarding");
        assertTrue(forwarding.contains("Medians of 1 repeats, 64-byte frames:"), forwarding);
        assertTrue(forwarding.contains("| vbgw-ring | full | 335,005 | 320,517 | 4.3 |"), forwarding);
        assertTrue(forwarding.contains("- ratio vbgw-ring/kernel at full load: forwarded pps 1.16x"), forwarding);
        assertFalse(forwarding.contains("repeat 1 kernel"), "per-run lines stay in the raw output");

        final String latency = section(report(), "### Latency");
        assertTrue(latency.contains("| middle | load | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs |"), latency);
        assertTrue(latency.contains("| kernel | full | 268.8 | 400.1 | 598.5 | 700.0 | 800.0 |"), latency);
        assertTrue(latency.contains("| vbgw-ring | full | 5181.4 | 9000.0 | 21413.9 | 22000.0 | 23000.0 |"), latency);
    }

    @Test
    void failoverKeepsTheSummaryTableAndTheSchedulingNotes() throws IOException
    {
        Files.writeString(dir.resolve("machine.properties"), MACHINE);
        step("failover", "perf/scripts/bench-failover.sh", 0, FAILOVER);

        final String failover = section(report(), "### Failover");
        assertTrue(failover.contains("2 s, 8 lost = 16 s") && failover.contains("300 ms x 3 = 900 ms"), failover);
        assertTrue(failover.contains("| 1,000 | active/active | bfd-silenced | 30.24 / 33.49 / 33.49 | 2 of 2 |"),
            failover);
        assertTrue(failover.contains("| 1,000 | active/active | port-down | 2.30 / 4.00 / 4.00 |"), failover);
        assertTrue(failover.contains("- scheduling: control thread: thread 32066 SCHED_FIFO 50"), failover);
        assertTrue(failover.contains("- BFD Up on both connections, 10 ms x 3"), failover);
        assertFalse(failover.contains("#0: outage"), "per-trial lines stay in the raw output");
    }

    @Test
    void fibRowsComeFromJmhJsonWithAllocationUnderEitherMetricName() throws IOException
    {
        Files.writeString(dir.resolve("machine.properties"), MACHINE);
        step("fib", "perf/scripts/bench-fib.sh", 0, "");
        Files.writeString(dir.resolve("fib.json"), FIB_JSON);

        final String fib = section(report(), "### FIB");
        assertTrue(fib.contains("| Ipv4TableLookupBenchmark.vbgw | routes=ipv4-internet | 41,234,568 | 123,457 | " +
            "ops/s | 0.00 |"), fib);
        assertTrue(fib.contains("| Ipv4TableLookupBenchmark.trie | routes=ipv4-internet | 5,123,456 | 65,432 | " +
            "ops/s | 96.00 |"), fib);
    }

    @Test
    void pipelineRowsAndTheirDistanceFromTheFloorNetOfTheReplayBaseline() throws IOException
    {
        Files.writeString(dir.resolve("machine.properties"), MACHINE);
        step("pipeline", "perf/scripts/bench-pipeline.sh", 0, "bench-fib: results in x.json\n");
        Files.writeString(dir.resolve("pipeline.json"), PIPELINE_JSON);

        final String pipeline = section(report(), "### Pipeline");
        assertTrue(pipeline.contains("- Command: `perf/scripts/bench-pipeline.sh`"), pipeline);
        assertTrue(pipeline.contains("| forwardIpv4 | – | 100.0 | 101.5 | 0.001 |"), pipeline);
        assertTrue(pipeline.contains("| minimalIpv4 | all | 75.0 | 76.0 | 0.000 |"), pipeline);
        // Baseline: the median of 9 and 11; the floor: minimal (none) 59 − 10 = 49 ns.
        assertTrue(pipeline.contains("replay baseline (10.0 ns"), pipeline);
        assertTrue(pipeline.contains("- minimalIpv4 none: 49.0 ns\n"), pipeline);
        assertTrue(pipeline.contains("- forwardIpv4: 92.0 ns (1.88x the IPv4 floor)"), pipeline);
        assertTrue(pipeline.contains("- minimalIpv4 all: 65.0 ns (1.33x the IPv4 floor)"), pipeline);
    }

    @Test
    void aPipelineRunWithoutCpuTimeDerivesNothing() throws IOException
    {
        Files.writeString(dir.resolve("machine.properties"), MACHINE);
        step("pipeline", "perf/scripts/bench-pipeline.sh", 0, "");
        Files.writeString(dir.resolve("pipeline.json"), PIPELINE_JSON.replace("cpu.worker.norm", "other.metric"));

        final String pipeline = section(report(), "### Pipeline");
        assertTrue(pipeline.contains("| forwardIpv4 | – | – | 101.5 | 0.001 |"), pipeline);
        assertTrue(pipeline.contains("No `replayBaseline` CPU figure"), pipeline);
    }

    @Test
    void aFailedOrMissingStepIsReportedAsNotMeasuredWithItsLastLines() throws IOException
    {
        Files.writeString(dir.resolve("machine.properties"), MACHINE.replace("mode=quick", "mode=full"));
        step("failover", "perf/scripts/bench-failover.sh --routes 1000", 1,
            "1,000 routes, active/active: loaded\nException in thread \"main\" java.lang.IllegalStateException: " +
                "BFD did not come up with the customer router\n");

        final String md = report();
        assertFalse(md.contains("**Quick run**"), md);
        final String failover = section(md, "### Failover");
        assertTrue(failover.contains("Not measured: `perf/scripts/bench-failover.sh --routes 1000` exited with status 1"),
            failover);
        assertTrue(failover.contains("BFD did not come up with the customer router"), failover);
        assertTrue(section(md, "### Forwarding").contains("Not measured in this run (no e2e step)."), md);
        assertTrue(section(md, "### FIB").contains("Not measured in this run (no fib step)."), md);
        assertTrue(section(md, "### Pipeline").contains("Not measured in this run (no pipeline step)."), md);
    }

    @Test
    void cellsSplitARowAndTableAfterStopsAtTheFirstOtherLine()
    {
        assertEquals(List.of("a", "b c", "", "d"), BenchmarkReport.cells("| a | b c |  | d |"));
        assertEquals(List.of("| x |", "|---|", "| 1 |"), BenchmarkReport.tableAfter(
            List.of("| before |", "Marker line", "", "| x |", "|---|", "| 1 |", "after", "| other |"), "Marker"));
        assertTrue(BenchmarkReport.tableAfter(List.of("no marker", "| x |"), "Marker").isEmpty());
    }

    /** The text from {@code heading} to the next heading of the same or a higher level. */
    private static String section(final String md, final String heading)
    {
        final int start = md.indexOf(heading);
        assertTrue(start >= 0, "no section " + heading + " in:\n" + md);
        final int end = md.indexOf("\n### ", start + heading.length());
        return md.substring(start, end < 0 ? md.length() : end);
    }
}
