package org.vbgw.dataplane.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class TransportFlyweightTest
{
    @Test
    void udpFieldsAndChecksum()
    {
        // DNS query 10.0.0.1:53000 -> 10.0.0.2:53 with a 4-byte payload.
        final byte[] data = Hex.bytes("cf08 0035 000c 0000 deadbeef");
        final UnsafeBuffer buffer = new UnsafeBuffer(data);
        final UdpFlyweight udp = new UdpFlyweight().wrap(buffer, 0);
        assertEquals(53000, udp.srcPort());
        assertEquals(53, udp.dstPort());
        assertEquals(0xCF080035, udp.ports());
        assertEquals(12, udp.length());
        udp.updateChecksum(InternetChecksum.ipv4PseudoHeader(0x0A000001, 0x0A000002, 17, 12));
        final long pseudo = 0x0A00 + 0x0001 + 0x0A00 + 0x0002 + 17 + 12;
        assertEquals(0xFFFF, Rfc1071.sum(data, 0, data.length, pseudo));
        udp.srcPort(1).dstPort(2).length(8).checksum(0x1234);
        assertEquals(Hex.norm("0001 0002 0008 1234"), Hex.of(data, 0, 8));
    }

    @Test
    void udpZeroChecksumIsSentAsAllOnes()
    {
        // Choose a payload word so that the sum is 0xFFFF: the computed checksum 0 must go out as FFFF.
        final byte[] data = Hex.bytes("0000 0000 000a 0000 0000");
        final long pseudo = 17 + 10;
        final int sum = Rfc1071.sum(data, 0, data.length, pseudo);
        final int filler = ~sum & 0xFFFF;
        data[8] = (byte)(filler >>> 8);
        data[9] = (byte)filler;
        final UdpFlyweight udp = new UdpFlyweight().wrap(new UnsafeBuffer(data), 0);
        udp.updateChecksum(InternetChecksum.ipv4PseudoHeader(0, 0, 17, 10));
        assertEquals(0xFFFF, udp.checksum());
    }

    @Test
    void tcpFields()
    {
        // SYN 10.0.0.1:40000 -> :443, seq 0x01020304, data offset 10 (40 bytes), window 64240.
        final UnsafeBuffer buffer = new UnsafeBuffer(Hex.bytes("9c40 01bb 01020304 00000000 a002 faf0 abcd 0000"));
        final TcpFlyweight tcp = new TcpFlyweight().wrap(buffer, 0);
        assertEquals(40000, tcp.srcPort());
        assertEquals(443, tcp.dstPort());
        assertEquals(0x9C4001BB, tcp.ports());
        assertEquals(0x01020304L, tcp.sequence());
        assertEquals(0L, tcp.acknowledgment());
        assertEquals(40, tcp.headerLength());
        assertEquals(TcpFlyweight.FLAG_SYN, tcp.flags());
        assertEquals(64240, tcp.window());
        assertEquals(0xABCD, tcp.checksum());
        tcp.ports(443, 40000);
        assertEquals(Hex.norm("01bb 9c40"), Hex.of(buffer, 0, 4));
    }

    @Test
    void icmpFlyweightFields()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(Hex.bytes("0304 0000 0000 05dc"));
        final IcmpFlyweight icmp = new IcmpFlyweight().wrap(buffer, 0);
        assertEquals(3, icmp.type());
        assertEquals(4, icmp.code());
        assertEquals(1500, icmp.nextHopMtu());
        assertEquals(PacketError.ICMP_BAD_CHECKSUM, icmp.validate(8));
        icmp.updateChecksum(8);
        assertEquals(PacketError.OK, icmp.validate(8));
        assertEquals(PacketError.ICMP_TOO_SHORT, icmp.validate(7));
        assertTrue(IcmpFlyweight.isError(3));
        assertTrue(!IcmpFlyweight.isError(8));
        icmp.type(8).code(0).identifier(0x1c2d).sequence(7);
        assertEquals(Hex.norm("0800"), Hex.of(buffer, 0, 2));
        assertEquals(Hex.norm("1c2d 0007"), Hex.of(buffer, 4, 4));
        icmp.nextHopMtu(1280);
        assertEquals(Hex.norm("0000 0500"), Hex.of(buffer, 4, 4));
    }

    @Test
    void icmpv6FlyweightFields()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
        final Icmpv6Flyweight icmp = new Icmpv6Flyweight().wrap(buffer, 0);
        icmp.type(Icmpv6Flyweight.TYPE_ECHO_REQUEST).code(0).checksum(0xabcd).identifier(0x1c2d).sequence(7);
        assertEquals(Hex.norm("8000 abcd 1c2d 0007"), Hex.of(buffer, 0, 8));
        assertEquals(0x1c2d, icmp.identifier());
        assertEquals(7, icmp.sequence());
        icmp.type(Icmpv6Flyweight.TYPE_PACKET_TOO_BIG).mtu(1400);
        assertEquals(Hex.norm("0200 abcd 0000 0578"), Hex.of(buffer, 0, 8));
        assertEquals(1400, icmp.mtu());
        assertTrue(Icmpv6Flyweight.isError(2));
        assertTrue(!Icmpv6Flyweight.isError(128));
    }

    @Test
    void packetErrorNamesAreUniqueAndStable()
    {
        final java.util.Set<String> names = new java.util.HashSet<>();
        for (int code = 0; code < PacketError.COUNT; code++)
        {
            final String name = PacketError.name(code);
            assertTrue(names.add(name), "duplicate name " + name);
            assertEquals(name, PacketError.name(-code));
        }
        assertEquals("ok", PacketError.name(PacketError.OK));
        assertEquals("ipv4_bad_checksum", PacketError.name(PacketError.IPV4_BAD_CHECKSUM));
        assertEquals("unknown", PacketError.name(PacketError.COUNT));
        assertEquals("unknown", PacketError.name(Integer.MIN_VALUE));
    }
}
