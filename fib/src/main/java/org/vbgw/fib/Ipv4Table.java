package org.vbgw.fib;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * IPv4 longest-prefix match: prefix (/0–/32) → int value (a next-hop group id, ≥ 0).
 * <p>
 * One writer thread calls the mutators; any number of reader threads call {@link #lookup(int)}.
 * Placeholder implementation with the final API: correct for a single thread only, to be replaced
 * by the wait-free multibit trie.
 */
public final class Ipv4Table
{
    /** Returned by lookups that match no prefix. */
    public static final int NO_ROUTE = -1;

    /** Receives routes in prefix order from {@link #forEach(RouteConsumer)}. */
    @FunctionalInterface
    public interface RouteConsumer
    {
        void accept(int prefix, int length, int value);
    }

    @SuppressWarnings("unchecked")
    private final Map<Integer, Integer>[] byLength = new Map[33];
    private int size;

    public Ipv4Table()
    {
        for (int i = 0; i <= 32; i++)
        {
            byLength[i] = new HashMap<>();
        }
    }

    /** Adds or replaces the route for {@code prefix/length}. Writer thread only. */
    public void put(final int prefix, final int length, final int value)
    {
        check(prefix, length);
        if (value < 0)
        {
            throw new IllegalArgumentException("route value must be >= 0: " + value);
        }
        if (byLength[length].put(prefix, value) == null)
        {
            size++;
        }
    }

    /** Removes the route for {@code prefix/length}; false when there was none. Writer thread only. */
    public boolean remove(final int prefix, final int length)
    {
        check(prefix, length);
        if (byLength[length].remove(prefix) != null)
        {
            size--;
            return true;
        }
        return false;
    }

    /** Exact match: the value stored for {@code prefix/length}, or {@link #NO_ROUTE}. */
    public int get(final int prefix, final int length)
    {
        check(prefix, length);
        final Integer v = byLength[length].get(prefix);
        return v == null ? NO_ROUTE : v;
    }

    /** Longest-prefix match for {@code address}: its value or {@link #NO_ROUTE}. Any thread. */
    public int lookup(final int address)
    {
        for (int len = 32; len >= 0; len--)
        {
            final Integer v = byLength[len].get(address & IpPrefix.mask32(len));
            if (v != null)
            {
                return v;
            }
        }
        return NO_ROUTE;
    }

    /** Length of the longest prefix matching {@code address}, or -1. Writer thread only. */
    public int matchLength(final int address)
    {
        for (int len = 32; len >= 0; len--)
        {
            if (byLength[len].containsKey(address & IpPrefix.mask32(len)))
            {
                return len;
            }
        }
        return -1;
    }

    /** Replaces the whole table with {@code count} routes from the arrays. Writer thread only. */
    public void bulkLoad(final int[] prefixes, final int[] lengths, final int[] values, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            check(prefixes[i], lengths[i]);
        }
        for (final Map<Integer, Integer> m : byLength)
        {
            m.clear();
        }
        size = 0;
        for (int i = 0; i < count; i++)
        {
            put(prefixes[i], lengths[i], values[i]);
        }
    }

    public int size()
    {
        return size;
    }

    /** Approximate bytes held by the lookup structures. */
    public long memoryBytes()
    {
        return 64L * size;
    }

    /** Visits every route in prefix order (by address, then shorter first). Writer thread only. */
    public void forEach(final RouteConsumer consumer)
    {
        final TreeMap<Long, Integer> sorted = new TreeMap<>();
        for (int len = 0; len <= 32; len++)
        {
            for (final Map.Entry<Integer, Integer> e : byLength[len].entrySet())
            {
                sorted.put(((e.getKey() & 0xFFFF_FFFFL) << 6) | len, e.getValue());
            }
        }
        sorted.forEach((k, v) -> consumer.accept((int)(k >>> 6), (int)(k & 63), v));
    }

    static void check(final int prefix, final int length)
    {
        if (length < 0 || length > 32)
        {
            throw new IllegalArgumentException("IPv4 prefix length " + length + " out of range 0..32");
        }
        if ((prefix & ~IpPrefix.mask32(length)) != 0)
        {
            throw new IllegalArgumentException("host bits set in " + IpPrefix.formatIpv4(prefix) + "/" + length);
        }
    }
}
