package org.vbgw.perf.fib;

import org.vbgw.agent.cli.RouteList;
import org.vbgw.fib.IpPrefix;

import java.util.Map;
import java.util.TreeMap;

/**
 * {@link Ipv4RangeMap} for IPv6: disjoint ranges in a {@code TreeMap} keyed by a 128-bit start.
 * A lookup allocates its key, as such code does.
 */
public final class Ipv6RangeMap
{
    private record Key(long hi, long lo) implements Comparable<Key>
    {
        @Override
        public int compareTo(final Key other)
        {
            return RangeFlattener.compare(hi, lo, other.hi, other.lo);
        }
    }

    private record Range(long endHi, long endLo, int value)
    {
    }

    private final TreeMap<Key, Range> ranges = new TreeMap<>();

    public static Ipv6RangeMap build(final RouteList routes)
    {
        final int n = routes.ipv6Count();
        final long[] endHi = new long[n];
        final long[] endLo = new long[n];
        for (int i = 0; i < n; i++)
        {
            final int len = routes.ipv6Lengths()[i];
            endHi[i] = routes.ipv6His()[i] | ~IpPrefix.mask128Hi(len);
            endLo[i] = routes.ipv6Los()[i] | ~IpPrefix.mask128Lo(len);
        }
        final Ipv6RangeMap map = new Ipv6RangeMap();
        RangeFlattener.flatten(routes.ipv6His(), routes.ipv6Los(), endHi, endLo, routes.ipv6Values(), n,
            (sHi, sLo, eHi, eLo, value) -> map.ranges.put(new Key(sHi, sLo), new Range(eHi, eLo, value)));
        return map;
    }

    /** The value of the longest prefix matching the address, or -1. */
    public int lookup(final long hi, final long lo)
    {
        final Map.Entry<Key, Range> e = ranges.floorEntry(new Key(hi, lo));
        if (e == null)
        {
            return -1;
        }
        final Range r = e.getValue();
        return RangeFlattener.compare(hi, lo, r.endHi, r.endLo) <= 0 ? r.value : -1;
    }

    /** Disjoint ranges held. */
    public int size()
    {
        return ranges.size();
    }
}
