package org.vbgw.perf.failover;

import java.util.List;

import org.vbgw.io.lab.TrafficReport;

/**
 * One cut and restore under traffic, as measured at the receiver. Times in ns; "affected" flows are those whose
 * first packets came over path A (the one cut), "surviving" those that came over B.
 *
 * @param outageNs          the worst affected flow's outage at the cut (the outage of its gap that spans the
 *                          moment the cut was made): the figure the percentiles are taken over.
 * @param switchedFlows     affected flows that arrived over B between the cut and the restore.
 * @param flowOutagesNs     every affected flow's outage at the cut.
 * @param failoverLost      packets lost by affected flows in those gaps.
 * @param survivingLost     packets lost by surviving flows over the whole trial: must be 0.
 * @param unexpectedLost    packets of affected flows lost outside the cut's gap and before the restore: not the
 *                          cut's doing but the lab's (a thread off the CPU on a loaded machine); 0 in a clean trial.
 * @param failbackNs        restore to the last affected flow's first packet on A again; -1 if one never came back.
 * @param failbackLost      packets lost after the restore.
 * @param cutNs             {@link System#nanoTime()} when the cut began (the clock of the traffic report).
 * @param cutCallNs         how long the cut took to hand over (e.g. the agent's withdrawal loop).
 * @param restoreNs         when the restore began.
 * @param restoreCallNs     the same for the restore.
 * @param spacingNs         one flow's packet spacing: the resolution of the outages.
 * @param counters          where packets went: changes of the data plane's counters and the receiver's drops.
 * @param traffic           the receiver's full report (time series per path, every gap and path switch).
 * @param events            the data plane's liveness events during the trial, each with its time from the cut
 *                          (e.g. "+31.0 ms bfd 10.0.0.6%vif-b Up -> Down (detection time expired)").
 * @param bfdWireGapsMs     with a BFD capture: the longest gap between BFD packets on the customer router's wire
 *                          per direction during the trial (absent: none over 12 ms), which tells whose packets
 *                          were late when a session flapped.
 */
record TrialResult(String mode, String redundancy, int routes, int repeat, int affectedFlows, int switchedFlows,
    int survivingFlows,
    long outageNs, List<Long> flowOutagesNs, long failoverLost, long survivingLost, long unexpectedLost,
    long failbackNs, long failbackLost, long cutNs, long cutCallNs, long restoreNs, long restoreCallNs,
    long spacingNs, long sent, java.util.Map<String, Long> counters, TrafficReport traffic, List<String> events,
    java.util.Map<String, Double> bfdWireGapsMs)
{
    /** State changes of the surviving connection's (VIF B's) BFD session from Up to anything else. */
    long survivorBfdDowns()
    {
        return events.stream().filter(e -> e.contains(" bfd ") && e.contains("%vif-b ") && e.contains(" up -> ")).count();
    }

    /**
     * The trial saw the failover and nothing else: every flow of A arrived on B during the cut (traffic was
     * flowing when the link died, not paused with the whole JVM), and no loss the cut does not explain.
     */
    boolean clean()
    {
        return affectedFlows > 0 && unexpectedLost == 0 && switchedFlows == affectedFlows;
    }

    TrialResult withCounters(final java.util.Map<String, Long> deltas)
    {
        return new TrialResult(mode, redundancy, routes, repeat, affectedFlows, switchedFlows, survivingFlows, outageNs,
            flowOutagesNs,
            failoverLost, survivingLost, unexpectedLost, failbackNs, failbackLost, cutNs, cutCallNs, restoreNs,
            restoreCallNs, spacingNs, sent, deltas, traffic, events, bfdWireGapsMs);
    }

    TrialResult withDiagnostics(final List<String> liveness, final java.util.Map<String, Double> wireGapsMs)
    {
        return new TrialResult(mode, redundancy, routes, repeat, affectedFlows, switchedFlows, survivingFlows, outageNs,
            flowOutagesNs, failoverLost, survivingLost, unexpectedLost, failbackNs, failbackLost, cutNs, cutCallNs,
            restoreNs, restoreCallNs, spacingNs, sent, counters, traffic, List.copyOf(liveness),
            java.util.Map.copyOf(wireGapsMs));
    }
}
