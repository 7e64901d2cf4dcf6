package org.vbgw.dataplane.liveness;

import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.dataplane.neighbour.NeighbourState;
import org.vbgw.dataplane.neighbour.NeighbourTable;
import org.vbgw.dataplane.packet.EthernetEncap;
import org.vbgw.dataplane.packet.EthernetFlyweight;
import org.vbgw.dataplane.packet.InternetChecksum;
import org.vbgw.dataplane.packet.Ipv4Flyweight;
import org.vbgw.dataplane.packet.Ipv6Flyweight;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.dataplane.vif.VifTable;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.Port;

import java.nio.ByteOrder;

/**
 * Sends the data plane's own IP packets (BFD, health probes) out of a VIF: tags of the VIF, the link-layer
 * address of the neighbour the packet goes through (resolved by the {@link NeighbourTable}, which is asked to
 * resolve it when it is not known yet), an IPv4 or IPv6 header. The caller writes the upper layer between
 * {@link #begin} and {@link #send}. Control thread only; one reused buffer, no allocation per packet.
 */
public final class LocalSender
{
    /** {@link #begin}: the neighbour is not resolved yet (resolution has been started). */
    public static final int NO_NEIGHBOUR = -1;
    /** {@link #begin}: the VIF is gone, administratively down, or has no address of the family. */
    public static final int NO_VIF = -2;

    private final VifTable vifs;
    private final NeighbourTable neighbours;
    private final Port[] ports;
    private final EthernetEncap encap = new EthernetEncap();
    private final Ipv4Flyweight ip4 = new Ipv4Flyweight();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
    private final Ipv6Flyweight ip6 = new Ipv6Flyweight();
    private int portIndex;
    private int ipOffset;
    private boolean ipv6;
    private int protocol;
    private IpPrefix src;
    private IpPrefix dst;
    private short identification;

    public LocalSender(final VifTable vifs, final NeighbourTable neighbours, final Port[] ports)
    {
        this.vifs = vifs;
        this.neighbours = neighbours;
        this.ports = ports;
    }

    /** The buffer the upper layer is written into. */
    public UnsafeBuffer buffer()
    {
        return frame;
    }

    /**
     * Writes the link and IP headers of a packet from {@code src} to {@code dst} through neighbour {@code via}.
     *
     * @return the offset of the upper layer, or {@link #NO_NEIGHBOUR} / {@link #NO_VIF}.
     */
    public int begin(final int vifId, final IpPrefix via, final IpPrefix src, final IpPrefix dst, final int protocol,
        final int ttl, final int trafficClass, final long nowNs)
    {
        final Vif vif = vifs.snapshot().vif(vifId);
        if (vif == null || !vif.adminUp())
        {
            return NO_VIF;
        }
        final int entry = neighbours.find(vifId, via.ipv6(), via.hi(), via.lo());
        if (entry == NeighbourTable.NO_ENTRY || neighbours.state(entry) == NeighbourState.INCOMPLETE ||
            neighbours.state(entry) == NeighbourState.FAILED)
        {
            if (entry == NeighbourTable.NO_ENTRY)
            {
                neighbours.resolve(vifId, via.ipv6(), via.hi(), via.lo(), nowNs);
            }
            return NO_NEIGHBOUR;
        }
        encap.set(vif.mac(), vif.outerVlan(), vif.innerVlan());
        encap.qinqOuterTpid = vif.outerTpid() == 0 ? EthernetFlyweight.ETHER_TYPE_QINQ : vif.outerTpid();
        this.portIndex = vif.portIndex();
        this.ipv6 = dst.ipv6();
        this.protocol = protocol;
        this.src = src;
        this.dst = dst;
        ipOffset = encap.write(frame, 0, neighbours.mac(entry),
            ipv6 ? EthernetFlyweight.ETHER_TYPE_IPV6 : EthernetFlyweight.ETHER_TYPE_IPV4);
        if (ipv6)
        {
            ip6.wrap(frame, ipOffset).versionClassFlow(trafficClass, 0).nextHeader(protocol).hopLimit(ttl)
                .srcAddress(src.hi(), src.lo());
            frame.putLong(ipOffset + Ipv6Flyweight.DST_ADDRESS_OFFSET, dst.hi(), ByteOrder.BIG_ENDIAN);
            frame.putLong(ipOffset + Ipv6Flyweight.DST_ADDRESS_OFFSET + 8, dst.lo(), ByteOrder.BIG_ENDIAN);
            return ipOffset + Ipv6Flyweight.HEADER_LENGTH;
        }
        ip4.wrap(frame, ipOffset).versionAndHeaderLength(Ipv4Flyweight.MIN_HEADER_LENGTH).tos(trafficClass)
            .identification(identification++).flagsAndFragmentOffset(Ipv4Flyweight.FLAG_DF).ttl(ttl)
            .protocol(protocol).srcAddress(src.ipv4Address()).dstAddress(dst.ipv4Address());
        return ipOffset + Ipv4Flyweight.MIN_HEADER_LENGTH;
    }

    /**
     * Completes the IP header for {@code l4Length} bytes of upper layer and sends the frame.
     *
     * @param l4ChecksumOffset where the upper layer's checksum goes (with the pseudo-header for UDP and
     *                         ICMPv6), or -1 when the caller computed it.
     */
    public boolean send(final int l4Length, final int l4ChecksumOffset)
    {
        final int l4 = ipOffset + (ipv6 ? Ipv6Flyweight.HEADER_LENGTH : Ipv4Flyweight.MIN_HEADER_LENGTH);
        if (ipv6)
        {
            ip6.payloadLength(l4Length);
        }
        else
        {
            ip4.totalLength(Ipv4Flyweight.MIN_HEADER_LENGTH + l4Length).checksum(0).updateChecksum();
        }
        if (l4ChecksumOffset >= 0)
        {
            frame.putShort(l4ChecksumOffset, (short)0);
            // ICMPv4 is the one upper layer here without a pseudo-header (RFC 792).
            final long pseudo = ipv6 ? InternetChecksum.ipv6PseudoHeader(frame, ipOffset, protocol, l4Length)
                : protocol == Ipv4Flyweight.PROTOCOL_ICMP ? 0
                : InternetChecksum.ipv4PseudoHeader(src.ipv4Address(), dst.ipv4Address(), protocol, l4Length);
            int sum = InternetChecksum.finish(pseudo + InternetChecksum.partial(frame, l4, l4Length));
            if (sum == 0 && protocol == Ipv4Flyweight.PROTOCOL_UDP)
            {
                sum = 0xFFFF; // RFC 768: a computed zero is sent as all ones.
            }
            frame.putShort(l4ChecksumOffset, (short)sum, ByteOrder.BIG_ENDIAN);
        }
        final Port port = ports[portIndex];
        final boolean sent = port.send(frame, 0, l4 + l4Length);
        port.flush();
        return sent;
    }
}
