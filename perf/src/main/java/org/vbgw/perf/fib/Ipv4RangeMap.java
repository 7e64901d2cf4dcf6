package org.vbgw.perf.fib;

import org.vbgw.agent.cli.RouteList;

import java.util.Map;
import java.util.TreeMap;

/**
 * The textbook Java LPM baseline: nested prefixes flattened into disjoint ranges (see
 * {@link RangeFlattener}), kept in a {@code TreeMap} by range start; a lookup is one
 * {@code floorEntry} and an end check. What a Java programmer writes first, and the figure
 * (about 1.6 M lookups/s on the Internet set, DESIGN.md) a FIB must leave far behind.
 * Lookups box the key, as such code does.
 */
public final class Ipv4RangeMap
{
    private record Range(long end, int value)
    {
    }

    private final TreeMap<Long, Range> ranges = new TreeMap<>();

    public static Ipv4RangeMap build(final RouteList routes)
    {
        final int n = routes.ipv4Count();
        final long[] zero = new long[n];
        final long[] starts = new long[n];
        final long[] ends = new long[n];
        for (int i = 0; i < n; i++)
        {
            starts[i] = routes.ipv4Prefixes()[i] & 0xFFFF_FFFFL;
            ends[i] = starts[i] + (1L << (32 - routes.ipv4Lengths()[i])) - 1;
        }
        final Ipv4RangeMap map = new Ipv4RangeMap();
        RangeFlattener.flatten(zero, starts, zero, ends, routes.ipv4Values(), n,
            (startHi, startLo, endHi, endLo, value) -> map.ranges.put(startLo, new Range(endLo, value)));
        return map;
    }

    /** The value of the longest prefix matching {@code address}, or -1. */
    public int lookup(final int address)
    {
        final long a = address & 0xFFFF_FFFFL;
        final Map.Entry<Long, Range> e = ranges.floorEntry(a);
        if (e == null)
        {
            return -1;
        }
        final Range r = e.getValue();
        return a <= r.end ? r.value : -1;
    }

    /** Disjoint ranges held. */
    public int size()
    {
        return ranges.size();
    }
}
