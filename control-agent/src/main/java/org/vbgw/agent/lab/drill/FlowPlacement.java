package org.vbgw.agent.lab.drill;

import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import org.vbgw.io.lab.TrafficReport;

/**
 * Which flows crossed the cut path before the cut, when the receiver sees one ingress only (the IDC host).
 * <p>
 * The flows have equal rates, so the cut VIFs' share of the gateway's transmit counters before the cut says how
 * many flows they carried: {@code N = round(flows * share)}. Those N are the flows that lost most from the cut on
 * (a moved flow loses the packets of one detection time, and perhaps some as it moves back after the restore; a
 * survivor, if anything, a hiccup); when fewer than N
 * lost anything (a cut that loses nothing, or a detection faster than a flow's packet spacing), the rest of the
 * N are lossless flows, whose identity does not matter because they lost nothing. Any flow that lost packets
 * beyond those N was not on the cut path: survivor loss, found even though the receiver cannot see paths.
 * <p>
 * Control plane; allocates.
 */
public final class FlowPlacement
{
    private FlowPlacement()
    {
    }

    /**
     * @param cutShare the cut VIFs' share of all VIFs' packets before the cut, 0..1.
     * @return per flow: on the cut path.
     */
    public static boolean[] infer(final TrafficReport traffic, final long flowSpacingNs, final long cutNs,
        final double cutShare)
    {
        if (!(cutShare >= 0 && cutShare <= 1.0001))
        {
            throw new IllegalArgumentException("share of the cut path must be within 0..1, was " + cutShare);
        }
        final List<TrafficReport.Flow> flows = traffic.flows();
        final int onCut = (int)Math.min(flows.size(), Math.round(flows.size() * cutShare));
        final long[] lost = new long[flows.size()];
        for (final TrafficReport.Flow flow : flows)
        {
            for (final TrafficReport.Gap gap : flow.gaps())
            {
                final long[] interval = RepeatAnalysis.interval(gap, flowSpacingNs);
                if (interval[1] >= cutNs)
                {
                    lost[flow.flow()] += gap.lost();
                }
            }
        }
        final boolean[] placed = new boolean[flows.size()];
        // Most loss first; among equals the lower flow id, so the choice is repeatable.
        IntStream.range(0, flows.size()).boxed()
            .sorted(Comparator.<Integer>comparingLong(f -> -lost[f]).thenComparingInt(f -> f))
            .limit(onCut)
            .forEach(f -> placed[f] = true);
        return placed;
    }

    /** The cut VIFs' share of the packets all VIFs sent in [fromNs, toNs]; 0 if none sent anything. */
    public static double cutShare(final List<VifSeries> series, final List<String> cutVifs, final long fromNs,
        final long toNs)
    {
        double cut = 0;
        double all = 0;
        for (final VifSeries s : series)
        {
            final double pps = s.meanPps(fromNs, toNs);
            all += pps;
            cut += cutVifs.contains(s.vif()) ? pps : 0;
        }
        return all <= 0 ? 0 : cut / all;
    }
}
