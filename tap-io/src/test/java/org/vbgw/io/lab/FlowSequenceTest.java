package org.vbgw.io.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The gap and outage arithmetic on crafted sequences: packet n of a flow is sent at n × 1 ms unless said. */
class FlowSequenceTest
{
    private static final long MS = 1_000_000L;

    private static FlowSequence receive(final long... sequences)
    {
        final FlowSequence s = new FlowSequence();
        for (final long n : sequences)
        {
            s.onPacket(n, n * MS);
        }
        return s;
    }

    @Test
    void noLossNoGapAndNoOutage()
    {
        final FlowSequence s = receive(0, 1, 2, 3, 4);
        s.finish(5);
        assertEquals(5, s.received());
        assertEquals(0, s.lost());
        assertEquals(0, s.runCount());
    }

    @Test
    void oneRunInTheMiddleHasTheSpanOfItsMissingPackets()
    {
        final FlowSequence s = receive(0, 1, 2, 13, 14);
        s.finish(15);
        assertEquals(1, s.runCount());
        assertEquals(3, s.runFrom(0));
        assertEquals(12, s.runTo(0));
        assertEquals(10, s.lost());
        assertEquals(2 * MS, s.runBeforeNs(0));
        assertEquals(13 * MS, s.runAfterNs(0));
        // Ten packets of 1 ms each were missing: 11 ms between the neighbours, times 10/11.
        assertEquals(10 * MS, s.outageNs(0, 999 * MS));
        final TrafficReport.Gap gap = s.gaps(MS).get(0);
        assertEquals(10, gap.lost());
        assertFalse(gap.open());
    }

    @Test
    void outageFollowsTheSendTimesNotTheNominalSpacing()
    {
        final FlowSequence s = new FlowSequence();
        s.onPacket(0, 0);
        s.onPacket(1, 2 * MS);
        // Two lost; the neighbours were sent 9 ms apart (a sender that was slowed down): 9 × 2/3 = 6 ms.
        s.onPacket(4, 11 * MS);
        assertEquals(6 * MS, s.outageNs(0, MS));
    }

    @Test
    void lateArrivalSplitsTheRunAndIsNotLoss()
    {
        final FlowSequence s = new FlowSequence();
        assertEquals(FlowSequence.IN_ORDER, s.onPacket(0, 0));
        assertEquals(FlowSequence.IN_ORDER, s.onPacket(5, 5 * MS));
        assertEquals(4, s.lost());
        assertEquals(FlowSequence.LATE, s.onPacket(2, 2 * MS));
        assertEquals(3, s.lost());
        assertEquals(1, s.late());
        assertEquals(2, s.runCount());
        assertEquals(1, s.runFrom(0));
        assertEquals(1, s.runTo(0));
        assertEquals(0, s.runBeforeNs(0));
        assertEquals(2 * MS, s.runAfterNs(0));
        assertEquals(3, s.runFrom(1));
        assertEquals(4, s.runTo(1));
        assertEquals(2 * MS, s.runBeforeNs(1));
        assertEquals(5 * MS, s.runAfterNs(1));
        assertEquals(MS, s.outageNs(0, MS));
        assertEquals(2 * MS, s.outageNs(1, MS));
        // The rest arrive late too: nothing is missing any more.
        assertEquals(FlowSequence.LATE, s.onPacket(1, MS));
        assertEquals(FlowSequence.LATE, s.onPacket(4, 4 * MS));
        assertEquals(FlowSequence.LATE, s.onPacket(3, 3 * MS));
        s.finish(6);
        assertEquals(0, s.lost());
        assertEquals(0, s.runCount());
        assertEquals(4, s.late());
        assertEquals(6, s.received());
    }

    @Test
    void lateArrivalAtTheEdgesOfARunShrinksIt()
    {
        final FlowSequence s = receive(0, 10);
        s.onPacket(1, MS);
        s.onPacket(9, 9 * MS);
        assertEquals(1, s.runCount());
        assertEquals(2, s.runFrom(0));
        assertEquals(8, s.runTo(0));
        assertEquals(MS, s.runBeforeNs(0));
        assertEquals(9 * MS, s.runAfterNs(0));
        assertEquals(7 * MS, s.outageNs(0, MS));
    }

    @Test
    void duplicatesAreCountedOnceAndChangeNothing()
    {
        final FlowSequence s = new FlowSequence();
        s.onPacket(0, 0);
        s.onPacket(1, MS);
        assertEquals(FlowSequence.DUPLICATE, s.onPacket(1, MS));
        assertEquals(FlowSequence.DUPLICATE, s.onPacket(0, 0));
        s.onPacket(4, 4 * MS);
        // A duplicate of the highest, and of one below a run: still duplicates, the run stays whole.
        assertEquals(FlowSequence.DUPLICATE, s.onPacket(4, 4 * MS));
        assertEquals(FlowSequence.DUPLICATE, s.onPacket(1, MS));
        assertEquals(FlowSequence.LATE, s.onPacket(2, 2 * MS));
        assertEquals(FlowSequence.DUPLICATE, s.onPacket(2, 2 * MS));
        s.finish(5);
        assertEquals(5, s.duplicates());
        assertEquals(4, s.received());
        assertEquals(1, s.lost());
        assertEquals(3, s.runFrom(0));
    }

    @Test
    void lossAtTheStartIsAnOpenRunTimedByTheNominalSpacing()
    {
        final FlowSequence s = receive(3, 4, 5);
        s.finish(6);
        assertEquals(1, s.runCount());
        assertEquals(0, s.runFrom(0));
        assertEquals(2, s.runTo(0));
        assertEquals(FlowSequence.NO_TIME, s.runBeforeNs(0));
        assertEquals(3 * MS, s.runAfterNs(0));
        assertEquals(3 * 2 * MS, s.outageNs(0, 2 * MS));
        assertTrue(s.gaps(2 * MS).get(0).open());
        // A start packet that shows up late after all.
        assertEquals(FlowSequence.LATE, s.onPacket(0, 0));
        assertEquals(2, s.lost());
        assertEquals(1, s.runFrom(0));
        assertEquals(0, s.runBeforeNs(0));
        assertEquals(2 * MS, s.outageNs(0, 99 * MS));
    }

    @Test
    void lossAtTheEndComesFromWhatTheSenderSent()
    {
        final FlowSequence s = receive(0, 1, 2);
        assertEquals(0, s.lost());
        s.finish(7);
        assertEquals(4, s.lost());
        assertEquals(3, s.runFrom(0));
        assertEquals(6, s.runTo(0));
        assertEquals(2 * MS, s.runBeforeNs(0));
        assertEquals(FlowSequence.NO_TIME, s.runAfterNs(0));
        final List<TrafficReport.Gap> gaps = s.gaps(MS);
        assertTrue(gaps.get(0).open());
        assertEquals(4 * MS, gaps.get(0).outageNs());
    }

    @Test
    void nothingReceivedIsOneOpenRunOverEverything()
    {
        final FlowSequence s = new FlowSequence();
        s.finish(10);
        assertEquals(10, s.lost());
        assertEquals(1, s.runCount());
        assertEquals(10 * 3 * MS, s.outageNs(0, 3 * MS));
    }

    @Test
    void manyRunsGrowTheStorageAndStayOrdered()
    {
        final FlowSequence s = new FlowSequence();
        for (long n = 0; n < 200; n += 2)
        {
            s.onPacket(n, n * MS);
        }
        assertEquals(99, s.runCount());
        assertEquals(99, s.lost());
        // Fill every other gap late, from the oldest: each lookup has to walk back.
        for (long n = 1; n < 200; n += 4)
        {
            assertEquals(FlowSequence.LATE, s.onPacket(n, n * MS));
        }
        assertEquals(49, s.runCount());
        for (int r = 1; r < s.runCount(); r++)
        {
            assertTrue(s.runFrom(r) > s.runTo(r - 1));
            assertEquals(MS, s.outageNs(r, 0));
        }
    }

    @Test
    void finishRefusesFewerSentThanArrived()
    {
        final FlowSequence s = receive(0, 1, 2);
        assertThrows(IllegalArgumentException.class, () -> s.finish(2));
        assertThrows(IllegalArgumentException.class, () -> s.onPacket(-1, 0));
    }
}
