package org.vbgw.dataplane.packet;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Builds the ICMPv6 error messages a router sends (RFC 4443 §3): time exceeded, destination
 * unreachable, packet too big with the MTU; Ethernet header and VLAN tags included, into a
 * caller-provided buffer.
 * <p>
 * The message quotes "as much of the invoking packet as possible without the ICMPv6 packet exceeding
 * the minimum IPv6 MTU" (RFC 4443 §3.1–3.3): at most 1280 − 40 − 8 = 1232 bytes. Its IPv6 header
 * has source = the given gateway address, destination = the invoking source, hop limit 64, traffic
 * class and flow label 0; the checksum includes the pseudo-header (RFC 4443 §2.3). Errors RFC 4443
 * §2.4(e) forbids (about an ICMPv6 error or a redirect, to a multicast destination except for
 * packet too big, from an unspecified or multicast source) are refused with
 * {@link PacketError#ICMP_ERROR_SUPPRESSED}; rate limiting (§2.4(f)) is the caller's.
 * <p>
 * Each method returns the frame length, or a negated {@link PacketError} code. The invoking packet
 * must have passed {@link Ipv6Flyweight#validate} and must not overlap the output range. One
 * instance per thread; allocation-free.
 */
public final class Icmpv6ErrorBuilder
{
    /** Hop limit of generated messages. */
    public static final int HOP_LIMIT = 64;
    /** Largest quote: the error must fit the IPv6 minimum MTU. */
    public static final int MAX_QUOTE_LENGTH =
        Ipv6Flyweight.MIN_MTU - Ipv6Flyweight.HEADER_LENGTH - Icmpv6Flyweight.HEADER_LENGTH;

    private final Ipv6Flyweight ip = new Ipv6Flyweight();
    private final Icmpv6Flyweight icmp = new Icmpv6Flyweight();

    /** Time exceeded, hop limit exceeded in transit (type 3 code 0). */
    public int timeExceeded(
        final MutableDirectBuffer out,
        final int offset,
        final EthernetEncap encap,
        final long dstMac,
        final long gatewayHi,
        final long gatewayLo,
        final DirectBuffer invoking,
        final int invokingIpOffset)
    {
        return build(out, offset, encap, dstMac, gatewayHi, gatewayLo, Icmpv6Flyweight.TYPE_TIME_EXCEEDED,
            Icmpv6Flyweight.CODE_HOP_LIMIT_EXCEEDED, 0, invoking, invokingIpOffset);
    }

    /**
     * Destination unreachable (type 1) with {@code code}: {@link Icmpv6Flyweight#CODE_NO_ROUTE},
     * {@link Icmpv6Flyweight#CODE_ADMIN_PROHIBITED}, {@link Icmpv6Flyweight#CODE_ADDRESS_UNREACHABLE},
     * or any other code of RFC 4443 §3.1 (0–7).
     */
    public int destinationUnreachable(
        final MutableDirectBuffer out,
        final int offset,
        final EthernetEncap encap,
        final long dstMac,
        final long gatewayHi,
        final long gatewayLo,
        final int code,
        final DirectBuffer invoking,
        final int invokingIpOffset)
    {
        if (code < 0 || code > 7)
        {
            return -PacketError.BAD_ARGUMENT;
        }
        return build(out, offset, encap, dstMac, gatewayHi, gatewayLo, Icmpv6Flyweight.TYPE_DEST_UNREACHABLE,
            code, 0, invoking, invokingIpOffset);
    }

    /** Packet too big (type 2 code 0) with the MTU of the next-hop link (RFC 4443 §3.2, RFC 8201). */
    public int packetTooBig(
        final MutableDirectBuffer out,
        final int offset,
        final EthernetEncap encap,
        final long dstMac,
        final long gatewayHi,
        final long gatewayLo,
        final int mtu,
        final DirectBuffer invoking,
        final int invokingIpOffset)
    {
        if (mtu < Ipv6Flyweight.MIN_MTU)
        {
            return -PacketError.BAD_ARGUMENT;
        }
        return build(out, offset, encap, dstMac, gatewayHi, gatewayLo, Icmpv6Flyweight.TYPE_PACKET_TOO_BIG, 0, mtu,
            invoking, invokingIpOffset);
    }

    /**
     * True when RFC 4443 §2.4(e) allows an ICMPv6 error of {@code type} about the IPv6 packet at
     * {@code ipOffset}. Only an ICMPv6 header directly after the fixed header is recognised as such.
     */
    public static boolean mayReportError(final DirectBuffer buffer, final int ipOffset, final int type)
    {
        final long srcHi = buffer.getLong(ipOffset + Ipv6Flyweight.SRC_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
        final long srcLo = buffer.getLong(ipOffset + Ipv6Flyweight.SRC_ADDRESS_OFFSET + 8, ByteOrder.BIG_ENDIAN);
        if (Ipv6Flyweight.isUnspecified(srcHi, srcLo) || Ipv6Flyweight.isMulticast(srcHi))
        {
            return false;
        }
        final long dstHi = buffer.getLong(ipOffset + Ipv6Flyweight.DST_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
        if (Ipv6Flyweight.isMulticast(dstHi) && type != Icmpv6Flyweight.TYPE_PACKET_TOO_BIG)
        {
            return false;
        }
        if ((buffer.getByte(ipOffset + Ipv6Flyweight.NEXT_HEADER_OFFSET) & 0xFF) == Ipv6Flyweight.NEXT_HEADER_ICMPV6 &&
            (buffer.getShort(ipOffset + Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF) > 0)
        {
            final int icmpType = buffer.getByte(ipOffset + Ipv6Flyweight.HEADER_LENGTH) & 0xFF;
            return !Icmpv6Flyweight.isError(icmpType) && icmpType != Icmpv6Flyweight.TYPE_REDIRECT;
        }
        return true;
    }

    private int build(
        final MutableDirectBuffer out,
        final int offset,
        final EthernetEncap encap,
        final long dstMac,
        final long gatewayHi,
        final long gatewayLo,
        final int type,
        final int code,
        final int word,
        final DirectBuffer invoking,
        final int invokingIpOffset)
    {
        if (!mayReportError(invoking, invokingIpOffset, type))
        {
            return -PacketError.ICMP_ERROR_SUPPRESSED;
        }
        final int invokingLength = Ipv6Flyweight.HEADER_LENGTH +
            (invoking.getShort(invokingIpOffset + Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF);
        final int quoteLength = Math.min(invokingLength, MAX_QUOTE_LENGTH);
        final int icmpLength = Icmpv6Flyweight.HEADER_LENGTH + quoteLength;
        final int l2Length = encap.headerLength();
        if (offset < 0 || offset + l2Length + Ipv6Flyweight.HEADER_LENGTH + icmpLength > out.capacity())
        {
            return -PacketError.BUFFER_TOO_SMALL;
        }
        final long invokingSrcHi =
            invoking.getLong(invokingIpOffset + Ipv6Flyweight.SRC_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
        final long invokingSrcLo =
            invoking.getLong(invokingIpOffset + Ipv6Flyweight.SRC_ADDRESS_OFFSET + 8, ByteOrder.BIG_ENDIAN);

        encap.write(out, offset, dstMac, EthernetFlyweight.ETHER_TYPE_IPV6);
        final int ipOffset = offset + l2Length;
        final int icmpOffset = ipOffset + Ipv6Flyweight.HEADER_LENGTH;
        ip.wrap(out, ipOffset)
            .versionClassFlow(0, 0)
            .payloadLength(icmpLength)
            .nextHeader(Ipv6Flyweight.NEXT_HEADER_ICMPV6)
            .hopLimit(HOP_LIMIT)
            .srcAddress(gatewayHi, gatewayLo)
            .dstAddress(invokingSrcHi, invokingSrcLo);
        out.putBytes(icmpOffset + Icmpv6Flyweight.HEADER_LENGTH, invoking, invokingIpOffset, quoteLength);
        icmp.wrap(out, icmpOffset)
            .type(type)
            .code(code)
            .mtu(word)
            .updateChecksum(ipOffset, icmpLength);
        return l2Length + Ipv6Flyweight.HEADER_LENGTH + icmpLength;
    }
}
