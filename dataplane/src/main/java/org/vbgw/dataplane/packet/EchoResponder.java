package org.vbgw.dataplane.packet;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * Turns an ICMP or ICMPv6 echo request addressed to the gateway into its echo reply in place: swaps
 * the MACs and the IP addresses, changes the type, resets TTL / hop limit, and patches the
 * checksums incrementally (RFC 1624 eqn. 3) instead of summing the whole payload again.
 * <p>
 * Swapping source and destination changes neither the IPv4 header checksum nor the ICMPv6
 * pseudo-header sum (addition is commutative), so only the type word and, for IPv4, the TTL word
 * need an update. The VLAN tags stay: the reply leaves on the VIF the request came in on. The
 * request must have been validated (lengths, checksums). Each method returns
 * {@link PacketError#OK} or a negated code; the frame length does not change. Stateless,
 * allocation-free, any thread.
 */
public final class EchoResponder
{
    /** TTL / hop limit of replies. */
    public static final int TTL = 64;

    private EchoResponder()
    {
    }

    /**
     * Replies to the ICMP echo request in the IPv4 packet at {@code ipOffset} of the frame at
     * {@code frameOffset}.
     */
    public static int replyIpv4(final MutableDirectBuffer buffer, final int frameOffset, final int ipOffset)
    {
        final int headerLength = (buffer.getByte(ipOffset) & 0x0F) << 2;
        final int icmpOffset = ipOffset + headerLength;
        if ((buffer.getByte(ipOffset + Ipv4Flyweight.PROTOCOL_OFFSET) & 0xFF) != Ipv4Flyweight.PROTOCOL_ICMP ||
            (buffer.getByte(icmpOffset) & 0xFF) != IcmpFlyweight.TYPE_ECHO_REQUEST)
        {
            return -PacketError.BAD_ARGUMENT;
        }
        final int src = buffer.getInt(ipOffset + Ipv4Flyweight.SRC_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
        final int dst = buffer.getInt(ipOffset + Ipv4Flyweight.DST_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
        if (dst == -1 || Ipv4Flyweight.isMulticast(dst))
        {
            return -PacketError.ECHO_TO_MULTICAST;
        }
        swapMacs(buffer, frameOffset);
        buffer.putInt(ipOffset + Ipv4Flyweight.SRC_ADDRESS_OFFSET, dst, ByteOrder.BIG_ENDIAN);
        buffer.putInt(ipOffset + Ipv4Flyweight.DST_ADDRESS_OFFSET, src, ByteOrder.BIG_ENDIAN);
        patchWord(buffer, ipOffset + Ipv4Flyweight.TTL_OFFSET, ipOffset + Ipv4Flyweight.CHECKSUM_OFFSET, 0xFF00, TTL << 8);
        patchWord(buffer, icmpOffset, icmpOffset + IcmpFlyweight.CHECKSUM_OFFSET, 0xFF00,
            IcmpFlyweight.TYPE_ECHO_REPLY << 8);
        return PacketError.OK;
    }

    /**
     * Replies to the ICMPv6 echo request carried directly (no extension header) in the IPv6 packet
     * at {@code ipOffset} of the frame at {@code frameOffset}. A request to a multicast group is
     * refused: its reply must come from a unicast address (RFC 4443 §4.2), which in-place swapping
     * cannot give.
     */
    public static int replyIpv6(final MutableDirectBuffer buffer, final int frameOffset, final int ipOffset)
    {
        final int icmpOffset = ipOffset + Ipv6Flyweight.HEADER_LENGTH;
        if ((buffer.getByte(ipOffset + Ipv6Flyweight.NEXT_HEADER_OFFSET) & 0xFF) != Ipv6Flyweight.NEXT_HEADER_ICMPV6 ||
            (buffer.getByte(icmpOffset) & 0xFF) != Icmpv6Flyweight.TYPE_ECHO_REQUEST)
        {
            return -PacketError.BAD_ARGUMENT;
        }
        final int srcIndex = ipOffset + Ipv6Flyweight.SRC_ADDRESS_OFFSET;
        final int dstIndex = ipOffset + Ipv6Flyweight.DST_ADDRESS_OFFSET;
        final long srcHi = buffer.getLong(srcIndex, ByteOrder.BIG_ENDIAN);
        final long srcLo = buffer.getLong(srcIndex + 8, ByteOrder.BIG_ENDIAN);
        final long dstHi = buffer.getLong(dstIndex, ByteOrder.BIG_ENDIAN);
        final long dstLo = buffer.getLong(dstIndex + 8, ByteOrder.BIG_ENDIAN);
        if (Ipv6Flyweight.isMulticast(dstHi))
        {
            return -PacketError.ECHO_TO_MULTICAST;
        }
        swapMacs(buffer, frameOffset);
        buffer.putLong(srcIndex, dstHi, ByteOrder.BIG_ENDIAN);
        buffer.putLong(srcIndex + 8, dstLo, ByteOrder.BIG_ENDIAN);
        buffer.putLong(dstIndex, srcHi, ByteOrder.BIG_ENDIAN);
        buffer.putLong(dstIndex + 8, srcLo, ByteOrder.BIG_ENDIAN);
        buffer.putByte(ipOffset + Ipv6Flyweight.HOP_LIMIT_OFFSET, (byte)TTL);
        patchWord(buffer, icmpOffset, icmpOffset + Icmpv6Flyweight.CHECKSUM_OFFSET, 0xFF00,
            Icmpv6Flyweight.TYPE_ECHO_REPLY << 8);
        return PacketError.OK;
    }

    private static void swapMacs(final MutableDirectBuffer buffer, final int frameOffset)
    {
        final long dst = EthernetFlyweight.readMac(buffer, frameOffset + EthernetFlyweight.DST_MAC_OFFSET);
        final long src = EthernetFlyweight.readMac(buffer, frameOffset + EthernetFlyweight.SRC_MAC_OFFSET);
        EthernetFlyweight.writeMac(buffer, frameOffset + EthernetFlyweight.DST_MAC_OFFSET, src);
        EthernetFlyweight.writeMac(buffer, frameOffset + EthernetFlyweight.SRC_MAC_OFFSET, dst);
    }

    /** Replaces the {@code mask} bits of the 16-bit word at {@code wordIndex} and patches the checksum. */
    private static void patchWord(
        final MutableDirectBuffer buffer, final int wordIndex, final int checksumIndex, final int mask, final int bits)
    {
        final int oldWord = buffer.getShort(wordIndex, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int newWord = (oldWord & ~mask) | (bits & mask);
        buffer.putShort(wordIndex, (short)newWord, ByteOrder.BIG_ENDIAN);
        final int checksum = buffer.getShort(checksumIndex, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        buffer.putShort(checksumIndex, (short)InternetChecksum.update16(checksum, oldWord, newWord), ByteOrder.BIG_ENDIAN);
    }
}
