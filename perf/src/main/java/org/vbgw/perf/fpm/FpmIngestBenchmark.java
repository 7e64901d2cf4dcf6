package org.vbgw.perf.fpm;

import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.fpm.FpmCounters;
import org.vbgw.agent.fpm.FpmDecoder;
import org.vbgw.agent.fpm.FpmFrameWriter;
import org.vbgw.agent.fpm.FpmOptions;
import org.vbgw.agent.fpm.FpmRouteTable;
import org.vbgw.agent.fpm.FpmServer;
import org.vbgw.agent.fpm.FrrPath;
import org.vbgw.agent.fpm.Netlink;
import org.vbgw.agent.fpm.VifResolver;
import org.vbgw.agent.run.GatewayRuntime;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.MemoryPort;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * FPM ingest of an Internet-size table: zebra's stream (frames as {@code dplane_fpm_nl} writes them, one route
 * per frame, next-hop groups on or off) for the RouteViews-derived IPv4 and IPv6 prefix sets, measured three ways
 * side by side in one run:
 * <ol>
 *   <li>decode only ({@link FpmDecoder}): frames/s;</li>
 *   <li>decode + {@link FpmRouteTable} + RIB + journal on one thread, then the journal into the FIB: routes/s;</li>
 *   <li>end to end over TCP: a sender writes the stream to a running gateway's {@link FpmServer}, the data plane's
 *       control thread applies the journal; time from the first byte to the last route in the FIB.</li>
 * </ol>
 * {@code java <vbgw.jvmFlags> -cp perf/target/benchmarks.jar org.vbgw.perf.fpm.FpmIngestBenchmark [repeats] [groups|paths]}
 * (route files from {@code perf/scripts/fetch-prefixes.sh} in {@code perf/data}).
 */
public final class FpmIngestBenchmark
{
    private static final String CONFIG = FpmIngestBenchmarkConfig.CONFIG;

    private FpmIngestBenchmark()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        final boolean groups = args.length <= 1 || !"paths".equals(args[1]);
        final List<IpPrefix> prefixes = new ArrayList<>(load(Path.of("perf/data/ipv4-internet.routes")));
        prefixes.addAll(load(Path.of("perf/data/ipv6-internet.routes")));
        final byte[] stream = zebraStream(prefixes, groups);
        System.out.printf("FPM stream: %,d routes (%s), %,d bytes, next-hop groups %s%n", prefixes.size(),
            "RouteViews-derived IPv4 + IPv6", stream.length, groups ? "on" : "off");
        final double[] decode = new double[repeats];
        final double[] tableOnly = new double[repeats];
        final double[] ingest = new double[repeats];
        final double[] toFib = new double[repeats];
        final double[] tcp = new double[repeats];
        if (args.length > 2 && "rib".equals(args[2]))
        {
            // Only the RIB-side figure, for profiling it.
            for (int r = 0; r < repeats; r++)
            {
                System.out.printf("decode+FPM table+RIB %,.0f routes/s%n", tableOnly(stream, prefixes.size()));
            }
            return;
        }
        for (int r = 0; r < repeats; r++)
        {
            decode[r] = decodeOnly(stream);
            tableOnly[r] = tableOnly(stream, prefixes.size());
            final double[] inProcess = inProcess(stream, prefixes.size());
            ingest[r] = inProcess[0];
            toFib[r] = inProcess[1];
            tcp[r] = overTcp(stream, prefixes.size());
            System.out.printf("repeat %d: decode %,.0f frames/s; decode+FPM table+RIB %,.0f routes/s; decode+RIB+journal %,.0f routes/s, then journal to FIB " +
                "%.2f s; TCP end to end %.2f s (%,.0f routes/s)%n", r + 1, decode[r], tableOnly[r], ingest[r], toFib[r], tcp[r],
                prefixes.size() / tcp[r]);
        }
        System.out.printf("medians of %d: decode %,.0f frames/s; decode+FPM table+RIB %,.0f routes/s; decode+RIB+journal " +
            "%,.0f routes/s; journal to FIB %.2f s; announcement to all routes in the FIB over TCP %.2f s (%,.0f routes/s)%n",
            repeats, median(decode), median(tableOnly), median(ingest), median(toFib), median(tcp), prefixes.size() / median(tcp));
    }

    static List<IpPrefix> load(final Path file) throws IOException
    {
        if (!Files.exists(file))
        {
            throw new IllegalStateException(file + " is missing: run perf/scripts/fetch-prefixes.sh first");
        }
        final List<IpPrefix> out = new ArrayList<>();
        for (final String line : Files.readAllLines(file))
        {
            if (!line.isBlank() && !line.startsWith("#"))
            {
                out.add(IpPrefix.parse(line.substring(0, line.indexOf(' ') > 0 ? line.indexOf(' ') : line.length())));
            }
        }
        return out;
    }

    /**
     * What zebra sends for a full table: the next hops (two peers, one per VIF, and their ECMP group) then one
     * frame per route; a third of the routes use each of peer A, peer B and the group.
     */
    static byte[] zebraStream(final List<IpPrefix> prefixes, final boolean groups)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(prefixes.size() * 64);
        final FpmFrameWriter w = new FpmFrameWriter(0x1234);
        final IpPrefix a4 = IpPrefix.parse("10.0.0.2");
        final IpPrefix b4 = IpPrefix.parse("10.0.0.6");
        final IpPrefix a6 = IpPrefix.parse("2001:db8::2");
        final IpPrefix b6 = IpPrefix.parse("2001:db8::6");
        if (groups)
        {
            w.begin().nextHop(1, false, a4, 2).end();
            out.write(w.bytes(), 0, w.bytes().length);
            w.begin().nextHop(2, false, b4, 3).end();
            out.write(w.bytes(), 0, w.bytes().length);
            w.begin().group(3, new int[] {1, 2}, new int[] {1, 1}).end();
            out.write(w.bytes(), 0, w.bytes().length);
            w.begin().nextHop(4, true, a6, 2).end();
            out.write(w.bytes(), 0, w.bytes().length);
            w.begin().nextHop(5, true, b6, 3).end();
            out.write(w.bytes(), 0, w.bytes().length);
            w.begin().group(6, new int[] {4, 5}, new int[] {1, 1}).end();
            out.write(w.bytes(), 0, w.bytes().length);
        }
        for (int i = 0; i < prefixes.size(); i++)
        {
            final IpPrefix p = prefixes.get(i);
            final int which = i % 3;
            w.begin();
            if (groups)
            {
                w.route(p, Netlink.RTPROT_BGP, (p.ipv6() ? 4 : 1) + which);
            }
            else if (which == 2)
            {
                w.routeMultipath(p, Netlink.RTPROT_BGP, new FrrPath(2, p.ipv6() ? a6 : a4, 1),
                    new FrrPath(3, p.ipv6() ? b6 : b4, 1));
            }
            else
            {
                w.routeVia(p, Netlink.RTPROT_BGP, which == 0 ? (p.ipv6() ? a6 : a4) : (p.ipv6() ? b6 : b4), which == 0 ? 2 : 3);
            }
            final int length = w.end();
            out.write(w.bytes(), 0, length);
        }
        return out.toByteArray();
    }

    static double decodeOnly(final byte[] stream) throws Exception
    {
        final FpmDecoder decoder = new FpmDecoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(stream);
        final List<Object> out = new ArrayList<>();
        final long start = System.nanoTime();
        int frames = 0;
        int at = 0;
        while (at < stream.length)
        {
            final int length = decoder.frameLength(buffer, at, stream.length - at);
            decoder.decode(buffer, at, length, out);
            out.clear();
            at += length;
            frames++;
        }
        return frames / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Decode, the FPM table's work (zebra's ids, held routes, resolution to VIFs, the comparison with what is
     * installed) and the RIB's selection, with a FIB writer that only counts: the journal and the FIB left out.
     */
    static double tableOnly(final byte[] stream, final int routes) throws Exception
    {
        final FpmCounters counters = new FpmCounters();
        final VifResolver vifs = new VifResolver()
        {
            @Override
            public int vifByIfindex(final int ifindex)
            {
                return ifindex == 2 ? 0 : ifindex == 3 ? 1 : NO_VIF;
            }

            @Override
            public int vifByGateway(final IpPrefix gateway)
            {
                return NO_VIF;
            }
        };
        final org.vbgw.agent.rib.Rib rib = new org.vbgw.agent.rib.Rib(new CountingFibWriter());
        final FpmRouteTable table = new FpmRouteTable(vifs, change -> change.accept(rib), List.of(Netlink.RTPROT_BGP),
            counters, System.err::println);
        final FpmDecoder decoder = new FpmDecoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(stream);
        final List<Object> messages = new ArrayList<>();
        final long start = System.nanoTime();
        int at = 0;
        while (at < stream.length)
        {
            final int limit = Math.min(stream.length, at + 65536);
            while (at < limit)
            {
                final int length = decoder.frameLength(buffer, at, stream.length - at);
                decoder.decode(buffer, at, length, messages);
                at += length;
            }
            table.apply(messages);
            messages.clear();
        }
        final double s = (System.nanoTime() - start) / 1e9;
        check(routes, routes, table.installedCount());
        return routes / s;
    }

    /** A FIB writer that counts entries: the RIB's cost without the journal's. */
    static final class CountingFibWriter implements org.vbgw.agent.journal.FibWriter
    {
        long entries;

        public long nextHop(int id, int vif, boolean v6, long hi, long lo)
        {
            return entries++;
        }

        public long nextHopRemoved(int id)
        {
            return entries++;
        }

        public long nextHopState(int id, boolean alive, int cause)
        {
            return entries++;
        }

        public long group(int id, int[] nhs, int[] w, int n, int backup)
        {
            return entries++;
        }

        public long groupRemoved(int id)
        {
            return entries++;
        }

        public long route(boolean v6, long hi, long lo, int len, int group)
        {
            return entries++;
        }

        public long routeRemoved(boolean v6, long hi, long lo, int len)
        {
            return entries++;
        }

        public long neighbour(int vif, boolean v6, long hi, long lo, long mac)
        {
            return entries++;
        }

        public long neighbourRemoved(int vif, boolean v6, long hi, long lo)
        {
            return entries++;
        }

        public long vifAdminState(int vif, boolean up)
        {
            return entries++;
        }

        public long transactionBegin()
        {
            return entries++;
        }

        public long transactionEnd()
        {
            return entries++;
        }
    }

    private static GatewayRuntime runtime(final Path dir) throws IOException
    {
        Files.writeString(dir.resolve("gw.yaml"), CONFIG);
        final ConfigCheck check = ConfigCheck.of(dir.resolve("gw.yaml"));
        if (!check.ok())
        {
            throw new IllegalStateException(check.errors().toString());
        }
        final Dataplane.Config config = Dataplane.Config.defaults();
        return new GatewayRuntime(check.config(), dir.resolve("journal"), (port, worker, workers) ->
            MemoryPort.pair(port.name(), port.name() + "-far", 1 << 12, port.mtuBytes())[0], tap -> null, config);
    }

    private static VifResolver resolver(final GatewayRuntime rt)
    {
        final int a = rt.vifId("vif-a");
        final int b = rt.vifId("vif-b");
        return new VifResolver()
        {
            @Override
            public int vifByIfindex(final int ifindex)
            {
                return ifindex == 2 ? a : ifindex == 3 ? b : NO_VIF;
            }

            @Override
            public int vifByGateway(final IpPrefix gateway)
            {
                return NO_VIF;
            }
        };
    }

    /** Returns {routes/s into RIB and journal, seconds to apply the journal to the FIB}. */
    static double[] inProcess(final byte[] stream, final int routes) throws Exception
    {
        final Path dir = Files.createTempDirectory("vbgw-fpm-bench");
        try (GatewayRuntime rt = runtime(dir))
        {
            rt.applyJournal();
            final int before = rt.dataplane().fib().routeCount();
            final FpmCounters counters = new FpmCounters();
            final FpmRouteTable table = new FpmRouteTable(resolver(rt), rt::changeRib, List.of(Netlink.RTPROT_BGP),
                counters, System.err::println);
            final FpmDecoder decoder = new FpmDecoder();
            final UnsafeBuffer buffer = new UnsafeBuffer(stream);
            final List<Object> messages = new ArrayList<>();
            final long start = System.nanoTime();
            int at = 0;
            while (at < stream.length)
            {
                // As the server does: the frames of one read (64 KiB here) go to the RIB as one change.
                final int limit = Math.min(stream.length, at + 65536);
                while (at < limit)
                {
                    final int length = decoder.frameLength(buffer, at, stream.length - at);
                    decoder.decode(buffer, at, length, messages);
                    at += length;
                }
                table.apply(messages);
                messages.clear();
            }
            final double ingestS = (System.nanoTime() - start) / 1e9;
            final long applyStart = System.nanoTime();
            rt.applyJournal();
            final double applyS = (System.nanoTime() - applyStart) / 1e9;
            check(rt.dataplane().fib().routeCount() - before, routes, table.installedCount());
            return new double[] {routes / ingestS, applyS};
        }
        finally
        {
            delete(dir);
        }
    }

    /** Seconds from the first byte sent to the last route in the running data plane's FIB. */
    static double overTcp(final byte[] stream, final int routes) throws Exception
    {
        final Path dir = Files.createTempDirectory("vbgw-fpm-bench");
        try (GatewayRuntime rt = runtime(dir))
        {
            rt.applyJournal();
            final int before = rt.dataplane().fib().routeCount();
            rt.start();
            final FpmCounters counters = new FpmCounters();
            final FpmRouteTable table = new FpmRouteTable(resolver(rt), rt::changeRib, List.of(Netlink.RTPROT_BGP),
                counters, System.err::println);
            try (FpmServer server = new FpmServer(new FpmOptions(new InetSocketAddress("127.0.0.1", 0),
                List.of(Netlink.RTPROT_BGP), 60_000), table, counters, System.err::println);
                Socket zebra = new Socket())
            {
                zebra.connect(server.localAddress());
                final long start = System.nanoTime();
                final OutputStream out = zebra.getOutputStream();
                out.write(stream);
                out.flush();
                final long deadline = start + 600_000_000_000L;
                while (rt.dataplane().fib().routeCount() - before < routes && System.nanoTime() < deadline)
                {
                    Thread.sleep(1);
                }
                final double s = (System.nanoTime() - start) / 1e9;
                check(rt.dataplane().fib().routeCount() - before, routes, (int)counters.get(FpmCounters.ROUTES_INSTALLED));
                return s;
            }
        }
        finally
        {
            delete(dir);
        }
    }

    private static void check(final int inFib, final int routes, final int installed)
    {
        if (inFib != routes || installed != routes)
        {
            throw new IllegalStateException("expected " + routes + " routes, FIB has " + inFib + ", FPM installed " + installed);
        }
    }

    private static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
            : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static void delete(final Path dir) throws IOException
    {
        try (var walk = Files.walk(dir))
        {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
