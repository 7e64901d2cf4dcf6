package org.vbgw.dataplane.pipeline;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.dataplane.adjacency.Adjacency;
import org.vbgw.dataplane.adjacency.AdjacencyTable;
import org.vbgw.dataplane.packet.EthernetEncap;
import org.vbgw.dataplane.packet.EthernetFlyweight;
import org.vbgw.dataplane.packet.FrameParser;
import org.vbgw.dataplane.packet.FrameView;
import org.vbgw.dataplane.packet.L2Header;
import org.vbgw.dataplane.packet.PacketError;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.dataplane.vif.VifTable;
import org.vbgw.fib.Fib;
import org.vbgw.io.FrameHandler;
import org.vbgw.io.Port;

import java.nio.ByteOrder;

/**
 * One worker's forwarding pipeline: received frame → L2 and tags → VIF → per-family path → rewrite →
 * transmit. The IPv4 and IPv6 stages are {@link Ipv4Stage} and {@link Ipv6Stage}; this class owns what
 * they share: the frame's context, the egress step and ICMP error transmission.
 * <p>
 * One instance per worker thread; allocates nothing per frame. Every frame ends in exactly one
 * {@link Verdict}, counted, and available as {@link #lastVerdict()} for traces.
 */
public final class Forwarder implements FrameHandler
{
    /** Largest frame a scratch buffer holds (jumbo MTU plus two tags). */
    static final int SCRATCH_BYTES = 9216 + 64;
    /** Bytes kept free in front of a scratch frame, so any egress L2 header fits. */
    static final int SCRATCH_HEADROOM = 64;
    /** A stage's answer for a packet held in the {@link ForwardBatch}: its verdict comes at the batch's end. */
    static final int DEFERRED = -1;

    private final Port[] ports;
    private final VifTable vifs;
    private final Fib fib;
    private final AdjacencyTable adjacencies;
    private final ControlPath control;
    private final WorkerCounters counters;
    private final boolean[] portTouched;

    private final L2Header l2 = new L2Header();
    // The frame in hand: checked once to lie inside its buffer, then read by the stages without bounds checks.
    private final FrameView frame = new FrameView();
    // A held frame being finished at the batch's end: its own view, since a full batch is finished while the
    // frame in hand is still being classified.
    private final FrameView heldFrame = new FrameView();
    private final Ipv4Stage ipv4;
    private final Ipv6Stage ipv6;
    private final ForwardBatch batch = new ForwardBatch();
    final UnsafeBuffer scratch = new UnsafeBuffer(new byte[SCRATCH_BYTES]);
    final EthernetEncap replyEncap = new EthernetEncap();

    // The frame being processed: set in onFrame, read by the stages.
    int inPort;
    VifTable.Snapshot snapshot;
    Vif inVif;
    long nowNs;
    private int lastVerdict;
    private int lastDetail;
    // What the last frame did, for traces: plain stores, one per stage reached.
    private int lastVifId;
    private int lastNextHopId;

    public Forwarder(final Port[] ports, final VifTable vifs, final Fib fib, final AdjacencyTable adjacencies,
        final ControlPath control, final WorkerCounters counters, final TokenBucket icmpLimiter)
    {
        this.ports = ports;
        this.vifs = vifs;
        this.fib = fib;
        this.adjacencies = adjacencies;
        this.control = control;
        this.counters = counters;
        this.portTouched = new boolean[ports.length];
        this.ipv4 = new Ipv4Stage(this, fib, icmpLimiter);
        this.ipv6 = new Ipv6Stage(this, fib, icmpLimiter);
    }

    /**
     * Receives and forwards up to {@code limit} frames from one port, then flushes every port written to.
     *
     * @return frames received (0 lets the worker's idle strategy back off).
     */
    public int poll(final int portIndex, final int limit, final long nowNs)
    {
        this.inPort = portIndex;
        this.nowNs = nowNs;
        this.snapshot = vifs.snapshot();
        final int received = ports[portIndex].receive(this, limit);
        if (batch.count > 0)
        {
            // Every port ends its batches itself; this only covers one that returned without doing so.
            finishBatch();
        }
        if (received > 0)
        {
            flushTouched();
            counters.publish();
        }
        return received;
    }

    /** Processes one frame as if received on {@code portIndex}; for replay, traces and tests. */
    public int process(final int portIndex, final MutableDirectBuffer buffer, final int offset, final int length,
        final long nowNs)
    {
        this.inPort = portIndex;
        this.nowNs = nowNs;
        this.snapshot = vifs.snapshot();
        onFrame(buffer, offset, length);
        finishBatch();
        flushTouched();
        counters.publish();
        return lastVerdict;
    }

    @Override
    public void onFrame(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        lastDetail = 0;
        lastVifId = -1;
        lastNextHopId = -1;
        final int verdict = frame.wrap(buffer, offset, length) ? classify(frame)
            : malformed(PacketError.FRAME_OUTSIDE_BUFFER);
        if (verdict != DEFERRED)
        {
            lastVerdict = verdict;
            counters.verdict(verdict);
        }
    }

    @Override
    public void onBatchEnd()
    {
        finishBatch();
    }

    /**
     * Looks up every held packet's destination, back to back, then finishes the packets in arrival order.
     * The lookups of a batch are independent, so the CPU overlaps their cache misses; one lookup between
     * the rest of a packet's work waits for each miss in full.
     */
    private void finishBatch()
    {
        final ForwardBatch b = batch;
        final int n = b.count;
        if (n == 0)
        {
            return;
        }
        final Fib fib = this.fib;
        final FrameView frame = heldFrame;
        for (int i = 0; i < n; i++)
        {
            b.groups[i] = b.ipv6[i] ? fib.lookupIpv6(b.ipv6DestinationsHi[i], b.ipv6DestinationsLo[i])
                : fib.lookupIpv4(b.ipv4Destinations[i]);
        }
        for (int i = 0; i < n; i++)
        {
            final int vifId = b.vifIds[i];
            lastDetail = 0;
            lastVifId = vifId;
            lastNextHopId = -1;
            inVif = snapshot.vif(vifId);
            // Held frames lay inside their buffers when they arrived; the check is repeated because it is
            // cheap and the batch's arrays are the only thing that vouches for them here.
            final int verdict = !frame.wrap(b.buffers[i], b.frameOffsets[i], b.frameLengths[i])
                ? malformed(PacketError.FRAME_OUTSIDE_BUFFER)
                : b.ipv6[i] ? ipv6.forward(frame, b, i) : ipv4.forward(frame, b, i);
            lastVerdict = verdict;
            counters.verdict(verdict);
        }
        b.count = 0;
    }

    int deferIpv4(final FrameView frame, final int ipOffset, final int dst, final int flowHash)
    {
        final int vifId = inVif.id();
        if (batch.isFull())
        {
            finishBatch();
        }
        batch.addIpv4(frame.buffer(), frame.offset(), frame.length(), ipOffset, vifId, dst, flowHash);
        return DEFERRED;
    }

    int deferIpv6(final FrameView frame, final int ipOffset, final long dstHi, final long dstLo, final int flowHash)
    {
        final int vifId = inVif.id();
        if (batch.isFull())
        {
            finishBatch();
        }
        batch.addIpv6(frame.buffer(), frame.offset(), frame.length(), ipOffset, vifId, dstHi, dstLo, flowHash);
        return DEFERRED;
    }

    /** The verdict of the last frame processed. */
    public int lastVerdict()
    {
        return lastVerdict;
    }

    /** The VIF the last frame arrived on, or -1 when it matched none. */
    public int lastVifId()
    {
        return lastVifId;
    }

    /** The next hop the last frame was sent to (or waits for), or -1. */
    public int lastNextHopId()
    {
        return lastNextHopId;
    }

    /** For malformed frames, the {@link PacketError} code; else 0. */
    public int lastDetail()
    {
        return lastDetail;
    }

    private int classify(final FrameView frame)
    {
        final int parse = FrameParser.parse(frame, l2);
        if (parse != PacketError.OK)
        {
            return malformed(parse);
        }
        final int vifId = snapshot.lookup(inPort, l2.outerVid, l2.innerVid);
        if (vifId == VifTable.NO_VIF)
        {
            return Verdict.DROP_UNKNOWN_VLAN;
        }
        final Vif vif = snapshot.vif(vifId);
        inVif = vif;
        lastVifId = vifId;
        if (!vif.adminUp())
        {
            return Verdict.DROP_VIF_DOWN;
        }
        final MutableDirectBuffer buffer = frame.buffer();
        final int offset = frame.offset();
        final int length = frame.length();
        counters.vifRx(vifId, length);
        final long dstMac = frame.getMac(offset + EthernetFlyweight.DST_MAC_OFFSET);
        final boolean toUs = dstMac == vif.mac();
        switch (l2.l3EtherType)
        {
            case EthernetFlyweight.ETHER_TYPE_IPV4:
                if (!toUs)
                {
                    return Verdict.DROP_NOT_FOR_US;
                }
                return ipv4.process(frame, l2);
            case EthernetFlyweight.ETHER_TYPE_IPV6:
                // Neighbour discovery arrives on multicast MACs (33:33:...), everything else to our MAC.
                if (!toUs && !isIpv6Multicast(dstMac))
                {
                    return Verdict.DROP_NOT_FOR_US;
                }
                return ipv6.process(frame, l2, toUs);
            case EthernetFlyweight.ETHER_TYPE_ARP:
                if (!toUs && dstMac != EthernetFlyweight.BROADCAST_MAC)
                {
                    return Verdict.DROP_NOT_FOR_US;
                }
                return punt(ControlPath.PUNT_ARP, buffer, offset, length);
            default:
                return Verdict.DROP_UNSUPPORTED_ETHERTYPE;
        }
    }

    int malformed(final int packetError)
    {
        lastDetail = packetError;
        counters.parseError(packetError);
        return Verdict.DROP_MALFORMED;
    }

    int punt(final int reason, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        return control.punt(reason, inPort, inVif.id(), buffer, offset, length)
            ? Verdict.PUNTED : Verdict.DROP_CONTROL_QUEUE_FULL;
    }

    int awaitNeighbour(final int nextHopId, final int vifId, final boolean v6, final long hi, final long lo,
        final MutableDirectBuffer buffer, final int offset, final int length)
    {
        lastNextHopId = nextHopId;
        return control.awaitNeighbour(nextHopId, vifId, v6, hi, lo, buffer, offset, length)
            ? Verdict.WAITING_FOR_NEIGHBOUR : Verdict.DROP_CONTROL_QUEUE_FULL;
    }

    /**
     * Writes the adjacency's L2 header in front of the L3 packet and transmits the frame on its port.
     * The caller has already rewritten the L3 header (TTL, checksum).
     */
    int transmit(final Adjacency adjacency, final MutableDirectBuffer buffer, final int frameOffset,
        final int l3Offset, final int l3Length, final int etherType)
    {
        lastNextHopId = adjacency.nextHopId();
        final int start = l3Offset - adjacency.l2HeaderLength();
        if (start < frameOffset - Port.FRAME_HEADROOM)
        {
            return Verdict.DROP_NO_HEADROOM;
        }
        adjacency.writeHeader(buffer, l3Offset, etherType);
        return send(adjacency, buffer, start, adjacency.l2HeaderLength() + l3Length);
    }

    /**
     * {@link #transmit(Adjacency, MutableDirectBuffer, int, int, int, int)} for the frame in hand: the L2
     * header goes into the headroom without bounds checks, after the one check that it starts inside
     * both the port's headroom and the buffer.
     */
    int transmit(final Adjacency adjacency, final FrameView frame, final int l3Offset, final int l3Length,
        final boolean ipv6)
    {
        lastNextHopId = adjacency.nextHopId();
        final int start = l3Offset - adjacency.l2HeaderLength();
        if (start < frame.offset() - Port.FRAME_HEADROOM || start < 0)
        {
            return Verdict.DROP_NO_HEADROOM;
        }
        adjacency.writeHeader(frame, l3Offset, ipv6);
        return send(adjacency, frame.buffer(), start, adjacency.l2HeaderLength() + l3Length);
    }

    private int send(final Adjacency adjacency, final MutableDirectBuffer buffer, final int start,
        final int frameLength)
    {
        final int port = adjacency.portIndex();
        if (!ports[port].send(buffer, start, frameLength))
        {
            return Verdict.DROP_TX_FULL;
        }
        portTouched[port] = true;
        counters.vifTx(adjacency.vifId(), frameLength);
        counters.nextHopTx(adjacency.nextHopId());
        return Verdict.FORWARDED;
    }

    /** Sends a frame the worker built (ICMP error, fragment) or rewrote in place (echo reply) out of a port. */
    boolean sendOnPort(final int port, final int vifId, final MutableDirectBuffer buffer, final int offset,
        final int length)
    {
        if (!ports[port].send(buffer, offset, length))
        {
            return false;
        }
        portTouched[port] = true;
        counters.vifTx(vifId, length);
        return true;
    }

    /** Fills {@link #replyEncap} to answer the current frame's sender on the ingress VIF. */
    EthernetEncap replyEncapForIngress()
    {
        replyEncap.set(inVif.mac(), inVif.outerVlan(), inVif.innerVlan());
        replyEncap.qinqOuterTpid = inVif.outerTpid() == 0 ? EthernetFlyweight.ETHER_TYPE_QINQ : inVif.outerTpid();
        return replyEncap;
    }

    Adjacency adjacency(final int nextHopId)
    {
        return adjacencies.get(nextHopId);
    }

    Vif vif(final int vifId)
    {
        return snapshot.vif(vifId);
    }

    void countIcmpError(final boolean sent)
    {
        counters.verdict(sent ? Verdict.ICMP_ERROR_SENT : Verdict.ICMP_ERROR_RATE_LIMITED);
    }

    private void flushTouched()
    {
        for (int p = 0; p < portTouched.length; p++)
        {
            if (portTouched[p])
            {
                portTouched[p] = false;
                ports[p].flush();
            }
        }
    }

    private static boolean isIpv6Multicast(final long mac)
    {
        return (mac >>> 32) == 0x3333;
    }

    static int readInt(final MutableDirectBuffer buffer, final int index)
    {
        return buffer.getInt(index, ByteOrder.BIG_ENDIAN);
    }
}
