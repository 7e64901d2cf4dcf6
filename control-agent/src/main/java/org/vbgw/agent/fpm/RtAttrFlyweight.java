package org.vbgw.agent.fpm;

import org.agrona.DirectBuffer;

/**
 * A route attribute ({@code struct rtattr} / {@code struct nlattr}): a TLV inside a netlink message, in host
 * byte order, padded to 4 bytes.
 * <pre>
 *   0                   16                  31
 *  +-------------------+-------------------+
 *  | rta_len           | rta_type          |   rta_len counts these 4 bytes
 *  +-------------------+-------------------+
 *  | value (rta_len - 4 bytes) ...          |
 * </pre>
 * The top two bits of the type are flags (NLA_F_NESTED, NLA_F_NET_BYTEORDER): zebra sets NLA_F_NESTED on
 * RTA_MULTIPATH, so the type is always read masked. Read-only, no allocation.
 */
public final class RtAttrFlyweight
{
    public static final int LENGTH_OFFSET = 0;
    public static final int TYPE_OFFSET = 2;
    public static final int HEADER_LENGTH = 4;
    /** NLA_TYPE_MASK: clears NLA_F_NESTED (1 << 15) and NLA_F_NET_BYTEORDER (1 << 14). */
    public static final int TYPE_MASK = 0x3FFF;

    private DirectBuffer buffer;
    private int offset;

    public RtAttrFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** Attribute length, header included, before padding. */
    public int length()
    {
        return buffer.getShort(offset + LENGTH_OFFSET, NetlinkHeaderFlyweight.ORDER) & 0xFFFF;
    }

    /** The attribute type with the flag bits masked off. */
    public int type()
    {
        return buffer.getShort(offset + TYPE_OFFSET, NetlinkHeaderFlyweight.ORDER) & TYPE_MASK;
    }

    public int valueOffset()
    {
        return offset + HEADER_LENGTH;
    }

    public int valueLength()
    {
        return length() - HEADER_LENGTH;
    }

    /** A 32-bit value in host order (ids, ifindexes, metrics). */
    public int valueInt()
    {
        return buffer.getInt(offset + HEADER_LENGTH, NetlinkHeaderFlyweight.ORDER);
    }
}
