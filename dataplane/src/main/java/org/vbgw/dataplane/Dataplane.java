package org.vbgw.dataplane;

import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.CountersManager;
import org.vbgw.dataplane.adjacency.AdjacencyTable;
import org.vbgw.dataplane.counters.ControlCounters;
import org.vbgw.dataplane.counters.CounterKind;
import org.vbgw.dataplane.counters.CountersFile;
import org.vbgw.dataplane.liveness.CarrierWatch;
import org.vbgw.dataplane.liveness.LivenessEvent;
import org.vbgw.dataplane.liveness.BfdAgent;
import org.vbgw.dataplane.liveness.BfdSessionConfig;
import org.vbgw.dataplane.liveness.BfdSessionView;
import org.vbgw.dataplane.liveness.HealthProbeAgent;
import org.vbgw.dataplane.liveness.HealthProbeConfig;
import org.vbgw.dataplane.liveness.HealthProbeView;
import org.vbgw.dataplane.liveness.LocalSender;
import org.vbgw.dataplane.liveness.NextHopLiveness;
import org.vbgw.dataplane.neighbour.NeighbourResolver;
import org.vbgw.dataplane.neighbour.NeighbourTable;
import org.vbgw.dataplane.neighbour.NeighbourTimers;
import org.vbgw.dataplane.packet.ArpPacketBuilder;
import org.vbgw.dataplane.packet.EthernetEncap;
import org.vbgw.dataplane.pipeline.Forwarder;
import org.vbgw.dataplane.pipeline.TokenBucket;
import org.vbgw.dataplane.pipeline.Worker;
import org.vbgw.dataplane.pipeline.WorkerCounters;
import org.vbgw.dataplane.punt.InjectPort;
import org.vbgw.dataplane.punt.PuntPath;
import org.vbgw.dataplane.punt.PuntReceiver;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.dataplane.vif.VifTable;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;
import org.vbgw.fib.NextHop;
import org.vbgw.io.Port;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The data plane assembled: ports, VIFs, the FIB, adjacencies, neighbour resolution, punt paths, workers and
 * the control thread, and the Java API through which the agent programs it.
 * <p>
 * Threads: one control thread (an Agrona agent) is the single writer of the FIB, the VIF table, the
 * adjacencies and the neighbour table; N workers forward. Methods marked "control thread" must run on it:
 * call them from a {@link ControlTask} (how the agent's journal applier runs) or through {@link #call}.
 * Before {@link #start()}, the caller's thread is the control thread, and {@link #doControlWork} runs a duty
 * cycle by hand (tests, replay). Once started, what the control thread sends on a port (ARP and ND, packets
 * released after resolution, gratuitous ARP, frames from the host TAPs) is handed to the worker that owns
 * the port's first handle ({@link InjectPort}), so the control thread never writes a port's transmit ring.
 * Several workers each have a handle of their own on every port (AF_PACKET fanout), so no transmit ring ever
 * has two writers.
 */
public final class Dataplane implements AutoCloseable
{
    /** Work the control thread runs every duty cycle, e.g. tailing the FIB journal. */
    @FunctionalInterface
    public interface ControlTask
    {
        int doWork(long nowNs);
    }

    /** Sizes and rates; the defaults suit a gateway with a few dozen VIFs. */
    public record Config(int maxVifs, int maxNextHops, int workers, int puntRingBytes, long[] puntRatesPerSecond,
        long icmpErrorsPerSecond, NeighbourTimers neighbourTimers, int neighbourCapacity, Path countersFile,
        long carrierHoldDownNs)
    {
        public static Config defaults()
        {
            return new Config(256, NeighbourResolver.FIRST_HOST_NEXT_HOP_ID + 65536, 1, 1 << 20,
                new long[] {20_000, 2_000, 2_000, 10_000}, 1_000, NeighbourTimers.DEFAULT, 65536, null, 1_000_000_000L);
        }

        public Config withWorkers(final int n)
        {
            return new Config(maxVifs, maxNextHops, n, puntRingBytes, puntRatesPerSecond, icmpErrorsPerSecond,
                neighbourTimers, neighbourCapacity, countersFile, carrierHoldDownNs);
        }

        public Config withCountersFile(final Path file)
        {
            return new Config(maxVifs, maxNextHops, workers, puntRingBytes, puntRatesPerSecond, icmpErrorsPerSecond,
                neighbourTimers, neighbourCapacity, file, carrierHoldDownNs);
        }

        public Config withNeighbourTimers(final NeighbourTimers timers)
        {
            return new Config(maxVifs, maxNextHops, workers, puntRingBytes, puntRatesPerSecond, icmpErrorsPerSecond,
                timers, neighbourCapacity, countersFile, carrierHoldDownNs);
        }

        /** How long a port's carrier must stay up before its next hops carry traffic again. */
        public Config withCarrierHoldDownNs(final long holdDownNs)
        {
            return new Config(maxVifs, maxNextHops, workers, puntRingBytes, puntRatesPerSecond, icmpErrorsPerSecond,
                neighbourTimers, neighbourCapacity, countersFile, holdDownNs);
        }
    }

    private final Config config;
    private final Port[] ports;
    /** The control thread's transmit side of each port; the port's worker sends what it queues. */
    private final InjectPort[] injectPorts;
    private final EpochNanoClock clock;
    private final Fib fib = new Fib();
    private final VifTable vifs;
    private final AdjacencyTable adjacencies;
    private final NeighbourResolver resolver;
    private final NeighbourTable neighbours;
    private final PuntReceiver puntReceiver;
    private final CountersFile countersFile;
    /** Epoch milliseconds at construction, for a data plane without a counters file. */
    private final long startTimeMs = System.currentTimeMillis();
    private final CountersManager counters;
    private final ControlCounters controlCounters;
    private final Worker[] workers;
    private final WorkerCounters[] workerCounters;
    private final List<ControlTask> tasks = new ArrayList<>();
    private final NextHopLiveness liveness;
    private final CarrierWatch carrierWatch;
    private final BfdAgent bfd;
    private final HealthProbeAgent probes;
    private final ArrayDeque<LivenessEvent> events = new ArrayDeque<>();
    private long eventCount;
    private final ManyToOneConcurrentArrayQueue<Runnable> commands = new ManyToOneConcurrentArrayQueue<>(1024);
    private final ArpPacketBuilder arp = new ArpPacketBuilder();
    private final EthernetEncap encap = new EthernetEncap();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[128]);
    private final List<AgentRunner> runners = new ArrayList<>();
    private volatile Thread controlThread;

    /** A data plane with one worker on these ports. */
    public Dataplane(final Port[] ports, final Config config)
    {
        this(new Port[][] {ports}, config, new OffsetEpochNanoClock());
    }

    /** A data plane with one worker on these ports, on the given clock (tests run time by hand). */
    public Dataplane(final Port[] ports, final Config config, final EpochNanoClock clock)
    {
        this(new Port[][] {ports}, config, clock);
    }

    /**
     * A data plane with one worker per row of {@code portsByWorker}: row {@code w} holds worker {@code w}'s own
     * handle on every port (e.g. AF_PACKET sockets in one fanout group per interface), so each worker receives
     * its share of every port and transmits only on its own handles: no transmit ring has two writers. Row 0
     * also carries the control thread's frames (through worker 0) and the ports' statistics and link state.
     */
    public Dataplane(final Port[][] portsByWorker, final Config config, final EpochNanoClock clock)
    {
        final Port[] ports = portsByWorker[0];
        for (final Port[] row : portsByWorker)
        {
            if (row.length != ports.length)
            {
                throw new IllegalArgumentException("every worker needs a handle on each of the " + ports.length + " ports");
            }
        }
        this.config = config;
        this.ports = ports.clone();
        this.injectPorts = new InjectPort[ports.length];
        for (int p = 0; p < ports.length; p++)
        {
            injectPorts[p] = new InjectPort(ports[p], 1 << 18);
        }
        this.clock = clock;
        this.vifs = new VifTable(ports.length, config.maxVifs());
        this.adjacencies = new AdjacencyTable(config.maxNextHops());
        final String[] portNames = new String[ports.length];
        for (int p = 0; p < ports.length; p++)
        {
            portNames[p] = ports[p].name();
        }
        this.liveness = new NextHopLiveness(fib, vifs, portNames, this::event);
        this.resolver = new NeighbourResolver(fib, vifs, adjacencies, injectPorts, liveness, clock);
        this.neighbours = new NeighbourTable(config.neighbourCapacity(), config.neighbourTimers(), resolver, 16, 4096, 9216 + 64);
        resolver.attach(neighbours);
        final ManyToOneRingBuffer priority = ring(config.puntRingBytes());
        final ManyToOneRingBuffer normal = ring(config.puntRingBytes());
        this.puntReceiver = new PuntReceiver(vifs, injectPorts, config.maxVifs(), neighbours, priority, normal);
        if (config.countersFile() != null)
        {
            this.countersFile = CountersFile.create(config.countersFile(), 16384);
            this.counters = countersFile.manager();
        }
        else
        {
            this.countersFile = null;
            this.counters = new CountersManager(new UnsafeBuffer(ByteBuffer.allocateDirect(16384 * 512)),
                new UnsafeBuffer(ByteBuffer.allocateDirect(16384 * 128)));
        }
        this.carrierWatch = new CarrierWatch(this.ports, liveness, 1_000_000L, config.carrierHoldDownNs());
        // BFD and probes send through the control thread's inject ports and hear back through the punt path:
        // nothing of theirs runs on a worker.
        final LocalSender sender = new LocalSender(vifs, neighbours, injectPorts);
        this.bfd = new BfdAgent(vifs, sender, liveness, this::event, System.nanoTime());
        this.probes = new HealthProbeAgent(vifs, sender, liveness, this::event,
            0x5600 + (int)(ProcessHandle.current().pid() & 0xFF) * 256);
        puntReceiver.addLocalReceiver(bfd);
        puntReceiver.addLocalReceiver(probes);
        this.controlCounters = new ControlCounters(counters, 100_000_000L);
        publishControlCounters();
        final long now = clock.nanoTime();
        final int n = portsByWorker.length;
        this.workers = new Worker[n];
        this.workerCounters = new WorkerCounters[n];
        final int[] all = new int[ports.length];
        for (int p = 0; p < all.length; p++)
        {
            all[p] = p;
        }
        for (int w = 0; w < n; w++)
        {
            workerCounters[w] = new WorkerCounters(counters, w, config.maxVifs(), config.maxNextHops());
            final PuntPath punt = new PuntPath(priority, normal, config.maxVifs(), config.puntRatesPerSecond(), now);
            final Forwarder forwarder = new Forwarder(portsByWorker[w].clone(), vifs, fib, adjacencies, punt,
                workerCounters[w],
                new TokenBucket(config.icmpErrorsPerSecond(), Math.max(10, config.icmpErrorsPerSecond() / 10), now));
            workers[w] = new Worker("vbgw-worker-" + w, forwarder, punt, all,
                w == 0 ? injectPorts : new InjectPort[0], clock);
        }
    }

    private void publishControlCounters()
    {
        for (final Port p : ports)
        {
            final String n = "port " + p.name() + " ";
            controlCounters.add(n + "rx_frames", CounterKind.PORT, () -> p.statistics().rxFrames());
            controlCounters.add(n + "rx_bytes", CounterKind.PORT, () -> p.statistics().rxBytes());
            controlCounters.add(n + "rx_drops", CounterKind.PORT, () -> p.statistics().rxDrops());
            controlCounters.add(n + "rx_kernel_drops", CounterKind.PORT, () -> p.statistics().rxKernelDrops());
            controlCounters.add(n + "tx_frames", CounterKind.PORT, () -> p.statistics().txFrames());
            controlCounters.add(n + "tx_bytes", CounterKind.PORT, () -> p.statistics().txBytes());
            controlCounters.add(n + "tx_drops", CounterKind.PORT, () -> p.statistics().txDrops());
        }
        controlCounters.add("punt arp_answered", CounterKind.PUNT, puntReceiver::arpAnswered);
        controlCounters.add("punt nd_answered", CounterKind.PUNT, puntReceiver::ndAnswered);
        controlCounters.add("punt to_host", CounterKind.PUNT, puntReceiver::toHost);
        controlCounters.add("punt from_host", CounterKind.PUNT, puntReceiver::fromHost);
        controlCounters.add("punt malformed", CounterKind.DROP, puntReceiver::malformed);
        controlCounters.add("punt no_host_tap", CounterKind.DROP, puntReceiver::noTap);
        controlCounters.add("neighbour solicitations", CounterKind.PUNT, resolver::solicitations);
        controlCounters.add("neighbour waiting_dropped", CounterKind.DROP, resolver::droppedWaiting);
        controlCounters.add("neighbour released", CounterKind.PUNT, resolver::released);
        controlCounters.add("neighbour entries", CounterKind.PUNT, neighbours::size);
        controlCounters.add("neighbour table_full", CounterKind.DROP, neighbours::refusedFull);
        controlCounters.add("neighbour queue_overflow", CounterKind.DROP, neighbours::pendingOverflow);
        controlCounters.add("liveness carrier_losses", CounterKind.DETECTOR, () -> carrierWatch.downEvents());
        for (int c = 0; c < NextHopLiveness.CAUSES; c++)
        {
            final int cause = c;
            final String name = NextHopLiveness.causeName(c);
            controlCounters.add("liveness " + name + "_downs", CounterKind.DETECTOR, () -> liveness.downs(cause));
            controlCounters.add("liveness " + name + "_restores", CounterKind.DETECTOR, () -> liveness.restores(cause));
        }
        controlCounters.add("liveness events", CounterKind.DETECTOR, () -> eventCount);
        controlCounters.add("bfd sessions", CounterKind.DETECTOR, bfd::sessionCount);
        controlCounters.add("bfd sessions_up", CounterKind.DETECTOR, bfd::up);
        controlCounters.add("bfd rx", CounterKind.DETECTOR, bfd::rxPackets);
        controlCounters.add("bfd tx", CounterKind.DETECTOR, bfd::txPackets);
        controlCounters.add("bfd tx_no_neighbour", CounterKind.DROP, bfd::txNoNeighbour);
        controlCounters.add("bfd bad_ttl", CounterKind.DROP, bfd::badTtl);
        controlCounters.add("bfd malformed", CounterKind.DROP, bfd::malformed);
        controlCounters.add("bfd auth_failures", CounterKind.DROP, bfd::authFailures);
        controlCounters.add("bfd discarded", CounterKind.DROP, bfd::discarded);
        controlCounters.add("probe sent", CounterKind.DETECTOR, probes::sent);
        controlCounters.add("probe not_sent", CounterKind.DROP, probes::notSent);
        controlCounters.add("probe replies", CounterKind.DETECTOR, probes::replies);
        controlCounters.add("fib routes", CounterKind.WORKER, fib::routeCount);
        controlCounters.add("fib next_hops", CounterKind.WORKER, fib::nextHopCount);
    }

    /** Publishes a counter fed from a control-side source (detectors, the journal applier). Control thread. */
    /**
     * When this data plane started (epoch milliseconds; its counters count from then), as its counters file's
     * header says when it has one.
     */
    public long startTimeMs()
    {
        return countersFile != null ? countersFile.startTimeMs() : startTimeMs;
    }

    public void addControlCounter(final String label, final int kind, final java.util.function.LongSupplier source)
    {
        controlCounters.add(label, kind, source);
    }

    private static ManyToOneRingBuffer ring(final int bytes)
    {
        return new ManyToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(bytes + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    // ------------------------------------------------------------------ control thread API

    /** Adds or replaces a VIF, connects its host TAP (may be null) and announces its IPv4 addresses. Control thread. */
    public void addVif(final Vif vif, final Port tap)
    {
        vifs.put(vif);
        puntReceiver.tap(vif.id(), tap);
        for (final WorkerCounters c : workerCounters)
        {
            c.addVif(vif.id(), vif.name());
        }
        if (vif.adminUp())
        {
            announce(vif);
        }
    }

    /** Removes a VIF and its TAP connection. Control thread. */
    public void removeVif(final int vifId)
    {
        puntReceiver.tap(vifId, null);
        vifs.remove(vifId);
    }

    /** Gratuitous ARP for the VIF's IPv4 addresses (RFC 5227 §3): neighbours update their caches at once. */
    private void announce(final Vif vif)
    {
        encap.set(vif.mac(), vif.outerVlan(), vif.innerVlan());
        encap.qinqOuterTpid = vif.outerTpid() == 0 ? 0x88a8 : vif.outerTpid();
        for (final IpPrefix a : vif.addresses())
        {
            if (!a.ipv6())
            {
                final int n = arp.gratuitous(scratch, 0, encap, a.ipv4Address());
                if (n > 0)
                {
                    injectPorts[vif.portIndex()].send(scratch, 0, n);
                }
            }
        }
        injectPorts[vif.portIndex()].flush();
    }

    /**
     * Adds a next hop and starts resolving its neighbour, so its adjacency is ready before traffic needs it.
     * An all-zero address means attached: the destinations of a connected subnet. Control thread.
     */
    public void addNextHop(final int id, final int vifId, final boolean ipv6, final long hi, final long lo)
    {
        if (id >= NeighbourResolver.FIRST_HOST_NEXT_HOP_ID)
        {
            throw new IllegalArgumentException("next hop id " + id + " is in the data plane's own range (>= " +
                NeighbourResolver.FIRST_HOST_NEXT_HOP_ID + ")");
        }
        fib.addNextHop(id, vifId, ipv6, hi, lo);
        liveness.track(id, vifId);
        for (final WorkerCounters c : workerCounters)
        {
            c.addNextHop(id, IpPrefix.format(ipv6, hi, lo) + "%" + vifName(vifId));
        }
        if (hi == 0 && lo == 0)
        {
            return;
        }
        resolver.track(id, vifId, ipv6, hi, lo);
        final int entry = neighbours.resolve(vifId, ipv6, hi, lo, clock.nanoTime());
        if (entry != NeighbourTable.NO_ENTRY && org.vbgw.dataplane.neighbour.NeighbourState.usable(neighbours.state(entry)))
        {
            resolver.resolved(entry, vifId, ipv6, hi, lo, neighbours.mac(entry));
        }
    }

    /** Removes a next hop (refused by the FIB while a group uses it). Control thread. */
    public void removeNextHop(final int id)
    {
        final NextHop nh = fib.nextHop(id);
        fib.removeNextHop(id);
        liveness.untrack(id);
        if (nh != null)
        {
            resolver.untrack(id, nh.vifId(), nh.ipv6(), nh.neighbourHi(), nh.neighbourLo());
        }
    }

    /**
     * Holds a next hop down, or releases it, for a cause (the operator's admin state, or the agent's own view
     * through the journal). Release is immediate: the hold-downs belong to the detectors. Control thread.
     */
    public void setNextHopDown(final int id, final int cause, final boolean down)
    {
        if (fib.nextHop(id) == null)
        {
            throw new IllegalArgumentException("no next hop " + id);
        }
        final NextHopLiveness.Scope scope = NextHopLiveness.Scope.nextHop(id);
        if (down)
        {
            liveness.raise(scope, cause, clock.nanoTime());
        }
        else
        {
            liveness.clear(scope, cause, 0, clock.nanoTime());
        }
    }

    /** Takes every next hop through a VIF out of service (admin down), or puts them back. Control thread. */
    public void setVifAdminDown(final int vifId, final boolean down)
    {
        if (vifs.snapshot().vif(vifId) == null)
        {
            throw new IllegalArgumentException("no VIF " + vifId);
        }
        final NextHopLiveness.Scope scope = NextHopLiveness.Scope.vif(vifId);
        if (down)
        {
            liveness.raise(scope, NextHopLiveness.CAUSE_ADMIN, clock.nanoTime());
        }
        else
        {
            liveness.clear(scope, NextHopLiveness.CAUSE_ADMIN, 0, clock.nanoTime());
        }
    }

    /**
     * Starts a BFD session with a VIF's peer, or changes its timers (a poll sequence when it runs). The peer's
     * next hops leave service when a session that was Up goes Down, and return after its hold-down once it
     * is Up again. Control thread.
     *
     * @return the session's local discriminator.
     */
    public int addBfdSession(final BfdSessionConfig session)
    {
        return bfd.add(session, clock.nanoTime());
    }

    /** Stops the BFD session with a VIF's peer; false when there was none. Control thread. */
    public boolean removeBfdSession(final int vifId, final IpPrefix peer)
    {
        return bfd.remove(vifId, peer, clock.nanoTime());
    }

    /** The BFD sessions, for {@code show bfd}. Control thread (use {@link #call} from others). */
    public List<BfdSessionView> bfdSessions()
    {
        return bfd.sessions();
    }

    /** Starts (or replaces) the health probe of a VIF. Control thread. */
    public void addHealthProbe(final HealthProbeConfig probe)
    {
        probes.add(probe, clock.nanoTime());
    }

    /** Stops the health probe of a VIF; false when there was none. Control thread. */
    public boolean removeHealthProbe(final int vifId)
    {
        return probes.remove(vifId, clock.nanoTime());
    }

    /** The health probes, for {@code show probes}. Control thread (use {@link #call} from others). */
    public List<HealthProbeView> healthProbes()
    {
        return probes.probes();
    }

    /** Adds or replaces a neighbour the operator configured; it never expires. Control thread. */
    public void addStaticNeighbour(final int vifId, final boolean ipv6, final long hi, final long lo, final long mac)
    {
        neighbours.addStatic(vifId, ipv6, hi, lo, mac);
    }

    private void event(final LivenessEvent event)
    {
        synchronized (events)
        {
            if (events.size() == 1024)
            {
                events.pollFirst();
            }
            events.addLast(event);
        }
        eventCount++;
    }

    /** The latest liveness events (at most 1024), oldest first. Any thread. */
    public List<LivenessEvent> events()
    {
        synchronized (events)
        {
            return List.copyOf(events);
        }
    }

    /** Runs {@code task} on the control thread every duty cycle. Control thread (or before start). */
    public void addTask(final ControlTask task)
    {
        tasks.add(task);
    }

    /** Who decides whether a next hop carries traffic. Control thread. */
    public NextHopLiveness liveness()
    {
        return liveness;
    }

    /** The FIB: lookups from any thread; changes on the control thread only. */
    public Fib fib()
    {
        return fib;
    }

    public VifTable vifs()
    {
        return vifs;
    }

    public NeighbourTable neighbours()
    {
        return neighbours;
    }

    public AdjacencyTable adjacencies()
    {
        return adjacencies;
    }

    public PuntReceiver puntReceiver()
    {
        return puntReceiver;
    }

    public NeighbourResolver resolver()
    {
        return resolver;
    }

    public CountersManager counters()
    {
        return counters;
    }

    public Worker worker(final int index)
    {
        return workers[index];
    }

    public int workerCount()
    {
        return workers.length;
    }

    public Port port(final int index)
    {
        return ports[index];
    }

    public int portCount()
    {
        return ports.length;
    }

    // ------------------------------------------------------------------ running

    /** One control-thread duty cycle: queued commands, punted frames, TAPs, neighbour timers, tasks. */
    public int doControlWork()
    {
        final long now = clock.nanoTime();
        int work = commands.drain(Runnable::run, 64);
        work += puntReceiver.doWork(now, 256);
        work += neighbours.doWork(now);
        work += carrierWatch.doWork(now);
        work += bfd.doWork(now);
        work += probes.doWork(now);
        work += liveness.doWork(now);
        controlCounters.publish(now);
        for (int i = 0; i < tasks.size(); i++)
        {
            work += tasks.get(i).doWork(now);
        }
        return work;
    }

    /** Runs each worker's duty cycle once on the caller's thread (tests, replay). */
    public int doWorkerWork()
    {
        int work = 0;
        for (final Worker w : workers)
        {
            work += w.doWork();
        }
        return work;
    }

    /** Starts the control thread and one thread per worker. */
    public void start()
    {
        // From here on the control thread and the workers are different threads: hand its frames over.
        for (final InjectPort p : injectPorts)
        {
            p.handOff();
        }
        final AgentRunner control = new AgentRunner(new BackoffIdleStrategy(100, 10, 1_000, 100_000),
            Throwable::printStackTrace, null, new Agent()
            {
                @Override
                public void onStart()
                {
                    controlThread = Thread.currentThread();
                }

                @Override
                public int doWork()
                {
                    return doControlWork();
                }

                @Override
                public String roleName()
                {
                    return "vbgw-control";
                }
            });
        runners.add(control);
        AgentRunner.startOnThread(control);
        for (final Worker w : workers)
        {
            // Workers spin briefly then back off to microsecond parks: low latency under load, little CPU idle.
            final AgentRunner r = new AgentRunner(new BackoffIdleStrategy(1000, 100, 1_000, 50_000),
                Throwable::printStackTrace, null, w);
            runners.add(r);
            AgentRunner.startOnThread(r);
        }
    }

    /** Runs {@code action} on the control thread and returns its result (the caller's thread before start). */
    public <T> T call(final Supplier<T> action)
    {
        if (runners.isEmpty() || Thread.currentThread() == controlThread)
        {
            return action.get();
        }
        final CompletableFuture<T> result = new CompletableFuture<>();
        final boolean queued = commands.offer(() ->
        {
            try
            {
                result.complete(action.get());
            }
            catch (final Throwable t)
            {
                result.completeExceptionally(t);
            }
        });
        if (!queued)
        {
            throw new IllegalStateException("the data plane's control queue is full (1024 commands waiting)");
        }
        try
        {
            return result.get(10, TimeUnit.SECONDS);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof RuntimeException re)
            {
                throw re;
            }
            throw new IllegalStateException(ex.getCause());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the control thread", ex);
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException("the data plane's control thread did not answer within 10 s", ex);
        }
    }

    /** Runs {@code action} on the control thread and waits for it. */
    public void run(final Runnable action)
    {
        call(() ->
        {
            action.run();
            return null;
        });
    }

    private String vifName(final int vifId)
    {
        final Vif v = vifs.snapshot().vif(vifId);
        return v == null ? "vif" + vifId : v.name();
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(runners);
        runners.clear();
        CloseHelper.close(countersFile);
    }
}
