package org.vbgw.fib;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FibTest
{
    private static final IpPrefix P8 = IpPrefix.parse("10.0.0.0/8");
    private static final IpPrefix P16 = IpPrefix.parse("10.1.0.0/16");
    private static final IpPrefix P24 = IpPrefix.parse("10.1.2.0/24");
    private static final int IN_24 = ipv4("10.1.2.77");
    private static final int IN_16 = ipv4("10.1.9.1");
    private static final int IN_8 = ipv4("10.200.0.1");

    private Fib fib;

    @BeforeEach
    void setUp()
    {
        fib = new Fib();
        for (int id = 1; id <= 12; id++)
        {
            fib.addNextHop(id, 100 + id, "192.0.2." + id);
        }
        fib.addGroup(1, new int[] {1, 2}, null, Fib.NO_GROUP);
        fib.addGroup(2, new int[] {3, 4}, null, Fib.NO_GROUP);
        fib.addGroup(3, new int[] {5, 6}, null, Fib.NO_GROUP);
        fib.addGroup(9, new int[] {9}, null, Fib.NO_GROUP);
    }

    @Test
    void lookupAndSelectFindALiveMemberAndItsVif()
    {
        fib.addRoute(P8, 1);
        assertEquals(1, fib.lookupIpv4(IN_8));
        assertEquals(Fib.NO_GROUP, fib.lookupIpv4(ipv4("11.0.0.1")));
        assertEquals(Fib.NO_NEXT_HOP, fib.selectNextHop(Fib.NO_GROUP, 5));
        final int[] seen = new int[3];
        for (int h = 0; h < 1000; h++)
        {
            final int nh = fib.selectNextHop(fib.lookupIpv4(IN_8), h);
            assertTrue(nh == 1 || nh == 2, "next hop " + nh);
            assertEquals(nh, fib.selectNextHop(1, h), "same flow, same member");
            seen[nh]++;
            assertEquals(100 + nh, fib.nextHopVif(nh));
        }
        assertTrue(seen[1] > 400 && seen[2] > 400, "both members carry flows");
        assertEquals(-1, fib.nextHopVif(77));
        assertEquals(ipv4("192.0.2.2"), fib.nextHop(2).neighbourIpv4());
        assertNull(fib.nextHop(-3));
    }

    @Test
    void moreSpecificFallsBackToCoveringRoutesGroupAndReturns()
    {
        fib.addRoute(P16, 1);
        fib.addRoute(P24, 2);
        assertEquals(2, fib.baseGroupOf(fib.lookupIpv4(IN_24)));
        assertNotEquals(2, fib.lookupIpv4(IN_24), "a route under a covering route stores a derived variant");
        assertEquals(1, fib.derivedGroupCount());

        fib.setNextHopAlive(3, false);
        for (int h = 0; h < 256; h++)
        {
            assertEquals(4, fib.selectNextHop(fib.lookupIpv4(IN_24), h));
        }
        fib.setNextHopAlive(4, false);
        for (int h = 0; h < 256; h++)
        {
            assertEquals(fib.selectNextHop(1, h), fib.selectNextHop(fib.lookupIpv4(IN_24), h), "follows the /16");
        }
        assertEquals(Fib.NO_NEXT_HOP, fib.selectNextHop(2, 0), "group 2 itself has no backup");
        fib.setNextHopAlive(4, true);
        for (int h = 0; h < 256; h++)
        {
            assertEquals(4, fib.selectNextHop(fib.lookupIpv4(IN_24), h));
        }
    }

    @Test
    void explicitBackupWinsOverCoveringRoute()
    {
        fib.addRoute(P16, 1);
        fib.addRoute(P24, 2);
        fib.replaceGroup(2, new int[] {3, 4}, null, 9);
        fib.setNextHopAlive(3, false);
        fib.setNextHopAlive(4, false);
        for (int h = 0; h < 64; h++)
        {
            assertEquals(9, fib.selectNextHop(fib.lookupIpv4(IN_24), h));
            assertEquals(9, fib.selectNextHop(2, h));
        }
        fib.replaceGroup(2, new int[] {3, 4}, null, Fib.NO_GROUP);
        for (int h = 0; h < 64; h++)
        {
            assertEquals(fib.selectNextHop(1, h), fib.selectNextHop(fib.lookupIpv4(IN_24), h), "back to the cover");
        }
    }

    @Test
    void fallbackChainsThroughSeveralCoveringRoutesAndFollowsRouteChanges()
    {
        fib.addRoute(P8, 3);
        fib.addRoute(P16, 1);
        fib.addRoute(P24, 2);
        kill(3, 4);
        assertEquals(setOf(1, 2), answers(IN_24));
        kill(1, 2);
        assertEquals(setOf(5, 6), answers(IN_24), "/24 → /16 → /8");
        assertEquals(setOf(5, 6), answers(IN_16));

        fib.removeRoute(P16);
        assertEquals(setOf(5, 6), answers(IN_24));
        fib.setNextHopAlive(1, true);
        assertEquals(setOf(5, 6), answers(IN_24), "the removed /16 no longer matters");

        fib.addRoute(P16, 1);
        assertEquals(setOf(1), answers(IN_24), "a new covering route is picked up");
        fib.replaceRoute(P16, 9);
        assertEquals(setOf(9), answers(IN_24));
        assertEquals(9, fib.routeGroup(P16));
        fib.replaceRoute(P24, 1);
        assertEquals(setOf(1), answers(IN_24));
        fib.setNextHopAlive(1, false);
        assertEquals(setOf(9), answers(IN_24));
    }

    @Test
    void variantsAreSharedAndFreedWithTheirRoutes()
    {
        fib.addRoute(P16, 1);
        for (int i = 0; i < 100; i++)
        {
            fib.addRoute(IpPrefix.ipv4(ipv4("10.1.0.0") + (i << 8), 24), i % 2 == 0 ? 2 : 3);
        }
        assertEquals(2, fib.derivedGroupCount(), "one variant per (group, covering group)");
        assertEquals(101, fib.routeCount());
        fib.replaceRoute(P16, 9);
        assertEquals(2, fib.derivedGroupCount(), "the old variants are freed as the routes move");
        fib.removeRoute(P16);
        assertEquals(0, fib.derivedGroupCount(), "without a cover the routes store their group directly");
        assertEquals(2, fib.lookupIpv4(ipv4("10.1.0.5")));
        assertFalse(fib.removeRoute(P16));
        for (int i = 0; i < 100; i++)
        {
            assertTrue(fib.removeRoute(IpPrefix.ipv4(ipv4("10.1.0.0") + (i << 8), 24)));
        }
        assertEquals(0, fib.routeCount());
        fib.removeGroup(2);
        assertEquals(3, fib.groupCount());
    }

    @Test
    void ipv6RoutesResolveAndFallBack()
    {
        fib.addNextHop(20, 7, "2001:db8::1");
        fib.addGroup(20, new int[] {20}, null, Fib.NO_GROUP);
        fib.addRoute(IpPrefix.parse("2001:db8::/32"), 20);
        fib.addRoute(IpPrefix.parse("2001:db8:1::/48"), 2);
        final IpPrefix host = IpPrefix.parse("2001:db8:1::42");
        assertEquals(2, fib.baseGroupOf(fib.lookupIpv6(host.hi(), host.lo())));
        kill(3, 4);
        assertEquals(20, fib.selectNextHop(fib.lookupIpv6(host.hi(), host.lo()), 12345));
        assertTrue(fib.nextHop(20).ipv6());
        assertEquals(7, fib.nextHopVif(20));
    }

    @Test
    void bulkLoadMatchesIncrementalAddsAndReplacesEarlierRoutes()
    {
        fib.addRoute(IpPrefix.parse("172.16.0.0/12"), 9);
        final int[] prefixes = {ipv4("10.1.2.0"), ipv4("10.0.0.0"), ipv4("10.1.0.0"), ipv4("10.1.2.128")};
        final int[] lengths = {24, 8, 16, 25};
        final int[] groups = {2, 3, 1, 9};
        fib.loadIpv4Routes(prefixes, lengths, groups, 4);
        assertEquals(4, fib.routeCount());
        assertEquals(Fib.NO_GROUP, fib.lookupIpv4(ipv4("172.16.0.1")));

        final Fib incremental = new Fib();
        for (int id = 1; id <= 12; id++)
        {
            incremental.addNextHop(id, 100 + id, "192.0.2." + id);
        }
        incremental.addGroup(1, new int[] {1, 2}, null, Fib.NO_GROUP);
        incremental.addGroup(2, new int[] {3, 4}, null, Fib.NO_GROUP);
        incremental.addGroup(3, new int[] {5, 6}, null, Fib.NO_GROUP);
        incremental.addGroup(9, new int[] {9}, null, Fib.NO_GROUP);
        for (int i = 0; i < 4; i++)
        {
            incremental.addRoute(IpPrefix.ipv4(prefixes[i], lengths[i]), groups[i]);
        }
        final int[] probes = {ipv4("10.1.2.1"), ipv4("10.1.2.200"), ipv4("10.1.3.1"), ipv4("10.9.0.1")};
        for (final boolean[] state : new boolean[][] {{true, true}, {false, true}, {false, false}})
        {
            for (final Fib f : new Fib[] {fib, incremental})
            {
                f.setNextHopAlive(3, state[0]);
                f.setNextHopAlive(4, state[0]);
                f.setNextHopAlive(1, state[1]);
                f.setNextHopAlive(9, state[1]);
            }
            for (final int probe : probes)
            {
                for (int h = 0; h < 64; h++)
                {
                    assertEquals(incremental.selectNextHop(incremental.lookupIpv4(probe), h),
                        fib.selectNextHop(fib.lookupIpv4(probe), h));
                }
            }
        }
        final List<String> dump = new ArrayList<>();
        fib.forEachRoute((p, g) -> dump.add(p + "=" + g));
        assertEquals(List.of("10.0.0.0/8=3", "10.1.0.0/16=1", "10.1.2.0/24=2", "10.1.2.128/25=9"), dump);

        // The loaded index serves later route changes: the /24 and /25 now fall back through the /8.
        assertTrue(fib.removeRoute(IpPrefix.parse("10.1.0.0/16")));
        fib.setNextHopAlive(3, false);
        fib.setNextHopAlive(4, false);
        fib.setNextHopAlive(5, true);
        fib.setNextHopAlive(6, true);
        assertEquals(setOf(5, 6), answers(ipv4("10.1.2.1")));
        fib.addRoute(IpPrefix.parse("10.1.2.0/23"), 9);
        fib.setNextHopAlive(9, true);
        assertEquals(setOf(9), answers(ipv4("10.1.2.1")));
        assertEquals(setOf(9), answers(ipv4("10.1.2.200")));
    }

    @Test
    void replaceGroupKeepsFlowsOnMembersThatStay()
    {
        final int[] eight = {1, 2, 3, 4, 5, 6, 7, 8};
        fib.addGroup(40, eight, null, Fib.NO_GROUP);
        final int[] before = new int[512];
        for (int h = 0; h < 512; h++)
        {
            before[h] = fib.selectNextHop(40, h);
        }
        fib.replaceGroup(40, new int[] {1, 2, 3, 4, 5, 6, 7, 10}, null, Fib.NO_GROUP);
        for (int h = 0; h < 512; h++)
        {
            final int now = fib.selectNextHop(40, h);
            assertEquals(before[h] == 8 ? 10 : before[h], now, "bucket " + h);
        }
        fib.replaceGroup(40, new int[] {1, 2, 3, 4, 5, 6, 7, 10}, new int[] {1, 1, 1, 1, 1, 1, 1, 9}, Fib.NO_GROUP);
        int moved = 0;
        for (int h = 0; h < 512; h++)
        {
            final int now = fib.selectNextHop(40, h);
            final int was = before[h] == 8 ? 10 : before[h];
            if (now != was)
            {
                moved++;
                assertEquals(10, now, "flows only move to the heavier member");
            }
        }
        assertEquals(512 * 9 / 16 - 64, moved);
    }

    @Test
    void growingAGroupPastItsBucketCountMovesFlowsOnlyToTheNewMember()
    {
        final int[] eight = {1, 2, 3, 4, 5, 6, 7, 8};
        fib.addGroup(41, eight, null, Fib.NO_GROUP);
        assertEquals(512, fib.group(41).bucketCount());
        final int[] before = new int[4096];
        for (int h = 0; h < before.length; h++)
        {
            before[h] = fib.selectNextHop(41, h * 0x9E3779B1);
        }
        fib.replaceGroup(41, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 10}, null, Fib.NO_GROUP);
        assertEquals(1024, fib.group(41).bucketCount());
        int moved = 0;
        for (int h = 0; h < before.length; h++)
        {
            final int now = fib.selectNextHop(41, h * 0x9E3779B1);
            if (now != before[h])
            {
                moved++;
                assertEquals(10, now, "flow " + h + " moved between old members");
            }
        }
        assertTrue(moved > 4096 / 9 - 150 && moved < 4096 / 9 + 150, "about a ninth of the flows moved: " + moved);

        fib.replaceGroup(41, eight, null, Fib.NO_GROUP);
        assertEquals(512, fib.group(41).bucketCount());
        for (int h = 0; h < before.length; h++)
        {
            final int now = fib.selectNextHop(41, h * 0x9E3779B1);
            assertTrue(now >= 1 && now <= 8, "flow " + h + " on " + now);
        }
    }

    @Test
    void freedVariantIdsAreNotReusedAtOnceAndKeepTheirLastTable()
    {
        fib.addRoute(P16, 1);
        fib.addRoute(P24, 2);
        final int first = fib.lookupIpv4(IN_24);
        final java.util.Set<Integer> used = new java.util.HashSet<>();
        used.add(first);
        for (int i = 0; i < 1000; i++)
        {
            fib.replaceRoute(P16, i % 2 == 0 ? 3 : 1);
            final int id = fib.lookupIpv4(IN_24);
            assertTrue(used.add(id), "variant id " + id + " reused after " + i + " frees");
            assertEquals(1, fib.derivedGroupCount());
        }
        assertEquals(fib.selectNextHop(2, 77), fib.selectNextHop(first, 77), "a freed variant still answers");
    }

    @Test
    void invalidationCountsGroupsNotRoutes()
    {
        fib.addGroup(30, new int[] {7, 8}, null, Fib.NO_GROUP);
        fib.addRoute(P8, 3);
        fib.addRoute(P16, 30);
        fib.addRoute(IpPrefix.parse("10.2.0.0/16"), 30);
        fib.addRoute(IpPrefix.parse("11.0.0.0/8"), 30);
        assertEquals(1, fib.derivedGroupCount(), "both /16s under the /8 share one variant");
        assertEquals(1, fib.setNextHopAlive(7, false), "group 30 only: its variant aliases it");
        assertEquals(0, fib.setNextHopAlive(7, false), "no change, nothing rewritten");
        assertEquals(1, fib.setNextHopAlive(8, false), "the group empties; its variant falls through to the cover by itself");
        assertEquals(Fib.NO_NEXT_HOP, fib.selectNextHop(fib.lookupIpv4(ipv4("11.0.0.1")), 1));
        assertEquals(setOf(5, 6), answers(ipv4("10.2.0.1")));
    }

    @Test
    void ipv6BulkLoadFollowsCoversLikeIpv4()
    {
        final IpPrefix p32 = IpPrefix.parse("2001:db8::/32");
        final IpPrefix p48 = IpPrefix.parse("2001:db8:5::/48");
        final IpPrefix p64 = IpPrefix.parse("2001:db8:5:1::/64");
        fib.loadIpv6Routes(new long[] {p64.hi(), p32.hi(), p48.hi()}, new long[] {0, 0, 0}, new int[] {64, 32, 48},
            new int[] {2, 3, 1}, 3);
        assertEquals(3, fib.routeCount());
        assertEquals(2, fib.derivedGroupCount());
        final IpPrefix host = IpPrefix.parse("2001:db8:5:1::9");
        assertEquals(2, fib.baseGroupOf(fib.lookupIpv6(host.hi(), host.lo())));
        kill(3, 4);
        assertEquals(fib.selectNextHop(1, 99), fib.selectNextHop(fib.lookupIpv6(host.hi(), host.lo()), 99));
        kill(1, 2);
        assertEquals(fib.selectNextHop(3, 99), fib.selectNextHop(fib.lookupIpv6(host.hi(), host.lo()), 99));
        final List<String> dump = new ArrayList<>();
        fib.forEachRoute((p, g) -> dump.add(p + "=" + g));
        assertEquals(List.of("2001:db8::/32=3", "2001:db8:5::/48=1", "2001:db8:5:1::/64=2"), dump);

        fib.loadIpv6Routes(new long[0], new long[0], new int[0], new int[0], 0);
        assertEquals(0, fib.routeCount());
        assertEquals(0, fib.derivedGroupCount(), "variants of the replaced routes are released");
    }

    @Test
    void unusedGroupsAndNextHopsCanBeRemoved()
    {
        fib.addRoute(P8, 1);
        fib.removeRoute(P8);
        fib.removeGroup(1);
        assertEquals(Fib.NO_NEXT_HOP, fib.selectNextHop(1, 0), "a removed group forwards nowhere");
        assertNull(fib.group(1));
        fib.removeNextHop(1);
        assertNull(fib.nextHop(1));
        assertEquals(11, fib.nextHopCount());
        fib.addNextHop(1, 55, "2001:db8::77");
        assertEquals(55, fib.nextHopVif(1));
        fib.addGroup(1, new int[] {1}, null, Fib.NO_GROUP);
        assertEquals(1, fib.selectNextHop(1, 12345));
        assertTrue(fib.memoryBytes() > 0);
    }

    @Test
    void deadNextHopJoiningAGroupGetsNoFlowsUntilItRevives()
    {
        fib.setNextHopAlive(12, false);
        fib.addGroup(50, new int[] {11, 12}, null, Fib.NO_GROUP);
        for (int h = 0; h < 256; h++)
        {
            assertEquals(11, fib.selectNextHop(50, h));
        }
        assertFalse(fib.nextHop(12).alive());
        fib.setNextHopAlive(12, true);
        final java.util.Set<Integer> seen = new java.util.TreeSet<>();
        for (int h = 0; h < 256; h++)
        {
            seen.add(fib.selectNextHop(50, h));
        }
        assertEquals(setOf(11, 12), seen);
    }

    private void kill(final int... ids)
    {
        for (final int id : ids)
        {
            fib.setNextHopAlive(id, false);
        }
    }

    private java.util.Set<Integer> answers(final int address)
    {
        final java.util.Set<Integer> set = new java.util.TreeSet<>();
        for (int h = 0; h < 1024; h++)
        {
            set.add(fib.selectNextHop(fib.lookupIpv4(address), h));
        }
        return set;
    }

    private static java.util.Set<Integer> setOf(final Integer... values)
    {
        return new java.util.TreeSet<>(List.of(values));
    }

    static int ipv4(final String address)
    {
        return IpPrefix.parse(address).ipv4Address();
    }
}
