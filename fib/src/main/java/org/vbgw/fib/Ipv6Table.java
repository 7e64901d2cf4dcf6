package org.vbgw.fib;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * IPv6 longest-prefix match: prefix (/0–/128, two big-endian 64-bit halves) → int value (≥ 0).
 * <p>
 * One writer thread calls the mutators; any number of reader threads call {@link #lookup(long, long)}.
 * Placeholder implementation with the final API: correct for a single thread only, to be replaced
 * by the wait-free multibit trie.
 */
public final class Ipv6Table
{
    /** Returned by lookups that match no prefix. */
    public static final int NO_ROUTE = -1;

    /** Receives routes in prefix order from {@link #forEach(RouteConsumer)}. */
    @FunctionalInterface
    public interface RouteConsumer
    {
        void accept(long hi, long lo, int length, int value);
    }

    private record Key(long hi, long lo) { }

    @SuppressWarnings("unchecked")
    private final Map<Key, Integer>[] byLength = new Map[129];
    private int size;

    public Ipv6Table()
    {
        for (int i = 0; i <= 128; i++)
        {
            byLength[i] = new HashMap<>();
        }
    }

    /** Adds or replaces the route for the prefix. Writer thread only. */
    public void put(final long hi, final long lo, final int length, final int value)
    {
        check(hi, lo, length);
        if (value < 0)
        {
            throw new IllegalArgumentException("route value must be >= 0: " + value);
        }
        if (byLength[length].put(new Key(hi, lo), value) == null)
        {
            size++;
        }
    }

    /** Removes the route; false when there was none. Writer thread only. */
    public boolean remove(final long hi, final long lo, final int length)
    {
        check(hi, lo, length);
        if (byLength[length].remove(new Key(hi, lo)) != null)
        {
            size--;
            return true;
        }
        return false;
    }

    /** Exact match: the value stored for the prefix, or {@link #NO_ROUTE}. */
    public int get(final long hi, final long lo, final int length)
    {
        check(hi, lo, length);
        final Integer v = byLength[length].get(new Key(hi, lo));
        return v == null ? NO_ROUTE : v;
    }

    /** Longest-prefix match: the value or {@link #NO_ROUTE}. Any thread. */
    public int lookup(final long hi, final long lo)
    {
        for (int len = 128; len >= 0; len--)
        {
            final Integer v = byLength[len].get(new Key(hi & IpPrefix.mask128Hi(len), lo & IpPrefix.mask128Lo(len)));
            if (v != null)
            {
                return v;
            }
        }
        return NO_ROUTE;
    }

    /** Length of the longest prefix matching the address, or -1. Writer thread only. */
    public int matchLength(final long hi, final long lo)
    {
        for (int len = 128; len >= 0; len--)
        {
            if (byLength[len].containsKey(new Key(hi & IpPrefix.mask128Hi(len), lo & IpPrefix.mask128Lo(len))))
            {
                return len;
            }
        }
        return -1;
    }

    /** Replaces the whole table with {@code count} routes from the arrays. Writer thread only. */
    public void bulkLoad(final long[] his, final long[] los, final int[] lengths, final int[] values, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            check(his[i], los[i], lengths[i]);
        }
        for (final Map<Key, Integer> m : byLength)
        {
            m.clear();
        }
        size = 0;
        for (int i = 0; i < count; i++)
        {
            put(his[i], los[i], lengths[i], values[i]);
        }
    }

    public int size()
    {
        return size;
    }

    /** Approximate bytes held by the lookup structures. */
    public long memoryBytes()
    {
        return 96L * size;
    }

    /** Visits every route in prefix order (by address, then shorter first). Writer thread only. */
    public void forEach(final RouteConsumer consumer)
    {
        final TreeMap<Key, Integer> sorted = new TreeMap<>((a, b) ->
        {
            final int c = Long.compareUnsigned(a.hi, b.hi);
            return c != 0 ? c : Long.compareUnsigned(a.lo, b.lo);
        });
        final Map<Key, Integer> lengths = new HashMap<>();
        for (int len = 128; len >= 0; len--)
        {
            for (final Map.Entry<Key, Integer> e : byLength[len].entrySet())
            {
                // Several lengths can share an address: order them shorter first through a list walk below.
                lengths.merge(e.getKey(), 1, Integer::sum);
                sorted.put(e.getKey(), 0);
            }
        }
        for (final Key k : sorted.keySet())
        {
            for (int len = 0; len <= 128; len++)
            {
                final Integer v = byLength[len].get(k);
                if (v != null)
                {
                    consumer.accept(k.hi, k.lo, len, v);
                }
            }
        }
    }

    static void check(final long hi, final long lo, final int length)
    {
        if (length < 0 || length > 128)
        {
            throw new IllegalArgumentException("IPv6 prefix length " + length + " out of range 0..128");
        }
        if ((hi & ~IpPrefix.mask128Hi(length)) != 0 || (lo & ~IpPrefix.mask128Lo(length)) != 0)
        {
            throw new IllegalArgumentException("host bits set in " + IpPrefix.format(true, hi, lo) + "/" + length);
        }
    }
}
