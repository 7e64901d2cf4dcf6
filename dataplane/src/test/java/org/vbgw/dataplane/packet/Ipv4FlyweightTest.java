package org.vbgw.dataplane.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class Ipv4FlyweightTest
{
    /** 192.168.0.1 -> 192.168.0.199, UDP, total length 0x73, DF, TTL 64, checksum b861. */
    private static final String HEADER = "45000073000040004011b861c0a80001c0a800c7";

    private static Ipv4Flyweight wrap(final byte[] data)
    {
        return new Ipv4Flyweight().wrap(new UnsafeBuffer(data), 0);
    }

    @Test
    void readsEveryField()
    {
        final byte[] data = Hex.bytes("4ab8 0030 1234 2005 3f06 0000 0a000001 0a000002" + "0000000000000000000000000000");
        final Ipv4Flyweight ip = wrap(data);
        assertEquals(4, ip.version());
        assertEquals(10, ip.ihl());
        assertEquals(40, ip.headerLength());
        assertEquals(20, ip.optionsLength());
        assertEquals(0xB8, ip.tos());
        assertEquals(46, ip.dscp()); // EF
        assertEquals(0, ip.ecn());
        assertEquals(0x30, ip.totalLength());
        assertEquals(0x1234, ip.identification());
        assertFalse(ip.dontFragment());
        assertTrue(ip.moreFragments());
        assertEquals(5, ip.fragmentOffset());
        assertTrue(ip.isFragment());
        assertEquals(0x3F, ip.ttl());
        assertEquals(Ipv4Flyweight.PROTOCOL_TCP, ip.protocol());
        assertEquals(0x0A000001, ip.srcAddress());
        assertEquals(0x0A000002, ip.dstAddress());
        assertEquals(40, ip.payloadOffset());
        assertEquals(8, ip.payloadLength());
    }

    @Test
    void writesAHeaderByteExact()
    {
        final byte[] data = new byte[20];
        wrap(data)
            .versionAndHeaderLength(20)
            .tos(0)
            .totalLength(0x73)
            .identification(0)
            .flagsAndFragmentOffset(Ipv4Flyweight.FLAG_DF)
            .ttl(64)
            .protocol(Ipv4Flyweight.PROTOCOL_UDP)
            .srcAddress(0xC0A80001)
            .dstAddress(0xC0A800C7)
            .updateChecksum();
        assertEquals(Hex.norm(HEADER), Hex.of(data, 0, 20));
    }

    @Test
    void decrementTtlPatchesChecksum()
    {
        final byte[] data = Hex.bytes(HEADER);
        assertEquals(63, wrap(data).decrementTtl());
        assertTrue(Rfc1071.verifies(data, 0, 20));
        // Known value: TTL 0x3f changes the word 0x4011 -> 0x3f11, checksum b861 -> b961.
        assertEquals(Hex.norm("45000073000040003f11b961c0a80001c0a800c7"), Hex.of(data, 0, 20));
    }

    @Test
    void validHeaderWithEthernetPadding()
    {
        final byte[] data = Hex.bytes(HEADER);
        assertEquals(PacketError.OK, wrap(data).validate(0x73 + 10));
    }

    @Test
    void everyMalformedReason()
    {
        assertEquals(PacketError.IPV4_TOO_SHORT, wrap(Hex.bytes(HEADER)).validate(19));
        assertEquals(PacketError.IPV4_BAD_VERSION, wrap(withByte(0, 0x65)).validate(200));
        assertEquals(PacketError.IPV4_BAD_IHL, wrap(withByte(0, 0x44)).validate(200));
        assertEquals(PacketError.IPV4_TOO_SHORT, wrap(withByte(0, 0x46)).validate(22));
        assertEquals(PacketError.IPV4_TOTAL_LENGTH_EXCEEDS_FRAME, wrap(Hex.bytes(HEADER)).validate(0x72));
        final byte[] shortTotal = Hex.bytes(HEADER);
        final Ipv4Flyweight ip = wrap(shortTotal);
        ip.totalLength(19).updateChecksum();
        assertEquals(PacketError.IPV4_TOTAL_LENGTH_BELOW_HEADER, ip.validate(200));
        assertEquals(PacketError.IPV4_BAD_CHECKSUM, wrap(withByte(11, 0x62)).validate(200));
    }

    @Test
    void theForwardingPathsValidationAgreesOnEveryHeaderWithAndWithoutOptions()
    {
        // The FrameView variant reads the fixed header as words and sums the options apart: it must give the
        // checked flyweight's answer for any bytes, checksum errors in the options included.
        final java.util.SplittableRandom random = new java.util.SplittableRandom(791);
        final FrameView view = new FrameView();
        for (int i = 0; i < 200_000; i++)
        {
            final int headerLength = 20 + 4 * random.nextInt(11);
            final int frameBytes = headerLength + random.nextInt(64);
            final byte[] data = new byte[frameBytes];
            random.nextBytes(data);
            final Ipv4Flyweight ip = wrap(data);
            ip.versionAndHeaderLength(headerLength).totalLength(headerLength + random.nextInt(frameBytes - headerLength + 1));
            ip.updateChecksum();
            switch (random.nextInt(6))
            {
                case 0 -> data[random.nextInt(headerLength)] ^= (byte)(1 << random.nextInt(8)); // one bit anywhere
                case 1 -> data[0] = (byte)random.nextInt(256);                                   // version and IHL
                case 2 -> ip.totalLength(random.nextInt(1 << 16));
                default ->
                {
                }
            }
            final int available = 20 + random.nextInt(frameBytes - 19);
            final byte[] frame = java.util.Arrays.copyOf(data, available);
            assertTrue(view.wrap(new UnsafeBuffer(frame), 0, available));
            assertEquals(wrap(frame).validate(available), Ipv4Flyweight.validate(view, 0), () -> Hex.of(frame, 0, frame.length));
        }
    }

    @Test
    void multicastTest()
    {
        assertTrue(Ipv4Flyweight.isMulticast(0xE0000005));
        assertTrue(Ipv4Flyweight.isMulticast(0xEFFFFFFF));
        assertFalse(Ipv4Flyweight.isMulticast(0xF0000000));
        assertFalse(Ipv4Flyweight.isMulticast(0x0A000001));
    }

    private static byte[] withByte(final int index, final int value)
    {
        final byte[] data = Hex.bytes(HEADER);
        data[index] = (byte)value;
        return java.util.Arrays.copyOf(data, 200);
    }
}
