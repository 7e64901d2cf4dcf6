package org.vbgw.agent.journal;

/**
 * Receives decoded journal entries, one call per FIB change, in journal order.
 * <p>
 * Addresses come as {@code (ipv6, hi, lo)}: IPv4 in the low 32 bits of {@code lo}, IPv6 as two big-endian
 * halves, as {@link org.vbgw.fib.IpPrefix} holds them. Arrays passed to {@link #onGroup} are reused by the
 * reader: copy what must outlive the call. {@code timestampNs} is the writer's wall clock in epoch nanoseconds.
 */
public interface FibChangeHandler
{
    void onNextHop(long index, long timestampNs, int nextHopId, int vifId, boolean ipv6, long hi, long lo);

    void onNextHopRemoved(long index, long timestampNs, int nextHopId);

    /** Administrative or detected liveness of a next hop; {@code cause} is one of {@link FibChange}'s CAUSE_*. */
    void onNextHopState(long index, long timestampNs, int nextHopId, boolean alive, int cause);

    void onGroup(long index, long timestampNs, int groupId, int[] nextHopIds, int[] weights, int memberCount,
        int backupGroupId);

    /**
     * A group with the origin the RIB recorded for it (see {@link FibWriter#group(int, int[], int[], int, int, int,
     * int)}); {@code source} is {@link FibChange#SOURCE_UNKNOWN} in entries written before origins were recorded.
     * Handlers that do not need the origin get {@link #onGroup(long, long, int, int[], int[], int, int)}.
     */
    default void onGroup(final long index, final long timestampNs, final int groupId, final int[] nextHopIds,
        final int[] weights, final int memberCount, final int backupGroupId, final int source, final int distance)
    {
        onGroup(index, timestampNs, groupId, nextHopIds, weights, memberCount, backupGroupId);
    }

    void onGroupRemoved(long index, long timestampNs, int groupId);

    void onRoute(long index, long timestampNs, boolean ipv6, long hi, long lo, int length, int groupId);

    void onRouteRemoved(long index, long timestampNs, boolean ipv6, long hi, long lo, int length);

    void onNeighbour(long index, long timestampNs, int vifId, boolean ipv6, long hi, long lo, long mac);

    void onNeighbourRemoved(long index, long timestampNs, int vifId, boolean ipv6, long hi, long lo);

    /** Administrative state of a VIF. */
    void onVifAdminState(long index, long timestampNs, int vifId, boolean up);

    /** The entries from here to the matching {@link #onTransactionEnd} form one change (e.g. a path change). */
    void onTransactionBegin(long index, long timestampNs);

    void onTransactionEnd(long index, long timestampNs);
}
