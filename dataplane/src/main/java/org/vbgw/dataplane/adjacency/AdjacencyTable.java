package org.vbgw.dataplane.adjacency;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Next hop id → {@link Adjacency}, or nothing while the next hop's neighbour is unresolved.
 * <p>
 * Written by the data plane's control thread (neighbour resolution, VIF changes); read by every worker per
 * packet. Elements are stored with release and read with acquire, so a worker that sees an adjacency sees
 * it fully constructed; a plain array load would let the JIT hoist or reorder it. Fixed capacity (the
 * FIB's next-hop id space), so a read is one bounds check and one load.
 */
public final class AdjacencyTable
{
    private static final VarHandle ELEMENT = MethodHandles.arrayElementVarHandle(Adjacency[].class);

    private final Adjacency[] byNextHop;

    public AdjacencyTable(final int maxNextHops)
    {
        byNextHop = new Adjacency[maxNextHops];
    }

    /** The adjacency of a next hop, or null when it cannot be used now (unresolved, VIF down). Any thread. */
    public Adjacency get(final int nextHopId)
    {
        if (nextHopId < 0 || nextHopId >= byNextHop.length)
        {
            return null;
        }
        return (Adjacency)ELEMENT.getAcquire(byNextHop, nextHopId);
    }

    /** Publishes (or replaces) a next hop's adjacency. Control thread only. */
    public void put(final Adjacency adjacency)
    {
        final int id = adjacency.nextHopId();
        if (id < 0 || id >= byNextHop.length)
        {
            throw new IllegalArgumentException("next hop id " + id + " out of range 0.." + (byNextHop.length - 1));
        }
        ELEMENT.setRelease(byNextHop, id, adjacency);
    }

    /** Withdraws a next hop's adjacency: workers stop sending to it and ask for resolution. Control thread only. */
    public void clear(final int nextHopId)
    {
        if (nextHopId >= 0 && nextHopId < byNextHop.length)
        {
            ELEMENT.setRelease(byNextHop, nextHopId, (Adjacency)null);
        }
    }

    public int capacity()
    {
        return byNextHop.length;
    }
}
