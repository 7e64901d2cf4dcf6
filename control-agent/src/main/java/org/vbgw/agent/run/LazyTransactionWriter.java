package org.vbgw.agent.run;

import org.vbgw.agent.journal.FibWriter;

/**
 * The agent's writer into the journal: passes every change through, and writes a transaction's begin only before
 * its first change, so a RIB change that changes nothing (zebra replaying routes the FIB already has) leaves no
 * entry at all instead of an empty begin and end.
 * <p>
 * Serialized by its owner ({@link RouteAgent}'s lock), as the journal's appender is.
 */
final class LazyTransactionWriter implements FibWriter
{
    private final FibWriter out;
    private boolean open;
    private boolean begun;

    LazyTransactionWriter(final FibWriter out)
    {
        this.out = out;
    }

    private void before()
    {
        if (open && !begun)
        {
            begun = true;
            out.transactionBegin();
        }
    }

    @Override
    public long transactionBegin()
    {
        if (open)
        {
            throw new IllegalStateException("transactions do not nest");
        }
        open = true;
        begun = false;
        return -1;
    }

    @Override
    public long transactionEnd()
    {
        final boolean write = begun;
        open = false;
        begun = false;
        return write ? out.transactionEnd() : -1;
    }

    @Override
    public long nextHop(final int nextHopId, final int vifId, final boolean ipv6, final long hi, final long lo)
    {
        before();
        return out.nextHop(nextHopId, vifId, ipv6, hi, lo);
    }

    @Override
    public long nextHopRemoved(final int nextHopId)
    {
        before();
        return out.nextHopRemoved(nextHopId);
    }

    @Override
    public long nextHopState(final int nextHopId, final boolean alive, final int cause)
    {
        before();
        return out.nextHopState(nextHopId, alive, cause);
    }

    @Override
    public long group(final int groupId, final int[] nextHopIds, final int[] weights, final int memberCount,
        final int backupGroupId)
    {
        before();
        return out.group(groupId, nextHopIds, weights, memberCount, backupGroupId);
    }

    @Override
    public long group(final int groupId, final int[] nextHopIds, final int[] weights, final int memberCount,
        final int backupGroupId, final int source, final int distance)
    {
        before();
        return out.group(groupId, nextHopIds, weights, memberCount, backupGroupId, source, distance);
    }

    @Override
    public long groupRemoved(final int groupId)
    {
        before();
        return out.groupRemoved(groupId);
    }

    @Override
    public long route(final boolean ipv6, final long hi, final long lo, final int length, final int groupId)
    {
        before();
        return out.route(ipv6, hi, lo, length, groupId);
    }

    @Override
    public long routeRemoved(final boolean ipv6, final long hi, final long lo, final int length)
    {
        before();
        return out.routeRemoved(ipv6, hi, lo, length);
    }

    @Override
    public long neighbour(final int vifId, final boolean ipv6, final long hi, final long lo, final long mac)
    {
        before();
        return out.neighbour(vifId, ipv6, hi, lo, mac);
    }

    @Override
    public long neighbourRemoved(final int vifId, final boolean ipv6, final long hi, final long lo)
    {
        before();
        return out.neighbourRemoved(vifId, ipv6, hi, lo);
    }

    @Override
    public long vifAdminState(final int vifId, final boolean up)
    {
        before();
        return out.vifAdminState(vifId, up);
    }
}
