package org.vbgw.agent.lab;

import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.vbgw.dataplane.counters.CountersFile;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.MacAddress;
import org.vbgw.io.Port;
import org.vbgw.io.lab.Netns;
import org.vbgw.io.lab.SequencedReceiver;
import org.vbgw.io.lab.SequencedSender;
import org.vbgw.io.lab.TrafficReport;
import org.vbgw.io.linux.PacketSocket;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Sequenced traffic through a lab, from the VPC host to the IDC host: a {@link SequencedSender} on a packet
 * socket opened inside the VPC host's namespace (frames addressed to the gateway's MAC, so the host's kernel
 * routes nothing), a {@link SequencedReceiver} on one inside the IDC host's, and a sampler that reads the
 * gateway's per-VIF transmit counters from its counters file every {@link #SAMPLE_INTERVAL_NS}, so a caller gets
 * packets per second per VIF over time and, at {@link #stop()}, the lost sequence numbers of every flow.
 * <p>
 * Threads: one each for sender, receiver and sampler; {@link #samples()} and {@link #lastPps()} may be called
 * from any thread while traffic runs; {@link #stop()} once.
 */
public final class LabTraffic implements AutoCloseable
{
    /** The gateway's counters are sampled this often. */
    public static final long SAMPLE_INTERVAL_NS = 100_000_000L;
    /** UDP destination port of the lab's traffic. */
    public static final int UDP_PORT = 47_000;
    private static final int FIRST_SOURCE_PORT = 20_000;
    private static final long BUCKET_NS = 10_000_000L;
    private static final long MAX_DELAY_NS = 500_000_000L;

    private final LabState state;
    private final List<String> vifs;
    private final PacketSocket senderPort;
    private final PacketSocket receiverPort;
    private final SequencedSender sender;
    private final SequencedReceiver receiver;
    private final AgentRunner senderRunner;
    private final AgentRunner receiverRunner;
    private final CountersFile counters;
    private final Thread sampler;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private volatile boolean sampling = true;
    private Result result;

    /**
     * Cumulative transmit packets per VIF (in the lab's path order) at one moment.
     *
     * @param timeNs {@link System#nanoTime()}, the clock of the traffic's send stamps
     */
    public record Sample(long timeNs, long[] txPackets)
    {
    }

    /**
     * What a run of traffic saw.
     *
     * @param report        per flow losses and outages at the IDC host (one receive path: its interface)
     * @param vifs          the lab's VIFs, the order of every per-VIF array
     * @param samples       the gateway's per-VIF transmit counters every {@link #SAMPLE_INTERVAL_NS}
     * @param flowSpacingNs how far apart a flow's packets were sent: the outage's resolution
     */
    /**
     * @param receiverDrops frames the receiver's own ring dropped (PACKET_STATISTICS): this machine stalled the
     *                      receiver, so lost sequence numbers may not be the network's. 0 for a sound measurement.
     */
    public record Result(TrafficReport report, List<String> vifs, List<Sample> samples, long flowSpacingNs,
        long receiverDrops)
    {
        /** Packets lost over every flow. */
        public long lost()
        {
            return report.flows().stream().mapToLong(TrafficReport.Flow::lost).sum();
        }

        /** Packets sent over every flow. */
        public long sent()
        {
            return report.flows().stream().mapToLong(TrafficReport.Flow::sent).sum();
        }

        /** The longest outage of any flow (ns), 0 when nothing was lost. */
        public long worstOutageNs()
        {
            return report.flows().stream().flatMap(f -> f.gaps().stream()).mapToLong(TrafficReport.Gap::outageNs)
                .max().orElse(0);
        }

        /** Packets per second per VIF between consecutive samples: {@code [sample - 1][vif]}. */
        public double[][] ppsSeries()
        {
            return LabTraffic.pps(samples);
        }
    }

    private LabTraffic(final LabState state, final int flows, final long ratePps, final long maxDurationNs)
    {
        this.state = state;
        this.vifs = state.paths().stream().map(LabState.LabPath::vif).toList();
        final LabState.Host vpc = state.vpcHost();
        final LabState.Host idc = state.idcHosts().get(0);
        if (vpc.mac() == null || vpc.gatewayMac() == null)
        {
            throw new IllegalStateException("lab " + state.name() + " has not learned its VPC host's MACs (lab.json)");
        }
        try (Netns.Scope ignored = Netns.enter(vpc.namespace()))
        {
            senderPort = PacketSocket.open(vpc.interfaceName());
        }
        try (Netns.Scope ignored = Netns.enter(idc.namespace()))
        {
            receiverPort = PacketSocket.open(idc.interfaceName());
        }
        catch (final RuntimeException ex)
        {
            senderPort.close();
            throw ex;
        }
        final int[] dst = new int[flows];
        Arrays.fill(dst, ipv4(idc.ip()));
        sender = new SequencedSender(senderPort, new SequencedSender.Flows(MacAddress.parse(vpc.gatewayMac()),
            MacAddress.parse(vpc.mac()), ipv4(vpc.ip()), dst, FIRST_SOURCE_PORT, UDP_PORT), ratePps);
        receiver = new SequencedReceiver(new Port[] {receiverPort}, UDP_PORT, flows, BUCKET_NS, maxDurationNs, MAX_DELAY_NS);
        counters = CountersFile.openForReading(state.countersFile());
        receiverRunner = new AgentRunner(new BackoffIdleStrategy(10, 10, 1_000, 100_000), Throwable::printStackTrace,
            null, receiver);
        senderRunner = new AgentRunner(new BackoffIdleStrategy(10, 10, 1_000, 50_000), Throwable::printStackTrace,
            null, sender);
        sampler = new Thread(this::sample, "lab-traffic-sampler");
        sampler.setDaemon(true);
    }

    /**
     * Starts {@code flows} flows at {@code ratePps} packets/s in total from the VPC host to the IDC host, for at
     * most {@code maxDurationNs} of time series.
     */
    public static LabTraffic start(final LabState state, final int flows, final long ratePps, final long maxDurationNs)
    {
        if (flows < 1 || ratePps < flows)
        {
            throw new IllegalArgumentException("traffic needs at least one flow and a rate >= flows: " + flows +
                " flows at " + ratePps + " packets/s");
        }
        // One ping first: the customer router resolves the IDC host (a kernel queues 3 packets per unresolved
        // neighbour and drops the rest), so the first lost packets are not the lab's set-up.
        Lab.quietly(() -> Lab.exec(state.vpcHost().namespace(), "ping", "-c", "1", "-W", "2",
            state.idcHosts().get(0).ip().split("/")[0]));
        final LabTraffic traffic = new LabTraffic(state, flows, ratePps, maxDurationNs);
        traffic.sample(System.nanoTime());
        traffic.sampler.start();
        AgentRunner.startOnThread(traffic.receiverRunner);
        AgentRunner.startOnThread(traffic.senderRunner);
        return traffic;
    }

    private void sample()
    {
        long next = System.nanoTime() + SAMPLE_INTERVAL_NS;
        while (sampling)
        {
            final long wait = next - System.nanoTime();
            if (wait > 0)
            {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
                continue;
            }
            sample(System.nanoTime());
            next += SAMPLE_INTERVAL_NS;
        }
    }

    private void sample(final long now)
    {
        final long[] tx = new long[vifs.size()];
        counters.reader().forEach((value, id, label) ->
        {
            for (int v = 0; v < tx.length; v++)
            {
                if (label.startsWith("vif " + vifs.get(v) + " tx_packets"))
                {
                    tx[v] += value;
                }
            }
        });
        samples.add(new Sample(now, tx));
    }

    /** The samples so far. */
    public List<Sample> samples()
    {
        return List.copyOf(samples);
    }

    /** The VIFs, in the order of every per-VIF array. */
    public List<String> vifs()
    {
        return vifs;
    }

    /** Packets per second per VIF over the last sample interval (zeros before two samples). */
    public double[] lastPps()
    {
        final List<Sample> s = samples();
        if (s.size() < 2)
        {
            return new double[vifs.size()];
        }
        final double[][] series = pps(s.subList(s.size() - 2, s.size()));
        return series[0];
    }

    /** Frames the IDC host has received so far. */
    public long received()
    {
        return receiver.received();
    }

    /** Frames sent so far. */
    public long sent()
    {
        return sender.sent();
    }

    /** Packets per second per VIF between consecutive samples. */
    static double[][] pps(final List<Sample> samples)
    {
        final double[][] out = new double[Math.max(0, samples.size() - 1)][];
        for (int i = 1; i < samples.size(); i++)
        {
            final Sample a = samples.get(i - 1);
            final Sample b = samples.get(i);
            final double seconds = (b.timeNs() - a.timeNs()) / 1e9;
            out[i - 1] = new double[a.txPackets().length];
            for (int v = 0; v < a.txPackets().length; v++)
            {
                out[i - 1][v] = seconds <= 0 ? 0 : (b.txPackets()[v] - a.txPackets()[v]) / seconds;
            }
        }
        return out;
    }

    /**
     * Stops sending, lets the last packets arrive ({@code drainMs}), stops receiving and sampling, and returns what
     * the run saw. Call once; {@link #close()} afterwards releases the sockets.
     */
    public Result stop(final long drainMs) throws InterruptedException
    {
        if (result != null)
        {
            return result;
        }
        sender.stop();
        CloseHelper.quietClose(senderRunner);
        Thread.sleep(drainMs);
        CloseHelper.quietClose(receiverRunner);
        sampling = false;
        sampler.join(1_000);
        final TrafficReport report = receiver.report(sender.sentPerFlow(), sender.flowSpacingNs(), List.of("idc"));
        result = new Result(report, vifs, new ArrayList<>(samples), sender.flowSpacingNs(),
            receiverPort.statistics().rxKernelDrops());
        return result;
    }

    @Override
    public void close()
    {
        try
        {
            stop(0);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        CloseHelper.quietCloseAll(senderPort, receiverPort, counters);
    }

    private static int ipv4(final String addressWithOptionalLength)
    {
        final String address = addressWithOptionalLength.contains("/")
            ? addressWithOptionalLength.substring(0, addressWithOptionalLength.indexOf('/')) : addressWithOptionalLength;
        return IpPrefix.parse(address + "/32").ipv4Address();
    }

    @Override
    public String toString()
    {
        return "traffic through lab " + state.name();
    }
}
