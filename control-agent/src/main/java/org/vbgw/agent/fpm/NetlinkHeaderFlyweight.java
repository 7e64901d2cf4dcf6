package org.vbgw.agent.fpm;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * A netlink message header ({@code struct nlmsghdr}, linux/netlink.h), in host byte order.
 * <pre>
 *   0                   16                  31
 *  +---------------------------------------+
 *  | nlmsg_len (bytes, header included)    |
 *  +-------------------+-------------------+
 *  | nlmsg_type        | nlmsg_flags       |
 *  +-------------------+-------------------+
 *  | nlmsg_seq                             |
 *  +---------------------------------------+
 *  | nlmsg_pid                             |
 *  +---------------------------------------+
 * </pre>
 * Messages are padded to 4 bytes ({@link #align}). Read-only, no allocation.
 */
public final class NetlinkHeaderFlyweight
{
    public static final int LENGTH_OFFSET = 0;
    public static final int TYPE_OFFSET = 4;
    public static final int FLAGS_OFFSET = 6;
    public static final int SEQ_OFFSET = 8;
    public static final int PID_OFFSET = 12;
    public static final int HEADER_LENGTH = 16;

    /** Netlink speaks the kernel's byte order; zebra and vbgw run on the same host. */
    static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private DirectBuffer buffer;
    private int offset;

    public NetlinkHeaderFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** Message length in bytes, header included, before padding. Unsigned 32 bits; negative means huge. */
    public int length()
    {
        return buffer.getInt(offset + LENGTH_OFFSET, ORDER);
    }

    public int type()
    {
        return buffer.getShort(offset + TYPE_OFFSET, ORDER) & 0xFFFF;
    }

    public int flags()
    {
        return buffer.getShort(offset + FLAGS_OFFSET, ORDER) & 0xFFFF;
    }

    /** NLMSG_ALIGN: netlink messages and attributes start on 4-byte boundaries. */
    public static int align(final int length)
    {
        return (length + 3) & ~3;
    }
}
