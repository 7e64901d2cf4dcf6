package org.vbgw.dataplane.packet;

import org.agrona.MutableDirectBuffer;

/**
 * Builds IPv6 Neighbor Solicitations and Advertisements (RFC 4861 §4.3, §4.4, §7.2), Ethernet header
 * and VLAN tags included, into a caller-provided buffer.
 * <p>
 * Address resolution sends the solicitation to the target's solicited-node multicast address
 * ff02::1:ffXX:XXXX (the low 24 bits of the target, RFC 4291 §2.7.1), whose Ethernet address is
 * 33:33 followed by the low 32 bits of that group, i.e. 33:33:ff:XX:XX:XX (RFC 2464 §7). Neighbor
 * unreachability detection sends it unicast to the cached MAC instead (RFC 4861 §7.3.1). Every ND
 * message goes out with hop limit 255 (§7.1.1) and a link-layer address option.
 * <p>
 * Each method returns the frame length, or a negated {@link PacketError} code. One instance per
 * thread; allocation-free.
 */
public final class NdpPacketBuilder
{
    /** High 64 bits of ff02::1:ff00:0/104 and of ff02::1 (all-nodes). */
    public static final long LINK_LOCAL_MULTICAST_HI = 0xFF02_0000_0000_0000L;
    /** Low 64 bits of the solicited-node prefix ff02::1:ff00:0/104. */
    public static final long SOLICITED_NODE_LO_PREFIX = 0x0000_0001_FF00_0000L;
    /** Low 64 bits of ff02::1, all-nodes (RFC 4291 §2.7.1). */
    public static final long ALL_NODES_LO = 1L;
    /** Ethernet prefix of IPv6 multicast, 33:33:00:00:00:00 (RFC 2464 §7). */
    public static final long IPV6_MULTICAST_MAC_PREFIX = 0x3333_0000_0000L;

    private static final int ICMP_LENGTH = NdpFlyweight.MIN_LENGTH + NdpFlyweight.LINK_LAYER_OPTION_LENGTH;

    private final Ipv6Flyweight ip = new Ipv6Flyweight();
    private final Icmpv6Flyweight icmp = new Icmpv6Flyweight();
    private final NdpFlyweight ndp = new NdpFlyweight();

    /** Low 64 bits of the solicited-node multicast address of a target whose low bits are {@code targetLo}. */
    public static long solicitedNodeLo(final long targetLo)
    {
        return SOLICITED_NODE_LO_PREFIX | (targetLo & 0xFF_FFFFL);
    }

    /** Ethernet address of the IPv6 multicast group whose low 64 bits are {@code groupLo} (RFC 2464 §7). */
    public static long multicastMac(final long groupLo)
    {
        return IPV6_MULTICAST_MAC_PREFIX | (groupLo & 0xFFFF_FFFFL);
    }

    /**
     * A multicast solicitation for {@code target} from {@code src} (an address of the egress
     * interface), with a source link-layer address option of {@code encap.srcMac}.
     */
    public int solicitation(
        final MutableDirectBuffer out,
        final int offset,
        final EthernetEncap encap,
        final long srcHi,
        final long srcLo,
        final long targetHi,
        final long targetLo)
    {
        final long groupLo = solicitedNodeLo(targetLo);
        return build(out, offset, encap, multicastMac(groupLo), srcHi, srcLo, LINK_LOCAL_MULTICAST_HI, groupLo,
            Icmpv6Flyweight.TYPE_NEIGHBOR_SOLICITATION, 0, targetHi, targetLo,
            NdpFlyweight.OPTION_SOURCE_LINK_LAYER_ADDRESS);
    }

    /** A unicast solicitation to {@code targetMac}, for neighbour unreachability detection (RFC 4861 §7.3.1). */
    public int unicastSolicitation(
        final MutableDirectBuffer out,
        final int offset,
        final EthernetEncap encap,
        final long targetMac,
        final long srcHi,
        final long srcLo,
        final long targetHi,
        final long targetLo)
    {
        return build(out, offset, encap, targetMac, srcHi, srcLo, targetHi, targetLo,
            Icmpv6Flyweight.TYPE_NEIGHBOR_SOLICITATION, 0, targetHi, targetLo,
            NdpFlyweight.OPTION_SOURCE_LINK_LAYER_ADDRESS);
    }

    /**
     * An advertisement that {@code target} (an address of ours, also the source) is at
     * {@code encap.srcMac}, with a target link-layer address option. Answering a solicitation, pass
     * its source as {@code dst} and its source link-layer option as {@code dstMac}, with
     * {@link NdpFlyweight#FLAG_SOLICITED}; a solicitation from the unspecified address (duplicate
     * address detection) is answered to all-nodes with S clear (RFC 4861 §7.2.4), which this method
     * does by itself when {@code dst} is ::.
     *
     * @param flags {@link NdpFlyweight#FLAG_ROUTER}, {@link NdpFlyweight#FLAG_SOLICITED},
     *              {@link NdpFlyweight#FLAG_OVERRIDE}, or'ed.
     */
    public int advertisement(
        final MutableDirectBuffer out,
        final int offset,
        final EthernetEncap encap,
        final long dstMac,
        final long dstHi,
        final long dstLo,
        final long targetHi,
        final long targetLo,
        final int flags)
    {
        if (Ipv6Flyweight.isUnspecified(dstHi, dstLo))
        {
            return build(out, offset, encap, multicastMac(ALL_NODES_LO), targetHi, targetLo, LINK_LOCAL_MULTICAST_HI,
                ALL_NODES_LO, Icmpv6Flyweight.TYPE_NEIGHBOR_ADVERTISEMENT, flags & ~NdpFlyweight.FLAG_SOLICITED,
                targetHi, targetLo, NdpFlyweight.OPTION_TARGET_LINK_LAYER_ADDRESS);
        }
        return build(out, offset, encap, dstMac, targetHi, targetLo, dstHi, dstLo,
            Icmpv6Flyweight.TYPE_NEIGHBOR_ADVERTISEMENT, flags, targetHi, targetLo,
            NdpFlyweight.OPTION_TARGET_LINK_LAYER_ADDRESS);
    }

    private int build(
        final MutableDirectBuffer out,
        final int offset,
        final EthernetEncap encap,
        final long dstMac,
        final long srcHi,
        final long srcLo,
        final long dstHi,
        final long dstLo,
        final int type,
        final int flags,
        final long targetHi,
        final long targetLo,
        final int optionType)
    {
        final int l2Length = encap.headerLength();
        if (offset < 0 || offset + l2Length + Ipv6Flyweight.HEADER_LENGTH + ICMP_LENGTH > out.capacity())
        {
            return -PacketError.BUFFER_TOO_SMALL;
        }
        encap.write(out, offset, dstMac, EthernetFlyweight.ETHER_TYPE_IPV6);
        final int ipOffset = offset + l2Length;
        final int icmpOffset = ipOffset + Ipv6Flyweight.HEADER_LENGTH;
        ip.wrap(out, ipOffset)
            .versionClassFlow(0, 0)
            .payloadLength(ICMP_LENGTH)
            .nextHeader(Ipv6Flyweight.NEXT_HEADER_ICMPV6)
            .hopLimit(NdpFlyweight.HOP_LIMIT)
            .srcAddress(srcHi, srcLo)
            .dstAddress(dstHi, dstLo);
        icmp.wrap(out, icmpOffset).type(type).code(0);
        ndp.wrap(out, icmpOffset)
            .flags(flags)
            .targetAddress(targetHi, targetLo)
            .putLinkLayerAddressOption(NdpFlyweight.OPTIONS_OFFSET, optionType, encap.srcMac);
        icmp.updateChecksum(ipOffset, ICMP_LENGTH);
        return l2Length + Ipv6Flyweight.HEADER_LENGTH + ICMP_LENGTH;
    }
}
