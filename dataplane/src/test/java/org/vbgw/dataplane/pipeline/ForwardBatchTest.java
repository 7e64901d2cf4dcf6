package org.vbgw.dataplane.pipeline;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vbgw.dataplane.pipeline.ForwarderTest.SENDER_MAC;
import static org.vbgw.dataplane.pipeline.ForwarderTest.VPC_MAC;

/**
 * Packets are held until the port's batch ends, and a batch fuller than {@link ForwardBatch#CAPACITY} is
 * finished early, in the middle of classifying the next frame: every frame must still leave exactly once,
 * in order, as itself (IPv4 and IPv6 interleaved).
 */
class ForwardBatchTest
{
    private final ForwarderTest gateway = new ForwarderTest();

    @BeforeEach
    void setUp()
    {
        gateway.setUp();
    }

    @Test
    void aBatchLongerThanItsCapacityForwardsEveryFrameOnceInOrder()
    {
        final int frames = ForwardBatch.CAPACITY * 2 + 17;
        final byte[][] sent = new byte[frames][];
        for (int i = 0; i < frames; i++)
        {
            sent[i] = i % 3 == 2
                ? TestFrames.ipv6Udp(VPC_MAC, SENDER_MAC, 0, 0x20010db8ffff0000L, 5, 0x20010db801000000L, 0x10, 64, i)
                : TestFrames.ipv4Udp(VPC_MAC, SENDER_MAC, 0, 0, 0xAC100505, 0xC0A80000 + i, 64, 1000 + i, 53, i % 40, false);
            assertTrue(gateway.vpc[1].send(new UnsafeBuffer(sent[i]), 0, sent[i].length));
        }
        // One poll: the port hands over all frames as one batch.
        assertEquals(frames, gateway.forwarder.poll(1, frames, 1_000_000_000L));
        final List<byte[]> out = ForwarderTest.drain(gateway.idc[1]);
        // IPv6 towards 2001:db8:100::/48 has no route here: ICMPv6 errors go back on the VPC side, rate-limited.
        final long ipv4Frames = Arrays.stream(sent).filter(f -> f[12] == 0x08).count();
        assertEquals(ipv4Frames, out.size(), "every IPv4 frame left once");
        int o = 0;
        for (final byte[] in : sent)
        {
            if (in[12] != 0x08)
            {
                continue;
            }
            final byte[] frame = out.get(o++);
            final int l2 = frame[12] == (byte)0x88 ? 22 : 18;
            final byte[] inL3 = Arrays.copyOfRange(in, 14, in.length);
            final byte[] outL3 = Arrays.copyOfRange(frame, l2, frame.length);
            inL3[8] = 63;
            inL3[10] = outL3[10];
            inL3[11] = outL3[11];
            assertArrayEquals(inL3, outL3, "frame " + o + " is itself, TTL decremented");
            assertEquals(0, TestFrames.checksum(frame, l2, 20));
        }
        assertEquals(ipv4Frames, gateway.counters.verdictCount(Verdict.FORWARDED));
        assertEquals(frames - ipv4Frames, gateway.counters.verdictCount(Verdict.DROP_NO_ROUTE), "every IPv6 frame judged once");
        assertEquals(frames - ipv4Frames, gateway.counters.verdictCount(Verdict.ICMP_ERROR_SENT) +
            gateway.counters.verdictCount(Verdict.ICMP_ERROR_RATE_LIMITED), "an ICMPv6 error sent or rate-limited for each");
    }
}
