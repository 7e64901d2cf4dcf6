package org.vbgw.dataplane.neighbour;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * The ARP / ND cache: per (VIF, address) the neighbour's MAC, its resolution state and timers, and a bounded
 * queue of frames waiting for it.
 * <p>
 * Owned by one thread (the data plane's neighbour agent): not thread-safe. Workers never call it; they read
 * resolved MACs from adjacencies, which {@link NeighbourListener#resolved} publishes. Fixed capacity,
 * open addressing over primitive arrays, so a flood of ARP allocates nothing; when full, new neighbours are
 * refused and counted rather than evicting ones in use. Time is passed in ({@code nowNs}), so tests run it
 * without sleeping.
 */
public final class NeighbourTable
{
    /** Returned when an entry cannot be created (table full). */
    public static final int NO_ENTRY = -1;
    private static final int NO_SLOT = -1;

    private final NeighbourTimers timers;
    private final NeighbourListener listener;
    private final int capacity;
    private final int mask;

    // Per entry; index = slot in the open-addressing table.
    private final int[] state;
    private final int[] vifId;
    private final boolean[] ipv6;
    private final long[] hi;
    private final long[] lo;
    private final long[] mac;
    private final long[] deadlineNs;
    private final int[] probesLeft;
    private final long[] confirmedNs;
    private final int[] pendingHead;
    private final int[] pendingTail;
    private final int[] pendingCount;
    private int size;

    // Pending frames: a pool of fixed-size slots chained per entry.
    private final int maxPendingPerEntry;
    private final int slotBytes;
    private final UnsafeBuffer pool;
    private final int[] slotLength;
    private final int[] slotNext;
    private int freeSlot;

    /** Earliest deadline of any entry: doWork skips its scan until then, so an idle table costs nothing. */
    private long nextDeadlineNs = Long.MAX_VALUE;
    private long refusedFull;
    private long pendingOverflow;

    /**
     * @param capacity           entries (rounded up to a power of two, kept at most half full for short probes).
     * @param maxPendingPerEntry frames one unresolved neighbour may hold (Linux's unres_qlen_bytes idea).
     * @param poolSlots          frames all neighbours together may hold.
     * @param slotBytes          largest frame a slot holds (the largest MTU plus headers).
     */
    public NeighbourTable(final int capacity, final NeighbourTimers timers, final NeighbourListener listener,
        final int maxPendingPerEntry, final int poolSlots, final int slotBytes)
    {
        this.timers = timers;
        this.listener = listener;
        final int slots = Integer.highestOneBit(Math.max(2, capacity * 2 - 1)) << 1;
        this.capacity = capacity;
        this.mask = slots - 1;
        state = new int[slots];
        vifId = new int[slots];
        ipv6 = new boolean[slots];
        hi = new long[slots];
        lo = new long[slots];
        mac = new long[slots];
        deadlineNs = new long[slots];
        probesLeft = new int[slots];
        confirmedNs = new long[slots];
        pendingHead = new int[slots];
        pendingTail = new int[slots];
        pendingCount = new int[slots];
        Arrays.fill(pendingHead, NO_SLOT);
        Arrays.fill(pendingTail, NO_SLOT);
        this.maxPendingPerEntry = maxPendingPerEntry;
        this.slotBytes = slotBytes;
        pool = new UnsafeBuffer(new byte[poolSlots * slotBytes]);
        slotLength = new int[poolSlots];
        slotNext = new int[poolSlots];
        for (int i = 0; i < poolSlots; i++)
        {
            slotNext[i] = i + 1 < poolSlots ? i + 1 : NO_SLOT;
        }
        freeSlot = poolSlots > 0 ? 0 : NO_SLOT;
    }

    /** The entry for the address, or {@link #NO_ENTRY}. */
    public int find(final int vif, final boolean v6, final long addrHi, final long addrLo)
    {
        int i = hash(vif, addrHi, addrLo) & mask;
        while (state[i] != NeighbourState.NONE)
        {
            if (vifId[i] == vif && lo[i] == addrLo && hi[i] == addrHi && ipv6[i] == v6)
            {
                return i;
            }
            i = (i + 1) & mask;
        }
        return NO_ENTRY;
    }

    /**
     * Starts resolving the address if it is not known yet (sends the first request), and returns its entry.
     * A known entry is returned as it is; a failed one is not retried before its retry time.
     */
    public int resolve(final int vif, final boolean v6, final long addrHi, final long addrLo, final long nowNs)
    {
        final int existing = find(vif, v6, addrHi, addrLo);
        if (existing != NO_ENTRY)
        {
            return existing;
        }
        final int e = insert(vif, v6, addrHi, addrLo);
        if (e == NO_ENTRY)
        {
            return NO_ENTRY;
        }
        state[e] = NeighbourState.INCOMPLETE;
        probesLeft[e] = timers.maxProbes() - 1;
        deadlineNs[e] = nowNs + timers.retransmitNs();
        scheduled(deadlineNs[e]);
        listener.solicit(vif, v6, addrHi, addrLo, 0);
        return e;
    }

    /** Adds or replaces an operator-configured neighbour; it never expires. */
    public int addStatic(final int vif, final boolean v6, final long addrHi, final long addrLo, final long neighbourMac)
    {
        int e = find(vif, v6, addrHi, addrLo);
        if (e == NO_ENTRY)
        {
            e = insert(vif, v6, addrHi, addrLo);
            if (e == NO_ENTRY)
            {
                throw new IllegalStateException("neighbour table full (" + capacity + " entries)");
            }
        }
        state[e] = NeighbourState.STATIC;
        mac[e] = neighbourMac;
        listener.resolved(e, vif, v6, addrHi, addrLo, neighbourMac);
        flushPending(e);
        return e;
    }

    /**
     * Learns a neighbour's MAC from an ARP reply or request, or an NA / NS with a link-layer option.
     *
     * @param create true when the message was addressed to us (RFC 826: a request for our address creates
     *               the sender's entry), false for messages that only update an entry that already exists.
     */
    public void learn(final int vif, final boolean v6, final long addrHi, final long addrLo, final long neighbourMac,
        final boolean create, final long nowNs)
    {
        int e = find(vif, v6, addrHi, addrLo);
        if (e == NO_ENTRY)
        {
            if (!create)
            {
                return;
            }
            e = insert(vif, v6, addrHi, addrLo);
            if (e == NO_ENTRY)
            {
                return;
            }
        }
        if (state[e] == NeighbourState.STATIC)
        {
            return;
        }
        final boolean changed = !NeighbourState.usable(state[e]) || mac[e] != neighbourMac;
        state[e] = NeighbourState.REACHABLE;
        mac[e] = neighbourMac;
        confirmedNs[e] = nowNs;
        deadlineNs[e] = nowNs + timers.reachableNs() - timers.refreshAheadNs();
        scheduled(deadlineNs[e]);
        probesLeft[e] = timers.maxProbes();
        if (changed)
        {
            listener.resolved(e, vif, v6, addrHi, addrLo, neighbourMac);
        }
        flushPending(e);
    }

    /** Forgets a neighbour (operator delete, VIF removed); frames waiting on it are dropped. */
    public void remove(final int entry)
    {
        dropPending(entry);
        state[entry] = NeighbourState.NONE;
        size--;
        // Backward-shift deletion keeps every probe sequence unbroken without tombstones.
        int hole = entry;
        int i = (entry + 1) & mask;
        while (state[i] != NeighbourState.NONE)
        {
            final int home = hash(vifId[i], hi[i], lo[i]) & mask;
            if (((i - home) & mask) >= ((i - hole) & mask))
            {
                moveEntry(i, hole);
                hole = i;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Queues a frame until its neighbour resolves; false (and counted) when the entry's queue or the pool
     * is full, or the frame is larger than a slot.
     */
    public boolean enqueue(final int entry, final DirectBuffer frame, final int offset, final int length)
    {
        if (pendingCount[entry] >= maxPendingPerEntry || freeSlot == NO_SLOT || length > slotBytes)
        {
            pendingOverflow++;
            return false;
        }
        final int slot = freeSlot;
        freeSlot = slotNext[slot];
        pool.putBytes(slot * slotBytes, frame, offset, length);
        slotLength[slot] = length;
        slotNext[slot] = NO_SLOT;
        if (pendingTail[entry] == NO_SLOT)
        {
            pendingHead[entry] = slot;
        }
        else
        {
            slotNext[pendingTail[entry]] = slot;
        }
        pendingTail[entry] = slot;
        pendingCount[entry]++;
        return true;
    }

    /**
     * Runs the timers: retransmits, refreshes before expiry, expiry into failure, retries of failed entries.
     *
     * @return how many entries it acted on (0 lets the idle strategy back off).
     */
    public int doWork(final long nowNs)
    {
        if (nextDeadlineNs == Long.MAX_VALUE || nowNs - nextDeadlineNs < 0)
        {
            return 0;
        }
        int work = 0;
        long earliest = Long.MAX_VALUE;
        for (int e = 0; e <= mask; e++)
        {
            final int s = state[e];
            if (s == NeighbourState.NONE || s == NeighbourState.STATIC)
            {
                continue;
            }
            if (nowNs - deadlineNs[e] < 0)
            {
                earliest = earlier(earliest, deadlineNs[e]);
                continue;
            }
            work++;
            switch (s)
            {
                case NeighbourState.INCOMPLETE ->
                {
                    if (probesLeft[e] > 0)
                    {
                        probesLeft[e]--;
                        deadlineNs[e] = nowNs + timers.retransmitNs();
                        listener.solicit(vifId[e], ipv6[e], hi[e], lo[e], 0);
                    }
                    else
                    {
                        fail(e, nowNs);
                    }
                }
                case NeighbourState.REACHABLE ->
                {
                    // Refresh ahead of expiry with a unicast request: a live neighbour answers and traffic
                    // never sees the entry go stale.
                    state[e] = NeighbourState.PROBE;
                    probesLeft[e] = timers.maxProbes() - 1;
                    deadlineNs[e] = nowNs + Math.min(timers.retransmitNs(), timers.refreshAheadNs() / timers.maxProbes() + 1);
                    listener.solicit(vifId[e], ipv6[e], hi[e], lo[e], mac[e]);
                }
                case NeighbourState.PROBE ->
                {
                    if (probesLeft[e] > 0)
                    {
                        probesLeft[e]--;
                        deadlineNs[e] = nowNs + Math.min(timers.retransmitNs(), timers.refreshAheadNs() / timers.maxProbes() + 1);
                        listener.solicit(vifId[e], ipv6[e], hi[e], lo[e], mac[e]);
                    }
                    else if (nowNs - (confirmedNs[e] + timers.reachableNs()) >= 0)
                    {
                        fail(e, nowNs);
                    }
                    else
                    {
                        deadlineNs[e] = confirmedNs[e] + timers.reachableNs();
                    }
                }
                case NeighbourState.FAILED ->
                {
                    deadlineNs[e] = nowNs + timers.failedRetryNs();
                    listener.solicit(vifId[e], ipv6[e], hi[e], lo[e], 0);
                }
                default ->
                {
                }
            }
            earliest = earlier(earliest, deadlineNs[e]);
        }
        nextDeadlineNs = earliest;
        return work;
    }

    private static long earlier(final long a, final long b)
    {
        return a == Long.MAX_VALUE ? b : (b - a < 0 ? b : a);
    }

    private void scheduled(final long deadline)
    {
        nextDeadlineNs = earlier(nextDeadlineNs, deadline);
    }

    private void fail(final int e, final long nowNs)
    {
        state[e] = NeighbourState.FAILED;
        deadlineNs[e] = nowNs + timers.failedRetryNs();
        dropPending(e);
        listener.unreachable(e, vifId[e], ipv6[e], hi[e], lo[e]);
    }

    public int state(final int entry)
    {
        return state[entry];
    }

    public long mac(final int entry)
    {
        return mac[entry];
    }

    public int vifId(final int entry)
    {
        return vifId[entry];
    }

    public int pendingCount(final int entry)
    {
        return pendingCount[entry];
    }

    public int size()
    {
        return size;
    }

    /** Neighbours refused because the table was full. */
    public long refusedFull()
    {
        return refusedFull;
    }

    /** Frames refused because a neighbour's queue or the pool was full. */
    public long pendingOverflow()
    {
        return pendingOverflow;
    }

    /** Visits live entries (for `vbgw show neighbors`). */
    public void forEach(final EntryConsumer consumer)
    {
        for (int e = 0; e <= mask; e++)
        {
            if (state[e] != NeighbourState.NONE)
            {
                consumer.accept(e, vifId[e], ipv6[e], hi[e], lo[e], mac[e], state[e]);
            }
        }
    }

    /** Receives entries from {@link #forEach}. */
    @FunctionalInterface
    public interface EntryConsumer
    {
        void accept(int entry, int vifId, boolean ipv6, long hi, long lo, long mac, int state);
    }

    private int insert(final int vif, final boolean v6, final long addrHi, final long addrLo)
    {
        if (size >= capacity)
        {
            refusedFull++;
            return NO_ENTRY;
        }
        int i = hash(vif, addrHi, addrLo) & mask;
        while (state[i] != NeighbourState.NONE)
        {
            i = (i + 1) & mask;
        }
        vifId[i] = vif;
        ipv6[i] = v6;
        hi[i] = addrHi;
        lo[i] = addrLo;
        mac[i] = 0;
        pendingHead[i] = NO_SLOT;
        pendingTail[i] = NO_SLOT;
        pendingCount[i] = 0;
        size++;
        return i;
    }

    private void moveEntry(final int from, final int to)
    {
        state[to] = state[from];
        vifId[to] = vifId[from];
        ipv6[to] = ipv6[from];
        hi[to] = hi[from];
        lo[to] = lo[from];
        mac[to] = mac[from];
        deadlineNs[to] = deadlineNs[from];
        probesLeft[to] = probesLeft[from];
        confirmedNs[to] = confirmedNs[from];
        pendingHead[to] = pendingHead[from];
        pendingTail[to] = pendingTail[from];
        pendingCount[to] = pendingCount[from];
        state[from] = NeighbourState.NONE;
        pendingHead[from] = NO_SLOT;
        pendingTail[from] = NO_SLOT;
        pendingCount[from] = 0;
    }

    private void flushPending(final int e)
    {
        int slot = pendingHead[e];
        while (slot != NO_SLOT)
        {
            final int next = slotNext[slot];
            listener.release(e, mac[e], pool, slot * slotBytes, slotLength[slot]);
            freeSlotAt(slot);
            slot = next;
        }
        pendingHead[e] = NO_SLOT;
        pendingTail[e] = NO_SLOT;
        pendingCount[e] = 0;
    }

    private void dropPending(final int e)
    {
        final int n = pendingCount[e];
        int slot = pendingHead[e];
        while (slot != NO_SLOT)
        {
            final int next = slotNext[slot];
            freeSlotAt(slot);
            slot = next;
        }
        pendingHead[e] = NO_SLOT;
        pendingTail[e] = NO_SLOT;
        pendingCount[e] = 0;
        if (n > 0)
        {
            listener.dropped(e, n);
        }
    }

    private void freeSlotAt(final int slot)
    {
        slotNext[slot] = freeSlot;
        freeSlot = slot;
    }

    private static int hash(final int vif, final long addrHi, final long addrLo)
    {
        long h = addrLo * 0x9E3779B97F4A7C15L ^ addrHi * 0xC2B2AE3D27D4EB4FL ^ vif * 0x165667B19E3779F9L;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        return (int)(h ^ (h >>> 32));
    }
}
