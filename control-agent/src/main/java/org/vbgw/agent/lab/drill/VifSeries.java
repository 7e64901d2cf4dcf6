package org.vbgw.agent.lab.drill;

import java.util.Arrays;
import java.util.List;

/**
 * A VIF's transmit packet counter sampled over time (the gateway's per-VIF TX counter, about every 100 ms):
 * packets per second per interval, and the moment traffic came back to the VIF after a restore.
 * <p>
 * Sample times are {@link System#nanoTime()}, the clock of the traffic's send stamps and of the drill's cut and
 * restore, so they compare directly. The counter also counts the VIF's control traffic (BFD, BGP, ARP); a few
 * dozen packets per second against thousands of test traffic.
 *
 * @param timeNs  sample times, ascending.
 * @param packets the counter at each sample, non-decreasing (a counter reset is clamped to no traffic).
 */
public record VifSeries(String vif, long[] timeNs, long[] packets)
{
    /** Share of its usual rate at which a VIF counts as carrying the traffic again. */
    public static final double RETURN_SHARE = 0.5;
    /** Below this share of its usual rate an interval counts as carrying nothing (control traffic only). */
    public static final double IDLE_SHARE = 0.05;

    public VifSeries
    {
        if (timeNs.length != packets.length)
        {
            throw new IllegalArgumentException(vif + ": " + timeNs.length + " sample times but " + packets.length +
                " counter values");
        }
        for (int i = 1; i < timeNs.length; i++)
        {
            if (timeNs[i] <= timeNs[i - 1])
            {
                throw new IllegalArgumentException(vif + ": sample times not ascending at sample " + i + " (" +
                    timeNs[i - 1] + " then " + timeNs[i] + ")");
            }
        }
    }

    /** Samples taken. */
    public int size()
    {
        return timeNs.length;
    }

    /** Packets sent in interval i, between samples i - 1 and i (i ≥ 1). */
    public long delta(final int i)
    {
        return Math.max(0, packets[i] - packets[i - 1]);
    }

    /** Packets per second in interval i (i ≥ 1). */
    public double pps(final int i)
    {
        return delta(i) * 1e9 / (timeNs[i] - timeNs[i - 1]);
    }

    /** Mean packets per second over the intervals that lie inside [fromNs, toNs]; 0 if none do. */
    public double meanPps(final long fromNs, final long toNs)
    {
        int first = -1;
        int last = -1;
        for (int i = 0; i < timeNs.length; i++)
        {
            if (timeNs[i] >= fromNs && timeNs[i] <= toNs)
            {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        if (first < 0 || last <= first)
        {
            return 0;
        }
        return Math.max(0, packets[last] - packets[first]) * 1e9 / (timeNs[last] - timeNs[first]);
    }

    /**
     * When the VIF carried its traffic again after {@code restoreNs}: the first interval ending after the restore
     * that reaches {@link #RETURN_SHARE} of {@code usualPps}, moved back by the time its packets took at the usual
     * rate (and into the interval before, when that one already carried part of it). Accurate to a few
     * milliseconds at a steady rate, against the 100 ms of a sample.
     *
     * @return the time, never before {@code restoreNs}, or -1 if the VIF did not carry its traffic again.
     */
    public long returnNs(final long restoreNs, final double usualPps)
    {
        if (usualPps <= 0)
        {
            throw new IllegalArgumentException(vif + ": usual rate must be > 0 packets/s, was " + usualPps);
        }
        for (int i = 1; i < timeNs.length; i++)
        {
            if (timeNs[i] <= restoreNs || pps(i) < RETURN_SHARE * usualPps)
            {
                continue;
            }
            long at = timeNs[i] - Math.round(delta(i) * 1e9 / usualPps);
            at = Math.max(at, timeNs[i - 1]);
            if (i >= 2 && timeNs[i - 1] > restoreNs && pps(i - 1) >= IDLE_SHARE * usualPps)
            {
                at = Math.max(timeNs[i - 2], timeNs[i - 1] - Math.round(delta(i - 1) * 1e9 / usualPps));
            }
            return Math.max(at, restoreNs);
        }
        return -1;
    }

    /**
     * When the VIF stopped carrying its traffic after {@code cutNs}: the first interval ending after the cut that
     * falls below {@link #RETURN_SHARE} of {@code usualPps}, its packets taken as sent at the usual rate from the
     * interval's start (and from the interval before, when that one already carried less than usual).
     *
     * @return the time, never before {@code cutNs}, or -1 if the VIF kept its traffic.
     */
    public long leaveNs(final long cutNs, final double usualPps)
    {
        if (usualPps <= 0)
        {
            throw new IllegalArgumentException(vif + ": usual rate must be > 0 packets/s, was " + usualPps);
        }
        for (int i = 1; i < timeNs.length; i++)
        {
            if (timeNs[i] <= cutNs || pps(i) >= RETURN_SHARE * usualPps)
            {
                continue;
            }
            long at = Math.min(timeNs[i], timeNs[i - 1] + Math.round(delta(i) * 1e9 / usualPps));
            if (i >= 2 && timeNs[i - 1] > cutNs && pps(i - 1) < (1 - IDLE_SHARE) * usualPps)
            {
                at = Math.min(timeNs[i - 1], timeNs[i - 2] + Math.round(delta(i - 1) * 1e9 / usualPps));
            }
            return Math.max(at, cutNs);
        }
        return -1;
    }

    /** Whether the VIF was idle (below {@link #IDLE_SHARE} of {@code usualPps}) through some interval in the window. */
    public boolean wentIdle(final long fromNs, final long toNs, final double usualPps)
    {
        for (int i = 1; i < timeNs.length; i++)
        {
            if (timeNs[i - 1] >= fromNs && timeNs[i] <= toNs && pps(i) < IDLE_SHARE * usualPps)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The sum of several VIFs' series sampled at the same moments (one sampler reads every VIF's counter at once).
     */
    public static VifSeries sum(final String name, final List<VifSeries> series)
    {
        if (series.isEmpty())
        {
            throw new IllegalArgumentException("nothing to sum for " + name);
        }
        final long[] t = series.get(0).timeNs();
        final long[] c = new long[t.length];
        for (final VifSeries s : series)
        {
            if (!Arrays.equals(s.timeNs(), t))
            {
                throw new IllegalArgumentException(s.vif() + " was sampled at other moments than " +
                    series.get(0).vif());
            }
            for (int i = 0; i < c.length; i++)
            {
                c[i] += s.packets()[i];
            }
        }
        return new VifSeries(name, t.clone(), c);
    }

    /**
     * This VIF's series as if the offered traffic had been steady: each interval's count scaled by
     * {@code usualTotalPps} over the total's rate in that interval. On a loaded machine the sender stalls now and
     * then and every VIF's rate dips with it; the VIF's share of the total does not, so a dip is not taken for
     * traffic leaving the VIF. An interval in which nothing was sent at all counts as nothing on this VIF.
     */
    public VifSeries normalisedTo(final VifSeries total, final double usualTotalPps)
    {
        if (!Arrays.equals(total.timeNs(), timeNs))
        {
            throw new IllegalArgumentException(vif + " and " + total.vif() + " were sampled at other moments");
        }
        final long[] c = new long[timeNs.length];
        for (int i = 1; i < c.length; i++)
        {
            final double totalPps = total.pps(i);
            final long scaled = totalPps <= 0 ? 0 : Math.round(delta(i) * usualTotalPps / totalPps);
            c[i] = c[i - 1] + scaled;
        }
        return new VifSeries(vif, timeNs.clone(), c);
    }

    /** The samples taken at or after {@code fromNs} (one repeat of a longer run). */
    public VifSeries since(final long fromNs)
    {
        int i = 0;
        while (i < timeNs.length && timeNs[i] < fromNs)
        {
            i++;
        }
        return new VifSeries(vif, Arrays.copyOfRange(timeNs, i, timeNs.length), Arrays.copyOfRange(packets, i,
            packets.length));
    }
}
