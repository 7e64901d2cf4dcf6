package org.vbgw.agent.cli;

import org.vbgw.fib.Ipv4Table;
import org.vbgw.fib.Ipv6Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code vbgw fib bench --routes FILE [--seconds N]}: how big and how fast is the forwarding table
 * for this route set on this machine? Prints the routes loaded, the bulk-load time, the memory the
 * tables hold, and single-thread lookups per second for addresses drawn uniformly from the covered
 * space (see {@link CoveredSpace}), for each family present.
 * <p>
 * A quick figure, not a benchmark: JMH's {@code Ipv4TableLookupBenchmark} in {@code perf} is the one
 * quoted against baselines. The measuring loop is still shaped for the JIT: one small static method
 * that sweeps a slice of a precomputed address array, called until the time is up, its sum kept in
 * a field.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Load a route file and measure table size and single-thread lookups per second.")
public final class FibBenchCommand implements Callable<Integer>
{
    /** 4 MiB of IPv4 addresses: well beyond L2, so lookups are not served from a few hot lines. */
    static final int ADDRESS_COUNT = 1 << 20;
    /** Lookups between clock reads: short enough to stop near the deadline even on a slow table. */
    private static final int CHUNK = 1 << 14;
    private static final long SEED = 0x5EED_F1BL;
    private static final double WARM_UP_SECONDS = 1.0;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Spec
    CommandSpec spec;

    @Option(names = "--routes", required = true, paramLabel = "FILE",
        description = "PREFIX NEXTHOP_ID per line, IPv4 and IPv6 mixed, '#' comments.")
    Path routesFile;

    @Option(names = "--seconds", defaultValue = "3", paramLabel = "N",
        description = "Measuring time per address family, after a short warm-up (default: ${DEFAULT-VALUE}).")
    int seconds;

    /** Sum of every lookup result: written after each sweep so the JIT cannot drop the lookups. */
    private long sink;

    @Override
    public Integer call() throws Exception
    {
        if (seconds < 1)
        {
            throw new ParameterException(spec.commandLine(), "--seconds must be at least 1, got " + seconds);
        }
        final PrintWriter out = spec.commandLine().getOut();

        final long parseStart = System.nanoTime();
        final RouteList routes = RouteFile.read(routesFile);
        final long parseNs = System.nanoTime() - parseStart;
        out.printf("routes loaded: %d IPv4, %d IPv6 from %s (parsed in %d ms)%n",
            routes.ipv4Count(), routes.ipv6Count(), routesFile, parseNs / 1_000_000);
        if (routes.ipv4Count() == 0 && routes.ipv6Count() == 0)
        {
            spec.commandLine().getErr().println("vbgw: no routes in " + routesFile + ", nothing to measure");
            out.flush();
            return 1;
        }

        final long heapBefore = usedHeapBytes();
        final Ipv4Table ipv4 = new Ipv4Table();
        final Ipv6Table ipv6 = new Ipv6Table();
        long start = System.nanoTime();
        routes.loadInto(ipv4);
        final long ipv4LoadNs = System.nanoTime() - start;
        start = System.nanoTime();
        routes.loadInto(ipv6);
        final long ipv6LoadNs = System.nanoTime() - start;
        final long heapDelta = usedHeapBytes() - heapBefore;

        out.printf("load time: IPv4 %.1f ms, IPv6 %.1f ms (bulk load)%n", ipv4LoadNs / 1e6, ipv6LoadNs / 1e6);
        out.printf("memory: IPv4 table %s, IPv6 table %s (memoryBytes); heap used %s%s%n",
            bytes(ipv4.memoryBytes()), bytes(ipv6.memoryBytes()), heapDelta < 0 ? "-" : "+", bytes(Math.abs(heapDelta)));
        out.flush();

        if (ipv4.size() > 0)
        {
            final int[] addresses = CoveredSpace.ipv4Addresses(routes, ADDRESS_COUNT, SEED);
            measureIpv4(out, ipv4, addresses);
        }
        if (ipv6.size() > 0)
        {
            final long[] his = new long[ADDRESS_COUNT];
            final long[] los = new long[ADDRESS_COUNT];
            CoveredSpace.ipv6Addresses(routes, SEED, his, los);
            measureIpv6(out, ipv6, his, los);
        }
        out.flush();
        return 0;
    }

    private void measureIpv4(final PrintWriter out, final Ipv4Table table, final int[] addresses)
    {
        runIpv4(table, addresses, Math.min(WARM_UP_SECONDS, seconds));
        final long cpuStart = THREADS.getCurrentThreadCpuTime();
        final long start = System.nanoTime();
        final long lookups = runIpv4(table, addresses, seconds);
        report(out, "IPv4", lookups, System.nanoTime() - start, THREADS.getCurrentThreadCpuTime() - cpuStart, addresses.length);
    }

    private void measureIpv6(final PrintWriter out, final Ipv6Table table, final long[] his, final long[] los)
    {
        runIpv6(table, his, los, Math.min(WARM_UP_SECONDS, seconds));
        final long cpuStart = THREADS.getCurrentThreadCpuTime();
        final long start = System.nanoTime();
        final long lookups = runIpv6(table, his, los, seconds);
        report(out, "IPv6", lookups, System.nanoTime() - start, THREADS.getCurrentThreadCpuTime() - cpuStart, his.length);
    }

    private long runIpv4(final Ipv4Table table, final int[] addresses, final double forSeconds)
    {
        final long deadline = System.nanoTime() + (long)(forSeconds * 1e9);
        long lookups = 0;
        int from = 0;
        do
        {
            sink += sweepIpv4(table, addresses, from, from + CHUNK);
            lookups += CHUNK;
            from = (from + CHUNK) & (ADDRESS_COUNT - 1);
        }
        while (System.nanoTime() < deadline);
        return lookups;
    }

    private long runIpv6(final Ipv6Table table, final long[] his, final long[] los, final double forSeconds)
    {
        final long deadline = System.nanoTime() + (long)(forSeconds * 1e9);
        long lookups = 0;
        int from = 0;
        do
        {
            sink += sweepIpv6(table, his, los, from, from + CHUNK);
            lookups += CHUNK;
            from = (from + CHUNK) & (ADDRESS_COUNT - 1);
        }
        while (System.nanoTime() < deadline);
        return lookups;
    }

    private static long sweepIpv4(final Ipv4Table table, final int[] addresses, final int from, final int to)
    {
        long sum = 0;
        for (int i = from; i < to; i++)
        {
            sum += table.lookup(addresses[i]);
        }
        return sum;
    }

    private static long sweepIpv6(final Ipv6Table table, final long[] his, final long[] los, final int from, final int to)
    {
        long sum = 0;
        for (int i = from; i < to; i++)
        {
            sum += table.lookup(his[i], los[i]);
        }
        return sum;
    }

    private static void report(
        final PrintWriter out, final String family, final long lookups, final long elapsedNs, final long cpuNs,
        final int addressCount)
    {
        // On a shared machine the thread may get a fraction of a core: the rate per CPU-second says
        // what the table does when it runs, the wall-clock rate what it did here.
        out.printf("lookups %s: %.2f M/s (1 thread, %d lookups in %.2f s, %d addresses uniform over covered space; " +
            "%.2f M per CPU-second, thread on CPU %.0f%% of the time)%n",
            family, lookups * 1e3 / elapsedNs, lookups, elapsedNs / 1e9, addressCount,
            cpuNs > 0 ? lookups * 1e3 / cpuNs : Double.NaN, 100.0 * cpuNs / elapsedNs);
        out.flush();
    }

    private static long usedHeapBytes()
    {
        // Two collections: the first may only queue finalizable or softly reachable garbage.
        System.gc();
        System.gc();
        final Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static String bytes(final long bytes)
    {
        if (bytes < 1024)
        {
            return bytes + " B";
        }
        return bytes < 1024 * 1024 ? String.format("%.1f KiB", bytes / 1024.0) : String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
