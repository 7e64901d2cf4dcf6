package org.vbgw.agent.journal;

/**
 * Where the RIB writes FIB changes: the {@link FibJournal} in production, a recorder in tests.
 * The methods mirror {@link FibChangeHandler}; each returns the entry's journal index (or any
 * increasing number when there is no journal).
 */
public interface FibWriter
{
    long nextHop(int nextHopId, int vifId, boolean ipv6, long hi, long lo);

    long nextHopRemoved(int nextHopId);

    long nextHopState(int nextHopId, boolean alive, int cause);

    long group(int groupId, int[] nextHopIds, int[] weights, int memberCount, int backupGroupId);

    /**
     * A group with the origin of the routes that use it: the {@code source} code of the RIB's route source
     * ({@link FibChange#SOURCE_UNKNOWN} when not known) and its administrative distance. The journal records them
     * so an agent that restarts knows which routes a routing protocol will announce again (and keeps them, stale,
     * until it does); the data plane ignores them. Writers that do not record origins drop them.
     */
    default long group(final int groupId, final int[] nextHopIds, final int[] weights, final int memberCount,
        final int backupGroupId, final int source, final int distance)
    {
        return group(groupId, nextHopIds, weights, memberCount, backupGroupId);
    }

    long groupRemoved(int groupId);

    long route(boolean ipv6, long hi, long lo, int length, int groupId);

    long routeRemoved(boolean ipv6, long hi, long lo, int length);

    long neighbour(int vifId, boolean ipv6, long hi, long lo, long mac);

    long neighbourRemoved(int vifId, boolean ipv6, long hi, long lo);

    long vifAdminState(int vifId, boolean up);

    long transactionBegin();

    long transactionEnd();
}
