package org.vbgw.agent.run;

import org.vbgw.agent.config.GatewayConfig;
import org.vbgw.agent.journal.FibJournal;
import org.vbgw.agent.journal.FibWriter;
import org.vbgw.agent.journal.JournalState;
import org.vbgw.agent.rib.Rib;
import org.vbgw.agent.rib.RibPath;
import org.vbgw.agent.rib.RouteSource;
import org.vbgw.fib.IpPrefix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The agent: the RIB, filled from the config and the operator's routes, programming the FIB through the
 * journal. It runs inside {@code vbgw run} beside the data plane, or alone ({@code vbgw run --role agent})
 * against a data plane in another process that tails the same journal.
 * <p>
 * <b>Start = reconcile.</b> The agent never assumes the FIB is empty: it reads what the journal says the FIB holds
 * ({@link JournalState}), adopts it into the RIB, adds the config's routes and the operator's saved ones, and
 * removes only what is no longer wanted. A restart with the same config therefore writes nothing, and the data
 * plane forwards on, undisturbed, while the agent is away and while it comes back. Routes the journal records as
 * learnt from BGP or FRR ({@link #RELEARNED}) are not the agent's to re-derive: they stay, stale, until zebra
 * announces them again over FPM, and {@link #flushStale()} removes the ones it did not once the grace period is
 * over (a graceful restart, as a BGP speaker keeps a restarting peer's routes).
 * <p>
 * <b>Reload</b> gives the RIB only the prefixes whose candidates changed; the RIB writes only groups and routes
 * that change as a result. Methods are synchronized: the RIB and the journal's appender have one writer at a time
 * (start-up, the HTTP API, a SIGHUP).
 */
public final class RouteAgent
{
    /** What a start or reload did. */
    public record Outcome(int routesAdopted, int prefixesTouched, int routesRemoved, long journalEntries,
        List<String> notes)
    {
    }

    private record ApiRoute(List<IpPrefix> nextHops, int distance)
    {
    }

    /** Sources whose routes come back on their own after a restart (zebra replays its table over FPM). */
    public static final Set<RouteSource> RELEARNED = EnumSet.of(RouteSource.EBGP, RouteSource.IBGP, RouteSource.FRR);

    private final FibJournal journal;
    /** The RIB's writer: the journal, with transactions begun only when they hold a change. */
    private final LazyTransactionWriter writer;
    private final Rib rib;
    private final Path apiRoutesFile;
    private final Map<IpPrefix, ApiRoute> apiRoutes = new LinkedHashMap<>();
    private Thread staleTimer;
    private GatewayConfig config;
    private Map<String, Integer> vifIds;
    private ConfigRoutes configRoutes;

    /**
     * @param apiRoutesFile where the operator's routes are kept across restarts (null: not kept).
     */
    public RouteAgent(final GatewayConfig config, final Map<String, Integer> vifIds, final FibJournal journal,
        final Path apiRoutesFile)
    {
        this.config = config;
        this.vifIds = Map.copyOf(vifIds);
        this.journal = journal;
        this.writer = new LazyTransactionWriter(journal);
        this.rib = new Rib(writer);
        this.apiRoutesFile = apiRoutesFile;
    }

    /**
     * Reconciles: adopts the FIB's state from the journal (and {@code snapshot}, when it exists), programs the
     * config's and the saved operator routes, and removes what is left over.
     */
    public synchronized Outcome start(final Path snapshot)
    {
        final JournalState state;
        try
        {
            state = JournalState.read(journal, snapshot);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the FIB snapshot " + snapshot, ex);
        }
        final long before = journal.lastIndex();
        final long written = countWritten(before, () ->
        {
            rib.adopt(state, RELEARNED);
            configRoutes = ConfigRoutes.of(config, vifIds);
            configRoutes.programInto(rib);
        });
        final List<String> notes = new ArrayList<>(configRoutes.notes());
        final long restored = countWritten(journal.lastIndex(), () -> restoreApiRoutes(notes));
        final long neighbours = countWritten(journal.lastIndex(), () ->
            writeNeighbourChanges(journal, state.neighbours(), configRoutes.neighbours()));
        final int[] removed = {0};
        final long swept = countWritten(journal.lastIndex(), () -> removed[0] = rib.sweep());
        return new Outcome(state.routes().size(), configRoutes.routes().size(), removed[0],
            written + restored + neighbours + swept, notes);
    }

    /**
     * Applies a changed config (already checked): only the routes and static neighbours that differ are written.
     * {@code newVifIds} must keep the ids of VIFs that still exist ({@link VifIds#assign}).
     */
    public synchronized Outcome reload(final GatewayConfig newConfig, final Map<String, Integer> newVifIds)
    {
        final ConfigRoutes next = ConfigRoutes.of(newConfig, newVifIds);
        final List<String> notes = new ArrayList<>(next.notes());
        final int[] touched = {0};
        final long entries = countWritten(journal.lastIndex(), () ->
        {
            touched[0] = next.programChangesInto(rib, configRoutes);
            writeNeighbourChanges(journal, configRoutes.neighbours(), next.neighbours());
        });
        final GatewayConfig oldConfig = config;
        final Map<String, Integer> oldIds = vifIds;
        config = newConfig;
        vifIds = Map.copyOf(newVifIds);
        configRoutes = next;
        // An operator route resolves its next hops against the VIFs' subnets, which the reload may have moved.
        final long api = countWritten(journal.lastIndex(), () -> apiRoutes.forEach((prefix, route) ->
        {
            try
            {
                final List<RibPath> now = paths(route.nextHops());
                if (!now.equals(paths(oldConfig, oldIds, route.nextHops())))
                {
                    rib.set(RouteSource.API, prefix, Map.of(route.distance(), now));
                }
            }
            catch (final IllegalArgumentException ex)
            {
                notes.add("operator route " + prefix + " kept as it was: " + ex.getMessage());
            }
        }));
        return new Outcome(0, touched[0], 0, entries + api, notes);
    }

    /** Routes kept from before the start that their protocol has not announced again yet. */
    public synchronized int staleRoutes()
    {
        return rib.staleCount();
    }

    /**
     * The grace period is over (or nothing will announce the stale routes again): removes the stale routes no
     * protocol announced again, as one journal transaction.
     *
     * @return how many were removed.
     */
    public synchronized int flushStale()
    {
        if (rib.staleCount() == 0)
        {
            return 0;
        }
        writer.transactionBegin();
        try
        {
            return rib.sweepStale();
        }
        finally
        {
            writer.transactionEnd();
        }
    }

    /**
     * The routes kept stale from before this start get zebra's grace period to be announced again over FPM (the
     * time the FPM server gives them after a lost session too); those not announced by then are removed, on a
     * daemon thread of its own ({@link #staleTimer()}, interrupted to cancel). zebra's FPM stream has no end-of-table
     * marker, so the timer is the end of its replay. Does nothing when no route is stale.
     */
    public synchronized void flushStaleAfter(final long graceMs, final java.util.function.Consumer<String> log)
    {
        if (rib.staleCount() == 0 || staleTimer != null)
        {
            return;
        }
        log.accept("fpm: " + rib.staleCount() + " route(s) learnt from FRR before the restart kept (stale) for " +
            graceMs + " ms until zebra announces them again");
        final Thread timer = new Thread(() ->
        {
            try
            {
                Thread.sleep(graceMs);
            }
            catch (final InterruptedException ex)
            {
                return; // closing
            }
            final int flushed = flushStale();
            log.accept("fpm: restart grace period over, " + flushed + " stale route(s) zebra did not announce again " +
                "removed");
        }, "vbgw-stale-routes");
        timer.setDaemon(true);
        staleTimer = timer;
        timer.start();
    }

    /** The timer of {@link #flushStaleAfter}, null when none was started. */
    public synchronized Thread staleTimer()
    {
        return staleTimer;
    }

    /** Adds or replaces an operator's route; next hops are addresses in a VIF's interconnect subnet. */
    public synchronized void addApiRoute(final IpPrefix prefix, final List<IpPrefix> nextHops, final int distance)
    {
        for (final IpPrefix nh : nextHops)
        {
            if (nh.length() != (nh.ipv6() ? 128 : 32))
            {
                throw new IllegalArgumentException("next hop " + nh + " must be an address");
            }
        }
        rib.add(RouteSource.API, prefix, paths(nextHops), distance);
        apiRoutes.put(prefix, new ApiRoute(List.copyOf(nextHops), distance));
        saveApiRoutes();
    }

    /** Removes an operator's route; false when there was none. */
    public synchronized boolean removeApiRoute(final IpPrefix prefix)
    {
        final boolean removed = rib.remove(RouteSource.API, prefix);
        if (apiRoutes.remove(prefix) != null)
        {
            saveApiRoutes();
        }
        return removed;
    }

    /**
     * Applies {@code change} to the RIB as one journal transaction, which the data plane applies as one change
     * (a path change never shows the prefix missing); serialized with the agent's other writers. For routes the
     * agent does not own itself (FRR's, through FPM).
     */
    public synchronized void change(final java.util.function.Consumer<Rib> change)
    {
        writer.transactionBegin();
        try
        {
            change.accept(rib);
        }
        finally
        {
            writer.transactionEnd();
        }
    }

    /** Every RIB candidate with its source, as one consistent list. */
    public synchronized List<org.vbgw.agent.rib.RibRoute> routes()
    {
        return rib.routes();
    }

    public Rib rib()
    {
        return rib;
    }

    public synchronized Map<String, Integer> vifIds()
    {
        return vifIds;
    }

    private List<RibPath> paths(final List<IpPrefix> nextHops)
    {
        return paths(config, vifIds, nextHops);
    }

    private static List<RibPath> paths(final GatewayConfig config, final Map<String, Integer> vifIds,
        final List<IpPrefix> nextHops)
    {
        final List<RibPath> paths = new ArrayList<>();
        for (final IpPrefix nh : nextHops)
        {
            paths.add(new RibPath(ConfigRoutes.vifFor(config, vifIds, nh), nh, 1));
        }
        return paths;
    }

    /** Journal entries written by {@code action}: queue indexes count entries within a cycle. */
    private long countWritten(final long before, final Runnable action)
    {
        action.run();
        final long after = journal.lastIndex();
        if (after == before)
        {
            return 0;
        }
        return before < 0 ? after - (after & ~0xFFFF_FFFFL) + 1 : after - before;
    }

    static void writeNeighbourChanges(final FibWriter fib, final Map<JournalState.NeighbourKey, Long> before,
        final Map<JournalState.NeighbourKey, Long> after)
    {
        after.forEach((key, mac) ->
        {
            if (!Objects.equals(before.get(key), mac))
            {
                fib.neighbour(key.vifId(), key.ipv6(), key.hi(), key.lo(), mac);
            }
        });
        before.keySet().forEach(key ->
        {
            if (!after.containsKey(key))
            {
                fib.neighbourRemoved(key.vifId(), key.ipv6(), key.hi(), key.lo());
            }
        });
    }

    private void restoreApiRoutes(final List<String> notes)
    {
        if (apiRoutesFile == null || !Files.exists(apiRoutesFile))
        {
            return;
        }
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(apiRoutesFile, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the operator routes in " + apiRoutesFile, ex);
        }
        int n = 0;
        for (final String line : lines)
        {
            n++;
            final String[] f = line.trim().split("\\s+");
            if (f.length == 1 && f[0].isEmpty())
            {
                continue;
            }
            try
            {
                if (f.length < 3)
                {
                    throw new IllegalArgumentException("expected 'prefix distance next-hop...'");
                }
                final List<IpPrefix> nextHops = new ArrayList<>();
                for (int i = 2; i < f.length; i++)
                {
                    nextHops.add(IpPrefix.parse(f[i]));
                }
                final IpPrefix prefix = IpPrefix.parse(f[0]);
                final int distance = Integer.parseInt(f[1]);
                rib.add(RouteSource.API, prefix, paths(nextHops), distance);
                apiRoutes.put(prefix, new ApiRoute(List.copyOf(nextHops), distance));
            }
            catch (final IllegalArgumentException ex)
            {
                // One bad line must not cost the others; the operator hears which and why.
                notes.add(apiRoutesFile + ":" + n + ": operator route not restored: " + ex.getMessage());
            }
        }
    }

    private void saveApiRoutes()
    {
        if (apiRoutesFile == null)
        {
            return;
        }
        final StringBuilder text = new StringBuilder();
        apiRoutes.forEach((prefix, route) ->
        {
            text.append(prefix).append(' ').append(route.distance());
            route.nextHops().forEach(nh -> text.append(' ').append(IpPrefix.format(nh.ipv6(), nh.hi(), nh.lo())));
            text.append('\n');
        });
        try
        {
            Files.createDirectories(apiRoutesFile.toAbsolutePath().getParent());
            final Path tmp = apiRoutesFile.resolveSibling(apiRoutesFile.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, apiRoutesFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot save the operator routes to " + apiRoutesFile, ex);
        }
    }
}
