package org.vbgw.dataplane.packet;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over an ICMPv6 message header (RFC 4443 §2.1).
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Echo: Identifier | Sequence; Packet Too Big: MTU;            |
 * |  Parameter Problem: Pointer; other errors: unused             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Unlike ICMPv4 the checksum includes the IPv6 pseudo-header (RFC 4443 §2.3, RFC 8200 §8.1).
 * Not thread-safe.
 */
public final class Icmpv6Flyweight
{
    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int IDENTIFIER_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 6;
    public static final int MTU_OFFSET = 4;
    /** Length of the fixed part including the 32-bit type-specific word. */
    public static final int HEADER_LENGTH = 8;

    public static final int TYPE_DEST_UNREACHABLE = 1;
    public static final int TYPE_PACKET_TOO_BIG = 2;
    public static final int TYPE_TIME_EXCEEDED = 3;
    public static final int TYPE_PARAMETER_PROBLEM = 4;
    public static final int TYPE_ECHO_REQUEST = 128;
    public static final int TYPE_ECHO_REPLY = 129;
    public static final int TYPE_ROUTER_SOLICITATION = 133;
    public static final int TYPE_ROUTER_ADVERTISEMENT = 134;
    public static final int TYPE_NEIGHBOR_SOLICITATION = 135;
    public static final int TYPE_NEIGHBOR_ADVERTISEMENT = 136;
    public static final int TYPE_REDIRECT = 137;

    /** Destination unreachable codes (RFC 4443 §3.1). */
    public static final int CODE_NO_ROUTE = 0;
    public static final int CODE_ADMIN_PROHIBITED = 1;
    public static final int CODE_ADDRESS_UNREACHABLE = 3;
    public static final int CODE_PORT_UNREACHABLE = 4;
    /** Time exceeded code for hop limit expiry in transit (RFC 4443 §3.3). */
    public static final int CODE_HOP_LIMIT_EXCEEDED = 0;

    private MutableDirectBuffer buffer;
    private int offset;

    /** Points this flyweight at an ICMPv6 message starting at {@code offset}. */
    public Icmpv6Flyweight wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Checks length and checksum of a message of {@code length} bytes carried directly after the
     * IPv6 header at {@code ipv6Offset}.
     *
     * @return {@link PacketError#OK}, {@link PacketError#ICMP_TOO_SHORT} or {@link PacketError#ICMP_BAD_CHECKSUM}.
     */
    public int validate(final int ipv6Offset, final int length)
    {
        if (length < HEADER_LENGTH)
        {
            return PacketError.ICMP_TOO_SHORT;
        }
        final long sum = InternetChecksum.ipv6PseudoHeader(buffer, ipv6Offset, Ipv6Flyweight.NEXT_HEADER_ICMPV6, length)
            + InternetChecksum.partial(buffer, offset, length);
        return InternetChecksum.fold(sum) == 0xFFFF ? PacketError.OK : PacketError.ICMP_BAD_CHECKSUM;
    }

    public int type()
    {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    public Icmpv6Flyweight type(final int type)
    {
        buffer.putByte(offset + TYPE_OFFSET, (byte)type);
        return this;
    }

    public int code()
    {
        return buffer.getByte(offset + CODE_OFFSET) & 0xFF;
    }

    public Icmpv6Flyweight code(final int code)
    {
        buffer.putByte(offset + CODE_OFFSET, (byte)code);
        return this;
    }

    public int checksum()
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Icmpv6Flyweight checksum(final int checksum)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * Computes the checksum, pseudo-header included, of a message of {@code length} bytes carried
     * directly after the IPv6 header at {@code ipv6Offset} (whose addresses must already be written).
     */
    public Icmpv6Flyweight updateChecksum(final int ipv6Offset, final int length)
    {
        checksum(0);
        final long sum = InternetChecksum.ipv6PseudoHeader(buffer, ipv6Offset, Ipv6Flyweight.NEXT_HEADER_ICMPV6, length)
            + InternetChecksum.partial(buffer, offset, length);
        return checksum(InternetChecksum.finish(sum));
    }

    public int identifier()
    {
        return buffer.getShort(offset + IDENTIFIER_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Icmpv6Flyweight identifier(final int identifier)
    {
        buffer.putShort(offset + IDENTIFIER_OFFSET, (short)identifier, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int sequence()
    {
        return buffer.getShort(offset + SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Icmpv6Flyweight sequence(final int sequence)
    {
        buffer.putShort(offset + SEQUENCE_OFFSET, (short)sequence, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** MTU of a Packet Too Big message (RFC 4443 §3.2). */
    public int mtu()
    {
        return buffer.getInt(offset + MTU_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public Icmpv6Flyweight mtu(final int mtu)
    {
        buffer.putInt(offset + MTU_OFFSET, mtu, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** True for error messages, types 0–127 (RFC 4443 §2.1). */
    public static boolean isError(final int type)
    {
        return type < 128;
    }
}
