package org.vbgw.perf.fib;

import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv4.IPv4AddressAssociativeTrie;
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
import org.vbgw.agent.cli.RouteList;
import org.vbgw.fib.IpPrefix;
import org.vbgw.fib.Ipv4Table;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * How long it takes to build an IPv4 table from a full route set, and to change one route in a
 * loaded one.
 * <p>
 * Build ({@code SingleShotTime}, ms per full load, one load per iteration): {@link Ipv4Table#bulkLoad}
 * against building a DIR-24-8, a flattened-range {@code TreeMap} and the {@code ipaddress} trie from
 * the same route arrays. Update ({@code AverageTime}, ns per pair): put and then remove a prefix the
 * table does not hold, cycling through {@link #FRESH} such prefixes whose lengths follow the table's
 * own mix, on vbgw's table and on the {@code ipaddress} trie (the DIR-24-8 and range baselines are
 * build-only). Quick run:
 * {@code java -jar perf/target/benchmarks.jar Ipv4TableLoad -f 1 -wi 1 -i 3 -w 1s -r 1s}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class Ipv4TableLoadBenchmark
{
    /** Fresh prefixes the update benchmarks cycle through (a power of two). */
    public static final int FRESH = 1 << 12;

    /** The route set every structure is built from. */
    @State(Scope.Benchmark)
    public static class Routes
    {
        @Param({RouteSource.IPV4_INTERNET, RouteSource.SYNTHETIC_1M})
        public String routes;

        RouteList list;

        @Setup(Level.Trial)
        public void setup()
        {
            list = RouteSource.load(routes);
        }
    }

    /** A loaded vbgw table and prefixes it does not hold. */
    @State(Scope.Thread)
    public static class LoadedVbgw
    {
        Ipv4Table table;
        final int[] prefixes = new int[FRESH];
        final int[] lengths = new int[FRESH];
        int next;

        @Setup(Level.Trial)
        public void setup(final Routes routes)
        {
            table = new Ipv4Table();
            routes.list.loadInto(table);
            freshPrefixes(routes.list, table, prefixes, lengths);
        }
    }

    /** A loaded ipaddress trie and the same fresh prefixes, as the trie keys them. */
    @State(Scope.Thread)
    public static class LoadedTrie
    {
        IPv4AddressAssociativeTrie<Integer> trie;
        final IPv4Address[] blocks = new IPv4Address[FRESH];
        int next;

        @Setup(Level.Trial)
        public void setup(final Routes routes)
        {
            trie = IpaddressTrie.buildIpv4(routes.list);
            final Ipv4Table table = new Ipv4Table();
            routes.list.loadInto(table);
            final int[] prefixes = new int[FRESH];
            final int[] lengths = new int[FRESH];
            freshPrefixes(routes.list, table, prefixes, lengths);
            for (int i = 0; i < FRESH; i++)
            {
                blocks[i] = IpaddressTrie.ipv4Block(prefixes[i], lengths[i]);
            }
        }
    }

    @Benchmark
    public Ipv4Table vbgwBulkLoad(final Routes routes)
    {
        final Ipv4Table table = new Ipv4Table();
        routes.list.loadInto(table);
        return table;
    }

    @Benchmark
    public Dir24x8Table dir24x8Build(final Routes routes)
    {
        return Dir24x8Table.build(routes.list);
    }

    @Benchmark
    public Ipv4RangeMap treeMapBuild(final Routes routes)
    {
        return Ipv4RangeMap.build(routes.list);
    }

    @Benchmark
    public IPv4AddressAssociativeTrie<Integer> ipaddressTrieBuild(final Routes routes)
    {
        return IpaddressTrie.buildIpv4(routes.list);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 5, time = 1)
    @Measurement(iterations = 5, time = 1)
    public boolean vbgwAddRemove(final LoadedVbgw s)
    {
        final int i = s.next++ & (FRESH - 1);
        s.table.put(s.prefixes[i], s.lengths[i], 7);
        return s.table.remove(s.prefixes[i], s.lengths[i]);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 5, time = 1)
    @Measurement(iterations = 5, time = 1)
    public boolean ipaddressTrieAddRemove(final LoadedTrie s)
    {
        final IPv4Address block = s.blocks[s.next++ & (FRESH - 1)];
        s.trie.put(block, 7);
        return s.trie.remove(block);
    }

    /** Prefixes absent from {@code table}, lengths drawn from the routes' own mix, deterministic. */
    static void freshPrefixes(final RouteList routes, final Ipv4Table table, final int[] prefixes, final int[] lengths)
    {
        final SplittableRandom random = new SplittableRandom(7);
        int n = 0;
        while (n < prefixes.length)
        {
            final int length = Math.max(8, routes.ipv4Lengths()[random.nextInt(routes.ipv4Count())]);
            final int prefix = (int)random.nextLong(0x0100_0000L, 0xE000_0000L) & IpPrefix.mask32(length);
            if (table.get(prefix, length) == Ipv4Table.NO_ROUTE)
            {
                prefixes[n] = prefix;
                lengths[n] = length;
                n++;
            }
        }
    }
}
