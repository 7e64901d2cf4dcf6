package org.vbgw.agent.journal;

import org.agrona.collections.Long2LongHashMap;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The routes a replay into an empty FIB collects: the last word on each prefix, loaded into the FIB at once
 * and in prefix order at the end.
 * <p>
 * IPv4 routes are kept as primitive {@code (address << 8 | length) → group} pairs in an open-addressing map,
 * so collecting a million of them creates no object per route. The FIB's bulk load sorts its input; handing
 * it the routes already sorted makes that sort a linear pass (it was a third of a replay's time, sorting a
 * hash map's order). IPv6 routes are far fewer and keep an ordinary map.
 * <p>
 * Single thread: the replaying one.
 */
final class BulkRouteLoad
{
    /** Refuses a route whose group the FIB does not have; called once per such route. */
    interface Refusal
    {
        void refuse(IpPrefix prefix, int groupId);
    }

    private static final long NONE = Long.MIN_VALUE;
    /** A user group id fits these bits; packed beside the 40-bit key it fills one long. */
    private static final int GROUP_MASK = Fib.MAX_GROUP_ID;
    private static final int GROUP_BITS = Integer.SIZE - Integer.numberOfLeadingZeros(GROUP_MASK);

    private final Long2LongHashMap ipv4 = new Long2LongHashMap(1 << 16, 0.65f, NONE);
    private final Map<IpPrefix, Integer> ipv6 = new HashMap<>();

    /** Sorts as the FIB orders IPv4 prefixes: by address (unsigned), then by length. */
    private static long ipv4Key(final long lo, final int length)
    {
        return (lo & 0xFFFF_FFFFL) << 8 | length;
    }

    /** Whether {@code (hi, lo, length)} is a well-formed IPv4 prefix (no host bits), as {@link IpPrefix} checks. */
    static boolean isIpv4Prefix(final long hi, final long lo, final int length)
    {
        return hi == 0 && length >= 0 && length <= 32 && (lo & ~(IpPrefix.mask32(length) & 0xFFFF_FFFFL)) == 0;
    }

    /** An IPv4 route; the caller has checked it with {@link #isIpv4Prefix}. */
    void putIpv4(final long lo, final int length, final int groupId)
    {
        ipv4.put(ipv4Key(lo, length), groupId);
    }

    void removeIpv4(final long lo, final int length)
    {
        ipv4.remove(ipv4Key(lo, length));
    }

    void put(final IpPrefix prefix, final int groupId)
    {
        if (prefix.ipv6())
        {
            ipv6.put(prefix, groupId);
        }
        else
        {
            putIpv4(prefix.lo(), prefix.length(), groupId);
        }
    }

    void remove(final IpPrefix prefix)
    {
        if (prefix.ipv6())
        {
            ipv6.remove(prefix);
        }
        else
        {
            removeIpv4(prefix.lo(), prefix.length());
        }
    }

    int size()
    {
        return ipv4.size() + ipv6.size();
    }

    /**
     * Loads the collected routes into {@code fib}, replacing its routes. A route whose group the FIB lacks is
     * refused alone, so one bad entry does not take the whole load with it.
     */
    void loadInto(final Fib fib, final Refusal refusal)
    {
        loadIpv4(fib, refusal);
        loadIpv6(fib, refusal);
    }

    private void loadIpv4(final Fib fib, final Refusal refusal)
    {
        final int n = ipv4.size();
        if (n == 0)
        {
            return;
        }
        // Each route packed as key (40 bits) and group (24 bits, the FIB's user ids) in one long, the sign bit
        // flipped so a signed sort orders addresses unsigned: one sequential pass over the map and one
        // primitive sort, where looking each sorted key up again missed the cache once per route.
        final long[] packed = new long[n];
        final int[] count = {0};
        ipv4.longForEach((key, value) ->
        {
            final int group = (int)value;
            if (group < 0 || group > GROUP_MASK)
            {
                refusal.refuse(IpPrefix.ipv4((int)(key >>> 8), (int)(key & 0xFF)), group);
                return;
            }
            packed[count[0]++] = (key << GROUP_BITS | group) ^ Long.MIN_VALUE;
        });
        Arrays.sort(packed, 0, count[0]);
        final int[] prefixes = new int[count[0]];
        final int[] lengths = new int[count[0]];
        final int[] groups = new int[count[0]];
        int loaded = 0;
        int knownGroup = Fib.NO_GROUP;
        for (int i = 0; i < count[0]; i++)
        {
            final long route = packed[i] ^ Long.MIN_VALUE;
            final int group = (int)(route & GROUP_MASK);
            final long key = route >>> GROUP_BITS;
            final int address = (int)(key >>> 8);
            final int length = (int)(key & 0xFF);
            if (group != knownGroup)
            {
                if (fib.group(group) == null)
                {
                    refusal.refuse(IpPrefix.ipv4(address, length), group);
                    continue;
                }
                knownGroup = group;
            }
            prefixes[loaded] = address;
            lengths[loaded] = length;
            groups[loaded++] = group;
        }
        fib.loadIpv4Routes(prefixes, lengths, groups, loaded);
    }

    private void loadIpv6(final Fib fib, final Refusal refusal)
    {
        final int n = ipv6.size();
        if (n == 0)
        {
            return;
        }
        final IpPrefix[] sorted = ipv6.keySet().toArray(new IpPrefix[0]);
        Arrays.sort(sorted, (a, b) ->
        {
            int c = Long.compareUnsigned(a.hi(), b.hi());
            if (c == 0)
            {
                c = Long.compareUnsigned(a.lo(), b.lo());
            }
            return c != 0 ? c : Integer.compare(a.length(), b.length());
        });
        final long[] his = new long[n];
        final long[] los = new long[n];
        final int[] lengths = new int[n];
        final int[] groups = new int[n];
        int count = 0;
        for (final IpPrefix p : sorted)
        {
            final int group = ipv6.get(p);
            if (fib.group(group) == null)
            {
                refusal.refuse(p, group);
                continue;
            }
            his[count] = p.hi();
            los[count] = p.lo();
            lengths[count] = p.length();
            groups[count++] = group;
        }
        fib.loadIpv6Routes(his, los, lengths, groups, count);
    }
}
