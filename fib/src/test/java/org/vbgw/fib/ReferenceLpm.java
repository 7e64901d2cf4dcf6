package org.vbgw.fib;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The obviously-correct longest-prefix match the tables are checked against: one HashMap per prefix
 * length, probed from the longest length down. IPv4 keys are {@code hi = address << 32, lo = 0}.
 */
final class ReferenceLpm
{
    record Key(long hi, long lo) { }

    record Route(long hi, long lo, int length, int value) { }

    private final int maxLength;
    private final List<Map<Key, Integer>> byLength = new ArrayList<>();

    ReferenceLpm(final boolean ipv6)
    {
        maxLength = ipv6 ? 128 : 32;
        for (int i = 0; i <= maxLength; i++)
        {
            byLength.add(new HashMap<>());
        }
    }

    static long v4(final int address)
    {
        return (address & 0xFFFF_FFFFL) << 32;
    }

    void put(final long hi, final long lo, final int length, final int value)
    {
        byLength.get(length).put(new Key(hi, lo), value);
    }

    boolean remove(final long hi, final long lo, final int length)
    {
        return byLength.get(length).remove(new Key(hi, lo)) != null;
    }

    int get(final long hi, final long lo, final int length)
    {
        return byLength.get(length).getOrDefault(new Key(hi, lo), -1);
    }

    void clear()
    {
        byLength.forEach(Map::clear);
    }

    int size()
    {
        return byLength.stream().mapToInt(Map::size).sum();
    }

    int lookup(final long hi, final long lo)
    {
        final int len = matchLength(hi, lo);
        return len < 0 ? -1 : get(hi & IpPrefix.mask128Hi(len), lo & IpPrefix.mask128Lo(len), len);
    }

    int matchLength(final long hi, final long lo)
    {
        for (int len = maxLength; len >= 0; len--)
        {
            if (!byLength.get(len).isEmpty()
                && byLength.get(len).containsKey(new Key(hi & IpPrefix.mask128Hi(len), lo & IpPrefix.mask128Lo(len))))
            {
                return len;
            }
        }
        return -1;
    }

    /** Every route, in prefix order: by address (unsigned), then shorter first. */
    List<Route> routes()
    {
        final List<Route> out = new ArrayList<>();
        for (int len = 0; len <= maxLength; len++)
        {
            for (final Map.Entry<Key, Integer> e : byLength.get(len).entrySet())
            {
                out.add(new Route(e.getKey().hi(), e.getKey().lo(), len, e.getValue()));
            }
        }
        out.sort(Comparator.comparing(Route::hi, Long::compareUnsigned)
            .thenComparing(Route::lo, Long::compareUnsigned)
            .thenComparingInt(Route::length));
        return out;
    }
}
