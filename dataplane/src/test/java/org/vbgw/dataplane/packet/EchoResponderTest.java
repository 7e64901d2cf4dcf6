package org.vbgw.dataplane.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class EchoResponderTest
{
    private static final String PAYLOAD =
        "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f4041424344454647";

    static final String ECHO4_REQUEST = "020000000001 020000000002 0800" +
        "4500 0054 1234 4000 3f01 1473 0a010101 0a000001 0800 22f7 1c2d 0007" + PAYLOAD;
    static final String ECHO6_REQUEST = "020000000001 020000000002 8100 0064 86dd" +
        "60000000 0040 3a 3f 20010db8000000000000000011223344 20010db8000000000000000000000001" +
        "8000 0aa3 1c2d 0007" + PAYLOAD;

    @Test
    void ipv4ReplyInPlace()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(Hex.bytes(ECHO4_REQUEST));
        assertEquals(PacketError.OK, EchoResponder.replyIpv4(frame, 0, 14));
        // Expected reply computed with full (not incremental) independent checksums.
        assertEquals(Hex.norm("020000000002 020000000001 0800" +
            "4500 0054 1234 4000 4001 1373 0a000001 0a010101 0000 2af7 1c2d 0007" + PAYLOAD),
            Hex.of(frame, 0, frame.capacity()));
    }

    @Test
    void ipv6ReplyInPlaceOnVlan()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(Hex.bytes(ECHO6_REQUEST));
        assertEquals(PacketError.OK, EchoResponder.replyIpv6(frame, 0, 18));
        assertEquals(Hex.norm("020000000002 020000000001 8100 0064 86dd" +
            "60000000 0040 3a 40 20010db8000000000000000000000001 20010db8000000000000000011223344" +
            "8100 09a3 1c2d 0007" + PAYLOAD),
            Hex.of(frame, 0, frame.capacity()));
    }

    @Test
    void incrementalChecksumsMatchFullRecomputationForRandomRequests()
    {
        final SplittableRandom random = new SplittableRandom(792);
        for (int round = 0; round < 2000; round++)
        {
            final byte[] data = Hex.bytes(ECHO4_REQUEST);
            for (int i = 42; i < data.length; i++)
            {
                data[i] = (byte)random.nextInt(256);
            }
            data[22] = (byte)random.nextInt(256); // TTL
            final UnsafeBuffer frame = new UnsafeBuffer(data);
            new Ipv4Flyweight().wrap(frame, 14).updateChecksum();
            new IcmpFlyweight().wrap(frame, 34).updateChecksum(64);
            assertEquals(PacketError.OK, EchoResponder.replyIpv4(frame, 0, 14));
            assertTrue(Rfc1071.verifies(data, 14, 20));
            assertTrue(Rfc1071.verifies(data, 34, 64));
        }
    }

    @Test
    void refusesMulticastAndNonEcho()
    {
        final UnsafeBuffer v4 = new UnsafeBuffer(Hex.bytes(ECHO4_REQUEST));
        v4.putInt(30, 0xE0000001, ByteOrder.BIG_ENDIAN);
        assertEquals(-PacketError.ECHO_TO_MULTICAST, EchoResponder.replyIpv4(v4, 0, 14));
        v4.putByte(34, (byte)0);
        assertEquals(-PacketError.BAD_ARGUMENT, EchoResponder.replyIpv4(v4, 0, 14));

        final UnsafeBuffer v6 = new UnsafeBuffer(Hex.bytes(ECHO6_REQUEST));
        v6.putLong(18 + 24, 0xFF02000000000000L, ByteOrder.BIG_ENDIAN);
        assertEquals(-PacketError.ECHO_TO_MULTICAST, EchoResponder.replyIpv6(v6, 0, 18));
        v6.putByte(58, (byte)129);
        assertEquals(-PacketError.BAD_ARGUMENT, EchoResponder.replyIpv6(v6, 0, 18));
    }
}
