package org.vbgw.dataplane.pipeline;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.vbgw.dataplane.counters.CounterKind;
import org.vbgw.dataplane.packet.PacketError;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One worker's counters: per verdict, per parse error, per VIF (rx/tx packets and bytes) and per next hop
 * (tx packets, which shows ECMP balance).
 * <p>
 * Each counter has exactly one writer, its worker, so an opaque add suffices (no atomic add, no fence).
 * Per frame the worker only adds into plain arrays of its own; {@link #publish()}, once per polled batch,
 * adds what changed into the shared counters. Six opaque increments on six cache lines of the mapped file
 * per packet cost more than the rest of the bookkeeping; per batch they are a handful. Readers in other
 * processes therefore see values at most one batch old. Workers sharing a label (one set per worker) are
 * summed by the reader. VIF and next-hop counters are created by the control thread when the VIF or next
 * hop appears and published with release; a worker that has not seen one yet drops that batch's counts
 * for it rather than allocate.
 */
public final class WorkerCounters
{
    private static final VarHandle ELEMENT = MethodHandles.arrayElementVarHandle(AtomicCounter[].class);
    private static final int RX_PACKETS = 0;
    private static final int RX_BYTES = 1;
    private static final int TX_PACKETS = 2;
    private static final int TX_BYTES = 3;

    private final CountersManager manager;
    private final int workerId;
    private final AtomicCounter[] verdicts = new AtomicCounter[Verdict.COUNT];
    private final AtomicCounter[] parseErrors = new AtomicCounter[PacketError.COUNT];
    private final AtomicCounter[] vifs;
    private final AtomicCounter[] nextHops;

    // Counts not yet published, and which entries hold some.
    private final long[] pendingVerdicts = new long[Verdict.COUNT];
    private long dirtyVerdicts;
    private final long[] pendingVifs;
    private final int[] dirtyVifs;
    private int dirtyVifCount;
    private final long[] pendingNextHops;
    private final int[] dirtyNextHops;
    private int dirtyNextHopCount;

    /** Allocates the fixed counters; call on the control thread. */
    public WorkerCounters(final CountersManager manager, final int workerId, final int maxVifs, final int maxNextHops)
    {
        this.manager = manager;
        this.workerId = workerId;
        for (int v = 0; v < Verdict.COUNT; v++)
        {
            verdicts[v] = manager.newCounter("worker " + workerId + " " + Verdict.name(v),
                Verdict.isDrop(v) ? CounterKind.DROP : CounterKind.WORKER);
        }
        for (int e = 1; e < PacketError.COUNT; e++)
        {
            parseErrors[e] = manager.newCounter("worker " + workerId + " malformed " + PacketError.name(e), CounterKind.DROP);
        }
        vifs = new AtomicCounter[maxVifs * 4];
        nextHops = new AtomicCounter[maxNextHops];
        pendingVifs = new long[maxVifs * 4];
        dirtyVifs = new int[maxVifs];
        pendingNextHops = new long[maxNextHops];
        dirtyNextHops = new int[maxNextHops];
    }

    /** Creates the counters of a VIF, or names them anew when the id now belongs to another VIF; control thread. */
    public void addVif(final int vifId, final String name)
    {
        final String[] metrics = { "rx_packets", "rx_bytes", "tx_packets", "tx_bytes" };
        for (int m = 0; m < 4; m++)
        {
            counter(vifs, vifId * 4 + m, "vif " + name + " " + metrics[m] + " worker " + workerId, CounterKind.VIF);
        }
    }

    /** Creates the tx counter of a next hop, or names it anew for another next hop of the id; control thread. */
    public void addNextHop(final int nextHopId, final String description)
    {
        if (nextHopId >= 0 && nextHopId < nextHops.length)
        {
            counter(nextHops, nextHopId, "nexthop " + description + " tx_packets worker " + workerId, CounterKind.NEXT_HOP);
        }
    }

    private void counter(final AtomicCounter[] counters, final int index, final String label, final int kind)
    {
        final AtomicCounter existing = (AtomicCounter)ELEMENT.getAcquire(counters, index);
        if (existing == null)
        {
            ELEMENT.setRelease(counters, index, manager.newCounter(label, kind));
        }
        else if (!label.equals(existing.label()))
        {
            // An id freed by a reload and given to another VIF or next hop: its counters start again under the new
            // name, so a reader never adds the old one's traffic to the new one's label.
            existing.updateLabel(label);
            existing.setRelease(0);
        }
    }

    public void verdict(final int verdict)
    {
        pendingVerdicts[verdict]++;
        dirtyVerdicts |= 1L << verdict;
    }

    public void parseError(final int packetError)
    {
        final AtomicCounter c = parseErrors[packetError];
        if (c != null)
        {
            c.incrementOpaque();
        }
    }

    public void vifRx(final int vifId, final int bytes)
    {
        count(vifId, RX_PACKETS, bytes);
    }

    public void vifTx(final int vifId, final int bytes)
    {
        count(vifId, TX_PACKETS, bytes);
    }

    public void nextHopTx(final int nextHopId)
    {
        if (nextHopId >= 0 && nextHopId < pendingNextHops.length)
        {
            if (pendingNextHops[nextHopId]++ == 0)
            {
                dirtyNextHops[dirtyNextHopCount++] = nextHopId;
            }
        }
    }

    /**
     * Adds the counts of the frames since the last call into the shared counters. The worker calls it once
     * per polled batch (and after every single frame it processes outside a poll).
     */
    public void publish()
    {
        long dirty = dirtyVerdicts;
        dirtyVerdicts = 0;
        while (dirty != 0)
        {
            final int v = Long.numberOfTrailingZeros(dirty);
            dirty &= dirty - 1;
            verdicts[v].getAndAddOpaque(pendingVerdicts[v]);
            pendingVerdicts[v] = 0;
        }
        for (int i = 0; i < dirtyVifCount; i++)
        {
            final int base = dirtyVifs[i] * 4;
            for (int m = 0; m < 4; m++)
            {
                final long delta = pendingVifs[base + m];
                if (delta != 0)
                {
                    pendingVifs[base + m] = 0;
                    final AtomicCounter c = (AtomicCounter)ELEMENT.getAcquire(vifs, base + m);
                    if (c != null)
                    {
                        c.getAndAddOpaque(delta);
                    }
                }
            }
        }
        dirtyVifCount = 0;
        for (int i = 0; i < dirtyNextHopCount; i++)
        {
            final int id = dirtyNextHops[i];
            final long delta = pendingNextHops[id];
            pendingNextHops[id] = 0;
            final AtomicCounter c = (AtomicCounter)ELEMENT.getAcquire(nextHops, id);
            if (c != null)
            {
                c.getAndAddOpaque(delta);
            }
        }
        dirtyNextHopCount = 0;
    }

    public CountersManager manager()
    {
        return manager;
    }

    /** The current value of a verdict counter of this worker (tests, traces). */
    public long verdictCount(final int verdict)
    {
        return verdicts[verdict].get();
    }

    private void count(final int vifId, final int packetsMetric, final int bytes)
    {
        final int base = vifId * 4;
        if (vifId >= 0 && base < pendingVifs.length)
        {
            if (pendingVifs[base + RX_PACKETS] == 0 && pendingVifs[base + TX_PACKETS] == 0)
            {
                dirtyVifs[dirtyVifCount++] = vifId;
            }
            pendingVifs[base + packetsMetric]++;
            pendingVifs[base + packetsMetric + 1] += bytes;
        }
    }
}
