package org.vbgw.dataplane.packet;

import org.agrona.MutableDirectBuffer;

/**
 * Builds ARP requests, replies and gratuitous announcements (RFC 826, RFC 5227), Ethernet header and
 * VLAN tags included, into a caller-provided buffer.
 * <p>
 * Frames are zero-padded to the Ethernet minimum of 60 bytes (without FCS): an untagged ARP is only
 * 42 bytes, and a real NIC pads it anyway; padding here keeps AF_PACKET on veth and the pcap
 * identical to what a switch sees. Each method returns the frame length, or a negated
 * {@link PacketError} code. One instance per thread; allocation-free.
 */
public final class ArpPacketBuilder
{
    private final ArpFlyweight arp = new ArpFlyweight();

    /**
     * A who-has request for {@code targetIp}, broadcast, target hardware address zero (RFC 826).
     */
    public int request(
        final MutableDirectBuffer out, final int offset, final EthernetEncap encap, final int senderIp, final int targetIp)
    {
        return build(out, offset, encap, EthernetFlyweight.BROADCAST_MAC, ArpFlyweight.OPERATION_REQUEST,
            senderIp, 0L, targetIp);
    }

    /**
     * A reply telling {@code targetMac}/{@code targetIp} (the requester) that {@code senderIp} is at
     * {@code encap.srcMac}, unicast to the requester.
     */
    public int reply(
        final MutableDirectBuffer out,
        final int offset,
        final EthernetEncap encap,
        final int senderIp,
        final long targetMac,
        final int targetIp)
    {
        return build(out, offset, encap, targetMac, ArpFlyweight.OPERATION_REPLY, senderIp, targetMac, targetIp);
    }

    /**
     * A gratuitous ARP announcing {@code ip} at {@code encap.srcMac}: a broadcast request with sender
     * and target IP both {@code ip} and target MAC zero, the "ARP Announcement" of RFC 5227 §3, which
     * updates every neighbour's cache after a failover moves an address.
     */
    public int gratuitous(final MutableDirectBuffer out, final int offset, final EthernetEncap encap, final int ip)
    {
        return build(out, offset, encap, EthernetFlyweight.BROADCAST_MAC, ArpFlyweight.OPERATION_REQUEST, ip, 0L, ip);
    }

    private int build(
        final MutableDirectBuffer out,
        final int offset,
        final EthernetEncap encap,
        final long dstMac,
        final int operation,
        final int senderIp,
        final long targetMac,
        final int targetIp)
    {
        final int l2Length = encap.headerLength();
        final int length = Math.max(l2Length + ArpFlyweight.LENGTH, EthernetFlyweight.MIN_FRAME_LENGTH);
        if (offset < 0 || offset + length > out.capacity())
        {
            return -PacketError.BUFFER_TOO_SMALL;
        }
        encap.write(out, offset, dstMac, EthernetFlyweight.ETHER_TYPE_ARP);
        arp.wrap(out, offset + l2Length)
            .writeFixed(operation)
            .senderMac(encap.srcMac)
            .senderIp(senderIp)
            .targetMac(targetMac)
            .targetIp(targetIp);
        final int end = offset + l2Length + ArpFlyweight.LENGTH;
        out.setMemory(end, offset + length - end, (byte)0);
        return length;
    }
}
