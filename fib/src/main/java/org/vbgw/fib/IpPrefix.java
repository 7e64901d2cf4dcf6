package org.vbgw.fib;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 prefix as the control plane writes it ({@code 10.0.0.0/8}, {@code 2001:db8::/32}).
 * <p>
 * IPv4 addresses sit in the low 32 bits of {@link #lo()} with {@link #hi()} zero; IPv6 addresses are
 * the 128-bit value as two big-endian halves. Host bits must be clear: a route for
 * {@code 10.0.0.1/8} is almost always a typo, and silently masking it would hide that.
 * Control-plane only: it allocates.
 */
public record IpPrefix(boolean ipv6, long hi, long lo, int length)
{
    public IpPrefix
    {
        final int max = ipv6 ? 128 : 32;
        if (length < 0 || length > max)
        {
            throw new IllegalArgumentException("prefix length " + length + " out of range 0.." + max);
        }
        if (!ipv6 && (hi != 0 || (lo >>> 32) != 0))
        {
            throw new IllegalArgumentException("IPv4 address does not fit 32 bits: " + Long.toHexString(lo));
        }
        if (ipv6 ? (hi & ~mask128Hi(length)) != 0 || (lo & ~mask128Lo(length)) != 0
                 : (lo & ~(mask32(length) & 0xFFFF_FFFFL)) != 0)
        {
            throw new IllegalArgumentException("host bits set in " + format(ipv6, hi, lo) + "/" + length +
                " (did you mean " + format(ipv6, ipv6 ? hi & mask128Hi(length) : 0,
                ipv6 ? lo & mask128Lo(length) : lo & mask32(length) & 0xFFFF_FFFFL) + "/" + length + "?)");
        }
    }

    /**
     * A hash that uses every bit: the record's default combines the fields with 31 * h + x, and prefixes that
     * share their low bits (every /24 has eight zero bits) crowd into a fraction of a large map's buckets.
     */
    @Override
    public int hashCode()
    {
        long h = (hi * 0x9E3779B97F4A7C15L) ^ lo ^ ((long)length << 56) ^ (ipv6 ? 0x8000_0000_0000_0000L : 0);
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 29)) * 0x94D049BB133111EBL;
        return (int)(h ^ (h >>> 32));
    }

    public static IpPrefix ipv4(final int address, final int length)
    {
        return new IpPrefix(false, 0, address & 0xFFFF_FFFFL, length);
    }

    public static IpPrefix ipv6(final long hi, final long lo, final int length)
    {
        return new IpPrefix(true, hi, lo, length);
    }

    /** Parses {@code ADDRESS/LENGTH}; a bare address is a host route (/32 or /128). */
    public static IpPrefix parse(final String text)
    {
        final String s = text.trim();
        final int slash = s.indexOf('/');
        final String addressText = slash < 0 ? s : s.substring(0, slash);
        final byte[] bytes = parseAddress(addressText);
        final boolean v6 = bytes.length == 16;
        final int length;
        if (slash < 0)
        {
            length = v6 ? 128 : 32;
        }
        else
        {
            try
            {
                length = Integer.parseInt(s.substring(slash + 1));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("bad prefix length in '" + text + "'");
            }
        }
        if (v6)
        {
            return new IpPrefix(true, bytesToLong(bytes, 0), bytesToLong(bytes, 8), length);
        }
        return new IpPrefix(false, 0, bytesToLong4(bytes), length);
    }

    /**
     * Parses a numeric IPv4 or IPv6 address without any name lookup: 4 or 16 bytes, network order.
     *
     * @throws IllegalArgumentException naming the text when it is not an address.
     */
    public static byte[] parseAddress(final String text)
    {
        final String s = text.trim();
        final byte[] quad = parseDottedQuad(s);
        if (quad != null)
        {
            return quad;
        }
        final boolean looksNumeric = !s.isEmpty() && (s.indexOf(':') >= 0 || s.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')));
        if (!looksNumeric || (s.indexOf(':') < 0 && s.split("\\.", -1).length != 4))
        {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        try
        {
            // A literal never triggers a DNS query in InetAddress.getByName.
            return InetAddress.getByName(s).getAddress();
        }
        catch (final UnknownHostException | SecurityException ex)
        {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
    }

    /**
     * Dotted-quad IPv4 without going through InetAddress, which costs microseconds per call: route files
     * have a million lines. Null when the text is not four decimal octets (the caller then reports it).
     */
    private static byte[] parseDottedQuad(final String s)
    {
        final byte[] out = new byte[4];
        int octet = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c >= '0' && c <= '9')
            {
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255)
                {
                    return null;
                }
            }
            else if (c == '.' && digits > 0 && octet < 3)
            {
                out[octet++] = (byte)value;
                value = 0;
                digits = 0;
            }
            else
            {
                return null;
            }
        }
        if (octet != 3 || digits == 0)
        {
            return null;
        }
        out[3] = (byte)value;
        return out;
    }

    /** The IPv4 address as an int (network order value), for IPv4 prefixes. */
    public int ipv4Address()
    {
        return (int)lo;
    }

    /** True when {@code other} lies inside this prefix (same family, at least as long). */
    public boolean contains(final IpPrefix other)
    {
        if (other.ipv6 != ipv6 || other.length < length)
        {
            return false;
        }
        if (ipv6)
        {
            return (other.hi & mask128Hi(length)) == hi && (other.lo & mask128Lo(length)) == lo;
        }
        return ((other.lo & mask32(length) & 0xFFFF_FFFFL)) == lo;
    }

    /** True when the two prefixes share any address. */
    public boolean overlaps(final IpPrefix other)
    {
        return contains(other) || other.contains(this);
    }

    @Override
    public String toString()
    {
        return format(ipv6, hi, lo) + "/" + length;
    }

    /** Formats an address of either family; IPv6 in RFC 5952 compressed form. */
    public static String format(final boolean ipv6, final long hi, final long lo)
    {
        if (!ipv6)
        {
            return ((lo >>> 24) & 0xFF) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }
        final int[] words = new int[8];
        for (int i = 0; i < 4; i++)
        {
            words[i] = (int)((hi >>> (48 - 16 * i)) & 0xFFFF);
            words[4 + i] = (int)((lo >>> (48 - 16 * i)) & 0xFFFF);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; )
        {
            if (words[i] == 0)
            {
                int j = i;
                while (j < 8 && words[j] == 0)
                {
                    j++;
                }
                if (j - i > bestLen)
                {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            }
            else
            {
                i++;
            }
        }
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':')
            {
                sb.append(':');
            }
            sb.append(Integer.toHexString(words[i]));
        }
        return sb.toString();
    }

    /** Formats an IPv4 address held in an int. */
    public static String formatIpv4(final int address)
    {
        return format(false, 0, address & 0xFFFF_FFFFL);
    }

    /** The IPv4 netmask of a prefix length as an int. */
    public static int mask32(final int length)
    {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    /** The high 64 bits of the IPv6 netmask of a prefix length. */
    public static long mask128Hi(final int length)
    {
        return length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
    }

    /** The low 64 bits of the IPv6 netmask of a prefix length. */
    public static long mask128Lo(final int length)
    {
        return length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
    }

    private static long bytesToLong(final byte[] b, final int offset)
    {
        long v = 0;
        for (int i = 0; i < 8; i++)
        {
            v = (v << 8) | (b[offset + i] & 0xFF);
        }
        return v;
    }

    private static long bytesToLong4(final byte[] b)
    {
        return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
    }
}
