package org.vbgw.agent.fpm;

import org.agrona.DirectBuffer;

/**
 * One path inside RTA_MULTIPATH ({@code struct rtnexthop}, linux/rtnetlink.h), followed by its own
 * attributes (RTA_GATEWAY); what zebra sends for ECMP when next-hop groups are off.
 * <pre>
 *   0                   16       24       31
 *  +-------------------+--------+--------+
 *  | rtnh_len          | flags  | hops   |   hops = weight - 1
 *  +-------------------+--------+--------+
 *  | rtnh_ifindex                          |
 *  +---------------------------------------+
 * </pre>
 * Read-only, no allocation.
 */
public final class RtNextHopFlyweight
{
    public static final int LENGTH_OFFSET = 0;
    public static final int FLAGS_OFFSET = 2;
    public static final int HOPS_OFFSET = 3;
    public static final int IFINDEX_OFFSET = 4;
    public static final int HEADER_LENGTH = 8;

    private DirectBuffer buffer;
    private int offset;

    public RtNextHopFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** Length of this path, header and attributes included. */
    public int length()
    {
        return buffer.getShort(offset + LENGTH_OFFSET, NetlinkHeaderFlyweight.ORDER) & 0xFFFF;
    }

    /** The path's weight: the kernel stores weight - 1 in rtnh_hops. */
    public int weight()
    {
        return (buffer.getByte(offset + HOPS_OFFSET) & 0xFF) + 1;
    }

    public int ifindex()
    {
        return buffer.getInt(offset + IFINDEX_OFFSET, NetlinkHeaderFlyweight.ORDER);
    }
}
