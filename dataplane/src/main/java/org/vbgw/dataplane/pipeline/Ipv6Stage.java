package org.vbgw.dataplane.pipeline;

import org.agrona.MutableDirectBuffer;
import org.vbgw.dataplane.adjacency.Adjacency;
import org.vbgw.dataplane.packet.EchoResponder;
import org.vbgw.dataplane.packet.EthernetFlyweight;
import org.vbgw.dataplane.packet.FrameView;
import org.vbgw.dataplane.packet.Icmpv6ErrorBuilder;
import org.vbgw.dataplane.packet.Icmpv6Flyweight;
import org.vbgw.dataplane.packet.Ipv6Flyweight;
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
 * The IPv6 part of the pipeline (RFC 8200, RFC 4443): like {@link Ipv4Stage}, with hop limit instead of TTL
 * (no checksum to patch), no fragmentation by routers (packet too big instead), and neighbour discovery
 * arriving on multicast and punted to the control thread.
 * <p>
 * Part of one {@link Forwarder}; same thread, no allocation.
 */
final class Ipv6Stage
{
    private static final int BGP_PORT = 179;
    private static final int BFD_PORT = 3784;
    private static final int BFD_MULTIHOP_PORT = 4784;

    private final Forwarder forwarder;
    private final Fib fib;
    private final TokenBucket icmpLimiter;
    private final Ipv6Flyweight ip = new Ipv6Flyweight();
    private final Icmpv6ErrorBuilder icmpErrors = new Icmpv6ErrorBuilder();

    Ipv6Stage(final Forwarder forwarder, final Fib fib, final TokenBucket icmpLimiter)
    {
        this.forwarder = forwarder;
        this.fib = fib;
        this.icmpLimiter = icmpLimiter;
    }

    /**
     * The checks and filters up to the FIB lookup, on the verified frame: reads skip bounds checks, each
     * one inside the fixed header that {@link Ipv6Flyweight#validate(FrameView, int)} found within the
     * frame, or inside the payload length it checked. The slow paths use the checked flyweight.
     */
    int process(final FrameView frame, final L2Header l2, final boolean toOurMac)
    {
        final int ipOffset = l2.l3Offset;
        final int check = Ipv6Flyweight.validate(frame, ipOffset);
        if (check != PacketError.OK)
        {
            return forwarder.malformed(check);
        }
        final MutableDirectBuffer buffer = frame.buffer();
        final int frameOffset = frame.offset();
        final int frameLength = frame.length();
        final long srcHi = frame.getLong(ipOffset + Ipv6Flyweight.SRC_ADDRESS_OFFSET);
        final long srcLo = frame.getLong(ipOffset + Ipv6Flyweight.SRC_ADDRESS_OFFSET + 8);
        final long dstHi = frame.getLong(ipOffset + Ipv6Flyweight.DST_ADDRESS_OFFSET);
        final long dstLo = frame.getLong(ipOffset + Ipv6Flyweight.DST_ADDRESS_OFFSET + 8);
        final int nextHeader = frame.getByte(ipOffset + Ipv6Flyweight.NEXT_HEADER_OFFSET);
        final int payloadLength = frame.getShort(ipOffset + Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET);
        final int l4 = ipOffset + Ipv6Flyweight.HEADER_LENGTH;

        if (nextHeader == Ipv6Flyweight.NEXT_HEADER_ICMPV6 && payloadLength >= 4 && isNeighbourDiscovery(frame.getByte(l4)))
        {
            // RFC 4861 messages (RS/RA/NS/NA/redirect) are never forwarded: the control thread answers
            // and learns from them, and the host stack behind the TAP gets its copy.
            return forwarder.punt(ControlPath.PUNT_ND, buffer, frameOffset, frameLength);
        }
        if (Ipv6Flyweight.isMulticast(srcHi))
        {
            return Verdict.DROP_MARTIAN_SOURCE;
        }
        if (Ipv6Flyweight.isMulticast(dstHi))
        {
            return Verdict.DROP_IPV6_MULTICAST;
        }
        if (!toOurMac)
        {
            return Verdict.DROP_NOT_FOR_US;
        }
        final Vif inVif = forwarder.inVif;
        final SourceCheck mode = inVif.sourceCheck();
        if (!isLinkLocal(srcHi) && (mode == SourceCheck.STRICT ? !inVif.allowsIpv6Source(srcHi, srcLo)
            : mode == SourceCheck.LOOSE && fib.lookupIpv6(srcHi, srcLo) == Fib.NO_GROUP))
        {
            return Verdict.DROP_SOURCE_CHECK;
        }

        if (isLinkLocal(dstHi) || forwarder.snapshot.localIpv6Owner(dstHi, dstLo) != VifTable.NO_VIF)
        {
            ip.wrap(buffer, ipOffset);
            return local(buffer, frameOffset, frameLength, ipOffset, nextHeader, l4);
        }
        if (isLinkLocal(srcHi))
        {
            // RFC 4291 §2.5.6: a link-local source must not leave its link.
            return Verdict.DROP_MARTIAN_SOURCE;
        }

        if (frame.getByte(ipOffset + Ipv6Flyweight.HOP_LIMIT_OFFSET) <= 1)
        {
            sendError(Icmpv6Flyweight.TYPE_TIME_EXCEEDED, 0, 0, buffer, frameOffset, ipOffset);
            return Verdict.DROP_TTL_EXCEEDED;
        }
        final int hash;
        if ((nextHeader == Ipv6Flyweight.NEXT_HEADER_TCP || nextHeader == Ipv6Flyweight.NEXT_HEADER_UDP) &&
            payloadLength >= 4)
        {
            final int ports = frame.getInt(l4);
            hash = FlowHash.ipv6(srcHi, srcLo, dstHi, dstLo, nextHeader, ports >>> 16, ports & 0xFFFF);
        }
        else
        {
            hash = FlowHash.ipv6L3(srcHi, srcLo, dstHi, dstLo);
        }
        // The rest waits for the batch's end, when the FIB lookups of all its packets go together.
        return forwarder.deferIpv6(frame, ipOffset, dstHi, dstLo, hash);
    }

    /** Finishes packet {@code i} of a batch whose FIB lookups are done: ECMP, adjacency, MTU, rewrite, send. */
    int forward(final FrameView frame, final ForwardBatch batch, final int i)
    {
        final MutableDirectBuffer buffer = frame.buffer();
        final int frameOffset = frame.offset();
        final int ipOffset = batch.ipOffsets[i];
        final long dstHi = batch.ipv6DestinationsHi[i];
        final long dstLo = batch.ipv6DestinationsLo[i];
        final int group = batch.groups[i];
        if (group == Fib.NO_GROUP)
        {
            sendError(Icmpv6Flyweight.TYPE_DEST_UNREACHABLE, Icmpv6Flyweight.CODE_NO_ROUTE, 0, buffer, frameOffset, ipOffset);
            return Verdict.DROP_NO_ROUTE;
        }
        final int nextHopId = fib.selectNextHop(group, batch.flowHashes[i]);
        if (nextHopId == Fib.NO_NEXT_HOP)
        {
            sendError(Icmpv6Flyweight.TYPE_DEST_UNREACHABLE, CODE_ADDRESS_UNREACHABLE, 0, buffer, frameOffset, ipOffset);
            return Verdict.DROP_NO_NEXT_HOP;
        }
        final int packetLength = Ipv6Flyweight.HEADER_LENGTH + frame.getShort(ipOffset + Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET);
        final Adjacency adjacency = forwarder.adjacency(nextHopId);
        if (adjacency == null)
        {
            final NextHop nh = fib.nextHop(nextHopId);
            if (nh == null)
            {
                return Verdict.DROP_NO_NEXT_HOP;
            }
            final boolean attached = nh.neighbourHi() == 0 && nh.neighbourLo() == 0;
            decrementHopLimit(frame, ipOffset);
            return forwarder.awaitNeighbour(nextHopId, nh.vifId(), true,
                attached ? dstHi : nh.neighbourHi(), attached ? dstLo : nh.neighbourLo(), buffer, ipOffset, packetLength);
        }
        if (packetLength > adjacency.mtuBytes())
        {
            sendError(Icmpv6Flyweight.TYPE_PACKET_TOO_BIG, 0, adjacency.mtuBytes(), buffer, frameOffset, ipOffset);
            return Verdict.DROP_MTU_EXCEEDED;
        }
        decrementHopLimit(frame, ipOffset);
        return forwarder.transmit(adjacency, frame, ipOffset, packetLength, true);
    }

    /** RFC 4443 §3.1 code 3: the next hop exists but cannot be reached. */
    private static final int CODE_ADDRESS_UNREACHABLE = 3;

    private int local(final MutableDirectBuffer buffer, final int frameOffset, final int frameLength, final int ipOffset,
        final int nextHeader, final int l4)
    {
        if (nextHeader == Ipv6Flyweight.NEXT_HEADER_ICMPV6 && ip.payloadLength() >= 8 &&
            (buffer.getByte(l4) & 0xFF) == Icmpv6Flyweight.TYPE_ECHO_REQUEST)
        {
            final int reply = EchoResponder.replyIpv6(buffer, frameOffset, ipOffset);
            if (reply != PacketError.OK)
            {
                return forwarder.malformed(-reply);
            }
            return forwarder.sendOnPort(forwarder.inPort, forwarder.inVif.id(), buffer, frameOffset, frameLength)
                ? Verdict.ECHO_REPLIED : Verdict.DROP_TX_FULL;
        }
        boolean priority = false;
        if ((nextHeader == Ipv6Flyweight.NEXT_HEADER_TCP || nextHeader == Ipv6Flyweight.NEXT_HEADER_UDP) &&
            ip.payloadLength() >= 4)
        {
            final int srcPort = buffer.getShort(l4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int dstPort = buffer.getShort(l4 + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            priority = nextHeader == Ipv6Flyweight.NEXT_HEADER_TCP
                ? srcPort == BGP_PORT || dstPort == BGP_PORT
                : dstPort == BFD_PORT || dstPort == BFD_MULTIHOP_PORT;
        }
        return forwarder.punt(priority ? ControlPath.PUNT_LOCAL_PRIORITY : ControlPath.PUNT_LOCAL,
            buffer, frameOffset, frameLength);
    }

    private void sendError(final int type, final int code, final int mtu, final MutableDirectBuffer buffer,
        final int frameOffset, final int ipOffset)
    {
        final Vif inVif = forwarder.inVif;
        if (!inVif.hasIpv6() || !Icmpv6ErrorBuilder.mayReportError(buffer, ipOffset, type))
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
        final long gwHi = inVif.primaryIpv6Hi();
        final long gwLo = inVif.primaryIpv6Lo();
        final int length = switch (type)
        {
            case Icmpv6Flyweight.TYPE_TIME_EXCEEDED -> icmpErrors.timeExceeded(forwarder.scratch, out,
                forwarder.replyEncapForIngress(), senderMac, gwHi, gwLo, buffer, ipOffset);
            case Icmpv6Flyweight.TYPE_PACKET_TOO_BIG -> icmpErrors.packetTooBig(forwarder.scratch, out,
                forwarder.replyEncapForIngress(), senderMac, gwHi, gwLo, mtu, buffer, ipOffset);
            default -> icmpErrors.destinationUnreachable(forwarder.scratch, out, forwarder.replyEncapForIngress(),
                senderMac, gwHi, gwLo, code, buffer, ipOffset);
        };
        if (length > 0)
        {
            forwarder.countIcmpError(forwarder.sendOnPort(forwarder.inPort, inVif.id(), forwarder.scratch, out, length));
        }
    }

    private static void decrementHopLimit(final FrameView frame, final int ipOffset)
    {
        final int index = ipOffset + Ipv6Flyweight.HOP_LIMIT_OFFSET;
        frame.putByte(index, frame.getByte(index) - 1);
    }

    private static boolean isNeighbourDiscovery(final int icmpType)
    {
        return icmpType >= Icmpv6Flyweight.TYPE_ROUTER_SOLICITATION && icmpType <= Icmpv6Flyweight.TYPE_REDIRECT;
    }

    private static boolean isLinkLocal(final long hi)
    {
        return (hi >>> 54) == (0xFE80L >>> 6);
    }
}
