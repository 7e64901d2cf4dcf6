package org.vbgw.dataplane.pipeline;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.vbgw.dataplane.punt.PuntPath;

/**
 * A forwarding worker: polls its ports in batches through its {@link Forwarder}. An Agrona {@link Agent}:
 * {@link #doWork()} returns the frames it handled, so an idle strategy backs off when there is no traffic
 * and spins when there is.
 */
public final class Worker implements Agent
{
    /** Frames taken from one port before moving to the next: bounds latency across ports. */
    public static final int BATCH = 64;

    private final String name;
    private final Forwarder forwarder;
    private final PuntPath punt;
    private final int[] portIndexes;
    private final EpochNanoClock clock;

    public Worker(final String name, final Forwarder forwarder, final PuntPath punt, final int[] portIndexes,
        final EpochNanoClock clock)
    {
        this.name = name;
        this.forwarder = forwarder;
        this.punt = punt;
        this.portIndexes = portIndexes.clone();
        this.clock = clock;
    }

    @Override
    public int doWork()
    {
        final long now = clock.nanoTime();
        punt.now(now);
        int work = 0;
        for (final int port : portIndexes)
        {
            work += forwarder.poll(port, BATCH, now);
        }
        return work;
    }

    public Forwarder forwarder()
    {
        return forwarder;
    }

    @Override
    public String roleName()
    {
        return name;
    }
}
