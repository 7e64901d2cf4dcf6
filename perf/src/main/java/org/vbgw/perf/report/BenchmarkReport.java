package org.vbgw.perf.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns the outputs of one {@code perf/scripts/bench-report.sh} run into the Markdown sections of
 * {@code docs/BENCHMARKS.md}: forwarding against Linux kernel forwarding and latency (both from
 * {@code bench-e2e.sh}), failover ({@code bench-failover.sh}), the FIB micro-benchmarks ({@code bench-fib.sh},
 * JMH's JSON) and the pipeline per packet ({@code bench-pipeline.sh}, JMH's JSON). Every section is stamped with the command that produced it, when it ran, the machine, the load
 * average before and after, and the baseline its figures are compared with.
 * <p>
 * The run directory holds {@code machine.properties} (date, cpu, vcpus, kernel, jdk, commit, mode) and, per
 * step ({@code e2e}, {@code failover}, {@code fib}, {@code pipeline}): {@code STEP.cmd}, {@code STEP.out} (the harness's output),
 * {@code STEP.status} (its exit code), {@code STEP.started} / {@code STEP.ended} (UTC), {@code STEP.load-before}
 * / {@code STEP.load-after} ({@code /proc/loadavg}'s first three fields); {@code fib.json} and {@code pipeline.json}
 * are JMH's result files.
 * A step whose files are missing or whose status is not 0 is reported as not measured, with the reason.
 * <p>
 * {@code java -cp perf/target/benchmarks.jar org.vbgw.perf.report.BenchmarkReport RUN_DIR OUTPUT.md}
 */
public final class BenchmarkReport
{
    private final Path dir;
    private final Map<String, String> machine;

    BenchmarkReport(final Path dir) throws IOException
    {
        this.dir = dir;
        this.machine = properties(dir.resolve("machine.properties"));
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length != 2)
        {
            throw new IllegalArgumentException("usage: BenchmarkReport RUN_DIR OUTPUT.md");
        }
        final String markdown = new BenchmarkReport(Path.of(args[0])).markdown();
        Files.writeString(Path.of(args[1]), markdown);
        System.out.println("bench-report: wrote " + args[1]);
    }

    /** The whole report. */
    String markdown()
    {
        final StringBuilder md = new StringBuilder();
        final boolean quick = "quick".equals(machine.get("mode"));
        md.append("## Benchmark report, ").append(machine.getOrDefault("date", "?")).append("\n\n");
        md.append("Produced by `perf/scripts/bench-report.sh").append(quick ? " --quick" : "").append("` at commit `")
            .append(machine.getOrDefault("commit", "?")).append("`.\n");
        md.append("Machine: ").append(machineLine()).append(".\n");
        if (quick)
        {
            md.append("\n**Quick run** (fewer repeats, shorter runs): it checks that every harness works; quote the " +
                "figures of a full run on a quiet machine, not these.\n");
        }
        md.append('\n');
        forwarding(md);
        latency(md);
        failover(md);
        fib(md);
        pipeline(md);
        return md.toString();
    }

    String machineLine()
    {
        return machine.getOrDefault("cpu", "?") + ", " + machine.getOrDefault("vcpus", "?") + " vCPUs, Linux " +
            machine.getOrDefault("kernel", "?") + ", " + machine.getOrDefault("jdk", "?");
    }

    // ------------------------------------------------------------------ sections

    private void forwarding(final StringBuilder md)
    {
        md.append("### Forwarding: vbgw against Linux kernel forwarding\n\n");
        final List<String> out = output("e2e", md);
        if (out == null)
        {
            return;
        }
        stamp(md, "e2e", "Linux kernel IP forwarding in the same three-namespace topology, with the same generator and " +
            "sink, back to back in the same run (rows `kernel`); the ratios are vbgw's medians over the kernel's");
        final List<String> table = tableAfter(out, "Medians of");
        if (table.isEmpty())
        {
            md.append("No medians table in the output (the run did not finish).\n\n");
            return;
        }
        md.append(lineStarting(out, "Medians of")).append("\n\n");
        table.forEach(l -> md.append(l).append('\n'));
        md.append('\n');
        for (final String l : out)
        {
            if (l.startsWith("ratio "))
            {
                md.append("- ").append(l).append('\n');
            }
        }
        md.append('\n');
    }

    private void latency(final StringBuilder md)
    {
        md.append("### Latency through the gateway (generator to sink, one way)\n\n");
        final List<String> out = output("e2e", md);
        if (out == null)
        {
            return;
        }
        stamp(md, "e2e", "the Linux kernel forwarding the same traffic in the same run (rows `kernel`)");
        final List<String> table = tableAfter(out, "Medians of");
        if (table.size() < 3)
        {
            md.append("No medians table in the output (the run did not finish).\n\n");
            return;
        }
        final List<String> header = cells(table.get(0));
        final String[] wanted = {"middle", "load", "p50 µs", "p90 µs", "p99 µs", "p99.9 µs", "max µs"};
        final int[] columns = new int[wanted.length];
        for (int i = 0; i < wanted.length; i++)
        {
            columns[i] = header.indexOf(wanted[i]);
            if (columns[i] < 0)
            {
                md.append("The medians table has no column '").append(wanted[i]).append("'.\n\n");
                return;
            }
        }
        md.append("Medians over the repeats, µs:\n\n| ").append(String.join(" | ", wanted)).append(" |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (final String row : table.subList(2, table.size()))
        {
            final List<String> c = cells(row);
            final List<String> picked = new ArrayList<>();
            for (final int column : columns)
            {
                picked.add(column < c.size() ? c.get(column) : "");
            }
            md.append("| ").append(String.join(" | ", picked)).append(" |\n");
        }
        md.append('\n');
    }

    private void failover(final StringBuilder md)
    {
        md.append("### Failover: outage at the receiver when VIF A's link is cut\n\n");
        final List<String> out = output("failover", md);
        if (out == null)
        {
            return;
        }
        stamp(md, "failover", "the clouds' defaults: health checks every 2 s, 8 lost = 16 s; AWS Direct Connect BFD " +
            "300 ms x 3 = 900 ms. vbgw's targets: port down ≤ 10 ms, BFD 10 ms x 3 ≤ 50 ms, no loss on the " +
            "surviving VIF");
        final List<String> table = tableAfter(out, "Outage at the cut");
        if (table.isEmpty())
        {
            md.append("No summary table in the output (the run did not finish).\n\n");
            return;
        }
        md.append(lineStarting(out, "Outage at the cut")).append("\n\n");
        table.forEach(l -> md.append(l).append('\n'));
        md.append('\n');
        final List<String> notes = new ArrayList<>();
        for (final String l : out)
        {
            final String t = l.strip();
            if (t.startsWith("scheduling: ") || t.startsWith("BFD Up on both") || t.startsWith("JSON "))
            {
                if (!notes.contains(t))
                {
                    notes.add(t);
                }
            }
        }
        notes.forEach(n -> md.append("- ").append(n).append('\n'));
        md.append('\n');
    }

    private void fib(final StringBuilder md)
    {
        final JsonNode results = jmhSection(md, "fib", "### FIB micro-benchmarks (JMH)",
            "the reference structures measured in the same JMH run on the same tables (a DIR-24-8 " +
            "array, the IPAddress library's trie, a range map); the throughput figures are per thread");
        if (results == null)
        {
            return;
        }
        md.append("| benchmark | parameters | score | ± 99.9 % | unit | allocated B/op |\n");
        md.append("|---|---|---:|---:|---|---:|\n");
        for (final JsonNode r : results)
        {
            final String name = r.path("benchmark").asText();
            final JsonNode primary = r.path("primaryMetric");
            final List<String> params = new ArrayList<>();
            r.path("params").fields().forEachRemaining(e -> params.add(e.getKey() + "=" + e.getValue().asText()));
            final double allocated = JmhResults.secondary(r, "gc.alloc.rate.norm");
            final String alloc = Double.isNaN(allocated) ? "–" : String.format(Locale.ROOT, "%.2f", allocated);
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n",
                name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1), String.join(", ", params),
                number(primary.path("score").asDouble()), number(primary.path("scoreError").asDouble()),
                primary.path("scoreUnit").asText(), alloc));
        }
        md.append('\n');
    }

    private void pipeline(final StringBuilder md)
    {
        final JsonNode results = jmhSection(md, "pipeline", "### Pipeline per packet (JMH, `ForwarderBenchmark`)",
            "`replayBaseline` (the replay harness alone, subtracted) and `minimalIpv4` (the steps no " +
            "IPv4 forwarder can skip, on the same frames and FIB: this machine's floor), in the same JMH run");
        if (results == null)
        {
            return;
        }
        md.append("| benchmark | minimalAdds | CPU ns per packet | wall ns per packet | B per packet |\n");
        md.append("|---|---|---:|---:|---:|\n");
        final Map<String, List<Double>> cpu = new LinkedHashMap<>();
        for (final JsonNode r : results)
        {
            final String name = r.path("benchmark").asText();
            final String method = name.substring(name.lastIndexOf('.') + 1);
            final String adds = r.path("params").path("minimalAdds").asText("–");
            final double cpuNs = JmhResults.secondary(r, "cpu.worker.norm");
            final double allocated = JmhResults.secondary(r, "gc.alloc.rate.norm");
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", method,
                method.equals("minimalIpv4") ? adds : "–", nanos(cpuNs), nanos(r.path("primaryMetric").path("score").asDouble()),
                Double.isNaN(allocated) ? "–" : String.format(Locale.ROOT, "%.3f", allocated)));
            if (!Double.isNaN(cpuNs))
            {
                cpu.computeIfAbsent(method.equals("minimalIpv4") ? method + " " + adds : method, k -> new ArrayList<>())
                    .add(cpuNs);
            }
        }
        md.append('\n');
        final double baseline = JmhResults.median(cpu.get("replayBaseline"));
        if (Double.isNaN(baseline))
        {
            md.append("No `replayBaseline` CPU figure (run with `-prof org.vbgw.perf.dataplane.CpuTimeProfiler`): " +
                "nothing derived.\n\n");
            return;
        }
        md.append("CPU ns per packet less the replay baseline (").append(nanos(baseline)).append(" ns; medians where " +
            "JMH ran a benchmark once per `minimalAdds` value):\n\n");
        final double floor = JmhResults.median(cpu.get("minimalIpv4 none"));
        for (final Map.Entry<String, List<Double>> e : cpu.entrySet())
        {
            if (e.getKey().equals("replayBaseline"))
            {
                continue;
            }
            final double net = JmhResults.median(e.getValue()) - baseline;
            md.append("- ").append(e.getKey()).append(": ").append(nanos(net)).append(" ns");
            if (!Double.isNaN(floor) && !e.getKey().equals("minimalIpv4 none"))
            {
                md.append(String.format(Locale.ROOT, " (%.2fx the IPv4 floor)", net / (floor - baseline)));
            }
            md.append('\n');
        }
        md.append('\n');
    }

    /** Nanoseconds per packet to a tenth (the pipeline's figures are tens of ns: whole ns would hide changes). */
    private static String nanos(final double v)
    {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    // ------------------------------------------------------------------ pieces

    /**
     * The heading, stamp and JMH results of a JMH step ({@code STEP.json}), or null after writing why the step has
     * none.
     */
    private JsonNode jmhSection(final StringBuilder md, final String step, final String heading, final String baseline)
    {
        md.append(heading).append("\n\n");
        if (output(step, md) == null)
        {
            return null;
        }
        stamp(md, step, baseline);
        return JmhResults.read(dir.resolve(step + ".json"), md);
    }


    /** The step's output lines, or null after writing why it was not measured. */
    private List<String> output(final String step, final StringBuilder md)
    {
        final String status = read(step + ".status");
        final String cmd = read(step + ".cmd");
        if (status == null || cmd == null)
        {
            md.append("Not measured in this run (no ").append(step).append(" step).\n\n");
            return null;
        }
        if (!status.strip().equals("0"))
        {
            md.append("Not measured: `").append(cmd.strip()).append("` exited with status ").append(status.strip())
                .append("; its last lines:\n\n```\n");
            final List<String> lines = lines(step + ".out");
            lines.subList(Math.max(0, lines.size() - 8), lines.size()).forEach(l -> md.append(l).append('\n'));
            md.append("```\n\n");
            return null;
        }
        return lines(step + ".out");
    }

    /** Command, time, machine, load and baseline: what makes a figure reproducible and comparable. */
    private void stamp(final StringBuilder md, final String step, final String baseline)
    {
        md.append("- Command: `").append(orUnknown(read(step + ".cmd"))).append("`\n");
        md.append("- Ran: ").append(orUnknown(read(step + ".started"))).append(" to ")
            .append(orUnknown(read(step + ".ended"))).append(" UTC on ").append(machineLine()).append('\n');
        md.append("- Load average (1/5/15 min) before: ").append(orUnknown(read(step + ".load-before")))
            .append(", after: ").append(orUnknown(read(step + ".load-after"))).append('\n');
        md.append("- Baseline: ").append(baseline).append("\n\n");
    }

    /** The Markdown table (lines starting with '|') that follows the first line starting with {@code marker}. */
    static List<String> tableAfter(final List<String> lines, final String marker)
    {
        final List<String> table = new ArrayList<>();
        boolean seen = false;
        for (final String l : lines)
        {
            if (!seen)
            {
                seen = l.startsWith(marker);
                continue;
            }
            if (l.startsWith("|"))
            {
                table.add(l);
            }
            else if (!table.isEmpty())
            {
                break;
            }
        }
        return table;
    }

    /** The cells of a Markdown table row, trimmed. */
    static List<String> cells(final String row)
    {
        final String inner = row.strip();
        final String[] parts = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length())
            .split("\\|", -1);
        final List<String> out = new ArrayList<>();
        for (final String p : parts)
        {
            out.add(p.strip());
        }
        return out;
    }

    private static String lineStarting(final List<String> lines, final String marker)
    {
        return lines.stream().filter(l -> l.startsWith(marker)).findFirst().orElse("");
    }

    private static String number(final double v)
    {
        if (Double.isNaN(v))
        {
            return "–";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String orUnknown(final String s)
    {
        return s == null ? "?" : s.strip();
    }

    private String read(final String name)
    {
        final Path p = dir.resolve(name);
        try
        {
            return Files.isRegularFile(p) ? Files.readString(p) : null;
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    private List<String> lines(final String name)
    {
        final String s = read(name);
        return s == null ? List.of() : List.of(s.split("\n", -1));
    }

    private static Map<String, String> properties(final Path file) throws IOException
    {
        final Map<String, String> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(file))
        {
            return out;
        }
        for (final String line : Files.readAllLines(file))
        {
            final int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#"))
            {
                out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return out;
    }
}
