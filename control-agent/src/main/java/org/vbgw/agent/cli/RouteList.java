package org.vbgw.agent.cli;

import org.vbgw.fib.IpPrefix;
import org.vbgw.fib.Ipv4Table;
import org.vbgw.fib.Ipv6Table;

import java.util.Arrays;

/**
 * Routes held as parallel primitive arrays, IPv4 and IPv6 apart, in the order they were added: the
 * shape {@link Ipv4Table#bulkLoad} and {@link Ipv6Table#bulkLoad} take, and the one benchmarks build
 * their baseline structures from, without an object per route.
 * <p>
 * Only the first {@link #ipv4Count()} (or {@link #ipv6Count()}) entries of each array are routes; the
 * arrays grow by doubling. Single-threaded, control-plane only.
 */
public final class RouteList
{
    private static final int INITIAL_CAPACITY = 1024;

    private int ipv4Count;
    private int[] ipv4Prefixes = new int[INITIAL_CAPACITY];
    private int[] ipv4Lengths = new int[INITIAL_CAPACITY];
    private int[] ipv4Values = new int[INITIAL_CAPACITY];

    private int ipv6Count;
    private long[] ipv6His = new long[INITIAL_CAPACITY];
    private long[] ipv6Los = new long[INITIAL_CAPACITY];
    private int[] ipv6Lengths = new int[INITIAL_CAPACITY];
    private int[] ipv6Values = new int[INITIAL_CAPACITY];

    /** Appends a route of either family; the prefix was validated when it was made. */
    public void add(final IpPrefix prefix, final int value)
    {
        if (prefix.ipv6())
        {
            addIpv6(prefix.hi(), prefix.lo(), prefix.length(), value);
        }
        else
        {
            addIpv4(prefix.ipv4Address(), prefix.length(), value);
        }
    }

    /** Appends an IPv4 route; host bits must be clear (the tables check when loaded). */
    public void addIpv4(final int prefix, final int length, final int value)
    {
        if (ipv4Count == ipv4Prefixes.length)
        {
            final int capacity = ipv4Count * 2;
            ipv4Prefixes = Arrays.copyOf(ipv4Prefixes, capacity);
            ipv4Lengths = Arrays.copyOf(ipv4Lengths, capacity);
            ipv4Values = Arrays.copyOf(ipv4Values, capacity);
        }
        ipv4Prefixes[ipv4Count] = prefix;
        ipv4Lengths[ipv4Count] = length;
        ipv4Values[ipv4Count] = value;
        ipv4Count++;
    }

    /** Appends an IPv6 route; host bits must be clear (the tables check when loaded). */
    public void addIpv6(final long hi, final long lo, final int length, final int value)
    {
        if (ipv6Count == ipv6His.length)
        {
            final int capacity = ipv6Count * 2;
            ipv6His = Arrays.copyOf(ipv6His, capacity);
            ipv6Los = Arrays.copyOf(ipv6Los, capacity);
            ipv6Lengths = Arrays.copyOf(ipv6Lengths, capacity);
            ipv6Values = Arrays.copyOf(ipv6Values, capacity);
        }
        ipv6His[ipv6Count] = hi;
        ipv6Los[ipv6Count] = lo;
        ipv6Lengths[ipv6Count] = length;
        ipv6Values[ipv6Count] = value;
        ipv6Count++;
    }

    /** Replaces {@code table}'s routes with this list's IPv4 routes in one bulk load. */
    public void loadInto(final Ipv4Table table)
    {
        table.bulkLoad(ipv4Prefixes, ipv4Lengths, ipv4Values, ipv4Count);
    }

    /** Replaces {@code table}'s routes with this list's IPv6 routes in one bulk load. */
    public void loadInto(final Ipv6Table table)
    {
        table.bulkLoad(ipv6His, ipv6Los, ipv6Lengths, ipv6Values, ipv6Count);
    }

    public int ipv4Count()
    {
        return ipv4Count;
    }

    public int[] ipv4Prefixes()
    {
        return ipv4Prefixes;
    }

    public int[] ipv4Lengths()
    {
        return ipv4Lengths;
    }

    public int[] ipv4Values()
    {
        return ipv4Values;
    }

    public int ipv6Count()
    {
        return ipv6Count;
    }

    public long[] ipv6His()
    {
        return ipv6His;
    }

    public long[] ipv6Los()
    {
        return ipv6Los;
    }

    public int[] ipv6Lengths()
    {
        return ipv6Lengths;
    }

    public int[] ipv6Values()
    {
        return ipv6Values;
    }
}
