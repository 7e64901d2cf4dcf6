package org.vbgw.dataplane.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class Ipv6FlyweightTest
{
    /** Traffic class 0xb8 (EF), flow label 0x12345, payload 8, UDP, hop limit 64, 2001:db8::1 -> 2001:db8::2. */
    private static final String HEADER =
        "6b812345 0008 11 40 20010db8000000000000000000000001 20010db8000000000000000000000002";

    @Test
    void readsEveryField()
    {
        final Ipv6Flyweight ip = new Ipv6Flyweight().wrap(new UnsafeBuffer(Hex.bytes(HEADER + "0000000000000000")), 0);
        assertEquals(6, ip.version());
        assertEquals(0xB8, ip.trafficClass());
        assertEquals(0x12345, ip.flowLabel());
        assertEquals(8, ip.payloadLength());
        assertEquals(Ipv6Flyweight.NEXT_HEADER_UDP, ip.nextHeader());
        assertEquals(64, ip.hopLimit());
        assertEquals(0x20010DB800000000L, ip.srcHi());
        assertEquals(1L, ip.srcLo());
        assertEquals(0x20010DB800000000L, ip.dstHi());
        assertEquals(2L, ip.dstLo());
        assertEquals(PacketError.OK, ip.validate(48));
        assertEquals(63, ip.decrementHopLimit());
    }

    @Test
    void writesAHeaderByteExact()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[40]);
        new Ipv6Flyweight().wrap(buffer, 0)
            .versionClassFlow(0xB8, 0x12345)
            .payloadLength(8)
            .nextHeader(17)
            .hopLimit(64)
            .srcAddress(0x20010DB800000000L, 1L)
            .dstAddress(0x20010DB800000000L, 2L);
        assertEquals(Hex.norm(HEADER), Hex.of(buffer, 0, 40));
    }

    @Test
    void everyMalformedReason()
    {
        final Ipv6Flyweight ip = new Ipv6Flyweight().wrap(new UnsafeBuffer(Hex.bytes(HEADER + "0000000000000000")), 0);
        assertEquals(PacketError.IPV6_TOO_SHORT, ip.validate(39));
        assertEquals(PacketError.IPV6_PAYLOAD_LENGTH_EXCEEDS_FRAME, ip.validate(47));
        final byte[] v4 = Hex.bytes(HEADER + "0000000000000000");
        v4[0] = 0x4b;
        assertEquals(PacketError.IPV6_BAD_VERSION, new Ipv6Flyweight().wrap(new UnsafeBuffer(v4), 0).validate(48));
    }

    @Test
    void addressClasses()
    {
        assertTrue(Ipv6Flyweight.isMulticast(0xFF02000000000000L));
        assertFalse(Ipv6Flyweight.isMulticast(0xFE80000000000000L));
        assertTrue(Ipv6Flyweight.isUnspecified(0, 0));
        assertFalse(Ipv6Flyweight.isUnspecified(0, 1));
    }
}
