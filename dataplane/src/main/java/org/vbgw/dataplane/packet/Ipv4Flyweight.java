package org.vbgw.dataplane.packet;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over an IPv4 header (RFC 791 §3.1).
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |   DSCP    |ECN|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |0|D|M|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (IHL - 5 words)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * DSCP/ECN as RFC 2474 and RFC 3168 redefine the old TOS byte; D = don't fragment, M = more
 * fragments; fragment offset in 8-byte units. Addresses are {@code int}s in network order.
 * Not thread-safe.
 */
public final class Ipv4Flyweight
{
    public static final int VERSION_IHL_OFFSET = 0;
    public static final int TOS_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int CHECKSUM_OFFSET = 10;
    public static final int SRC_ADDRESS_OFFSET = 12;
    public static final int DST_ADDRESS_OFFSET = 16;
    public static final int OPTIONS_OFFSET = 20;
    /** Length of a header without options. */
    public static final int MIN_HEADER_LENGTH = 20;
    /** Length of a header with the most options (IHL 15). */
    public static final int MAX_HEADER_LENGTH = 60;

    /** Don't fragment bit of the flags/fragment-offset word. */
    public static final int FLAG_DF = 0x4000;
    /** More fragments bit of the flags/fragment-offset word. */
    public static final int FLAG_MF = 0x2000;
    /** Mask of the fragment offset (8-byte units) in the flags/fragment-offset word. */
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;

    private MutableDirectBuffer buffer;
    private int offset;

    /** Points this flyweight at an IPv4 header starting at {@code offset}. */
    public Ipv4Flyweight wrap(final MutableDirectBuffer buffer, final int offset)
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
     * The checks RFC 1812 §5.2.2 asks of a router before forwarding, in the order it lists them.
     *
     * @param available bytes from the IPv4 header to the end of the frame (Ethernet padding may make
     *                  it exceed the total length; that is fine).
     * @return {@link PacketError#OK} or an {@code IPV4_*} code.
     */
    public int validate(final int available)
    {
        if (available < MIN_HEADER_LENGTH)
        {
            return PacketError.IPV4_TOO_SHORT;
        }
        if (version() != 4)
        {
            return PacketError.IPV4_BAD_VERSION;
        }
        final int headerLength = headerLength();
        if (headerLength < MIN_HEADER_LENGTH)
        {
            return PacketError.IPV4_BAD_IHL;
        }
        if (headerLength > available)
        {
            return PacketError.IPV4_TOO_SHORT;
        }
        final int totalLength = totalLength();
        if (totalLength > available)
        {
            return PacketError.IPV4_TOTAL_LENGTH_EXCEEDS_FRAME;
        }
        if (totalLength < headerLength)
        {
            return PacketError.IPV4_TOTAL_LENGTH_BELOW_HEADER;
        }
        if (!InternetChecksum.isValid(buffer, offset, headerLength))
        {
            return PacketError.IPV4_BAD_CHECKSUM;
        }
        return PacketError.OK;
    }

    /**
     * {@link #validate(int)} for the forwarding path: the same checks in the same order on the header at
     * {@code ipOffset} of a verified frame, reading without per-access bounds checks. Every read lies
     * inside the frame: the fixed header after the first check, the options (checksummed) after the
     * IHL is compared with the bytes left in the frame.
     */
    public static int validate(final FrameView frame, final int ipOffset)
    {
        final int available = frame.limit() - ipOffset;
        if (available < MIN_HEADER_LENGTH)
        {
            return PacketError.IPV4_TOO_SHORT;
        }
        // The fixed header as two longs and an int: the checks below and the checksum read them, not the bytes.
        final long first = frame.getLong(ipOffset);
        final long second = frame.getLong(ipOffset + 8);
        final int versionIhl = (int)(first >>> 56);
        if (versionIhl >>> 4 != 4)
        {
            return PacketError.IPV4_BAD_VERSION;
        }
        final int headerLength = (versionIhl & 0x0F) << 2;
        if (headerLength < MIN_HEADER_LENGTH)
        {
            return PacketError.IPV4_BAD_IHL;
        }
        if (headerLength > available)
        {
            return PacketError.IPV4_TOO_SHORT;
        }
        final int totalLength = (int)(first >>> 32) & 0xFFFF;
        if (totalLength > available)
        {
            return PacketError.IPV4_TOTAL_LENGTH_EXCEEDS_FRAME;
        }
        if (totalLength < headerLength)
        {
            return PacketError.IPV4_TOTAL_LENGTH_BELOW_HEADER;
        }
        long sum = (first >>> 32) + (first & 0xFFFF_FFFFL) + (second >>> 32) + (second & 0xFFFF_FFFFL) +
            (frame.getInt(ipOffset + DST_ADDRESS_OFFSET) & 0xFFFF_FFFFL);
        if (headerLength > MIN_HEADER_LENGTH)
        {
            sum += frame.checksumPartial(ipOffset + OPTIONS_OFFSET, headerLength - MIN_HEADER_LENGTH);
        }
        if (InternetChecksum.fold(sum) != 0xFFFF)
        {
            return PacketError.IPV4_BAD_CHECKSUM;
        }
        return PacketError.OK;
    }

    /**
     * {@link #decrementTtl()} on the header at {@code ipOffset} of a verified frame that
     * {@link #validate(FrameView, int)} accepted: TTL − 1 and the RFC 1624 eqn. 3 checksum patch.
     */
    public static void decrementTtl(final FrameView frame, final int ipOffset)
    {
        final int index = ipOffset + TTL_OFFSET;
        final int oldWord = frame.getShort(index);
        final int newWord = oldWord - 0x0100;
        frame.putShort(index, newWord);
        final int checksumIndex = ipOffset + CHECKSUM_OFFSET;
        frame.putShort(checksumIndex, InternetChecksum.update16(frame.getShort(checksumIndex), oldWord, newWord));
    }

    public int version()
    {
        return (buffer.getByte(offset + VERSION_IHL_OFFSET) & 0xF0) >>> 4;
    }

    /** Header length in 32-bit words (IHL). */
    public int ihl()
    {
        return buffer.getByte(offset + VERSION_IHL_OFFSET) & 0x0F;
    }

    /** Header length in bytes (IHL × 4). */
    public int headerLength()
    {
        return ihl() << 2;
    }

    /** Writes version 4 and the IHL for a header of {@code headerLengthBytes} (a multiple of 4). */
    public Ipv4Flyweight versionAndHeaderLength(final int headerLengthBytes)
    {
        buffer.putByte(offset + VERSION_IHL_OFFSET, (byte)(0x40 | (headerLengthBytes >>> 2)));
        return this;
    }

    /** Bytes of options, IHL × 4 − 20. */
    public int optionsLength()
    {
        return headerLength() - MIN_HEADER_LENGTH;
    }

    /** The former TOS byte: DSCP (6 bits) and ECN (2 bits). */
    public int tos()
    {
        return buffer.getByte(offset + TOS_OFFSET) & 0xFF;
    }

    public Ipv4Flyweight tos(final int tos)
    {
        buffer.putByte(offset + TOS_OFFSET, (byte)tos);
        return this;
    }

    public int dscp()
    {
        return tos() >>> 2;
    }

    public int ecn()
    {
        return tos() & 0x3;
    }

    public int totalLength()
    {
        return buffer.getShort(offset + TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv4Flyweight totalLength(final int totalLength)
    {
        buffer.putShort(offset + TOTAL_LENGTH_OFFSET, (short)totalLength, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int identification()
    {
        return buffer.getShort(offset + IDENTIFICATION_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv4Flyweight identification(final int id)
    {
        buffer.putShort(offset + IDENTIFICATION_OFFSET, (short)id, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** The whole flags/fragment-offset word. */
    public int flagsAndFragmentOffset()
    {
        return buffer.getShort(offset + FLAGS_FRAGMENT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv4Flyweight flagsAndFragmentOffset(final int word)
    {
        buffer.putShort(offset + FLAGS_FRAGMENT_OFFSET, (short)word, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public boolean dontFragment()
    {
        return (flagsAndFragmentOffset() & FLAG_DF) != 0;
    }

    public boolean moreFragments()
    {
        return (flagsAndFragmentOffset() & FLAG_MF) != 0;
    }

    /** Fragment offset in 8-byte units. */
    public int fragmentOffset()
    {
        return flagsAndFragmentOffset() & FRAGMENT_OFFSET_MASK;
    }

    /** True for any fragment (first, middle or last): MF set or a non-zero offset. */
    public boolean isFragment()
    {
        return (flagsAndFragmentOffset() & (FLAG_MF | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int ttl()
    {
        return buffer.getByte(offset + TTL_OFFSET) & 0xFF;
    }

    /** Sets the TTL without touching the checksum; see {@link #decrementTtl()} for forwarding. */
    public Ipv4Flyweight ttl(final int ttl)
    {
        buffer.putByte(offset + TTL_OFFSET, (byte)ttl);
        return this;
    }

    public int protocol()
    {
        return buffer.getByte(offset + PROTOCOL_OFFSET) & 0xFF;
    }

    public Ipv4Flyweight protocol(final int protocol)
    {
        buffer.putByte(offset + PROTOCOL_OFFSET, (byte)protocol);
        return this;
    }

    public int checksum()
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv4Flyweight checksum(final int checksum)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Computes the header checksum over IHL × 4 bytes and stores it. */
    public Ipv4Flyweight updateChecksum()
    {
        checksum(0);
        return checksum(InternetChecksum.checksum(buffer, offset, headerLength()));
    }

    /**
     * Decrements the TTL and patches the checksum incrementally (RFC 1624 eqn. 3 on the TTL/protocol
     * word, RFC 1812 §5.3.1), the per-packet work of forwarding. The caller has checked TTL &gt; 1.
     *
     * @return the new TTL.
     */
    public int decrementTtl()
    {
        final int index = offset + TTL_OFFSET;
        final int oldWord = buffer.getShort(index, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int newWord = oldWord - 0x0100;
        buffer.putShort(index, (short)newWord, ByteOrder.BIG_ENDIAN);
        checksum(InternetChecksum.update16(checksum(), oldWord, newWord));
        return newWord >>> 8;
    }

    /**
     * Sets the TTL and patches the checksum incrementally (RFC 1624 eqn. 3), for replies built in
     * place such as echo replies.
     */
    public Ipv4Flyweight ttlWithChecksumUpdate(final int ttl)
    {
        final int index = offset + TTL_OFFSET;
        final int oldWord = buffer.getShort(index, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int newWord = (ttl & 0xFF) << 8 | (oldWord & 0xFF);
        buffer.putShort(index, (short)newWord, ByteOrder.BIG_ENDIAN);
        return checksum(InternetChecksum.update16(checksum(), oldWord, newWord));
    }

    public int srcAddress()
    {
        return buffer.getInt(offset + SRC_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public Ipv4Flyweight srcAddress(final int address)
    {
        buffer.putInt(offset + SRC_ADDRESS_OFFSET, address, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int dstAddress()
    {
        return buffer.getInt(offset + DST_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public Ipv4Flyweight dstAddress(final int address)
    {
        buffer.putInt(offset + DST_ADDRESS_OFFSET, address, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Offset in the buffer of the payload (after options). */
    public int payloadOffset()
    {
        return offset + headerLength();
    }

    /** Payload length: total length − header length. */
    public int payloadLength()
    {
        return totalLength() - headerLength();
    }

    /** True for 224.0.0.0/4 (RFC 5771). */
    public static boolean isMulticast(final int address)
    {
        return (address & 0xF000_0000) == 0xE000_0000;
    }
}
