package org.vbgw.perf.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.vbgw.dataplane.Dataplane;
import org.vbgw.dataplane.pipeline.Verdict;
import org.vbgw.dataplane.vif.SourceCheck;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.Port;
import org.vbgw.io.linux.PacketSocket;
import org.vbgw.io.linux.PacketSocketOptions;

/**
 * vbgw as the middle node: a {@link Dataplane} with one worker on packet sockets on the middle namespace's two
 * veth ends (opened inside it with setns, qdisc bypass), one untagged VIF per port with the kernel run's
 * addresses, static neighbours for the generator and the sink, and a route each way:
 * 10.10.2.0/24 → next hop 10.10.2.2 on the sink VIF, 10.10.1.0/24 → 10.10.1.2 on the generator VIF.
 * The caller installs the ingress drop on the two ports first ({@link BenchTopology#configureBypassedMiddle}).
 */
final class VbgwMiddle implements AutoCloseable
{
    static final String WORKER_THREAD = "vbgw-worker-0";

    private final PacketSocket toGen;
    private final PacketSocket toSink;
    private final Dataplane dataplane;
    private final long workerThreadId;

    /**
     * @param rxBlockBytes receive ring block size, 0 for the port's default (as are {@code rxBlocks}).
     */
    VbgwMiddle(final BenchTopology topology, final PacketSocketOptions.TxMode txMode, final int rxBlockBytes,
        final int rxBlocks)
    {
        try (org.vbgw.io.lab.Netns.Scope ignored = BenchTopology.enter(topology.midNs))
        {
            toGen = PacketSocket.open(topology.midGenIf, options(txMode, rxBlockBytes, rxBlocks));
            toSink = PacketSocket.open(topology.midSinkIf, options(txMode, rxBlockBytes, rxBlocks));
        }
        dataplane = new Dataplane(new Port[] {toGen, toSink}, Dataplane.Config.defaults().withWorkers(1));
        dataplane.addVif(new Vif(0, "gen", 0, Vif.UNTAGGED, Vif.NO_INNER, 0, BenchTopology.MID_GEN_MAC, 1500,
            List.of(IpPrefix.parse("10.10.1.1")), List.of(), SourceCheck.OFF, true), null);
        dataplane.addVif(new Vif(1, "sink", 1, Vif.UNTAGGED, Vif.NO_INNER, 0, BenchTopology.MID_SINK_MAC, 1500,
            List.of(IpPrefix.parse("10.10.2.1")), List.of(), SourceCheck.OFF, true), null);
        dataplane.addStaticNeighbour(0, false, 0, BenchTopology.GEN_IP & 0xFFFF_FFFFL, BenchTopology.GEN_MAC);
        dataplane.addStaticNeighbour(1, false, 0, BenchTopology.SINK_IP & 0xFFFF_FFFFL, BenchTopology.SINK_MAC);
        dataplane.addNextHop(0, 0, false, 0, BenchTopology.GEN_IP & 0xFFFF_FFFFL);
        dataplane.addNextHop(1, 1, false, 0, BenchTopology.SINK_IP & 0xFFFF_FFFFL);
        dataplane.fib().addGroup(0, new int[] {0}, new int[] {1}, Fib.NO_GROUP);
        dataplane.fib().addGroup(1, new int[] {1}, new int[] {1}, Fib.NO_GROUP);
        dataplane.fib().addRoute(IpPrefix.parse("10.10.1.0/24"), 0);
        dataplane.fib().addRoute(IpPrefix.parse("10.10.2.0/24"), 1);
        if (dataplane.adjacencies().get(1) == null)
        {
            close();
            throw new IllegalStateException("vbgw: no adjacency for the sink next hop after adding its static neighbour");
        }
        dataplane.start();
        workerThreadId = findThread(WORKER_THREAD);
    }

    private static PacketSocketOptions options(final PacketSocketOptions.TxMode txMode, final int rxBlockBytes,
        final int rxBlocks)
    {
        final PacketSocketOptions options = new PacketSocketOptions().qdiscBypass(true).tx(txMode, 1024)
            .socketBufferBytes(4 << 20);
        return rxBlockBytes > 0 ? options.rxRing(rxBlockBytes, rxBlocks) : options;
    }

    private static long findThread(final String name)
    {
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            for (final ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
            {
                if (info.getThreadName().equals(name))
                {
                    return info.getThreadId();
                }
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException("the data plane's worker thread " + name + " did not start within 5 s");
    }

    long workerThreadId()
    {
        return workerThreadId;
    }

    /** Frames the kernel dropped so far because the ingress port's ring was full (the worker did not keep up). */
    long ingressRingDrops()
    {
        return toGen.statistics().rxKernelDrops();
    }

    /** The worker's non-zero verdict and drop counters, by name. */
    Map<String, Long> verdicts()
    {
        final Map<String, Long> out = new TreeMap<>();
        dataplane.counters().forEach((id, label) ->
        {
            if (label.startsWith("worker "))
            {
                final long v = dataplane.counters().getCounterValue(id);
                if (v != 0)
                {
                    out.put(label.substring(label.indexOf(' ', 7) + 1), v);
                }
            }
        });
        return out;
    }

    /** Frames the worker counted as forwarded so far. */
    long forwarded()
    {
        return verdicts().getOrDefault(Verdict.name(Verdict.FORWARDED), 0L);
    }

    @Override
    public void close()
    {
        dataplane.close();
        toGen.close();
        toSink.close();
    }
}
