package org.vbgw.dataplane.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ArpTest
{
    private static final long GW_MAC = 0x020000000001L;
    private static final long HOST_MAC = 0x020000000002L;
    private static final int GW_IP = 0x0A000001;
    private static final int HOST_IP = 0x0A000002;
    private static final String PAD_14 = "0000000000000000000000000000";

    private final ArpPacketBuilder builder = new ArpPacketBuilder();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[128]);

    @Test
    void requestOnVlan100()
    {
        final EthernetEncap encap = new EthernetEncap().set(GW_MAC, 100, 0);
        out.setMemory(0, 128, (byte)0x5A); // stale bytes must not leak into padding
        final int length = builder.request(out, 4, encap, GW_IP, HOST_IP);
        assertEquals(60, length);
        assertEquals(Hex.norm(
            "ffffffffffff 020000000001 8100 0064 0806" +
            "0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a000002" + PAD_14),
            Hex.of(out, 4, length));
    }

    @Test
    void replyUntagged()
    {
        final EthernetEncap encap = new EthernetEncap().set(GW_MAC, 0, 0);
        final int length = builder.reply(out, 0, encap, GW_IP, HOST_MAC, HOST_IP);
        assertEquals(60, length);
        assertEquals(Hex.norm(
            "020000000002 020000000001 0806" +
            "0001 0800 06 04 0002 020000000001 0a000001 020000000002 0a000002" +
            "000000000000000000000000000000000000"),
            Hex.of(out, 0, length));
    }

    @Test
    void gratuitousOnQinq()
    {
        final EthernetEncap encap = new EthernetEncap().set(GW_MAC, 200, 100);
        final int length = builder.gratuitous(out, 0, encap, GW_IP);
        assertEquals(60, length);
        assertEquals(Hex.norm(
            "ffffffffffff 020000000001 88a8 00c8 8100 0064 0806" +
            "0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a000001" + "00000000000000000000"),
            Hex.of(out, 0, length));
        final ArpFlyweight arp = new ArpFlyweight().wrap(out, 22);
        assertEquals(PacketError.OK, arp.validate(length - 22));
        assertTrue(arp.isGratuitous());
    }

    @Test
    void builderRefusesSmallBuffer()
    {
        final EthernetEncap encap = new EthernetEncap().set(GW_MAC, 0, 0);
        assertEquals(-PacketError.BUFFER_TOO_SMALL, builder.request(new UnsafeBuffer(new byte[59]), 0, encap, 1, 2));
    }

    @Test
    void flyweightReadsARequest()
    {
        // An Ethernet/IPv4 ARP request laid out per RFC 826: who-has 192.168.1.1 tell 192.168.1.100.
        final UnsafeBuffer buffer = new UnsafeBuffer(Hex.bytes(
            "0001 0800 0604 0001 00155d010203 c0a80164 000000000000 c0a80101"));
        final ArpFlyweight arp = new ArpFlyweight().wrap(buffer, 0);
        assertEquals(PacketError.OK, arp.validate(28));
        assertEquals(ArpFlyweight.OPERATION_REQUEST, arp.operation());
        assertEquals(0x00155D010203L, arp.senderMac());
        assertEquals(0xC0A80164, arp.senderIp());
        assertEquals(0L, arp.targetMac());
        assertEquals(0xC0A80101, arp.targetIp());
    }

    @Test
    void everyMalformedReason()
    {
        final String good = "0001 0800 0604 0001 00155d010203 c0a80164 000000000000 c0a80101";
        assertEquals(PacketError.ARP_TOO_SHORT, validate(good, 27));
        assertEquals(PacketError.ARP_BAD_HTYPE, validate("0006" + good.substring(4), 28));
        assertEquals(PacketError.ARP_BAD_PTYPE, validate("0001 86dd" + good.substring(9), 28));
        assertEquals(PacketError.ARP_BAD_HLEN, validate("0001 0800 0804" + good.substring(14), 28));
        assertEquals(PacketError.ARP_BAD_PLEN, validate("0001 0800 0610" + good.substring(14), 28));
        assertEquals(PacketError.ARP_BAD_OPCODE, validate("0001 0800 0604 0003" + good.substring(19), 28));
    }

    private static int validate(final String hex, final int available)
    {
        return new ArpFlyweight().wrap(new UnsafeBuffer(Hex.bytes(hex)), 0).validate(available);
    }
}
