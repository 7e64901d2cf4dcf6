package org.vbgw.perf.fib;

import inet.ipaddr.ipv4.IPv4AddressAssociativeTrie;
import inet.ipaddr.ipv6.IPv6AddressAssociativeTrie;
import org.junit.jupiter.api.Test;
import org.vbgw.agent.cli.CoveredSpace;
import org.vbgw.agent.cli.RouteList;
import org.vbgw.fib.IpPrefix;
import org.vbgw.fib.Ipv4Table;
import org.vbgw.fib.Ipv6Table;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every baseline answers exactly as vbgw's own table does, or its figures would compare nothing. */
class LpmBaselinesTest
{
    @Test
    void ipv4BaselinesAgreeWithTheTable()
    {
        final RouteList routes = SyntheticRouteTable.generate(20_000, 7);
        routes.addIpv4(0, 0, 63);  // a default route, so no address misses
        routes.addIpv4(IpPrefix.parse("10.0.0.0/8").ipv4Address(), 8, 1);
        routes.addIpv4(IpPrefix.parse("10.1.2.0/24").ipv4Address(), 24, 2);
        routes.addIpv4(IpPrefix.parse("10.1.2.128/25").ipv4Address(), 25, 3);
        routes.addIpv4(IpPrefix.parse("10.1.2.130/32").ipv4Address(), 32, 4);
        routes.addIpv4(IpPrefix.parse("255.255.255.255/32").ipv4Address(), 32, 5);
        final Ipv4Table table = new Ipv4Table();
        routes.loadInto(table);
        final Dir24x8Table dir = Dir24x8Table.build(routes);
        final Ipv4RangeMap ranges = Ipv4RangeMap.build(routes);
        final IPv4AddressAssociativeTrie<Integer> trie = IpaddressTrie.buildIpv4(routes);

        final SplittableRandom random = new SplittableRandom(1);
        final int[] covered = CoveredSpace.ipv4Addresses(routes, 20_000, 3);
        for (int i = 0; i < 40_000; i++)
        {
            final int a = i < covered.length ? covered[i] : random.nextInt();
            final int expected = table.lookup(a);
            final String where = IpPrefix.formatIpv4(a);
            assertEquals(expected, dir.lookup(a), "DIR-24-8 at " + where);
            assertEquals(expected, ranges.lookup(a), "TreeMap at " + where);
            assertEquals(expected, IpaddressTrie.lookup(trie, a), "ipaddress trie at " + where);
        }
        for (final String edge : new String[] {"10.1.2.130", "10.1.2.131", "10.1.2.127", "10.1.3.0", "255.255.255.255", "0.0.0.0"})
        {
            final int a = IpPrefix.parse(edge).ipv4Address();
            assertEquals(table.lookup(a), dir.lookup(a), edge);
            assertEquals(table.lookup(a), ranges.lookup(a), edge);
            assertEquals(table.lookup(a), IpaddressTrie.lookup(trie, a), edge);
        }
    }

    @Test
    void ipv4BaselinesMissWhereNoRouteCovers()
    {
        final RouteList routes = new RouteList();
        routes.addIpv4(IpPrefix.parse("192.0.2.0/24").ipv4Address(), 24, 9);
        final int outside = IpPrefix.parse("192.0.3.1").ipv4Address();
        assertEquals(-1, Dir24x8Table.build(routes).lookup(outside));
        assertEquals(-1, Ipv4RangeMap.build(routes).lookup(outside));
        assertEquals(-1, IpaddressTrie.lookup(IpaddressTrie.buildIpv4(routes), outside));
        assertEquals(9, Dir24x8Table.build(routes).lookup(IpPrefix.parse("192.0.2.255").ipv4Address()));
    }

    @Test
    void ipv6BaselinesAgreeWithTheTable()
    {
        final RouteList routes = new RouteList();
        final String[] prefixes = {
            "::/0", "2001:db8::/32", "2001:db8:1::/48", "2001:db8:1:2::/64", "2001:db8:1:2::1/128",
            "2001:db8:ffff::/48", "2400::/12", "2400:cb00::/32", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
            "fe80::/10", "2001:db8:1:2:8000::/65",
        };
        for (int i = 0; i < prefixes.length; i++)
        {
            routes.add(IpPrefix.parse(prefixes[i]), i);
        }
        final SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 5_000; i++)
        {
            final int len = 16 + random.nextInt(113);
            final long hi = (0x2000_0000_0000_0000L | random.nextLong() >>> 4) & IpPrefix.mask128Hi(len);
            final long lo = random.nextLong() & IpPrefix.mask128Lo(len);
            routes.addIpv6(hi, lo, len, random.nextInt(64));
        }
        final Ipv6Table table = new Ipv6Table();
        routes.loadInto(table);
        final Ipv6RangeMap ranges = Ipv6RangeMap.build(routes);
        final IPv6AddressAssociativeTrie<Integer> trie = IpaddressTrie.buildIpv6(routes);

        final long[] his = new long[20_000];
        final long[] los = new long[20_000];
        CoveredSpace.ipv6Addresses(routes, 11, his, los);
        for (int i = 0; i < his.length; i++)
        {
            // Half from the covered space, half near the routes so long prefixes are hit too.
            final int r = random.nextInt(routes.ipv6Count());
            final long hi = (i & 1) == 0 ? his[i] : routes.ipv6His()[r] ^ (random.nextInt(4) == 0 ? random.nextLong() & 0xFF : 0);
            final long lo = (i & 1) == 0 ? los[i] : routes.ipv6Los()[r] ^ (random.nextLong() & 0xFFFF);
            final int expected = table.lookup(hi, lo);
            final String where = IpPrefix.format(true, hi, lo);
            assertEquals(expected, ranges.lookup(hi, lo), "TreeMap at " + where);
            assertEquals(expected, IpaddressTrie.lookup(trie, hi, lo), "ipaddress trie at " + where);
        }
        assertEquals(8, ranges.lookup(-1L, -1L));
        assertEquals(8, IpaddressTrie.lookup(trie, -1L, -1L));
    }
}
