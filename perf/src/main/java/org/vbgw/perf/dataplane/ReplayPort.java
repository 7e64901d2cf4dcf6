package org.vbgw.perf.dataplane;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.io.FrameHandler;
import org.vbgw.io.LinkState;
import org.vbgw.io.Port;
import org.vbgw.io.PortStatistics;

/**
 * A benchmark port that isolates the pipeline from any queue: {@link #receive} hands out the frames of a
 * {@link TrafficFrames} set round and round, in place, and {@link #send} discards what it is given, only
 * counting it (and reading the first 8 bytes, so the rewrite the forwarder made is observed).
 * <p>
 * Forwarding rewrites a frame in place (L2 header written in front of the L3 header, TTL or hop limit and
 * the IPv4 checksum), so before handing a frame out again the port restores {@link #RESTORED_BYTES} bytes,
 * from {@link Port#FRAME_HEADROOM} in front of it, from a compact copy of the pristine headers: eight 8-byte
 * loads and stores without bounds checks (the ranges are checked at construction), which also leave the header in cache as a ring just written by the kernel would be.
 * {@code ForwarderBenchmark.replayBaseline} measures this delivery with a no-op handler, so it can be
 * subtracted. One thread; no allocation after construction.
 */
final class ReplayPort implements Port
{
    /**
     * One cache line from the headroom on: covers the longest ingress L2 header (22 bytes), the IPv4 header
     * up to its checksum and the IPv6 hop limit, everything the forwarder writes.
     */
    static final int RESTORED_BYTES = 64;

    private final TrafficFrames frames;
    private final UnsafeBuffer working;
    /** Frame i's pristine first bytes at i * RESTORED_BYTES. */
    private final UnsafeBuffer pristineHeaders;
    private final PortStatistics statistics = new PortStatistics();
    private int next;
    private long sentFrames;
    private long sentBytes;
    private long sentWords;

    ReplayPort(final TrafficFrames frames)
    {
        this.frames = frames;
        this.working = new UnsafeBuffer(BufferUtil.allocateDirectAligned(frames.store.capacity(), 4096));
        working.putBytes(0, frames.store, 0, frames.usedBytes);
        pristineHeaders = new UnsafeBuffer(BufferUtil.allocateDirectAligned(frames.count * RESTORED_BYTES, 64));
        for (int i = 0; i < frames.count; i++)
        {
            // Checked copies: they also prove that every range receive restores lies inside both buffers.
            pristineHeaders.putBytes(i * RESTORED_BYTES, frames.store, frames.offsets[i] - FRAME_HEADROOM, RESTORED_BYTES);
            working.boundsCheck(frames.offsets[i] - FRAME_HEADROOM, RESTORED_BYTES);
        }
    }

    @Override
    public String name()
    {
        return "replay-" + frames.ingressPort;
    }

    @Override
    public int receive(final FrameHandler handler, final int limit)
    {
        final UnsafeBuffer buffer = working;
        final long workingAddress = buffer.addressOffset();
        final long pristineAddress = pristineHeaders.addressOffset();
        final int[] offsets = frames.offsets;
        final int[] lengths = frames.lengths;
        final int count = frames.count;
        int i = next;
        for (int n = 0; n < limit; n++)
        {
            final int offset = offsets[i];
            // Both ranges were checked once at construction (every frame's headroom and first bytes lie in
            // the working buffer, every saved header in the pristine one): the restore is harness, not
            // pipeline, so it reads and writes off-heap memory directly instead of paying 16 bounds checks.
            final long from = workingAddress + offset - FRAME_HEADROOM;
            final long saved = pristineAddress + (long)i * RESTORED_BYTES;
            for (int b = 0; b < RESTORED_BYTES; b += 8)
            {
                UnsafeApi.putLong(from + b, UnsafeApi.getLong(saved + b));
            }
            handler.onFrame(buffer, offset, lengths[i]);
            if (++i == count)
            {
                i = 0;
            }
        }
        handler.onBatchEnd();
        next = i;
        return limit;
    }

    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        sentFrames++;
        sentBytes += length;
        sentWords ^= buffer.getLong(offset);
        return true;
    }

    @Override
    public int flush()
    {
        return 0;
    }

    /** Frames {@link #send} was given since construction. */
    long sentFrames()
    {
        return sentFrames;
    }

    /** A value that depends on every frame sent, for the benchmark to return. */
    long sentDigest()
    {
        return sentWords + sentBytes;
    }

    /** Starts the next {@link #receive} at the first frame again. */
    void rewind()
    {
        next = 0;
    }

    @Override
    public PortStatistics statistics()
    {
        return statistics;
    }

    @Override
    public LinkState linkState()
    {
        return LinkState.UP;
    }

    @Override
    public int mtu()
    {
        return 1500;
    }

    @Override
    public long macAddress()
    {
        return 0;
    }

    @Override
    public void close()
    {
    }
}
