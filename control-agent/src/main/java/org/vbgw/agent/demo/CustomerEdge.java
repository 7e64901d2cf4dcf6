package org.vbgw.agent.demo;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.dataplane.packet.ArpFlyweight;
import org.vbgw.dataplane.packet.ArpPacketBuilder;
import org.vbgw.dataplane.packet.EthernetEncap;
import org.vbgw.dataplane.packet.EthernetFlyweight;
import org.vbgw.dataplane.packet.FrameParser;
import org.vbgw.dataplane.packet.FrameView;
import org.vbgw.dataplane.packet.L2Header;
import org.vbgw.dataplane.packet.PacketError;
import org.vbgw.io.FrameHandler;
import org.vbgw.io.Port;
import org.vbgw.io.lab.SequencedFrame;

/**
 * The customer's router at the far end of one dedicated connection, as far as the demo needs it: it owns
 * the customer side of the VIF's interconnect subnet on the VIF's VLAN, answers the gateway's ARP requests
 * for it (tagged, as a router's sub-interface does), and receives the demo traffic, recording each packet
 * in the {@link FlowLedger} under this connection's path.
 */
final class CustomerEdge implements FrameHandler
{
    private final Port port;
    private final int path;
    private final int vlan;
    private final int address;
    private final FlowLedger ledger;
    private final L2Header l2 = new L2Header();
    private final FrameView view = new FrameView();
    private final ArpFlyweight arp = new ArpFlyweight();
    private final ArpPacketBuilder arpBuilder = new ArpPacketBuilder();
    private final EthernetEncap encap = new EthernetEncap();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[128]);
    private long arpAnswered;
    private long foreign;
    private int lastTtl;
    private boolean silent;

    CustomerEdge(final Port port, final int path, final int vlan, final int address, final FlowLedger ledger)
    {
        this.port = port;
        this.path = path;
        this.vlan = vlan;
        this.address = address;
        this.ledger = ledger;
        encap.set(port.macAddress(), vlan, 0);
    }

    /** Receives what is waiting; returns the frames taken. */
    int poll()
    {
        final int n = port.receive(this, 256);
        if (arpAnswered > 0)
        {
            port.flush();
        }
        return n;
    }

    @Override
    public void onFrame(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (silent)
        {
            return;
        }
        if (FrameParser.parse(view, buffer, offset, length, l2) != PacketError.OK || l2.outerVid != vlan)
        {
            foreign++;
            return;
        }
        if (l2.l3EtherType == EthernetFlyweight.ETHER_TYPE_ARP)
        {
            arp.wrap(buffer, l2.l3Offset);
            if (arp.validate(l2.l3Length) == PacketError.OK && arp.operation() == ArpFlyweight.OPERATION_REQUEST &&
                arp.targetIp() == address)
            {
                final int n = arpBuilder.reply(out, 0, encap, address, arp.senderMac(), arp.senderIp());
                if (port.send(out, 0, n))
                {
                    arpAnswered++;
                }
            }
            return;
        }
        // Behind any tags, the two bytes before the IPv4 header are its EtherType: seen from 14 bytes before the
        // IPv4 header, a tagged frame reads as the untagged frame SequencedFrame parses.
        final int untagged = l2.l3Offset - EthernetFlyweight.HEADER_LENGTH;
        final int payload = SequencedFrame.payloadOffset(buffer, untagged, l2.l3Length + EthernetFlyweight.HEADER_LENGTH,
            MemoryLab.UDP_PORT);
        if (payload < 0)
        {
            foreign++;
            return;
        }
        lastTtl = buffer.getByte(l2.l3Offset + 8) & 0xFF;
        ledger.record(SequencedFrame.flow(buffer, payload), path, SequencedFrame.sequence(buffer, payload),
            SequencedFrame.sendTimeNs(buffer, payload));
    }

    void silence(final boolean silent)
    {
        this.silent = silent;
    }

    long arpAnswered()
    {
        return arpAnswered;
    }

    /** Frames that were neither the demo's traffic nor ARP for this router. */
    long foreign()
    {
        return foreign;
    }

    /** TTL of the last demo packet received: 63 proves one routed hop. */
    int lastTtl()
    {
        return lastTtl;
    }
}
