package org.vbgw.perf.dataplane;

import org.agrona.collections.LongHashSet;
import org.vbgw.fib.IpPrefix;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An Internet-size route set for benchmarks: parallel arrays of prefix, length and next-hop id, read from a
 * route file ({@code PREFIX NEXTHOP_ID} per line, {@code #} comments, as written by
 * {@code perf/scripts/fetch-prefixes.sh}) or, when the file is absent, synthesised deterministically with the
 * prefix-length mix of the RouteViews-derived table (so a run without network access still measures an
 * Internet-size table, and says so in {@link #source()}).
 * <p>
 * Setup-time only: allocates freely, not thread-safe.
 */
final class InternetRoutes
{
    /** Synthetic IPv4 table size: the RouteViews-derived set has 564,579 prefixes. */
    static final int SYNTHETIC_IPV4_COUNT = 600_000;
    /** Synthetic IPv6 table size: the RouteViews-derived set has 167,903 prefixes. */
    static final int SYNTHETIC_IPV6_COUNT = 170_000;

    /**
     * Per mille of each IPv4 prefix length /8../32 in the RouteViews-derived table of 2026-11-22
     * (/24 39 %, /22–/23 37 %, /20–/21 14 %, the rest spread); synthetic tables follow it.
     */
    private static final int[] IPV4_LENGTH_PER_MILLE = {
        // /8 .. /15
        0, 0, 0, 1, 1, 1, 2, 4,
        // /16 .. /23
        17, 12, 21, 39, 59, 82, 184, 184,
        // /24 .. /32
        387, 2, 3, 3, 0, 0, 0, 0, 0,
    };

    final boolean ipv6;
    final long[] his;
    final long[] los;
    final int[] lengths;
    final int[] nextHopIds;
    final int count;
    private final String source;

    private InternetRoutes(final boolean ipv6, final long[] his, final long[] los, final int[] lengths,
        final int[] nextHopIds, final int count, final String source)
    {
        this.ipv6 = ipv6;
        this.his = his;
        this.los = los;
        this.lengths = lengths;
        this.nextHopIds = nextHopIds;
        this.count = count;
        this.source = source;
    }

    /** Where the routes came from: the file and its size, or the synthetic generator. */
    String source()
    {
        return source;
    }

    /** The IPv4 prefix of route {@code i} as an int (the low 32 bits of {@link #los}). */
    int ipv4Prefix(final int i)
    {
        return (int)los[i];
    }

    /**
     * Reads the route file if it exists, else synthesises {@code syntheticCount} routes.
     *
     * @param nextHopIds how many distinct next-hop ids synthetic routes use (files carry their own).
     */
    static InternetRoutes load(final Path file, final boolean ipv6, final int syntheticCount, final int nextHopIds)
    {
        if (Files.isRegularFile(file))
        {
            return read(file, ipv6);
        }
        final InternetRoutes synthetic = ipv6 ? syntheticIpv6(syntheticCount, nextHopIds)
            : syntheticIpv4(syntheticCount, nextHopIds);
        return new InternetRoutes(ipv6, synthetic.his, synthetic.los, synthetic.lengths, synthetic.nextHopIds,
            synthetic.count, synthetic.source + "; no route file " + file + " (perf/scripts/fetch-prefixes.sh writes it)");
    }

    /**
     * A table small enough to stay in the first-level caches, for comparison with the Internet-size one:
     * every unicast IPv4 /8 (1–223 except 10 and 127), or the 256 IPv6 /16s 2000::/16–20ff::/16.
     */
    static InternetRoutes small(final boolean ipv6, final int nextHopIds)
    {
        final long[] his = new long[256];
        final long[] los = new long[256];
        final int[] lengths = new int[256];
        final int[] nextHops = new int[256];
        int n = 0;
        for (int i = 0; i < 256; i++)
        {
            if (ipv6)
            {
                his[n] = (0x2000L + i) << 48;
                lengths[n] = 16;
            }
            else
            {
                if (i == 0 || i == 10 || i == 127 || i >= 224)
                {
                    continue;
                }
                los[n] = (long)i << 24;
                lengths[n] = 8;
            }
            nextHops[n] = i % nextHopIds;
            n++;
        }
        return new InternetRoutes(ipv6, his, los, lengths, nextHops, n, "small (" + n + " prefixes, every " +
            (ipv6 ? "/16 in 2000::/8" : "unicast /8") + ")");
    }

    private static InternetRoutes read(final Path file, final boolean ipv6)
    {
        int capacity = 1 << 16;
        long[] his = new long[capacity];
        long[] los = new long[capacity];
        int[] lengths = new int[capacity];
        int[] nextHops = new int[capacity];
        int n = 0;
        int lineNumber = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                lineNumber++;
                final String text = line.strip();
                if (text.isEmpty() || text.charAt(0) == '#')
                {
                    continue;
                }
                final int space = text.indexOf(' ');
                if (space < 0)
                {
                    throw new IllegalArgumentException(file + ":" + lineNumber + ": expected 'PREFIX NEXTHOP_ID', got '" +
                        text + "'");
                }
                final IpPrefix prefix = IpPrefix.parse(text.substring(0, space));
                if (prefix.ipv6() != ipv6)
                {
                    throw new IllegalArgumentException(file + ":" + lineNumber + ": " + prefix + " is not an IPv" +
                        (ipv6 ? "6" : "4") + " prefix");
                }
                if (n == capacity)
                {
                    capacity *= 2;
                    his = Arrays.copyOf(his, capacity);
                    los = Arrays.copyOf(los, capacity);
                    lengths = Arrays.copyOf(lengths, capacity);
                    nextHops = Arrays.copyOf(nextHops, capacity);
                }
                his[n] = prefix.hi();
                los[n] = prefix.lo();
                lengths[n] = prefix.length();
                nextHops[n] = Integer.parseInt(text.substring(space + 1).strip());
                n++;
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read route file " + file, ex);
        }
        return new InternetRoutes(ipv6, his, los, lengths, nextHops, n, "file " + file + " (" + n + " prefixes)");
    }

    private static InternetRoutes syntheticIpv4(final int count, final int nextHopIds)
    {
        final SplittableRandom random = new SplittableRandom(0x5EED_0004L);
        final int[] cumulative = new int[IPV4_LENGTH_PER_MILLE.length];
        int total = 0;
        for (int i = 0; i < cumulative.length; i++)
        {
            total += IPV4_LENGTH_PER_MILLE[i];
            cumulative[i] = total;
        }
        final long[] his = new long[count];
        final long[] los = new long[count];
        final int[] lengths = new int[count];
        final int[] nextHops = new int[count];
        final LongHashSet seen = new LongHashSet(count * 2);
        int n = 0;
        while (n < count)
        {
            final int pick = random.nextInt(total);
            int length = 8;
            while (cumulative[length - 8] <= pick)
            {
                length++;
            }
            // Unicast space 1.0.0.0–223.255.255.255, without the private ranges the fixture uses for its VIFs.
            final int address = (int)random.nextLong(0x0100_0000L, 0xE000_0000L);
            final int first = address >>> 24;
            if (first == 10 || first == 127 || (address >>> 20) == 0xAC1 || (address >>> 16) == 0xC0A8)
            {
                continue;
            }
            final int prefix = address & IpPrefix.mask32(length);
            if (!seen.add(((prefix & 0xFFFF_FFFFL) << 6) | length))
            {
                continue;
            }
            los[n] = prefix & 0xFFFF_FFFFL;
            lengths[n] = length;
            nextHops[n] = random.nextInt(nextHopIds);
            n++;
        }
        return new InternetRoutes(false, his, los, lengths, nextHops, n,
            "synthetic (" + n + " prefixes, RouteViews length mix)");
    }

    private static InternetRoutes syntheticIpv6(final int count, final int nextHopIds)
    {
        final SplittableRandom random = new SplittableRandom(0x5EED_0006L);
        final long[] his = new long[count];
        final long[] los = new long[count];
        final int[] lengths = new int[count];
        final int[] nextHops = new int[count];
        final LongHashSet seen = new LongHashSet(count * 2);
        int n = 0;
        while (n < count)
        {
            // Mostly /48 and /32–/44, as in the global IPv6 table, all inside 2000::/4 (but not 2001:db8::/32).
            final int r = random.nextInt(100);
            final int length = r < 50 ? 48 : r < 70 ? 32 : r < 85 ? 44 : r < 95 ? 40 : 36;
            final long hi = (0x2000_0000_0000_0000L | (random.nextLong() >>> 4)) & IpPrefix.mask128Hi(length);
            if ((hi >>> 32) == 0x2001_0db8L || !seen.add(hi | length))
            {
                continue;
            }
            his[n] = hi;
            lengths[n] = length;
            nextHops[n] = random.nextInt(nextHopIds);
            n++;
        }
        return new InternetRoutes(true, his, los, lengths, nextHops, n,
            "synthetic (" + n + " prefixes, /32–/48 mix)");
    }
}
