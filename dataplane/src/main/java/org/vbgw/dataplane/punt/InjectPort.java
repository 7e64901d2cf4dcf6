package org.vbgw.dataplane.punt;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.vbgw.io.FrameHandler;
import org.vbgw.io.LinkState;
import org.vbgw.io.Port;
import org.vbgw.io.PortStatistics;

import java.nio.ByteBuffer;

/**
 * The control thread's transmit side of a data port: ARP and ND answers and requests, released packets,
 * gratuitous ARP and frames from the host TAP go through it, and the worker that owns the port sends them.
 * <p>
 * Why: a {@link Port} has one transmitting thread (a PACKET_MMAP transmit ring or an in-memory queue is
 * single-producer), and the worker is already transmitting on it. Two threads writing one ring lose or
 * corrupt frames, and a slot skipped by a lost index update stalls the kernel's walk of the ring. So
 * after {@link #handOff()} (when the data plane starts its threads) {@link #send} copies the frame into a
 * single-producer queue that the owning worker drains with {@link #drain(int)} each duty cycle, as VPP's
 * main thread hands frames to workers. Before that, the caller's thread is the only one using the port
 * and frames go straight out.
 * <p>
 * Threads: {@code send}/{@code flush} on the control thread only, {@code drain} on the port's worker only.
 * No allocation after construction.
 */
public final class InjectPort implements Port
{
    private static final int FRAME_TYPE_ID = 1;

    private final Port port;
    private final OneToOneRingBuffer queue;
    private final Drain drain = new Drain();
    /** Written once by {@link #handOff()} before the threads start (thread start orders it); read by both. */
    private volatile boolean handOff;
    /** Control thread only. */
    private long queueFull;

    /**
     * @param port the data port a worker owns.
     * @param capacityBytes queue bytes, rounded up to a power of two and to room for eight of the port's
     *     largest frames (the ring refuses records over an eighth of its capacity).
     */
    public InjectPort(final Port port, final int capacityBytes)
    {
        this.port = port;
        final int capacity = BitUtil.findNextPositivePowerOfTwo(Math.max(capacityBytes, 8 * (port.mtu() + 64)));
        this.queue = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /** From now on frames queue for the worker; call before the worker and control threads start. */
    public void handOff()
    {
        handOff = true;
    }

    /**
     * Worker thread: sends up to {@code limit} queued frames on the port and flushes it.
     *
     * @return frames taken from the queue.
     */
    public int drain(final int limit)
    {
        final int frames = queue.read(drain, limit);
        if (frames > 0)
        {
            port.flush();
        }
        return frames;
    }

    /** Frames the control thread could not queue because the worker had not drained the queue yet. */
    public long queueFull()
    {
        return queueFull;
    }

    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!handOff)
        {
            return port.send(buffer, offset, length);
        }
        if (!queue.write(FRAME_TYPE_ID, buffer, offset, length))
        {
            queueFull++;
            return false;
        }
        return true;
    }

    @Override
    public int flush()
    {
        return handOff ? 0 : port.flush();
    }

    /** Not for the control thread: the worker receives on the port. */
    @Override
    public int receive(final FrameHandler handler, final int limit)
    {
        throw new UnsupportedOperationException("the control thread does not receive on data port " + port.name());
    }

    @Override
    public String name()
    {
        return port.name();
    }

    @Override
    public PortStatistics statistics()
    {
        return port.statistics();
    }

    @Override
    public LinkState linkState()
    {
        return port.linkState();
    }

    @Override
    public int mtu()
    {
        return port.mtu();
    }

    @Override
    public long macAddress()
    {
        return port.macAddress();
    }

    /** The data port belongs to the data plane's owner, who closes it. */
    @Override
    public void close()
    {
    }

    private final class Drain implements MessageHandler
    {
        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            port.send(buffer, index, length);
        }
    }
}
