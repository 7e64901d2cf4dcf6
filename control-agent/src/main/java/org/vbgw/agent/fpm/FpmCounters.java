package org.vbgw.agent.fpm;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * What the FPM server has seen and done, for {@code /metrics} and {@code vbgw stat}: frames, messages by type,
 * routes added, changed and removed, malformed frames and session resets, and gauges of what is held.
 * <p>
 * Written by the FPM server's thread only (release stores), read by any thread (acquire loads): the data
 * plane's control thread copies them into the counters file ({@link #forEach}).
 */
public final class FpmCounters
{
    /** Type id of the FPM counters in the counters file, after the data plane's {@code CounterKind}s. */
    public static final int COUNTER_KIND = 1101;

    public static final int FRAMES = 0;
    public static final int BYTES = 1;
    public static final int NEW_ROUTE = 2;
    public static final int DEL_ROUTE = 3;
    public static final int NEW_NEXT_HOP = 4;
    public static final int DEL_NEXT_HOP = 5;
    public static final int OTHER_MESSAGES = 6;
    public static final int ROUTES_ADDED = 7;
    public static final int ROUTES_CHANGED = 8;
    public static final int ROUTES_REMOVED = 9;
    public static final int ROUTES_FILTERED = 10;
    public static final int ROUTES_UNRESOLVED = 11;
    public static final int ROUTES_REJECTED = 12;
    public static final int MALFORMED = 13;
    public static final int RESETS = 14;
    public static final int CONNECTIONS = 15;
    public static final int STALE_FLUSHED = 16;
    /** Deletes a reconnected zebra sent for routes of the previous session it had not announced again. */
    public static final int STALE_DELETES_IGNORED = 17;
    public static final int ROUTES_INSTALLED = 18;
    public static final int ROUTES_PENDING = 19;
    public static final int ROUTES_STALE = 20;
    public static final int NEXT_HOPS = 21;
    public static final int CONNECTED = 22;

    /** Counter labels; the ones from {@link #FIRST_GAUGE} on go up and down. */
    private static final String[] NAMES = {
        "frames", "bytes", "messages_newroute", "messages_delroute", "messages_newnexthop", "messages_delnexthop",
        "messages_other", "routes_added", "routes_changed", "routes_removed", "routes_filtered", "routes_unresolved",
        "routes_rejected", "malformed_frames", "session_resets", "connections", "stale_flushed",
        "stale_deletes_ignored", "routes_installed", "routes_pending", "routes_stale", "next_hops", "connected"};
    public static final int FIRST_GAUGE = ROUTES_INSTALLED;

    private final AtomicLongArray values = new AtomicLongArray(NAMES.length);

    void increment(final int counter)
    {
        add(counter, 1);
    }

    void add(final int counter, final long delta)
    {
        // One writer: a plain read and a release store are enough, no CAS.
        values.setRelease(counter, values.getPlain(counter) + delta);
    }

    void set(final int counter, final long value)
    {
        values.setRelease(counter, value);
    }

    public long get(final int counter)
    {
        return values.getAcquire(counter);
    }

    public static String name(final int counter)
    {
        return NAMES[counter];
    }

    /** Metric name of a counter in {@code /metrics} (without the {@code _total} of counters). */
    public static boolean isGauge(final String metricFamily)
    {
        for (int i = FIRST_GAUGE; i < NAMES.length; i++)
        {
            if (metricFamily.equals("vbgw_fpm_" + NAMES[i]))
            {
                return true;
            }
        }
        return false;
    }

    /** Hands every counter's label ({@code "fpm frames"}) and a reader of its value to {@code sink}. */
    public void forEach(final BiConsumer<String, LongSupplier> sink)
    {
        for (int i = 0; i < NAMES.length; i++)
        {
            final int counter = i;
            sink.accept("fpm " + NAMES[i], () -> get(counter));
        }
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < NAMES.length; i++)
        {
            sb.append(i == 0 ? "" : " ").append(NAMES[i]).append('=').append(get(i));
        }
        return sb.toString();
    }
}
