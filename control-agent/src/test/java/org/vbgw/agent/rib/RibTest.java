package org.vbgw.agent.rib;

import org.junit.jupiter.api.Test;
import org.vbgw.agent.journal.FibWriter;
import org.vbgw.fib.IpPrefix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RibTest
{
    /** Writes what the RIB asks of the FIB as readable lines. */
    static final class Recorder implements FibWriter
    {
        final List<String> lines = new ArrayList<>();
        long index;

        private long log(final String s)
        {
            lines.add(s);
            return index++;
        }

        @Override
        public long nextHop(int id, int vif, boolean v6, long hi, long lo)
        {
            return log("nh " + id + " vif " + vif + " " + IpPrefix.format(v6, hi, lo));
        }

        @Override
        public long nextHopRemoved(int id)
        {
            return log("nh-del " + id);
        }

        @Override
        public long nextHopState(int id, boolean alive, int cause)
        {
            return log("nh-state " + id + " " + alive);
        }

        @Override
        public long group(int id, int[] nhs, int[] w, int n, int backup)
        {
            return log("group " + id + " " + Arrays.toString(Arrays.copyOf(nhs, n)) + " w" + Arrays.toString(Arrays.copyOf(w, n)) +
                (backup >= 0 ? " backup " + backup : ""));
        }

        @Override
        public long groupRemoved(int id)
        {
            return log("group-del " + id);
        }

        @Override
        public long route(boolean v6, long hi, long lo, int len, int group)
        {
            return log("route " + IpPrefix.format(v6, hi, lo) + "/" + len + " -> " + group);
        }

        @Override
        public long routeRemoved(boolean v6, long hi, long lo, int len)
        {
            return log("route-del " + IpPrefix.format(v6, hi, lo) + "/" + len);
        }

        @Override
        public long neighbour(int vif, boolean v6, long hi, long lo, long mac)
        {
            return log("nbr");
        }

        @Override
        public long neighbourRemoved(int vif, boolean v6, long hi, long lo)
        {
            return log("nbr-del");
        }

        @Override
        public long vifAdminState(int vif, boolean up)
        {
            return log("vif");
        }

        @Override
        public long transactionBegin()
        {
            return log("begin");
        }

        @Override
        public long transactionEnd()
        {
            return log("end");
        }
    }

    private final Recorder fib = new Recorder();
    private final Rib rib = new Rib(fib);

    @Test
    void ecmpRoutesShareOneGroupAndNextHopsAreProgrammedFirst()
    {
        final List<RibPath> ecmp = List.of(RibPath.via(1, "10.0.0.2"), RibPath.via(2, "10.0.0.6"));
        rib.add(RouteSource.STATIC, IpPrefix.parse("192.168.1.0/24"), ecmp);
        rib.add(RouteSource.STATIC, IpPrefix.parse("192.168.2.0/24"), List.of(ecmp.get(1), ecmp.get(0)));
        assertEquals(List.of(
            "nh 0 vif 1 10.0.0.2",
            "nh 1 vif 2 10.0.0.6",
            "group 0 [0, 1] w[1, 1]",
            "route 192.168.1.0/24 -> 0",
            "route 192.168.2.0/24 -> 0"), fib.lines);
        assertEquals(1, rib.groupCount());
        assertEquals(2, rib.nextHopCount());
    }

    @Test
    void lowerDistanceWinsAndTheRunnerUpBecomesTheBackupGroup()
    {
        final IpPrefix p = IpPrefix.parse("10.1.0.0/16");
        rib.add(RouteSource.STATIC, p, List.of(RibPath.via(3, "172.31.0.2")), 250);   // VPN path, floating
        rib.add(RouteSource.EBGP, p, List.of(RibPath.via(1, "10.0.0.2")));           // direct path
        assertEquals(List.of(
            "nh 0 vif 3 172.31.0.2",
            "group 0 [0] w[1]",
            "route 10.1.0.0/16 -> 0",
            "nh 1 vif 1 10.0.0.2",
            "group 1 [1] w[1] backup 0",
            "route 10.1.0.0/16 -> 1"), fib.lines);
        final List<RibRoute> routes = rib.routes();
        assertEquals(RouteSource.EBGP, routes.get(0).source());
        assertTrue(routes.get(0).installed());
        assertFalse(routes.get(1).installed());
        fib.lines.clear();

        assertTrue(rib.remove(RouteSource.EBGP, p));
        assertEquals(List.of(
            "route 10.1.0.0/16 -> 0",
            "group-del 1",
            "nh-del 1"), fib.lines, "the direct path's group goes only after the route left it");
        fib.lines.clear();
        assertTrue(rib.remove(RouteSource.STATIC, p));
        assertEquals(List.of("route-del 10.1.0.0/16", "group-del 0", "nh-del 0"), fib.lines);
        assertEquals(0, rib.installedCount());
        assertFalse(rib.remove(RouteSource.STATIC, p));
    }

    @Test
    void aStandbyPathBacksUpBgpRoutesInsideItButIsNeverARouteOfItsOwn()
    {
        final IpPrefix remote = IpPrefix.parse("172.16.0.0/16");
        final RibPath active = RibPath.via(1, "10.0.0.2");
        final RibPath standby = RibPath.via(2, "10.0.0.6");
        rib.add(RouteSource.STANDBY, remote, List.of(active, standby));
        assertEquals(List.of(), fib.lines, "a standby path alone forwards nothing");
        assertEquals(0, rib.installedCount());

        // The active connection's route (BGP chose it; FPM carries only that path): backed up by the standby's peer.
        rib.add(RouteSource.EBGP, remote, List.of(active));
        assertEquals(List.of(
            "nh 0 vif 2 10.0.0.6",
            "group 0 [0] w[1]",
            "nh 1 vif 1 10.0.0.2",
            "group 1 [1] w[1] backup 0",
            "route 172.16.0.0/16 -> 1"), fib.lines);
        fib.lines.clear();

        // A more specific prefix inside the remote subnet gets the same backup; ECMP over both needs none.
        rib.add(RouteSource.EBGP, IpPrefix.parse("172.16.5.0/24"), List.of(active));
        assertEquals(List.of("route 172.16.5.0/24 -> 1"), fib.lines);
        fib.lines.clear();
        rib.add(RouteSource.EBGP, IpPrefix.parse("172.16.6.0/24"), List.of(active, standby));
        assertEquals(List.of("group 2 [0, 1] w[1, 1]", "route 172.16.6.0/24 -> 2"), fib.lines);
        fib.lines.clear();
        // Outside the remote subnet: no backup.
        rib.add(RouteSource.EBGP, IpPrefix.parse("10.99.0.0/16"), List.of(active));
        assertEquals(List.of("group 3 [1] w[1]", "route 10.99.0.0/16 -> 3"), fib.lines);
        fib.lines.clear();

        // BGP moved to the standby connection: its backup is now the active connection's peer.
        rib.add(RouteSource.EBGP, remote, List.of(standby));
        assertEquals(List.of("group 4 [1] w[1]", "group 5 [0] w[1] backup 4", "route 172.16.0.0/16 -> 5"), fib.lines);
        fib.lines.clear();

        // The customer withdraws the prefix: gone, though a standby path still covers it.
        assertTrue(rib.remove(RouteSource.EBGP, remote));
        assertEquals(List.of("route-del 172.16.0.0/16", "group-del 5", "group-del 4"), fib.lines);
        assertEquals(3, rib.installedCount());
        fib.lines.clear();

        // The remote subnet leaves the config: the routes inside lose their backup, and stay.
        rib.set(RouteSource.STANDBY, remote, java.util.Map.of());
        assertEquals(List.of("route 172.16.5.0/24 -> 3", "group-del 1", "group-del 0"), fib.lines);
        assertEquals(3, rib.installedCount());
    }

    @Test
    void aStandbyPathAddedAfterTheRoutesBacksThemUpAtOnce()
    {
        final RibPath active = RibPath.via(1, "2001:db8::2");
        final RibPath standby = RibPath.via(2, "2001:db8:1::2");
        rib.add(RouteSource.EBGP, IpPrefix.parse("2001:db8:100::/48"), List.of(active));
        rib.add(RouteSource.EBGP, IpPrefix.parse("2001:db8:200::/48"), List.of(active));
        fib.lines.clear();
        rib.add(RouteSource.STANDBY, IpPrefix.parse("2001:db8:100::/40"), List.of(standby));
        assertEquals(List.of(
            "nh 1 vif 2 2001:db8:1::2",
            "group 1 [1] w[1]",
            "group 2 [0] w[1] backup 1",
            "route 2001:db8:100::/48 -> 2"), fib.lines, "only the route inside the remote subnet");
    }

    @Test
    void replacingWithTheSamePathsWritesNothing()
    {
        final IpPrefix p = IpPrefix.parse("2001:db8:100::/48");
        rib.add(RouteSource.EBGP, p, List.of(RibPath.via(1, "2001:db8::2")));
        final int before = fib.lines.size();
        rib.add(RouteSource.EBGP, p, List.of(RibPath.via(1, "2001:db8::2")));
        assertEquals(before, fib.lines.size());
        assertEquals("route 2001:db8:100::/48 -> 0", fib.lines.get(before - 1));
    }

    @Test
    void connectedRoutesUseAnAttachedNextHopAndBadInputIsRefused()
    {
        rib.add(RouteSource.CONNECTED, IpPrefix.parse("10.0.0.0/30"), List.of(RibPath.attached(1)));
        assertEquals(List.of("nh 0 vif 1 0.0.0.0", "group 0 [0] w[1]", "route 10.0.0.0/30 -> 0"), fib.lines);
        assertEquals("10.9.0.0/16: gateway 2001:db8::1/128 is of the other address family",
            assertThrows(IllegalArgumentException.class,
                () -> rib.add(RouteSource.STATIC, IpPrefix.parse("10.9.0.0/16"), List.of(RibPath.via(1, "2001:db8::1")))).getMessage());
        assertEquals("10.9.0.0/16: a route needs at least one path",
            assertThrows(IllegalArgumentException.class,
                () -> rib.add(RouteSource.STATIC, IpPrefix.parse("10.9.0.0/16"), List.of())).getMessage());
        assertEquals(1, rib.installedCount());
    }

    @Test
    void attachedSubnetsOfBothFamiliesOnOneVifGetNextHopsOfTheirOwnFamily()
    {
        rib.add(RouteSource.CONNECTED, IpPrefix.parse("10.0.0.0/30"), List.of(RibPath.attached(1)));
        rib.add(RouteSource.CONNECTED, IpPrefix.parse("2001:db8::/126"), List.of(RibPath.attached(1)));
        assertEquals(List.of(
            "nh 0 vif 1 0.0.0.0",
            "group 0 [0] w[1]",
            "route 10.0.0.0/30 -> 0",
            "nh 1 vif 1 ::",
            "group 1 [1] w[1]",
            "route 2001:db8::/126 -> 1"), fib.lines);
    }

    @Test
    void removingASourceWithdrawsOnlyItsRoutes()
    {
        for (int i = 0; i < 10; i++)
        {
            rib.add(RouteSource.EBGP, IpPrefix.parse("10." + i + ".0.0/16"), List.of(RibPath.via(1, "10.0.0.2")));
        }
        rib.add(RouteSource.STATIC, IpPrefix.parse("10.5.0.0/16"), List.of(RibPath.via(2, "10.0.0.6")), 200);
        assertEquals(10, rib.removeAll(RouteSource.EBGP));
        assertEquals(1, rib.installedCount());
        assertEquals(1, rib.groupCount());
        assertEquals(1, rib.nextHopCount());
    }
}
