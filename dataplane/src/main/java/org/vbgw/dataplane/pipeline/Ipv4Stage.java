package org.vbgw.dataplane.pipeline;

import org.agrona.MutableDirectBuffer;
import org.vbgw.dataplane.adjacency.Adjacency;
import org.vbgw.dataplane.packet.EchoResponder;
import org.vbgw.dataplane.packet.EthernetFlyweight;
import org.vbgw.dataplane.packet.FrameView;
import org.vbgw.dataplane.packet.IcmpErrorBuilder;
import org.vbgw.dataplane.packet.IcmpFlyweight;
import org.vbgw.dataplane.packet.Ipv4Flyweight;
import org.vbgw.dataplane.packet.Ipv4Fragmenter;
import org.vbgw.dataplane.packet.L2Header;
import org.vbgw.dataplane.packet.PacketError;
import org.vbgw.dataplane.vif.SourceCheck;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.dataplane.vif.VifTable;
import org.vbgw.fib.Fib;
import org.vbgw.fib.FlowHash;
import org.vbgw.fib.NextHop;

import java.nio.ByteOrder;

/**
 * The IPv4 part of the pipeline (RFC 1812): validate, filter the source, answer or punt what is for the
 * gateway, then TTL, FIB lookup, ECMP choice, adjacency, MTU, rewrite and transmit; ICMP errors on the way.
 * <p>
 * Part of one {@link Forwarder}; same thread, no allocation.
 */
final class Ipv4Stage implements Ipv4Fragmenter.FragmentSink
{
    private static final int BGP_PORT = 179;
    private static final int BFD_PORT = 3784;
    private static final int BFD_MULTIHOP_PORT = 4784;

    private final Forwarder forwarder;
    private final Fib fib;
    private final TokenBucket icmpLimiter;
    private final Ipv4Flyweight ip = new Ipv4Flyweight();
    private final IcmpErrorBuilder icmpErrors = new IcmpErrorBuilder();
    private final Ipv4Fragmenter fragmenter = new Ipv4Fragmenter();

    // Egress of the packet being fragmented, read by onFragment.
    private Adjacency fragmentAdjacency;
    private int fragmentsSent;
    private boolean fragmentFailed;

    Ipv4Stage(final Forwarder forwarder, final Fib fib, final TokenBucket icmpLimiter)
    {
        this.forwarder = forwarder;
        this.fib = fib;
        this.icmpLimiter = icmpLimiter;
    }

    /**
     * The checks and filters up to the FIB lookup, on the verified frame: reads skip bounds checks, each
     * one inside the header that {@link Ipv4Flyweight#validate(FrameView, int)} found within the frame.
     * The slow paths (local delivery, ICMP errors) use the checked flyweight.
     */
    int process(final FrameView frame, final L2Header l2)
    {
        final int ipOffset = l2.l3Offset;
        final int check = Ipv4Flyweight.validate(frame, ipOffset);
        if (check != PacketError.OK)
        {
            return forwarder.malformed(check);
        }
        final int src = frame.getInt(ipOffset + Ipv4Flyweight.SRC_ADDRESS_OFFSET);
        final int dst = frame.getInt(ipOffset + Ipv4Flyweight.DST_ADDRESS_OFFSET);
        if (isMartianSource(src))
        {
            return Verdict.DROP_MARTIAN_SOURCE;
        }
        final Vif inVif = forwarder.inVif;
        final SourceCheck mode = inVif.sourceCheck();
        if (mode == SourceCheck.STRICT ? !inVif.allowsIpv4Source(src)
            : mode == SourceCheck.LOOSE && fib.lookupIpv4(src) == Fib.NO_GROUP)
        {
            return Verdict.DROP_SOURCE_CHECK;
        }

        final MutableDirectBuffer buffer = frame.buffer();
        final int frameOffset = frame.offset();
        if (forwarder.snapshot.localIpv4Owner(dst) != VifTable.NO_VIF || isMulticastOrBroadcast(dst))
        {
            ip.wrap(buffer, ipOffset);
            return local(buffer, frameOffset, frame.length(), ipOffset, dst);
        }

        if (frame.getByte(ipOffset + Ipv4Flyweight.TTL_OFFSET) <= 1)
        {
            sendError(IcmpFlyweight.TYPE_TIME_EXCEEDED, 0, 0, buffer, frameOffset, ipOffset);
            return Verdict.DROP_TTL_EXCEEDED;
        }
        // The rest waits for the batch's end, when the FIB lookups of all its packets go together.
        return forwarder.deferIpv4(frame, ipOffset, dst, flowHash(frame, ipOffset, src, dst));
    }

    /** Finishes packet {@code i} of a batch whose FIB lookups are done: ECMP, adjacency, MTU, rewrite, send. */
    int forward(final FrameView frame, final ForwardBatch batch, final int i)
    {
        final MutableDirectBuffer buffer = frame.buffer();
        final int frameOffset = frame.offset();
        final int ipOffset = batch.ipOffsets[i];
        final int dst = batch.ipv4Destinations[i];
        final int group = batch.groups[i];
        if (group == Fib.NO_GROUP)
        {
            sendError(IcmpFlyweight.TYPE_DEST_UNREACHABLE, IcmpFlyweight.CODE_NET_UNREACHABLE, 0, buffer, frameOffset, ipOffset);
            return Verdict.DROP_NO_ROUTE;
        }
        final int nextHopId = fib.selectNextHop(group, batch.flowHashes[i]);
        if (nextHopId == Fib.NO_NEXT_HOP)
        {
            sendError(IcmpFlyweight.TYPE_DEST_UNREACHABLE, IcmpFlyweight.CODE_HOST_UNREACHABLE, 0, buffer, frameOffset, ipOffset);
            return Verdict.DROP_NO_NEXT_HOP;
        }
        final Adjacency adjacency = forwarder.adjacency(nextHopId);
        final int totalLength = frame.getShort(ipOffset + Ipv4Flyweight.TOTAL_LENGTH_OFFSET);
        if (adjacency == null)
        {
            final NextHop nh = fib.nextHop(nextHopId);
            if (nh == null)
            {
                return Verdict.DROP_NO_NEXT_HOP;
            }
            // An attached next hop (connected subnet) has no address of its own: the destination is the
            // neighbour, and the control thread installs a host route for it once resolved.
            final int neighbour = nh.neighbourIpv4() == 0 ? dst : nh.neighbourIpv4();
            Ipv4Flyweight.decrementTtl(frame, ipOffset);
            return forwarder.awaitNeighbour(nextHopId, nh.vifId(), false, 0, neighbour & 0xFFFF_FFFFL,
                buffer, ipOffset, totalLength);
        }
        if (totalLength > adjacency.mtuBytes())
        {
            if ((frame.getShort(ipOffset + Ipv4Flyweight.FLAGS_FRAGMENT_OFFSET) & Ipv4Flyweight.FLAG_DF) != 0)
            {
                sendError(IcmpFlyweight.TYPE_DEST_UNREACHABLE, IcmpFlyweight.CODE_FRAGMENTATION_NEEDED,
                    adjacency.mtuBytes(), buffer, frameOffset, ipOffset);
                return Verdict.DROP_MTU_EXCEEDED;
            }
            Ipv4Flyweight.decrementTtl(frame, ipOffset);
            return fragment(adjacency, buffer, ipOffset);
        }
        Ipv4Flyweight.decrementTtl(frame, ipOffset);
        return forwarder.transmit(adjacency, frame, ipOffset, totalLength, false);
    }

    /** Traffic for the gateway itself: echo answered here, BGP and BFD punted first, the rest punted. */
    private int local(final MutableDirectBuffer buffer, final int frameOffset, final int frameLength, final int ipOffset,
        final int dst)
    {
        final int protocol = ip.protocol();
        final int l4 = ipOffset + ip.headerLength();
        final int l4Length = ip.totalLength() - ip.headerLength();
        if (protocol == Ipv4Flyweight.PROTOCOL_ICMP && !ip.isFragment() && l4Length >= 8 &&
            (buffer.getByte(l4) & 0xFF) == IcmpFlyweight.TYPE_ECHO_REQUEST && !isMulticastOrBroadcast(dst))
        {
            final int reply = EchoResponder.replyIpv4(buffer, frameOffset, ipOffset);
            if (reply != PacketError.OK)
            {
                return forwarder.malformed(-reply);
            }
            return forwarder.sendOnPort(forwarder.inPort, forwarder.inVif.id(), buffer, frameOffset, frameLength)
                ? Verdict.ECHO_REPLIED : Verdict.DROP_TX_FULL;
        }
        boolean priority = false;
        if (!ip.isFragment() && l4Length >= 4 &&
            (protocol == Ipv4Flyweight.PROTOCOL_TCP || protocol == Ipv4Flyweight.PROTOCOL_UDP))
        {
            final int srcPort = buffer.getShort(l4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int dstPort = buffer.getShort(l4 + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            priority = protocol == Ipv4Flyweight.PROTOCOL_TCP
                ? srcPort == BGP_PORT || dstPort == BGP_PORT
                : dstPort == BFD_PORT || dstPort == BFD_MULTIHOP_PORT;
        }
        return forwarder.punt(priority ? ControlPath.PUNT_LOCAL_PRIORITY : ControlPath.PUNT_LOCAL,
            buffer, frameOffset, frameLength);
    }

    private static int flowHash(final FrameView frame, final int ipOffset, final int src, final int dst)
    {
        final int protocol = frame.getByte(ipOffset + Ipv4Flyweight.PROTOCOL_OFFSET);
        final int headerLength = (frame.getByte(ipOffset + Ipv4Flyweight.VERSION_IHL_OFFSET) & 0x0F) << 2;
        // Fragments after the first carry no ports: hash every fragment on addresses alone, so all of a
        // datagram's fragments take the same path. The ports are read only when the total length (within
        // the frame, as validated) covers them.
        if ((frame.getShort(ipOffset + Ipv4Flyweight.FLAGS_FRAGMENT_OFFSET) &
            (Ipv4Flyweight.FLAG_MF | Ipv4Flyweight.FRAGMENT_OFFSET_MASK)) != 0 ||
            (protocol != Ipv4Flyweight.PROTOCOL_TCP && protocol != Ipv4Flyweight.PROTOCOL_UDP) ||
            frame.getShort(ipOffset + Ipv4Flyweight.TOTAL_LENGTH_OFFSET) < headerLength + 4)
        {
            return FlowHash.ipv4L3(src, dst);
        }
        final int ports = frame.getInt(ipOffset + headerLength);
        return FlowHash.ipv4(src, dst, protocol, ports >>> 16, ports & 0xFFFF);
    }

    private int fragment(final Adjacency adjacency, final MutableDirectBuffer buffer, final int ipOffset)
    {
        fragmentAdjacency = adjacency;
        fragmentsSent = 0;
        fragmentFailed = false;
        final int n = fragmenter.fragment(buffer, ipOffset, adjacency.mtuBytes(), forwarder.scratch,
            Forwarder.SCRATCH_HEADROOM, this);
        if (n < 0)
        {
            return forwarder.malformed(-n);
        }
        return fragmentFailed ? Verdict.DROP_TX_FULL : Verdict.FRAGMENTED;
    }

    @Override
    public void onFragment(final MutableDirectBuffer buffer, final int offset, final int length, final int index)
    {
        // Fragments are built in the scratch buffer with room for any L2 header in front.
        if (forwarder.transmit(fragmentAdjacency, buffer, offset - fragmentAdjacency.l2HeaderLength(), offset, length,
            EthernetFlyweight.ETHER_TYPE_IPV4) ==
            Verdict.FORWARDED)
        {
            fragmentsSent++;
        }
        else
        {
            fragmentFailed = true;
        }
    }

    /** Builds and sends an ICMP error back to the sender on the ingress VIF, within the rate limit. */
    private void sendError(final int type, final int code, final int mtu, final MutableDirectBuffer buffer,
        final int frameOffset, final int ipOffset)
    {
        final Vif inVif = forwarder.inVif;
        if (!inVif.hasIpv4() || !IcmpErrorBuilder.mayReportError(buffer, ipOffset))
        {
            return;
        }
        if (!icmpLimiter.tryAcquire(forwarder.nowNs))
        {
            forwarder.countIcmpError(false);
            return;
        }
        final long senderMac = EthernetFlyweight.readMac(buffer, frameOffset + EthernetFlyweight.SRC_MAC_OFFSET);
        final int out = Forwarder.SCRATCH_HEADROOM;
        final int length;
        if (type == IcmpFlyweight.TYPE_TIME_EXCEEDED)
        {
            length = icmpErrors.timeExceeded(forwarder.scratch, out, forwarder.replyEncapForIngress(), senderMac,
                inVif.primaryIpv4(), buffer, ipOffset);
        }
        else if (code == IcmpFlyweight.CODE_FRAGMENTATION_NEEDED)
        {
            length = icmpErrors.fragmentationNeeded(forwarder.scratch, out, forwarder.replyEncapForIngress(), senderMac,
                inVif.primaryIpv4(), mtu, buffer, ipOffset);
        }
        else
        {
            length = icmpErrors.destinationUnreachable(forwarder.scratch, out, forwarder.replyEncapForIngress(), senderMac,
                inVif.primaryIpv4(), code, buffer, ipOffset);
        }
        if (length > 0)
        {
            forwarder.countIcmpError(forwarder.sendOnPort(forwarder.inPort, inVif.id(), forwarder.scratch, out, length));
        }
    }

    private static boolean isMartianSource(final int src)
    {
        final int firstOctet = src >>> 24;
        // RFC 1812 §5.3.7: never forward from 0/8, 127/8, class D or E sources.
        return firstOctet == 0 || firstOctet == 127 || firstOctet >= 224;
    }

    private static boolean isMulticastOrBroadcast(final int dst)
    {
        return (dst >>> 28) == 0xE || dst == -1;
    }
}
