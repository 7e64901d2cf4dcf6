package org.vbgw.agent.cli;

import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.config.PortConfig;
import org.vbgw.agent.run.GatewayRuntime;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.dataplane.neighbour.NeighbourResolver;
import org.vbgw.dataplane.packet.PacketError;
import org.vbgw.dataplane.pipeline.Forwarder;
import org.vbgw.dataplane.pipeline.Verdict;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.fib.IpPrefix;
import org.vbgw.fib.NextHop;
import org.vbgw.io.pcap.PcapPort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code vbgw replay CONFIG --in PORT=FILE.pcap ... --out DIR [--trace]}: runs the real pipeline, FIB and
 * neighbour state of a config over captured frames, without root or interfaces, and writes what each port
 * would transmit ({@code DIR/PORT.pcap}) and the counters. {@code --trace} prints each frame's path (VIF, next
 * hop, egress) or its exact drop reason: why was this packet dropped?
 * <p>
 * Next hops resolve to synthetic MACs ({@code 02:fe:} and the neighbour's address) unless
 * {@code --no-synthetic-neighbours}: a capture rarely holds the ARP replies a real run would have had.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Run captured frames through the gateway's pipeline offline; write what each port sends.")
public final class ReplayCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "The gateway config (YAML).")
    Path configFile;

    @Option(names = "--in", required = true, description = "PORT=FILE.pcap (pcap or pcapng): frames received on a port.")
    Map<String, Path> inputs;

    @Option(names = "--out", required = true, description = "Directory for PORT.pcap (what each port transmits).")
    Path outDir;

    @Option(names = "--trace", description = "Print each frame's path or drop reason.")
    boolean trace;

    @Option(names = "--no-synthetic-neighbours", description = "Leave next hops unresolved unless the capture resolves them.")
    boolean noSyntheticNeighbours;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final ConfigCheck check = ConfigCheck.of(configFile);
        if (!check.ok())
        {
            check.errors().forEach(d -> spec.commandLine().getErr().println(d));
            return 1;
        }
        for (final String port : inputs.keySet())
        {
            if (check.config().port(port).isEmpty())
            {
                throw new IllegalArgumentException("--in " + port + ": no such port in " + configFile);
            }
        }
        Files.createDirectories(outDir);
        final Path state = Files.createTempDirectory("vbgw-replay");
        final Map<String, PcapPort> pcaps = new HashMap<>();
        try (GatewayRuntime runtime = new GatewayRuntime(check.config(), state.resolve("journal"),
            (port, worker, workers) -> open(port, pcaps), tap -> null, Dataplane.Config.defaults()))
        {
            runtime.applyJournal();
            final Dataplane dp = runtime.dataplane();
            if (!noSyntheticNeighbours)
            {
                resolveSynthetically(dp);
            }
            final Forwarder forwarder = dp.worker(0).forwarder();
            final Map<String, Long> verdicts = new TreeMap<>();
            long frame = 0;
            boolean more = true;
            while (more)
            {
                more = false;
                for (int p = 0; p < dp.portCount(); p++)
                {
                    final PcapPort port = pcaps.get(check.config().ports().get(p).name());
                    if (port.exhausted())
                    {
                        continue;
                    }
                    more = true;
                    // One frame per poll, so each verdict belongs to exactly one frame.
                    if (forwarder.poll(p, 1, port.lastTimestampNs()) == 1)
                    {
                        frame++;
                        verdicts.merge(Verdict.name(forwarder.lastVerdict()), 1L, Long::sum);
                        if (trace)
                        {
                            out.println(traceLine(frame, port.name(), forwarder, dp));
                        }
                    }
                    while (dp.doControlWork() > 0)
                    {
                        // let the control thread answer ARP, release waiting packets, run timers
                    }
                }
            }
            out.println(frame + " frames replayed");
            verdicts.forEach((v, n) -> out.printf("  %-28s %,d%n", v, n));
            for (final PcapPort port : pcaps.values())
            {
                out.printf("port %-12s received %,d, sent %,d -> %s%n", port.name(), port.statistics().rxFrames(),
                    port.statistics().txFrames(), outDir.resolve(port.name() + ".pcap"));
            }
        }
        out.flush();
        return 0;
    }

    private PcapPort open(final PortConfig port, final Map<String, PcapPort> pcaps)
    {
        final long mac = 0x02_00_00_00_00_00L | (pcaps.size() + 1);
        final PcapPort pcap = PcapPort.open(port.name(), inputs.get(port.name()), outDir.resolve(port.name() + ".pcap"),
            port.mtuBytes(), mac);
        pcaps.put(port.name(), pcap);
        return pcap;
    }

    /** Every next hop with an address gets a static neighbour at 02:fe:(its address), so frames can leave. */
    private static void resolveSynthetically(final Dataplane dp)
    {
        for (int id = 0; id < NeighbourResolver.FIRST_HOST_NEXT_HOP_ID; id++)
        {
            final NextHop nh = dp.fib().nextHop(id);
            if (nh != null && (nh.neighbourHi() != 0 || nh.neighbourLo() != 0))
            {
                dp.addStaticNeighbour(nh.vifId(), nh.ipv6(), nh.neighbourHi(), nh.neighbourLo(),
                    0x02_FE_00_00_00_00L | (nh.neighbourLo() & 0xFFFF_FFFFL));
            }
        }
    }

    private static String traceLine(final long frame, final String port, final Forwarder forwarder, final Dataplane dp)
    {
        final StringBuilder sb = new StringBuilder().append('#').append(frame).append(' ').append(port).append(": ");
        final int vifId = forwarder.lastVifId();
        final Vif vif = vifId < 0 ? null : dp.vifs().snapshot().vif(vifId);
        if (vif != null)
        {
            sb.append("vif ").append(vif.name()).append(" -> ");
        }
        final int verdict = forwarder.lastVerdict();
        sb.append(Verdict.name(verdict));
        if (verdict == Verdict.DROP_MALFORMED)
        {
            sb.append(" (").append(PacketError.name(forwarder.lastDetail())).append(')');
        }
        final int nhId = forwarder.lastNextHopId();
        final NextHop nh = nhId < 0 ? null : dp.fib().nextHop(nhId);
        if (nh != null)
        {
            final Vif out = dp.vifs().snapshot().vif(nh.vifId());
            sb.append(" via ").append(nh.neighbourHi() == 0 && nh.neighbourLo() == 0 ? "attached"
                : IpPrefix.format(nh.ipv6(), nh.neighbourHi(), nh.neighbourLo()))
                .append(" on vif ").append(out == null ? "?" : out.name())
                .append(" (next hop ").append(nhId).append(')');
        }
        return sb.toString();
    }
}
