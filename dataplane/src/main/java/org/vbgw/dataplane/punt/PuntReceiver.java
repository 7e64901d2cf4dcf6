package org.vbgw.dataplane.punt;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.vbgw.dataplane.neighbour.NeighbourState;
import org.vbgw.dataplane.neighbour.NeighbourTable;
import org.vbgw.dataplane.packet.ArpFlyweight;
import org.vbgw.dataplane.packet.ArpPacketBuilder;
import org.vbgw.dataplane.packet.EthernetEncap;
import org.vbgw.dataplane.packet.EthernetFlyweight;
import org.vbgw.dataplane.packet.FrameParser;
import org.vbgw.dataplane.packet.FrameView;
import org.vbgw.dataplane.packet.Icmpv6Flyweight;
import org.vbgw.dataplane.packet.Ipv6Flyweight;
import org.vbgw.dataplane.packet.L2Header;
import org.vbgw.dataplane.packet.NdpFlyweight;
import org.vbgw.dataplane.packet.NdpPacketBuilder;
import org.vbgw.dataplane.packet.PacketError;
import org.vbgw.dataplane.pipeline.ControlPath;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.dataplane.vif.VifTable;
import org.vbgw.io.FrameHandler;
import org.vbgw.io.Port;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The control thread's side of punting: drains the rings the workers fill (priority ring first), answers
 * ARP and neighbour solicitations for the gateway's addresses, learns neighbours, hands packets that wait for
 * a neighbour to the {@link NeighbourTable}, and bridges each VIF to its host TAP: punted frames go to the TAP
 * untagged, what the host kernel (and FRR on it) sends on the TAP leaves on the VIF with its tags. Local
 * traffic the data plane answers itself (BFD sessions, probe replies) goes to its {@link LocalReceiver}s first.
 * <p>
 * Known trap: the host asks for the peer's MAC itself (to talk BGP); the reply comes back to the VIF's MAC,
 * so it must reach the TAP, and the data plane learns from it too. Control thread only.
 */
public final class PuntReceiver implements MessageHandler
{
    private static final VarHandle TAP = MethodHandles.arrayElementVarHandle(Port[].class);

    private final VifTable vifs;
    private final Port[] ports;
    private final Port[] tapsByVif;
    private final NeighbourTable neighbours;
    private final RingBuffer priority;
    private final RingBuffer normal;
    private final L2Header l2 = new L2Header();
    private final FrameView view = new FrameView();
    private final ArpFlyweight arp = new ArpFlyweight();
    private final Ipv6Flyweight ip6 = new Ipv6Flyweight();
    private final NdpFlyweight ndp = new NdpFlyweight();
    private final ArpPacketBuilder arpBuilder = new ArpPacketBuilder();
    private final NdpPacketBuilder ndpBuilder = new NdpPacketBuilder();
    private final EthernetEncap encap = new EthernetEncap();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[9216 + 64]);
    private final TapToPort tapToPort = new TapToPort();
    private LocalReceiver[] localReceivers = new LocalReceiver[0];
    private long nowNs;

    private long arpAnswered;
    private long ndAnswered;
    private long toHost;
    private long fromHost;
    private long malformed;
    private long noTap;

    public PuntReceiver(final VifTable vifs, final Port[] ports, final int maxVifs, final NeighbourTable neighbours,
        final RingBuffer priority, final RingBuffer normal)
    {
        this.vifs = vifs;
        this.ports = ports;
        this.tapsByVif = new Port[maxVifs];
        this.neighbours = neighbours;
        this.priority = priority;
        this.normal = normal;
    }

    /** Connects a VIF to its host TAP (or removes it with null). Control thread. */
    public void tap(final int vifId, final Port tap)
    {
        TAP.setRelease(tapsByVif, vifId, tap);
    }

    public Port tap(final int vifId)
    {
        return (Port)TAP.getAcquire(tapsByVif, vifId);
    }

    /**
     * One duty cycle: the priority ring, then the normal ring, then the TAPs.
     *
     * @return work done, for the idle strategy.
     */
    public int doWork(final long nowNs, final int limit)
    {
        this.nowNs = nowNs;
        int work = priority.read(this, limit);
        work += normal.read(this, limit);
        for (int v = 0; v < tapsByVif.length; v++)
        {
            final Port tap = (Port)TAP.getAcquire(tapsByVif, v);
            if (tap != null)
            {
                tapToPort.vifId = v;
                work += tap.receive(tapToPort, limit);
            }
        }
        if (work > 0)
        {
            for (final Port p : ports)
            {
                p.flush();
            }
        }
        return work;
    }

    @Override
    public void onMessage(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (type == PuntMessage.AWAIT)
        {
            onAwait(buffer, index, length);
            return;
        }
        final int vifId = buffer.getInt(index + PuntMessage.VIF_OFFSET);
        final Vif vif = vifs.snapshot().vif(vifId);
        if (vif == null)
        {
            return;
        }
        final int frame = index + PuntMessage.PUNT_HEADER_LENGTH;
        final int frameLength = length - PuntMessage.PUNT_HEADER_LENGTH;
        if (FrameParser.parse(view, buffer, frame, frameLength, l2) != PacketError.OK)
        {
            malformed++;
            return;
        }
        switch (type)
        {
            case ControlPath.PUNT_ARP -> onArp(vif, buffer, frame, frameLength);
            case ControlPath.PUNT_ND -> onNd(vif, buffer, frame, frameLength);
            default -> local(vif, buffer, frame, frameLength);
        }
    }

    /** Adds a consumer that sees local traffic before the host TAP does (BFD, probe replies). Control thread. */
    public void addLocalReceiver(final LocalReceiver receiver)
    {
        final LocalReceiver[] more = java.util.Arrays.copyOf(localReceivers, localReceivers.length + 1);
        more[localReceivers.length] = receiver;
        localReceivers = more;
    }

    private void local(final Vif vif, final MutableDirectBuffer buffer, final int frame, final int frameLength)
    {
        for (final LocalReceiver r : localReceivers)
        {
            if (r.onLocal(vif, buffer, l2, nowNs))
            {
                return;
            }
        }
        toHost(vif, buffer, frame, frameLength);
    }

    private void onAwait(final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int vifId = buffer.getInt(index + PuntMessage.VIF_OFFSET);
        final boolean v6 = buffer.getInt(index + PuntMessage.FAMILY_OFFSET) == 6;
        final long hi = buffer.getLong(index + PuntMessage.HI_OFFSET);
        final long lo = buffer.getLong(index + PuntMessage.LO_OFFSET);
        final int entry = neighbours.resolve(vifId, v6, hi, lo, nowNs);
        if (entry == NeighbourTable.NO_ENTRY)
        {
            return;
        }
        final int packet = index + PuntMessage.AWAIT_HEADER_LENGTH;
        final int packetLength = length - PuntMessage.AWAIT_HEADER_LENGTH;
        neighbours.enqueue(entry, buffer, packet, packetLength);
        if (NeighbourState.usable(neighbours.state(entry)))
        {
            // Resolved meanwhile (a reply raced the worker): learning again releases the queue now.
            neighbours.learn(vifId, v6, hi, lo, neighbours.mac(entry), false, nowNs);
        }
    }

    private void onArp(final Vif vif, final MutableDirectBuffer buffer, final int frame, final int frameLength)
    {
        arp.wrap(buffer, l2.l3Offset);
        if (arp.validate(frameLength - (l2.l3Offset - frame)) != PacketError.OK)
        {
            malformed++;
            return;
        }
        final int targetIp = arp.targetIp();
        final boolean forUs = vif.hasIpv4() && vifs.snapshot().localIpv4Owner(targetIp) == vif.id();
        final long senderMac = arp.senderMac();
        final int senderIp = arp.senderIp();
        if (arp.operation() == ArpFlyweight.OPERATION_REQUEST)
        {
            if (!forUs || senderIp == 0)
            {
                // Gratuitous ARP and requests for others only refresh what we already know (RFC 826).
                neighbours.learn(vif.id(), false, 0, senderIp & 0xFFFF_FFFFL, senderMac, false, nowNs);
                return;
            }
            neighbours.learn(vif.id(), false, 0, senderIp & 0xFFFF_FFFFL, senderMac, true, nowNs);
            encap(vif);
            final int n = arpBuilder.reply(scratch, 0, encap, targetIp, senderMac, senderIp);
            if (n > 0 && ports[vif.portIndex()].send(scratch, 0, n))
            {
                arpAnswered++;
            }
            return;
        }
        // A reply to us: to the data plane's own request or to the host's. Learn it, and give the host its copy.
        neighbours.learn(vif.id(), false, 0, senderIp & 0xFFFF_FFFFL, senderMac, forUs, nowNs);
        toHost(vif, buffer, frame, frameLength);
    }

    private void onNd(final Vif vif, final MutableDirectBuffer buffer, final int frame, final int frameLength)
    {
        ip6.wrap(buffer, l2.l3Offset);
        final int icmp = ip6.payloadOffset();
        final int icmpLength = ip6.payloadLength();
        final int type = buffer.getByte(icmp) & 0xFF;
        if (type != Icmpv6Flyweight.TYPE_NEIGHBOR_SOLICITATION && type != Icmpv6Flyweight.TYPE_NEIGHBOR_ADVERTISEMENT)
        {
            toHost(vif, buffer, frame, frameLength);
            return;
        }
        ndp.wrap(buffer, icmp);
        if (ndp.validate(icmpLength, ip6.hopLimit()) != PacketError.OK)
        {
            malformed++;
            return;
        }
        final long targetHi = ndp.targetHi();
        final long targetLo = ndp.targetLo();
        final boolean forUs = vifs.snapshot().localIpv6Owner(targetHi, targetLo) == vif.id();
        if (type == Icmpv6Flyweight.TYPE_NEIGHBOR_SOLICITATION)
        {
            final long srcHi = ip6.srcHi();
            final long srcLo = ip6.srcLo();
            final long sourceMac = ndp.linkLayerAddressOption(NdpFlyweight.OPTION_SOURCE_LINK_LAYER_ADDRESS, icmpLength);
            if (sourceMac != NdpFlyweight.NO_MAC && !Ipv6Flyweight.isUnspecified(srcHi, srcLo))
            {
                neighbours.learn(vif.id(), true, srcHi, srcLo, sourceMac, forUs, nowNs);
            }
            if (!forUs)
            {
                return;
            }
            encap(vif);
            final long replyMac = sourceMac != NdpFlyweight.NO_MAC ? sourceMac
                : EthernetFlyweight.readMac(buffer, frame + EthernetFlyweight.SRC_MAC_OFFSET);
            final int n = ndpBuilder.advertisement(scratch, 0, encap, replyMac, srcHi, srcLo, targetHi, targetLo,
                NdpFlyweight.FLAG_ROUTER | NdpFlyweight.FLAG_SOLICITED | NdpFlyweight.FLAG_OVERRIDE);
            if (n > 0 && ports[vif.portIndex()].send(scratch, 0, n))
            {
                ndAnswered++;
            }
            return;
        }
        long targetMac = ndp.linkLayerAddressOption(NdpFlyweight.OPTION_TARGET_LINK_LAYER_ADDRESS, icmpLength);
        if (targetMac == NdpFlyweight.NO_MAC && ndp.isSolicited())
        {
            // Linux leaves the option out when it answers a unicast solicitation (RFC 4861 §7.2.4 allows it),
            // which is how the table refreshes a live neighbour. RFC 4861 §7.2.5: a solicited advertisement
            // without the option still confirms an entry that has a MAC, and keeps that MAC. Without this
            // every IPv6 neighbour failed 30 s after it resolved, taking its next hops down.
            final int entry = neighbours.find(vif.id(), true, targetHi, targetLo);
            if (entry != NeighbourTable.NO_ENTRY && neighbours.state(entry) != NeighbourState.INCOMPLETE &&
                neighbours.state(entry) != NeighbourState.FAILED)
            {
                targetMac = neighbours.mac(entry);
            }
        }
        if (targetMac != NdpFlyweight.NO_MAC)
        {
            neighbours.learn(vif.id(), true, targetHi, targetLo, targetMac, ndp.isSolicited(), nowNs);
        }
        toHost(vif, buffer, frame, frameLength);
    }

    /** Writes the frame to the VIF's TAP without its VLAN tags: the host sees an ordinary Ethernet interface. */
    private void toHost(final Vif vif, final MutableDirectBuffer buffer, final int frame, final int frameLength)
    {
        final Port tap = tap(vif.id());
        if (tap == null)
        {
            noTap++;
            return;
        }
        scratch.putBytes(0, buffer, frame, EthernetFlyweight.MAC_ADDRESSES_LENGTH);
        final int rest = frameLength - (l2.l3Offset - 2 - frame);
        scratch.putBytes(EthernetFlyweight.MAC_ADDRESSES_LENGTH, buffer, l2.l3Offset - 2, rest);
        if (tap.send(scratch, 0, EthernetFlyweight.MAC_ADDRESSES_LENGTH + rest))
        {
            toHost++;
            tap.flush();
        }
    }

    private void encap(final Vif vif)
    {
        encap.set(vif.mac(), vif.outerVlan(), vif.innerVlan());
        encap.qinqOuterTpid = vif.outerTpid() == 0 ? EthernetFlyweight.ETHER_TYPE_QINQ : vif.outerTpid();
    }

    /** Frames the host sends on a VIF's TAP: tag them for the VIF and send them on its port. */
    private final class TapToPort implements FrameHandler
    {
        int vifId;

        @Override
        public void onFrame(final MutableDirectBuffer buffer, final int offset, final int length)
        {
            final Vif vif = vifs.snapshot().vif(vifId);
            if (vif == null || !vif.adminUp() || length < EthernetFlyweight.HEADER_LENGTH)
            {
                return;
            }
            encap(vif);
            final int etherType = buffer.getShort(offset + EthernetFlyweight.ETHER_TYPE_OFFSET, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final long dstMac = EthernetFlyweight.readMac(buffer, offset + EthernetFlyweight.DST_MAC_OFFSET);
            final int l2Length = encap.write(scratch, 0, dstMac, etherType);
            final int payload = length - EthernetFlyweight.HEADER_LENGTH;
            scratch.putBytes(l2Length, buffer, offset + EthernetFlyweight.HEADER_LENGTH, payload);
            if (ports[vif.portIndex()].send(scratch, 0, l2Length + payload))
            {
                fromHost++;
            }
        }
    }

    public long arpAnswered()
    {
        return arpAnswered;
    }

    public long ndAnswered()
    {
        return ndAnswered;
    }

    public long toHost()
    {
        return toHost;
    }

    public long fromHost()
    {
        return fromHost;
    }

    public long malformed()
    {
        return malformed;
    }

    public long noTap()
    {
        return noTap;
    }
}
