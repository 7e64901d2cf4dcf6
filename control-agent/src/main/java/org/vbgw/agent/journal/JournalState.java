package org.vbgw.agent.journal;

import org.vbgw.fib.IpPrefix;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the journal says the FIB holds now: the next hops, groups, routes, static neighbours and VIF admin
 * states left after applying every entry in order (a snapshot first, when there is one). It is what a data
 * plane that has caught up forwards with, read without a data plane: an agent that restarts reconciles its
 * RIB against it and writes only the differences.
 * <p>
 * Follows the same rules as {@link JournalApplier} (a transaction's removal and re-add is a replace; last word
 * wins), but keeps plain maps: it runs once per agent start, off the forwarding path.
 */
public final class JournalState implements FibChangeHandler
{
    /** A next hop as the journal defined it. */
    public record NextHopEntry(int vifId, boolean ipv6, long hi, long lo)
    {
    }

    /**
     * A group as the journal defined it; members and weights in entry order; the origin of the routes using it
     * ({@code source} {@link FibChange#SOURCE_UNKNOWN} when the entry did not record one).
     */
    public record GroupEntry(int[] nextHopIds, int[] weights, int backupGroupId, int source, int distance)
    {
        @Override
        public boolean equals(final Object o)
        {
            return o instanceof GroupEntry g && g.backupGroupId == backupGroupId && g.source == source &&
                g.distance == distance && Arrays.equals(g.nextHopIds, nextHopIds) && Arrays.equals(g.weights, weights);
        }

        @Override
        public int hashCode()
        {
            return 31 * (31 * (31 * Arrays.hashCode(nextHopIds) + Arrays.hashCode(weights)) + backupGroupId) +
                (source << 8 | distance);
        }
    }

    /** A static neighbour's key: the VIF and the address. */
    public record NeighbourKey(int vifId, boolean ipv6, long hi, long lo)
    {
    }

    private final Map<Integer, NextHopEntry> nextHops = new HashMap<>();
    private final Map<Integer, GroupEntry> groups = new HashMap<>();
    private final Map<IpPrefix, Integer> routes = new HashMap<>();
    private final Map<NeighbourKey, Long> neighbours = new HashMap<>();
    private final Set<Integer> vifsAdminDown = new HashSet<>();
    private long lastIndex = -1;
    private long entries;

    /**
     * Reads the state of the journal in {@code journalDir}: the snapshot (when the file exists), then the entries
     * after it.
     *
     * @throws IllegalStateException when the journal or the snapshot is damaged, saying where: an agent must not
     *     reconcile against a state it could only read in part.
     */
    public static JournalState read(final FibJournal journal, final Path snapshot) throws IOException
    {
        final JournalState state = new JournalState();
        try (FibJournalReader reader = journal.reader(null))
        {
            final long index = FibSnapshot.apply(snapshot, state);
            if (index >= 0)
            {
                reader.moveAfter(index);
            }
            reader.drain(state);
        }
        return state;
    }

    public Map<Integer, NextHopEntry> nextHops()
    {
        return nextHops;
    }

    public Map<Integer, GroupEntry> groups()
    {
        return groups;
    }

    public Map<IpPrefix, Integer> routes()
    {
        return routes;
    }

    public Map<NeighbourKey, Long> neighbours()
    {
        return neighbours;
    }

    public Set<Integer> vifsAdminDown()
    {
        return vifsAdminDown;
    }

    /** Index of the last journal entry read, -1 when none. */
    public long lastIndex()
    {
        return lastIndex;
    }

    /** Entries read (snapshot and journal). */
    public long entries()
    {
        return entries;
    }

    private void seen(final long index)
    {
        lastIndex = Math.max(lastIndex, index);
        entries++;
    }

    @Override
    public void onNextHop(final long index, final long ts, final int id, final int vifId, final boolean ipv6,
        final long hi, final long lo)
    {
        nextHops.put(id, new NextHopEntry(vifId, ipv6, hi, lo));
        seen(index);
    }

    @Override
    public void onNextHopRemoved(final long index, final long ts, final int id)
    {
        nextHops.remove(id);
        seen(index);
    }

    @Override
    public void onNextHopState(final long index, final long ts, final int id, final boolean alive, final int cause)
    {
        // Liveness is the detectors' to find again after a restart; it is not part of what the agent programs.
        seen(index);
    }

    @Override
    public void onGroup(final long index, final long ts, final int id, final int[] nextHopIds, final int[] weights,
        final int memberCount, final int backupGroupId)
    {
        onGroup(index, ts, id, nextHopIds, weights, memberCount, backupGroupId, FibChange.SOURCE_UNKNOWN, 0);
    }

    @Override
    public void onGroup(final long index, final long ts, final int id, final int[] nextHopIds, final int[] weights,
        final int memberCount, final int backupGroupId, final int source, final int distance)
    {
        groups.put(id, new GroupEntry(Arrays.copyOf(nextHopIds, memberCount), Arrays.copyOf(weights, memberCount),
            backupGroupId, source, distance));
        seen(index);
    }

    @Override
    public void onGroupRemoved(final long index, final long ts, final int id)
    {
        groups.remove(id);
        seen(index);
    }

    @Override
    public void onRoute(final long index, final long ts, final boolean ipv6, final long hi, final long lo,
        final int length, final int groupId)
    {
        try
        {
            routes.put(new IpPrefix(ipv6, hi, lo, length), groupId);
        }
        catch (final IllegalArgumentException ex)
        {
            // The data plane refuses such an entry too (and says so); it holds no route for it.
        }
        seen(index);
    }

    @Override
    public void onRouteRemoved(final long index, final long ts, final boolean ipv6, final long hi, final long lo,
        final int length)
    {
        try
        {
            routes.remove(new IpPrefix(ipv6, hi, lo, length));
        }
        catch (final IllegalArgumentException ex)
        {
            // As above: never installed.
        }
        seen(index);
    }

    @Override
    public void onNeighbour(final long index, final long ts, final int vifId, final boolean ipv6, final long hi,
        final long lo, final long mac)
    {
        neighbours.put(new NeighbourKey(vifId, ipv6, hi, lo), mac);
        seen(index);
    }

    @Override
    public void onNeighbourRemoved(final long index, final long ts, final int vifId, final boolean ipv6, final long hi,
        final long lo)
    {
        neighbours.remove(new NeighbourKey(vifId, ipv6, hi, lo));
        seen(index);
    }

    @Override
    public void onVifAdminState(final long index, final long ts, final int vifId, final boolean up)
    {
        if (up)
        {
            vifsAdminDown.remove(vifId);
        }
        else
        {
            vifsAdminDown.add(vifId);
        }
        seen(index);
    }

    @Override
    public void onTransactionBegin(final long index, final long ts)
    {
        seen(index);
    }

    @Override
    public void onTransactionEnd(final long index, final long ts)
    {
        seen(index);
    }
}
