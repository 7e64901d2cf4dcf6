package org.vbgw.perf.fib;

import org.vbgw.fib.IpPrefix;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Turns the address-range files of the {@code @ip-location-db/asn} package (RouteViews-derived,
 * {@code start,end,asn,name} per line with decimal addresses: {@code asn-ipv4-num.csv},
 * {@code asn-ipv6-num.csv}) into vbgw route files ({@code PREFIX NEXTHOP_ID} per line).
 * <p>
 * Each range becomes the minimal set of CIDR prefixes that covers it exactly, and each prefix gets
 * next hop {@code asn % 64}: deterministic, and spread over as many next hops as a border gateway's
 * groups. The package flattened the BGP table into ranges that are almost all disjoint, so the route
 * file has next to no nested prefixes ({@link SyntheticRouteTable} is the one with nesting). A few
 * ranges overlap (2026-06 package: 214.96.0.0–215.0.255.255 and 215.0.0.0–215.1.3.255 both yield
 * 215.0.0.0/16); a prefix already written keeps its first next hop and is not written again.
 * <p>
 * Usage: {@code PrefixSetConverter CSV_DIR OUT_DIR}; writes {@code ipv4-internet.routes} and
 * {@code ipv6-internet.routes} through a temporary file, so a half-written file never looks done.
 */
public final class PrefixSetConverter
{
    /** Next hop ids are {@code asn % NEXT_HOPS}. */
    static final int NEXT_HOPS = 64;

    private PrefixSetConverter()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length != 2)
        {
            System.err.println("usage: PrefixSetConverter CSV_DIR OUT_DIR");
            System.exit(2);
        }
        final Path csvDir = Path.of(args[0]);
        final Path outDir = Path.of(args[1]);
        Files.createDirectories(outDir);
        final long v4 = convert(csvDir.resolve("asn-ipv4-num.csv"), outDir.resolve("ipv4-internet.routes"), false);
        final long v6 = convert(csvDir.resolve("asn-ipv6-num.csv"), outDir.resolve("ipv6-internet.routes"), true);
        System.out.println("ipv4-internet.routes: " + v4 + " prefixes");
        System.out.println("ipv6-internet.routes: " + v6 + " prefixes");
    }

    /** Converts one CSV; returns the number of prefixes written. */
    static long convert(final Path csv, final Path routes, final boolean ipv6) throws IOException
    {
        if (!Files.isRegularFile(csv))
        {
            throw new IOException("missing " + csv + ": is this an unpacked @ip-location-db/asn package?");
        }
        final Path partial = routes.resolveSibling(routes.getFileName() + ".partial");
        final Set<String> written = new HashSet<>();
        long prefixes = 0;
        int lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8))
        {
            out.write("# " + (ipv6 ? "IPv6" : "IPv4") + " prefixes from " + csv.getFileName() +
                " (@ip-location-db/asn), next hop = asn % " + NEXT_HOPS + "\n");
            String line;
            while ((line = in.readLine()) != null)
            {
                lineNo++;
                final String[] fields = line.split(",", 4);
                if (fields.length < 3)
                {
                    throw new IOException(csv + ":" + lineNo + ": expected 'start,end,asn,...', got '" + line + "'");
                }
                try
                {
                    final int nextHop = (int)(Long.parseLong(fields[2].trim()) % NEXT_HOPS);
                    final BigInteger start = new BigInteger(fields[0].trim());
                    final BigInteger end = new BigInteger(fields[1].trim());
                    final StringBuilder lines = new StringBuilder();
                    if (ipv6)
                    {
                        writeIpv6Range(lines, start, end, nextHop);
                    }
                    else
                    {
                        writeIpv4Range(lines, start.longValueExact(), end.longValueExact(), nextHop);
                    }
                    prefixes += writeNew(out, lines, written);
                }
                catch (final NumberFormatException | ArithmeticException ex)
                {
                    throw new IOException(csv + ":" + lineNo + ": not a decimal range: '" + line + "'", ex);
                }
            }
        }
        Files.move(partial, routes, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return prefixes;
    }

    /** Writes the route lines whose prefix is not in {@code written} yet; returns how many. */
    private static int writeNew(final Writer out, final CharSequence lines, final Set<String> written)
        throws IOException
    {
        int count = 0;
        int from = 0;
        while (from < lines.length())
        {
            final int space = indexOf(lines, ' ', from);
            final int newline = indexOf(lines, '\n', space);
            if (written.add(lines.subSequence(from, space).toString()))
            {
                out.append(lines, from, newline + 1);
                count++;
            }
            from = newline + 1;
        }
        return count;
    }

    private static int indexOf(final CharSequence s, final char c, final int from)
    {
        int i = from;
        while (s.charAt(i) != c)
        {
            i++;
        }
        return i;
    }

    /** Writes the minimal CIDR cover of [start, end] (inclusive); returns the number of prefixes. */
    static int writeIpv4Range(final Appendable out, final long start, final long end, final int nextHop)
        throws IOException
    {
        if (start < 0 || end > 0xFFFF_FFFFL || start > end)
        {
            throw new ArithmeticException("bad IPv4 range " + start + ".." + end);
        }
        int count = 0;
        long cursor = start;
        while (cursor <= end)
        {
            // The largest block that starts at cursor (alignment) and does not pass end (remaining).
            final int alignBits = cursor == 0 ? 32 : Long.numberOfTrailingZeros(cursor);
            final int remainingBits = 63 - Long.numberOfLeadingZeros(end - cursor + 1);
            final int hostBits = Math.min(alignBits, remainingBits);
            out.append(IpPrefix.format(false, 0, cursor)).append('/')
                .append(Integer.toString(32 - hostBits)).append(' ').append(Integer.toString(nextHop)).append('\n');
            count++;
            cursor += 1L << hostBits;
        }
        return count;
    }

    /** Writes the minimal CIDR cover of [start, end] (inclusive); returns the number of prefixes. */
    static int writeIpv6Range(final Appendable out, final BigInteger start, final BigInteger end, final int nextHop)
        throws IOException
    {
        if (start.signum() < 0 || end.bitLength() > 128 || start.compareTo(end) > 0)
        {
            throw new ArithmeticException("bad IPv6 range " + start + ".." + end);
        }
        int count = 0;
        BigInteger cursor = start;
        while (cursor.compareTo(end) <= 0)
        {
            final int alignBits = cursor.signum() == 0 ? 128 : cursor.getLowestSetBit();
            final int remainingBits = end.subtract(cursor).add(BigInteger.ONE).bitLength() - 1;
            final int hostBits = Math.min(alignBits, remainingBits);
            final long hi = cursor.shiftRight(64).longValue();
            final long lo = cursor.longValue();
            out.append(IpPrefix.format(true, hi, lo)).append('/')
                .append(Integer.toString(128 - hostBits)).append(' ').append(Integer.toString(nextHop)).append('\n');
            count++;
            cursor = cursor.add(BigInteger.ONE.shiftLeft(hostBits));
        }
        return count;
    }
}
