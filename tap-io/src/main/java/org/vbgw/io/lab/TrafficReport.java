package org.vbgw.io.lab;

import java.util.List;

/**
 * What a {@link SequencedReceiver} saw, as plain records (Jackson writes them as JSON as they are): per flow
 * the losses with their outage, reordering, duplicates and path changes; per ingress path the packets per
 * time bucket, for a plot of packets per second per VIF over time.
 * <p>
 * Times are {@link System#nanoTime()} of this host, the clock of the send stamps, so they compare directly
 * with the moments a lab cut or restored a link.
 *
 * @param startNs      receive time of bucket 0's start.
 * @param bucketNs     width of a time-series bucket.
 * @param paths        one per ingress path, in the receiver's port order.
 * @param flows        one per flow id.
 * @param foreignFrames frames that were not sequenced traffic (ARP, other protocols, another port).
 * @param unknownFlows sequenced frames with a flow id outside the receiver's range.
 */
public record TrafficReport(long startNs, long bucketNs, List<Path> paths, List<Flow> flows, long foreignFrames,
    long unknownFlows)
{
    /** Packets of one ingress path; {@code perBucket[i]} arrived in [startNs + i·bucketNs, + bucketNs). */
    public record Path(int path, String name, long packets, long[] perBucket)
    {
    }

    /**
     * One flow.
     *
     * @param overdue   packets that arrived after the receiver's delay limit: counted in {@code lost}, not received.
     * @param firstPath the path its first packet came in on, -1 if none came.
     * @param switches  every change of ingress path, in order of arrival.
     */
    public record Flow(int flow, long sent, long received, long lost, long late, long duplicates, long overdue,
        int firstPath,
        long[] packetsPerPath, List<Gap> gaps, List<PathSwitch> switches)
    {
    }

    /**
     * A run of missing sequence numbers.
     *
     * @param beforeSendNs send time of the packet before the run ({@link FlowSequence#NO_TIME} at the start).
     * @param afterSendNs  send time of the packet after it ({@link FlowSequence#NO_TIME} at the end).
     * @param outageNs     how long the flow's path was out (see {@link FlowSequence}).
     * @param open         at the start or end of the flow: the outage is estimated from the nominal spacing.
     */
    public record Gap(long firstSequence, long lastSequence, long lost, long beforeSendNs, long afterSendNs,
        long outageNs, boolean open)
    {
    }

    /** A flow's packet arrived on {@code toPath} after its previous one came on {@code fromPath}. */
    public record PathSwitch(long receiveNs, long sequence, int fromPath, int toPath)
    {
    }
}
