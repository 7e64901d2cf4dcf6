package org.vbgw.agent.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.fpm.FpmCounters;
import org.vbgw.agent.fpm.FpmFrameWriter;
import org.vbgw.agent.fpm.FpmOptions;
import org.vbgw.agent.fpm.FpmServer;
import org.vbgw.agent.fpm.Netlink;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.MemoryPort;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway that restarts while zebra feeds it BGP routes over FPM keeps forwarding on them: the restarted agent
 * keeps the journal's BGP routes (stale) instead of removing them until zebra has reconnected and replayed, a
 * replayed route is taken over without a FIB write, and the routes zebra does not announce again are removed when
 * the grace period ends. Once from the journal alone and once from a snapshot plus the journal's tail (the
 * snapshot must keep the groups' origin too). Gateways on in-memory ports; zebra is a socket writing FPM frames.
 */
class GatewayGracefulRestartTest
{
    private static final IpPrefix KEPT = IpPrefix.parse("198.51.100.0/24");
    private static final IpPrefix DROPPED = IpPrefix.parse("203.0.113.0/24");
    private static final long GRACE_MS = 1_500;

    @TempDir
    Path dir;

    private GatewayRuntime gateway() throws Exception
    {
        final ConfigCheck check = ConfigCheck.of(Path.of("examples", "active-standby.yaml"));
        assertTrue(check.ok(), check.errors().toString());
        return new GatewayRuntime(check.config(), dir.resolve("journal"), (port, worker, workers) ->
            MemoryPort.pair(port.name(), port.name() + "-far", 1 << 16, port.mtuBytes())[0], tap -> null,
            Dataplane.Config.defaults());
    }

    /**
     * zebra's session: next hop 1 via 10.0.0.6 (on a VIF's subnet), then a BGP route per prefix through it. The
     * session stays open (the caller closes it), as zebra's does: a closed one starts the FPM server's own grace.
     */
    private static Socket announce(final FpmServer server, final IpPrefix... prefixes) throws Exception
    {
        // Published after the frames' routes reached the RIB.
        final long before = server.counters().get(FpmCounters.NEW_ROUTE);
        final FpmFrameWriter w = new FpmFrameWriter(5);
        final Socket zebra = new Socket();
        {
            zebra.connect(server.localAddress());
            final OutputStream out = zebra.getOutputStream();
            w.begin().nextHop(1, false, IpPrefix.parse("10.0.0.6"), 9999).end();
            out.write(w.bytes());
            for (final IpPrefix p : prefixes)
            {
                w.begin().route(p, Netlink.RTPROT_BGP, 1).end();
                out.write(w.bytes());
            }
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (server.counters().get(FpmCounters.NEW_ROUTE) < before + prefixes.length &&
                System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
        }
        return zebra;
    }

    private static boolean forwards(final GatewayRuntime rt, final IpPrefix prefix)
    {
        rt.applyJournal();
        return rt.dataplane().fib().lookupIpv4(prefix.ipv4Address() + 1) != Fib.NO_GROUP;
    }

    @Test
    void bgpRoutesSurviveARestartFromTheJournal() throws Exception
    {
        restart(false);
    }

    @Test
    void bgpRoutesSurviveARestartFromASnapshot() throws Exception
    {
        restart(true);
    }

    private void restart(final boolean snapshot) throws Exception
    {
        final List<String> log = new CopyOnWriteArrayList<>();
        final FpmOptions options = new FpmOptions(new InetSocketAddress("127.0.0.1", 0), List.of(Netlink.RTPROT_BGP),
            GRACE_MS);
        try (GatewayRuntime rt = gateway())
        {
            rt.applyJournal();
            final FpmServer fpmServer = rt.startFpm(options, log::add);
            announce(fpmServer, KEPT, DROPPED).close();
            assertTrue(forwards(rt, KEPT) && forwards(rt, DROPPED), "zebra's routes are in the FIB: " + log + " " + fpmServer.counters());
            if (snapshot)
            {
                rt.applier().snapshot(GatewayRuntime.snapshotFile(dir.resolve("journal")));
            }
        }

        try (GatewayRuntime rt = gateway())
        {
            final long written = rt.lastOutcome().journalEntries();
            assertEquals(0, written, "the restarted agent writes nothing: BGP's routes are kept, not removed");
            assertEquals(2, rt.agent().staleRoutes());
            assertTrue(forwards(rt, KEPT) && forwards(rt, DROPPED), "the restarted gateway forwards on BGP's routes");
            final long before = rt.journal().lastIndex();
            // The data plane's threads are not started: this thread applies the journal (forwards()), alone.
            final FpmServer server = rt.startFpm(options, log::add);
            assertTrue(forwards(rt, DROPPED), "still forwarded: the grace period is running");

            // zebra reconnects and replays only one of them, unchanged: nothing is written for it.
            final Socket zebra = announce(server, KEPT);
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (rt.agent().staleRoutes() != 1 && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            assertEquals(1, rt.agent().staleRoutes());
            assertEquals(before, rt.journal().lastIndex(), "a replayed unchanged route writes no journal entry");

            while (rt.agent().staleRoutes() != 0 && System.nanoTime() < deadline + GRACE_MS * 1_000_000L)
            {
                Thread.sleep(20);
            }
            assertEquals(0, rt.agent().staleRoutes(), "the grace period ended");
            assertTrue(forwards(rt, KEPT), "the route zebra announced again stays");
            final long waitFib = System.nanoTime() + 5_000_000_000L;
            while (forwards(rt, DROPPED) && System.nanoTime() < waitFib)
            {
                Thread.sleep(10);
            }
            assertEquals(Fib.NO_GROUP, rt.dataplane().fib().lookupIpv4(DROPPED.ipv4Address() + 1),
                "the route zebra did not announce again is gone after the grace period");
            assertTrue(log.stream().anyMatch(l -> l.contains("1 stale route(s) zebra did not announce again removed")),
                log.toString());
            assertNotEquals(before, rt.journal().lastIndex());
            zebra.close();
        }
    }
}
