package org.vbgw.agent.lab.drill;

import org.vbgw.agent.lab.FailureMode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vbgw.agent.lab.drill.SyntheticRun.MS;
import static org.vbgw.agent.lab.drill.SyntheticRun.START_NS;

import java.util.List;
import java.util.function.LongPredicate;

import org.junit.jupiter.api.Test;
import org.vbgw.io.lab.FlowSequence;
import org.vbgw.io.lab.TrafficReport;

class RepeatAnalysisTest
{
    private static final long CUT_NS = START_NS + 2_000 * MS;
    private static final long RESTORE_NS = START_NS + 4_000 * MS;
    private static final String[] VIFS = {"vbr1", "vbr2"};
    /** BFD 50 ms x 3: limit 250 ms. */
    private static final Expectation BFD_150 = Expectation.of(FailureMode.BFD_SILENCED,
        new PathTimers("vbr1", 150, 1000, 0, 0, 0));

    /**
     * Active/active: even flows on vbr1, odd on vbr2. vbr1 loses everything from the cut on; the gateway moves
     * its flows to vbr2 after {@code detectMs}, and back {@code failbackMs} after the restore (or never, if -1).
     */
    private static SyntheticRun activeActive(final long detectMs, final long failbackMs, final LongPredicate vbr2Out)
    {
        final long movedAt = detectMs < 0 ? Long.MAX_VALUE : CUT_NS + detectMs * MS;
        final long backAt = failbackMs < 0 ? Long.MAX_VALUE : RESTORE_NS + failbackMs * MS;
        final SyntheticRun.PathChoice choice = (flow, t) ->
            flow % 2 == 1 ? 1 : t >= movedAt && t < backAt ? 1 : 0;
        final LongPredicate vbr1Out = t -> t >= CUT_NS && t < RESTORE_NS;
        return new SyntheticRun(64, 10_000, 6_000 * MS, VIFS, choice, new LongPredicate[] {vbr1Out, vbr2Out});
    }

    private static RepeatResult analyse(final SyntheticRun run, final Expectation expectation)
    {
        return RepeatAnalysis.analyse(0, run.traffic(), run.spacingNs(), START_NS + 500 * MS, CUT_NS, RESTORE_NS,
            run.onPath(0), run.series(), List.of("vbr1"), expectation);
    }

    @Test
    void measuresTheOutageOfTheMovedFlowsAndTheFailback()
    {
        final SyntheticRun run = activeActive(150, 300, t -> false);
        final RepeatResult r = analyse(run, BFD_150);

        assertTrue(r.passed(), r.problems().toString());
        assertTrue(r.switched());
        assertEquals(32, r.movedFlows());
        // Each moved flow lost the packets sent in [cut, cut + 150 ms): within one flow spacing (6.4 ms) of 150 ms.
        assertEquals(150, r.worstOutageNs() / 1e6, run.spacingNs() / 1e6);
        assertEquals(150, r.aggregateOutageNs() / 1e6, run.spacingNs() / 1e6);
        assertEquals(750, r.lostAtCut(), 32, "150 ms of the 5,000 packets/s on vbr1 (half of 10,000)");
        assertEquals(0, r.survivorLost());
        assertEquals(0, r.baselineLost());
        assertEquals(0, r.lostAtFailback());
        assertEquals(300, r.failbackNs() / 1e6, 5.0, "failback from the counters, interpolated within a sample");
        assertEquals(150, r.switchNs() / 1e6, 5.0, "vbr1 stopped sending when the gateway moved its flows");
        assertEquals(2_000 * MS, r.cutAtNs());
        assertEquals(4_000 * MS, r.restoreAtNs());
    }

    @Test
    void aCutThatLosesNothingIsMeasuredByTheSwitch()
    {
        // BFD silenced: the link still carries data, so nothing is lost; the gateway moves vbr1's flows after 300 ms.
        final long movedAt = CUT_NS + 300 * MS;
        final long backAt = RESTORE_NS + 1_000 * MS;
        final SyntheticRun run = new SyntheticRun(64, 10_000, 6_000 * MS, VIFS,
            (flow, t) -> flow % 2 == 1 ? 1 : t >= movedAt && t < backAt ? 1 : 0, new LongPredicate[] {t -> false,
                t -> false});
        final Expectation bfd300 = Expectation.of(FailureMode.BFD_SILENCED, new PathTimers("vbr1", 300, 1000, 0, 0, 0));
        final RepeatResult r = analyse(run, bfd300);

        assertTrue(r.passed(), r.problems().toString());
        assertEquals(0, r.lostAtCut());
        assertEquals(0, r.worstOutageNs());
        assertEquals(300, r.switchNs() / 1e6, 5.0);
        assertEquals(1000, r.failbackNs() / 1e6, 5.0);

        final RepeatResult slow = analyse(run, BFD_150);
        assertFalse(slow.passed());
        assertTrue(slow.problems().get(0).startsWith("traffic left the cut path 30"), slow.problems().toString());
    }

    @Test
    void anOutageOverTheDetectorsLimitFails()
    {
        final RepeatResult r = analyse(activeActive(400, 300, t -> false), BFD_150);

        assertTrue(r.switched());
        assertFalse(r.passed());
        assertEquals(400, r.worstOutageNs() / 1e6, 6.4);
        assertTrue(r.problems().get(0).contains("over the limit 262.8 ms"), r.problems().toString());
    }

    @Test
    void trafficThatNeverSwitchesFails()
    {
        // The gateway never notices: vbr1's flows lose everything until the restore, and vbr1 stays busy.
        final RepeatResult r = analyse(activeActive(-1, 0, t -> false), BFD_150);

        assertFalse(r.switched());
        assertFalse(r.passed());
        assertEquals(2_000, r.aggregateOutageNs() / 1e6, 6.4, "out for the whole cut, not longer");
        assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("traffic did not switch: 32 of 32 flows")),
            r.problems().toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.contains("did not leave vbr1")), r.problems().toString());
    }

    @Test
    void aLaterLossSpanningTheRestoreIsNotAFailureToSwitch()
    {
        // vbr1's flows switch after 150 ms; then vbr2 drops everything from 300 ms before the restore until 200 ms
        // after it: loss for every flow, but the moved flows had switched.
        final RepeatResult r = analyse(activeActive(150, 300, t -> t >= RESTORE_NS - 300 * MS &&
            t < RESTORE_NS + 200 * MS), BFD_150);

        assertTrue(r.switched(), r.problems().toString());
        assertTrue(r.problems().stream().noneMatch(p -> p.startsWith("traffic did not switch")), r.problems().toString());
        assertTrue(r.survivorLost() > 0, "vbr2's own flows lost packets");
        assertFalse(r.passed());
    }

    @Test
    void survivorsThatLosePacketsFail()
    {
        // vbr2 hiccups for 50 ms during the cut: its own flows lose packets.
        final RepeatResult r = analyse(activeActive(150, 300, t -> t >= CUT_NS + 500 * MS && t < CUT_NS + 550 * MS),
            BFD_150);

        assertFalse(r.passed());
        assertTrue(r.survivorLost() > 0);
        assertTrue(r.problems().stream().anyMatch(p -> p.equals("flows not on the cut path lost " + r.survivorLost() +
            " packets")), r.problems().toString());
    }

    @Test
    void lossBeforeTheCutIsTheLabsOwnAndReportedApart()
    {
        final RepeatResult r = analyse(activeActive(150, 300, t -> t >= START_NS + 1_000 * MS &&
            t < START_NS + 1_020 * MS), BFD_150);

        assertTrue(r.baselineLost() > 0);
        assertEquals(0, r.survivorLost(), "loss before the cut is baseline, not the survivors'");
        assertTrue(r.passed(), "the switch itself was clean: " + r.problems());
    }

    @Test
    void trafficThatNeverReturnsIsAFailedFailback()
    {
        final RepeatResult r = analyse(activeActive(150, -1, t -> false), BFD_150);

        assertEquals(-1, r.failbackNs());
        assertTrue(r.problems().contains("traffic did not return to vbr1 after the restore"), r.problems().toString());
    }

    @Test
    void aCutPathThatCarriedNothingIsNoDrill()
    {
        final SyntheticRun run = activeActive(150, 300, t -> false);
        final RepeatResult r = RepeatAnalysis.analyse(0, run.traffic(), run.spacingNs(), START_NS + 500 * MS, CUT_NS,
            RESTORE_NS, new boolean[64], run.series(), List.of("vbr1"), BFD_150);

        assertFalse(r.passed());
        assertTrue(r.problems().contains("no flow crossed vbr1 before the cut: nothing to fail over"));
    }

    @Test
    void placesRunsInTimeFromTheirNeighbours()
    {
        // Packets 10 and 14 arrived, sent 40 ms apart (10 ms spacing): 11..13 were lost in [15 ms, 45 ms].
        final long[] closed = RepeatAnalysis.interval(new TrafficReport.Gap(11, 13, 3, 100 * MS, 140 * MS, 30 * MS,
            false), 10 * MS);
        assertEquals(105 * MS, closed[0]);
        assertEquals(135 * MS, closed[1]);
        final long[] open = RepeatAnalysis.interval(new TrafficReport.Gap(11, 13, 3, 100 * MS, FlowSequence.NO_TIME,
            30 * MS, true), 10 * MS);
        assertEquals(105 * MS, open[0]);
        assertEquals(135 * MS, open[1]);
    }

    @Test
    void unionOfOverlappingAndSeparateIntervals()
    {
        assertEquals(0, RepeatAnalysis.unionLength(List.of()));
        assertEquals(15 + 5, RepeatAnalysis.unionLength(List.of(new long[] {0, 10}, new long[] {30, 35},
            new long[] {5, 15})));
    }

    @Test
    void rejectsMismatchedInput()
    {
        final SyntheticRun run = activeActive(150, 300, t -> false);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () ->
            RepeatAnalysis.analyse(0, run.traffic(), run.spacingNs(), START_NS, CUT_NS, RESTORE_NS, new boolean[3],
                run.series(), List.of("vbr1"), BFD_150));
        assertEquals("3 path placements for 64 flows", ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RepeatAnalysis.analyse(0, run.traffic(), run.spacingNs(),
            START_NS, CUT_NS, RESTORE_NS, run.onPath(0), run.series(), List.of("nope"), BFD_150));
    }
}
