package org.vbgw.perf.frr;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time used so far by a few processes (from {@code /proc/PID/stat}) and by this JVM's threads, grouped by
 * thread name with digits removed; {@link #since} prints what each used after the sample, largest first, in
 * seconds. For the benchmarks' "where the time goes", not for anything that runs often.
 */
final class CpuSample
{
    /** Linux's USER_HZ: utime and stime are in these ticks. */
    private static final double TICKS_PER_SECOND = 100.0;
    private static final String[] PROCESS_NAMES = {"bgpd", "zebra", "bird"};

    private final long[] processTicks;
    private final Map<String, Long> threadNs;

    private CpuSample(final long[] processTicks, final Map<String, Long> threadNs)
    {
        this.processTicks = processTicks;
        this.threadNs = threadNs;
    }

    /** Samples bgpd, zebra and BIRD (by pid, -1 for none) and this JVM's threads. */
    static CpuSample take(final long bgpd, final long zebra, final long bird)
    {
        return new CpuSample(new long[] {ticks(bgpd), ticks(zebra), ticks(bird)}, threads());
    }

    /** CPU seconds used since this sample, by process and by JVM thread group, largest first. */
    String since(final long bgpd, final long zebra, final long bird)
    {
        final long[] now = {ticks(bgpd), ticks(zebra), ticks(bird)};
        final Map<String, Double> used = new TreeMap<>();
        for (int i = 0; i < now.length; i++)
        {
            used.put(PROCESS_NAMES[i], (now[i] - processTicks[i]) / TICKS_PER_SECOND);
        }
        threads().forEach((name, ns) -> used.put("jvm:" + name, (ns - threadNs.getOrDefault(name, 0L)) / 1e9));
        final StringBuilder sb = new StringBuilder();
        used.entrySet().stream().filter(e -> e.getValue() >= 0.05)
            .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
            .forEach(e -> sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey())
                .append(String.format(Locale.ROOT, " %.1f", e.getValue())));
        return sb.toString();
    }

    private static long ticks(final long pid)
    {
        if (pid <= 0)
        {
            return 0;
        }
        try
        {
            final String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name (field 2) may hold spaces; fields count from after its closing parenthesis.
            final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
        catch (final IOException | RuntimeException ex)
        {
            return 0;
        }
    }

    private static Map<String, Long> threads()
    {
        final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        final Map<String, Long> byName = new TreeMap<>();
        for (final var info : mx.getThreadInfo(mx.getAllThreadIds()))
        {
            if (info != null)
            {
                final long ns = mx.getThreadCpuTime(info.getThreadId());
                if (ns > 0)
                {
                    byName.merge(info.getThreadName().replaceAll("[0-9]+", "#"), ns, Long::sum);
                }
            }
        }
        return byName;
    }
}
