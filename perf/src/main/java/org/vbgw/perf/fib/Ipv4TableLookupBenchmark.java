package org.vbgw.perf.fib;

import inet.ipaddr.ipv4.IPv4AddressAssociativeTrie;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.vbgw.agent.cli.CoveredSpace;
import org.vbgw.agent.cli.RouteList;
import org.vbgw.fib.Ipv4Table;

import java.util.concurrent.TimeUnit;

/**
 * Single-thread IPv4 longest-prefix-match throughput of {@link Ipv4Table}, side by side with three
 * baselines on the same routes and the same addresses: a plain DIR-24-8 on {@code int[]} (the
 * reference point, ~50 M/s here), the {@code ipaddress} library's trie, and a {@code TreeMap} floor
 * search over flattened ranges.
 * <p>
 * Each invocation sweeps an array of addresses drawn uniformly from the covered space
 * ({@link CoveredSpace}) and sums the results, so the score is lookups per second. The two slow
 * baselines sweep only the first {@link #SLOW_ADDRESSES} of the same array, to keep one invocation
 * near a second; their per-lookup cost does not depend on the cache footprint of the array.
 * <p>
 * The {@code *Dependent} variants make each address depend on the previous result, so lookups
 * cannot overlap in the CPU: the latency-bound figure, what a forwarder sees when its per-packet work
 * leaves no room to have several lookups in flight. The plain ones are the throughput-bound figure.
 * <p>
 * Routes: {@code -p routes=...}, a route file or {@code synthetic-N} (see {@link RouteSource});
 * by default the Internet set from {@code perf/scripts/fetch-prefixes.sh} and the synthetic 1M table.
 * Quick run from the repository root:
 * {@code java -jar perf/target/benchmarks.jar Ipv4TableLookup -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc}.
 * Each state builds only its own structure, so a fork holds one table besides the routes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class Ipv4TableLookupBenchmark
{
    /** Addresses per sweep: 4 MiB of them, well beyond L2, as a gateway's traffic would be. */
    public static final int ADDRESSES = 1 << 20;
    /** Addresses per sweep for the baselines that run below 2 M/s. */
    public static final int SLOW_ADDRESSES = 1 << 17;
    /** Seed of the address draw; the same for every implementation. */
    public static final long ADDRESS_SEED = 42;

    /** The routes and the addresses every implementation is asked about. */
    @State(Scope.Benchmark)
    public static class Routes
    {
        @Param({RouteSource.IPV4_INTERNET, RouteSource.SYNTHETIC_1M})
        public String routes;

        RouteList list;
        int[] addresses;

        @Setup(Level.Trial)
        public void setup()
        {
            list = RouteSource.load(routes);
            addresses = CoveredSpace.ipv4Addresses(list, ADDRESSES, ADDRESS_SEED);
        }
    }

    /** vbgw's own table, bulk-loaded. */
    @State(Scope.Benchmark)
    public static class Vbgw
    {
        Ipv4Table table;

        @Setup(Level.Trial)
        public void setup(final Routes routes)
        {
            table = new Ipv4Table();
            routes.list.loadInto(table);
        }
    }

    /** The reference DIR-24-8. */
    @State(Scope.Benchmark)
    public static class Dir24x8
    {
        Dir24x8Table table;

        @Setup(Level.Trial)
        public void setup(final Routes routes)
        {
            table = Dir24x8Table.build(routes.list);
        }
    }

    /** The ipaddress library's associative trie. */
    @State(Scope.Benchmark)
    public static class Trie
    {
        IPv4AddressAssociativeTrie<Integer> trie;

        @Setup(Level.Trial)
        public void setup(final Routes routes)
        {
            trie = IpaddressTrie.buildIpv4(routes.list);
        }
    }

    /** TreeMap floor search over flattened ranges. */
    @State(Scope.Benchmark)
    public static class Ranges
    {
        Ipv4RangeMap map;

        @Setup(Level.Trial)
        public void setup(final Routes routes)
        {
            map = Ipv4RangeMap.build(routes.list);
        }
    }

    @Benchmark
    @OperationsPerInvocation(ADDRESSES)
    public long vbgw(final Routes routes, final Vbgw vbgw)
    {
        final Ipv4Table table = vbgw.table;
        final int[] addresses = routes.addresses;
        long sum = 0;
        for (int i = 0; i < ADDRESSES; i++)
        {
            sum += table.lookup(addresses[i]);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(ADDRESSES)
    public long dir24x8(final Routes routes, final Dir24x8 dir)
    {
        final Dir24x8Table table = dir.table;
        final int[] addresses = routes.addresses;
        long sum = 0;
        for (int i = 0; i < ADDRESSES; i++)
        {
            sum += table.lookup(addresses[i]);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(ADDRESSES)
    public int vbgwDependent(final Routes routes, final Vbgw vbgw)
    {
        final Ipv4Table table = vbgw.table;
        final int[] addresses = routes.addresses;
        int result = 0;
        for (int i = 0; i < ADDRESSES; i++)
        {
            // result >>> 31 is 1 only after a miss (-1): a true dependency that barely moves the address.
            result = table.lookup(addresses[i] + (result >>> 31));
        }
        return result;
    }

    @Benchmark
    @OperationsPerInvocation(ADDRESSES)
    public int dir24x8Dependent(final Routes routes, final Dir24x8 dir)
    {
        final Dir24x8Table table = dir.table;
        final int[] addresses = routes.addresses;
        int result = 0;
        for (int i = 0; i < ADDRESSES; i++)
        {
            result = table.lookup(addresses[i] + (result >>> 31));
        }
        return result;
    }

    @Benchmark
    @OperationsPerInvocation(SLOW_ADDRESSES)
    public long ipaddressTrie(final Routes routes, final Trie trie)
    {
        final IPv4AddressAssociativeTrie<Integer> t = trie.trie;
        final int[] addresses = routes.addresses;
        long sum = 0;
        for (int i = 0; i < SLOW_ADDRESSES; i++)
        {
            sum += IpaddressTrie.lookup(t, addresses[i]);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(SLOW_ADDRESSES)
    public long treeMap(final Routes routes, final Ranges ranges)
    {
        final Ipv4RangeMap map = ranges.map;
        final int[] addresses = routes.addresses;
        long sum = 0;
        for (int i = 0; i < SLOW_ADDRESSES; i++)
        {
            sum += map.lookup(addresses[i]);
        }
        return sum;
    }
}
