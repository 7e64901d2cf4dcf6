package org.vbgw.dataplane.packet;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Builds the ICMP (v4) error messages a router sends (RFC 792, RFC 1812 §4.3): time exceeded,
 * destination unreachable, fragmentation needed with next-hop MTU (RFC 1191 §4), Ethernet header and
 * VLAN tags included, into a caller-provided buffer.
 * <p>
 * The message quotes the invoking packet's IP header plus the first 8 bytes of its payload, as
 * RFC 792 requires (enough for the sender to find the transport ports). Its IP header is written
 * with source = the given gateway address, destination = the invoking source, TTL 64, precedence 6
 * (TOS 0xC0, RFC 1812 §4.3.2.5: "internetwork control") and an identification from a per-builder
 * counter. Errors that RFC 1122 §3.2.2 / RFC 1812 §4.3.2.7 forbid (about an ICMP error, a
 * non-initial fragment, a multicast or limited-broadcast destination, or a source that names no
 * single host) are refused with {@link PacketError#ICMP_ERROR_SUPPRESSED}; rate limiting is the
 * caller's.
 * <p>
 * Each method returns the frame length, or a negated {@link PacketError} code. The invoking packet
 * must have passed {@link Ipv4Flyweight#validate} and must not overlap the output range. One
 * instance per thread; allocation-free.
 */
public final class IcmpErrorBuilder
{
    /** TTL of generated messages (the IANA-recommended default, RFC 1700 / Linux's default). */
    public static final int TTL = 64;
    /** TOS of generated messages: precedence 6, internetwork control (RFC 1812 §4.3.2.5). */
    public static final int TOS = 0xC0;
    /** Bytes of the invoking payload quoted after its header (RFC 792). */
    public static final int QUOTED_PAYLOAD_LENGTH = 8;

    private final Ipv4Flyweight ip = new Ipv4Flyweight();
    private final IcmpFlyweight icmp = new IcmpFlyweight();
    private int nextIdentification;

    /** Time exceeded, TTL exceeded in transit (type 11 code 0): the invoking TTL reached 0. */
    public int timeExceeded(
        final MutableDirectBuffer out,
        final int offset,
        final EthernetEncap encap,
        final long dstMac,
        final int gatewayIp,
        final DirectBuffer invoking,
        final int invokingIpOffset)
    {
        return build(out, offset, encap, dstMac, gatewayIp, IcmpFlyweight.TYPE_TIME_EXCEEDED,
            IcmpFlyweight.CODE_TTL_EXCEEDED, 0, invoking, invokingIpOffset);
    }

    /**
     * Destination unreachable (type 3) with {@code code}: {@link IcmpFlyweight#CODE_NET_UNREACHABLE},
     * {@link IcmpFlyweight#CODE_HOST_UNREACHABLE}, {@link IcmpFlyweight#CODE_ADMIN_PROHIBITED} and the
     * other codes of RFC 792 / RFC 1812 §5.2.7.1 except 4, which needs an MTU (see
     * {@link #fragmentationNeeded}).
     */
    public int destinationUnreachable(
        final MutableDirectBuffer out,
        final int offset,
        final EthernetEncap encap,
        final long dstMac,
        final int gatewayIp,
        final int code,
        final DirectBuffer invoking,
        final int invokingIpOffset)
    {
        if (code < 0 || code > 15 || code == IcmpFlyweight.CODE_FRAGMENTATION_NEEDED)
        {
            return -PacketError.BAD_ARGUMENT;
        }
        return build(out, offset, encap, dstMac, gatewayIp, IcmpFlyweight.TYPE_DEST_UNREACHABLE, code, 0,
            invoking, invokingIpOffset);
    }

    /**
     * Destination unreachable, fragmentation needed and DF set (type 3 code 4), carrying the MTU of
     * the next hop in the low 16 bits of the rest-of-header word (RFC 1191 §4), for path MTU discovery.
     */
    public int fragmentationNeeded(
        final MutableDirectBuffer out,
        final int offset,
        final EthernetEncap encap,
        final long dstMac,
        final int gatewayIp,
        final int nextHopMtu,
        final DirectBuffer invoking,
        final int invokingIpOffset)
    {
        if (nextHopMtu < 68 || nextHopMtu > 0xFFFF)
        {
            return -PacketError.BAD_ARGUMENT;
        }
        return build(out, offset, encap, dstMac, gatewayIp, IcmpFlyweight.TYPE_DEST_UNREACHABLE,
            IcmpFlyweight.CODE_FRAGMENTATION_NEEDED, nextHopMtu, invoking, invokingIpOffset);
    }

    /**
     * True when RFC 1122 §3.2.2 and RFC 1812 §4.3.2.7 allow an ICMP error about the IPv4 packet at
     * {@code ipOffset}.
     */
    public static boolean mayReportError(final DirectBuffer buffer, final int ipOffset)
    {
        final int flagsOffset = buffer.getShort(ipOffset + Ipv4Flyweight.FLAGS_FRAGMENT_OFFSET, ByteOrder.BIG_ENDIAN);
        if ((flagsOffset & Ipv4Flyweight.FRAGMENT_OFFSET_MASK) != 0)
        {
            return false;
        }
        final int src = buffer.getInt(ipOffset + Ipv4Flyweight.SRC_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
        final int dst = buffer.getInt(ipOffset + Ipv4Flyweight.DST_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
        if (dst == -1 || Ipv4Flyweight.isMulticast(dst))
        {
            return false;
        }
        // A source of 0.0.0.0, 127/8, multicast, class E or broadcast names no host to tell.
        final int firstOctet = src >>> 24;
        if (src == 0 || firstOctet == 127 || firstOctet >= 224)
        {
            return false;
        }
        if ((buffer.getByte(ipOffset + Ipv4Flyweight.PROTOCOL_OFFSET) & 0xFF) == Ipv4Flyweight.PROTOCOL_ICMP)
        {
            final int headerLength = (buffer.getByte(ipOffset) & 0x0F) << 2;
            final int totalLength = buffer.getShort(ipOffset + Ipv4Flyweight.TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) &
                0xFFFF;
            return totalLength <= headerLength || !IcmpFlyweight.isError(buffer.getByte(ipOffset + headerLength) & 0xFF);
        }
        return true;
    }

    private int build(
        final MutableDirectBuffer out,
        final int offset,
        final EthernetEncap encap,
        final long dstMac,
        final int gatewayIp,
        final int type,
        final int code,
        final int restOfHeader,
        final DirectBuffer invoking,
        final int invokingIpOffset)
    {
        if (!mayReportError(invoking, invokingIpOffset))
        {
            return -PacketError.ICMP_ERROR_SUPPRESSED;
        }
        final int invokingHeaderLength = (invoking.getByte(invokingIpOffset) & 0x0F) << 2;
        final int invokingTotalLength =
            invoking.getShort(invokingIpOffset + Ipv4Flyweight.TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int quoteLength = Math.min(invokingHeaderLength + QUOTED_PAYLOAD_LENGTH, invokingTotalLength);
        final int icmpLength = IcmpFlyweight.HEADER_LENGTH + quoteLength;
        final int ipLength = Ipv4Flyweight.MIN_HEADER_LENGTH + icmpLength;
        final int l2Length = encap.headerLength();
        if (offset < 0 || offset + l2Length + ipLength > out.capacity())
        {
            return -PacketError.BUFFER_TOO_SMALL;
        }

        final int invokingSrc = invoking.getInt(invokingIpOffset + Ipv4Flyweight.SRC_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
        encap.write(out, offset, dstMac, EthernetFlyweight.ETHER_TYPE_IPV4);
        final int ipOffset = offset + l2Length;
        final int icmpOffset = ipOffset + Ipv4Flyweight.MIN_HEADER_LENGTH;
        out.putBytes(icmpOffset + IcmpFlyweight.HEADER_LENGTH, invoking, invokingIpOffset, quoteLength);

        icmp.wrap(out, icmpOffset)
            .type(type)
            .code(code)
            .restOfHeader(restOfHeader)
            .updateChecksum(icmpLength);

        ip.wrap(out, ipOffset)
            .versionAndHeaderLength(Ipv4Flyweight.MIN_HEADER_LENGTH)
            .tos(TOS)
            .totalLength(ipLength)
            .identification(nextIdentification++ & 0xFFFF)
            .flagsAndFragmentOffset(0)
            .ttl(TTL)
            .protocol(Ipv4Flyweight.PROTOCOL_ICMP)
            .srcAddress(gatewayIp)
            .dstAddress(invokingSrc)
            .updateChecksum();
        return l2Length + ipLength;
    }
}
