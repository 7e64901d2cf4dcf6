package org.vbgw.dataplane.packet;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over an ARP packet (RFC 826) for Ethernet and IPv4, the only combination vbgw speaks.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Hardware type (1)        |    Protocol type (0x0800)     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  HLEN (6)     |   PLEN (4)    |   Operation (1 req, 2 reply)  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               Sender hardware address (48 bits)               |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               | Sender protocol address (32)  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |               Target hardware address (48 bits)               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Target protocol address (32 bits)              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * IPv4 addresses are {@code int}s in network order (10.0.0.1 is 0x0A000001). Not thread-safe.
 */
public final class ArpFlyweight
{
    public static final int HTYPE_OFFSET = 0;
    public static final int PTYPE_OFFSET = 2;
    public static final int HLEN_OFFSET = 4;
    public static final int PLEN_OFFSET = 5;
    public static final int OPERATION_OFFSET = 6;
    public static final int SENDER_MAC_OFFSET = 8;
    public static final int SENDER_IP_OFFSET = 14;
    public static final int TARGET_MAC_OFFSET = 18;
    public static final int TARGET_IP_OFFSET = 24;
    /** Length of an Ethernet/IPv4 ARP packet. */
    public static final int LENGTH = 28;

    /** Hardware type Ethernet (RFC 826 "ares_hrd$Ethernet"). */
    public static final int HTYPE_ETHERNET = 1;
    public static final int OPERATION_REQUEST = 1;
    public static final int OPERATION_REPLY = 2;

    private MutableDirectBuffer buffer;
    private int offset;

    /** Points this flyweight at an ARP packet starting at {@code offset}. */
    public ArpFlyweight wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Checks the fixed fields for Ethernet/IPv4 (RFC 826: a packet for another hardware or protocol
     * space is not ours to answer).
     *
     * @param available bytes from the ARP header to the end of the frame.
     * @return {@link PacketError#OK} or an {@code ARP_*} code.
     */
    public int validate(final int available)
    {
        if (available < LENGTH)
        {
            return PacketError.ARP_TOO_SHORT;
        }
        if (htype() != HTYPE_ETHERNET)
        {
            return PacketError.ARP_BAD_HTYPE;
        }
        if (ptype() != EthernetFlyweight.ETHER_TYPE_IPV4)
        {
            return PacketError.ARP_BAD_PTYPE;
        }
        if (hlen() != 6)
        {
            return PacketError.ARP_BAD_HLEN;
        }
        if (plen() != 4)
        {
            return PacketError.ARP_BAD_PLEN;
        }
        final int operation = operation();
        if (operation != OPERATION_REQUEST && operation != OPERATION_REPLY)
        {
            return PacketError.ARP_BAD_OPCODE;
        }
        return PacketError.OK;
    }

    /** Writes the fixed Ethernet/IPv4 fields (htype, ptype, hlen, plen) and the operation. */
    public ArpFlyweight writeFixed(final int operation)
    {
        buffer.putInt(offset + HTYPE_OFFSET, HTYPE_ETHERNET << 16 | EthernetFlyweight.ETHER_TYPE_IPV4, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + HLEN_OFFSET, 6 << 24 | 4 << 16 | operation, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int htype()
    {
        return buffer.getShort(offset + HTYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int ptype()
    {
        return buffer.getShort(offset + PTYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int hlen()
    {
        return buffer.getByte(offset + HLEN_OFFSET) & 0xFF;
    }

    public int plen()
    {
        return buffer.getByte(offset + PLEN_OFFSET) & 0xFF;
    }

    public int operation()
    {
        return buffer.getShort(offset + OPERATION_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public ArpFlyweight operation(final int operation)
    {
        buffer.putShort(offset + OPERATION_OFFSET, (short)operation, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public long senderMac()
    {
        return EthernetFlyweight.readMac(buffer, offset + SENDER_MAC_OFFSET);
    }

    public ArpFlyweight senderMac(final long mac)
    {
        EthernetFlyweight.writeMac(buffer, offset + SENDER_MAC_OFFSET, mac);
        return this;
    }

    public int senderIp()
    {
        return buffer.getInt(offset + SENDER_IP_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public ArpFlyweight senderIp(final int ip)
    {
        buffer.putInt(offset + SENDER_IP_OFFSET, ip, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public long targetMac()
    {
        return EthernetFlyweight.readMac(buffer, offset + TARGET_MAC_OFFSET);
    }

    public ArpFlyweight targetMac(final long mac)
    {
        EthernetFlyweight.writeMac(buffer, offset + TARGET_MAC_OFFSET, mac);
        return this;
    }

    public int targetIp()
    {
        return buffer.getInt(offset + TARGET_IP_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public ArpFlyweight targetIp(final int ip)
    {
        buffer.putInt(offset + TARGET_IP_OFFSET, ip, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** A gratuitous ARP (RFC 5227 §3 announcement, RFC 826 update): sender and target IP equal. */
    public boolean isGratuitous()
    {
        return senderIp() == targetIp();
    }
}
