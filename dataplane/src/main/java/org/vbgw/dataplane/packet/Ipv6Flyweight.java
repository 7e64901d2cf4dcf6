package org.vbgw.dataplane.packet;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over an IPv6 fixed header (RFC 8200 §3).
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Source Address (128 bits, 8..23)              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             Destination Address (128 bits, 24..39)            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Addresses are read and written as two {@code long}s, high and low 64 bits, in network order
 * (2001:db8::1 is hi 0x20010DB800000000, lo 0x1), which is also how the FIB keys them.
 * Not thread-safe.
 */
public final class Ipv6Flyweight
{
    public static final int VERSION_CLASS_FLOW_OFFSET = 0;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int NEXT_HEADER_OFFSET = 6;
    public static final int HOP_LIMIT_OFFSET = 7;
    public static final int SRC_ADDRESS_OFFSET = 8;
    public static final int DST_ADDRESS_OFFSET = 24;
    /** Length of the fixed header. */
    public static final int HEADER_LENGTH = 40;
    /** The minimum link MTU every IPv6 link must carry (RFC 8200 §5). */
    public static final int MIN_MTU = 1280;

    public static final int NEXT_HEADER_TCP = 6;
    public static final int NEXT_HEADER_UDP = 17;
    public static final int NEXT_HEADER_ICMPV6 = 58;

    private MutableDirectBuffer buffer;
    private int offset;

    /** Points this flyweight at an IPv6 header starting at {@code offset}. */
    public Ipv6Flyweight wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    /**
     * Checks version and lengths; IPv6 has no header checksum (RFC 8200 §3: left to the upper layer).
     *
     * @param available bytes from the IPv6 header to the end of the frame.
     * @return {@link PacketError#OK} or an {@code IPV6_*} code.
     */
    public int validate(final int available)
    {
        if (available < HEADER_LENGTH)
        {
            return PacketError.IPV6_TOO_SHORT;
        }
        if (version() != 6)
        {
            return PacketError.IPV6_BAD_VERSION;
        }
        if (payloadLength() > available - HEADER_LENGTH)
        {
            return PacketError.IPV6_PAYLOAD_LENGTH_EXCEEDS_FRAME;
        }
        return PacketError.OK;
    }

    /**
     * {@link #validate(int)} for the forwarding path: the same checks on the header at {@code ipOffset} of
     * a verified frame, reading without per-access bounds checks once the fixed header is known to lie
     * inside the frame.
     */
    public static int validate(final FrameView frame, final int ipOffset)
    {
        final int available = frame.limit() - ipOffset;
        if (available < HEADER_LENGTH)
        {
            return PacketError.IPV6_TOO_SHORT;
        }
        if (frame.getByte(ipOffset + VERSION_CLASS_FLOW_OFFSET) >>> 4 != 6)
        {
            return PacketError.IPV6_BAD_VERSION;
        }
        if (frame.getShort(ipOffset + PAYLOAD_LENGTH_OFFSET) > available - HEADER_LENGTH)
        {
            return PacketError.IPV6_PAYLOAD_LENGTH_EXCEEDS_FRAME;
        }
        return PacketError.OK;
    }

    public int version()
    {
        return (buffer.getByte(offset) & 0xF0) >>> 4;
    }

    public int trafficClass()
    {
        return buffer.getInt(offset + VERSION_CLASS_FLOW_OFFSET, ByteOrder.BIG_ENDIAN) >>> 20 & 0xFF;
    }

    /** Flow label, 20 bits (RFC 6437). */
    public int flowLabel()
    {
        return buffer.getInt(offset + VERSION_CLASS_FLOW_OFFSET, ByteOrder.BIG_ENDIAN) & 0xF_FFFF;
    }

    /** Writes version 6, the traffic class and the flow label in one word. */
    public Ipv6Flyweight versionClassFlow(final int trafficClass, final int flowLabel)
    {
        buffer.putInt(
            offset + VERSION_CLASS_FLOW_OFFSET,
            6 << 28 | (trafficClass & 0xFF) << 20 | (flowLabel & 0xF_FFFF),
            ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int payloadLength()
    {
        return buffer.getShort(offset + PAYLOAD_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv6Flyweight payloadLength(final int length)
    {
        buffer.putShort(offset + PAYLOAD_LENGTH_OFFSET, (short)length, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int nextHeader()
    {
        return buffer.getByte(offset + NEXT_HEADER_OFFSET) & 0xFF;
    }

    public Ipv6Flyweight nextHeader(final int nextHeader)
    {
        buffer.putByte(offset + NEXT_HEADER_OFFSET, (byte)nextHeader);
        return this;
    }

    public int hopLimit()
    {
        return buffer.getByte(offset + HOP_LIMIT_OFFSET) & 0xFF;
    }

    public Ipv6Flyweight hopLimit(final int hopLimit)
    {
        buffer.putByte(offset + HOP_LIMIT_OFFSET, (byte)hopLimit);
        return this;
    }

    /** Decrements the hop limit; no checksum to patch (it is not in the pseudo-header). */
    public int decrementHopLimit()
    {
        final int hopLimit = hopLimit() - 1;
        hopLimit(hopLimit);
        return hopLimit;
    }

    public long srcHi()
    {
        return buffer.getLong(offset + SRC_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public long srcLo()
    {
        return buffer.getLong(offset + SRC_ADDRESS_OFFSET + 8, ByteOrder.BIG_ENDIAN);
    }

    public Ipv6Flyweight srcAddress(final long hi, final long lo)
    {
        buffer.putLong(offset + SRC_ADDRESS_OFFSET, hi, ByteOrder.BIG_ENDIAN);
        buffer.putLong(offset + SRC_ADDRESS_OFFSET + 8, lo, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public long dstHi()
    {
        return buffer.getLong(offset + DST_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public long dstLo()
    {
        return buffer.getLong(offset + DST_ADDRESS_OFFSET + 8, ByteOrder.BIG_ENDIAN);
    }

    public Ipv6Flyweight dstAddress(final long hi, final long lo)
    {
        buffer.putLong(offset + DST_ADDRESS_OFFSET, hi, ByteOrder.BIG_ENDIAN);
        buffer.putLong(offset + DST_ADDRESS_OFFSET + 8, lo, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Offset in the buffer of what follows the fixed header. */
    public int payloadOffset()
    {
        return offset + HEADER_LENGTH;
    }

    /** True for ff00::/8 (RFC 4291 §2.7), given the high 64 bits. */
    public static boolean isMulticast(final long hi)
    {
        return (hi >>> 56) == 0xFF;
    }

    /** True for the unspecified address ::. */
    public static boolean isUnspecified(final long hi, final long lo)
    {
        return hi == 0 && lo == 0;
    }
}
