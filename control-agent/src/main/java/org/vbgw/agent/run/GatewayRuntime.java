package org.vbgw.agent.run;

import org.vbgw.agent.config.CidrBlock;
import org.vbgw.agent.config.GatewayConfig;
import org.vbgw.agent.config.InterfaceAddress;
import org.vbgw.agent.config.PortConfig;
import org.vbgw.agent.config.StaticNeighbour;
import org.vbgw.agent.config.StaticNextHop;
import org.vbgw.agent.config.StaticRoute;
import org.vbgw.agent.config.VifConfig;
import org.vbgw.agent.config.VpcAttachment;
import org.vbgw.agent.config.VpnBackup;
import org.vbgw.agent.frr.FrrConfig;
import org.vbgw.agent.frr.FrrDaemons;
import org.vbgw.agent.journal.FibJournal;
import org.vbgw.agent.journal.JournalApplier;
import org.vbgw.agent.rib.Rib;
import org.vbgw.agent.rib.RibPath;
import org.vbgw.agent.rib.RouteSource;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.dataplane.counters.CounterKind;
import org.vbgw.dataplane.vif.SourceCheck;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.MacAddress;
import org.vbgw.io.Port;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A gateway config turned into a running gateway: ports opened, VIFs (one per configured VIF, plus an
 * untagged one per VPC attachment) on the data plane, the RIB filled from connected subnets, static routes,
 * remote subnets and VPN backups, and the RIB's FIB programmed through the journal that the data plane
 * applies.
 * <p>
 * The VPC side follows the cloud convention: the gateway answers at the first address of each VPC CIDR (the
 * VPC router), and the CIDRs are connected subnets whose hosts the data plane resolves itself.
 */
public final class GatewayRuntime implements AutoCloseable
{
    /** Distance of a remote subnet routed statically to its VIF's peer (no BGP on the VIF). */
    static final int REMOTE_SUBNET_DISTANCE = 1;
    /** Distance of a VPN backup: the last resort, below every direct path. */
    static final int VPN_DISTANCE = 250;
    /** Journal entries between two snapshots: bounds replay after a restart to a snapshot and this tail. */
    static final long SNAPSHOT_EVERY = 100_000;
    /** Distance of a route named as another route's explicit backup. */
    static final int EXPLICIT_BACKUP_DISTANCE = 254;

    private final GatewayConfig config;
    private final Dataplane dataplane;
    private final FibJournal journal;
    private final Rib rib;
    private final JournalApplier applier;
    private final Map<String, Integer> vifIds = new HashMap<>();
    private final List<Vif> vifs = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Port[][] handles;
    private final Map<String, List<String>> tapAddresses = new HashMap<>();
    private org.vbgw.agent.fpm.FpmServer fpm;
    private FrrDaemons frr;

    /**
     * @param ports    opens the port of a port config (a PacketSocket on its interface, or a MemoryPort in tests).
     * @param taps     opens the host TAP of a VIF, or returns null for none.
     * @param dpConfig data plane sizes and options.
     */
    /** Opens worker {@code worker}'s handle (of {@code workers}) on a configured port. */
    @FunctionalInterface
    public interface PortOpener
    {
        Port open(PortConfig port, int worker, int workers);
    }

    public GatewayRuntime(final GatewayConfig config, final Path journalDir, final PortOpener ports,
        final Function<HostTapSpec, Port> taps, final Dataplane.Config dpConfig)
    {
        this.config = config;
        final int workers = Math.max(1, dpConfig.workers());
        final Port[][] opened = new Port[workers][config.ports().size()];
        final Map<String, Integer> portIndex = new HashMap<>();
        try
        {
            for (int i = 0; i < config.ports().size(); i++)
            {
                portIndex.put(config.ports().get(i).name(), i);
                for (int w = 0; w < workers; w++)
                {
                    opened[w][i] = ports.open(config.ports().get(i), w, workers);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            closeAll(opened);
            throw ex;
        }
        this.handles = opened;
        this.dataplane = new Dataplane(opened, dpConfig, new org.agrona.concurrent.OffsetEpochNanoClock());
        // The sizes beside the fill levels, so an alert can say "near capacity" without knowing the build's defaults.
        dataplane.addControlCounter("fib next_hops_capacity", CounterKind.WORKER, dpConfig::maxNextHops);
        dataplane.addControlCounter("neighbour capacity", CounterKind.PUNT, dpConfig::neighbourCapacity);
        buildVifs(portIndex, opened[0]);
        for (final Vif vif : vifs)
        {
            dataplane.addVif(vif, taps.apply(new HostTapSpec(vif.name(), vif.mac(), vif.mtuBytes(),
                tapAddresses.getOrDefault(vif.name(), List.of()))));
        }
        this.journal = FibJournal.open(journalDir);
        this.rib = new Rib(journal);
        // A restarted agent replays what is already journalled into its own data plane first, so the table
        // it forwards with during start-up is the one it had; the RIB then rewrites only what changed.
        final Path snapshot = journalDir.resolveSibling(journalDir.getFileName() + "-snapshot.bin");
        this.applier = new JournalApplier(dataplane, journal.reader(null), 4096).snapshotEvery(SNAPSHOT_EVERY, snapshot);
        try
        {
            applier.replay(snapshot);
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException("cannot read the FIB snapshot " + snapshot, ex);
        }
        dataplane.addTask(applier);
        programRib();
    }

    private void buildVifs(final Map<String, Integer> portIndex, final Port[] ports)
    {
        for (final VifConfig v : config.vifs())
        {
            final int port = portIndex.get(v.port());
            final List<IpPrefix> addresses = new ArrayList<>();
            final List<IpPrefix> allowed = new ArrayList<>();
            if (v.ipv4() != null)
            {
                addresses.add(v.ipv4().local().host());
                allowed.add(subnet(v.ipv4().local()));
            }
            if (v.ipv6() != null)
            {
                addresses.add(v.ipv6().local().host());
                allowed.add(subnet(v.ipv6().local()));
            }
            v.remoteSubnets().forEach(c -> allowed.add(c.prefix()));
            final List<String> hostAddresses = new ArrayList<>();
            if (v.ipv4() != null)
            {
                hostAddresses.add(hostAddress(v.ipv4().local()));
            }
            if (v.ipv6() != null)
            {
                hostAddresses.add(hostAddress(v.ipv6().local()));
            }
            tapAddresses.put(v.name(), hostAddresses);
            final long mac = v.mac() != null ? MacAddress.parse(v.mac()) : ports[port].macAddress();
            final int mtu = config.ports().get(port).mtuBytes();
            // The IDC side is an edge: a source outside the VIF's subnets is spoofed (seed 003's "source IP").
            final SourceCheck check = v.remoteSubnets().isEmpty() && v.bgp() != null ? SourceCheck.LOOSE : SourceCheck.STRICT;
            add(new Vif(vifs.size(), v.name(), port, v.vlan() == null ? 0 : v.vlan(),
                v.innerVlan() == null ? 0 : v.innerVlan(), 0, mac, mtu, addresses, allowed, check, true));
        }
        for (final VpcAttachment a : config.vpcAttachments())
        {
            final int port = portIndex.get(a.port());
            final List<IpPrefix> addresses = new ArrayList<>();
            final List<String> hostAddresses = new ArrayList<>();
            for (final CidrBlock c : a.vpcCidrs())
            {
                final IpPrefix router = vpcRouterAddress(c.prefix());
                addresses.add(router);
                hostAddresses.add(IpPrefix.format(router.ipv6(), router.hi(), router.lo()) + "/" + c.prefix().length());
            }
            tapAddresses.put(a.name(), hostAddresses);
            add(new Vif(vifs.size(), a.name(), port, 0, 0, 0, ports[port].macAddress(),
                config.ports().get(port).mtuBytes(), addresses, List.of(), SourceCheck.OFF, true));
        }
    }

    private void add(final Vif vif)
    {
        vifIds.put(vif.name(), vif.id());
        vifs.add(vif);
    }

    /** The VPC router's address: the first host of the CIDR (.1 of an IPv4 block, ::1 of an IPv6 one). */
    static IpPrefix vpcRouterAddress(final IpPrefix cidr)
    {
        return cidr.ipv6() ? IpPrefix.ipv6(cidr.hi(), cidr.lo() | 1, 128) : IpPrefix.ipv4(cidr.ipv4Address() | 1, 32);
    }

    private static String hostAddress(final InterfaceAddress a)
    {
        return IpPrefix.format(a.host().ipv6(), a.host().hi(), a.host().lo()) + "/" + a.length();
    }

    static IpPrefix subnet(final InterfaceAddress a)
    {
        final IpPrefix h = a.host();
        return h.ipv6()
            ? IpPrefix.ipv6(h.hi() & IpPrefix.mask128Hi(a.length()), h.lo() & IpPrefix.mask128Lo(a.length()), a.length())
            : IpPrefix.ipv4(h.ipv4Address() & IpPrefix.mask32(a.length()), a.length());
    }

    private void programRib()
    {
        // A remote subnet behind several VIFs (the seeds' active/active pairs) is one route over all of them.
        final Map<IpPrefix, List<RibPath>> remoteSubnets = new java.util.LinkedHashMap<>();
        for (final VifConfig v : config.vifs())
        {
            final int id = vifIds.get(v.name());
            if (v.ipv4() != null)
            {
                rib.add(RouteSource.CONNECTED, subnet(v.ipv4().local()), List.of(RibPath.attached(id)));
            }
            if (v.ipv6() != null)
            {
                rib.add(RouteSource.CONNECTED, subnet(v.ipv6().local()), List.of(RibPath.attached(id)));
            }
            if (v.bgp() == null)
            {
                for (final CidrBlock c : v.remoteSubnets())
                {
                    final InterfaceAddress peer = c.prefix().ipv6() ? peer(v.ipv6()) : peer(v.ipv4());
                    if (peer != null)
                    {
                        remoteSubnets.computeIfAbsent(c.prefix(), k -> new ArrayList<>())
                            .add(new RibPath(id, peer.host(), weight(v)));
                    }
                }
            }
        }
        remoteSubnets.forEach((prefix, paths) -> rib.add(RouteSource.STATIC, prefix, paths, REMOTE_SUBNET_DISTANCE));
        for (final VpcAttachment a : config.vpcAttachments())
        {
            final int id = vifIds.get(a.name());
            for (final CidrBlock c : a.vpcCidrs())
            {
                rib.add(RouteSource.CONNECTED, c.prefix(), List.of(RibPath.attached(id)));
            }
        }
        final Map<String, List<RibPath>> namedPaths = new HashMap<>();
        for (final StaticRoute r : config.staticRoutes())
        {
            final List<RibPath> paths = new ArrayList<>();
            for (final StaticNextHop nh : r.nextHops())
            {
                final int vif = nh.vif() != null ? vifIds.get(nh.vif()) : vifFor(nh.address());
                paths.add(new RibPath(vif, nh.address(), nh.weight() != null ? nh.weight() : 1));
            }
            namedPaths.put(r.name(), paths);
        }
        for (final VpnBackup vpn : config.vpnBackups())
        {
            if (vpn.vif() == null || vpn.nextHop() == null)
            {
                notes.add("vpn backup " + vpn.name() + ": tunnel interfaces are not forwarded by the data plane yet; " +
                    "give the VPN device as 'vif' and 'next-hop' to use it");
                continue;
            }
            final List<RibPath> paths = List.of(new RibPath(vifIds.get(vpn.vif()), vpn.nextHop(), 1));
            namedPaths.put(vpn.name(), paths);
            for (final CidrBlock c : vpn.prefixes())
            {
                rib.add(RouteSource.STATIC, c.prefix(), paths, VPN_DISTANCE);
            }
        }
        for (final StaticRoute r : config.staticRoutes())
        {
            // A primary and a floating static route for one prefix are two candidates at two distances.
            rib.add(RouteSource.STATIC, r.prefix(), namedPaths.get(r.name()), r.preference());
            if (r.backup() != null && namedPaths.containsKey(r.backup()))
            {
                // The named backup becomes the runner-up, which the RIB installs as the FIB's backup group.
                rib.add(RouteSource.STATIC, r.prefix(), namedPaths.get(r.backup()), EXPLICIT_BACKUP_DISTANCE);
            }
        }
        for (final StaticNeighbour n : config.staticNeighbours())
        {
            journal.neighbour(vifIds.get(n.vif()), n.ip().ipv6(), n.ip().hi(), n.ip().lo(), MacAddress.parse(n.mac()));
        }
    }

    private static InterfaceAddress peer(final org.vbgw.agent.config.Interconnect i)
    {
        return i == null ? null : i.peer();
    }

    private static int weight(final VifConfig v)
    {
        return v.weight() != null ? v.weight() : 1;
    }

    /** The VIF whose interconnect subnet holds the address (validation guarantees one). */
    private int vifFor(final IpPrefix address)
    {
        for (final VifConfig v : config.vifs())
        {
            for (final org.vbgw.agent.config.Interconnect i : new org.vbgw.agent.config.Interconnect[] {v.ipv4(), v.ipv6()})
            {
                if (i != null && subnet(i.local()).contains(address))
                {
                    return vifIds.get(v.name());
                }
            }
        }
        throw new IllegalArgumentException("next hop " + address + " is in no VIF's interconnect subnet");
    }

    /** Applies journalled changes to the data plane now (before {@link #start()}, or in tests without threads). */
    public void applyJournal()
    {
        while (applier.doWork(0) > 0)
        {
            // drain
        }
    }

    /**
     * Starts the VIFs' failure detectors (BFD, health probes) and the data plane's threads. An offline replay
     * never calls this: probes nobody answers would take its VIFs down.
     */
    public void start()
    {
        for (final VifConfig v : config.vifs())
        {
            VifLiveness.start(dataplane, vifIds.get(v.name()), v, notes::add);
        }
        dataplane.start();
    }

    /**
     * Starts FRR (zebra with FPM toward {@code fpm}, and bgpd) for the config's BGP sessions, in this process's
     * network namespace where the VIFs' host TAPs are, with its files in {@code directory}; {@link #close()} stops
     * it. Does nothing when no VIF runs BGP. Call once, after {@link #start()}.
     */
    public synchronized Optional<FrrDaemons> startFrr(final Path directory, final FrrConfig.Fpm fpm)
    {
        if (frr == null && FrrConfig.hasBgp(config))
        {
            frr = FrrDaemons.start(directory, FrrConfig.render(config, fpm).toRun());
        }
        return Optional.ofNullable(frr);
    }

    /** Every RIB candidate with its source (for {@code /api/rib}); under the same lock as route changes. */
    public synchronized List<org.vbgw.agent.rib.RibRoute> ribRoutes()
    {
        return rib.routes();
    }

    public Dataplane dataplane()
    {
        return dataplane;
    }

    /**
     * Adds or replaces an operator's route at run time (the API source): next hops are addresses in a VIF's
     * interconnect subnet. Any thread: the RIB and the journal's appender have one writer at a time.
     */
    public synchronized void addApiRoute(final IpPrefix prefix, final List<IpPrefix> nextHops, final int distance)
    {
        final List<RibPath> paths = new ArrayList<>();
        for (final IpPrefix nh : nextHops)
        {
            if (nh.length() != (nh.ipv6() ? 128 : 32))
            {
                throw new IllegalArgumentException("next hop " + nh + " must be an address");
            }
            paths.add(new RibPath(vifFor(nh), nh, 1));
        }
        rib.add(RouteSource.API, prefix, paths, distance);
    }

    /** Removes an operator's route added at run time; false when there was none. Any thread. */
    public synchronized boolean removeApiRoute(final IpPrefix prefix)
    {
        return rib.remove(RouteSource.API, prefix);
    }

    /**
     * Applies {@code change} to the RIB as one journal transaction, which the data plane applies as one change
     * (a path change never shows the prefix missing). Any thread: serialized with the other RIB writers.
     */
    public synchronized void changeRib(final java.util.function.Consumer<Rib> change)
    {
        journal.transactionBegin();
        try
        {
            change.accept(rib);
        }
        finally
        {
            journal.transactionEnd();
        }
    }

    /**
     * Starts the FPM server zebra feeds its routes through (see {@code org.vbgw.agent.fpm}); its counters appear
     * in the counters file and {@code /metrics} as {@code fpm ...}. At most once.
     */
    public synchronized org.vbgw.agent.fpm.FpmServer startFpm(final org.vbgw.agent.fpm.FpmOptions options,
        final java.util.function.Consumer<String> log) throws java.io.IOException
    {
        if (fpm != null)
        {
            throw new IllegalStateException("the FPM server is already running on " + fpm.localAddress());
        }
        final Map<String, Integer> taps = new HashMap<>();
        vifs.forEach(v -> taps.put(new HostTapSpec(v.name(), 0, 0, List.of()).interfaceName(), v.id()));
        final var counters = new org.vbgw.agent.fpm.FpmCounters();
        final var table = new org.vbgw.agent.fpm.FpmRouteTable(new org.vbgw.agent.fpm.TapVifResolver(taps, gw ->
        {
            try
            {
                return vifFor(gw);
            }
            catch (final IllegalArgumentException ex)
            {
                return org.vbgw.agent.fpm.VifResolver.NO_VIF;
            }
        }), this::changeRib, options.protocols(), counters, log);
        dataplane.run(() -> counters.forEach((label, value) ->
            dataplane.addControlCounter(label, org.vbgw.agent.fpm.FpmCounters.COUNTER_KIND, value)));
        fpm = new org.vbgw.agent.fpm.FpmServer(options, table, counters, log);
        return fpm;
    }

    public Rib rib()
    {
        return rib;
    }

    public JournalApplier applier()
    {
        return applier;
    }

    public FibJournal journal()
    {
        return journal;
    }

    /** VIF id by name (configured VIFs and VPC attachments). */
    public int vifId(final String name)
    {
        final Integer id = vifIds.get(name);
        if (id == null)
        {
            throw new IllegalArgumentException("no VIF named " + name);
        }
        return id;
    }

    public List<Vif> vifs()
    {
        return List.copyOf(vifs);
    }

    /** What the runtime could not set up as configured, for the operator. */
    public List<String> notes()
    {
        return List.copyOf(notes);
    }

    @Override
    public void close()
    {
        final FrrDaemons routing;
        final org.vbgw.agent.fpm.FpmServer fpmServer;
        synchronized (this)
        {
            routing = frr;
            fpmServer = fpm;
        }
        if (routing != null)
        {
            // BGP first: peers see the sessions close while the data plane still forwards.
            routing.close();
        }
        if (fpmServer != null)
        {
            fpmServer.close();
        }
        dataplane.close();
        journal.close();
        closeAll(handles);
    }

    private static void closeAll(final Port[][] ports)
    {
        for (final Port[] row : ports)
        {
            for (final Port p : row)
            {
                if (p != null)
                {
                    p.close();
                }
            }
        }
    }
}
