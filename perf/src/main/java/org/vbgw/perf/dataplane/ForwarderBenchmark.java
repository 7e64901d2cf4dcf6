package org.vbgw.perf.dataplane;

import org.agrona.MutableDirectBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.vbgw.dataplane.pipeline.Forwarder;
import org.vbgw.dataplane.pipeline.Verdict;
import org.vbgw.dataplane.pipeline.WorkerCounters;
import org.vbgw.fib.Fib;
import org.vbgw.io.FrameHandler;
import org.vbgw.io.MemoryPort;
import org.vbgw.io.Port;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The whole forwarding path per packet, one thread: parse, VIF, source check, FIB lookup on the Internet-size
 * table, ECMP, adjacency, rewrite, TTL and checksum, transmit, counters. See {@link GatewayFixture} for the
 * gateway and {@link TrafficFrames} for the traffic.
 * <p>
 * Each invocation polls a batch of {@value #BATCH_PER_PORT} frames from the IDC port and then from the VPC
 * port, as a worker does, so the score is nanoseconds per packet:
 * <ul>
 *   <li>{@code forwardIpv4}, {@code forwardIpv6}, {@code forwardMixed} (30 % IPv6): frames replayed in place
 *   by {@link ReplayPort}, sent frames discarded; this isolates the pipeline.</li>
 *   <li>{@code replayBaseline}: the same replay into a handler that does nothing; subtract it from the
 *   above for the pipeline alone.</li>
 *   <li>{@code memoryPortMixed}: mixed traffic through {@link MemoryPort} pairs: frames copied into the
 *   ingress queues, forwarded, the egress queues drained with a no-op handler, all measured;
 *   {@code memoryPortBaseline} does the same with a handler that sends each frame out of the other port
 *   unchanged, so the difference is again the pipeline.</li>
 *   <li>{@code lookupIpv4}, {@code lookupIpv6}: FIB lookups alone for the same destinations, the FIB's share.</li>
 *   <li>{@code minimalIpv4}: the IPv4 traffic through {@link MinimalPath}, the steps no forwarder can skip and
 *   nothing else, over its own {@link ReplayPort}s: the floor this machine puts under {@code forwardIpv4}
 *   ({@code -p minimalAdds=} adds back the Forwarder's other work, a group at a time).</li>
 * </ul>
 * The route files are {@code perf/data/ipv4-internet.routes} and {@code perf/data/ipv6-internet.routes}
 * relative to the working directory (override with {@code -Dvbgw.routes.ipv4=} and {@code -Dvbgw.routes.ipv6=});
 * when absent, synthetic tables are used and the setup says so. Setup checks that every frame is forwarded
 * and fails otherwise. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} should be about 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
public class ForwarderBenchmark
{
    /** Frames per port per poll, as one TPACKET block or one VPP vector would hold. */
    static final int BATCH_PER_PORT = 64;
    static final int BATCH = 2 * BATCH_PER_PORT;
    /** Frames per ingress port: 4096 distinct flows and destinations per traffic mix. */
    static final int FRAMES_PER_PORT = 2048;
    static final int MIXED_IPV6_PER_MILLE = 300;
    /**
     * The worker ids of the three traffic mixes' paths, which seed their frames: minimalIpv4 and lookupIpv4 take
     * forwardIpv4's frames, lookupIpv6 forwardIpv6's, replayBaseline and the memory ports the mixed ones.
     */
    private static final int IPV4_WORKER = 1;
    private static final int IPV6_WORKER = 2;
    private static final int MIXED_WORKER = 3;

    /** Frame lengths without FCS: 64, 512 or the simple IMIX (7:4:1 of 64, 570, 1500 bytes). */
    @Param({"64", "512", "imix"})
    public String frameSize;

    /**
     * "internet": the route files (or their synthetic stand-ins); "small": every IPv4 /8 and 256 IPv6 /16s,
     * a FIB that stays in cache, to show what the lookup's memory traffic costs ({@code -p table=small}).
     */
    @Param({"internet"})
    public String table;

    /** What {@code minimalIpv4} does beyond the essential steps: none, counters, source, checks or all. */
    @Param({"none"})
    public String minimalAdds;

    private GatewayFixture gateway;
    private ReplayPath ipv4;
    private ReplayPath ipv6;
    private ReplayPath mixed;
    private ReplayPort[] baselinePorts;
    private final FrameHandler noOp = new NoOpHandler();

    private MemoryPort[] idc;
    private MemoryPort[] vpc;
    private Forwarder memoryForwarder;
    private TrafficFrames memoryIdcFrames;
    private TrafficFrames memoryVpcFrames;
    private int memoryNext;
    private long injectDrops;
    private final Bridge toVpc = new Bridge();
    private final Bridge toIdc = new Bridge();

    private ReplayPort[] minimalPorts;
    private MinimalPath minimal;

    private int[] ipv4Destinations;
    private long[] ipv6DestinationsHi;
    private long[] ipv6DestinationsLo;
    private int lookupNext;

    /**
     * Builds only what the running benchmark uses. JMH forks a JVM per benchmark, and a path set up but not
     * measured would still leave its types in the measured one's call profiles: the Forwarder's {@code Port.send}
     * would see MemoryPort beside ReplayPort, and ReplayPort's {@code onFrame} three handlers, where a worker's
     * call sites see its own port and handler types (the replay baseline measured 8.4 ns with them, 5.2 without).
     */
    @Setup
    public void setUp(final BenchmarkParams params)
    {
        final String benchmark = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        gateway = new GatewayFixture(Path.of(System.getProperty("vbgw.routes.ipv4", "perf/data/ipv4-internet.routes")),
            Path.of(System.getProperty("vbgw.routes.ipv6", "perf/data/ipv6-internet.routes")), isSmallTable());
        System.out.println();
        System.out.println("IPv4 routes: " + gateway.ipv4Routes.source() + ", loaded in " + gateway.loadIpv4Ms + " ms");
        System.out.println("IPv6 routes: " + gateway.ipv6Routes.source() + ", loaded in " + gateway.loadIpv6Ms + " ms");

        switch (benchmark)
        {
            case "forwardIpv4" -> ipv4 = new ReplayPath(gateway, 0, frameSize, IPV4_WORKER);
            case "forwardIpv6" -> ipv6 = new ReplayPath(gateway, 1000, frameSize, IPV6_WORKER);
            case "forwardMixed" -> mixed = new ReplayPath(gateway, MIXED_IPV6_PER_MILLE, frameSize, MIXED_WORKER);
            case "replayBaseline" -> baselinePorts = new ReplayPort[] {
                new ReplayPort(traffic(GatewayFixture.IDC_PORT, MIXED_IPV6_PER_MILLE, MIXED_WORKER)),
                new ReplayPort(traffic(GatewayFixture.VPC_PORT, MIXED_IPV6_PER_MILLE, MIXED_WORKER))};
            case "memoryPortMixed", "memoryPortBaseline" -> setUpMemoryPorts();
            case "minimalIpv4" -> setUpMinimal();
            case "lookupIpv4", "lookupIpv6" -> setUpDestinations();
            default -> throw new IllegalStateException("no setup for benchmark " + benchmark);
        }
    }

    /** The frames a {@link ReplayPath} of this worker id gets for one ingress port. */
    private TrafficFrames traffic(final int port, final int ipv6PerMille, final int workerId)
    {
        return new TrafficFrames(gateway, port, FRAMES_PER_PORT, ipv6PerMille, frameSize,
            ReplayPath.seed(workerId) + port);
    }

    private void setUpMemoryPorts()
    {
        idc = MemoryPort.pair("idc", "idc-far", 1 << 20, 1500);
        vpc = MemoryPort.pair("vpc", "vpc-far", 1 << 20, 1500);
        final WorkerCounters memoryCounters = gateway.newCounters(4);
        memoryForwarder = gateway.newForwarder(new Port[] {idc[0], vpc[0]}, memoryCounters);
        memoryIdcFrames = traffic(GatewayFixture.IDC_PORT, MIXED_IPV6_PER_MILLE, MIXED_WORKER);
        memoryVpcFrames = traffic(GatewayFixture.VPC_PORT, MIXED_IPV6_PER_MILLE, MIXED_WORKER);
        toVpc.out = vpc[0];
        toIdc.out = idc[0];
        for (int i = 0; i < FRAMES_PER_PORT / BATCH_PER_PORT; i++)
        {
            memoryPortMixed();
        }
        ReplayPath.check("memoryPortMixed", memoryCounters, FRAMES_PER_PORT * 2L);
        if (injectDrops != 0 || idc[0].queuedBytes() != 0 || vpc[0].queuedBytes() != 0)
        {
            throw new IllegalStateException("memory ports: " + injectDrops + " frames refused, " +
                (idc[0].queuedBytes() + vpc[0].queuedBytes()) + " bytes left in the ingress queues");
        }
    }

    private void setUpMinimal()
    {
        // forwardIpv4's frames (the same seeds), in ports of their own.
        minimalPorts = new ReplayPort[] {
            new ReplayPort(traffic(GatewayFixture.IDC_PORT, 0, IPV4_WORKER)),
            new ReplayPort(traffic(GatewayFixture.VPC_PORT, 0, IPV4_WORKER))};
        minimal = new MinimalPath(minimalPorts, gateway, gateway.newCounters(5), minimalAdds);
        for (int i = 0; i < FRAMES_PER_PORT / BATCH_PER_PORT; i++)
        {
            minimalIpv4();
        }
        if (minimal.forwarded() != 2L * FRAMES_PER_PORT || minimalPorts[0].sentFrames() + minimalPorts[1].sentFrames() !=
            2L * FRAMES_PER_PORT)
        {
            throw new IllegalStateException("minimal path: " + minimal.forwarded() + " of " + 2 * FRAMES_PER_PORT +
                " frames forwarded");
        }
        minimalPorts[0].rewind();
        minimalPorts[1].rewind();
    }

    /** The destinations of forwardIpv4's and forwardIpv6's frames, IDC and VPC alternating. */
    private void setUpDestinations()
    {
        final TrafficFrames idc4 = traffic(GatewayFixture.IDC_PORT, 0, IPV4_WORKER);
        final TrafficFrames vpc4 = traffic(GatewayFixture.VPC_PORT, 0, IPV4_WORKER);
        final TrafficFrames idc6 = traffic(GatewayFixture.IDC_PORT, 1000, IPV6_WORKER);
        final TrafficFrames vpc6 = traffic(GatewayFixture.VPC_PORT, 1000, IPV6_WORKER);
        ipv4Destinations = new int[2 * FRAMES_PER_PORT];
        ipv6DestinationsHi = new long[2 * FRAMES_PER_PORT];
        ipv6DestinationsLo = new long[2 * FRAMES_PER_PORT];
        for (int i = 0; i < FRAMES_PER_PORT; i++)
        {
            ipv4Destinations[2 * i] = (int)idc4.dstLo[i];
            ipv4Destinations[2 * i + 1] = (int)vpc4.dstLo[i];
            ipv6DestinationsHi[2 * i] = idc6.dstHi[i];
            ipv6DestinationsLo[2 * i] = idc6.dstLo[i];
            ipv6DestinationsHi[2 * i + 1] = vpc6.dstHi[i];
            ipv6DestinationsLo[2 * i + 1] = vpc6.dstLo[i];
        }
    }

    private boolean isSmallTable()
    {
        if (!"internet".equals(table) && !"small".equals(table))
        {
            throw new IllegalArgumentException("table '" + table + "': expected internet or small");
        }
        return "small".equals(table);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int forwardIpv4()
    {
        return ipv4.pollBoth();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int forwardIpv6()
    {
        return ipv6.pollBoth();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int forwardMixed()
    {
        return mixed.pollBoth();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int minimalIpv4()
    {
        return minimal.poll(GatewayFixture.IDC_PORT, BATCH_PER_PORT) + minimal.poll(GatewayFixture.VPC_PORT, BATCH_PER_PORT);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int replayBaseline()
    {
        return baselinePorts[0].receive(noOp, BATCH_PER_PORT) + baselinePorts[1].receive(noOp, BATCH_PER_PORT);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int memoryPortMixed()
    {
        inject();
        final long now = System.nanoTime();
        final int received = pollBatch(GatewayFixture.IDC_PORT, now) + pollBatch(GatewayFixture.VPC_PORT, now);
        return received + drain();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int memoryPortBaseline()
    {
        inject();
        final int received = receiveBatch(idc[0], toVpc) + receiveBatch(vpc[0], toIdc);
        return received + drain();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int lookupIpv4()
    {
        final Fib fib = gateway.fib;
        final int[] destinations = ipv4Destinations;
        int i = lookupNext;
        int sum = 0;
        for (int n = 0; n < BATCH; n++)
        {
            sum += fib.lookupIpv4(destinations[i]);
            i = (i + 1) & (destinations.length - 1);
        }
        lookupNext = i;
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int lookupIpv6()
    {
        final Fib fib = gateway.fib;
        final long[] his = ipv6DestinationsHi;
        final long[] los = ipv6DestinationsLo;
        int i = lookupNext;
        int sum = 0;
        for (int n = 0; n < BATCH; n++)
        {
            sum += fib.lookupIpv6(his[i], los[i]);
            i = (i + 1) & (his.length - 1);
        }
        lookupNext = i;
        return sum;
    }

    /** Puts the next batch of pristine frames into the ingress queues, as the far ends (the kernel) would. */
    private void inject()
    {
        final int first = memoryNext;
        for (int n = 0; n < BATCH_PER_PORT; n++)
        {
            final int i = first + n;
            if (!idc[1].send(memoryIdcFrames.store, memoryIdcFrames.offsets[i], memoryIdcFrames.lengths[i]))
            {
                injectDrops++;
            }
            if (!vpc[1].send(memoryVpcFrames.store, memoryVpcFrames.offsets[i], memoryVpcFrames.lengths[i]))
            {
                injectDrops++;
            }
        }
        memoryNext = (first + BATCH_PER_PORT) & (FRAMES_PER_PORT - 1);
    }

    /**
     * Polls until a whole batch is in: a ring read stops at the end of the ring's memory, so a poll that
     * meets the wrap returns early, and without a second poll frames would pile up in the queue.
     */
    private int pollBatch(final int port, final long now)
    {
        int total = 0;
        int n;
        do
        {
            n = memoryForwarder.poll(port, BATCH_PER_PORT - total, now);
            total += n;
        }
        while (n > 0 && total < BATCH_PER_PORT);
        return total;
    }

    private static int receiveBatch(final MemoryPort port, final FrameHandler handler)
    {
        int total = 0;
        int n;
        do
        {
            n = port.receive(handler, BATCH_PER_PORT - total);
            total += n;
        }
        while (n > 0 && total < BATCH_PER_PORT);
        return total;
    }

    /** Empties both egress queues (until a receive finds nothing, for the same wrap reason). */
    private int drain()
    {
        int total = 0;
        int n;
        while ((n = idc[1].receive(noOp, BATCH) + vpc[1].receive(noOp, BATCH)) > 0)
        {
            total += n;
        }
        return total;
    }

    /** One traffic mix on its own forwarder over two {@link ReplayPort}s. */
    private static final class ReplayPath
    {
        final TrafficFrames idcFrames;
        final TrafficFrames vpcFrames;
        final ReplayPort[] ports;
        final Forwarder forwarder;

        ReplayPath(final GatewayFixture gateway, final int ipv6PerMille, final String sizes, final int workerId)
        {
            idcFrames = new TrafficFrames(gateway, GatewayFixture.IDC_PORT, FRAMES_PER_PORT, ipv6PerMille, sizes,
                seed(workerId) + GatewayFixture.IDC_PORT);
            vpcFrames = new TrafficFrames(gateway, GatewayFixture.VPC_PORT, FRAMES_PER_PORT, ipv6PerMille, sizes,
                seed(workerId) + GatewayFixture.VPC_PORT);
            ports = new ReplayPort[] {new ReplayPort(idcFrames), new ReplayPort(vpcFrames)};
            final WorkerCounters counters = gateway.newCounters(workerId);
            forwarder = gateway.newForwarder(new Port[] {ports[0], ports[1]}, counters);
            // One pass over every frame: all must be forwarded, else the figures would measure drops.
            final long now = System.nanoTime();
            forwarder.poll(GatewayFixture.IDC_PORT, FRAMES_PER_PORT, now);
            forwarder.poll(GatewayFixture.VPC_PORT, FRAMES_PER_PORT, now);
            check("IPv6 " + ipv6PerMille / 10 + " %", counters, 2L * FRAMES_PER_PORT);
            if (ports[0].sentFrames() + ports[1].sentFrames() != 2L * FRAMES_PER_PORT)
            {
                throw new IllegalStateException("frames sent " + (ports[0].sentFrames() + ports[1].sentFrames()) +
                    ", expected " + 2 * FRAMES_PER_PORT);
            }
            ports[0].rewind();
            ports[1].rewind();
        }

        /** The seed of this worker id's IDC frames; the VPC's is one more (the port indexes are 0 and 1). */
        static long seed(final int workerId)
        {
            return workerId * 31L;
        }

        int pollBoth()
        {
            final long now = System.nanoTime();
            return forwarder.poll(GatewayFixture.IDC_PORT, BATCH_PER_PORT, now) +
                forwarder.poll(GatewayFixture.VPC_PORT, BATCH_PER_PORT, now);
        }

        static void check(final String traffic, final WorkerCounters counters, final long expected)
        {
            final long forwarded = counters.verdictCount(Verdict.FORWARDED);
            if (forwarded != expected)
            {
                final StringBuilder verdicts = new StringBuilder();
                for (int v = 0; v < Verdict.COUNT; v++)
                {
                    if (counters.verdictCount(v) != 0)
                    {
                        verdicts.append(' ').append(Verdict.name(v)).append('=').append(counters.verdictCount(v));
                    }
                }
                throw new IllegalStateException(traffic + ": " + forwarded + " of " + expected +
                    " frames forwarded; verdicts:" + verdicts);
            }
        }
    }

    /** Receives and forgets, reading one word so the delivery is not optimised away. */
    private static final class NoOpHandler implements FrameHandler
    {
        long digest;

        @Override
        public void onFrame(final MutableDirectBuffer buffer, final int offset, final int length)
        {
            digest += buffer.getLong(offset) + length;
        }
    }

    /** Sends each received frame out of another port unchanged: a MemoryPort round trip without the pipeline. */
    private static final class Bridge implements FrameHandler
    {
        Port out;

        @Override
        public void onFrame(final MutableDirectBuffer buffer, final int offset, final int length)
        {
            out.send(buffer, offset, length);
        }
    }
}
