package org.vbgw.io;

import java.nio.ByteBuffer;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * An in-process port, one end of a connected pair: what one end sends the other receives. For tests
 * and benchmarks of the dataplane without a kernel in the way.
 * <p>
 * Each direction is a bounded single-producer single-consumer queue (an Agrona
 * {@link OneToOneRingBuffer} over off-heap memory): one thread may send on an end while another
 * receives on its peer. A frame that does not fit is dropped and counted in the sender's
 * {@link PortStatistics#txDrops()}; so is every frame sent while the link is
 * {@linkplain #linkState(LinkState) set down}. Received frames are writable views into the queue,
 * valid during the callback. No allocation after construction.
 */
public final class MemoryPort implements Port
{
    private static final int FRAME_TYPE_ID = 1;

    private final String name;
    private final OneToOneRingBuffer inbound;
    private final PortStatistics statistics = new PortStatistics();
    private final Delivery delivery = new Delivery();
    private boolean paddingAhead;
    private final int mtu;
    private final long mac;
    private MemoryPort peer;
    private volatile LinkState linkState = LinkState.UP;
    private volatile boolean closed;

    private MemoryPort(final String name, final int capacityBytes, final int mtu, final long mac)
    {
        this.name = name;
        this.mtu = mtu;
        this.mac = mac;
        // The ring refuses records over an eighth of its capacity: make room for the largest frame.
        final int capacity = BitUtil.findNextPositivePowerOfTwo(Math.max(capacityBytes, 8 * (mtu + 22 + 8)));
        inbound = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /**
     * Creates a connected pair of ports.
     *
     * @param nameA name of the first end (its MAC is 02:00:00:00:00:01).
     * @param nameB name of the second end (its MAC is 02:00:00:00:00:02).
     * @param capacityBytes bytes of each direction's queue, rounded up to a power of two and to at least
     *     eight of the largest frames; a frame takes its length plus an 8-byte header, aligned to 8.
     * @param mtu the MTU both ends report; frames longer than mtu + 22 (Ethernet + two tags) are refused.
     */
    public static MemoryPort[] pair(final String nameA, final String nameB, final int capacityBytes, final int mtu)
    {
        final MemoryPort a = new MemoryPort(nameA, capacityBytes, mtu, 0x02_00_00_00_00_01L);
        final MemoryPort b = new MemoryPort(nameB, capacityBytes, mtu, 0x02_00_00_00_00_02L);
        a.peer = b;
        b.peer = a;
        return new MemoryPort[] {a, b};
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public int receive(final FrameHandler handler, final int limit)
    {
        int ready = readyFrames(limit);
        if (ready == 0 && paddingAhead)
        {
            // Only the padding record before the wrap is ahead: a read consumes it (it delivers nothing),
            // then the frames at the start of the buffer are counted.
            inbound.read(delivery, 1);
            ready = readyFrames(limit);
        }
        if (ready == 0)
        {
            return 0;
        }
        delivery.handler = handler;
        delivery.bytes = 0;
        delivery.left = ready;
        final int frames = inbound.read(delivery, ready);
        delivery.handler = null;
        if (frames > 0)
        {
            statistics.addRx(frames, delivery.bytes);
        }
        return frames;
    }

    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        if (closed || linkState != LinkState.UP || peer.closed || length > mtu + 22 || length <= 0 ||
            !peer.inbound.write(FRAME_TYPE_ID, buffer, offset, length))
        {
            statistics.addTxDrops(1);
            return false;
        }
        statistics.addTx(1, length);
        return true;
    }

    @Override
    public int flush()
    {
        return 0;
    }

    @Override
    public PortStatistics statistics()
    {
        return statistics;
    }

    @Override
    public LinkState linkState()
    {
        return closed ? LinkState.UNKNOWN : linkState;
    }

    /** Sets the link state of both ends (a cable pulled or plugged); any thread. */
    public void linkState(final LinkState state)
    {
        linkState = state;
        peer.linkState = state;
    }

    @Override
    public int mtu()
    {
        return mtu;
    }

    @Override
    public long macAddress()
    {
        return mac;
    }

    /** Frames waiting in this end's inbound queue; any thread, approximate while traffic flows. */
    public int queuedBytes()
    {
        return inbound.size();
    }

    @Override
    public void close()
    {
        closed = true;
    }

    @Override
    public String toString()
    {
        return "MemoryPort[" + name + "]";
    }

    /** Adapts the ring buffer's callback to a FrameHandler without a capturing lambda per call. */
    /**
     * How many frames the next read delivers, at most {@code limit}: the published records from the
     * consumer position up to the end of the buffer, where a read stops. Counted first so that the batch's
     * end is known while its frames are still in the queue (the ring zeroes them when the read returns).
     */
    private int readyFrames(final int limit)
    {
        final AtomicBuffer buffer = inbound.buffer();
        final int capacity = inbound.capacity();
        final int headIndex = (int)inbound.consumerPosition() & (capacity - 1);
        final int maxBlockLength = capacity - headIndex;
        int bytes = 0;
        int frames = 0;
        paddingAhead = false;
        while (bytes < maxBlockLength && frames < limit)
        {
            final int recordIndex = headIndex + bytes;
            final int recordLength = buffer.getIntVolatile(RecordDescriptor.lengthOffset(recordIndex));
            if (recordLength <= 0)
            {
                break;
            }
            bytes += BitUtil.align(recordLength, RecordDescriptor.ALIGNMENT);
            if (buffer.getInt(RecordDescriptor.typeOffset(recordIndex)) != RingBuffer.PADDING_MSG_TYPE_ID)
            {
                frames++;
            }
            else
            {
                paddingAhead = true;
            }
        }
        return frames;
    }

    private static final class Delivery implements MessageHandler
    {
        FrameHandler handler;
        long bytes;
        int left;

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            bytes += length;
            handler.onFrame(buffer, index, length);
            if (--left == 0)
            {
                handler.onBatchEnd();
            }
        }
    }
}
