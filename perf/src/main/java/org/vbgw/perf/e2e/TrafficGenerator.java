package org.vbgw.perf.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.io.linux.PacketSocket;

/**
 * Sends the benchmark's UDP frames out of the generator's packet socket, flat out or paced to a rate, for one
 * run: from now until {@code endNs}, with the measured window starting at {@code windowStartNs} (what is sent
 * before is warm-up). Each frame carries the next sequence number and {@link System#nanoTime()} just before it is
 * handed to the socket; sequence numbers keep counting across runs, so frames of an earlier run still in a ring
 * are never taken for this one's.
 * <p>
 * A full transmit ring is waited on, never dropped from (trafgen's failure mode across CPUs): the frame is
 * retried after the kernel has had a flush. Paced runs send in bursts of what is due and park 20 µs when
 * ahead, which leaves the CPU to the forwarder and the sink on this 2-core machine.
 * <p>
 * One run per instance; results are read after the thread running it has been joined.
 */
final class TrafficGenerator implements Runnable
{
    private static final int BURST = 32;
    private static final long PARK_NS = 20_000;

    private final PacketSocket port;
    private final int flows;
    private final long ratePps;
    private final long windowStartNs;
    private final long endNs;
    private final UnsafeBuffer frame;
    private final int length;
    private final long firstSeq;
    private final EndToEndWindow window;

    long sentInWindow;
    long windowEndSeq;
    long windowStartSeq;
    long actualWindowNs;
    long ringFullRetries;
    /** This thread's CPU time (user + system) over the window, read by itself: it ends before anyone else could. */
    long windowCpuNs;

    /**
     * @param ratePps frames per second to offer, 0 for as fast as the socket takes them.
     * @param window where the sequence number starting the measured window is published for the sink.
     */
    TrafficGenerator(final PacketSocket port, final int wireSize, final int flows, final long ratePps,
        final long firstSeq, final long windowStartNs, final long endNs, final EndToEndWindow window)
    {
        this.port = port;
        this.flows = flows;
        this.ratePps = ratePps;
        this.firstSeq = firstSeq;
        this.windowStartNs = windowStartNs;
        this.endNs = endNs;
        this.window = window;
        this.frame = new UnsafeBuffer(ByteBuffer.allocateDirect(2048));
        this.length = BenchFrame.writeTemplate(frame, wireSize);
    }

    @Override
    public void run()
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuAtWindowStart = 0;
        final PacketSocket port = this.port;
        final UnsafeBuffer frame = this.frame;
        final int length = this.length;
        final int flows = this.flows;
        final long start = System.nanoTime();
        long seq = firstSeq;
        long startSeq = -1;
        long windowStartedNs = 0;
        long now;
        while (true)
        {
            now = System.nanoTime();
            if (startSeq < 0 && now >= windowStartNs)
            {
                startSeq = seq;
                windowStartedNs = now;
                window.startSeq(seq);
                cpuAtWindowStart = threads.getCurrentThreadCpuTime();
            }
            if (now >= endNs)
            {
                break;
            }
            int burst = BURST;
            if (ratePps > 0)
            {
                final long due = (long)((now - start) * (ratePps / 1e9)) - (seq - firstSeq);
                if (due <= 0)
                {
                    LockSupport.parkNanos(PARK_NS);
                    continue;
                }
                burst = (int)Math.min(due, BURST);
            }
            for (int i = 0; i < burst; i++)
            {
                frame.putShort(BenchFrame.SRC_PORT_OFFSET, (short)(BenchFrame.BASE_SRC_PORT + (int)(seq % flows)),
                    ByteOrder.BIG_ENDIAN);
                frame.putLong(BenchFrame.SEQ_OFFSET, seq);
                frame.putLong(BenchFrame.TIMESTAMP_OFFSET, System.nanoTime());
                if (!port.send(frame, 0, length))
                {
                    // Ring full even after a flush: let the kernel catch up, then retry this sequence number.
                    ringFullRetries++;
                    Thread.yield();
                    break;
                }
                seq++;
            }
            port.flush();
        }
        port.flush();
        windowCpuNs = startSeq < 0 ? 0 : threads.getCurrentThreadCpuTime() - cpuAtWindowStart;
        windowStartSeq = startSeq < 0 ? seq : startSeq;
        windowEndSeq = seq;
        sentInWindow = seq - windowStartSeq;
        actualWindowNs = startSeq < 0 ? 0 : now - windowStartedNs;
    }
}
