package org.vbgw.agent.demo;

import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.config.GatewayConfig;
import org.vbgw.agent.config.PortConfig;
import org.vbgw.agent.config.VifConfig;
import org.vbgw.agent.run.GatewayRuntime;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.LinkState;
import org.vbgw.io.MemoryPort;
import org.vbgw.io.Port;
import org.vbgw.io.lab.SequencedSender;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The demo topology with no kernel in it: the real gateway (config, RIB, journal, FIB, pipeline, ARP, carrier
 * detector, on their own threads) whose ports are {@link MemoryPort}s; at the far end of each dedicated
 * connection a {@link CustomerEdge}, at the far end of the VPC port a host sending sequenced traffic
 * ({@link SequencedSender}). A link is cut and
 * restored by setting the MemoryPort pair's link state, which is what the gateway's carrier detector reads.
 * <p>
 * {@link #step()} runs the far ends; call it from one thread.
 */
public final class MemoryLab implements AutoCloseable
{
    /** The config the demo runs, a resource next to this class. */
    public static final String CONFIG_RESOURCE = "demo-gateway.yaml";
    /** The UDP port of the demo's traffic. */
    static final int UDP_PORT = 40_000;
    private static final int VPC_HOST = IpPrefix.parse("10.100.0.10/32").ipv4Address();

    private final GatewayConfig config;
    private final Path stateDir;
    private final GatewayRuntime runtime;
    private final Map<String, MemoryPort[]> links = new HashMap<>();
    private final List<CustomerEdge> edges = new ArrayList<>();
    private final List<String> pathNames = new ArrayList<>();
    private final List<String> pathPorts = new ArrayList<>();
    private final FlowLedger ledger;
    private final SequencedSender host;
    private final MemoryPort vpcFar;

    /**
     * @param flows        flows of demo traffic, spread over the data center's prefix.
     * @param ratePps      packets per second of all flows together.
     * @param holdDownNs   how long a restored connection stays out of use (the carrier hold-down).
     */
    public MemoryLab(final int flows, final long ratePps, final long holdDownNs)
    {
        this.config = loadConfig();
        try
        {
            this.stateDir = Files.createTempDirectory("vbgw-demo");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create the demo's state directory", ex);
        }
        for (final PortConfig p : config.ports())
        {
            links.put(p.name(), MemoryPort.pair(p.name(), p.name() + "-far", 1 << 22, p.mtuBytes()));
        }
        final Dataplane.Config dp = Dataplane.Config.defaults().withCarrierHoldDownNs(holdDownNs);
        this.runtime = new GatewayRuntime(config, stateDir.resolve("journal"),
            (port, worker, workers) -> links.get(port.name())[0], spec -> null, dp);
        final List<VifConfig> dx = config.vifs();
        final long spacing = flows * 1_000_000_000L / ratePps;
        this.ledger = new FlowLedger(flows, dx.size(), spacing);
        for (int i = 0; i < dx.size(); i++)
        {
            final VifConfig v = dx.get(i);
            edges.add(new CustomerEdge(links.get(v.port())[1], i, v.vlan(), v.ipv4().peer().host().ipv4Address(), ledger));
            pathNames.add(v.name());
            pathPorts.add(v.port());
        }
        final String vpcPort = config.vpcAttachments().get(0).port();
        this.vpcFar = links.get(vpcPort)[1];
        final Vif vpcVif = runtime.vifs().stream().filter(v -> v.name().equals(config.vpcAttachments().get(0).name()))
            .findFirst().orElseThrow();
        final int idc = config.vifs().get(0).remoteSubnets().get(0).prefix().ipv4Address();
        final int[] destinations = new int[flows];
        for (int f = 0; f < flows; f++)
        {
            // Spread over the data center's /12, one host per flow.
            destinations[f] = idc + (f * 7919 % 65_000) * 16 + 1 + f % 13;
        }
        this.host = new SequencedSender(vpcFar, new SequencedSender.Flows(vpcVif.mac(), vpcFar.macAddress(), VPC_HOST,
            destinations, UDP_PORT + 1, UDP_PORT), ratePps);
    }

    /** Programs the FIB and starts the gateway's threads. */
    public void start()
    {
        runtime.applyJournal();
        runtime.start();
    }

    /** Runs the far ends once: traffic due, frames received. Returns the work done. */
    public int step()
    {
        int work = host.doWork();
        for (final CustomerEdge e : edges)
        {
            work += e.poll();
        }
        work += vpcFar.receive((b, o, l) -> { }, 256);
        return work;
    }

    /** Cuts (false) or restores (true) the connection of path {@code path}: both ends of its link. */
    public void link(final int path, final boolean up)
    {
        links.get(pathPorts.get(path))[0].linkState(up ? LinkState.UP : LinkState.DOWN);
    }

    /** Makes the far end of a path drop everything it receives (true) or receive again (false). */
    public void silence(final int path, final boolean silent)
    {
        edges.get(path).silence(silent);
    }

    public boolean linkUp(final int path)
    {
        return links.get(pathPorts.get(path))[0].linkState() == LinkState.UP;
    }

    public int paths()
    {
        return edges.size();
    }

    public String pathName(final int path)
    {
        return pathNames.get(path);
    }

    public String portName(final int path)
    {
        return pathPorts.get(path);
    }

    public long pathPackets(final int path)
    {
        return ledger.pathPackets(path);
    }

    /** Flows whose last packet came over {@code path}. */
    public int flowsOn(final int path)
    {
        int n = 0;
        for (int f = 0; f < ledger.flows(); f++)
        {
            n += ledger.lastPath(f) == path ? 1 : 0;
        }
        return n;
    }

    public int flows()
    {
        return ledger.flows();
    }

    public int lastPath(final int flow)
    {
        return ledger.lastPath(flow);
    }

    public long lost()
    {
        return ledger.lost();
    }

    public long lost(final int flow)
    {
        return ledger.lost(flow);
    }

    public long worstOutageNs(final int flow)
    {
        return ledger.worstOutageNs(flow);
    }

    public void resetGaps()
    {
        ledger.resetGaps();
    }

    public long sent()
    {
        return host.sent();
    }

    public long flowSpacingNs()
    {
        return host.flowSpacingNs();
    }

    /** TTL of the last demo packet received over a path. */
    public int lastTtl(final int path)
    {
        return edges.get(path).lastTtl();
    }

    public long arpAnswered(final int path)
    {
        return edges.get(path).arpAnswered();
    }

    public GatewayRuntime runtime()
    {
        return runtime;
    }

    public GatewayConfig config()
    {
        return config;
    }

    @Override
    public void close()
    {
        runtime.close();
        links.values().forEach(pair ->
        {
            for (final Port p : pair)
            {
                p.close();
            }
        });
        try (Stream<Path> files = Files.walk(stateDir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException ignored)
        {
            // a temporary directory left behind is harmless
        }
    }

    static GatewayConfig loadConfig()
    {
        try (InputStream in = MemoryLab.class.getResourceAsStream(CONFIG_RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException("the demo config " + CONFIG_RESOURCE + " is missing from the build");
            }
            final ConfigCheck check = ConfigCheck.of(CONFIG_RESOURCE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (!check.ok())
            {
                throw new IllegalStateException("the demo config does not pass its own check: " + check.errors());
            }
            return check.config();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
