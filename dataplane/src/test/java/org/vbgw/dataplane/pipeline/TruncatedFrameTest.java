package org.vbgw.dataplane.pipeline;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vbgw.dataplane.packet.FrameView;
import org.vbgw.dataplane.packet.PacketError;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vbgw.dataplane.pipeline.ForwarderTest.DX1_MAC;
import static org.vbgw.dataplane.pipeline.ForwarderTest.DX2_MAC;
import static org.vbgw.dataplane.pipeline.ForwarderTest.SENDER_MAC;
import static org.vbgw.dataplane.pipeline.ForwarderTest.VPC_MAC;

/**
 * The forwarding path reads frames without a bounds check per access, after one check that the frame lies
 * in its buffer. These tests put every frame at the very end of a buffer of exactly its size, so a read
 * past the frame would also be a read past the buffer, and cut it at every length: each cut must be a
 * counted malformed drop with the reason of the header it cuts, never a read outside the frame (the
 * frame view asserts every access, and the tests run with assertions on).
 */
class TruncatedFrameTest
{
    private static final int HEADROOM = 64;

    private final ForwarderTest gateway = new ForwarderTest();

    @BeforeEach
    void setUp()
    {
        gateway.setUp();
    }

    @Test
    void testsRunWithTheFrameViewsAssertionsOn()
    {
        assertTrue(FrameView.class.desiredAssertionStatus(),
            "run the tests with -ea (surefire's default): the frame view's assertions are what catch a stray read");
    }

    @Test
    void ipv4CutAtEveryLengthIsMalformedWithTheReasonOfTheCutHeader()
    {
        final byte[][] frames = {
            TestFrames.ipv4Udp(VPC_MAC, SENDER_MAC, 0, 0, 0xAC100505, 0xC0A80001, 64, 1000, 53, 10, false),
            TestFrames.ipv4Udp(DX1_MAC, SENDER_MAC, 100, 0, 0xC0A80105, 0xAC100505, 64, 1000, 2000, 0, false),
            TestFrames.ipv4Udp(DX2_MAC, SENDER_MAC, 200, 10, 0xC0A80105, 0xAC100505, 64, 1000, 2000, 0, false),
            TestFrames.ipv4Tcp(DX1_MAC, SENDER_MAC, 100, 0xC0A80105, 0xAC100505, 40000, 443),
        };
        final int[] ports = {1, 0, 0, 0};
        final int[] l2Lengths = {14, 18, 22, 18};
        for (int f = 0; f < frames.length; f++)
        {
            final byte[] frame = frames[f];
            final int ttlIndex = l2Lengths[f] + 8;
            frame[ttlIndex] = (byte)(frame[ttlIndex] == 1 ? 64 : frame[ttlIndex]);
            fixIpv4Checksum(frame, l2Lengths[f]);
            assertEquals(Verdict.FORWARDED, processAtBufferEnd(ports[f], frame, frame.length), "whole frame " + f);
            for (int length = 0; length < frame.length; length++)
            {
                final int expected = length < l2Lengths[f] ? PacketError.FRAME_TOO_SHORT
                    : length < l2Lengths[f] + 20 ? PacketError.IPV4_TOO_SHORT
                    : PacketError.IPV4_TOTAL_LENGTH_EXCEEDS_FRAME;
                assertMalformed(expected, ports[f], frame, length, "frame " + f);
            }
        }
    }

    @Test
    void ipv4OptionsLongerThanTheFrameAreTooShortNotRead()
    {
        // IHL 15 (60 bytes of header) announced in a frame that ends after 20 + 8 bytes of IP.
        final byte[] frame = TestFrames.ipv4Udp(VPC_MAC, SENDER_MAC, 0, 0, 0xAC100505, 0xC0A80001, 64, 1000, 53, 0, false);
        frame[14] = 0x4F;
        fixIpv4Checksum(frame, 14);
        assertMalformed(PacketError.IPV4_TOO_SHORT, 1, frame, frame.length, "IHL beyond the frame");
    }

    @Test
    void ipv6CutAtEveryLengthIsMalformedWithTheReasonOfTheCutHeader()
    {
        final byte[][] frames = {
            TestFrames.ipv6Udp(DX1_MAC, SENDER_MAC, 100, 0x20010db801000000L, 5, 0x20010db8ffff0000L, 0x10, 64, 16),
            TestFrames.ipv6Udp(DX1_MAC, SENDER_MAC, 100, 0x20010db801000000L, 5, 0x20010db8ffff0000L, 0x10, 64, 0),
        };
        for (final byte[] frame : frames)
        {
            assertEquals(Verdict.FORWARDED, processAtBufferEnd(0, frame, frame.length), "whole frame");
            for (int length = 0; length < frame.length; length++)
            {
                final int expected = length < 18 ? PacketError.FRAME_TOO_SHORT
                    : length < 18 + 40 ? PacketError.IPV6_TOO_SHORT
                    : PacketError.IPV6_PAYLOAD_LENGTH_EXCEEDS_FRAME;
                assertMalformed(expected, 0, frame, length, "IPv6");
            }
        }
    }

    @Test
    void aFrameOutsideItsBufferIsCountedAndNotRead()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int[][] bad = {{250, 20}, {-1, 20}, {0, -5}, {0, 257}, {Integer.MAX_VALUE, 64}};
        for (final int[] offsetLength : bad)
        {
            assertEquals(Verdict.DROP_MALFORMED,
                gateway.forwarder.process(1, buffer, offsetLength[0], offsetLength[1], 1_000_000_000L),
                "offset " + offsetLength[0] + " length " + offsetLength[1]);
            assertEquals("frame_outside_buffer", PacketError.name(gateway.forwarder.lastDetail()));
        }
        assertEquals(bad.length, gateway.counters.verdictCount(Verdict.DROP_MALFORMED));
    }

    @Test
    void randomlyDamagedAndCutFramesNeverReadOutsideTheFrame()
    {
        final byte[][] templates = {
            TestFrames.ipv4Udp(VPC_MAC, SENDER_MAC, 0, 0, 0xAC100505, 0xC0A80001, 64, 1000, 53, 10, false),
            TestFrames.ipv4Udp(DX2_MAC, SENDER_MAC, 200, 10, 0xC0A80105, 0xAC100505, 64, 1000, 2000, 0, false),
            TestFrames.ipv4Tcp(DX1_MAC, SENDER_MAC, 100, 0xC0A80105, 0xAC100505, 40000, 443),
            TestFrames.ipv6Udp(DX1_MAC, SENDER_MAC, 100, 0x20010db801000000L, 5, 0x20010db8ffff0000L, 0x10, 64, 4),
            TestFrames.ipv6Udp(VPC_MAC, SENDER_MAC, 0, 0x20010db8ffff0000L, 5, 0x20010db801000000L, 0x10, 64, 0),
        };
        final Random random = new Random(0x5eed);
        int forwarded = 0;
        for (int round = 0; round < 5_000; round++)
        {
            final byte[] frame = templates[random.nextInt(templates.length)].clone();
            final int damage = random.nextInt(4);
            for (int d = 0; d < damage; d++)
            {
                // Damage where the parsers look: tags, EtherType, version/IHL, lengths, flags, next header.
                final int index = 12 + random.nextInt(Math.min(frame.length, 64) - 12);
                frame[index] = (byte)random.nextInt(256);
            }
            if (damage > 0 && random.nextBoolean())
            {
                fixIpv4ChecksumIfIpv4(frame);
            }
            final int length = random.nextInt(4) == 0 ? random.nextInt(frame.length + 1) : frame.length;
            final int port = random.nextInt(2);
            final int verdict = processAtBufferEnd(port, frame, length);
            if (verdict == Verdict.FORWARDED)
            {
                forwarded++;
            }
        }
        assertTrue(forwarded > 0, "some frames survive light damage and are forwarded");
    }

    private void assertMalformed(final int expectedError, final int port, final byte[] frame, final int length,
        final String what)
    {
        final long before = gateway.counters.verdictCount(Verdict.DROP_MALFORMED);
        assertEquals(Verdict.DROP_MALFORMED, processAtBufferEnd(port, frame, length), what + " cut to " + length);
        assertEquals(PacketError.name(expectedError), PacketError.name(gateway.forwarder.lastDetail()),
            what + " cut to " + length);
        assertEquals(before + 1, gateway.counters.verdictCount(Verdict.DROP_MALFORMED), "counted");
    }

    /** Copies the first {@code length} bytes of the frame to the end of a buffer just large enough. */
    private int processAtBufferEnd(final int port, final byte[] frame, final int length)
    {
        final byte[] memory = new byte[HEADROOM + length];
        System.arraycopy(frame, 0, memory, HEADROOM, length);
        final int verdict = gateway.forwarder.process(port, new UnsafeBuffer(memory), HEADROOM, length, 1_000_000_000L);
        ForwarderTest.drain(gateway.idc[1]);
        ForwarderTest.drain(gateway.vpc[1]);
        return verdict;
    }

    private static void fixIpv4Checksum(final byte[] frame, final int ipOffset)
    {
        final int headerLength = (frame[ipOffset] & 0x0F) * 4;
        frame[ipOffset + 10] = 0;
        frame[ipOffset + 11] = 0;
        final int end = Math.min(frame.length, ipOffset + headerLength);
        final int sum = TestFrames.checksum(frame, ipOffset, end - ipOffset);
        frame[ipOffset + 10] = (byte)(sum >>> 8);
        frame[ipOffset + 11] = (byte)sum;
    }

    private static void fixIpv4ChecksumIfIpv4(final byte[] frame)
    {
        for (final int ipOffset : new int[] {14, 18, 22})
        {
            if (frame.length >= ipOffset + 12 && (frame[ipOffset - 2] & 0xFF) == 0x08 && frame[ipOffset - 1] == 0)
            {
                fixIpv4Checksum(frame, ipOffset);
                return;
            }
        }
    }
}
