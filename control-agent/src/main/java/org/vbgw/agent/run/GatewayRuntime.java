package org.vbgw.agent.run;

import org.vbgw.agent.config.CidrBlock;
import org.vbgw.agent.config.GatewayConfig;
import org.vbgw.agent.config.InterfaceAddress;
import org.vbgw.agent.config.PortConfig;
import org.vbgw.agent.config.VifConfig;
import org.vbgw.agent.config.VpcAttachment;
import org.vbgw.agent.frr.FrrConfig;
import org.vbgw.agent.frr.FrrDaemons;
import org.vbgw.agent.journal.FibJournal;
import org.vbgw.agent.journal.JournalApplier;
import org.vbgw.agent.rib.Rib;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.dataplane.counters.CounterKind;
import org.vbgw.dataplane.liveness.NextHopLiveness;
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
    /** Journal entries between two snapshots: bounds replay after a restart to a snapshot and this tail. */
    static final long SNAPSHOT_EVERY = 100_000;
    /** The counter holding the data plane's start time in epoch seconds ({@code vbgw_dataplane_start_time_seconds}). */
    public static final String START_TIME_COUNTER = "dataplane start_time_seconds";

    private GatewayConfig config;
    private final Dataplane dataplane;
    private final FibJournal journal;
    /** The agent's side, null when the routes come from an agent in another process (role dataplane). */
    private final RouteAgent agent;
    private final JournalApplier applier;
    private final Path snapshot;
    private final Path vifIdsFile;
    private final Function<HostTapSpec, Port> taps;
    private final Map<String, Port> tapsByVif = new HashMap<>();
    private final Map<String, Integer> vifIds = new HashMap<>();
    /** The VIFs of the running config; replaced by a reload (under this object's lock). */
    private final List<Vif> vifs = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private PeerCarrier peerCarrier;
    private final Port[][] handles;
    private final Map<String, List<String>> tapAddresses = new HashMap<>();
    private org.vbgw.agent.fpm.FpmServer fpm;
    private FrrDaemons frr;
    /** Removes the routes kept stale from before a restart when zebra's grace period ends; null when none. */
    private Thread staleTimer;
    private volatile RouteAgent.Outcome lastOutcome;

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
        this(config, journalDir, ports, taps, dpConfig, true);
    }

    /**
     * @param programRoutes false for a data plane alone ({@code vbgw run --role dataplane}): it applies the
     *                      journal an agent in another process writes, and writes nothing to it itself.
     */
    public GatewayRuntime(final GatewayConfig config, final Path journalDir, final PortOpener ports,
        final Function<HostTapSpec, Port> taps, final Dataplane.Config dpConfig, final boolean programRoutes)
    {
        this.config = config;
        this.taps = taps;
        this.vifIdsFile = vifIdsFile(journalDir);
        vifIds.putAll(VifIds.assign(config, VifIds.read(vifIdsFile)));
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
        // Prometheus' convention (process_start_time_seconds): counters reset at a restart, and the start time says
        // so to rate() and to anyone reading the counters.
        final long startSeconds = dataplane.startTimeMs() / 1000;
        dataplane.addControlCounter(START_TIME_COUNTER, CounterKind.WORKER, () -> startSeconds);
        buildVifs(portIndex, opened[0]);
        for (final Vif vif : vifs)
        {
            final Port tap = taps.apply(new HostTapSpec(vif.name(), vif.mac(), vif.mtuBytes(),
                tapAddresses.getOrDefault(vif.name(), List.of())));
            tapsByVif.put(vif.name(), tap);
            dataplane.addVif(vif, tap);
        }
        this.journal = FibJournal.open(journalDir);
        // A restart replays what is already journalled into its own data plane first, so the table it forwards
        // with during start-up is the one it had; the agent then reconciles and writes only what changed.
        this.snapshot = snapshotFile(journalDir);
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
        if (programRoutes)
        {
            VifIds.write(vifIdsFile, vifIds);
            this.agent = new RouteAgent(config, vifIds, journal, apiRoutesFile(journalDir));
            final RouteAgent.Outcome started = agent.start(snapshot);
            notes.addAll(started.notes());
            lastOutcome = started;
        }
        else
        {
            this.agent = null;
        }
    }

    /**
     * Applies a changed config to the running gateway, touching only what changed: VIFs added first (so routes
     * through them find them), then the agent's routes and neighbours, then VIFs removed (after the routes through
     * them are gone). Unchanged VIFs, next hops, groups and routes get no journal entry and keep their counters.
     *
     * @throws ConfigReload.Refused listing every error, when the config has errors or changes ports; nothing
     *     changed then.
     */
    public synchronized ConfigReload.Report reload(final org.vbgw.agent.config.ConfigCheck check)
    {
        final List<String> refusals = ConfigReload.refusals(config, check);
        if (!refusals.isEmpty())
        {
            throw new ConfigReload.Refused(refusals);
        }
        final GatewayConfig next = check.config();
        final Map<String, Vif> before = new java.util.LinkedHashMap<>();
        vifs.forEach(v -> before.put(v.name(), v));
        final GatewayConfig previousConfig = config;
        final Map<String, Integer> previousIds = Map.copyOf(vifIds);
        final List<Vif> previousVifs = List.copyOf(vifs);
        final Map<String, Integer> portIndex = new HashMap<>();
        for (int i = 0; i < next.ports().size(); i++)
        {
            portIndex.put(next.ports().get(i).name(), i);
        }
        final Map<String, Integer> nextIds = VifIds.assign(next, previousIds);
        config = next;
        vifIds.clear();
        vifIds.putAll(nextIds);
        vifs.clear();
        try
        {
            buildVifs(portIndex, handles[0]);
        }
        catch (final RuntimeException ex)
        {
            config = previousConfig;
            vifIds.clear();
            vifIds.putAll(previousIds);
            vifs.clear();
            vifs.addAll(previousVifs);
            throw new ConfigReload.Refused(List.of("cannot build the new VIFs: " + ex.getMessage()));
        }
        final Map<String, Vif> after = new java.util.LinkedHashMap<>();
        vifs.forEach(v -> after.put(v.name(), v));
        final List<String> added = new ArrayList<>();
        final List<String> removed = new ArrayList<>();
        final List<String> changed = new ArrayList<>();
        ConfigReload.diff(before, after, added, removed, changed);
        final List<String> reportNotes = new ArrayList<>();
        for (final String name : added)
        {
            final Vif vif = after.get(name);
            final Port tap = taps.apply(new HostTapSpec(vif.name(), vif.mac(), vif.mtuBytes(),
                tapAddresses.getOrDefault(vif.name(), List.of())));
            tapsByVif.put(name, tap);
            dataplane.run(() -> dataplane.addVif(vif, tap));
        }
        for (final String name : changed)
        {
            final Vif vif = after.get(name);
            final Port tap = tapsByVif.get(name);
            dataplane.run(() -> dataplane.addVif(vif, tap));
            if (tap != null && (vif.mac() != before.get(name).mac() ||
                !vif.addresses().equals(before.get(name).addresses())))
            {
                reportNotes.add("vif " + name + ": its host TAP keeps its old MAC and addresses until a restart");
            }
        }
        final RouteAgent.Outcome outcome = agent != null ? agent.reload(next, nextIds) :
            new RouteAgent.Outcome(0, 0, 0, 0, List.of());
        reportNotes.addAll(outcome.notes());
        for (final String name : removed)
        {
            final Vif vif = before.get(name);
            dataplane.run(() -> dataplane.removeVif(vif.id()));
            final Port tap = tapsByVif.remove(name);
            if (tap != null)
            {
                tap.close();
            }
        }
        VifIds.write(vifIdsFile, nextIds);
        lastOutcome = outcome;
        return new ConfigReload.Report(added, removed, changed, outcome.prefixesTouched(), outcome.journalEntries(),
            reportNotes);
    }

    /** The FIB snapshot the data plane writes beside its journal. */
    public static Path snapshotFile(final Path journalDir)
    {
        return journalDir.resolveSibling(journalDir.getFileName() + "-snapshot.bin");
    }

    /** The VIF ids (name → id) the journal's next hops were written with. */
    public static Path vifIdsFile(final Path journalDir)
    {
        return journalDir.resolveSibling(journalDir.getFileName() + "-vif-ids");
    }

    /** The operator's routes (vbgw route add), kept for the agent's next start. */
    public static Path apiRoutesFile(final Path journalDir)
    {
        return journalDir.resolveSibling(journalDir.getFileName() + "-api-routes");
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
            add(new Vif(vifIds.get(v.name()), v.name(), port, v.vlan() == null ? 0 : v.vlan(),
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
            add(new Vif(vifIds.get(a.name()), a.name(), port, 0, 0, 0, ports[port].macAddress(),
                config.ports().get(port).mtuBytes(), addresses, List.of(), SourceCheck.OFF, true));
        }
    }

    private void add(final Vif vif)
    {
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

    /** Applies journalled changes to the data plane now (before {@link #start()}, or in tests without threads). */
    public void applyJournal()
    {
        applier.drain();
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
        watchPeerCarrier();
        final boolean feedsRib;
        synchronized (this)
        {
            feedsRib = fpm != null;
        }
        if (agent != null && !feedsRib && agent.staleRoutes() > 0)
        {
            // No FPM server: nothing will announce BGP's or FRR's routes from before the restart again.
            notes.add(agent.flushStale() + " route(s) learnt from FRR before the restart removed: no FPM server runs");
        }
        dataplane.start();
    }

    /** BGP VIFs on kernel TAPs mirror the data plane's view of their path on the TAP's carrier ({@link PeerCarrier}). */
    private void watchPeerCarrier()
    {
        final List<PeerCarrier.Watch> watches = new ArrayList<>();
        for (final VifConfig v : config.vifs())
        {
            // An in-memory TAP has no kernel interface, and a VIF without BGP has no session to tell.
            if (v.bgp() == null || !(tapsByVif.get(v.name()) instanceof org.vbgw.io.linux.TapDevice))
            {
                continue;
            }
            final int id = vifIds.get(v.name());
            final Vif vif = dataplane.vifs().snapshot().vif(id);
            final List<IpPrefix> peers = new ArrayList<>();
            for (final var i : java.util.Arrays.asList(v.ipv4(), v.ipv6()))
            {
                if (i != null && i.peer() != null)
                {
                    peers.add(i.peer().host());
                }
            }
            watches.add(new PeerCarrier.Watch(v.name(), new HostTapSpec(v.name(), 0, 0, List.of()).interfaceName(),
                NextHopLiveness.Scope.port(vif.portIndex()), NextHopLiveness.Scope.vif(id), PeerCarrier.peers(id, peers)));
        }
        if (!watches.isEmpty())
        {
            peerCarrier = new PeerCarrier(dataplane.liveness(), watches, line -> System.err.println("vbgw: " + line));
            dataplane.addTask(peerCarrier);
        }
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
    public List<org.vbgw.agent.rib.RibRoute> ribRoutes()
    {
        return agent().routes();
    }

    public Dataplane dataplane()
    {
        return dataplane;
    }

    /**
     * Adds or replaces an operator's route at run time (the API source): next hops are addresses in a VIF's
     * interconnect subnet. Any thread: the agent serializes its writers.
     */
    public void addApiRoute(final IpPrefix prefix, final List<IpPrefix> nextHops, final int distance)
    {
        agent().addApiRoute(prefix, nextHops, distance);
    }

    /** Removes an operator's route added at run time; false when there was none. Any thread. */
    public boolean removeApiRoute(final IpPrefix prefix)
    {
        return agent().removeApiRoute(prefix);
    }

    /**
     * Applies {@code change} to the RIB as one journal transaction, which the data plane applies as one change
     * (a path change never shows the prefix missing). Any thread: serialized with the other RIB writers.
     */
    public void changeRib(final java.util.function.Consumer<Rib> change)
    {
        agent().change(change);
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
        final var counters = new org.vbgw.agent.fpm.FpmCounters();
        dataplane.run(() -> counters.forEach((label, value) ->
            dataplane.addControlCounter(label, org.vbgw.agent.fpm.FpmCounters.COUNTER_KIND, value)));
        fpm = FpmFeed.start(agent(), () -> config, () -> vifIds, options, counters, log);
        staleTimer = agent.staleTimer();
        return fpm;
    }

    public Rib rib()
    {
        return agent().rib();
    }

    /** The agent (RIB and journal writer); fails in a data plane whose agent runs in another process. */
    public RouteAgent agent()
    {
        if (agent == null)
        {
            throw new IllegalStateException("this process is the data plane only; routes are the agent's (vbgw run --role agent)");
        }
        return agent;
    }

    /** What the agent's start (or last reload) did. */
    public RouteAgent.Outcome lastOutcome()
    {
        return lastOutcome;
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
    public synchronized int vifId(final String name)
    {
        final Integer id = vifIds.get(name);
        if (id == null)
        {
            throw new IllegalArgumentException("no VIF named " + name);
        }
        return id;
    }

    public synchronized List<Vif> vifs()
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
        final Thread timer;
        synchronized (this)
        {
            routing = frr;
            fpmServer = fpm;
            timer = staleTimer;
        }
        if (peerCarrier != null)
        {
            peerCarrier.close();
        }
        if (timer != null)
        {
            timer.interrupt();
            try
            {
                // A flush under way finishes before the journal closes under it.
                timer.join(5_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
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
