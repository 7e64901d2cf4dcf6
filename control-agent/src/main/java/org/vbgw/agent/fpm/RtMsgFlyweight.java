package org.vbgw.agent.fpm;

import org.agrona.DirectBuffer;

/**
 * The body of RTM_NEWROUTE / RTM_DELROUTE ({@code struct rtmsg}, linux/rtnetlink.h), followed by route
 * attributes.
 * <pre>
 *   0        8        16       24       31
 *  +--------+--------+--------+--------+
 *  | family |dst_len |src_len | tos    |
 *  +--------+--------+--------+--------+
 *  | table  |protocol| scope  | type   |
 *  +--------+--------+--------+--------+
 *  | flags (host order)                |
 *  +-----------------------------------+
 * </pre>
 * {@code protocol} names who made the route (zebra writes its source protocol there: 186 BGP, 196 staticd,
 * 2 kernel/connected), which is how the FPM server filters. Read-only, no allocation.
 */
public final class RtMsgFlyweight
{
    public static final int FAMILY_OFFSET = 0;
    public static final int DST_LEN_OFFSET = 1;
    public static final int SRC_LEN_OFFSET = 2;
    public static final int TOS_OFFSET = 3;
    public static final int TABLE_OFFSET = 4;
    public static final int PROTOCOL_OFFSET = 5;
    public static final int SCOPE_OFFSET = 6;
    public static final int TYPE_OFFSET = 7;
    public static final int FLAGS_OFFSET = 8;
    public static final int LENGTH = 12;

    private DirectBuffer buffer;
    private int offset;

    public RtMsgFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int family()
    {
        return u8(FAMILY_OFFSET);
    }

    public int dstLength()
    {
        return u8(DST_LEN_OFFSET);
    }

    public int srcLength()
    {
        return u8(SRC_LEN_OFFSET);
    }

    /** The 8-bit table id; RTA_TABLE carries ids above 255. */
    public int table()
    {
        return u8(TABLE_OFFSET);
    }

    public int protocol()
    {
        return u8(PROTOCOL_OFFSET);
    }

    public int type()
    {
        return u8(TYPE_OFFSET);
    }

    private int u8(final int field)
    {
        return buffer.getByte(offset + field) & 0xFF;
    }
}
