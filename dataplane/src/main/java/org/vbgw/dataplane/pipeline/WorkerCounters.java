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
 * Each counter has exactly one writer, its worker, so an opaque increment suffices (no atomic add, no
 * fence); readers in other processes see values at most a few stores old. Workers sharing a label (one
 * set per worker) are summed by the reader. VIF and next-hop counters are created by the control thread
 * when the VIF or next hop appears and published with release; a worker that has not seen one yet skips
 * counting that frame rather than allocate.
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
    }

    /** Creates the counters of a VIF; control thread. */
    public void addVif(final int vifId, final String name)
    {
        final String[] metrics = { "rx_packets", "rx_bytes", "tx_packets", "tx_bytes" };
        for (int m = 0; m < 4; m++)
        {
            if (ELEMENT.getAcquire(vifs, vifId * 4 + m) == null)
            {
                ELEMENT.setRelease(vifs, vifId * 4 + m,
                    manager.newCounter("vif " + name + " " + metrics[m] + " worker " + workerId, CounterKind.VIF));
            }
        }
    }

    /** Creates the tx counter of a next hop; control thread. */
    public void addNextHop(final int nextHopId, final String description)
    {
        if (nextHopId >= 0 && nextHopId < nextHops.length && ELEMENT.getAcquire(nextHops, nextHopId) == null)
        {
            ELEMENT.setRelease(nextHops, nextHopId,
                manager.newCounter("nexthop " + description + " tx_packets worker " + workerId, CounterKind.NEXT_HOP));
        }
    }

    public void verdict(final int verdict)
    {
        verdicts[verdict].incrementOpaque();
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
        count(vifId * 4 + RX_PACKETS, vifId * 4 + RX_BYTES, bytes);
    }

    public void vifTx(final int vifId, final int bytes)
    {
        count(vifId * 4 + TX_PACKETS, vifId * 4 + TX_BYTES, bytes);
    }

    public void nextHopTx(final int nextHopId)
    {
        if (nextHopId >= 0 && nextHopId < nextHops.length)
        {
            final AtomicCounter c = (AtomicCounter)ELEMENT.getAcquire(nextHops, nextHopId);
            if (c != null)
            {
                c.incrementOpaque();
            }
        }
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

    private void count(final int packetsIndex, final int bytesIndex, final int bytes)
    {
        if (bytesIndex < vifs.length)
        {
            final AtomicCounter p = (AtomicCounter)ELEMENT.getAcquire(vifs, packetsIndex);
            if (p != null)
            {
                p.incrementOpaque();
                ((AtomicCounter)ELEMENT.getAcquire(vifs, bytesIndex)).getAndAddOpaque(bytes);
            }
        }
    }
}
