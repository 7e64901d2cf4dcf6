package org.vbgw.dataplane.liveness;

import org.vbgw.io.LinkState;
import org.vbgw.io.Port;

/**
 * Carrier loss on a port takes every next hop behind it out of service at once; carrier back restores them
 * after a hold-down, so a flapping link does not flap traffic. The fastest of the failure detectors: it needs
 * no timer to expire, only the link state, which it reads every {@code pollIntervalNs} (an ioctl for a kernel
 * port: cheap, and unlike rtnetlink events it does not lag behind the change).
 * <p>
 * Control thread only. What "behind the port" means, and the hold-down, are {@link NextHopLiveness}'s.
 */
public final class CarrierWatch
{
    private final Port[] ports;
    private final NextHopLiveness liveness;
    private final long pollIntervalNs;
    private final long holdDownNs;
    private final LinkState[] state;
    private long nextPollNs;
    private long downEvents;

    public CarrierWatch(final Port[] ports, final NextHopLiveness liveness, final long pollIntervalNs,
        final long holdDownNs)
    {
        this.ports = ports;
        this.liveness = liveness;
        this.pollIntervalNs = pollIntervalNs;
        this.holdDownNs = holdDownNs;
        this.state = new LinkState[ports.length];
        java.util.Arrays.fill(state, LinkState.UP);
    }

    /** One duty cycle; returns the number of changes acted on. */
    public int doWork(final long nowNs)
    {
        if (nowNs - nextPollNs < 0)
        {
            return 0;
        }
        nextPollNs = nowNs + pollIntervalNs;
        int work = 0;
        for (int p = 0; p < ports.length; p++)
        {
            final LinkState now = ports[p].linkState();
            final LinkState was = state[p];
            if (now != LinkState.UP && was == LinkState.UP)
            {
                state[p] = now;
                downEvents++;
                liveness.raise(NextHopLiveness.Scope.port(p), NextHopLiveness.CAUSE_CARRIER, nowNs);
                work++;
            }
            else if (now == LinkState.UP && was != LinkState.UP)
            {
                state[p] = LinkState.UP;
                liveness.clear(NextHopLiveness.Scope.port(p), NextHopLiveness.CAUSE_CARRIER, holdDownNs, nowNs);
                work++;
            }
        }
        return work;
    }

    /** Carrier losses seen since start. */
    public long downEvents()
    {
        return downEvents;
    }
}
