package org.vbgw.dataplane.packet;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over an Ethernet II header (IEEE 802.3 clause 3.2, "DIX" framing without preamble and
 * FCS, as AF_PACKET and TAP deliver it).
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   Destination MAC (48 bits)                   |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                     Source MAC (48 bits)                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           EtherType           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * MAC addresses are carried as {@code long}s holding the 48 bits in network order in the low six
 * bytes ({@code 0x0000_0200_0000_0001L} is 02:00:00:00:00:01), so that the hot path never allocates a
 * byte array. Not thread-safe: one instance per thread; all fields network byte order.
 */
public final class EthernetFlyweight
{
    /** Offset of the destination MAC. */
    public static final int DST_MAC_OFFSET = 0;
    /** Offset of the source MAC. */
    public static final int SRC_MAC_OFFSET = 6;
    /** Offset of the EtherType, or of the first VLAN tag's TPID in a tagged frame. */
    public static final int ETHER_TYPE_OFFSET = 12;
    /** Length of an untagged header. */
    public static final int HEADER_LENGTH = 14;
    /** Length of the two MAC addresses, the part that moves when a tag is pushed or popped. */
    public static final int MAC_ADDRESSES_LENGTH = 12;
    /** Smallest frame without FCS that IEEE 802.3 lets a station send (64 bytes minus 4 of FCS). */
    public static final int MIN_FRAME_LENGTH = 60;

    /** EtherType of IPv4 (RFC 894). */
    public static final int ETHER_TYPE_IPV4 = 0x0800;
    /** EtherType of ARP (RFC 826). */
    public static final int ETHER_TYPE_ARP = 0x0806;
    /** EtherType of IPv6 (RFC 2464). */
    public static final int ETHER_TYPE_IPV6 = 0x86DD;
    /** TPID of an IEEE 802.1Q customer tag (C-tag). */
    public static final int ETHER_TYPE_VLAN = 0x8100;
    /** TPID of an IEEE 802.1ad service tag (S-tag), the outer tag of QinQ. */
    public static final int ETHER_TYPE_QINQ = 0x88A8;
    /** EtherTypes below this are IEEE 802.3 length fields, not types. */
    public static final int ETHER_TYPE_MIN = 0x0600;

    /** ff:ff:ff:ff:ff:ff. */
    public static final long BROADCAST_MAC = 0xFFFF_FFFF_FFFFL;

    private MutableDirectBuffer buffer;
    private int offset;

    /** Points this flyweight at a header starting at {@code offset}. */
    public EthernetFlyweight wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** Offset of the header in the buffer. */
    public int offset()
    {
        return offset;
    }

    public long dstMac()
    {
        return readMac(buffer, offset + DST_MAC_OFFSET);
    }

    public EthernetFlyweight dstMac(final long mac)
    {
        writeMac(buffer, offset + DST_MAC_OFFSET, mac);
        return this;
    }

    public long srcMac()
    {
        return readMac(buffer, offset + SRC_MAC_OFFSET);
    }

    public EthernetFlyweight srcMac(final long mac)
    {
        writeMac(buffer, offset + SRC_MAC_OFFSET, mac);
        return this;
    }

    /** EtherType of an untagged frame, or the outer TPID of a tagged one. */
    public int etherType()
    {
        return buffer.getShort(offset + ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public EthernetFlyweight etherType(final int etherType)
    {
        buffer.putShort(offset + ETHER_TYPE_OFFSET, (short)etherType, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Reads a MAC address (six bytes, network order) into the low 48 bits of a long. */
    public static long readMac(final DirectBuffer buffer, final int index)
    {
        return (buffer.getInt(index, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL) << 16
            | (buffer.getShort(index + 4, ByteOrder.BIG_ENDIAN) & 0xFFFFL);
    }

    /** Writes the low 48 bits of {@code mac} as six bytes in network order. */
    public static void writeMac(final MutableDirectBuffer buffer, final int index, final long mac)
    {
        buffer.putInt(index, (int)(mac >>> 16), ByteOrder.BIG_ENDIAN);
        buffer.putShort(index + 4, (short)mac, ByteOrder.BIG_ENDIAN);
    }

    /** True for group addresses (multicast and broadcast): the I/G bit, the lowest bit of the first byte. */
    public static boolean isMulticast(final long mac)
    {
        return (mac & 0x0100_0000_0000L) != 0;
    }
}
