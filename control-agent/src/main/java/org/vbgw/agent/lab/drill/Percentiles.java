package org.vbgw.agent.lab.drill;

import org.HdrHistogram.Histogram;

/**
 * p50, p90 and max of a set of durations over a drill's repeats, through an HdrHistogram with microsecond
 * resolution and 3 significant digits (so a 150 ms outage is exact to 0.1 ms). Values below zero mean "never"
 * and are counted apart, not recorded; with nothing recorded the percentiles are null.
 *
 * @param count  durations recorded.
 * @param never  repeats where it never happened (e.g. traffic never returned).
 */
public record Percentiles(int count, int never, Double p50Ms, Double p90Ms, Double maxMs)
{
    /** Up to an hour, in microseconds. */
    private static final long HIGHEST_US = 3_600_000_000L;

    /** Of {@code durationsNs}; negative entries are "never". */
    public static Percentiles of(final long... durationsNs)
    {
        final Histogram h = new Histogram(HIGHEST_US, 3);
        int never = 0;
        for (final long ns : durationsNs)
        {
            if (ns < 0)
            {
                never++;
            }
            else
            {
                h.recordValue(Math.min(HIGHEST_US, Math.round(ns / 1e3)));
            }
        }
        if (h.getTotalCount() == 0)
        {
            return new Percentiles(0, never, null, null, null);
        }
        return new Percentiles((int)h.getTotalCount(), never, h.getValueAtPercentile(50) / 1e3,
            h.getValueAtPercentile(90) / 1e3, h.getMaxValue() / 1e3);
    }

    /** {@code p50 / p90 / max} in milliseconds with one decimal, or {@code never}. */
    public String describe()
    {
        if (count == 0)
        {
            return never > 0 ? "never" : "-";
        }
        return String.format("%.1f / %.1f / %.1f", p50Ms, p90Ms, maxMs) + (never > 0 ? " (" + never + "x never)" : "");
    }
}
