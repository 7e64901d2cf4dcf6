package org.vbgw.dataplane.liveness;

import org.junit.jupiter.api.Test;
import org.vbgw.fib.IpPrefix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The counting of lost and answered probes, on a hand-turned clock in 1 ms steps. */
class HealthProbeTest
{
    private static final long MS = 1_000_000L;

    private static HealthProbeConfig config(final long intervalMs, final int count, final int recover)
    {
        return new HealthProbeConfig(0, IpPrefix.parse("10.0.0.2"), IpPrefix.parse("10.0.0.1"),
            IpPrefix.parse("192.168.1.2"), intervalMs * MS, count, recover, 0);
    }

    /**
     * Runs the probe with replies after 1 ms until {@code failAtMs}, none after; returns when it went down.
     */
    private static long downAfterFailure(final long intervalMs, final int count, final long failAtMs)
    {
        final HealthProbe p = new HealthProbe(config(intervalMs, count, 2), 7, 0);
        long replyDueMs = -1;
        for (long t = 0; t < failAtMs + 3 * intervalMs * count; t++)
        {
            if (t == replyDueMs && t < failAtMs)
            {
                assertFalse(p.onReply(p.sequence(), t * MS));
            }
            final int actions = p.tick(t * MS);
            if ((actions & HealthProbe.WENT_DOWN) != 0)
            {
                return t;
            }
            if ((actions & HealthProbe.SEND) != 0)
            {
                p.sent(t * MS);
                replyDueMs = t + 1;
            }
        }
        throw new AssertionError("never went down");
    }

    @Test
    void failureIsDeclaredIntervalTimesCountAfterItWithinHalfAnInterval()
    {
        for (long failAt = 1000; failAt < 1100; failAt += 7)
        {
            final long detection = downAfterFailure(100, 3, failAt) - failAt;
            assertTrue(detection >= 250 && detection < 350, "100 ms x 3, failure at " + failAt + ": " + detection);
        }
        for (long failAt = 20_000; failAt < 22_000; failAt += 250)
        {
            final long detection = downAfterFailure(2000, 8, failAt) - failAt;
            assertTrue(detection >= 15_000 && detection < 17_000, "2 s x 8, failure at " + failAt + ": " + detection);
        }
    }

    @Test
    void recoveryNeedsRecoverCountAnswersInARowAndStaleRepliesDoNotCount()
    {
        final HealthProbe p = new HealthProbe(config(100, 1, 2), 7, 0);
        assertEquals(HealthProbe.SEND, p.tick(0));
        p.sent(0);
        assertEquals(HealthProbe.WENT_DOWN, p.tick(50 * MS) & HealthProbe.WENT_DOWN, "1 lost of 1");
        assertTrue(p.down());
        assertEquals(HealthProbe.SEND, p.tick(100 * MS));
        p.sent(100 * MS);
        assertFalse(p.onReply(p.sequence() - 1, 101 * MS), "a late reply to an earlier probe");
        assertFalse(p.onReply(p.sequence(), 102 * MS), "1 of 2 answers");
        p.tick(200 * MS);
        p.sent(200 * MS);
        assertTrue(p.onReply(p.sequence(), 201 * MS), "2 of 2: back");
        assertFalse(p.down());
        assertEquals(1, p.lostCount());
        assertEquals(2, p.answeredCount());
        assertEquals(1 * MS, p.lastRttNs());
    }

    @Test
    void configIsCheckedWithReasons()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> config(5, 3, 1)).getMessage()
            .contains("10 ms .. 10 s"));
        assertThrows(IllegalArgumentException.class, () -> config(100, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new HealthProbeConfig(0, IpPrefix.parse("10.0.0.2"),
            IpPrefix.parse("10.0.0.1"), IpPrefix.parse("2001:db8::2"), 100 * MS, 3, 1, 0));
    }
}
