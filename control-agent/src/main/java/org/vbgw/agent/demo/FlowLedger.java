package org.vbgw.agent.demo;

/**
 * What the receivers of the demo saw, per flow and per path: which path each flow arrived on last, how many
 * packets each path carried, and every gap in a flow's sequence numbers. A gap's outage is the time the
 * missing packets would have been sent in: from the send time of the packet before the gap to the send time
 * of the packet after it, less one packet spacing.
 * <p>
 * One thread records (the demo's); the live view reads on the same thread.
 */
final class FlowLedger
{
    private final int flows;
    private final int paths;
    private final long spacingNs;
    private final long[] lastSequence;
    private final long[] lastSendNs;
    private final int[] lastPath;
    private final long[] packetsPerPath;
    private final long[] lostPerFlow;
    private final long[] worstOutageNs;
    private final long[] pathPackets;
    private long lost;

    /**
     * @param spacingNs how often each flow sends: the resolution of an outage.
     */
    FlowLedger(final int flows, final int paths, final long spacingNs)
    {
        this.flows = flows;
        this.paths = paths;
        this.spacingNs = spacingNs;
        this.lastSequence = new long[flows];
        this.lastSendNs = new long[flows];
        this.lastPath = new int[flows];
        this.packetsPerPath = new long[flows * paths];
        this.lostPerFlow = new long[flows];
        this.worstOutageNs = new long[flows];
        this.pathPackets = new long[paths];
        java.util.Arrays.fill(lastSequence, -1);
        java.util.Arrays.fill(lastPath, -1);
    }

    void record(final int flow, final int path, final long sequence, final long sendNs)
    {
        if (flow < 0 || flow >= flows || path < 0 || path >= paths)
        {
            return;
        }
        pathPackets[path]++;
        packetsPerPath[flow * paths + path]++;
        lastPath[flow] = path;
        final long last = lastSequence[flow];
        if (sequence <= last)
        {
            return; // reordered or duplicated: not a gap
        }
        if (last >= 0 && sequence > last + 1)
        {
            final long missing = sequence - last - 1;
            lost += missing;
            lostPerFlow[flow] += missing;
            worstOutageNs[flow] = Math.max(worstOutageNs[flow], sendNs - lastSendNs[flow] - spacingNs);
        }
        lastSequence[flow] = sequence;
        lastSendNs[flow] = sendNs;
    }

    /** Packets that arrived on a path so far. */
    long pathPackets(final int path)
    {
        return pathPackets[path];
    }

    /** The path a flow's last packet came on, or -1 before any. */
    int lastPath(final int flow)
    {
        return lastPath[flow];
    }

    long packets(final int flow, final int path)
    {
        return packetsPerPath[flow * paths + path];
    }

    long lost()
    {
        return lost;
    }

    long lost(final int flow)
    {
        return lostPerFlow[flow];
    }

    long worstOutageNs(final int flow)
    {
        return worstOutageNs[flow];
    }

    /** The last sequence number received of a flow, or -1. */
    long lastSequence(final int flow)
    {
        return lastSequence[flow];
    }

    int flows()
    {
        return flows;
    }

    /** Forgets gaps and outages (not paths): the start of a new measurement. */
    void resetGaps()
    {
        lost = 0;
        java.util.Arrays.fill(lostPerFlow, 0);
        java.util.Arrays.fill(worstOutageNs, 0);
    }
}
