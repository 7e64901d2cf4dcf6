package org.vbgw.perf.e2e;

import org.HdrHistogram.Histogram;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.vbgw.io.FrameHandler;
import org.vbgw.io.linux.PacketSocket;

/**
 * Receives the benchmark's frames on the sink's packet socket (RX ring) for one run: counts those of the
 * measured window, checks their sequence numbers, and records one-way latency (receive {@link System#nanoTime()}
 * minus the send time in the frame: the same CLOCK_MONOTONIC on one machine) into an HdrHistogram.
 * <p>
 * Latency includes the sink's own ring: a TPACKET_V3 block reaches user space when it is full or its 1 ms
 * timer retires it, so the sink's blocks are small (16 KiB) to keep that under a few hundred microseconds at
 * moderate rates. Runs until {@link #stop()}; results are read after its thread has been joined.
 */
final class TrafficSink implements Runnable, FrameHandler
{
    private final PacketSocket port;
    private final EndToEndWindow window;
    private final Histogram latencyNs = new Histogram(10_000_000_000L, 3);
    private volatile boolean running = true;

    long received;
    long outOfOrder;
    long highestSeq = -1;
    long gapFrames;
    long foreign;

    TrafficSink(final PacketSocket port, final EndToEndWindow window)
    {
        this.port = port;
        this.window = window;
    }

    void stop()
    {
        running = false;
    }

    Histogram latencyNs()
    {
        return latencyNs;
    }

    @Override
    public void run()
    {
        final IdleStrategy idle = new BackoffIdleStrategy(200, 20, 1_000, 20_000);
        while (running)
        {
            idle.idle(port.receive(this, 256));
        }
        // What is still in the ring arrived in time: the main thread waited for in-flight frames before stop().
        while (port.receive(this, 256) > 0)
        {
            // drain
        }
    }

    @Override
    public void onFrame(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (!BenchFrame.isBenchFrame(buffer, offset, length))
        {
            foreign++;
            return;
        }
        final long seq = buffer.getLong(offset + BenchFrame.SEQ_OFFSET);
        if (seq < window.startSeq())
        {
            return;
        }
        final long now = System.nanoTime();
        received++;
        if (seq > highestSeq)
        {
            if (highestSeq >= 0)
            {
                gapFrames += seq - highestSeq - 1;
            }
            highestSeq = seq;
        }
        else
        {
            outOfOrder++;
        }
        final long latency = now - buffer.getLong(offset + BenchFrame.TIMESTAMP_OFFSET);
        latencyNs.recordValue(Math.max(0, Math.min(latency, latencyNs.getHighestTrackableValue())));
    }
}
