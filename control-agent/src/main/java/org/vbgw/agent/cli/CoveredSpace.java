package org.vbgw.agent.cli;

import org.vbgw.fib.IpPrefix;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws addresses uniformly from the address space a set of routes covers: every covered address is
 * equally likely, so a /16 is drawn 256 times as often as a /24 and an address inside nested
 * prefixes is drawn once, not once per prefix. That is traffic spread evenly over the routed space,
 * the load a lookup benchmark is quoted against.
 * <p>
 * Only the outermost prefixes matter: they are disjoint and their union is the covered space, so a
 * draw picks one weighted by its size and then random host bits. IPv6 weights are doubles: a /64
 * beside a /20 has a weight 2<sup>-44</sup> of it and is, correctly, almost never drawn.
 * Deterministic for a seed. Setup-time only: sorts and allocates.
 */
public final class CoveredSpace
{
    private CoveredSpace()
    {
    }

    /**
     * {@code count} IPv4 addresses uniform over the space covered by {@code routes}' IPv4 routes.
     *
     * @throws IllegalArgumentException when there are no IPv4 routes.
     */
    public static int[] ipv4Addresses(final RouteList routes, final int count, final long seed)
    {
        final int n = routes.ipv4Count();
        if (n == 0)
        {
            throw new IllegalArgumentException("no IPv4 routes to draw addresses from");
        }
        // Sorting (start, length) puts each outermost prefix before everything nested in it.
        final long[] keys = new long[n];
        for (int i = 0; i < n; i++)
        {
            keys[i] = ((routes.ipv4Prefixes()[i] & 0xFFFF_FFFFL) << 6) | routes.ipv4Lengths()[i];
        }
        Arrays.sort(keys);

        final long[] starts = new long[n];
        final long[] cumulative = new long[n + 1];
        int blocks = 0;
        long coverEnd = -1;
        for (final long key : keys)
        {
            final long start = key >>> 6;
            if (start <= coverEnd)
            {
                continue;
            }
            final long size = 1L << (32 - (int)(key & 63));
            starts[blocks] = start;
            cumulative[blocks + 1] = cumulative[blocks] + size;
            blocks++;
            coverEnd = start + size - 1;
        }

        final SplittableRandom random = new SplittableRandom(seed);
        final long total = cumulative[blocks];
        final int[] addresses = new int[count];
        for (int i = 0; i < count; i++)
        {
            final long r = random.nextLong(total);
            final int block = floorIndex(cumulative, blocks, r);
            addresses[i] = (int)(starts[block] + (r - cumulative[block]));
        }
        return addresses;
    }

    /**
     * Fills {@code his} and {@code los} (same length) with IPv6 addresses uniform over the space
     * covered by {@code routes}' IPv6 routes.
     *
     * @throws IllegalArgumentException when there are no IPv6 routes.
     */
    public static void ipv6Addresses(final RouteList routes, final long seed, final long[] his, final long[] los)
    {
        final int n = routes.ipv6Count();
        if (n == 0)
        {
            throw new IllegalArgumentException("no IPv6 routes to draw addresses from");
        }
        final long[] rh = routes.ipv6His();
        final long[] rl = routes.ipv6Los();
        final int[] len = routes.ipv6Lengths();
        final Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) ->
        {
            int c = Long.compareUnsigned(rh[a], rh[b]);
            if (c == 0)
            {
                c = Long.compareUnsigned(rl[a], rl[b]);
            }
            return c != 0 ? c : Integer.compare(len[a], len[b]);
        });

        final int[] outer = new int[n];
        final double[] cumulative = new double[n + 1];
        int blocks = 0;
        boolean covered = false;
        long endHi = 0;
        long endLo = 0;
        for (final int i : order)
        {
            final int hiCmp = Long.compareUnsigned(rh[i], endHi);
            if (covered && (hiCmp < 0 || (hiCmp == 0 && Long.compareUnsigned(rl[i], endLo) <= 0)))
            {
                continue;
            }
            outer[blocks] = i;
            cumulative[blocks + 1] = cumulative[blocks] + Math.scalb(1.0, 128 - len[i]);
            blocks++;
            covered = true;
            endHi = rh[i] | ~IpPrefix.mask128Hi(len[i]);
            endLo = rl[i] | ~IpPrefix.mask128Lo(len[i]);
        }

        final SplittableRandom random = new SplittableRandom(seed);
        final double total = cumulative[blocks];
        for (int k = 0; k < his.length; k++)
        {
            final int block = floorIndex(cumulative, blocks, random.nextDouble() * total);
            final int i = outer[block];
            his[k] = rh[i] | (random.nextLong() & ~IpPrefix.mask128Hi(len[i]));
            los[k] = rl[i] | (random.nextLong() & ~IpPrefix.mask128Lo(len[i]));
        }
    }

    /** The block whose cumulative range holds {@code r}: largest i &lt; blocks with cumulative[i] &lt;= r. */
    private static int floorIndex(final long[] cumulative, final int blocks, final long r)
    {
        final int found = Arrays.binarySearch(cumulative, 0, blocks + 1, r);
        return Math.min(found >= 0 ? found : -found - 2, blocks - 1);
    }

    private static int floorIndex(final double[] cumulative, final int blocks, final double r)
    {
        final int found = Arrays.binarySearch(cumulative, 0, blocks + 1, r);
        return Math.max(0, Math.min(found >= 0 ? found : -found - 2, blocks - 1));
    }
}
