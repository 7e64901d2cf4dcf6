package org.vbgw.agent.journal;

import org.vbgw.dataplane.Dataplane;
import org.vbgw.dataplane.neighbour.NeighbourTable;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;
import org.vbgw.fib.NextHop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Applies the FIB journal to a running {@link Dataplane}: the data plane's side of the journal. Runs as one of
 * the data plane's control tasks, so it is the FIB's single writer.
 * <p>
 * Entries between a transaction's begin and end are one change: a route removed and added again inside one
 * (how FRR reports a path change) becomes a replace, so lookups never see the prefix missing. An entry the
 * FIB refuses (unknown group, a next hop still in use) is counted and reported, and the rest still applies:
 * one bad entry must not take the gateway's other routes with it.
 */
public final class JournalApplier implements FibChangeHandler, Dataplane.ControlTask
{
    /** Entries read between two looks at the clock. */
    static final int CHUNK = 64;
    /** A tenth of the fastest BFD interval (10 ms), so the duty cycle comes round in time to send. */
    static final long DEFAULT_TIME_BUDGET_NS = 1_000_000;

    private final Dataplane dataplane;
    private final FibJournalReader reader;
    private final int batch;
    private long timeBudgetNs = DEFAULT_TIME_BUDGET_NS;
    private final List<IpPrefix> deferredRemovals = new ArrayList<>();
    private boolean inTransaction;
    private long applied;
    private long refused;
    private String lastRefusal;
    private long lastIndex = -1;
    private long lastTimestampNs;
    private long snapshotEvery;
    private Path snapshotFile;
    private long appliedAtSnapshot;
    private boolean corruptionReported;
    /**
     * The origin (source code << 8 | distance) the journal gave each group, by group id, for the snapshot: the FIB
     * has no use for it, but an agent restarting from a snapshot needs it. Control thread.
     */
    private int[] groupOrigins = new int[64];
    /** During a replay into an empty FIB: the routes to bulk-load at its end. Control thread. */
    private BulkRouteLoad bulk;

    /**
     * @param batch most entries one duty cycle applies; it stops earlier when its {@link #timeBudgetNs time budget}
     *              is spent.
     */
    public JournalApplier(final Dataplane dataplane, final FibJournalReader reader, final int batch)
    {
        this.dataplane = dataplane;
        this.reader = reader;
        this.batch = batch;
    }

    /**
     * How long one duty cycle may spend applying entries (default {@value #DEFAULT_TIME_BUDGET_NS} ns): it stops after
     * the chunk of {@value #CHUNK} entries that crosses it. Returns this.
     */
    public JournalApplier timeBudgetNs(final long timeBudgetNs)
    {
        this.timeBudgetNs = timeBudgetNs;
        return this;
    }

    /**
     * One control-thread duty cycle: applies entries, a chunk at a time, until {@code batch} are applied, the journal
     * has no more, or the time budget is spent; the thread comes straight back while entries are waiting, so a long
     * run of changes takes as long as before.
     * <p>
     * Why the budget: the control thread also sends and receives BFD (every 10 ms at the fastest timers) and hands
     * punted BGP to the host. One withdrawal costs ~11 µs, so the 4,096 entries of one cycle held the thread ~45 ms
     * while a million routes were withdrawn (bench-report, 2026-11-23).
     */
    @Override
    public int doWork(final long nowNs)
    {
        return apply(batch, timeBudgetNs);
    }

    /** Applies everything waiting in the journal now, without the duty cycle's budget (before start, tests). */
    public long drain()
    {
        long total = 0;
        int n;
        while ((n = apply(Integer.MAX_VALUE, Long.MAX_VALUE)) > 0)
        {
            total += n;
        }
        return total;
    }

    /** Up to {@code limit} entries, a chunk at a time, until the journal has no more or {@code budgetNs} is spent. */
    private int apply(final int limit, final long budgetNs)
    {
        final long started = System.nanoTime();
        int total = 0;
        while (total < limit)
        {
            final int n = reader.poll(this, Math.min(CHUNK, limit - total));
            if (n < 0)
            {
                if (!corruptionReported)
                {
                    // The FIB keeps forwarding with the table it has; the operator must learn the journal stopped.
                    corruptionReported = true;
                    System.err.println("vbgw: " + reader.corruption() + "; no further FIB changes are applied until " +
                        "the journal is repaired (the FIB keeps its current table)");
                }
                break;
            }
            total += n;
            if (n == 0)
            {
                break;
            }
            if (System.nanoTime() - started >= budgetNs)
            {
                break;
            }
        }
        if (total > 0)
        {
            maybeSnapshot();
        }
        return total;
    }

    /** Applies everything in the journal now (start-up replay). */
    public long replay()
    {
        final long before = applied;
        beginBulk();
        try
        {
            reader.drain(this);
        }
        finally
        {
            endBulk();
        }
        return applied - before;
    }

    /**
     * Into an empty FIB, a replay collects the routes (the last word on each prefix) and bulk-loads them at the
     * end, instead of one route at a time: next hops, groups and everything else apply as they come, so the
     * routes find their groups. A restart then costs a bulk load, not a million incremental updates.
     */
    private void beginBulk()
    {
        bulk = dataplane.fib().routeCount() == 0 ? new BulkRouteLoad() : null;
    }

    private void endBulk()
    {
        final BulkRouteLoad routes = bulk;
        bulk = null;
        if (routes == null || routes.size() == 0)
        {
            return;
        }
        routes.loadInto(fib(), (prefix, group) ->
            refuse(lastIndex, "route " + prefix, new IllegalArgumentException("unknown group " + group)));
    }

    /**
     * Start-up replay from a snapshot: applies the snapshot (if there is one), then only the journal's entries
     * after the one it was taken at.
     *
     * @return entries applied from the snapshot and the journal together.
     */
    public long replay(final Path snapshot) throws IOException
    {
        final long before = applied;
        beginBulk();
        try
        {
            final long index = FibSnapshot.apply(snapshot, this);
            if (index >= 0)
            {
                reader.moveAfter(index);
            }
            reader.drain(this);
        }
        finally
        {
            endBulk();
        }
        return applied - before;
    }

    /**
     * Writes a snapshot every {@code entries} applied journal entries (0: never), so the next start replays
     * the snapshot and a short tail instead of the whole journal.
     */
    public JournalApplier snapshotEvery(final long entries, final Path snapshot)
    {
        this.snapshotEvery = entries;
        this.snapshotFile = snapshot;
        return this;
    }

    /** Writes a snapshot of what has been applied so far. Control thread. */
    public int snapshot(final Path file) throws IOException
    {
        final int n = FibSnapshot.write(file, lastIndex, dataplane, this::groupOrigin);
        appliedAtSnapshot = applied;
        return n;
    }

    private void maybeSnapshot()
    {
        if (snapshotEvery > 0 && applied - appliedAtSnapshot >= snapshotEvery && !inTransaction)
        {
            try
            {
                snapshot(snapshotFile);
            }
            catch (final IOException | RuntimeException ex)
            {
                // A failed snapshot costs replay time later, never forwarding now: report and carry on.
                lastRefusal = "snapshot to " + snapshotFile + " failed: " + ex.getMessage();
                appliedAtSnapshot = applied;
            }
        }
    }

    public long applied()
    {
        return applied;
    }

    public long refused()
    {
        return refused;
    }

    public String lastRefusal()
    {
        return lastRefusal;
    }

    /** Index of the last entry applied (or refused), -1 before any. */
    public long lastIndex()
    {
        return lastIndex;
    }

    public long lastTimestampNs()
    {
        return lastTimestampNs;
    }

    /** Null while the journal reads clean; else where and why it is damaged. */
    public String corruption()
    {
        return reader.corruption();
    }

    private Fib fib()
    {
        return dataplane.fib();
    }

    private void done(final long index, final long ts)
    {
        lastIndex = index;
        lastTimestampNs = ts;
        applied++;
    }

    private void refuse(final long index, final String what, final RuntimeException ex)
    {
        lastIndex = index;
        refused++;
        lastRefusal = "journal entry " + Long.toHexString(index) + " (" + what + "): " + ex.getMessage();
    }

    @Override
    public void onNextHop(final long index, final long ts, final int id, final int vifId, final boolean ipv6,
        final long hi, final long lo)
    {
        try
        {
            final NextHop existing = fib().nextHop(id);
            if (existing != null && existing.vifId() == vifId && existing.ipv6() == ipv6 &&
                existing.neighbourHi() == hi && existing.neighbourLo() == lo)
            {
                done(index, ts);
                return;
            }
            dataplane.addNextHop(id, vifId, ipv6, hi, lo);
            done(index, ts);
        }
        catch (final RuntimeException ex)
        {
            refuse(index, "next hop " + id, ex);
        }
    }

    @Override
    public void onNextHopRemoved(final long index, final long ts, final int id)
    {
        try
        {
            if (fib().nextHop(id) != null)
            {
                dataplane.removeNextHop(id);
            }
            done(index, ts);
        }
        catch (final RuntimeException ex)
        {
            refuse(index, "remove next hop " + id, ex);
        }
    }

    @Override
    public void onNextHopState(final long index, final long ts, final int id, final boolean alive, final int cause)
    {
        try
        {
            // Through the data plane's liveness, so the agent's view is one cause among the detectors' and a
            // next hop the agent brings back stays down while BFD or carrier still hold it.
            dataplane.setNextHopDown(id, cause, !alive);
            done(index, ts);
        }
        catch (final RuntimeException ex)
        {
            refuse(index, "next hop " + id + " state", ex);
        }
    }

    /** The origin the journal gave group {@code id} (source code << 8 | distance), 0 when none. */
    int groupOrigin(final int id)
    {
        return id >= 0 && id < groupOrigins.length ? groupOrigins[id] : 0;
    }

    @Override
    public void onGroup(final long index, final long ts, final int id, final int[] nextHopIds, final int[] weights,
        final int memberCount, final int backupGroupId, final int source, final int distance)
    {
        onGroup(index, ts, id, nextHopIds, weights, memberCount, backupGroupId);
        if (id >= 0 && id <= Fib.MAX_GROUP_ID && fib().group(id) != null)
        {
            if (id >= groupOrigins.length)
            {
                groupOrigins = Arrays.copyOf(groupOrigins, Math.max(id + 1, groupOrigins.length * 2));
            }
            groupOrigins[id] = source << 8 | distance;
        }
    }

    @Override
    public void onGroup(final long index, final long ts, final int id, final int[] nextHopIds, final int[] weights,
        final int memberCount, final int backupGroupId)
    {
        try
        {
            final int[] members = Arrays.copyOf(nextHopIds, memberCount);
            final int[] w = Arrays.copyOf(weights, memberCount);
            if (fib().group(id) != null)
            {
                fib().replaceGroup(id, members, w, backupGroupId);
            }
            else
            {
                fib().addGroup(id, members, w, backupGroupId);
            }
            done(index, ts);
        }
        catch (final RuntimeException ex)
        {
            refuse(index, "group " + id, ex);
        }
    }

    @Override
    public void onGroupRemoved(final long index, final long ts, final int id)
    {
        try
        {
            if (fib().group(id) != null)
            {
                fib().removeGroup(id);
            }
            done(index, ts);
        }
        catch (final RuntimeException ex)
        {
            refuse(index, "remove group " + id, ex);
        }
    }

    @Override
    public void onRoute(final long index, final long ts, final boolean ipv6, final long hi, final long lo,
        final int length, final int groupId)
    {
        if (bulk != null && !ipv6 && BulkRouteLoad.isIpv4Prefix(hi, lo, length))
        {
            // The replay's common case, kept free of objects; anything else goes the checked way below.
            bulk.putIpv4(lo, length, groupId);
            done(index, ts);
            return;
        }
        IpPrefix prefix = null;
        try
        {
            prefix = new IpPrefix(ipv6, hi, lo, length);
            if (bulk != null)
            {
                bulk.put(prefix, groupId);
                done(index, ts);
                return;
            }
            deferredRemovals.remove(prefix);
            if (fib().routeGroup(prefix) != Fib.NO_GROUP)
            {
                fib().replaceRoute(prefix, groupId);
            }
            else
            {
                fib().addRoute(prefix, groupId);
            }
            done(index, ts);
        }
        catch (final RuntimeException ex)
        {
            refuse(index, "route " + (prefix != null ? prefix : "?"), ex);
        }
    }

    @Override
    public void onRouteRemoved(final long index, final long ts, final boolean ipv6, final long hi, final long lo,
        final int length)
    {
        if (bulk != null && !ipv6 && BulkRouteLoad.isIpv4Prefix(hi, lo, length))
        {
            bulk.removeIpv4(lo, length);
            done(index, ts);
            return;
        }
        try
        {
            final IpPrefix prefix = new IpPrefix(ipv6, hi, lo, length);
            if (bulk != null)
            {
                bulk.remove(prefix);
            }
            else if (inTransaction)
            {
                deferredRemovals.add(prefix);
            }
            else
            {
                fib().removeRoute(prefix);
            }
            done(index, ts);
        }
        catch (final RuntimeException ex)
        {
            refuse(index, "remove route", ex);
        }
    }

    @Override
    public void onNeighbour(final long index, final long ts, final int vifId, final boolean ipv6, final long hi,
        final long lo, final long mac)
    {
        try
        {
            dataplane.addStaticNeighbour(vifId, ipv6, hi, lo, mac);
            done(index, ts);
        }
        catch (final RuntimeException ex)
        {
            refuse(index, "neighbour", ex);
        }
    }

    @Override
    public void onNeighbourRemoved(final long index, final long ts, final int vifId, final boolean ipv6, final long hi,
        final long lo)
    {
        final NeighbourTable table = dataplane.neighbours();
        final int entry = table.find(vifId, ipv6, hi, lo);
        if (entry != NeighbourTable.NO_ENTRY)
        {
            table.remove(entry);
        }
        done(index, ts);
    }

    @Override
    public void onVifAdminState(final long index, final long ts, final int vifId, final boolean up)
    {
        final Vif vif = dataplane.vifs().snapshot().vif(vifId);
        if (vif == null)
        {
            refuse(index, "vif " + vifId + " admin state", new IllegalArgumentException("no VIF " + vifId));
            return;
        }
        dataplane.vifs().put(vif.withAdminUp(up));
        done(index, ts);
    }

    @Override
    public void onTransactionBegin(final long index, final long ts)
    {
        inTransaction = true;
        done(index, ts);
    }

    @Override
    public void onTransactionEnd(final long index, final long ts)
    {
        inTransaction = false;
        for (final IpPrefix p : deferredRemovals)
        {
            fib().removeRoute(p);
        }
        deferredRemovals.clear();
        done(index, ts);
    }
}
