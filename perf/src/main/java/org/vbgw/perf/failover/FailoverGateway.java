package org.vbgw.perf.failover;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.vbgw.agent.journal.FibJournal;
import org.vbgw.agent.journal.JournalApplier;
import org.vbgw.agent.rib.Rib;
import org.vbgw.agent.rib.RibPath;
import org.vbgw.agent.rib.RouteSource;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.dataplane.HostKernelBypass;
import org.vbgw.dataplane.vif.SourceCheck;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.Port;
import org.vbgw.io.lab.Netns;
import org.vbgw.io.linux.PacketSocket;
import org.vbgw.io.linux.PacketSocketOptions;

/**
 * vbgw in the lab's gateway namespace, programmed the way the agent programs it: a {@link Dataplane} with one
 * worker on AF_PACKET sockets on the three ports (host kernel kept off them by {@link HostKernelBypass}), and
 * every route going RIB → FIB journal → {@link JournalApplier} on the data plane's control thread, as in
 * {@code vbgw run}.
 * <p>
 * The routes (the data center's prefixes) are learned on both VIFs: in {@link Redundancy#ACTIVE_ACTIVE} one
 * candidate per prefix with both paths (ECMP over resilient buckets); in {@link Redundancy#ACTIVE_STANDBY} a
 * candidate via A and a worse one via B, so the RIB installs group {A} with group {B} as its backup and the
 * data plane falls over by itself. The table is written to the journal before the data plane starts and replayed
 * into the FIB with one bulk load (what a restart does), so a million routes load in seconds.
 * <p>
 * {@link #withdrawPathA()} and {@link #restorePathA()} are what the agent does when BGP on VIF A goes away and
 * comes back: each prefix's candidate is replaced by its paths without A (or with A again), one RIB change per
 * prefix, each a journal entry the data plane applies in order.
 * <p>
 * The caller's thread is the agent's (RIB and journal writer). Not thread-safe.
 */
final class FailoverGateway implements AutoCloseable
{
    static final int VIF_VPC = 0;
    static final int VIF_A = 1;
    static final int VIF_B = 2;
    private static final int DISTANCE_PRIMARY = 20;
    private static final int DISTANCE_STANDBY = 30;

    /** How the data center's routes use the two VIFs. */
    enum Redundancy
    {
        ACTIVE_ACTIVE("active/active"),
        ACTIVE_STANDBY("active/standby");

        final String label;

        Redundancy(final String label)
        {
            this.label = label;
        }
    }

    private final PacketSocket[] ports;
    private final HostKernelBypass bypass;
    private final Dataplane dataplane;
    private final Path journalDir;
    private final FibJournal journal;
    private final JournalApplier applier;
    private final Rib rib;
    private final List<IpPrefix> routes;
    private final Redundancy redundancy;
    private final FailoverLab lab;
    private final List<RibPath> both = List.of(RibPath.via(VIF_A, "10.0.0.2"), RibPath.via(VIF_B, "10.0.0.6"));
    private final List<RibPath> onlyA = List.of(RibPath.via(VIF_A, "10.0.0.2"));
    private final List<RibPath> onlyB = List.of(RibPath.via(VIF_B, "10.0.0.6"));
    final double loadSeconds;

    FailoverGateway(final FailoverLab lab, final List<IpPrefix> routes, final Redundancy redundancy,
        final long carrierHoldDownNs)
    {
        this.lab = lab;
        this.routes = routes;
        this.redundancy = redundancy;
        // Receive rings sized by block count: at these rates a block is retired by its 1 ms timer with a few frames
        // in it, so 16 blocks (the default) hold 16 ms, less than a busy 2-core machine may keep the worker off
        // the CPU; 512 blocks hold half a second (BENCHMARKS.md, end-to-end, ring timer).
        final PacketSocketOptions options = new PacketSocketOptions().qdiscBypass(true)
            .tx(PacketSocketOptions.TxMode.RING, 1024).socketBufferBytes(4 << 20).rxRing(65536, 512);
        ports = new PacketSocket[3];
        HostKernelBypass installed = null;
        try (Netns.Scope ignored = lab.gw.enter())
        {
            final List<String> names = lab.gatewayPorts();
            for (int p = 0; p < 3; p++)
            {
                ports[p] = PacketSocket.open(names.get(p), options);
            }
            installed = HostKernelBypass.install(names);
        }
        catch (final RuntimeException ex)
        {
            closePorts();
            throw ex;
        }
        bypass = installed;
        dataplane = new Dataplane(new Port[] {ports[0], ports[1], ports[2]},
            Dataplane.Config.defaults().withWorkers(1).withCarrierHoldDownNs(carrierHoldDownNs));
        dataplane.addVif(new Vif(VIF_VPC, "vpc", 0, Vif.UNTAGGED, Vif.NO_INNER, 0, FailoverLab.GW_VPC_MAC, 1500,
            List.of(IpPrefix.parse("192.168.1.1")), List.of(), SourceCheck.OFF, true), null);
        dataplane.addVif(new Vif(VIF_A, "vif-a", 1, Vif.UNTAGGED, Vif.NO_INNER, 0, FailoverLab.GW_A_MAC, 1500,
            List.of(IpPrefix.parse("10.0.0.1")), List.of(), SourceCheck.OFF, true), null);
        dataplane.addVif(new Vif(VIF_B, "vif-b", 2, Vif.UNTAGGED, Vif.NO_INNER, 0, FailoverLab.GW_B_MAC, 1500,
            List.of(IpPrefix.parse("10.0.0.5")), List.of(), SourceCheck.OFF, true), null);
        dataplane.addStaticNeighbour(VIF_VPC, false, 0, FailoverLab.VPC_IP & 0xFFFF_FFFFL, FailoverLab.VPC_MAC);
        dataplane.addStaticNeighbour(VIF_A, false, 0, FailoverLab.IDC_A_IP & 0xFFFF_FFFFL, FailoverLab.IDC_A_MAC);
        dataplane.addStaticNeighbour(VIF_B, false, 0, FailoverLab.IDC_B_IP & 0xFFFF_FFFFL, FailoverLab.IDC_B_MAC);
        try
        {
            journalDir = Files.createTempDirectory("vbgw-failover-journal");
        }
        catch (final IOException ex)
        {
            close();
            throw new UncheckedIOException(ex);
        }
        journal = FibJournal.open(journalDir.resolve("journal"));
        rib = new Rib(journal);
        final long start = System.nanoTime();
        for (final IpPrefix p : routes)
        {
            if (redundancy == Redundancy.ACTIVE_ACTIVE)
            {
                rib.add(RouteSource.EBGP, p, both, DISTANCE_PRIMARY);
            }
            else
            {
                rib.add(RouteSource.EBGP, p, onlyA, DISTANCE_PRIMARY);
                rib.add(RouteSource.EBGP, p, onlyB, DISTANCE_STANDBY);
            }
        }
        applier = new JournalApplier(dataplane, journal.reader(null), 4096);
        applier.replay();
        loadSeconds = (System.nanoTime() - start) / 1e9;
        if (dataplane.fib().routeCount() != routes.size() || applier.refused() != 0)
        {
            final String why = "the FIB holds " + dataplane.fib().routeCount() + " of " + routes.size() +
                " routes after the journal replay (" + applier.refused() + " entries refused: " +
                applier.lastRefusal() + ")";
            close();
            throw new IllegalStateException(why);
        }
        dataplane.addTask(applier);
        dataplane.start();
    }

    /**
     * True when every next hop on VIF A is alive: the state a trial starts from. After a port-down restore the
     * carrier hold-down (and, on a loaded machine, the control thread's turn) decides when that is again. Any thread.
     */
    boolean pathAUsable()
    {
        return pathUsable(VIF_A);
    }

    /** True when every next hop on {@code vif} is alive. Any thread. */
    boolean pathUsable(final int vif)
    {
        return dataplane.call(() ->
        {
            final Fib fib = dataplane.fib();
            boolean any = false;
            for (int id = 0; id < 64; id++)
            {
                final org.vbgw.fib.NextHop nh = fib.nextHop(id);
                if (nh != null && nh.vifId() == vif)
                {
                    if (!nh.alive())
                    {
                        return false;
                    }
                    any = true;
                }
            }
            return any;
        });
    }

    /**
     * BFD sessions to the customer router on both connections, {@code intervalUs} x {@code multiplier}; a session
     * that goes Down takes its peer's next hops out of service, and back after {@code holdDownNs} once Up.
     */
    void enableBfd(final long intervalUs, final int multiplier, final long holdDownNs)
    {
        dataplane.run(() ->
        {
            dataplane.addBfdSession(org.vbgw.dataplane.liveness.BfdSessionConfig.of(VIF_A, IpPrefix.parse("10.0.0.1"),
                IpPrefix.parse("10.0.0.2"), intervalUs, intervalUs, multiplier, holdDownNs));
            dataplane.addBfdSession(org.vbgw.dataplane.liveness.BfdSessionConfig.of(VIF_B, IpPrefix.parse("10.0.0.5"),
                IpPrefix.parse("10.0.0.6"), intervalUs, intervalUs, multiplier, holdDownNs));
        });
    }

    /** True when every BFD session is Up. Any thread. */
    boolean bfdUp()
    {
        final List<org.vbgw.dataplane.liveness.BfdSessionView> sessions = dataplane.call(dataplane::bfdSessions);
        return !sessions.isEmpty() && sessions.stream().allMatch(v -> "Up".equalsIgnoreCase(v.state()));
    }

    /** The data plane's latest liveness events, oldest first. Any thread. */
    List<org.vbgw.dataplane.liveness.LivenessEvent> events()
    {
        return dataplane.events();
    }

    /**
     * Gives the threads BFD depends on the CPU first: the control thread (BFD's timers and packets) SCHED_FIFO at
     * {@code controlPriority}, the workers (which carry BFD packets to and from the wire, and spin) nice
     * {@code workerNice}; 0 leaves a thread as it is. Returns what was done or refused, one line per thread.
     */
    List<String> prioritise(final int controlPriority, final int workerNice)
    {
        final List<String> out = new java.util.ArrayList<>();
        if (controlPriority > 0)
        {
            out.add("control thread: " + dataplane.call(() ->
                org.vbgw.dataplane.liveness.ThreadScheduling.realtimeCurrentThread(controlPriority)));
        }
        if (workerNice != 0)
        {
            for (final org.vbgw.dataplane.liveness.ThreadScheduling.NativeThread t :
                org.vbgw.dataplane.liveness.ThreadScheduling.threadsNamed("vbgw-worker-"))
            {
                out.add(t.name() + ": " + org.vbgw.dataplane.liveness.ThreadScheduling.nice(t.tid(), workerNice));
            }
        }
        return out;
    }

    /**
     * Per BFD session, how often it ran late so far: "bfd vif-b late_rx" (packets received more than half the
     * detection time after the one before: the customer router sent late, or this gateway's receive path ran late)
     * and "bfd vif-b late_tx" (packets this gateway sent more than a quarter interval late). Any thread.
     */
    java.util.Map<String, Long> bfdTiming()
    {
        final java.util.Map<String, Long> out = new java.util.TreeMap<>();
        for (final org.vbgw.dataplane.liveness.BfdSessionView v : dataplane.call(dataplane::bfdSessions))
        {
            out.put("bfd " + v.vif() + " late_rx", v.lateRxGaps());
            out.put("bfd " + v.vif() + " late_tx", v.lateTxPackets());
        }
        return out;
    }

    /** The BFD sessions as the data plane reports them (for messages). Any thread. */
    String bfdState()
    {
        return dataplane.call(dataplane::bfdSessions).toString();
    }

    /** The agent's side of BGP on VIF A going down: every prefix re-learned without path A. */
    void withdrawPathA()
    {
        for (final IpPrefix p : routes)
        {
            rib.add(RouteSource.EBGP, p, onlyB, DISTANCE_PRIMARY);
        }
        awaitApplied();
    }

    /** BGP on VIF A back: every prefix learned again as it was at the start. */
    void restorePathA()
    {
        for (final IpPrefix p : routes)
        {
            rib.add(RouteSource.EBGP, p, redundancy == Redundancy.ACTIVE_ACTIVE ? both : onlyA, DISTANCE_PRIMARY);
        }
        awaitApplied();
    }

    /** Waits until the data plane has applied everything written to the journal so far. */
    void awaitApplied()
    {
        final long last = journal.lastIndex();
        final long deadline = System.nanoTime() + 600_000_000_000L;
        while (dataplane.call(applier::lastIndex) < last)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the data plane did not apply the journal within 10 minutes");
            }
            sleepMs(1);
        }
        if (applier.refused() != 0)
        {
            throw new IllegalStateException("the data plane refused journal entries: " + applier.lastRefusal());
        }
    }

    /** Every non-zero counter of the data plane (ports, workers, control), by label. Any thread. */
    java.util.Map<String, Long> counters()
    {
        final java.util.Map<String, Long> out = new java.util.TreeMap<>();
        dataplane.counters().forEach((id, label) ->
        {
            final long v = dataplane.counters().getCounterValue(id);
            if (v != 0)
            {
                out.merge(label, v, Long::sum);
            }
        });
        return out;
    }

    Redundancy redundancy()
    {
        return redundancy;
    }

    int routeCount()
    {
        return routes.size();
    }

    static void sleepMs(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

    private void closePorts()
    {
        for (final PacketSocket p : ports)
        {
            if (p != null)
            {
                p.close();
            }
        }
    }

    @Override
    public void close()
    {
        if (dataplane != null)
        {
            dataplane.close();
        }
        if (journal != null)
        {
            journal.close();
        }
        closePorts();
        if (bypass != null)
        {
            // nft runs in the namespace of the calling thread: the table is in the gateway's.
            try (Netns.Scope ignored = lab.gw.enter())
            {
                bypass.close();
            }
        }
        if (journalDir != null)
        {
            try (Stream<Path> files = Files.walk(journalDir))
            {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
            catch (final IOException ignored)
            {
                // A temporary directory left behind is harmless.
            }
        }
    }
}
