package org.vbgw.agent.lab.drill;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

import org.vbgw.io.lab.FlowSequence;
import org.vbgw.io.lab.TrafficReport;

/**
 * Synthetic drill traffic for tests: flows sent round-robin at a fixed rate, each packet delivered unless its flow
 * is on a path that is out at its send time, through the real {@link FlowSequence}; and per-VIF counters sampled
 * every 100 ms from the same delivery decisions.
 */
final class SyntheticRun
{
    static final long MS = 1_000_000L;
    static final long START_NS = 1_000 * MS;
    static final long SAMPLE_NS = 100 * MS;

    final int flows;
    final long ratePps;
    final long durationNs;
    /** Per flow, the path (VIF index) it takes at a send time. */
    final PathChoice choice;
    /** Per path, whether a packet sent then is lost. */
    final LongPredicate[] pathOut;
    final String[] vifs;

    interface PathChoice
    {
        int path(int flow, long sendNs);
    }

    SyntheticRun(final int flows, final long ratePps, final long durationNs, final String[] vifs, final PathChoice choice,
        final LongPredicate[] pathOut)
    {
        this.flows = flows;
        this.ratePps = ratePps;
        this.durationNs = durationNs;
        this.vifs = vifs;
        this.choice = choice;
        this.pathOut = pathOut;
    }

    long spacingNs()
    {
        return Math.round(flows * 1e9 / ratePps);
    }

    long totalPackets()
    {
        return durationNs * ratePps / 1_000_000_000L;
    }

    TrafficReport traffic()
    {
        final FlowSequence[] seq = new FlowSequence[flows];
        final long[] sent = new long[flows];
        for (int f = 0; f < flows; f++)
        {
            seq[f] = new FlowSequence();
        }
        for (long n = 0; n < totalPackets(); n++)
        {
            final int f = (int)(n % flows);
            final long t = START_NS + Math.round(n * 1e9 / ratePps);
            final int path = choice.path(f, t);
            if (!pathOut[path].test(t))
            {
                seq[f].onPacket(sent[f], t);
            }
            sent[f]++;
        }
        final List<TrafficReport.Flow> out = new ArrayList<>();
        for (int f = 0; f < flows; f++)
        {
            seq[f].finish(sent[f]);
            out.add(new TrafficReport.Flow(f, sent[f], seq[f].received(), seq[f].lost(), 0, 0, 0, choice.path(f, START_NS),
                new long[vifs.length], seq[f].gaps(spacingNs()), List.of()));
        }
        return new TrafficReport(START_NS, 100 * MS, List.of(), out, 0, 0);
    }

    /** The TX counter of each VIF: packets the gateway sent on it (lost ones too: the loss is beyond the gateway). */
    List<VifSeries> series()
    {
        final int samples = (int)(durationNs / SAMPLE_NS) + 1;
        final long[] times = new long[samples];
        for (int i = 0; i < samples; i++)
        {
            times[i] = START_NS + i * SAMPLE_NS;
        }
        final long[][] counts = new long[vifs.length][samples];
        for (long n = 0; n < totalPackets(); n++)
        {
            final int f = (int)(n % flows);
            final long t = START_NS + Math.round(n * 1e9 / ratePps);
            final long[] c = counts[choice.path(f, t)];
            for (int i = (int)((t - START_NS) / SAMPLE_NS) + 1; i < samples; i++)
            {
                c[i]++;
            }
        }
        final List<VifSeries> out = new ArrayList<>();
        for (int v = 0; v < vifs.length; v++)
        {
            out.add(new VifSeries(vifs[v], times.clone(), counts[v]));
        }
        return out;
    }

    boolean[] onPath(final int path)
    {
        final boolean[] on = new boolean[flows];
        for (int f = 0; f < flows; f++)
        {
            on[f] = choice.path(f, START_NS) == path;
        }
        return on;
    }
}
