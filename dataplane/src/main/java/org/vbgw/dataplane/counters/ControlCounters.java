package org.vbgw.dataplane.counters;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Counters whose sources keep their own tallies (port statistics, the neighbour table, the punt receiver):
 * the control thread copies them into the counters file every {@code periodNs}, so a reader in another process
 * sees them beside the workers' counters without the sources knowing about counters at all.
 * Control thread only.
 */
public final class ControlCounters
{
    private record Published(AtomicCounter counter, LongSupplier source)
    {
    }

    private final CountersManager manager;
    private final long periodNs;
    private final List<Published> published = new ArrayList<>();
    private long nextPublishNs;

    public ControlCounters(final CountersManager manager, final long periodNs)
    {
        this.manager = manager;
        this.periodNs = periodNs;
    }

    /** Publishes {@code source} under {@code label} from now on. */
    public void add(final String label, final int kind, final LongSupplier source)
    {
        published.add(new Published(manager.newCounter(label, kind), source));
    }

    /** Copies every source into its counter when the period has passed; returns how many it copied. */
    public int publish(final long nowNs)
    {
        if (nowNs - nextPublishNs < 0)
        {
            return 0;
        }
        nextPublishNs = nowNs + periodNs;
        for (int i = 0; i < published.size(); i++)
        {
            final Published p = published.get(i);
            p.counter().setRelease(p.source().getAsLong());
        }
        return published.size();
    }
}
