package org.vbgw.dataplane.packet;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * The Internet checksum (RFC 1071): one's-complement sum of 16-bit words, full and incremental.
 * <p>
 * Sums are carried as a {@code long} "partial" that is not yet folded, so that partials over
 * several ranges (pseudo-header, header, payload) can be added with plain {@code +} and folded once
 * (RFC 1071 §2(B): the sum is associative and commutative, and deferred carries can be folded at the
 * end). Every method is static, stateless, allocation-free and safe on any thread.
 */
public final class InternetChecksum
{
    private InternetChecksum()
    {
    }

    /**
     * Unfolded one's-complement sum of {@code length} bytes at {@code offset}, the first byte being
     * the high-order byte of a 16-bit word; an odd trailing byte is padded with a zero byte
     * (RFC 1071 §4.1).
     * <p>
     * Reads 8 bytes at a time big-endian and adds the two 32-bit halves: since 2^16 ≡ 1 (mod 0xFFFF),
     * summing 32-bit words and folding later gives the same one's-complement result as summing
     * 16-bit words (RFC 1071 §2(C), "parallel summation"). Each addend is below 2^32, so a
     * {@code long} cannot overflow below 2^31 words, far beyond any frame.
     */
    public static long partial(final DirectBuffer buffer, final int offset, final int length)
    {
        long sum = 0;
        int i = offset;
        final int end = offset + length;
        while (end - i >= 8)
        {
            final long word = buffer.getLong(i, ByteOrder.BIG_ENDIAN);
            sum += (word >>> 32) + (word & 0xFFFF_FFFFL);
            i += 8;
        }
        if (end - i >= 4)
        {
            sum += buffer.getInt(i, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
            i += 4;
        }
        if (end - i >= 2)
        {
            sum += buffer.getShort(i, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            i += 2;
        }
        if (end - i == 1)
        {
            sum += (buffer.getByte(i) & 0xFF) << 8;
        }
        return sum;
    }

    /**
     * Folds an unfolded partial sum (any 64-bit value, read unsigned) into 16 bits with end-around carry
     * (RFC 1071 §4.1). Four fixed steps instead of a loop until no carry is left: the loop's exit depends on
     * the data, so it was a mispredicted branch on the forwarding path. 64 → 33 bits, → 17 bits + 1, → at
     * most 0x10001, → 16 bits.
     */
    public static int fold(final long partial)
    {
        long sum = (partial & 0xFFFF_FFFFL) + (partial >>> 32);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        return (int)((sum & 0xFFFF) + (sum >>> 16));
    }

    /** The checksum to store: the one's complement of the folded sum. */
    public static int finish(final long partial)
    {
        return ~fold(partial) & 0xFFFF;
    }

    /** Checksum of a range whose checksum field is zero, or verification value of a range that includes it. */
    public static int checksum(final DirectBuffer buffer, final int offset, final int length)
    {
        return finish(partial(buffer, offset, length));
    }

    /**
     * True when a range that includes its own checksum field sums to all ones, i.e. verifies
     * (RFC 1071 §1: "the result is checked by verifying that it is all 1 bits").
     */
    public static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        return fold(partial(buffer, offset, length)) == 0xFFFF;
    }

    /**
     * Unfolded sum of the IPv4 pseudo-header of UDP (RFC 768) and TCP (RFC 793 §3.1): source,
     * destination, zero byte, protocol and the upper-layer length.
     */
    public static long ipv4PseudoHeader(final int src, final int dst, final int protocol, final int length)
    {
        return (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + (protocol & 0xFF) + (length & 0xFFFF);
    }

    /**
     * Unfolded sum of the IPv6 pseudo-header (RFC 8200 §8.1) read from an IPv6 header at
     * {@code ipv6Offset}: the 32 address bytes, the 32-bit upper-layer length and the next header.
     * {@code upperLayerLength} and {@code nextHeader} are given rather than read, since extension
     * headers may stand between (RFC 8200 §8.1: length and next header of the upper layer itself).
     */
    public static long ipv6PseudoHeader(
        final DirectBuffer buffer, final int ipv6Offset, final int nextHeader, final int upperLayerLength)
    {
        return partial(buffer, ipv6Offset + Ipv6Flyweight.SRC_ADDRESS_OFFSET, 32)
            + (upperLayerLength >>> 16) + (upperLayerLength & 0xFFFF) + (nextHeader & 0xFF);
    }

    /**
     * Incremental update of a stored checksum for one 16-bit word changing from {@code oldWord} to
     * {@code newWord}, by RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m').
     * <p>
     * Eqn. 3 and not RFC 1141's HC' = HC + m - m': RFC 1624 §3 shows the latter can produce 0x0000
     * where a full recomputation gives 0xFFFF (and vice versa), which a receiver that recomputes
     * would reject. Eqn. 3 adds in one's-complement arithmetic, which never yields +0 from non-zero
     * data, so the result always equals a full recomputation. Used for the TTL/protocol word on
     * every forwarded IPv4 packet, for ICMP echo type changes and for NAT-like rewrites.
     */
    public static int update16(final int checksum, final int oldWord, final int newWord)
    {
        final int sum = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return ~fold(sum) & 0xFFFF;
    }

    /** Incremental update (RFC 1624 eqn. 3) for a 32-bit field, such as an IPv4 address, as two words. */
    public static int update32(final int checksum, final int oldValue, final int newValue)
    {
        final long sum = (~checksum & 0xFFFF)
            + (~oldValue >>> 16 & 0xFFFF) + (~oldValue & 0xFFFF)
            + (newValue >>> 16 & 0xFFFF) + (newValue & 0xFFFF);
        return ~fold(sum) & 0xFFFF;
    }
}
