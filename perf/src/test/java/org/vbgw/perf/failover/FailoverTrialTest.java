package org.vbgw.perf.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.vbgw.io.lab.FlowSequence;
import org.vbgw.io.lab.TrafficReport;

/** How a receiver's report becomes a trial's figures: which gap is the cut's, what is a stall, failback. */
class FailoverTrialTest
{
    private static final long MS = 1_000_000L;
    private static final long CUT = 1000 * MS;
    private static final long RESTORE = 1500 * MS;

    private static TrafficReport.Gap gap(final double beforeMs, final double afterMs, final long lost)
    {
        final long before = Math.round(beforeMs * MS);
        final long after = Math.round(afterMs * MS);
        final long outage = Math.round((after - before) * (double)lost / (lost + 1));
        return new TrafficReport.Gap(0, lost - 1, lost, before, after, outage, false);
    }

    private static TrafficReport.PathSwitch to(final int path, final double atMs)
    {
        return new TrafficReport.PathSwitch(Math.round(atMs * MS), 0, 1 - path, path);
    }

    private static TrafficReport.Flow flow(final int id, final int firstPath, final List<TrafficReport.Gap> gaps,
        final List<TrafficReport.PathSwitch> switches)
    {
        final long lost = gaps.stream().mapToLong(TrafficReport.Gap::lost).sum();
        return new TrafficReport.Flow(id, 1000, 1000 - lost, lost, 0, 0, 0, firstPath, new long[2], gaps, switches);
    }

    private static TrialResult analyse(final TrafficReport.Flow... flows)
    {
        final TrafficReport report = new TrafficReport(0, MS, List.of(), List.of(flows), 0, 0);
        return FailoverTrial.analyse("port-down", "active/active", 1000, 0, report, MS, 4000, CUT, 10 * MS, RESTORE,
            5 * MS);
    }

    @Test
    void theCutsGapIsTheOutageAndOtherLossIsCountedApart()
    {
        final TrialResult t = analyse(
            flow(0, FailoverLab.PATH_A, List.of(gap(999.5, 1004.5, 4)), List.of(to(1, 1004.6), to(0, 1620))),
            flow(1, FailoverLab.PATH_A, List.of(gap(500, 503, 2), gap(1000.2, 1003.2, 2), gap(1600, 1604, 3)),
                List.of(to(1, 1003.3), to(0, 1610))),
            flow(2, FailoverLab.PATH_B, List.of(), List.of()),
            flow(3, FailoverLab.PATH_B, List.of(gap(1200, 1202, 1)), List.of()));
        assertEquals(2, t.affectedFlows());
        assertEquals(2, t.switchedFlows());
        assertEquals(2, t.survivingFlows());
        assertEquals(4 * MS, t.outageNs());
        assertEquals(List.of(4 * MS, 2 * MS), t.flowOutagesNs());
        assertEquals(6, t.failoverLost());
        assertEquals(1, t.survivingLost());
        assertEquals(2, t.unexpectedLost());
        assertEquals(3, t.failbackLost());
        assertEquals(120 * MS, t.failbackNs());
        assertFalse(t.clean(), "loss before the cut is a stall");
    }

    @Test
    void aGapThatBeganLongBeforeTheCutIsAStallNotTheOutage()
    {
        final TrialResult t = analyse(
            flow(0, FailoverLab.PATH_A, List.of(gap(950, 1030, 79)), List.of(to(1, 1031), to(0, 1610))));
        assertEquals(0, t.outageNs());
        assertEquals(79, t.unexpectedLost());
        assertFalse(t.clean());
    }

    @Test
    void noLossAndEveryFlowMovedIsACleanZeroOutage()
    {
        final TrialResult t = analyse(
            flow(0, FailoverLab.PATH_A, List.of(), List.of(to(1, 1000.7), to(0, 1611))),
            flow(1, FailoverLab.PATH_B, List.of(), List.of()));
        assertEquals(0, t.outageNs());
        assertEquals(111 * MS, t.failbackNs());
        assertTrue(t.clean());
    }

    @Test
    void aFlowThatNeverMovedOrNeverCameBackIsReported()
    {
        final TrialResult stuck = analyse(flow(0, FailoverLab.PATH_A, List.of(), List.of()),
            flow(1, FailoverLab.PATH_A, List.of(gap(1000, 1002, 1)), List.of(to(1, 1002.1))));
        assertEquals(1, stuck.switchedFlows());
        assertFalse(stuck.clean(), "flow 0 never arrived over B during the cut");
        assertEquals(-1, stuck.failbackNs(), "flow 1 never came back to A");
        final TrialResult open = analyse(flow(0, FailoverLab.PATH_A,
            List.of(new TrafficReport.Gap(10, 19, 10, CUT + MS / 2, FlowSequence.NO_TIME, 10 * MS, true)), List.of()));
        assertEquals(10 * MS, open.outageNs(), "an open gap at the end of the flow is the cut's when it began then");
        assertEquals(0, open.switchedFlows());
    }

    @Test
    void aTrialWithNoFlowOnTheCutVifIsNotClean()
    {
        final TrialResult t = analyse(flow(0, FailoverLab.PATH_B, List.of(), List.of()));
        assertEquals(0, t.affectedFlows());
        assertFalse(t.clean());
    }
}
