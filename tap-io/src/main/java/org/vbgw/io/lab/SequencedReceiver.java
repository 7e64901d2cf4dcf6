package org.vbgw.io.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.vbgw.io.FrameHandler;
import org.vbgw.io.Port;

/**
 * Receives {@link SequencedSender} traffic on one or more ports, one per ingress path (e.g. a customer router's
 * two connections, one per VIF), and records per flow the missing and late sequence numbers
 * ({@link FlowSequence}), duplicates and every change of ingress path, and per path the packets per time bucket.
 * {@link #report} turns it into a {@link TrafficReport}.
 * <p>
 * <b>Too late is lost.</b> A packet whose one-way delay (receive time − send stamp) exceeds {@code maxDelayNs} is
 * counted as overdue and otherwise treated as never having arrived, as RFC 7680 defines loss (a packet not
 * received within Tmax): a frame held in a queue while a link was down and released when it came back, long
 * after the flow moved on, is part of the outage, not a late arrival that closes it.
 * <p>
 * Receive times are taken once per batch, not per frame: a batch is what one port had ready, and bucket widths
 * and path-switch times are milliseconds against microseconds of batch.
 * <p>
 * An Agrona {@link Agent}: one thread runs {@link #doWork()}; the ports belong to the caller. Everything but
 * {@link #received()} is that thread's; {@link #report} is called after the agent's thread has stopped. Nothing
 * is allocated per frame (a flow's missing runs and path switches grow an array when one opens).
 */
public final class SequencedReceiver implements Agent
{
    /** Frames taken from one port per duty cycle. */
    public static final int BATCH = 256;

    private final Port[] ports;
    private final int dstPort;
    private final int flowCount;
    private final long bucketNs;
    private final long maxDelayNs;
    private final FlowSequence[] flows;
    private final long[] overdue;
    private final int[] lastPath;
    private final int[] firstPath;
    private final long[][] packetsPerPath;
    /** Per flow: receive time, sequence, from path, to path of each path switch. */
    private final long[][] switches;
    private final int[] switchCount;
    private final long[][] buckets;
    private final long[] pathPackets;
    private final PathHandler[] handlers;
    private final AtomicLong received = new AtomicLong();
    private long startNs;
    private long nowNs;
    private long foreign;
    private long unknownFlows;
    private long total;

    /**
     * @param ports     one per ingress path, in path order.
     * @param dstPort   the UDP destination port of the traffic.
     * @param flows     flow ids 0 … flows - 1 are counted; others are counted as unknown.
     * @param bucketNs  width of a time-series bucket.
     * @param maxDurationNs how long the series may run; later packets land in the last bucket.
     * @param maxDelayNs one-way delay above which a packet counts as lost (Tmax); 0 for no limit.
     */
    public SequencedReceiver(final Port[] ports, final int dstPort, final int flows, final long bucketNs,
        final long maxDurationNs, final long maxDelayNs)
    {
        if (ports.length == 0 || flows <= 0 || bucketNs <= 0 || maxDurationNs < bucketNs)
        {
            throw new IllegalArgumentException("a receiver needs ports, flows, a bucket width > 0 and a duration of at " +
                "least one bucket");
        }
        this.ports = ports.clone();
        this.dstPort = dstPort;
        this.flowCount = flows;
        this.bucketNs = bucketNs;
        this.maxDelayNs = maxDelayNs;
        this.flows = new FlowSequence[flows];
        this.overdue = new long[flows];
        this.lastPath = new int[flows];
        this.firstPath = new int[flows];
        this.packetsPerPath = new long[flows][ports.length];
        this.switches = new long[flows][];
        this.switchCount = new int[flows];
        for (int f = 0; f < flows; f++)
        {
            this.flows[f] = new FlowSequence();
            lastPath[f] = -1;
            firstPath[f] = -1;
            switches[f] = new long[4 * 4];
        }
        final int bucketCount = (int)Math.min(Integer.MAX_VALUE - 8, (maxDurationNs + bucketNs - 1) / bucketNs);
        this.buckets = new long[ports.length][bucketCount];
        this.pathPackets = new long[ports.length];
        this.handlers = new PathHandler[ports.length];
        for (int p = 0; p < ports.length; p++)
        {
            handlers[p] = new PathHandler(p);
        }
    }

    @Override
    public void onStart()
    {
        startNs = System.nanoTime();
    }

    @Override
    public int doWork()
    {
        int work = 0;
        for (int p = 0; p < ports.length; p++)
        {
            nowNs = System.nanoTime();
            if (startNs == 0)
            {
                startNs = nowNs;
            }
            work += ports[p].receive(handlers[p], BATCH);
        }
        if (work > 0)
        {
            received.setOpaque(total);
        }
        return work;
    }

    @Override
    public String roleName()
    {
        return "sequenced-receiver";
    }

    /** Sequenced packets received so far (any thread). */
    public long received()
    {
        return received.get();
    }

    private void onPacket(final int path, final int flow, final long sequence, final long sendNs)
    {
        total++;
        pathPackets[path]++;
        final long[] series = buckets[path];
        series[(int)Math.min(series.length - 1, Math.max(0, (nowNs - startNs) / bucketNs))]++;
        if (flow < 0 || flow >= flowCount)
        {
            unknownFlows++;
            return;
        }
        if (maxDelayNs > 0 && nowNs - sendNs > maxDelayNs)
        {
            overdue[flow]++;
            return;
        }
        if (flows[flow].onPacket(sequence, sendNs) == FlowSequence.DUPLICATE)
        {
            return;
        }
        packetsPerPath[flow][path]++;
        final int last = lastPath[flow];
        if (last < 0)
        {
            firstPath[flow] = path;
        }
        else if (last != path)
        {
            recordSwitch(flow, sequence, last, path);
        }
        lastPath[flow] = path;
    }

    private void recordSwitch(final int flow, final long sequence, final int from, final int to)
    {
        long[] log = switches[flow];
        final int i = switchCount[flow] * 4;
        if (i + 4 > log.length)
        {
            log = java.util.Arrays.copyOf(log, log.length * 2);
            switches[flow] = log;
        }
        log[i] = nowNs;
        log[i + 1] = sequence;
        log[i + 2] = from;
        log[i + 3] = to;
        switchCount[flow]++;
    }

    /**
     * The report, after the agent's thread has stopped and the sender has too. Call once: it closes every flow.
     *
     * @param sentPerFlow   what the sender sent per flow ({@link SequencedSender#sentPerFlow()}): the missing runs
     *                      at the end of each flow come from it.
     * @param flowSpacingNs the sender's spacing of a flow's packets, for the outage of open runs.
     * @param pathNames     a name per path (e.g. the VIF), in port order.
     */
    public TrafficReport report(final long[] sentPerFlow, final long flowSpacingNs, final List<String> pathNames)
    {
        if (sentPerFlow.length != flowCount || pathNames.size() != ports.length)
        {
            throw new IllegalArgumentException("expected " + flowCount + " sent counts and " + ports.length +
                " path names");
        }
        final List<TrafficReport.Path> paths = new ArrayList<>();
        for (int p = 0; p < ports.length; p++)
        {
            paths.add(new TrafficReport.Path(p, pathNames.get(p), pathPackets[p], trimmed(buckets[p])));
        }
        final List<TrafficReport.Flow> out = new ArrayList<>(flowCount);
        for (int f = 0; f < flowCount; f++)
        {
            final FlowSequence s = flows[f];
            s.finish(sentPerFlow[f]);
            final List<TrafficReport.PathSwitch> log = new ArrayList<>();
            for (int i = 0; i < switchCount[f] * 4; i += 4)
            {
                log.add(new TrafficReport.PathSwitch(switches[f][i], switches[f][i + 1], (int)switches[f][i + 2],
                    (int)switches[f][i + 3]));
            }
            out.add(new TrafficReport.Flow(f, sentPerFlow[f], s.received(), s.lost(), s.late(), s.duplicates(), overdue[f],
                firstPath[f], packetsPerPath[f].clone(), s.gaps(flowSpacingNs), log));
        }
        return new TrafficReport(startNs, bucketNs, paths, out, foreign, unknownFlows);
    }

    private long[] trimmed(final long[] series)
    {
        int n = series.length;
        while (n > 0 && series[n - 1] == 0)
        {
            n--;
        }
        return java.util.Arrays.copyOf(series, n);
    }

    /** One per path, so the path index needs no per-frame lookup. */
    private final class PathHandler implements FrameHandler
    {
        private final int path;

        PathHandler(final int path)
        {
            this.path = path;
        }

        @Override
        public void onFrame(final MutableDirectBuffer buffer, final int offset, final int length)
        {
            final int payload = SequencedFrame.payloadOffset(buffer, offset, length, dstPort);
            if (payload < 0)
            {
                foreign++;
                return;
            }
            onPacket(path, SequencedFrame.flow(buffer, payload), SequencedFrame.sequence(buffer, payload),
                SequencedFrame.sendTimeNs(buffer, payload));
        }
    }
}
