package org.vbgw.perf.failover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.HdrHistogram.Histogram;
import org.vbgw.agent.cli.RouteList;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.Port;
import org.vbgw.io.lab.Netns;
import org.vbgw.io.linux.PacketSocket;
import org.vbgw.io.linux.PacketSocketOptions;
import org.vbgw.perf.fib.RouteSource;

/**
 * The failover measurement: sequenced traffic from a VPC host through vbgw to the data center's prefixes over two
 * VIFs, the link of VIF A cut in each {@link FailureMode} again and again, the outage measured at the customer
 * router from lost sequence numbers, with percentiles over the repeats (HdrHistogram); for 1,000 and 1,000,000
 * routes and for active/active (ECMP) and active/standby (primary with backup group) in one run.
 * <p>
 * {@code perf/scripts/bench-failover.sh [options]} (as root), or
 * {@code java <vbgw.jvmFlags> -Xmx3g -cp perf/target/benchmarks.jar org.vbgw.perf.failover.FailoverBenchmark}
 * with {@code --routes 1000,1000000 --redundancy active-active,active-standby --modes port-down,route-withdrawn
 * --repeats 10 --rate 20000 --flows 20 --hold-down-ms 100 --warmup-ms 300 --hold-ms 300 --settle-ms 300
 * --max-delay-ms 100 --route-file FILE --json FILE}. A packet delayed more than {@code --max-delay-ms} counts as
 * lost (RFC 7680's Tmax). Results print as a table and go to a JSON file (per trial, with the
 * receiver's per-path time series for plots).
 */
public final class FailoverBenchmark
{
    private FailoverBenchmark()
    {
    }

    /** The command line, with the defaults the documented figures use. */
    record Options(List<Integer> routeCounts, List<FailoverGateway.Redundancy> redundancies, List<String> modes,
        int repeats, long ratePps, int flows, long holdDownMs, long warmupMs, long holdMs, long settleMs,
        long maxDelayMs, String routeFile, Path json, int bfdMs, int bfdMultiplier, int controlRtPriority,
        int workerNice, int peerRtPriority, boolean bfdCapture)
    {
        static Options parse(final String[] args)
        {
            final Map<String, String> o = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++)
            {
                if (!args[i].startsWith("--") || i + 1 >= args.length)
                {
                    throw new IllegalArgumentException("expected --option value, got '" + args[i] + "'; options: " +
                        "--routes --redundancy --modes --repeats --rate --flows --hold-down-ms --warmup-ms --hold-ms " +
                        "--settle-ms --max-delay-ms --route-file --json --bfd-ms --bfd-multiplier " +
                        "--control-rt-priority --worker-nice --peer-rt-priority --bfd-capture");
                }
                o.put(args[i].substring(2), args[++i]);
            }
            final List<Integer> counts = new ArrayList<>();
            for (final String s : o.getOrDefault("routes", "1000,1000000").split(","))
            {
                counts.add(Integer.parseInt(s.trim()));
            }
            final List<FailoverGateway.Redundancy> redundancies = new ArrayList<>();
            for (final String s : o.getOrDefault("redundancy", "active-active,active-standby").split(","))
            {
                redundancies.add(FailoverGateway.Redundancy.valueOf(s.trim().toUpperCase().replace('-', '_')));
            }
            final List<String> modes = List.of(o.getOrDefault("modes", "port-down,route-withdrawn").split(","));
            final Path json = Path.of(o.getOrDefault("json", "perf/target/failover-" +
                Instant.now().toString().replace(':', '-') + ".json"));
            return new Options(counts, redundancies, modes, Integer.parseInt(o.getOrDefault("repeats", "10")),
                Long.parseLong(o.getOrDefault("rate", "20000")), Integer.parseInt(o.getOrDefault("flows", "20")),
                Long.parseLong(o.getOrDefault("hold-down-ms", "100")), Long.parseLong(o.getOrDefault("warmup-ms", "300")),
                Long.parseLong(o.getOrDefault("hold-ms", "300")), Long.parseLong(o.getOrDefault("settle-ms", "300")),
                Long.parseLong(o.getOrDefault("max-delay-ms", "100")), o.get("route-file"), json,
                Integer.parseInt(o.getOrDefault("bfd-ms", "10")), Integer.parseInt(o.getOrDefault("bfd-multiplier", "3")),
                Integer.parseInt(o.getOrDefault("control-rt-priority", "50")),
                Integer.parseInt(o.getOrDefault("worker-nice", "-20")),
                Integer.parseInt(o.getOrDefault("peer-rt-priority", "50")),
                Boolean.parseBoolean(o.getOrDefault("bfd-capture", "true")));
        }

        FailureMode mode(final String name)
        {
            return switch (name.trim())
            {
                case "port-down" -> new PortDown(holdDownMs * 1_000_000L);
                case "route-withdrawn" -> new RouteWithdrawn();
                case "bfd-silenced" -> new BfdSilenced(holdDownMs * 1_000_000L);
                default -> throw new IllegalArgumentException("unknown failure mode '" + name +
                    "': port-down, route-withdrawn or bfd-silenced");
            };
        }
    }

    /**
     * Percentiles of one (routes, redundancy, mode) over its repeats, over all of them and over the clean ones
     * (no loss the cut does not explain; {@link TrialResult#clean()}).
     */
    record Summary(int routes, String redundancy, String mode, int repeats, int clean, Percentiles outageMs,
        Percentiles cleanOutageMs, Percentiles flowOutageMs, long failoverLostMedian, long survivingLost,
        long cleanSurvivingLost, long unexpectedLost, Percentiles failbackMs, int failbackMissing, long failbackLost,
        double cutCallP50Ms, double spacingMs, long survivorBfdDowns)
    {
    }

    /** p50, p90 and max in ms; NaN when there were no values. */
    record Percentiles(long count, double p50, double p90, double max)
    {
        static Percentiles of(final Histogram h)
        {
            return h.getTotalCount() == 0 ? new Percentiles(0, Double.NaN, Double.NaN, Double.NaN) :
                new Percentiles(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                    ms(h.getMaxValue()));
        }

        @Override
        public String toString()
        {
            return count == 0 ? "–" : String.format("%.2f / %.2f / %.2f", p50, p90, max);
        }
    }

    public static void main(final String[] args) throws IOException
    {
        final Options options = Options.parse(args);
        final List<TrialResult> trials = new ArrayList<>();
        final List<Summary> summaries = new ArrayList<>();
        final long started = System.currentTimeMillis();
        final boolean bfd = options.modes().stream().anyMatch(m -> m.trim().equals("bfd-silenced"));
        final int bfdMs = options.bfdMs();
        final int bfdMultiplier = options.bfdMultiplier();
        final Path bfdDir = bfd ? java.nio.file.Files.createTempDirectory("vbgw-failover-bfd") : null;
        try (FailoverLab lab = new FailoverLab())
        {
            // The customer router's BFD (BIRD 2), for the bfd-silenced mode: one session per connection.
            final Process bfdPeer = bfd ? lab.startBfdPeer(bfdDir, bfdMs, bfdMultiplier, options.peerRtPriority()) :
                null;
            if (bfdPeer != null)
            {
                System.out.println("BIRD (the customer router's BFD) logs to " + bfdDir.resolve("bird.log"));
            }
            // The kernel's timestamps of the BFD packets on the customer router's side: whose packets were late.
            final BfdWire wire = bfd && options.bfdCapture() ? BfdWire.capture(lab.idc, Map.of(
                "10.0.0.1>10.0.0.2", "gateway→BIRD A", "10.0.0.5>10.0.0.6", "gateway→BIRD B",
                "10.0.0.2>10.0.0.1", "BIRD→gateway A", "10.0.0.6>10.0.0.5", "BIRD→gateway B")) : null;
            final PacketSocket senderPort;
            final PacketSocket[] receiverPorts = new PacketSocket[2];
            try (Netns.Scope ignored = lab.vpc.enter())
            {
                senderPort = PacketSocket.open(lab.vpcIf, new PacketSocketOptions().qdiscBypass(true)
                    .tx(PacketSocketOptions.TxMode.RING, 4096).socketBufferBytes(16 << 20));
            }
            try (Netns.Scope ignored = lab.idc.enter())
            {
                receiverPorts[0] = PacketSocket.open(lab.idcAIf, new PacketSocketOptions().rxRing(16384, 1024)
                    .blockTimeoutMs(1));
                receiverPorts[1] = PacketSocket.open(lab.idcBIf, new PacketSocketOptions().rxRing(16384, 1024)
                    .blockTimeoutMs(1));
            }
            try
            {
                for (final int count : options.routeCounts())
                {
                    final List<IpPrefix> routes = routes(options.routeFile(), count);
                    final int[] destinations = destinations(routes, options.flows(), 20261122L);
                    final FailoverTrial trial = new FailoverTrial(senderPort, receiverPorts, destinations,
                        options.ratePps(), options.warmupMs(), options.holdMs(), options.settleMs(),
                        options.maxDelayMs());
                    for (final FailoverGateway.Redundancy redundancy : options.redundancies())
                    {
                        try (FailoverGateway gateway = new FailoverGateway(lab, routes, redundancy,
                            options.holdDownMs() * 1_000_000L))
                        {
                            System.out.printf("%,d routes, %s: loaded through the RIB and the journal in %.2f s%n",
                                count, redundancy.label, gateway.loadSeconds);
                            // Only with BFD: a SCHED_FIFO control thread that applies a million journal entries
                            // (route-withdrawn) would hold a CPU for seconds and run into the kernel's real-time
                            // throttling, which stops it for 50 ms of every second.
                            for (final String line : bfd ? gateway.prioritise(options.controlRtPriority(),
                                options.workerNice()) : List.<String>of())
                            {
                                System.out.println("  scheduling: " + line);
                            }
                            if (bfd)
                            {
                                gateway.enableBfd(bfdMs * 1000L, bfdMultiplier, options.holdDownMs() * 1_000_000L);
                                // Up, and stable for 2 s with path A usable: the first seconds renegotiate the
                                // timers from the 1 s idle rate down to the configured one (a poll sequence).
                                final long deadline = System.nanoTime() + 30_000_000_000L;
                                long upSince = 0;
                                while (System.nanoTime() < deadline)
                                {
                                    final boolean up = gateway.bfdUp() && gateway.pathAUsable();
                                    upSince = up ? (upSince == 0 ? System.nanoTime() : upSince) : 0;
                                    if (upSince != 0 && System.nanoTime() - upSince > 2_000_000_000L)
                                    {
                                        break;
                                    }
                                    // Sleep, not spin: this thread must not take the CPU from the gateway's.
                                    FailoverGateway.sleepMs(5);
                                }
                                if (upSince == 0 || !gateway.bfdUp())
                                {
                                    throw new IllegalStateException("BFD did not come up with the customer router: " +
                                        gateway.bfdState());
                                }
                                System.out.printf("  BFD Up on both connections, %d ms x %d%n", bfdMs, bfdMultiplier);
                            }
                            for (final String name : options.modes())
                            {
                                final FailureMode mode = options.mode(name);
                                final List<TrialResult> these = new ArrayList<>();
                                for (int r = 0; r < options.repeats(); r++)
                                {
                                    final TrialResult t = trial.run(mode, lab, gateway, trials.size(), wire);
                                    these.add(t);
                                    trials.add(t);
                                    System.out.printf("  %-15s #%d: outage %.2f ms (worst of %d flows on A, %d moved to B), lost %d, " +
                                            "surviving flows lost %d, failback %.1f ms (lost %d), cut handed over in %.1f ms%n",
                                        mode.name(), r, t.outageNs() / 1e6, t.affectedFlows(), t.switchedFlows(), t.failoverLost(),
                                        t.survivingLost(), t.failbackNs() / 1e6, t.failbackLost(), t.cutCallNs() / 1e6);
                                    if (t.survivorBfdDowns() > 0 || !t.bfdWireGapsMs().isEmpty())
                                    {
                                        System.out.printf("      BFD packets' longest gaps on the wire after an Up " +
                                            "packet, ms: %s; the gateway's late packets: %s%n", t.bfdWireGapsMs(),
                                            t.counters().entrySet().stream().filter(c -> c.getKey().startsWith("bfd vif"))
                                                .map(c -> c.getKey().substring(4) + " " + c.getValue()).toList());
                                        t.events().stream().filter(e -> e.contains(" bfd "))
                                            .forEach(e -> System.out.println("      " + e));
                                    }
                                }
                                summaries.add(summarise(these));
                            }
                        }
                    }
                }
            }
            finally
            {
                if (wire != null)
                {
                    wire.close();
                }
                if (bfdPeer != null)
                {
                    bfdPeer.destroy();
                }
                senderPort.close();
                for (final Port p : receiverPorts)
                {
                    p.close();
                }
            }
        }
        print(summaries, options);
        write(options, summaries, trials, started);
    }

    static Summary summarise(final List<TrialResult> trials)
    {
        final Histogram outage = histogram();
        final Histogram cleanOutage = histogram();
        final Histogram flowOutage = histogram();
        final Histogram failback = histogram();
        final Histogram cutCall = histogram();
        final Histogram lost = histogram();
        long surviving = 0;
        long cleanSurviving = 0;
        long unexpected = 0;
        long failbackLost = 0;
        int failbackMissing = 0;
        int clean = 0;
        long survivorBfdDowns = 0;
        for (final TrialResult t : trials)
        {
            survivorBfdDowns += t.survivorBfdDowns();
            outage.recordValue(t.outageNs());
            if (t.clean())
            {
                clean++;
                cleanOutage.recordValue(t.outageNs());
                cleanSurviving += t.survivingLost();
            }
            t.flowOutagesNs().forEach(flowOutage::recordValue);
            if (t.failbackNs() >= 0)
            {
                failback.recordValue(t.failbackNs());
            }
            else
            {
                failbackMissing++;
            }
            cutCall.recordValue(t.cutCallNs());
            lost.recordValue(t.failoverLost());
            surviving += t.survivingLost();
            unexpected += t.unexpectedLost();
            failbackLost += t.failbackLost();
        }
        final TrialResult first = trials.get(0);
        return new Summary(first.routes(), first.redundancy(), first.mode(), trials.size(), clean,
            Percentiles.of(outage), Percentiles.of(cleanOutage), Percentiles.of(flowOutage),
            lost.getValueAtPercentile(50), surviving, cleanSurviving, unexpected, Percentiles.of(failback),
            failbackMissing, failbackLost, ms(cutCall.getValueAtPercentile(50)), first.spacingNs() / 1e6,
            survivorBfdDowns);
    }

    private static Histogram histogram()
    {
        return new Histogram(3_600_000_000_000L, 3);
    }

    private static double ms(final long ns)
    {
        return ns / 1e6;
    }

    private static void print(final List<Summary> summaries, final Options options)
    {
        System.out.printf("%nOutage at the cut, worst flow on VIF A per repeat, ms as p50 / p90 / max (%d repeats each; " +
            "%,d pps over %d flows: one flow's spacing %.2f ms)%n", options.repeats(), options.ratePps(), options.flows(),
            options.flows() * 1e3 / options.ratePps());
        System.out.println("| routes | redundancy | mode | outage, all repeats | clean repeats | outage, clean | " +
            "per-flow outage | lost (median) | surviving flows lost (all / clean) | unexplained loss | " +
            "failback ms | failback lost | cut handed over, p50 ms | B's BFD session down |");
        System.out.println("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (final Summary s : summaries)
        {
            System.out.printf("| %,d | %s | %s | %s | %d of %d | %s | %s | %d | %d / %d | %d | %s%s | %d | %.1f | %d |%n",
                s.routes(), s.redundancy(), s.mode(), s.outageMs(), s.clean(), s.repeats(), s.cleanOutageMs(),
                s.flowOutageMs(), s.failoverLostMedian(), s.survivingLost(), s.cleanSurvivingLost(),
                s.unexpectedLost(), s.failbackMs(), s.failbackMissing() > 0 ? " (" + s.failbackMissing() +
                " never)" : "", s.failbackLost(), s.cutCallP50Ms(), s.survivorBfdDowns());
        }
    }

    private static void write(final Options options, final List<Summary> summaries, final List<TrialResult> trials,
        final long started) throws IOException
    {
        final Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("started", Instant.ofEpochMilli(started).toString());
        doc.put("options", options);
        doc.put("summaries", summaries);
        doc.put("trials", trials);
        if (options.json().getParent() != null)
        {
            Files.createDirectories(options.json().getParent());
        }
        new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).writeValue(options.json().toFile(), doc);
        System.out.println("JSON (every trial, with packets per ms per VIF): " + options.json());
    }

    /** {@code count} IPv4 routes: the first of a route file (real prefixes), else the synthetic table. */
    static List<IpPrefix> routes(final String routeFile, final int count)
    {
        final RouteList list = RouteSource.load(routeFile != null ? routeFile : "synthetic-" + count);
        if (list.ipv4Count() < count)
        {
            throw new IllegalArgumentException(routeFile + " holds " + list.ipv4Count() + " IPv4 routes, fewer than " +
                count + " (the synthetic table has any number)");
        }
        final List<IpPrefix> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            out.add(IpPrefix.ipv4(list.ipv4Prefixes()[i], list.ipv4Lengths()[i]));
        }
        return out;
    }

    /**
     * One destination per flow, each in a different route drawn at random (a host address inside it), none in the
     * lab's own subnets.
     */
    static int[] destinations(final List<IpPrefix> routes, final int flows, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int[] out = new int[flows];
        final java.util.Set<Integer> used = new java.util.HashSet<>();
        int n = 0;
        int attempts = 0;
        while (n < flows)
        {
            if (++attempts > 1_000_000)
            {
                throw new IllegalArgumentException("cannot draw " + flows + " destinations from " + routes.size() +
                    " routes");
            }
            final int index = random.nextInt(routes.size());
            final IpPrefix p = routes.get(index);
            final int hostBits = 32 - p.length();
            final int host = hostBits == 0 ? 0 : random.nextInt() & (int)((1L << hostBits) - 1);
            final int address = p.ipv4Address() | host;
            final int top8 = address >>> 24;
            if (top8 == 10 || (address >>> 16) == 0xC0A8 || top8 == 0 || top8 == 127 || top8 >= 224 ||
                !used.add(index))
            {
                continue;
            }
            out[n++] = address;
        }
        return out;
    }
}
