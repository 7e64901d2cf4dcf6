package org.vbgw.agent.journal;

import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The routes a replay into an empty FIB collects: the last word on each prefix, loaded into the FIB at once
 * and in prefix order at the end.
 * <p>
 * IPv4 routes are appended to a log in journal order, each as one {@code long} (the prefix packed above its
 * position in the log) beside its group: no hashing and no object per route. At the end one primitive sort
 * puts every prefix's entries together in journal order, the last of each run is its last word, and the
 * survivors come out in the FIB's prefix order, so the FIB's own sort is a linear pass. (A hash map per route
 * was a fifth of a replay, and its contents needed the same sort afterwards.) A log that fills its 2^24
 * positions is compacted to its last words first. IPv6 routes are far fewer and keep an ordinary map.
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

    /** The largest group id a route may name (the FIB's user ids). */
    private static final int GROUP_MASK = Fib.MAX_GROUP_ID;

    /** Log positions fit these bits, below the 40-bit prefix key. */
    private static final int POSITION_BITS = 24;
    private static final int MAX_ENTRIES = 1 << POSITION_BITS;
    private static final int POSITION_MASK = MAX_ENTRIES - 1;

    /** (key << 24 | position) ^ sign bit, so that a signed sort orders keys unsigned. */
    private long[] log = new long[1 << 12];
    private int[] logGroups = new int[1 << 12];
    private boolean[] logRemovals = new boolean[1 << 12];
    private int logSize;
    private final int compactAt;
    private final Map<IpPrefix, Integer> ipv6 = new HashMap<>();

    BulkRouteLoad()
    {
        this(MAX_ENTRIES);
    }

    /** Compacts whenever the log holds {@code compactAt} entries (at most 2^24; tests use small ones). */
    BulkRouteLoad(final int compactAt)
    {
        if (compactAt < 1 || compactAt > MAX_ENTRIES)
        {
            throw new IllegalArgumentException("compactAt " + compactAt + " out of range 1.." + MAX_ENTRIES);
        }
        this.compactAt = compactAt;
    }

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
        append(ipv4Key(lo, length), groupId, false);
    }

    void removeIpv4(final long lo, final int length)
    {
        append(ipv4Key(lo, length), 0, true);
    }

    private void append(final long key, final int groupId, final boolean removal)
    {
        if (logSize >= compactAt)
        {
            compact();
        }
        if (logSize == log.length)
        {
            final int capacity = Math.min(MAX_ENTRIES, log.length * 2);
            log = Arrays.copyOf(log, capacity);
            logGroups = Arrays.copyOf(logGroups, capacity);
            logRemovals = Arrays.copyOf(logRemovals, capacity);
        }
        final int position = logSize++;
        log[position] = (key << POSITION_BITS | position) ^ Long.MIN_VALUE;
        logGroups[position] = groupId;
        logRemovals[position] = removal;
    }

    /**
     * Sorts the log and keeps each prefix's last word (dropping removed prefixes), renumbered from 0 in prefix
     * order; returns how many remain.
     */
    private int compact()
    {
        Arrays.sort(log, 0, logSize);
        final int[] groups = new int[logSize];
        int kept = 0;
        for (int i = 0; i < logSize; i++)
        {
            final long entry = log[i] ^ Long.MIN_VALUE;
            final long key = entry >>> POSITION_BITS;
            // Positions rise with journal order, so the last entry of a key's run is its last word.
            if (i + 1 < logSize && ((log[i + 1] ^ Long.MIN_VALUE) >>> POSITION_BITS) == key)
            {
                continue;
            }
            final int position = (int)(entry & POSITION_MASK);
            if (logRemovals[position])
            {
                continue;
            }
            groups[kept] = logGroups[position];
            log[kept] = (key << POSITION_BITS | kept) ^ Long.MIN_VALUE;
            kept++;
        }
        System.arraycopy(groups, 0, logGroups, 0, kept);
        Arrays.fill(logRemovals, 0, logSize, false);
        logSize = kept;
        return kept;
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

    /** Entries collected (an IPv4 prefix written twice counts twice until the load); 0 when none. */
    int size()
    {
        return logSize + ipv6.size();
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
        if (logSize == 0)
        {
            return;
        }
        // After the compaction the log holds each prefix's last word once, in the FIB's prefix order.
        final int n = compact();
        final int[] prefixes = new int[n];
        final int[] lengths = new int[n];
        final int[] groups = new int[n];
        int loaded = 0;
        int knownGroup = Fib.NO_GROUP;
        for (int i = 0; i < n; i++)
        {
            final long key = (log[i] ^ Long.MIN_VALUE) >>> POSITION_BITS;
            final int address = (int)(key >>> 8);
            final int length = (int)(key & 0xFF);
            final int group = logGroups[i];
            if (group != knownGroup)
            {
                if (group < 0 || group > GROUP_MASK || fib.group(group) == null)
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
