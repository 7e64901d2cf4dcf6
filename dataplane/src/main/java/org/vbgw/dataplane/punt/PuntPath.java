package org.vbgw.dataplane.punt;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.vbgw.dataplane.pipeline.ControlPath;
import org.vbgw.dataplane.pipeline.TokenBucket;

/**
 * A worker's way to the data plane's control thread: copies punted frames and packets waiting for a
 * neighbour into two rings, policed per VIF and class.
 * <p>
 * BGP and BFD go to a ring of their own that the control thread drains first, and have their own policer:
 * a flood of anything else (ARP, pings to the gateway, a scan of a connected subnet) fills its own ring and
 * its own buckets and is dropped and counted there, while the sessions that keep routing alive still get
 * through. One instance per worker (the buckets are thread-confined); the rings are shared, many-to-one.
 * Allocates nothing per frame.
 */
public final class PuntPath implements ControlPath
{
    private static final int CLASS_PRIORITY = 0;
    private static final int CLASS_NEIGHBOUR = 1;
    private static final int CLASS_LOCAL = 2;
    private static final int CLASS_AWAIT = 3;
    private static final int CLASSES = 4;

    private final RingBuffer priority;
    private final RingBuffer normal;
    private final TokenBucket[] buckets;
    private long policed;
    private long ringFull;
    private long nowNs;

    /**
     * @param ratesPerSecond per class (priority, ARP/ND, other local, awaiting resolution): sustained rate per VIF.
     */
    public PuntPath(final RingBuffer priority, final RingBuffer normal, final int maxVifs, final long[] ratesPerSecond,
        final long nowNs)
    {
        if (ratesPerSecond.length != CLASSES)
        {
            throw new IllegalArgumentException("need " + CLASSES + " punt rates, got " + ratesPerSecond.length);
        }
        this.priority = priority;
        this.normal = normal;
        this.buckets = new TokenBucket[maxVifs * CLASSES];
        for (int v = 0; v < maxVifs; v++)
        {
            for (int c = 0; c < CLASSES; c++)
            {
                // A burst of a tenth of a second's worth absorbs a BGP update storm or an ARP sweep's start.
                buckets[v * CLASSES + c] = new TokenBucket(ratesPerSecond[c], Math.max(8, ratesPerSecond[c] / 10), nowNs);
            }
        }
    }

    /** The worker's clock, set once per batch so policing does not read the clock per frame. */
    public void now(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    @Override
    public boolean punt(final int reason, final int portIndex, final int vifId, final DirectBuffer frame,
        final int offset, final int length)
    {
        final int cls = reason == PUNT_LOCAL_PRIORITY ? CLASS_PRIORITY
            : reason == PUNT_ARP || reason == PUNT_ND ? CLASS_NEIGHBOUR : CLASS_LOCAL;
        if (!admit(vifId, cls))
        {
            return false;
        }
        final RingBuffer ring = cls == CLASS_PRIORITY ? priority : normal;
        final int index = ring.tryClaim(reason, PuntMessage.PUNT_HEADER_LENGTH + length);
        if (index <= 0)
        {
            ringFull++;
            return false;
        }
        final var buffer = ring.buffer();
        buffer.putInt(index + PuntMessage.PORT_OFFSET, portIndex);
        buffer.putInt(index + PuntMessage.VIF_OFFSET, vifId);
        buffer.putBytes(index + PuntMessage.PUNT_HEADER_LENGTH, frame, offset, length);
        ring.commit(index);
        return true;
    }

    @Override
    public boolean awaitNeighbour(final int nextHopId, final int vifId, final boolean ipv6, final long hi,
        final long lo, final DirectBuffer packet, final int offset, final int length)
    {
        if (!admit(vifId, CLASS_AWAIT))
        {
            return false;
        }
        final int index = normal.tryClaim(PuntMessage.AWAIT, PuntMessage.AWAIT_HEADER_LENGTH + length);
        if (index <= 0)
        {
            ringFull++;
            return false;
        }
        final var buffer = normal.buffer();
        buffer.putInt(index + PuntMessage.NEXT_HOP_OFFSET, nextHopId);
        buffer.putInt(index + PuntMessage.VIF_OFFSET, vifId);
        buffer.putInt(index + PuntMessage.FAMILY_OFFSET, ipv6 ? 6 : 4);
        buffer.putLong(index + PuntMessage.HI_OFFSET, hi);
        buffer.putLong(index + PuntMessage.LO_OFFSET, lo);
        buffer.putBytes(index + PuntMessage.AWAIT_HEADER_LENGTH, packet, offset, length);
        normal.commit(index);
        return true;
    }

    private boolean admit(final int vifId, final int cls)
    {
        final int i = vifId * CLASSES + cls;
        if (i < 0 || i >= buckets.length || !buckets[i].tryAcquire(nowNs))
        {
            policed++;
            return false;
        }
        return true;
    }

    /** Frames refused by a policer. Worker thread (or approximate from others). */
    public long policed()
    {
        return policed;
    }

    /** Frames refused because a ring was full. */
    public long ringFull()
    {
        return ringFull;
    }
}
