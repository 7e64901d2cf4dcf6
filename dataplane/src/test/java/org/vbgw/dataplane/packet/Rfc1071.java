package org.vbgw.dataplane.packet;

/**
 * A deliberately naive RFC 1071 checksum over byte arrays, 16 bits at a time, written separately
 * from {@link InternetChecksum} so that tests check the production code against an independent
 * computation.
 */
final class Rfc1071
{
    private Rfc1071()
    {
    }

    /** Folded one's-complement sum of {@code length} bytes at {@code offset}, plus {@code initial}. */
    static int sum(final byte[] data, final int offset, final int length, final long initial)
    {
        long sum = initial;
        for (int i = 0; i < length; i += 2)
        {
            final int high = data[offset + i] & 0xFF;
            final int low = i + 1 < length ? data[offset + i + 1] & 0xFF : 0;
            sum += (high << 8) | low;
        }
        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int)sum;
    }

    /** The checksum value to store for a range whose checksum field is zero. */
    static int checksum(final byte[] data, final int offset, final int length)
    {
        return ~sum(data, offset, length, 0) & 0xFFFF;
    }

    /** True when a range including its checksum field verifies. */
    static boolean verifies(final byte[] data, final int offset, final int length)
    {
        return sum(data, offset, length, 0) == 0xFFFF;
    }

    /** Sum of the IPv6 pseudo-header (RFC 8200 §8.1) for the IPv6 header at {@code ip6}. */
    static long ipv6PseudoHeader(final byte[] data, final int ip6, final int upperLength, final int nextHeader)
    {
        long sum = 0;
        for (int i = 0; i < 32; i += 2)
        {
            sum += ((data[ip6 + 8 + i] & 0xFF) << 8) | (data[ip6 + 9 + i] & 0xFF);
        }
        return sum + (upperLength >>> 16) + (upperLength & 0xFFFF) + nextHeader;
    }

    /** True when an ICMPv6 message of {@code length} bytes after the IPv6 header at {@code ip6} verifies. */
    static boolean icmpv6Verifies(final byte[] data, final int ip6, final int length)
    {
        return sum(data, ip6 + 40, length, ipv6PseudoHeader(data, ip6, length, 58)) == 0xFFFF;
    }
}
