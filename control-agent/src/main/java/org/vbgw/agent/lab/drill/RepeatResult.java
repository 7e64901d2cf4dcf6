package org.vbgw.agent.lab.drill;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one cut and restore of a drill measured. Times are nanoseconds; -1 means "never".
 *
 * @param repeat            0-based index within its mode.
 * @param cutAtNs           the cut, relative to the start of this repeat's traffic.
 * @param restoreAtNs       the restore, relative to the same start.
 * @param flows             flows of traffic in this repeat.
 * @param movedFlows        flows that were on the cut path(s) and had to move.
 * @param worstOutageNs     the longest a moved flow lost packets around the cut (the outage).
 * @param worstFlow         that flow's id, -1 if no flow lost anything.
 * @param aggregateOutageNs time during which at least one flow was losing packets around the cut.
 * @param lostAtCut         packets lost around the cut, all flows.
 * @param survivorLost      packets lost by flows that were not on the cut path(s) (must be 0).
 * @param baselineLost      packets lost before the cut: the lab's own loss, reported (not a failure of the switch).
 * @param switchNs          from the cut until the cut VIFs stopped carrying their traffic (the gateway's counters):
 *                          the detection time even where the cut loses no packets (a silenced BFD, a withdrawal).
 * @param switched          every moved flow got packets through again before the restore.
 * @param failbackNs        from the restore until the restored path carried its traffic again.
 * @param lostAtFailback    packets lost after the restore, all flows.
 * @param problems          why the repeat failed, empty when it passed.
 * @param losses            every run of lost packets of every flow, in time order: where the numbers come from.
 */
public record RepeatResult(int repeat, long cutAtNs, long restoreAtNs, int flows, int movedFlows, long worstOutageNs,
    int worstFlow, long aggregateOutageNs, long lostAtCut, long survivorLost, long baselineLost, long switchNs, boolean switched,
    long failbackNs, long lostAtFailback, List<String> problems, List<Loss> losses)
{
    /**
     * A run of lost packets of one flow.
     *
     * @param onCutPath  the flow crossed the cut path before the cut.
     * @param phase      {@code before-cut}, {@code cut} or {@code failback}.
     * @param fromMs     when the flow started losing, ms after the cut (negative: before it).
     * @param toMs       when it stopped.
     */
    public record Loss(int flow, boolean onCutPath, String phase, double fromMs, double toMs, long lost)
    {
    }

    /** This result with one more problem (so it fails). */
    public RepeatResult withProblem(final String problem)
    {
        final List<String> more = new ArrayList<>(problems);
        more.add(problem);
        return new RepeatResult(repeat, cutAtNs, restoreAtNs, flows, movedFlows, worstOutageNs, worstFlow,
            aggregateOutageNs, lostAtCut, survivorLost, baselineLost, switchNs, switched, failbackNs, lostAtFailback,
            List.copyOf(more), losses);
    }

    /** No problem found. */
    @JsonProperty("passed")
    public boolean passed()
    {
        return problems.isEmpty();
    }
}
