package org.vbgw.agent.lab.drill;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.vbgw.io.lab.FlowSequence;
import org.vbgw.io.lab.TrafficReport;

/**
 * Turns what the receiver and the counter sampler saw during one cut and restore into a {@link RepeatResult}.
 * <p>
 * <b>Phases.</b> Each run of missing sequence numbers of a flow is placed in time: packets a and b arrived with
 * {@code lost} missing between them, sent at ta and tb, so with spacing {@code d = (tb - ta) / (lost + 1)} the
 * flow lost packets during {@code [ta + d/2, tb - d/2]}, an interval as long as the run's outage
 * ({@link FlowSequence}). A run that ends before the cut is baseline loss; one that starts before the restore
 * belongs to the cut; later ones to the failback.
 * <p>
 * <b>Outage.</b> Per moved flow, its first cut-phase run (the failover; later runs are loss on the new path,
 * counted as lost at the cut); the drill's outage is the worst flow's. The
 * aggregate is the length of the union of all flows' cut-phase intervals: how long some flow was losing.
 * <p>
 * <b>Switched.</b> A moved flow switched when a packet sent before the restore arrived after its first cut-phase
 * run, and the cut VIFs' transmit counters went idle during the cut (else the cut did not take the path away).
 * <p>
 * <b>Switch time.</b> From the cut until the cut VIFs' transmit counters fell below half their usual rate
 * ({@link VifSeries#leaveNs}): what a cut that loses nothing (a silenced BFD, a withdrawal over a working link)
 * is measured by. Both it and the outage must stay within the expectation's limit.
 * <p>
 * <b>Failback.</b> From the restore until each cut VIF carries half its pre-cut rate again ({@link VifSeries}).
 * <p>
 * Both read the cut VIFs' counters normalised to the total of all VIFs ({@link VifSeries#normalisedTo}), so a
 * stall of the sender on a loaded machine is not taken for traffic leaving or returning.
 * <p>
 * Control plane; allocates.
 */
public final class RepeatAnalysis
{
    private static final int BASELINE = 0;
    private static final int CUT = 1;
    private static final int FAILBACK = 2;
    private static final String[] PHASES = {"before-cut", "cut", "failback"};

    private RepeatAnalysis()
    {
    }

    /**
     * One repeat.
     *
     * @param traffic       what the receiver saw (closed: every flow finished).
     * @param flowSpacingNs the sender's spacing of one flow's packets.
     * @param warmupEndNs   from here on the VIFs' rates count as their usual rate (traffic settled).
     * @param cutNs         when the cut was applied ({@link System#nanoTime()}).
     * @param restoreNs     when the restore was applied.
     * @param onCutPath     per flow: it crossed a cut VIF before the cut.
     * @param series        the sampled TX counters of every VIF.
     * @param cutVifs       the VIFs that were cut.
     */
    public static RepeatResult analyse(final int repeat, final TrafficReport traffic, final long flowSpacingNs,
        final long warmupEndNs, final long cutNs, final long restoreNs, final boolean[] onCutPath,
        final List<VifSeries> series, final List<String> cutVifs, final Expectation expectation)
    {
        final int flowCount = traffic.flows().size();
        if (onCutPath.length != flowCount)
        {
            throw new IllegalArgumentException(onCutPath.length + " path placements for " + flowCount + " flows");
        }
        if (restoreNs <= cutNs)
        {
            throw new IllegalArgumentException("restore at " + restoreNs + " ns is not after the cut at " + cutNs);
        }
        final List<String> problems = new ArrayList<>();
        final List<long[]> cutIntervals = new ArrayList<>();
        final List<RepeatResult.Loss> losses = new ArrayList<>();
        long worstOutage = 0;
        int worstFlow = -1;
        long lostAtCut = 0;
        long lostAtFailback = 0;
        long survivorLost = 0;
        long baselineLost = 0;
        int moved = 0;
        int unswitched = 0;
        int firstUnswitched = -1;
        for (final TrafficReport.Flow flow : traffic.flows())
        {
            final boolean wasOnCut = onCutPath[flow.flow()];
            moved += wasOnCut ? 1 : 0;
            long outage = 0;
            boolean switched = true;
            boolean firstCutRun = true;
            for (final TrafficReport.Gap gap : flow.gaps())
            {
                final long[] interval = interval(gap, flowSpacingNs);
                final int phase = interval[1] < cutNs ? BASELINE : interval[0] < restoreNs ? CUT : FAILBACK;
                losses.add(new RepeatResult.Loss(flow.flow(), wasOnCut, PHASES[phase],
                    relativeMs(interval[0], cutNs), relativeMs(interval[1], cutNs), gap.lost()));
                if (phase == BASELINE)
                {
                    baselineLost += gap.lost();
                    continue;
                }
                if (!wasOnCut)
                {
                    survivorLost += gap.lost();
                }
                if (phase == FAILBACK)
                {
                    lostAtFailback += gap.lost();
                    continue;
                }
                lostAtCut += gap.lost();
                // Nothing is lost to a cut before it happens (but a packet in flight may be), nor counted past the
                // restore: a flow that never switched was out for the whole cut, not longer.
                cutIntervals.add(new long[] {Math.max(interval[0], cutNs - flowSpacingNs), Math.min(interval[1],
                    restoreNs)});
                // A flow switched when its first cut-phase run ended before the restore; a later run that spans the
                // restore (the new path losing packets in its turn) is loss, not a failure to switch.
                if (firstCutRun && (gap.afterSendNs() == FlowSequence.NO_TIME || gap.afterSendNs() >= restoreNs))
                {
                    switched = false;
                }
                if (firstCutRun)
                {
                    outage = gap.outageNs();
                }
                firstCutRun = false;
            }
            if (wasOnCut && !switched)
            {
                unswitched++;
                firstUnswitched = firstUnswitched < 0 ? flow.flow() : firstUnswitched;
            }
            if (wasOnCut && outage > worstOutage)
            {
                worstOutage = outage;
                worstFlow = flow.flow();
            }
        }

        final long limitNs = expectation.limitMs() * 1_000_000L + 2 * flowSpacingNs;
        boolean allSwitched = unswitched == 0;
        if (moved == 0)
        {
            problems.add("no flow crossed " + String.join(", ", cutVifs) + " before the cut: nothing to fail over");
        }
        if (unswitched > 0)
        {
            problems.add("traffic did not switch: " + unswitched + " of " + moved + " flows on the cut path got " +
                "nothing through until the restore (first: flow " + firstUnswitched + ")");
        }
        final long[] failback = new long[] {0};
        long switchNs = 0;
        final VifSeries total = VifSeries.sum("all VIFs", series);
        final double usualTotal = total.meanPps(warmupEndNs, cutNs);
        for (final String vif : cutVifs)
        {
            final VifSeries raw = series.stream().filter(v -> v.vif().equals(vif)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no counter samples for cut VIF " + vif));
            final VifSeries s = usualTotal > 0 ? raw.normalisedTo(total, usualTotal) : raw;
            final double usual = s.meanPps(warmupEndNs, cutNs);
            if (usual <= 0)
            {
                problems.add(vif + " carried no traffic before the cut");
                failback[0] = -1;
                continue;
            }
            final long left = s.leaveNs(cutNs, usual);
            if (left < 0 || left >= restoreNs || !s.wentIdle(cutNs, restoreNs, usual))
            {
                allSwitched = false;
                switchNs = -1;
                problems.add("traffic did not leave " + vif + " during the cut (its transmit counter kept rising)");
            }
            else if (switchNs >= 0)
            {
                switchNs = Math.max(switchNs, left - cutNs);
            }
            final long back = s.returnNs(restoreNs, usual);
            if (back < 0)
            {
                problems.add("traffic did not return to " + vif + " after the restore");
                failback[0] = -1;
            }
            else if (failback[0] >= 0)
            {
                failback[0] = Math.max(failback[0], back - restoreNs);
            }
        }
        if (allSwitched && moved > 0 && worstOutage > limitNs)
        {
            problems.add(String.format("outage %.1f ms of flow %d is over the limit %.1f ms (%s)", worstOutage / 1e6,
                worstFlow, limitNs / 1e6, expectation.detector()));
        }
        if (allSwitched && moved > 0 && switchNs > limitNs)
        {
            problems.add(String.format("traffic left the cut path %.1f ms after the cut, over the limit %.1f ms (%s)",
                switchNs / 1e6, limitNs / 1e6, expectation.detector()));
        }
        if (survivorLost > 0)
        {
            problems.add("flows not on the cut path lost " + survivorLost + " packets");
        }
        final long start = traffic.startNs();
        return new RepeatResult(repeat, cutNs - start, restoreNs - start, flowCount, moved, worstOutage, worstFlow,
            unionLength(cutIntervals), lostAtCut, survivorLost, baselineLost, switchNs, allSwitched && moved > 0, failback[0],
            lostAtFailback, List.copyOf(problems), losses.stream()
                .sorted(java.util.Comparator.comparingDouble(RepeatResult.Loss::fromMs)).toList());
    }

    /** Milliseconds after the cut, to 0.1 ms; the ends of a flow that never arrived are clamped to an hour. */
    private static double relativeMs(final long ns, final long cutNs)
    {
        final double ms = (ns - cutNs) / 1e6;
        return Math.round(Math.max(-3.6e6, Math.min(3.6e6, ms)) * 10) / 10.0;
    }

    /** When a run's packets would have been sent: [start, end] in send-clock nanoseconds. */
    static long[] interval(final TrafficReport.Gap gap, final long flowSpacingNs)
    {
        final long before = gap.beforeSendNs();
        final long after = gap.afterSendNs();
        if (before != FlowSequence.NO_TIME && after != FlowSequence.NO_TIME)
        {
            final long half = (after - before) / (gap.lost() + 1) / 2;
            return new long[] {before + half, after - half};
        }
        if (before != FlowSequence.NO_TIME)
        {
            return new long[] {before + flowSpacingNs / 2, before + flowSpacingNs / 2 + gap.lost() * flowSpacingNs};
        }
        if (after != FlowSequence.NO_TIME)
        {
            return new long[] {after - flowSpacingNs / 2 - gap.lost() * flowSpacingNs, after - flowSpacingNs / 2};
        }
        // Nothing of the flow arrived at all: it was out from start to end, which no phase can bound better.
        return new long[] {Long.MIN_VALUE / 4, Long.MAX_VALUE / 4};
    }

    /** Length of the union of closed intervals. */
    static long unionLength(final List<long[]> intervals)
    {
        final long[][] sorted = intervals.toArray(new long[0][]);
        Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
        long total = 0;
        long from = 0;
        long to = 0;
        boolean open = false;
        for (final long[] i : sorted)
        {
            if (!open || i[0] > to)
            {
                total += open ? to - from : 0;
                from = i[0];
                to = i[1];
                open = true;
            }
            else
            {
                to = Math.max(to, i[1]);
            }
        }
        return total + (open ? to - from : 0);
    }
}
