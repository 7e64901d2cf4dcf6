package org.vbgw.perf.rib;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.vbgw.agent.journal.FibWriter;
import org.vbgw.agent.rib.Rib;
import org.vbgw.agent.rib.RibPath;
import org.vbgw.agent.rib.RouteSource;
import org.vbgw.fib.IpPrefix;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A bulk of BGP routes through the RIB into a FIB writer, on one thread: what zebra's full table costs the agent
 * before the journal. Each operation is one whole bulk ({@code SingleShotTime}): {@code load} adds {@link #routes}
 * eBGP routes to an empty RIB, {@code replace} moves every one of them to another path set, {@code withdraw}
 * removes them all. Paths as zebra's table gives them over FPM: a third via peer A, a third via peer B, a third
 * ECMP over both, each route with path objects of its own (as the FPM table makes them). The FIB writer only
 * counts, so the figure is the RIB's alone; routes per second = {@code routes} / the time per operation.
 * <p>
 * {@code impl}: {@code current} is {@link Rib}; {@code legacy} is the RIB as it was before (kept as
 * {@link LegacyRib}), run side by side in the same JVM settings. Run:
 * {@code java -jar perf/target/benchmarks.jar RibBenchmark -f 1 -wi 3 -i 5}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class RibBenchmark
{
    /** What the benchmark needs of a RIB. */
    interface Ops
    {
        void add(RouteSource source, IpPrefix prefix, List<RibPath> paths);

        boolean remove(RouteSource source, IpPrefix prefix);
    }

    /** A FIB writer that counts entries and keeps nothing. */
    static final class CountingWriter implements FibWriter
    {
        long entries;

        @Override
        public long nextHop(final int id, final int vif, final boolean v6, final long hi, final long lo)
        {
            return entries++;
        }

        @Override
        public long nextHopRemoved(final int id)
        {
            return entries++;
        }

        @Override
        public long nextHopState(final int id, final boolean alive, final int cause)
        {
            return entries++;
        }

        @Override
        public long group(final int id, final int[] nhs, final int[] w, final int n, final int backup)
        {
            return entries++;
        }

        @Override
        public long groupRemoved(final int id)
        {
            return entries++;
        }

        @Override
        public long route(final boolean v6, final long hi, final long lo, final int len, final int group)
        {
            return entries++;
        }

        @Override
        public long routeRemoved(final boolean v6, final long hi, final long lo, final int len)
        {
            return entries++;
        }

        @Override
        public long neighbour(final int vif, final boolean v6, final long hi, final long lo, final long mac)
        {
            return entries++;
        }

        @Override
        public long neighbourRemoved(final int vif, final boolean v6, final long hi, final long lo)
        {
            return entries++;
        }

        @Override
        public long vifAdminState(final int vif, final boolean up)
        {
            return entries++;
        }

        @Override
        public long transactionBegin()
        {
            return entries++;
        }

        @Override
        public long transactionEnd()
        {
            return entries++;
        }
    }

    @Param({"current", "legacy"})
    public String impl;

    @Param({"500000"})
    public int routes;

    private IpPrefix[] prefixes;
    private List<RibPath>[] first;
    private List<RibPath>[] second;
    private CountingWriter writer;
    private Ops rib;

    static Ops create(final String impl, final FibWriter writer)
    {
        if ("legacy".equals(impl))
        {
            final LegacyRib r = new LegacyRib(writer);
            return new Ops()
            {
                @Override
                public void add(final RouteSource source, final IpPrefix prefix, final List<RibPath> paths)
                {
                    r.add(source, prefix, paths);
                }

                @Override
                public boolean remove(final RouteSource source, final IpPrefix prefix)
                {
                    return r.remove(source, prefix);
                }
            };
        }
        final Rib r = new Rib(writer);
        return new Ops()
        {
            @Override
            public void add(final RouteSource source, final IpPrefix prefix, final List<RibPath> paths)
            {
                r.add(source, prefix, paths);
            }

            @Override
            public boolean remove(final RouteSource source, final IpPrefix prefix)
            {
                return r.remove(source, prefix);
            }
        };
    }

    /** Path set {@code k % 3} of a route: via peer A, via peer B, or ECMP over both; objects of its own. */
    static List<RibPath> paths(final int k)
    {
        final RibPath a = new RibPath(1, IpPrefix.parse("10.0.0.2"), 1);
        final RibPath b = new RibPath(2, IpPrefix.parse("10.0.0.6"), 1);
        return switch (k % 3)
        {
            case 0 -> List.of(a);
            case 1 -> List.of(b);
            default -> List.of(a, b);
        };
    }

    /** {@code n} distinct /24s (and some /22s), spread over the address space as a real table is. */
    @SuppressWarnings("unchecked")
    @Setup(Level.Iteration)
    public void setup()
    {
        prefixes = new IpPrefix[routes];
        first = new List[routes];
        second = new List[routes];
        for (int i = 0; i < routes; i++)
        {
            // A multiplicative spread of i over 2^24 /24s: distinct, in no order.
            final int slot = (int)((i * 2654435761L) & 0xFF_FFFF);
            final int length = (i & 7) == 0 ? 22 : 24;
            prefixes[i] = IpPrefix.ipv4((slot << 8) & IpPrefix.mask32(length), length);
            first[i] = paths(i);
            second[i] = paths(i + 1);
        }
        writer = new CountingWriter();
        rib = create(impl, writer);
    }

    /** Per distinct prefix: the /22s collide with /24s' slots only by address, so a few prefixes repeat; fine. */
    @Benchmark
    public long load()
    {
        for (int i = 0; i < routes; i++)
        {
            rib.add(RouteSource.EBGP, prefixes[i], first[i]);
        }
        return writer.entries;
    }

    /** State for the benchmarks that start from a loaded RIB. */
    @State(Scope.Thread)
    public static class Loaded
    {
        Ops rib;
        CountingWriter writer;

        @Setup(Level.Iteration)
        public void load(final RibBenchmark b)
        {
            writer = new CountingWriter();
            rib = create(b.impl, writer);
            for (int i = 0; i < b.routes; i++)
            {
                rib.add(RouteSource.EBGP, b.prefixes[i], b.first[i]);
            }
        }
    }

    @Benchmark
    public long replace(final Loaded loaded)
    {
        for (int i = 0; i < routes; i++)
        {
            loaded.rib.add(RouteSource.EBGP, prefixes[i], second[i]);
        }
        return loaded.writer.entries;
    }

    @Benchmark
    public long withdraw(final Loaded loaded)
    {
        for (int i = 0; i < routes; i++)
        {
            loaded.rib.remove(RouteSource.EBGP, prefixes[i]);
        }
        return loaded.writer.entries;
    }
}
