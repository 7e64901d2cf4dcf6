package org.vbgw.perf.fib;

import org.vbgw.agent.cli.RouteList;

import java.util.Arrays;

/**
 * The reference point for IPv4 lookup speed: a plain DIR-24-8 (Gupta, Lin and McKeown, 1998) on
 * {@code int[]}, the layout of DPDK's rte_lpm. One load for any prefix up to /24, a second for
 * longer ones. On these machines it runs within a few percent of the same code in C (DESIGN.md).
 * <p>
 * {@code tbl24} is indexed by the top 24 bits: 0 means no route, a positive entry is the value + 1,
 * a negative entry (bit 31 set) names a 256-entry group in {@code tbl8} for the last 8 bits, whose
 * entries are encoded the same way as direct ones. Built once from a route list; no updates (an
 * updatable DIR-24-8 must remember the length behind every entry, which this baseline does not need).
 * The lookup allocates nothing.
 */
public final class Dir24x8Table
{
    private static final int EXTENDED = 0x8000_0000;

    private final int[] tbl24 = new int[1 << 24];
    private int[] tbl8 = new int[256 * 1024];
    private int groups;

    /** Builds the table; routes apply shorter first, so a longer prefix overrides what it nests in. */
    public static Dir24x8Table build(final RouteList routes)
    {
        final int n = routes.ipv4Count();
        final int[] prefixes = routes.ipv4Prefixes();
        final int[] lengths = routes.ipv4Lengths();
        final int[] values = routes.ipv4Values();

        // Counting sort by length: stable, so of two equal prefixes the later one wins, as in put().
        final int[] start = new int[34];
        for (int i = 0; i < n; i++)
        {
            start[lengths[i] + 1]++;
        }
        for (int len = 1; len <= 33; len++)
        {
            start[len] += start[len - 1];
        }
        final int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[start[lengths[i]]++] = i;
        }

        final Dir24x8Table table = new Dir24x8Table();
        for (final int i : order)
        {
            table.apply(prefixes[i], lengths[i], values[i] + 1);
        }
        return table;
    }

    /** The value of the longest prefix matching {@code address}, or -1. */
    public int lookup(final int address)
    {
        int entry = tbl24[address >>> 8];
        if (entry < 0)
        {
            entry = tbl8[((entry & ~EXTENDED) << 8) | (address & 0xFF)];
        }
        return entry - 1;
    }

    public long memoryBytes()
    {
        return 4L * tbl24.length + 4L * groups * 256;
    }

    private void apply(final int prefix, final int length, final int entry)
    {
        final int index = prefix >>> 8;
        if (length <= 24)
        {
            // Shorter first: no tbl8 group exists yet while /0–/24 are applied.
            Arrays.fill(tbl24, index, index + (1 << (24 - length)), entry);
            return;
        }
        int group = tbl24[index];
        if (group >= 0)
        {
            if ((groups + 1) * 256 > tbl8.length)
            {
                tbl8 = Arrays.copyOf(tbl8, tbl8.length * 2);
            }
            Arrays.fill(tbl8, groups * 256, groups * 256 + 256, group);
            tbl24[index] = EXTENDED | groups;
            group = EXTENDED | groups;
            groups++;
        }
        final int base = ((group & ~EXTENDED) << 8) | (prefix & 0xFF);
        Arrays.fill(tbl8, base, base + (1 << (32 - length)), entry);
    }
}
