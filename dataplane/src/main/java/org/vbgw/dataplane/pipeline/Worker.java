package org.vbgw.dataplane.pipeline;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.vbgw.dataplane.punt.InjectPort;
import org.vbgw.dataplane.punt.PuntPath;

/**
 * A forwarding worker: polls its ports in batches through its {@link Forwarder}. An Agrona {@link Agent}:
 * {@link #doWork()} returns the frames it handled, so an idle strategy backs off when there is no traffic
 * and spins when there is. It also sends what the control thread queued for its ports ({@link InjectPort}),
 * so the control thread never writes a port's transmit ring.
 */
public final class Worker implements Agent
{
    /** Frames taken from one port before moving to the next: bounds latency across ports. */
    public static final int BATCH = 64;

    private final String name;
    private final Forwarder forwarder;
    private final PuntPath punt;
    private final int[] portIndexes;
    private final InjectPort[] injectPorts;
    private final EpochNanoClock clock;

    /**
     * @param injectPorts the control thread's transmit queues, indexed by port like the data plane's ports;
     *     only the worker that owns the ports' first handles drains them (an empty array for the others).
     */
    public Worker(final String name, final Forwarder forwarder, final PuntPath punt, final int[] portIndexes,
        final InjectPort[] injectPorts, final EpochNanoClock clock)
    {
        this.name = name;
        this.forwarder = forwarder;
        this.punt = punt;
        this.portIndexes = portIndexes.clone();
        this.injectPorts = injectPorts.clone();
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
            if (port < injectPorts.length)
            {
                work += injectPorts[port].drain(BATCH);
            }
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
