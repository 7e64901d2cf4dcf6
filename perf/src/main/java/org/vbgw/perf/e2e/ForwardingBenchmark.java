package org.vbgw.perf.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;

import org.vbgw.io.linux.PacketSocket;
import org.vbgw.io.linux.PacketSocketOptions;

/**
 * End to end: frames per second forwarded between two namespaces by vbgw against Linux kernel IP forwarding,
 * in the same topology ({@link BenchTopology}), with the same generator and sink, back to back in one JVM,
 * repeated; latency percentiles from HdrHistogram.
 * <pre>
 *   java $(vbgw.jvmFlags) -cp perf/target/benchmarks.jar org.vbgw.perf.e2e.ForwardingBenchmark \
 *       [--seconds 5] [--size 64|512|1500] [--repeats 3] [--warmup 1] [--flows 256] [--gen-tx ring|send]
 *       [--middles kernel,vbgw-send,vbgw-ring] [--moderate 0.5] [--vbgw-rx-ring BLOCK_BYTESxBLOCKS]
 * </pre>
 * Per repeat: the kernel middle flat out, then at {@code --moderate} (default 50 %) of the rate the kernel
 * forwarded in that repeat; then each vbgw middle (one worker; transmit by one send() per frame, or by the
 * TX ring) at the same two loads. Prints every run, then medians per middle and load, and the vbgw/kernel
 * ratios of the medians. Needs root (namespaces, AF_PACKET, nftables).
 */
public final class ForwardingBenchmark
{
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final int seconds;
    private final int warmupSeconds;
    private final int wireSize;
    private final int flows;
    private final double moderate;
    private final int vbgwRxBlockBytes;
    private final int vbgwRxBlocks;
    private final BenchTopology topology;
    private final PacketSocket genSocket;
    private final PacketSocket sinkSocket;
    private long nextSeq;

    private ForwardingBenchmark(final int seconds, final int warmupSeconds, final int wireSize, final int flows,
        final double moderate, final PacketSocketOptions.TxMode genTx, final int vbgwRxBlockBytes, final int vbgwRxBlocks,
        final BenchTopology topology)
    {
        this.vbgwRxBlockBytes = vbgwRxBlockBytes;
        this.vbgwRxBlocks = vbgwRxBlocks;
        this.seconds = seconds;
        this.warmupSeconds = warmupSeconds;
        this.wireSize = wireSize;
        this.flows = flows;
        this.moderate = moderate;
        this.topology = topology;
        try (org.vbgw.io.lab.Netns.Scope ignored = BenchTopology.enter(topology.genNs))
        {
            // SO_SNDBUFFORCE: inside a namespace the generator cannot raise socket memory otherwise, and a full
            // send buffer makes the kernel refuse ring frames (what makes trafgen abort across CPUs).
            genSocket = PacketSocket.open(topology.genIf, new PacketSocketOptions().qdiscBypass(true)
                .tx(genTx, 4096).socketBufferBytes(16 << 20));
        }
        try (org.vbgw.io.lab.Netns.Scope ignored = BenchTopology.enter(topology.sinkNs))
        {
            sinkSocket = PacketSocket.open(topology.sinkIf, new PacketSocketOptions().rxRing(16384, 1024)
                .blockTimeoutMs(1));
        }
    }

    public static void main(final String[] args) throws Exception
    {
        int seconds = 5;
        int warmup = 1;
        int size = 64;
        int repeats = 3;
        int flows = 256;
        double moderate = 0.5;
        PacketSocketOptions.TxMode genTx = PacketSocketOptions.TxMode.RING;
        List<String> middles = List.of("kernel", "vbgw-send", "vbgw-ring");
        int rxBlockBytes = 0;
        int rxBlocks = 0;
        for (int i = 0; i < args.length; i++)
        {
            final String a = args[i];
            final String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a)
            {
                case "--seconds" -> seconds = Integer.parseInt(require(a, v));
                case "--warmup" -> warmup = Integer.parseInt(require(a, v));
                case "--size" -> size = Integer.parseInt(require(a, v));
                case "--repeats" -> repeats = Integer.parseInt(require(a, v));
                case "--flows" -> flows = Integer.parseInt(require(a, v));
                case "--moderate" -> moderate = Double.parseDouble(require(a, v));
                case "--gen-tx" -> genTx = "send".equals(require(a, v)) ? PacketSocketOptions.TxMode.SEND :
                    PacketSocketOptions.TxMode.RING;
                case "--middles" -> middles = Arrays.asList(require(a, v).split(","));
                case "--vbgw-rx-ring" ->
                {
                    final String[] ring = require(a, v).split("x");
                    rxBlockBytes = Integer.parseInt(ring[0]);
                    rxBlocks = Integer.parseInt(ring[1]);
                }
                case "-h", "--help" ->
                {
                    System.out.println("usage: ForwardingBenchmark [--seconds 5] [--size 64|512|1500] [--repeats 3] " +
                        "[--warmup 1] [--flows 256] [--gen-tx ring|send] [--middles kernel,vbgw-send,vbgw-ring] " +
                        "[--moderate 0.5] [--vbgw-rx-ring BLOCK_BYTESxBLOCKS]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
            }
            i++;
        }
        if (!middles.contains("kernel"))
        {
            throw new IllegalArgumentException("--middles must include kernel: it is the baseline and sets the moderate load");
        }
        if (!Files.isWritable(Path.of("/proc/sys/net/ipv4/ip_forward")))
        {
            throw new IllegalStateException("needs root (network namespaces, AF_PACKET, nftables): run it with sudo");
        }

        System.out.printf(Locale.ROOT, "end-to-end forwarding: %d-byte frames, %d flows, %d s per run (+%d s warm-up), " +
            "%d repeats, generator tx %s, vbgw rx ring %s, load average %s%n", size, flows, seconds, warmup, repeats, genTx,
            rxBlockBytes == 0 ? "default" : rxBlockBytes + " B x " + rxBlocks + " blocks", loadAverage());
        try (BenchTopology topology = new BenchTopology())
        {
            final ForwardingBenchmark bench = new ForwardingBenchmark(seconds, warmup, size, flows, moderate, genTx,
                rxBlockBytes, rxBlocks, topology);
            final List<RunResult> results = new ArrayList<>();
            for (int r = 0; r < repeats; r++)
            {
                final RunResult kernelFull = bench.kernel("full", 0);
                print(r, kernelFull);
                results.add(kernelFull);
                final long rate = Math.round(kernelFull.forwardedPps() * moderate);
                final String moderateLoad = Math.round(moderate * 100) + "%";
                final RunResult kernelModerate = bench.kernel(moderateLoad, rate);
                print(r, kernelModerate);
                results.add(kernelModerate);
                for (final String middle : middles)
                {
                    if (middle.startsWith("vbgw"))
                    {
                        final PacketSocketOptions.TxMode tx = middle.equals("vbgw-ring") ?
                            PacketSocketOptions.TxMode.RING : PacketSocketOptions.TxMode.SEND;
                        for (final RunResult result : bench.vbgw(middle, tx, moderateLoad, rate))
                        {
                            print(r, result);
                            results.add(result);
                        }
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%nload average after: %s%n%n", loadAverage());
            summarise(results, size);
            bench.genSocket.close();
            bench.sinkSocket.close();
        }
    }

    private static String require(final String option, final String value)
    {
        if (value == null)
        {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private RunResult kernel(final String load, final long ratePps)
    {
        topology.configureKernelMiddle();
        try
        {
            return measure("kernel", load, ratePps, null);
        }
        finally
        {
            topology.resetKernelMiddle();
        }
    }

    private List<RunResult> vbgw(final String name, final PacketSocketOptions.TxMode tx, final String moderateLoad,
        final long moderateRate)
    {
        topology.configureBypassedMiddle();
        try (VbgwMiddle middle = new VbgwMiddle(topology, tx, vbgwRxBlockBytes, vbgwRxBlocks))
        {
            return List.of(measure(name, "full", 0, middle), measure(name, moderateLoad, moderateRate, middle));
        }
        finally
        {
            topology.removeBypass();
        }
    }

    private RunResult measure(final String name, final String load, final long ratePps, final VbgwMiddle middle)
    {
        while (sinkSocket.receive((b, o, l) -> { }, 4096) > 0)
        {
            // Whatever an earlier run left in the sink's ring.
        }
        final EndToEndWindow window = new EndToEndWindow();
        final TrafficSink sink = new TrafficSink(sinkSocket, window);
        final Thread sinkThread = new Thread(sink, "e2e-sink");
        sinkThread.start();

        final long windowStart = System.nanoTime() + warmupSeconds * 1_000_000_000L;
        final long end = windowStart + seconds * 1_000_000_000L;
        final TrafficGenerator gen = new TrafficGenerator(genSocket, wireSize, flows, ratePps, nextSeq, windowStart,
            end, window);
        final Thread genThread = new Thread(gen, "e2e-gen");
        genThread.start();

        final long worker = middle == null ? -1 : middle.workerThreadId();
        parkUntil(windowStart);
        final long worker0 = cpu(worker);
        final long workerUser0 = user(worker);
        final long forwarded0 = middle == null ? 0 : middle.forwarded();
        final long sink0 = cpu(sinkThread.getId());
        final long ringDrops0 = middle == null ? 0 : middle.ingressRingDrops();
        parkUntil(end);
        final long worker1 = cpu(worker);
        final long workerUser1 = user(worker);
        final long forwarded1 = middle == null ? 0 : middle.forwarded();
        final long sink1 = cpu(sinkThread.getId());
        final long ringDrops = middle == null ? 0 : middle.ingressRingDrops() - ringDrops0;

        join(genThread);
        LockSupport.parkNanos(200_000_000L);
        sink.stop();
        join(sinkThread);
        nextSeq = gen.windowEndSeq;

        final double fwd = Math.max(1, forwarded1 - forwarded0);
        return RunResult.of(name, load, gen, sink,
            middle == null ? Double.NaN : (worker1 - worker0) / fwd,
            middle == null ? Double.NaN : (workerUser1 - workerUser0) / fwd,
            gen.windowCpuNs / (double)Math.max(1, gen.sentInWindow),
            (sink1 - sink0) / (double)Math.max(1, sink.received), ringDrops);
    }

    private static long cpu(final long threadId)
    {
        return threadId < 0 ? 0 : THREADS.getThreadCpuTime(threadId);
    }

    private static long user(final long threadId)
    {
        return threadId < 0 ? 0 : THREADS.getThreadUserTime(threadId);
    }

    private static void parkUntil(final long deadlineNs)
    {
        long left;
        while ((left = deadlineNs - System.nanoTime()) > 0)
        {
            LockSupport.parkNanos(left);
        }
    }

    private static void join(final Thread thread)
    {
        try
        {
            thread.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + thread.getName(), ex);
        }
    }

    static String loadAverage()
    {
        try
        {
            final String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        }
        catch (final java.io.IOException ex)
        {
            return "unknown";
        }
    }

    private static final String HEADER = "| middle | load | offered pps | forwarded pps | loss % | p50 µs | p90 µs | " +
        "p99 µs | p99.9 µs | max µs | worker CPU ns/pkt (user) | gen CPU ns/pkt | sink CPU ns/pkt | vbgw rx ring drops |";

    private static void print(final int repeat, final RunResult r)
    {
        System.out.printf(Locale.ROOT, "repeat %d %-9s %-4s offered %,9d pps  forwarded %,9d pps  loss %5.1f %%  " +
            "p50 %7.1f p90 %7.1f p99 %8.1f p99.9 %8.1f max %8.1f µs  worker %s ns/pkt (user %s)  gen %.0f  sink %.0f ns/pkt  " +
            "rx-ring drops %d  gaps %d  reordered %d%n",
            repeat + 1, r.middle(), r.load(), r.offeredPps(), r.forwardedPps(), r.lossPercent(), r.p50Us(), r.p90Us(),
            r.p99Us(), r.p999Us(), r.maxUs(), num(r.workerCpuNs()), num(r.workerUserNs()), r.genCpuNs(), r.sinkCpuNs(),
            r.ingressRingDrops(), r.gapFrames(), r.outOfOrder());
    }

    private static String num(final double v)
    {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }

    /** Medians per (middle, load) as a Markdown table, then the vbgw/kernel ratios. */
    private static void summarise(final List<RunResult> results, final int size)
    {
        final Map<String, List<RunResult>> groups = new LinkedHashMap<>();
        for (final RunResult r : results)
        {
            groups.computeIfAbsent(r.middle() + "|" + r.load(), k -> new ArrayList<>()).add(r);
        }
        System.out.println("Medians of " + results.size() / Math.max(1, groups.size()) + " repeats, " + size + "-byte frames:");
        System.out.println();
        System.out.println(HEADER);
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        final Map<String, Double> fwd = new LinkedHashMap<>();
        final Map<String, Double> p50 = new LinkedHashMap<>();
        final Map<String, Double> p99 = new LinkedHashMap<>();
        final Map<String, Double> pathCpu = new LinkedHashMap<>();
        for (final Map.Entry<String, List<RunResult>> e : groups.entrySet())
        {
            final List<RunResult> g = e.getValue();
            final RunResult first = g.get(0);
            final double forwarded = median(g, RunResult::forwardedPps);
            fwd.put(e.getKey(), forwarded);
            p50.put(e.getKey(), median(g, RunResult::p50Us));
            p99.put(e.getKey(), median(g, RunResult::p99Us));
            pathCpu.put(e.getKey(), median(g, RunResult::pathCpuNs));
            System.out.printf(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %s (%s) | %.0f | %.0f | %.0f |%n",
                first.middle(), first.load(), median(g, RunResult::offeredPps), forwarded, median(g, RunResult::lossPercent),
                median(g, RunResult::p50Us), median(g, RunResult::p90Us), median(g, RunResult::p99Us),
                median(g, RunResult::p999Us), median(g, RunResult::maxUs), num(median(g, RunResult::workerCpuNs)),
                num(median(g, RunResult::workerUserNs)), median(g, RunResult::genCpuNs), median(g, RunResult::sinkCpuNs),
                median(g, RunResult::ingressRingDrops));
        }
        System.out.println();
        for (final String key : fwd.keySet())
        {
            final String[] k = key.split("\\|");
            final Double kernel = fwd.get("kernel|" + k[1]);
            if (!k[0].equals("kernel") && kernel != null)
            {
                System.out.printf(Locale.ROOT, "ratio %s/kernel at %s load: forwarded pps %.2fx, p50 latency %.2fx, " +
                    "p99 latency %.2fx, path CPU per packet %.0f / %.0f ns = %.2fx%n", k[0], k[1], fwd.get(key) / kernel,
                    p50.get(key) / p50.get("kernel|" + k[1]), p99.get(key) / p99.get("kernel|" + k[1]),
                    pathCpu.get(key), pathCpu.get("kernel|" + k[1]), pathCpu.get(key) / pathCpu.get("kernel|" + k[1]));
            }
        }
    }

    private static double median(final List<RunResult> runs, final ToDoubleFunction<RunResult> metric)
    {
        final double[] v = runs.stream().mapToDouble(metric).sorted().toArray();
        if (v.length == 0)
        {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
