package org.vbgw.perf.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The benchmark frame is a valid IPv4/UDP frame of the stated wire size, and the sink recognises it. */
class BenchFrameTest
{
    @Test
    void sixtyFourByteFrameHoldsSequenceAndTimestampWithAValidHeaderChecksum()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[2048]);
        final int length = BenchFrame.writeTemplate(b, 64);
        assertEquals(60, length, "64 bytes on the wire is 60 without the FCS");
        assertTrue(BenchFrame.TIMESTAMP_OFFSET + 8 <= length);
        assertEquals(46, b.getShort(BenchFrame.IP_OFFSET + 2, ByteOrder.BIG_ENDIAN));
        assertEquals(26, b.getShort(BenchFrame.UDP_OFFSET + 4, ByteOrder.BIG_ENDIAN));
        int sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += b.getShort(BenchFrame.IP_OFFSET + i, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        assertEquals(0xFFFF, sum, "header checksum verifies");
        assertTrue(BenchFrame.isBenchFrame(b, 0, length));
        b.putShort(BenchFrame.DST_PORT_OFFSET, (short)53, ByteOrder.BIG_ENDIAN);
        assertFalse(BenchFrame.isBenchFrame(b, 0, length));
    }

    @Test
    void refusesSizesOutsideEthernet()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[2048]);
        assertThrows(IllegalArgumentException.class, () -> BenchFrame.writeTemplate(b, 63));
        assertThrows(IllegalArgumentException.class, () -> BenchFrame.writeTemplate(b, 1519));
        assertEquals(1496, BenchFrame.writeTemplate(b, 1500));
    }

    @Test
    void ingressDropRulesetHasOneChainPerInterface()
    {
        assertEquals("table netdev t {\n" +
            "  chain in_a { type filter hook ingress device \"a\" priority 0; drop; }\n" +
            "  chain in_b { type filter hook ingress device \"b\" priority 0; drop; }\n" +
            "}\n", IngressDrop.ruleset("t", "a", "b"));
    }
}
