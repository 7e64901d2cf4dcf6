package org.vbgw.agent.fpm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.run.GatewayRuntime;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;
import org.vbgw.fib.NextHop;
import org.vbgw.io.MemoryPort;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Broken FPM frames sent to a real {@link FpmServer} over TCP in front of a real gateway runtime (RIB, journal,
 * FIB): the named cases (short header, bad lengths, truncated attributes, unknown types) and a seeded mutation
 * loop over valid frames. The server survives every one, a broken frame resets the session, and the FIB does not
 * change.
 */
class FpmMalformedFrameTest
{
    static final int BGP = Netlink.RTPROT_BGP;
    static final int STATIC = Netlink.RTPROT_ZSTATIC;
    static final long GRACE_MS = 1_500;

    @TempDir
    Path dir;

    GatewayRuntime runtime;
    FpmServer server;
    final FpmCounters counters = new FpmCounters();
    final List<String> log = new CopyOnWriteArrayList<>();
    FpmRouteTable table;

    @BeforeEach
    void start() throws Exception
    {
        final ConfigCheck check = ConfigCheck.of(Path.of("examples", "active-standby.yaml"));
        assertTrue(check.ok(), check.errors().toString());
        runtime = new GatewayRuntime(check.config(), dir.resolve("journal"), (port, worker, workers) ->
            MemoryPort.pair(port.name(), port.name() + "-far", 1 << 16, port.mtuBytes())[0], tap -> null,
            Dataplane.Config.defaults());
        runtime.applyJournal();
        final int biere = runtime.vifId("vif-biere");
        final int magdeburg = runtime.vifId("vif-magdeburg");
        final VifResolver vifs = new VifResolver()
        {
            @Override
            public int vifByIfindex(final int ifindex)
            {
                return ifindex == 2 ? biere : ifindex == 3 ? magdeburg : NO_VIF;
            }

            @Override
            public int vifByGateway(final IpPrefix gateway)
            {
                return NO_VIF;
            }
        };
        table = new FpmRouteTable(vifs, runtime::changeRib, List.of(BGP, STATIC), counters, log::add);
        server = new FpmServer(new FpmOptions(new InetSocketAddress("127.0.0.1", 0), List.of(BGP, STATIC), GRACE_MS),
            table, counters, log::add);
    }

    @AfterEach
    void stop()
    {
        if (server != null)
        {
            server.close();
        }
        if (runtime != null)
        {
            runtime.close();
        }
    }

    static IpPrefix ip(final String s)
    {
        return IpPrefix.parse(s);
    }

    static byte[] frame(final Consumer<FpmFrameWriter> messages)
    {
        final FpmFrameWriter w = new FpmFrameWriter(99).begin();
        messages.accept(w);
        w.end();
        return w.bytes();
    }

    /** zebra's table: next hops, a group, routes through them, a multipath route. */
    static final List<byte[]> VALID = List.of(
        frame(w -> w.nextHop(14, false, ip("10.0.0.2"), 2)),
        frame(w -> w.nextHop(16, false, ip("10.0.0.6"), 3)),
        frame(w -> w.group(15, new int[] {14, 16}, new int[] {1, 1})),
        frame(w -> w.route(ip("172.16.0.0/16"), BGP, 14).route(ip("172.17.0.0/16"), STATIC, 15)),
        frame(w -> w.routeMultipath(ip("172.20.0.0/16"), BGP, new FrrPath(2, ip("10.0.0.2"), 1),
            new FrrPath(3, ip("10.0.0.6"), 2))),
        frame(w -> w.route(ip("172.18.0.0/24"), BGP, 16)));

    /** Every route with the neighbours its group forwards to. */
    Map<String, String> fibTable()
    {
        runtime.applyJournal();
        final Fib fib = runtime.dataplane().fib();
        final Map<String, String> t = new TreeMap<>();
        fib.forEachRoute((p, g) ->
        {
            final TreeSet<String> hops = new TreeSet<>();
            for (int flow = 0; flow < 64; flow++)
            {
                final NextHop nh = fib.nextHop(fib.selectNextHop(g, flow * 0x9E3779B1));
                hops.add(IpPrefix.format(nh.ipv6(), nh.neighbourHi(), nh.neighbourLo()) + "%" + nh.vifId());
            }
            t.put(p.toString(), hops.toString());
        });
        return t;
    }

    /**
     * One zebra session: connects, sends the valid table then {@code extra}, closes its side, and waits until the
     * server has closed the session (at once on a malformed frame, else on our end of stream).
     */
    void session(final byte[]... extra) throws Exception
    {
        final long sessionsBefore = counters.get(FpmCounters.CONNECTIONS);
        try (Socket s = new Socket())
        {
            s.connect(server.localAddress(), 2_000);
            s.setSoTimeout(10_000);
            final ByteArrayOutputStream all = new ByteArrayOutputStream();
            VALID.forEach(all::writeBytes);
            Arrays.stream(extra).forEach(all::writeBytes);
            final OutputStream out = s.getOutputStream();
            try
            {
                out.write(all.toByteArray());
                s.shutdownOutput();
            }
            catch (final java.io.IOException ex)
            {
                // The server may reset before reading everything: that is the point.
            }
            final InputStream in = s.getInputStream();
            try
            {
                while (in.read() >= 0)
                {
                    // the server sends nothing; wait for its close
                }
            }
            catch (final java.io.IOException ex)
            {
                // reset by the server
            }
        }
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while ((counters.get(FpmCounters.CONNECTIONS) == sessionsBefore || counters.get(FpmCounters.CONNECTED) != 0) &&
            System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertEquals(0, counters.get(FpmCounters.CONNECTED), "the server ended the session");
    }

    static byte[] withShortAt(final byte[] frame, final int offset, final int value, final ByteOrder order)
    {
        final byte[] copy = frame.clone();
        ByteBuffer.wrap(copy).order(order).putShort(offset, (short)value);
        return copy;
    }

    static byte[] withIntAt(final byte[] frame, final int offset, final int value)
    {
        final byte[] copy = frame.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder()).putInt(offset, value);
        return copy;
    }

    static byte[] withByteAt(final byte[] frame, final int offset, final int value)
    {
        final byte[] copy = frame.clone();
        copy[offset] = (byte)value;
        return copy;
    }

    /** The 172.16.0.0/16 route's frame alone: header 4, nlmsghdr 16, rtmsg 12, RTA_DST 8, RTA_PRIORITY 8, RTA_NH_ID 8. */
    static final byte[] ROUTE = frame(w -> w.route(ip("172.16.0.0/16"), BGP, 14));
    static final byte[] GROUP = frame(w -> w.group(15, new int[] {14, 16}, new int[] {1, 1}));
    static final byte[] MULTIPATH = VALID.get(4);
    static final int NL = 4;
    static final int RTM = NL + 16;
    static final int ATTRS = RTM + 12;

    record Case(String name, byte[] bytes, boolean malformed)
    {
    }

    static List<Case> namedCases()
    {
        final ByteOrder be = ByteOrder.BIG_ENDIAN;
        final ByteOrder host = ByteOrder.nativeOrder();
        return List.of(
            new Case("short header (2 bytes, then end of stream)", new byte[] {1, 1}, false),
            new Case("header only, length 4", new byte[] {1, 1, 0, 4}, true),
            new Case("FPM version 2", withByteAt(ROUTE, 0, 2), true),
            new Case("FPM type 2 (protobuf)", withByteAt(ROUTE, 1, 2), true),
            new Case("FPM length below a netlink header", withShortAt(ROUTE, 2, 12, be), true),
            new Case("FPM length beyond the stream (truncated frame)", withShortAt(ROUTE, 2, ROUTE.length + 40, be), false),
            new Case("nlmsg_len 0", withIntAt(ROUTE, NL, 0), true),
            new Case("nlmsg_len beyond the frame", withIntAt(ROUTE, NL, ROUTE.length), true),
            new Case("nlmsg_len negative", withIntAt(ROUTE, NL, -16), true),
            new Case("nlmsg_len cuts the rtmsg", shrink(withIntAt(ROUTE, NL, 20), 24), true),
            new Case("attribute length 2", withShortAt(ROUTE, ATTRS, 2, host), true),
            new Case("attribute beyond its message", withShortAt(ROUTE, ATTRS + 16, 200, host), true),
            new Case("truncated last attribute", shrink(withIntAt(ROUTE, NL, ROUTE.length - NL - 2), ROUTE.length - 2), true),
            new Case("RTA_DST of 3 bytes", withShortAt(ROUTE, ATTRS, 7, host), true),
            new Case("prefix length /40 for IPv4", withByteAt(ROUTE, RTM + 1, 40), true),
            new Case("host bits set for the prefix length", withByteAt(ROUTE, RTM + 1, 8), true),
            new Case("address family 7", withByteAt(ROUTE, RTM, 7), true),
            new Case("RTA_NH_ID of 2 bytes", withShortAt(ROUTE, ATTRS + 16, 6, host), true),
            new Case("NHA_GROUP of 12 bytes", withShortAt(GROUP, ATTRS - 4 + 8, 16, host), true),
            new Case("NHA_ID missing (type changed)", withShortAt(GROUP, ATTRS - 4 + 2, 60, host), true),
            new Case("RTA_MULTIPATH path length 4", withShortAt(MULTIPATH, ATTRS + 20, 4, host), true),
            new Case("RTA_MULTIPATH path beyond the attribute", withShortAt(MULTIPATH, ATTRS + 20, 400, host), true),
            // Not errors: netlink grows; zebra may send neighbours or links. Counted and skipped.
            new Case("unknown netlink message type", withShortAt(ROUTE, NL + 4, 28, host), false),
            new Case("unknown route attribute", withShortAt(ROUTE, ATTRS + 8 + 2, 200, host), false));
    }

    static byte[] shrink(final byte[] frame, final int length)
    {
        final byte[] copy = Arrays.copyOf(frame, length);
        ByteBuffer.wrap(copy).order(ByteOrder.BIG_ENDIAN).putShort(2, (short)length);
        return copy;
    }

    @Test
    void namedBrokenFramesResetTheSessionAndLeaveTheFibAlone() throws Exception
    {
        session();
        final Map<String, String> good = fibTable();
        assertEquals(4 + 4, good.size(), good.toString());
        for (final Case c : namedCases())
        {
            final long malformed = counters.get(FpmCounters.MALFORMED);
            final long resets = counters.get(FpmCounters.RESETS);
            session(c.bytes());
            assertEquals(c.malformed() ? 1 : 0, counters.get(FpmCounters.MALFORMED) - malformed, c.name() + ": " + log);
            assertEquals(c.malformed() ? 1 : 0, counters.get(FpmCounters.RESETS) - resets, c.name());
            assertEquals(good, fibTable(), c.name());
        }
        assertTrue(counters.get(FpmCounters.OTHER_MESSAGES) >= 1);
        assertTrue(log.stream().anyMatch(l -> l.contains("bad_version")), log.toString());
    }

    @Test
    void seededMutationsOfValidFramesNeverChangeWhatZebraReplays() throws Exception
    {
        session();
        final Map<String, String> good = fibTable();
        final Random random = new Random(20261122);
        for (int i = 0; i < 300; i++)
        {
            final byte[] original = VALID.get(random.nextInt(VALID.size()));
            final byte[] mutated = original.clone();
            switch (random.nextInt(4))
            {
                case 0 -> mutated[random.nextInt(mutated.length)] ^= (byte)(1 << random.nextInt(8));
                case 1 -> mutated[random.nextInt(mutated.length)] = (byte)random.nextInt(256);
                case 2 ->
                {
                    // a length field: the FPM header's, a netlink header's, or an attribute's
                    final int[] lengths = {2, NL, ATTRS, ATTRS + 8, ATTRS + 16};
                    final int at = lengths[random.nextInt(lengths.length)];
                    if (at + 1 < mutated.length)
                    {
                        mutated[at] = (byte)random.nextInt(256);
                        mutated[at + 1] = (byte)(random.nextInt(4) == 0 ? random.nextInt(256) : 0);
                    }
                }
                default ->
                {
                    // truncated, with the FPM length kept or fixed up to match
                    final byte[] cut = Arrays.copyOf(mutated, 1 + random.nextInt(mutated.length - 1));
                    session(random.nextBoolean() ? cut : cut.length >= 4 ? shrink(cut, cut.length) : cut);
                    continue;
                }
            }
            session(mutated);
        }
        // Whatever the mutations installed that zebra does not have goes when the grace ends after its replay;
        // zebra stays connected meanwhile, as it does.
        try (Socket zebra = new Socket())
        {
            zebra.connect(server.localAddress(), 2_000);
            VALID.forEach(f ->
            {
                try
                {
                    zebra.getOutputStream().write(f);
                }
                catch (final java.io.IOException ex)
                {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
            final long deadline = System.nanoTime() + 4 * GRACE_MS * 1_000_000L;
            while ((counters.get(FpmCounters.ROUTES_STALE) != 0 || counters.get(FpmCounters.CONNECTED) == 0) &&
                System.nanoTime() < deadline)
            {
                Thread.sleep(20);
            }
            assertEquals(0, counters.get(FpmCounters.ROUTES_STALE), counters.toString());
            assertEquals(good, fibTable());
        }
        assertTrue(counters.get(FpmCounters.MALFORMED) > 50, "most mutations are caught: " + counters);
        assertEquals(counters.get(FpmCounters.MALFORMED), counters.get(FpmCounters.RESETS));
    }
}
