package org.vbgw.perf.fib;

import inet.ipaddr.ipv6.IPv6AddressAssociativeTrie;
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
import org.vbgw.fib.Ipv6Table;

import java.util.concurrent.TimeUnit;

/**
 * Single-thread IPv6 longest-prefix-match throughput of {@link Ipv6Table}, side by side with the
 * {@code ipaddress} trie and a {@code TreeMap} floor search on the same routes and addresses; see
 * {@link Ipv4TableLookupBenchmark} for the method. There is no DIR-style array baseline: a 128-bit
 * address space has no flat first level worth building.
 * <p>
 * Addresses are uniform over the covered space, which in IPv6 means almost all of them fall in the
 * few largest allocations (a /12 outweighs every /48 together): this measures the short-prefix path
 * with warm caches, a best case. Quick run:
 * {@code java -jar perf/target/benchmarks.jar Ipv6TableLookup -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class Ipv6TableLookupBenchmark
{
    /** Addresses per sweep (16 MiB of them). */
    public static final int ADDRESSES = 1 << 20;
    /** Addresses per sweep for the baselines that run below 2 M/s. */
    public static final int SLOW_ADDRESSES = 1 << 17;

    /** The routes and the addresses every implementation is asked about. */
    @State(Scope.Benchmark)
    public static class Routes
    {
        @Param({RouteSource.IPV6_INTERNET})
        public String routes;

        RouteList list;
        long[] his;
        long[] los;

        @Setup(Level.Trial)
        public void setup()
        {
            list = RouteSource.load(routes);
            his = new long[ADDRESSES];
            los = new long[ADDRESSES];
            CoveredSpace.ipv6Addresses(list, Ipv4TableLookupBenchmark.ADDRESS_SEED, his, los);
        }
    }

    /** vbgw's own table, bulk-loaded. */
    @State(Scope.Benchmark)
    public static class Vbgw
    {
        Ipv6Table table;

        @Setup(Level.Trial)
        public void setup(final Routes routes)
        {
            table = new Ipv6Table();
            routes.list.loadInto(table);
        }
    }

    /** The ipaddress library's associative trie. */
    @State(Scope.Benchmark)
    public static class Trie
    {
        IPv6AddressAssociativeTrie<Integer> trie;

        @Setup(Level.Trial)
        public void setup(final Routes routes)
        {
            trie = IpaddressTrie.buildIpv6(routes.list);
        }
    }

    /** TreeMap floor search over flattened ranges. */
    @State(Scope.Benchmark)
    public static class Ranges
    {
        Ipv6RangeMap map;

        @Setup(Level.Trial)
        public void setup(final Routes routes)
        {
            map = Ipv6RangeMap.build(routes.list);
        }
    }

    @Benchmark
    @OperationsPerInvocation(ADDRESSES)
    public long vbgw(final Routes routes, final Vbgw vbgw)
    {
        final Ipv6Table table = vbgw.table;
        final long[] his = routes.his;
        final long[] los = routes.los;
        long sum = 0;
        for (int i = 0; i < ADDRESSES; i++)
        {
            sum += table.lookup(his[i], los[i]);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(SLOW_ADDRESSES)
    public long ipaddressTrie(final Routes routes, final Trie trie)
    {
        final IPv6AddressAssociativeTrie<Integer> t = trie.trie;
        final long[] his = routes.his;
        final long[] los = routes.los;
        long sum = 0;
        for (int i = 0; i < SLOW_ADDRESSES; i++)
        {
            sum += IpaddressTrie.lookup(t, his[i], los[i]);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(SLOW_ADDRESSES)
    public long treeMap(final Routes routes, final Ranges ranges)
    {
        final Ipv6RangeMap map = ranges.map;
        final long[] his = routes.his;
        final long[] los = routes.los;
        long sum = 0;
        for (int i = 0; i < SLOW_ADDRESSES; i++)
        {
            sum += map.lookup(his[i], los[i]);
        }
        return sum;
    }
}
