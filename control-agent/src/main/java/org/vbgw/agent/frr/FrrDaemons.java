package org.vbgw.agent.frr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * FRR's daemons run by the agent in a state directory of their own: config files, pid files, the zebra API
 * socket, the vty sockets ({@code vtysh --vty_socket DIR}) and the logs all live in it, so several FRRs (the
 * gateway's, a lab's customer router) never share a path, and none uses {@code /etc/frr} or {@code /var/run/frr}.
 * <p>
 * Lifecycle: {@link #start} writes the configs, kills what an earlier agent that died without stopping left
 * running in the same directory (found by pid file), and starts the daemons in order in the foreground, as
 * children. A supervisor thread restarts a daemon that dies, after a back-off that doubles from
 * {@link #FIRST_BACKOFF} to {@link #MAX_BACKOFF} while it keeps dying and starts again once it stayed up for
 * {@link #STABLE_AFTER}; when zebra dies its clients are restarted with it, after it listens again (see
 * {@link #restartClientsOfZebra}). {@link #close()} stops them in reverse order, SIGTERM first and SIGKILL after
 * {@link #STOP_TIMEOUT}; a JVM shutdown hook does the same should the owner never close it. Every process it
 * started is gone when {@code close()} returns.
 * <p>
 * Debian's FRR daemons drop privileges to user {@code frr} (group {@code frr}), so the directory is chowned to
 * it and every directory above it must let others through ({@code o+x}); see {@link FrrDirectory}.
 * <p>
 * Threads: {@code start} and {@code close} on the owner's thread; the supervisor on its own. Process handles are
 * guarded by {@code this}.
 */
public final class FrrDaemons implements AutoCloseable
{
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    static final Duration STABLE_AFTER = Duration.ofSeconds(30);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final long SUPERVISE_EVERY_MS = 100;

    /** Where Debian's (and FRR's own packages') daemons are. */
    public static final Path DEFAULT_BINARIES = Path.of("/usr/lib/frr");
    public static final String FRR_USER = FrrDirectory.FRR_USER;

    private final FrrDirectory files;
    private final Path directory;
    private final Path binaries;
    private final List<String> launcher;
    private final List<Supervised> daemons = new ArrayList<>();
    private final Thread supervisor;
    private final Thread shutdownHook;
    private volatile boolean stopping;

    private FrrDaemons(final FrrDirectory files, final Path binaries, final List<String> launcher, final List<FrrDaemon> run)
    {
        this.files = files;
        this.directory = files.path();
        this.binaries = binaries;
        this.launcher = List.copyOf(launcher);
        for (final FrrDaemon d : run)
        {
            daemons.add(new Supervised(d));
        }
        this.supervisor = new Thread(this::supervise, "vbgw-frr-supervisor");
        this.supervisor.setDaemon(true);
        this.shutdownHook = new Thread(this::stopAll, "vbgw-frr-stop");
    }

    /**
     * Starts {@code run} in {@code directory} (created if missing) with FRR's daemons from
     * {@link #DEFAULT_BINARIES}, in this process's network namespace.
     */
    public static FrrDaemons start(final Path directory, final List<FrrDaemon> run)
    {
        return start(directory, run, DEFAULT_BINARIES, List.of());
    }

    /**
     * Starts {@code run} in {@code directory}.
     *
     * @param binaries FRR's daemon directory.
     * @param launcher a command prefix, e.g. {@code ip netns exec NS} to run them in another namespace; it must
     *                 exec the daemon (keep its pid) so that stopping the process stops the daemon.
     */
    public static FrrDaemons start(final Path directory, final List<FrrDaemon> run, final Path binaries,
        final List<String> launcher)
    {
        if (run.isEmpty())
        {
            throw new IllegalArgumentException("no FRR daemon to start");
        }
        for (final FrrDaemon d : run)
        {
            if (!Files.isExecutable(binaries.resolve(d.name())))
            {
                throw new IllegalStateException("FRR's " + d.name() + " is not at " + binaries.resolve(d.name()) +
                    ": install FRR (Debian: apt-get install frr)");
            }
        }
        final FrrDaemons frr = new FrrDaemons(FrrDirectory.prepare(directory, run, STOP_TIMEOUT.toMillis()), binaries,
            launcher, run);
        try
        {
            Runtime.getRuntime().addShutdownHook(frr.shutdownHook);
            synchronized (frr)
            {
                for (final Supervised d : frr.daemons)
                {
                    frr.launch(d);
                    if ("zebra".equals(d.spec.name()))
                    {
                        // Clients retry, but a bgpd that finds zebra at once announces sooner.
                        frr.awaitPath(frr.files.zserv(), Duration.ofSeconds(10), d);
                    }
                }
            }
            frr.supervisor.start();
            return frr;
        }
        catch (final RuntimeException ex)
        {
            frr.close();
            throw ex;
        }
    }

    /** The state directory, which also holds the vty sockets ({@code vtysh --vty_socket}). */
    public Path directory()
    {
        return directory;
    }

    /** A {@link Vtysh} that talks to these daemons. */
    public Vtysh vtysh()
    {
        return new Vtysh(directory, launcher);
    }

    /** Waits until every daemon answers on its vty socket; throws with the daemon's log tail if one does not. */
    public void awaitReady(final Duration timeout)
    {
        for (final Supervised d : daemons)
        {
            awaitPath(files.vty(d.spec.name()), timeout, d);
        }
    }

    /** The pid of a running daemon, if it runs. */
    public synchronized Optional<Long> pid(final String daemon)
    {
        final Supervised d = find(daemon);
        return d.process != null && d.process.isAlive() ? Optional.of(d.process.pid()) : Optional.empty();
    }

    /** How often the supervisor has restarted {@code daemon}. */
    public synchronized int restarts(final String daemon)
    {
        return find(daemon).restarts;
    }

    /** The last lines of a daemon's log file, for error messages. */
    public String logTail(final String daemon)
    {
        return files.logTail(daemon);
    }

    /** Stops every daemon (SIGTERM, then SIGKILL after {@link #STOP_TIMEOUT}) and the supervisor. Idempotent. */
    @Override
    public void close()
    {
        stopAll();
        try
        {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (final IllegalStateException | IllegalArgumentException ignored)
        {
            // The JVM is already shutting down (the hook runs or ran), or the hook was never added.
        }
    }

    private void stopAll()
    {
        stopping = true;
        supervisor.interrupt();
        synchronized (this)
        {
            for (int i = daemons.size() - 1; i >= 0; i--)
            {
                final Process p = daemons.get(i).process;
                if (p != null)
                {
                    stop(p);
                }
            }
        }
    }

    private static void stop(final Process p)
    {
        if (!p.isAlive())
        {
            return;
        }
        p.destroy();
        try
        {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
            {
                p.destroyForcibly();
                p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private Supervised find(final String daemon)
    {
        for (final Supervised d : daemons)
        {
            if (d.spec.name().equals(daemon))
            {
                return d;
            }
        }
        throw new IllegalArgumentException("no FRR daemon " + daemon + " here");
    }

    private void supervise()
    {
        while (!stopping)
        {
            try
            {
                Thread.sleep(SUPERVISE_EVERY_MS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            synchronized (this)
            {
                if (stopping)
                {
                    return;
                }
                final long now = System.nanoTime();
                for (final Supervised d : daemons)
                {
                    superviseOne(d, now);
                }
            }
        }
    }

    private void superviseOne(final Supervised d, final long now)
    {
        if (d.process != null && d.process.isAlive())
        {
            return;
        }
        if (d.process != null)
        {
            // Just found dead: note it and schedule the restart.
            System.err.println("vbgw: FRR " + d.spec.name() + " (pid " + d.process.pid() + ") exited with status " +
                d.process.exitValue() + "; restarting it");
            scheduleRestart(d, now);
            if (isZebra(d))
            {
                restartClientsOfZebra(now);
            }
            return;
        }
        if (!isZebra(d) && !zebraListening())
        {
            // A client started before zebra listens would wait for its reconnect timer; start it right after.
            return;
        }
        if (now - d.restartAtNs >= 0)
        {
            try
            {
                launch(d);
                d.restarts++;
            }
            catch (final RuntimeException ex)
            {
                d.backoff = MAX_BACKOFF;
                d.restartAtNs = now + MAX_BACKOFF.toNanos();
                System.err.println("vbgw: cannot restart FRR " + d.spec.name() + ": " + ex.getMessage());
            }
        }
    }

    private void scheduleRestart(final Supervised d, final long now)
    {
        final long upNs = now - d.startedNs;
        d.backoff = upNs > STABLE_AFTER.toNanos() ? FIRST_BACKOFF
            : d.backoff == null ? FIRST_BACKOFF : min(d.backoff.multipliedBy(2), MAX_BACKOFF);
        d.restartAtNs = now + d.backoff.toNanos();
        d.process = null;
    }

    /**
     * A restarted zebra does not get its clients' routes back: FRR 8.4's bgpd reconnects but does not announce
     * again (seen here: zebra's RIB stays without BGP routes), which is why FRR's own watchfrr restarts every
     * daemon when zebra dies. So do we. The clients get SIGKILL, not SIGTERM: bgpd would send its peers a Cease
     * and they would drop our routes, while a vanished TCP connection lets them keep the routes as stale until
     * the restarted bgpd is back (graceful restart; the data plane forwards meanwhile).
     */
    private void restartClientsOfZebra(final long now)
    {
        files.removeStale(files.zserv());
        for (final Supervised c : daemons)
        {
            if (!isZebra(c) && c.process != null)
            {
                final Process p = c.process;
                p.destroyForcibly();
                try
                {
                    p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
                System.err.println("vbgw: FRR " + c.spec.name() + " (pid " + p.pid() + ") restarted with zebra");
                scheduleRestart(c, now);
            }
        }
    }

    private static boolean isZebra(final Supervised d)
    {
        return "zebra".equals(d.spec.name());
    }

    private boolean zebraListening()
    {
        for (final Supervised d : daemons)
        {
            if (isZebra(d) && (d.process == null || !d.process.isAlive() || !Files.exists(files.zserv())))
            {
                return false;
            }
        }
        return true;
    }

    private static Duration min(final Duration a, final Duration b)
    {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void launch(final Supervised d)
    {
        final String name = d.spec.name();
        final List<String> command = new ArrayList<>(launcher);
        command.add(binaries.resolve(name).toString());
        command.addAll(List.of("-f", files.config(name).toString(),
            "-i", files.pidFile(name).toString(),
            "-z", files.zserv().toString(),
            "--vty_socket", directory.toString(),
            // No vty on TCP: vtysh reaches the daemons through the sockets in the directory.
            "-A", "127.0.0.1", "-P", "0",
            "--log", "file:" + files.log(name), "--log-level", "informational",
            "-u", FRR_USER, "-g", FRR_USER));
        command.addAll(d.spec.arguments());
        final ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(files.output(name).toFile()));
        try
        {
            d.process = pb.start();
            d.startedNs = System.nanoTime();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start FRR's " + name + ": " + ex.getMessage(), ex);
        }
    }

    private void awaitPath(final Path path, final Duration timeout, final Supervised d)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(path))
        {
            final Process p;
            synchronized (this)
            {
                p = d.process;
            }
            if (p != null && !p.isAlive() && d.restarts == 0 && !supervisor.isAlive())
            {
                throw new IllegalStateException("FRR's " + d.spec.name() + " exited with status " + p.exitValue() +
                    " at start; its log:\n" + logTail(d.spec.name()));
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("FRR's " + d.spec.name() + " did not create " + path + " within " +
                    timeout.toMillis() + " ms; its log:\n" + logTail(d.spec.name()));
            }
            try
            {
                Thread.sleep(20);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for FRR's " + d.spec.name(), ex);
            }
        }
    }

    /** A daemon and the supervisor's view of it; fields guarded by the enclosing instance. */
    private static final class Supervised
    {
        final FrrDaemon spec;
        Process process;
        long startedNs;
        long restartAtNs;
        Duration backoff;
        int restarts;

        Supervised(final FrrDaemon spec)
        {
            this.spec = spec;
        }
    }
}
