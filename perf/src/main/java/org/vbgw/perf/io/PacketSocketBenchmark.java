package org.vbgw.perf.io;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.io.FrameHandler;
import org.vbgw.io.linux.PacketSocket;
import org.vbgw.io.linux.PacketSocketOptions;
import org.vbgw.io.linux.PacketSocketOptions.TxMode;

/**
 * Packets per second one thread receives, and one thread sends, through a veth pair between two namespaces:
 * PACKET_MMAP rings against one system call per packet, side by side in the same run, 64- and 1500-byte
 * frames, with the thread's CPU time per packet.
 * <ul>
 *   <li><b>rx ring</b>: {@link PacketSocket#receive} on a TPACKET_V3 ring; <b>rx recv</b>: one {@code recv()}
 *   per frame on a plain AF_PACKET socket. Traffic: a generator thread in the other namespace sending as
 *   fast as it can through a TX ring. The receiver sleeps in poll(2) when idle, so its CPU time is its work.</li>
 *   <li><b>tx ring</b>: {@link PacketSocket#send} into the TX ring, {@code flush()} every 64 frames;
 *   <b>tx send</b>: one {@code send()} per frame. Nobody listens on the far end (the far kernel drops the
 *   frames as not addressed to it), so the figure is the sending side's cost.</li>
 *   <li><b>fwd ring</b>: one thread receives from the rx ring of one veth, decrements a header byte in
 *   place and sends into the TX ring of a second veth, flushing per batch; <b>fwd sys</b>: the same with
 *   {@code recv()} and {@code send()} per frame. Counted: frames the thread handed on; drops: frames the
 *   kernel dropped inbound (ring or socket queue full) plus frames the outbound port refused.</li>
 * </ul>
 * Run as root: {@code java -cp perf/target/benchmarks.jar $(vbgw jvm flags) org.vbgw.perf.io.PacketSocketBenchmark
 * [seconds per trial, default 3] [repeats, default 3]}. Prints each trial and the medians.
 */
public final class PacketSocketBenchmark
{
    private static final int[] SIZES = {64, 1500};
    private static final long WARMUP_MS = 500;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private PacketSocketBenchmark()
    {
    }

    /** A measured trial: frames per second and CPU nanoseconds per frame of the measured thread. */
    private record Trial(double framesPerSecond, double cpuNsPerFrame, double offeredPerSecond, long drops)
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final long trialMs = (args.length > 0 ? Long.parseLong(args[0]) : 3) * 1000;
        final int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf("PacketSocketBenchmark %s, %d ms per trial, %d repeats, %d CPUs%n",
            Instant.now(), trialMs, repeats, Runtime.getRuntime().availableProcessors());
        final Map<String, List<Trial>> results = new LinkedHashMap<>();
        try (VethLab lab = new VethLab(1500))
        {
            for (int r = 0; r < repeats; r++)
            {
                for (final int size : SIZES)
                {
                    record(results, "rx ring  " + size, receive(lab, size, true, trialMs));
                    record(results, "rx recv  " + size, receive(lab, size, false, trialMs));
                    record(results, "tx ring  " + size, transmit(lab, size, TxMode.RING, trialMs));
                    record(results, "tx send  " + size, transmit(lab, size, TxMode.SEND, trialMs));
                    record(results, "fwd ring " + size, forward(lab, size, true, trialMs));
                    record(results, "fwd sys  " + size, forward(lab, size, false, trialMs));
                }
            }
        }
        System.out.println();
        System.out.println("medians over " + repeats + " repeats:");
        System.out.println("mode     bytes    Mpps   CPU ns/pkt   offered Mpps   drops in trial (median)");
        for (final Map.Entry<String, List<Trial>> e : results.entrySet())
        {
            final List<Trial> trials = e.getValue();
            System.out.printf("%-14s %7.3f %12.0f %14.3f %10d%n", e.getKey(),
                median(trials, Trial::framesPerSecond) / 1e6, median(trials, Trial::cpuNsPerFrame),
                median(trials, Trial::offeredPerSecond) / 1e6, (long)median(trials, t -> t.drops()));
        }
    }

    private static void record(final Map<String, List<Trial>> results, final String key, final Trial trial)
    {
        System.out.printf("%-14s %8.3f Mpps %8.0f CPU ns/pkt  (offered %.3f Mpps, drops %d)%n", key,
            trial.framesPerSecond() / 1e6, trial.cpuNsPerFrame(), trial.offeredPerSecond() / 1e6, trial.drops());
        results.computeIfAbsent(key, k -> new ArrayList<>()).add(trial);
    }

    private static Trial receive(final VethLab lab, final int size, final boolean ring, final long trialMs)
        throws Exception
    {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong sent = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final PacketSocket generator;
        try (AutoCloseable ignored = lab.enterGenerator())
        {
            generator = PacketSocket.open(lab.generatorIf,
                new PacketSocketOptions().tx(TxMode.RING, 1024).socketBufferBytes(16 << 20).rxRing(1 << 16, 2));
        }
        final PacketSocket rings;
        final RecvSocket plain;
        try (AutoCloseable ignored = lab.enterDut())
        {
            rings = ring ? PacketSocket.open(lab.dutIf, new PacketSocketOptions().rxRing(1 << 20, 16)
                .tx(TxMode.SEND, 1)) : null;
            plain = ring ? null : new RecvSocket(lab.dutIf);
        }
        final Thread send = new Thread(() -> generate(generator, size, running, sent), "generator");
        final Thread recv = new Thread(() ->
        {
            final long[] count = new long[1];
            final FrameHandler handler = (buffer, offset, length) -> count[0] += buffer.getByte(offset + 20) | 1;
            while (running.get())
            {
                int n;
                if (rings != null)
                {
                    n = rings.receive(handler, 256);
                    if (n == 0)
                    {
                        rings.await(1);
                    }
                }
                else
                {
                    n = 0;
                    while (n < 256 && plain.receive() > 0)
                    {
                        n++;
                    }
                    if (n == 0)
                    {
                        plain.await(1);
                    }
                }
                if (n > 0)
                {
                    received.lazySet(received.get() + n);
                }
            }
        }, "receiver");
        recv.start();
        send.start();
        final java.util.function.LongSupplier kernelDrops = rings != null ?
            () -> rings.statistics().rxKernelDrops() : new java.util.function.LongSupplier()
            {
                private long total;

                @Override
                public long getAsLong()
                {
                    total += plain.kernelDrops();
                    return total;
                }
            };
        Thread.sleep(WARMUP_MS);
        final long dropsBefore = kernelDrops.getAsLong();
        final Trial trial = measure(recv, received, sent, trialMs);
        final long drops = kernelDrops.getAsLong() - dropsBefore;
        running.set(false);
        send.join();
        recv.join();
        generator.close();
        if (rings != null)
        {
            rings.close();
        }
        if (plain != null)
        {
            plain.close();
        }
        return new Trial(trial.framesPerSecond(), trial.cpuNsPerFrame(), trial.offeredPerSecond(), drops);
    }

    private static Trial transmit(final VethLab lab, final int size, final TxMode mode, final long trialMs)
        throws Exception
    {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong sent = new AtomicLong();
        final PacketSocket socket;
        try (AutoCloseable ignored = lab.enterGenerator())
        {
            socket = PacketSocket.open(lab.generatorIf, new PacketSocketOptions().tx(mode, 1024)
                .socketBufferBytes(16 << 20).rxRing(1 << 16, 2));
        }
        final Thread send = new Thread(() -> generate(socket, size, running, sent), "sender");
        send.start();
        Thread.sleep(WARMUP_MS);
        final Trial trial = measure(send, sent, sent, trialMs);
        running.set(false);
        send.join();
        final long drops = 0; // a full transmit ring makes the sender wait, it does not drop
        socket.close();
        return new Trial(trial.framesPerSecond(), trial.cpuNsPerFrame(), trial.offeredPerSecond(), drops);
    }

    /**
     * One thread receives on the device under test's inbound veth and sends each frame out of its outbound
     * veth: rx ring + tx ring (flushed per receive batch), against recv() + send() per frame.
     */
    private static Trial forward(final VethLab lab, final int size, final boolean ring, final long trialMs)
        throws Exception
    {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong sent = new AtomicLong();
        final AtomicLong forwarded = new AtomicLong();
        final PacketSocket generator;
        try (AutoCloseable ignored = lab.enterGenerator())
        {
            generator = PacketSocket.open(lab.generatorIf,
                new PacketSocketOptions().tx(TxMode.RING, 1024).socketBufferBytes(16 << 20).rxRing(1 << 16, 2));
        }
        final PacketSocket in;
        final RecvSocket plainIn;
        final PacketSocket out;
        try (AutoCloseable ignored = lab.enterDut())
        {
            in = ring ? PacketSocket.open(lab.dutIf, new PacketSocketOptions().rxRing(1 << 20, 16)
                .tx(TxMode.SEND, 1)) : null;
            plainIn = ring ? null : new RecvSocket(lab.dutIf);
            out = PacketSocket.open(lab.dutOutIf, new PacketSocketOptions().rxRing(1 << 16, 2)
                .tx(ring ? TxMode.RING : TxMode.SEND, 1024).socketBufferBytes(16 << 20));
        }
        final Thread send = new Thread(() -> generate(generator, size, running, sent), "generator");
        final Thread fwd = new Thread(() ->
        {
            final long[] handedOn = new long[1];
            final FrameHandler handler = (buffer, offset, length) ->
            {
                buffer.putByte(offset + 22, (byte)(buffer.getByte(offset + 22) - 1)); // a TTL-like rewrite
                if (out.send(buffer, offset, length))
                {
                    handedOn[0]++;
                }
            };
            while (running.get())
            {
                int n = 0;
                if (in != null)
                {
                    n = in.receive(handler, 256);
                    out.flush();
                    if (n == 0)
                    {
                        in.await(1);
                    }
                }
                else
                {
                    int length;
                    while (n < 256 && (length = plainIn.receive()) > 0)
                    {
                        handler.onFrame(plainIn.frame(), 0, length);
                        n++;
                    }
                    if (n == 0)
                    {
                        plainIn.await(1);
                    }
                }
                if (n > 0)
                {
                    forwarded.lazySet(handedOn[0]);
                }
            }
        }, "forwarder");
        fwd.start();
        send.start();
        Thread.sleep(WARMUP_MS);
        final long dropsBefore = forwardDrops(in, plainIn, out);
        final Trial trial = measure(fwd, forwarded, sent, trialMs);
        final long drops = forwardDrops(in, plainIn, out) - dropsBefore;
        running.set(false);
        send.join();
        fwd.join();
        generator.close();
        out.close();
        if (in != null)
        {
            in.close();
        }
        if (plainIn != null)
        {
            plainIn.close();
        }
        return new Trial(trial.framesPerSecond(), trial.cpuNsPerFrame(), trial.offeredPerSecond(), drops);
    }

    private static long plainDrops;

    /** Inbound kernel drops (ring or socket queue full) plus frames the outbound port refused, cumulative. */
    private static long forwardDrops(final PacketSocket in, final RecvSocket plainIn, final PacketSocket out)
    {
        final long inbound;
        if (in != null)
        {
            inbound = in.statistics().rxKernelDrops();
        }
        else
        {
            plainDrops += plainIn.kernelDrops();
            inbound = plainDrops;
        }
        return inbound + out.statistics().txDrops();
    }

    /** Sends IPv4/UDP frames of {@code size} bytes (FCS excluded) as fast as the socket takes them. */
    private static void generate(
        final PacketSocket socket, final int size, final AtomicBoolean running, final AtomicLong sent)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(size));
        frame.putLong(0, 0x0B0B_0000_0002L);
        frame.putInt(6, 0x0000_0002);
        frame.putShort(10, (short)0x0A0A);
        frame.putShort(12, (short)0x0008); // 0x0800 in network order
        frame.putByte(14, (byte)0x45);
        frame.putByte(23, (byte)17);
        long count = 0;
        while (running.get())
        {
            int batch = 0;
            for (; batch < 64; batch++)
            {
                frame.putInt(26, (int)count + batch);
                if (!socket.send(frame, 0, size))
                {
                    break;
                }
            }
            socket.flush();
            count += batch;
            sent.lazySet(count);
        }
    }

    /** Measures {@code counter} and the thread's CPU time over the trial. */
    private static Trial measure(
        final Thread thread, final AtomicLong counter, final AtomicLong offered, final long trialMs)
        throws InterruptedException
    {
        final long startNs = System.nanoTime();
        final long startCount = counter.get();
        final long startOffered = offered.get();
        final long startCpu = THREADS.getThreadCpuTime(thread.getId());
        Thread.sleep(trialMs);
        final long cpu = THREADS.getThreadCpuTime(thread.getId()) - startCpu;
        final long frames = counter.get() - startCount;
        final long offeredFrames = offered.get() - startOffered;
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        return new Trial(frames / seconds, frames == 0 ? 0 : (double)cpu / frames, offeredFrames / seconds, 0);
    }

    private static double median(final List<Trial> trials, final java.util.function.ToDoubleFunction<Trial> value)
    {
        final double[] values = trials.stream().mapToDouble(value).toArray();
        Arrays.sort(values);
        final int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
