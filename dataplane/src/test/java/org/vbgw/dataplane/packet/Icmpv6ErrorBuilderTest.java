package org.vbgw.dataplane.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class Icmpv6ErrorBuilderTest
{
    private static final long GW_MAC = 0x020000000001L;
    private static final long HOST_MAC = 0x020000000002L;
    private static final long GW_HI = 0x20010DB800000000L;
    private static final long GW_LO = 1L;

    /** UDP 2001:db8:1::10 -> 2001:db8:2::20, hop limit 1, 8 bytes of payload, valid UDP checksum. */
    static final String INVOKING = "6000000000101101 20010db8000100000000000000000010 20010db8000200000000000000000020" +
        "30390035001063a7 0102030405060708";

    private final Icmpv6ErrorBuilder builder = new Icmpv6ErrorBuilder();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[2048]);

    @Test
    void timeExceededQuotesWholeSmallPacket()
    {
        final UnsafeBuffer invoking = new UnsafeBuffer(Hex.bytes(INVOKING));
        final int length = builder.timeExceeded(out, 0, new EthernetEncap().set(GW_MAC, 0, 0), HOST_MAC, GW_HI, GW_LO,
            invoking, 0);
        // Expected frame: checksum from an independent RFC 1071 + RFC 8200 §8.1 pseudo-header sum.
        assertEquals(Hex.norm(
            "020000000002 020000000001 86dd" +
            "60000000 0040 3a 40 20010db8000000000000000000000001 20010db8000100000000000000000010" +
            "0300 3011 00000000" + INVOKING),
            Hex.of(out, 0, length));
    }

    @Test
    void packetTooBigQuotesUpTo1280Bytes()
    {
        final byte[] big = new byte[40 + 1400];
        System.arraycopy(Hex.bytes(INVOKING), 0, big, 0, 40);
        for (int i = 40; i < big.length; i++)
        {
            big[i] = (byte)(i * 7);
        }
        final UnsafeBuffer invoking = new UnsafeBuffer(big);
        invoking.putShort(4, (short)1400, ByteOrder.BIG_ENDIAN);
        final EthernetEncap encap = new EthernetEncap().set(GW_MAC, 100, 0);
        final int length = builder.packetTooBig(out, 0, encap, HOST_MAC, GW_HI, GW_LO, 1300, invoking, 0);
        assertEquals(18 + Ipv6Flyweight.MIN_MTU, length);

        final byte[] frame = new byte[length];
        out.getBytes(0, frame);
        final Ipv6Flyweight ip = new Ipv6Flyweight().wrap(out, 18);
        assertEquals(1240, ip.payloadLength());
        assertEquals(58, ip.nextHeader());
        assertEquals(0x20010DB800010000L, ip.dstHi());
        assertEquals(0x10L, ip.dstLo());
        assertEquals(Hex.norm("0200"), Hex.of(frame, 58, 2));
        assertEquals(1300, new Icmpv6Flyweight().wrap(out, 58).mtu());
        assertEquals(Hex.of(big, 0, 1232), Hex.of(frame, 66, 1232));
        assertTrue(Rfc1071.icmpv6Verifies(frame, 18, 1240));
        assertEquals(PacketError.OK, new Icmpv6Flyweight().wrap(out, 58).validate(18, 1240));
        assertEquals(-PacketError.BAD_ARGUMENT,
            builder.packetTooBig(out, 0, encap, HOST_MAC, GW_HI, GW_LO, 1279, invoking, 0));
    }

    @Test
    void destinationUnreachableCodes()
    {
        final UnsafeBuffer invoking = new UnsafeBuffer(Hex.bytes(INVOKING));
        final EthernetEncap encap = new EthernetEncap().set(GW_MAC, 200, 100);
        final int[] codes = {
            Icmpv6Flyweight.CODE_NO_ROUTE, Icmpv6Flyweight.CODE_ADMIN_PROHIBITED, Icmpv6Flyweight.CODE_ADDRESS_UNREACHABLE};
        for (final int code : codes)
        {
            final int length = builder.destinationUnreachable(out, 0, encap, HOST_MAC, GW_HI, GW_LO, code, invoking, 0);
            assertEquals(22 + 40 + 8 + 56, length);
            final byte[] frame = new byte[length];
            out.getBytes(0, frame);
            assertEquals(1, frame[62]);
            assertEquals(code, frame[63]);
            assertTrue(Rfc1071.icmpv6Verifies(frame, 22, 64));
        }
        assertEquals(-PacketError.BAD_ARGUMENT,
            builder.destinationUnreachable(out, 0, encap, HOST_MAC, GW_HI, GW_LO, 8, invoking, 0));
    }

    @Test
    void suppressedWhereRfc4443Forbids()
    {
        final EthernetEncap encap = new EthernetEncap();
        // Multicast destination: no time exceeded, but packet too big is allowed (RFC 4443 §2.4(e.3)).
        final UnsafeBuffer multicast = new UnsafeBuffer(Hex.bytes(INVOKING));
        multicast.putLong(24, 0xFF0E000000000000L, ByteOrder.BIG_ENDIAN);
        assertEquals(-PacketError.ICMP_ERROR_SUPPRESSED,
            builder.timeExceeded(out, 0, encap, HOST_MAC, GW_HI, GW_LO, multicast, 0));
        assertTrue(builder.packetTooBig(out, 0, encap, HOST_MAC, GW_HI, GW_LO, 1280, multicast, 0) > 0);

        // Unspecified and multicast sources.
        final UnsafeBuffer unspecified = new UnsafeBuffer(Hex.bytes(INVOKING));
        unspecified.putLong(8, 0L);
        unspecified.putLong(16, 0L);
        assertEquals(-PacketError.ICMP_ERROR_SUPPRESSED,
            builder.timeExceeded(out, 0, encap, HOST_MAC, GW_HI, GW_LO, unspecified, 0));
        final UnsafeBuffer multicastSource = new UnsafeBuffer(Hex.bytes(INVOKING));
        multicastSource.putLong(8, 0xFF02000000000000L, ByteOrder.BIG_ENDIAN);
        assertEquals(-PacketError.ICMP_ERROR_SUPPRESSED,
            builder.timeExceeded(out, 0, encap, HOST_MAC, GW_HI, GW_LO, multicastSource, 0));

        // About an ICMPv6 error (time exceeded): suppressed; about an echo request: allowed.
        final UnsafeBuffer icmpError = new UnsafeBuffer(Hex.bytes(INVOKING));
        icmpError.putByte(6, (byte)58);
        icmpError.putByte(40, (byte)3);
        assertEquals(-PacketError.ICMP_ERROR_SUPPRESSED,
            builder.timeExceeded(out, 0, encap, HOST_MAC, GW_HI, GW_LO, icmpError, 0));
        icmpError.putByte(40, (byte)128);
        assertTrue(builder.timeExceeded(out, 0, encap, HOST_MAC, GW_HI, GW_LO, icmpError, 0) > 0);
    }
}
