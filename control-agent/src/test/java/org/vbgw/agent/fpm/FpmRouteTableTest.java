package org.vbgw.agent.fpm;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.vbgw.agent.journal.FibWriter;
import org.vbgw.agent.rib.Rib;
import org.vbgw.agent.rib.RibRoute;
import org.vbgw.agent.rib.RouteSource;
import org.vbgw.fib.IpPrefix;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** zebra's messages, as frames, into a real {@link Rib}: what the FIB is told, and what it is not. */
class FpmRouteTableTest
{
    static final int BGP = Netlink.RTPROT_BGP;
    static final int STATIC = Netlink.RTPROT_ZSTATIC;

    /** Counts what the RIB writes to the FIB; route removals are what traffic would notice. */
    static final class FibLog implements FibWriter
    {
        final List<String> lines = new ArrayList<>();

        long log(final String s)
        {
            lines.add(s);
            return lines.size();
        }

        public long nextHop(int id, int vif, boolean v6, long hi, long lo)
        {
            return log("nh " + id);
        }

        public long nextHopRemoved(int id)
        {
            return log("nh-del " + id);
        }

        public long nextHopState(int id, boolean alive, int cause)
        {
            return log("nh-state");
        }

        public long group(int id, int[] nhs, int[] w, int n, int backup)
        {
            return log("group " + id);
        }

        public long groupRemoved(int id)
        {
            return log("group-del " + id);
        }

        public long route(boolean v6, long hi, long lo, int len, int group)
        {
            return log("route " + IpPrefix.format(v6, hi, lo) + "/" + len);
        }

        public long routeRemoved(boolean v6, long hi, long lo, int len)
        {
            return log("route-del " + IpPrefix.format(v6, hi, lo) + "/" + len);
        }

        public long neighbour(int vif, boolean v6, long hi, long lo, long mac)
        {
            return log("nbr");
        }

        public long neighbourRemoved(int vif, boolean v6, long hi, long lo)
        {
            return log("nbr-del");
        }

        public long vifAdminState(int vif, boolean up)
        {
            return log("vif");
        }

        public long transactionBegin()
        {
            return log("begin");
        }

        public long transactionEnd()
        {
            return log("end");
        }
    }

    /** ifindex 2 and 10.0.0.0/30 and 2001:db8::/64 are VIF 0; ifindex 3 and 10.0.0.4/30 are VIF 1. */
    static final VifResolver VIFS = new VifResolver()
    {
        @Override
        public int vifByIfindex(final int ifindex)
        {
            return ifindex == 2 ? 0 : ifindex == 3 ? 1 : NO_VIF;
        }

        @Override
        public int vifByGateway(final IpPrefix gw)
        {
            if (IpPrefix.parse("10.0.0.0/30").contains(gw) || IpPrefix.parse("2001:db8::/64").contains(gw))
            {
                return 0;
            }
            return IpPrefix.parse("10.0.0.4/30").contains(gw) ? 1 : NO_VIF;
        }
    };

    final FibLog fib = new FibLog();
    final Rib rib = new Rib(fib);
    final FpmCounters counters = new FpmCounters();
    final List<String> log = new ArrayList<>();
    final FpmRouteTable table = new FpmRouteTable(VIFS, change ->
    {
        fib.transactionBegin();
        change.accept(rib);
        fib.transactionEnd();
    }, List.of(BGP, STATIC), counters, log::add);
    final FpmDecoder decoder = new FpmDecoder();

    static IpPrefix ip(final String s)
    {
        return IpPrefix.parse(s);
    }

    /** One frame written by {@code frame}, decoded and applied. */
    void send(final Consumer<FpmFrameWriter> frame) throws Exception
    {
        final FpmFrameWriter w = new FpmFrameWriter(7).begin();
        frame.accept(w);
        final int length = w.end();
        final List<Object> messages = new ArrayList<>();
        decoder.decode(new UnsafeBuffer(w.bytes()), 0, length, messages);
        table.apply(messages);
    }

    /** Prefix → source and paths, as the RIB holds them. */
    Map<String, String> ribTable()
    {
        final Map<String, String> t = new TreeMap<>();
        for (final RibRoute r : rib.routes())
        {
            t.put(r.prefix().toString(), r.source() + " " + r.paths().stream().map(Object::toString).sorted()
                .collect(Collectors.joining(", ")));
        }
        return t;
    }

    @Test
    void aGroupBeforeItsMembersHoldsTheRouteUntilTheyArrive() throws Exception
    {
        send(w -> w.group(15, new int[] {14, 16}, new int[] {1, 1}).route(ip("172.17.0.0/16"), STATIC, 15));
        assertEquals(Map.of(), ribTable(), "nothing to install yet");
        assertEquals(1, table.pendingCount());
        send(w -> w.nextHop(14, false, ip("10.0.0.2"), 2));
        assertEquals(1, table.pendingCount(), "still one member missing");
        send(w -> w.nextHop(16, false, ip("10.0.0.6"), 3));
        assertEquals(0, table.pendingCount());
        assertEquals(Map.of("172.17.0.0/16", "FRR via 10.0.0.2 vif 0, via 10.0.0.6 vif 1"), ribTable());
        assertEquals(1, counters.get(FpmCounters.ROUTES_ADDED));
    }

    @Test
    void aPathChangeInOneFrameIsOneReplace() throws Exception
    {
        send(w -> w.nextHop(14, false, ip("10.0.0.2"), 2).nextHop(16, false, ip("10.0.0.6"), 3)
            .route(ip("172.16.0.0/16"), BGP, 14));
        fib.lines.clear();
        send(w -> w.routeRemoved(ip("172.16.0.0/16"), BGP).route(ip("172.16.0.0/16"), BGP, 16));
        assertEquals(Map.of("172.16.0.0/16", "EBGP via 10.0.0.6 vif 1"), ribTable());
        assertTrue(fib.lines.contains("route 172.16.0.0/16"), fib.lines.toString());
        assertFalse(fib.lines.contains("route-del 172.16.0.0/16"), "the prefix never leaves the FIB: " + fib.lines);
        assertEquals(1, counters.get(FpmCounters.ROUTES_CHANGED));
    }

    @Test
    void aReplayAfterReconnectWithNewIdsChangesNothing() throws Exception
    {
        send(w -> w.nextHop(14, false, ip("10.0.0.2"), 2).nextHop(16, false, ip("10.0.0.6"), 3)
            .group(15, new int[] {14, 16}, new int[] {1, 1}).route(ip("172.17.0.0/16"), STATIC, 15)
            .route(ip("172.16.0.0/16"), BGP, 14).nextHop(17, true, ip("2001:db8::2"), 2)
            .route(ip("2001:db8:100::/48"), BGP, 17));
        final Map<String, String> before = ribTable();
        assertEquals(3, before.size(), before.toString());
        table.sessionDown();
        assertEquals(3, table.staleCount());
        fib.lines.clear();
        // zebra renumbers its objects on reconnect, and may send a group before its members.
        send(w -> w.group(40, new int[] {41, 42}, new int[] {1, 1}).route(ip("172.17.0.0/16"), STATIC, 40));
        send(w -> w.nextHop(42, false, ip("10.0.0.6"), 3).nextHop(41, false, ip("10.0.0.2"), 2)
            .route(ip("172.16.0.0/16"), BGP, 41).nextHop(43, true, ip("2001:db8::2"), 2)
            .route(ip("2001:db8:100::/48"), BGP, 43));
        assertEquals(0, table.staleCount());
        assertEquals(0, table.flushStale());
        assertEquals(before, ribTable());
        assertEquals(List.of(), fib.lines.stream().filter(l -> !l.equals("begin") && !l.equals("end")).toList(),
            "a replay writes nothing to the FIB");
    }

    @Test
    void routesNotReplayedWithinTheGraceAreFlushed() throws Exception
    {
        send(w -> w.nextHop(14, false, ip("10.0.0.2"), 2).route(ip("172.16.0.0/16"), BGP, 14)
            .route(ip("172.18.0.0/16"), BGP, 14));
        table.sessionDown();
        assertEquals(2, ribTable().size(), "stale routes keep forwarding");
        send(w -> w.nextHop(1, false, ip("10.0.0.2"), 2).route(ip("172.16.0.0/16"), BGP, 1));
        assertEquals(1, table.flushStale());
        assertEquals(Map.of("172.16.0.0/16", "EBGP via 10.0.0.2 vif 0"), ribTable());
        assertEquals(1, counters.get(FpmCounters.STALE_FLUSHED));
    }

    /**
     * A delete for a route zebra has not announced since it reconnected (a restarted zebra sweeping its
     * predecessor's kernel routes before bgpd has learnt them again) must not take the stale route out of the FIB. A delete after the route was
     * announced again in the new session is a withdrawal as usual; a route never announced again goes at the end
     * of the grace period.
     */
    @Test
    void aRestartedZebrasSweepOfStaleRoutesIsNoWithdrawal() throws Exception
    {
        send(w -> w.nextHop(14, false, ip("10.0.0.2"), 2).route(ip("172.16.0.0/16"), BGP, 14)
            .route(ip("172.17.0.0/16"), BGP, 14).route(ip("172.18.0.0/16"), BGP, 14));
        final Map<String, String> before = ribTable();
        table.sessionDown();
        fib.lines.clear();
        send(w -> w.routeRemoved(ip("172.16.0.0/16"), BGP).routeRemoved(ip("172.17.0.0/16"), BGP)
            .routeRemoved(ip("172.18.0.0/16"), BGP));
        assertEquals(before, ribTable(), "the sweep changes nothing");
        assertEquals(List.of(), fib.lines.stream().filter(l -> !l.equals("begin") && !l.equals("end")).toList());
        assertEquals(3, counters.get(FpmCounters.STALE_DELETES_IGNORED));
        assertEquals(3, table.staleCount(), "still stale, still forwarding");

        send(w -> w.nextHop(1, false, ip("10.0.0.2"), 2).route(ip("172.16.0.0/16"), BGP, 1)
            .route(ip("172.17.0.0/16"), BGP, 1));
        assertEquals(before, ribTable(), "relearnt as it was");
        send(w -> w.routeRemoved(ip("172.17.0.0/16"), BGP));
        assertFalse(ribTable().containsKey("172.17.0.0/16"), "a withdrawal in the new session removes the route");
        assertEquals(1, table.flushStale(), "172.18.0.0/16, never announced again, goes when the grace ends");
        assertEquals(Map.of("172.16.0.0/16", "EBGP via 10.0.0.2 vif 0"), ribTable());
    }

    @Test
    void kernelConnectedAndLinkLocalRoutesAreFiltered() throws Exception
    {
        send(w -> w.nextHop(3, false, null, 2).route(ip("10.0.0.0/30"), Netlink.RTPROT_KERNEL, 3)
            .nextHop(6, true, null, 2).route(ip("fe80::/64"), Netlink.RTPROT_KERNEL, 6)
            .route(ip("fe80::/64"), BGP, 6).route(ip("172.16.0.0/16"), Netlink.RTPROT_OSPF, 3));
        assertEquals(Map.of(), ribTable());
        assertEquals(4, counters.get(FpmCounters.ROUTES_FILTERED));
    }

    @Test
    void zebraSwitchingAHeldPrefixToAFilteredProtocolRemovesIt() throws Exception
    {
        send(w -> w.nextHop(14, false, ip("10.0.0.2"), 2).route(ip("172.16.0.0/16"), BGP, 14));
        send(w -> w.route(ip("172.16.0.0/16"), Netlink.RTPROT_KERNEL, 14));
        assertEquals(Map.of(), ribTable());
    }

    @Test
    void multipathWithoutGroupsIsEcmpWithWeights() throws Exception
    {
        send(w -> w.routeMultipath(ip("172.17.0.0/16"), STATIC, new FrrPath(2, ip("10.0.0.2"), 1),
            new FrrPath(3, ip("10.0.0.6"), 3)).routeVia(ip("2001:db8:100::/48"), STATIC, ip("2001:db8::2"), 2));
        assertEquals(Map.of("172.17.0.0/16", "FRR via 10.0.0.2 vif 0, via 10.0.0.6 vif 1 weight 3",
            "2001:db8:100::/48", "FRR via 2001:db8::2 vif 0"), ribTable());
        send(w -> w.routeRemoved(ip("172.17.0.0/16"), STATIC));
        assertEquals(Map.of("2001:db8:100::/48", "FRR via 2001:db8::2 vif 0"), ribTable());
        assertEquals(1, counters.get(FpmCounters.ROUTES_REMOVED));
    }

    @Test
    void aChangedNextHopMovesEveryRouteUsingIt() throws Exception
    {
        send(w -> w.nextHop(14, false, ip("10.0.0.2"), 2).group(20, new int[] {14}, new int[] {1})
            .route(ip("172.16.0.0/16"), BGP, 14).route(ip("172.18.0.0/16"), BGP, 20));
        send(w -> w.nextHop(14, false, ip("10.0.0.6"), 3));
        assertEquals(Map.of("172.16.0.0/16", "EBGP via 10.0.0.6 vif 1", "172.18.0.0/16", "EBGP via 10.0.0.6 vif 1"),
            ribTable());
    }

    @Test
    void aRouteThroughNoVifIsCountedNotInstalled() throws Exception
    {
        send(w -> w.nextHop(9, false, ip("192.0.2.1"), 77).route(ip("172.16.0.0/16"), BGP, 9));
        assertEquals(Map.of(), ribTable());
        assertEquals(1, counters.get(FpmCounters.ROUTES_UNRESOLVED));
        assertEquals(1, log.size(), log.toString());
    }

    @Test
    void theRibKeepsPreferringTheGatewaysOwnStaticRoutes() throws Exception
    {
        rib.add(RouteSource.STATIC, ip("172.16.0.0/16"), List.of(org.vbgw.agent.rib.RibPath.via(1, "10.0.0.6")));
        send(w -> w.nextHop(14, false, ip("10.0.0.2"), 2).route(ip("172.16.0.0/16"), BGP, 14));
        assertTrue(rib.routes().get(0).installed() && rib.routes().get(0).source() == RouteSource.STATIC);
        table.sessionDown();
        table.flushStale();
        assertEquals(Map.of("172.16.0.0/16", "STATIC via 10.0.0.6 vif 1"), ribTable(), "flushing FRR's leaves the rest");
    }
}
