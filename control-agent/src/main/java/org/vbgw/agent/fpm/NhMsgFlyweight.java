package org.vbgw.agent.fpm;

import org.agrona.DirectBuffer;

/**
 * The body of RTM_NEWNEXTHOP / RTM_DELNEXTHOP ({@code struct nhmsg}, linux/nexthop.h), followed by NHA_*
 * attributes: one next hop (NHA_GATEWAY, NHA_OIF) or a group of others (NHA_GROUP).
 * <pre>
 *   0        8        16       24       31
 *  +--------+--------+--------+--------+
 *  | family | scope  |protocol| resvd  |
 *  +--------+--------+--------+--------+
 *  | flags (host order)                |
 *  +-----------------------------------+
 * </pre>
 * A group's family is 0 (AF_UNSPEC). Read-only, no allocation.
 */
public final class NhMsgFlyweight
{
    public static final int FAMILY_OFFSET = 0;
    public static final int SCOPE_OFFSET = 1;
    public static final int PROTOCOL_OFFSET = 2;
    public static final int FLAGS_OFFSET = 4;
    public static final int LENGTH = 8;

    private DirectBuffer buffer;
    private int offset;

    public NhMsgFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int family()
    {
        return buffer.getByte(offset + FAMILY_OFFSET) & 0xFF;
    }

    public int protocol()
    {
        return buffer.getByte(offset + PROTOCOL_OFFSET) & 0xFF;
    }
}
