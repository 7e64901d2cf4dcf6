package org.vbgw.dataplane.packet;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over an ICMP (v4) message header (RFC 792).
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Rest of header: echo Identifier | Sequence Number,           |
 * |  or unused (16) | Next-Hop MTU for frag-needed (RFC 1191 §4)  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data: echo payload, or the invoking IP header + 8 bytes ...  |
 * </pre>
 * The checksum covers the whole ICMP message, no pseudo-header. Not thread-safe.
 */
public final class IcmpFlyweight
{
    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int REST_OF_HEADER_OFFSET = 4;
    public static final int IDENTIFIER_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 6;
    public static final int NEXT_HOP_MTU_OFFSET = 6;
    /** Length of the fixed part. */
    public static final int HEADER_LENGTH = 8;

    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DEST_UNREACHABLE = 3;
    public static final int TYPE_REDIRECT = 5;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;
    public static final int TYPE_PARAMETER_PROBLEM = 12;

    /** Destination unreachable codes (RFC 792, RFC 1812 §5.2.7.1). */
    public static final int CODE_NET_UNREACHABLE = 0;
    public static final int CODE_HOST_UNREACHABLE = 1;
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    public static final int CODE_PORT_UNREACHABLE = 3;
    public static final int CODE_FRAGMENTATION_NEEDED = 4;
    public static final int CODE_ADMIN_PROHIBITED = 13;
    /** Time exceeded code for TTL expiry in transit. */
    public static final int CODE_TTL_EXCEEDED = 0;

    private MutableDirectBuffer buffer;
    private int offset;

    /** Points this flyweight at an ICMP message starting at {@code offset}. */
    public IcmpFlyweight wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Checks length and checksum of a message of {@code length} bytes (the IPv4 payload length).
     *
     * @return {@link PacketError#OK}, {@link PacketError#ICMP_TOO_SHORT} or {@link PacketError#ICMP_BAD_CHECKSUM}.
     */
    public int validate(final int length)
    {
        if (length < HEADER_LENGTH)
        {
            return PacketError.ICMP_TOO_SHORT;
        }
        return InternetChecksum.isValid(buffer, offset, length) ? PacketError.OK : PacketError.ICMP_BAD_CHECKSUM;
    }

    public int type()
    {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    public IcmpFlyweight type(final int type)
    {
        buffer.putByte(offset + TYPE_OFFSET, (byte)type);
        return this;
    }

    public int code()
    {
        return buffer.getByte(offset + CODE_OFFSET) & 0xFF;
    }

    public IcmpFlyweight code(final int code)
    {
        buffer.putByte(offset + CODE_OFFSET, (byte)code);
        return this;
    }

    public int checksum()
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public IcmpFlyweight checksum(final int checksum)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Computes the checksum over a message of {@code length} bytes and stores it. */
    public IcmpFlyweight updateChecksum(final int length)
    {
        checksum(0);
        return checksum(InternetChecksum.checksum(buffer, offset, length));
    }

    /** The 32-bit rest-of-header word. */
    public int restOfHeader()
    {
        return buffer.getInt(offset + REST_OF_HEADER_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public IcmpFlyweight restOfHeader(final int value)
    {
        buffer.putInt(offset + REST_OF_HEADER_OFFSET, value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int identifier()
    {
        return buffer.getShort(offset + IDENTIFIER_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public IcmpFlyweight identifier(final int identifier)
    {
        buffer.putShort(offset + IDENTIFIER_OFFSET, (short)identifier, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int sequence()
    {
        return buffer.getShort(offset + SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public IcmpFlyweight sequence(final int sequence)
    {
        buffer.putShort(offset + SEQUENCE_OFFSET, (short)sequence, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Next-hop MTU of a fragmentation-needed message (RFC 1191 §4). */
    public int nextHopMtu()
    {
        return buffer.getShort(offset + NEXT_HOP_MTU_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /** Writes the rest-of-header of a fragmentation-needed message: 16 unused bits, then the MTU. */
    public IcmpFlyweight nextHopMtu(final int mtu)
    {
        return restOfHeader(mtu & 0xFFFF);
    }

    /** True for the error types, about which no further ICMP error may be sent (RFC 1122 §3.2.2). */
    public static boolean isError(final int type)
    {
        return type == TYPE_DEST_UNREACHABLE || type == TYPE_REDIRECT || type == 4 ||
            type == TYPE_TIME_EXCEEDED || type == TYPE_PARAMETER_PROBLEM;
    }
}
