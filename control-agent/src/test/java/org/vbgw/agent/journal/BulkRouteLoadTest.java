package org.vbgw.agent.journal;

import org.junit.jupiter.api.Test;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A replay's route collection: the last word on each prefix reaches the FIB, a bad route is refused alone. */
class BulkRouteLoadTest
{
    private static Fib fibWithGroups()
    {
        final Fib fib = new Fib();
        fib.addNextHop(0, 0, "10.0.0.2");
        fib.addGroup(1, new int[] {0}, new int[] {1}, Fib.NO_GROUP);
        fib.addGroup(Fib.MAX_GROUP_ID, new int[] {0}, new int[] {1}, Fib.NO_GROUP);
        return fib;
    }

    private static void put(final BulkRouteLoad load, final String prefix, final int group)
    {
        final IpPrefix p = IpPrefix.parse(prefix);
        if (!p.ipv6() && BulkRouteLoad.isIpv4Prefix(p.hi(), p.lo(), p.length()))
        {
            load.putIpv4(p.lo(), p.length(), group);
        }
        else
        {
            load.put(p, group);
        }
    }

    @Test
    void theLastWordOnEachPrefixIsLoadedAndRemovalsStayRemoved()
    {
        final Fib fib = fibWithGroups();
        final BulkRouteLoad load = new BulkRouteLoad();
        put(load, "200.1.0.0/16", 1);               // above 128.0.0.0: the packed sort must stay unsigned
        put(load, "10.0.0.0/8", 1);
        put(load, "10.1.0.0/16", 1);
        put(load, "10.1.0.0/16", Fib.MAX_GROUP_ID);  // replaced: the later entry wins
        put(load, "10.2.0.0/16", 1);
        load.removeIpv4(IpPrefix.parse("10.2.0.0/16").lo(), 16);
        put(load, "0.0.0.0/0", 1);
        put(load, "2001:db8::/32", 1);
        put(load, "2001:db8:1::/48", Fib.MAX_GROUP_ID);
        final List<String> refused = new ArrayList<>();
        load.loadInto(fib, (p, g) -> refused.add(p + "->" + g));

        assertEquals(List.of(), refused);
        assertEquals(6, fib.routeCount());
        assertEquals(Fib.MAX_GROUP_ID, fib.routeGroup(IpPrefix.parse("10.1.0.0/16")));
        assertEquals(1, fib.routeGroup(IpPrefix.parse("200.1.0.0/16")));
        assertEquals(Fib.NO_GROUP, fib.routeGroup(IpPrefix.parse("10.2.0.0/16")));
        assertEquals(Fib.MAX_GROUP_ID, fib.baseGroupOf(fib.lookupIpv4(0x0A010203)));
        assertEquals(1, fib.baseGroupOf(fib.lookupIpv4(0x0A020203)));                 // falls to 10.0.0.0/8
        assertEquals(1, fib.baseGroupOf(fib.lookupIpv4(0xC8010001)));
        assertEquals(Fib.MAX_GROUP_ID, fib.routeGroup(IpPrefix.parse("2001:db8:1::/48")));
    }

    @Test
    void aRouteToAMissingOrOutOfRangeGroupIsRefusedAloneAndTheRestLoads()
    {
        final Fib fib = fibWithGroups();
        final BulkRouteLoad load = new BulkRouteLoad();
        put(load, "10.0.0.0/8", 1);
        put(load, "10.1.0.0/16", 7);                       // no such group
        put(load, "10.3.0.0/16", -5);                      // not a group id at all
        put(load, "10.4.0.0/16", Fib.MAX_GROUP_ID + 1);    // beyond the user ids: must not be truncated into one
        put(load, "2001:db8::/32", 9);
        final List<String> refused = new ArrayList<>();
        load.loadInto(fib, (p, g) -> refused.add(p + "->" + g));

        assertEquals(4, refused.size(), refused.toString());
        assertTrue(refused.contains("10.1.0.0/16->7"));
        assertTrue(refused.contains("10.4.0.0/16->" + (Fib.MAX_GROUP_ID + 1)));
        assertEquals(1, fib.routeCount());
        assertEquals(1, fib.routeGroup(IpPrefix.parse("10.0.0.0/8")));
    }

    @Test
    void onlyWellFormedIpv4PrefixesTakeTheUncheckedPath()
    {
        assertTrue(BulkRouteLoad.isIpv4Prefix(0, 0x0A000000L, 8));
        assertTrue(BulkRouteLoad.isIpv4Prefix(0, 0, 0));
        assertTrue(BulkRouteLoad.isIpv4Prefix(0, 0xFFFF_FFFFL, 32));
        assertFalse(BulkRouteLoad.isIpv4Prefix(0, 0x0A000001L, 8));     // host bits
        assertFalse(BulkRouteLoad.isIpv4Prefix(0, 0x0A000000L, 33));
        assertFalse(BulkRouteLoad.isIpv4Prefix(0, 0x0A000000L, -1));
        assertFalse(BulkRouteLoad.isIpv4Prefix(1, 0x0A000000L, 8));
        assertFalse(BulkRouteLoad.isIpv4Prefix(0, 0x1_0A00_0000L, 8));  // does not fit 32 bits
    }

    @Test
    void compactionsOnTheWayKeepTheLastWordOfEveryPrefix()
    {
        // A log compacted every 7 entries against a plain map of the last word, over random puts and removals
        // of a few prefixes (so each is written many times, across compactions).
        final java.util.Random random = new java.util.Random(5);
        final java.util.TreeMap<Long, Integer> expected = new java.util.TreeMap<>();
        final BulkRouteLoad load = new BulkRouteLoad(7);
        for (int i = 0; i < 5_000; i++)
        {
            final int length = 8 + random.nextInt(17);
            final int address = (random.nextInt(40) << 24 | random.nextInt(4) << 16) & IpPrefix.mask32(length);
            final long lo = address & 0xFFFF_FFFFL;
            if (random.nextInt(4) == 0)
            {
                load.removeIpv4(lo, length);
                expected.remove(lo << 8 | length);
            }
            else
            {
                load.putIpv4(lo, length, 1);
                expected.put(lo << 8 | length, 1);
            }
        }
        final Fib fib = new Fib();
        fib.addNextHop(0, 0, "10.0.0.2");
        fib.addGroup(1, new int[] {0}, new int[] {1}, Fib.NO_GROUP);
        load.loadInto(fib, (prefix, group) -> { throw new AssertionError("refused " + prefix); });
        assertEquals(expected.size(), fib.routeCount());
        for (final long key : expected.keySet())
        {
            final IpPrefix p = IpPrefix.ipv4((int)(key >>> 8), (int)(key & 0xFF));
            assertEquals(1, fib.routeGroup(p), p.toString());
        }
    }
}
