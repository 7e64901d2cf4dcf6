package org.vbgw.io.lab;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.io.Port;

/**
 * Sends sequenced, timestamped UDP traffic ({@link SequencedFrame}) for many flows at a fixed total rate out of a
 * {@link Port}: usually a {@link org.vbgw.io.linux.PacketSocket} opened inside a lab namespace
 * ({@link Netns#enter()}), so each flow can have its own destination address without the namespace's kernel
 * routing or resolving anything.
 * <p>
 * Flows take turns (packet n belongs to flow n mod flows), so each flow sends every {@code flows / rate}
 * seconds: that spacing is the resolution of the outage a receiver computes ({@link FlowSequence}). Each flow
 * numbers its own packets from 0.
 * <p>
 * Pacing follows the clock, not the idle strategy: each duty cycle sends what is due since the start (at most
 * {@link #BURST} frames) and flushes once. A frame the port refuses (transmit ring full) is retried on the next
 * cycle with the same sequence number, never skipped, so a receiver's gaps are the network's, not the sender's;
 * falling behind shows as {@link #refusals()} and a late catch-up burst.
 * <p>
 * An Agrona {@link Agent}: one thread runs {@link #doWork()}; the port belongs to the caller. Counters are
 * written by that thread (opaque stores) and may be read from any; {@link #sentPerFlow()} is read after the
 * agent's thread has stopped. No allocation per frame.
 */
public final class SequencedSender implements Agent
{
    /** Most frames sent per duty cycle. */
    public static final int BURST = 64;

    private final Port port;
    private final long ratePps;
    private final int flowCount;
    private final UnsafeBuffer frames;
    private final long[] nextSequence;
    private final long[] sentPerFlowAtStop;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private volatile boolean stopped;
    private long startNs;
    private long total;

    /**
     * @param flows    one destination per flow, as a sender knows them.
     * @param ratePps  packets per second over all flows, &gt; 0.
     */
    public SequencedSender(final Port port, final Flows flows, final long ratePps)
    {
        if (ratePps <= 0)
        {
            throw new IllegalArgumentException("rate must be > 0 packets/s: " + ratePps);
        }
        this.port = port;
        this.ratePps = ratePps;
        this.flowCount = flows.dstIps().length;
        this.frames = new UnsafeBuffer(ByteBuffer.allocateDirect(flowCount * SequencedFrame.LENGTH));
        for (int f = 0; f < flowCount; f++)
        {
            SequencedFrame.writeTemplate(frames, f * SequencedFrame.LENGTH, flows.dstMac(), flows.srcMac(),
                flows.srcIp(), flows.dstIps()[f], flows.firstSrcPort() + f, flows.dstPort(), f);
        }
        this.nextSequence = new long[flowCount];
        this.sentPerFlowAtStop = new long[flowCount];
    }

    /**
     * Who sends to whom: MACs of this host and the next hop, this host's address, one destination per flow
     * (source port {@code firstSrcPort + flow}), and the UDP destination port the receiver listens for.
     */
    public record Flows(long dstMac, long srcMac, int srcIp, int[] dstIps, int firstSrcPort, int dstPort)
    {
        public Flows
        {
            if (dstIps.length == 0 || firstSrcPort < 1 || firstSrcPort + dstIps.length > 65536)
            {
                throw new IllegalArgumentException(dstIps.length + " flows from source port " + firstSrcPort +
                    " do not fit the 16-bit port range (and at least one flow is needed)");
            }
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
        if (stopped)
        {
            return 0;
        }
        final long now = System.nanoTime();
        if (startNs == 0)
        {
            startNs = now;
        }
        final long due = (long)((now - startNs) * (ratePps / 1e9)) - total;
        if (due <= 0)
        {
            return 0;
        }
        final int burst = (int)Math.min(due, BURST);
        int done = 0;
        for (; done < burst; done++)
        {
            final int flow = (int)(total % flowCount);
            final int offset = flow * SequencedFrame.LENGTH;
            SequencedFrame.stamp(frames, offset, nextSequence[flow], System.nanoTime());
            if (!port.send(frames, offset, SequencedFrame.LENGTH))
            {
                refusals.setOpaque(refusals.getPlain() + 1);
                break;
            }
            nextSequence[flow]++;
            total++;
        }
        if (done > 0)
        {
            port.flush();
            sent.setOpaque(total);
        }
        return done;
    }

    /**
     * Stops sending (any thread): the duty cycle running now finishes, later ones send nothing. The per-flow
     * counts are final once the agent's thread has been stopped too.
     */
    public void stop()
    {
        stopped = true;
    }

    @Override
    public void onClose()
    {
        System.arraycopy(nextSequence, 0, sentPerFlowAtStop, 0, flowCount);
    }

    @Override
    public String roleName()
    {
        return "sequenced-sender " + port.name();
    }

    /** Packets sent per flow: flow f sent sequence numbers 0 … sentPerFlow()[f] - 1. After the agent closed. */
    public long[] sentPerFlow()
    {
        return sentPerFlowAtStop.clone();
    }

    /** Spacing of one flow's packets: the outage resolution. */
    public long flowSpacingNs()
    {
        return Math.round(flowCount * 1e9 / ratePps);
    }

    public int flowCount()
    {
        return flowCount;
    }

    /** Packets sent so far, all flows. */
    public long sent()
    {
        return sent.get();
    }

    /** Sends the port refused (ring full) and that were retried. */
    public long refusals()
    {
        return refusals.get();
    }
}
