package org.vbgw.agent.fpm;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The FPM frame header that precedes one or more netlink messages on zebra's FPM connection.
 * <pre>
 *   0        8        16                31
 *  +--------+--------+-----------------+
 *  | version| type   | length (BE)     |   length counts the header too
 *  +--------+--------+-----------------+
 *  | netlink messages (host order) ... |
 * </pre>
 * Version 1, type 1 (netlink) is what {@code dplane_fpm_nl} of FRR 8.4 sends; the length is big-endian
 * although the netlink messages inside are in host order. Read-only, no allocation.
 */
public final class FpmHeaderFlyweight
{
    public static final int VERSION_OFFSET = 0;
    public static final int TYPE_OFFSET = 1;
    public static final int LENGTH_OFFSET = 2;
    public static final int HEADER_LENGTH = 4;

    public static final int VERSION_1 = 1;
    public static final int TYPE_NETLINK = 1;
    /** The length field is 16 bits, so no frame exceeds this (zebra keeps well below). */
    public static final int MAX_FRAME_LENGTH = 0xFFFF;

    private DirectBuffer buffer;
    private int offset;

    public FpmHeaderFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int version()
    {
        return buffer.getByte(offset + VERSION_OFFSET) & 0xFF;
    }

    public int type()
    {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    /** Frame length in bytes, header included. */
    public int frameLength()
    {
        return buffer.getShort(offset + LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }
}
