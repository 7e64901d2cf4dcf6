package org.vbgw.dataplane.liveness;

import org.agrona.collections.IntArrayList;
import org.vbgw.fib.Fib;
import org.vbgw.io.LinkState;
import org.vbgw.io.Port;

import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Carrier loss on a port invalidates every next hop behind it at once; carrier back restores them after a
 * hold-down, so a flapping link does not flap traffic. The fastest of the failure detectors: it needs no
 * timer to expire, only the link state, which it reads every {@code pollIntervalNs} (an ioctl for a kernel
 * port: cheap, and unlike rtnetlink events it does not lag behind the change).
 * <p>
 * Control thread only (it writes the FIB). The invalidation itself is the FIB's O(1)-per-group operation.
 */
public final class CarrierWatch
{
    private final Port[] ports;
    private final Fib fib;
    private final IntFunction<IntArrayList> nextHopsOnPort;
    private final Consumer<LivenessEvent> events;
    private final long pollIntervalNs;
    private final long holdDownNs;
    private final LinkState[] state;
    private final long[] restoreAtNs;
    private final IntArrayList[] invalidated;
    private long nextPollNs;
    private long downEvents;

    /**
     * @param nextHopsOnPort the ids of the next hops whose VIF is on a port (asked at the moment of loss).
     */
    public CarrierWatch(final Port[] ports, final Fib fib, final IntFunction<IntArrayList> nextHopsOnPort,
        final Consumer<LivenessEvent> events, final long pollIntervalNs, final long holdDownNs)
    {
        this.ports = ports;
        this.fib = fib;
        this.nextHopsOnPort = nextHopsOnPort;
        this.events = events;
        this.pollIntervalNs = pollIntervalNs;
        this.holdDownNs = holdDownNs;
        this.state = new LinkState[ports.length];
        this.restoreAtNs = new long[ports.length];
        this.invalidated = new IntArrayList[ports.length];
        for (int p = 0; p < ports.length; p++)
        {
            state[p] = LinkState.UP;
            invalidated[p] = new IntArrayList();
        }
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
                restoreAtNs[p] = 0;
                work += down(p, nowNs);
            }
            else if (now == LinkState.UP && was != LinkState.UP)
            {
                state[p] = LinkState.UP;
                restoreAtNs[p] = nowNs + holdDownNs;
                events.accept(new LivenessEvent(nowNs, "port " + ports[p].name(), "down", "up (hold-down)", "carrier", 0));
                work++;
            }
            else if (now == LinkState.UP && restoreAtNs[p] != 0 && nowNs - restoreAtNs[p] >= 0)
            {
                restoreAtNs[p] = 0;
                work += restore(p, nowNs);
            }
        }
        return work;
    }

    private int down(final int port, final long nowNs)
    {
        downEvents++;
        final IntArrayList ids = nextHopsOnPort.apply(port);
        final IntArrayList killed = invalidated[port];
        for (int i = 0; i < ids.size(); i++)
        {
            final int nh = ids.getInt(i);
            if (fib.nextHop(nh) != null && fib.nextHop(nh).alive())
            {
                fib.setNextHopAlive(nh, false);
                killed.addInt(nh);
            }
        }
        events.accept(new LivenessEvent(nowNs, "port " + ports[port].name(), "up", "down", "carrier", killed.size()));
        return 1;
    }

    private int restore(final int port, final long nowNs)
    {
        final IntArrayList killed = invalidated[port];
        int restored = 0;
        for (int i = 0; i < killed.size(); i++)
        {
            final int nh = killed.getInt(i);
            if (fib.nextHop(nh) != null && !fib.nextHop(nh).alive())
            {
                fib.setNextHopAlive(nh, true);
                restored++;
            }
        }
        killed.clear();
        events.accept(new LivenessEvent(nowNs, "port " + ports[port].name(), "up (hold-down)", "up", "carrier", restored));
        return 1;
    }

    /** Carrier losses seen since start. */
    public long downEvents()
    {
        return downEvents;
    }
}
