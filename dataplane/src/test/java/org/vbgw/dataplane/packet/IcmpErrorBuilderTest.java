package org.vbgw.dataplane.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class IcmpErrorBuilderTest
{
    private static final long GW_MAC = 0x020000000001L;
    private static final long HOST_MAC = 0x020000000002L;
    private static final int GW_IP = 0x0A000001;

    /** UDP 10.1.1.1:12345 -> 10.2.2.2:53, TTL 1, id 0xabcd, 20 bytes of payload 01..14. */
    static final String INVOKING =
        "45000030abcd00000111f6ea0a0101010a020202 30390035001c0000 0102030405060708090a0b0c0d0e0f1011121314";

    private final IcmpErrorBuilder builder = new IcmpErrorBuilder();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[2048]);

    @Test
    void timeExceededQuotesHeaderPlusEightBytes()
    {
        final UnsafeBuffer invoking = new UnsafeBuffer(Hex.bytes(INVOKING));
        final EthernetEncap encap = new EthernetEncap().set(GW_MAC, 0, 0);
        final int length = builder.timeExceeded(out, 0, encap, HOST_MAC, GW_IP, invoking, 0);
        // Expected frame written out by hand and summed with an independent RFC 1071 implementation.
        assertEquals(Hex.norm(
            "020000000002 020000000001 0800" +
            "45c0 0038 0000 0000 4001 6503 0a000001 0a010101" +
            "0b00 c475 00000000" +
            "45000030abcd00000111f6ea0a0101010a020202 30390035001c0000"),
            Hex.of(out, 0, length));
        final byte[] frame = new byte[length];
        out.getBytes(0, frame);
        assertTrue(Rfc1071.verifies(frame, 14, 20));
        assertTrue(Rfc1071.verifies(frame, 34, length - 34));
    }

    @Test
    void fragmentationNeededCarriesNextHopMtuOnVlan()
    {
        final UnsafeBuffer invoking = new UnsafeBuffer(Hex.bytes(INVOKING));
        final EthernetEncap encap = new EthernetEncap().set(GW_MAC, 100, 0);
        builder.timeExceeded(out, 0, encap, HOST_MAC, GW_IP, invoking, 0); // identification 0 used
        final int length = builder.fragmentationNeeded(out, 0, encap, HOST_MAC, GW_IP, 1400, invoking, 0);
        assertEquals(Hex.norm(
            "020000000002 020000000001 8100 0064 0800" +
            "45c0 0038 0001 0000 4001 6502 0a000001 0a010101" +
            "0304 c6f9 0000 0578" +
            "45000030abcd00000111f6ea0a0101010a020202 30390035001c0000"),
            Hex.of(out, 0, length));
        assertEquals(1400, new IcmpFlyweight().wrap(out, 38).nextHopMtu());
    }

    @Test
    void destinationUnreachableCodesOnQinq()
    {
        final UnsafeBuffer invoking = new UnsafeBuffer(Hex.bytes(INVOKING));
        final EthernetEncap encap = new EthernetEncap().set(GW_MAC, 200, 100);
        final int[] codes = {
            IcmpFlyweight.CODE_NET_UNREACHABLE, IcmpFlyweight.CODE_HOST_UNREACHABLE, IcmpFlyweight.CODE_ADMIN_PROHIBITED};
        for (final int code : codes)
        {
            final int length = builder.destinationUnreachable(out, 10, encap, HOST_MAC, GW_IP, code, invoking, 0);
            assertEquals(22 + 20 + 8 + 28, length);
            final L2Header l2 = new L2Header();
            assertEquals(PacketError.OK, FrameParser.parse(new FrameView(), out, 10, length, l2));
            assertEquals(200, l2.outerVid);
            assertEquals(100, l2.innerVid);
            final byte[] frame = new byte[length];
            out.getBytes(10, frame);
            assertTrue(Rfc1071.verifies(frame, 22, 20));
            assertTrue(Rfc1071.verifies(frame, 42, length - 42));
            assertEquals(3, frame[42]);
            assertEquals(code, frame[43]);
            assertEquals(Hex.norm(INVOKING).substring(0, 56), Hex.of(frame, 50, 28));
            final Ipv4Flyweight ip = new Ipv4Flyweight().wrap(out, 32);
            assertEquals(PacketError.OK, ip.validate(length - 22));
            assertEquals(GW_IP, ip.srcAddress());
            assertEquals(0x0A010101, ip.dstAddress());
            assertEquals(64, ip.ttl());
            assertEquals(PacketError.OK, new IcmpFlyweight().wrap(out, 52).validate(ip.payloadLength()));
        }
        assertEquals(-PacketError.BAD_ARGUMENT,
            builder.destinationUnreachable(out, 0, encap, HOST_MAC, GW_IP, 4, invoking, 0));
    }

    @Test
    void quoteIsWholePacketWhenShorterThanHeaderPlusEight()
    {
        // 24-byte packet: header + 4 bytes of payload; the quote is all 24.
        final byte[] data = Hex.bytes("45000018 00010000 4006 0000 0a010101 0a020202 deadbeef");
        final UnsafeBuffer invoking = new UnsafeBuffer(data);
        new Ipv4Flyweight().wrap(invoking, 0).updateChecksum();
        final int length = builder.timeExceeded(out, 0, new EthernetEncap(), HOST_MAC, GW_IP, invoking, 0);
        assertEquals(14 + 20 + 8 + 24, length);
        assertEquals(Hex.of(data, 0, 24), Hex.of(out, 42, 24));
    }

    @Test
    void quotesOptionsOfTheInvokingHeader()
    {
        // IHL 6: one option word (NOP NOP NOP EOL); the quote is 24 + 8 bytes.
        final byte[] data = new byte[64];
        final UnsafeBuffer invoking = new UnsafeBuffer(data);
        final Ipv4Flyweight ip = new Ipv4Flyweight().wrap(invoking, 0)
            .versionAndHeaderLength(24).totalLength(64).ttl(1).protocol(17)
            .srcAddress(0x0A010101).dstAddress(0x0A020202);
        invoking.putInt(20, 0x01010100, ByteOrder.BIG_ENDIAN);
        for (int i = 24; i < 64; i++)
        {
            data[i] = (byte)i;
        }
        ip.updateChecksum();
        final int length = builder.timeExceeded(out, 0, new EthernetEncap(), HOST_MAC, GW_IP, invoking, 0);
        assertEquals(14 + 20 + 8 + 32, length);
        assertEquals(Hex.of(data, 0, 32), Hex.of(out, 42, 32));
    }

    @Test
    void suppressedWhereRfc1122Forbids()
    {
        final EthernetEncap encap = new EthernetEncap();
        // Non-initial fragment.
        assertEquals(-PacketError.ICMP_ERROR_SUPPRESSED, timeExceededAbout(INVOKING, 6, 0x2001));
        // Multicast and limited-broadcast destinations.
        assertEquals(-PacketError.ICMP_ERROR_SUPPRESSED, timeExceededAbout(INVOKING, 16, 0xE0000001));
        assertEquals(-PacketError.ICMP_ERROR_SUPPRESSED, timeExceededAbout(INVOKING, 16, 0xFFFFFFFF));
        // Sources naming no single host.
        assertEquals(-PacketError.ICMP_ERROR_SUPPRESSED, timeExceededAbout(INVOKING, 12, 0));
        assertEquals(-PacketError.ICMP_ERROR_SUPPRESSED, timeExceededAbout(INVOKING, 12, 0x7F000001));
        assertEquals(-PacketError.ICMP_ERROR_SUPPRESSED, timeExceededAbout(INVOKING, 12, 0xE0000001));
        // A first fragment (MF, offset 0) is reported.
        assertTrue(timeExceededAbout(INVOKING, 6, 0x2000) > 0);

        // About an ICMP error: suppressed; about an echo request: allowed.
        final String icmpError = "4500002400010000 0101 0000 0a0101010a020202 0b00f4ff00000000 4500001c00000000";
        assertEquals(-PacketError.ICMP_ERROR_SUPPRESSED, timeExceededAbout(icmpError, 0, 0x4500));
        final String echo = "4500002400010000 0101 0000 0a0101010a020202 0800f7ff00000000 4500001c00000000";
        assertTrue(timeExceededAbout(echo, 0, 0x4500) > 0);
        assertEquals(-PacketError.BUFFER_TOO_SMALL,
            builder.timeExceeded(new UnsafeBuffer(new byte[60]), 0, encap, HOST_MAC, GW_IP,
                new UnsafeBuffer(Hex.bytes(INVOKING)), 0));
    }

    /** Builds a time exceeded about {@code hex} with the 16- or 32-bit field at {@code index} replaced. */
    private int timeExceededAbout(final String hex, final int index, final int value)
    {
        final UnsafeBuffer invoking = new UnsafeBuffer(Hex.bytes(hex));
        if (index == 6 || index == 0)
        {
            invoking.putShort(index, (short)value, ByteOrder.BIG_ENDIAN);
        }
        else
        {
            invoking.putInt(index, value, ByteOrder.BIG_ENDIAN);
        }
        new Ipv4Flyweight().wrap(invoking, 0).updateChecksum();
        return builder.timeExceeded(out, 0, new EthernetEncap(), HOST_MAC, GW_IP, invoking, 0);
    }
}
