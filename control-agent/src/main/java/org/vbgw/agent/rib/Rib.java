package org.vbgw.agent.rib;

import org.vbgw.agent.journal.FibWriter;
import org.vbgw.agent.journal.JournalState;
import org.vbgw.fib.IpPrefix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The routing information base: every candidate route from every source, the best of each prefix
 * programmed into the FIB through a {@link FibWriter}.
 * <p>
 * Best = lowest administrative distance (ties: the source listed first in {@link RouteSource}). The
 * next-best candidate with a different path set becomes the installed group's <em>backup group</em>, so the
 * data plane falls over to it by itself, in O(1), when every primary path dies (the VPN-as-last-resort
 * scenario), before the agent has noticed. A {@linkplain RouteSource#backupOnly() backup-only} candidate (a BGP
 * VIF's remote subnet) is never installed itself; it backs up the route of its own prefix and of every more
 * specific prefix inside it, with the paths the route does not already use (BGP PIC's precomputed backup). Identical (paths, backup, origin) sets share one group, and identical
 * (VIF, gateway) pairs one next hop ({@link NextHopGroups}): a failure then rewrites one group, whatever the number
 * of routes.
 * <p>
 * One map entry per prefix holds its candidates, kept ranked in a small array, and what is installed: a route
 * through the RIB is one hash lookup here and one in the path-set cache, so a full BGP table goes through at
 * hundreds of thousands of routes a second ({@code RibBenchmark}).
 * <p>
 * Control thread only. Entries are written in dependency order: next hops before the groups that use
 * them, groups before routes; removal in the reverse order.
 */
public final class Rib
{
    private static final int NO_GROUP = NextHopGroups.NO_GROUP;
    private static final Candidate[] NONE = new Candidate[0];

    /** {@code stale}: adopted from the journal at a restart, kept until its source announces it again or gives up. */
    private record Candidate(RouteSource source, int distance, List<RibPath> paths, boolean stale)
    {
        /** Ranking: lower distance first, then the source listed first. */
        boolean before(final Candidate o)
        {
            return distance != o.distance ? distance < o.distance : source.ordinal() < o.source.ordinal();
        }
    }

    /** A prefix: its candidates (ranked, best first) and the group installed for it. */
    private static final class Entry
    {
        Candidate[] candidates = NONE;
        int count;
        int groupId = NO_GROUP;
        /** The installed candidate; null for an adopted route no candidate has claimed yet. */
        Candidate primary;

        /** Inserts (or replaces the candidate of the same source and distance) keeping the ranking. */
        void put(final Candidate c)
        {
            removeWhere(c.source(), c.distance(), false);
            if (count == candidates.length)
            {
                candidates = Arrays.copyOf(candidates, Math.max(2, count * 2));
            }
            int i = count++;
            while (i > 0 && c.before(candidates[i - 1]))
            {
                candidates[i] = candidates[i - 1];
                i--;
            }
            candidates[i] = c;
        }

        /**
         * Removes the candidates of {@code source} (at {@code distance}, or any when it is -1; only stale ones when
         * {@code staleOnly}); returns how many.
         */
        int removeWhere(final RouteSource source, final int distance, final boolean staleOnly)
        {
            int kept = 0;
            for (int i = 0; i < count; i++)
            {
                final Candidate c = candidates[i];
                final boolean match = (source == null || c.source() == source) &&
                    (distance < 0 || c.distance() == distance) && (!staleOnly || c.stale());
                if (!match)
                {
                    candidates[kept++] = c;
                }
            }
            final int removed = count - kept;
            Arrays.fill(candidates, kept, count, null);
            count = kept;
            return removed;
        }

        boolean has(final RouteSource source)
        {
            for (int i = 0; i < count; i++)
            {
                if (candidates[i].source() == source)
                {
                    return true;
                }
            }
            return false;
        }
    }

    private final FibWriter fib;
    private final NextHopGroups groups;
    private final Map<IpPrefix, Entry> entries = new HashMap<>();
    private int installedCount;
    /** Adopted routes whose group the journal never defined; removed by {@link #sweep()}. */
    private final List<IpPrefix> strayRoutes = new ArrayList<>();
    /** Prefixes holding a stale candidate (see {@link #adopt(JournalState, Set)}); removed by {@link #sweepStale()}. */
    private final Set<IpPrefix> stalePrefixes = new HashSet<>();
    private int staleCount;
    /** Prefixes holding a backup-only candidate, and per family and length how many: the covers to look up. */
    private final Set<IpPrefix> backupOnlyPrefixes = new HashSet<>();
    private final int[][] backupOnlyLengths = new int[2][129];

    public Rib(final FibWriter fib)
    {
        this.fib = fib;
        this.groups = new NextHopGroups(fib);
    }

    /** Adds or replaces {@code source}'s candidate for {@code prefix}, with the source's default distance. */
    public void add(final RouteSource source, final IpPrefix prefix, final List<RibPath> paths)
    {
        add(source, prefix, paths, source.defaultDistance());
    }

    /**
     * Adds or replaces {@code source}'s candidate for {@code prefix} at {@code distance}; the same source may
     * add more candidates at other distances (a floating static route behind the primary).
     */
    public void add(final RouteSource source, final IpPrefix prefix, final List<RibPath> paths, final int distance)
    {
        check(prefix, paths, distance);
        final Entry e = entries.computeIfAbsent(prefix, p -> new Entry());
        refreshed(source, prefix, e);
        e.put(new Candidate(source, distance, List.copyOf(paths), false));
        reselect(prefix, e);
        backupOnlyChanged(source, prefix, e);
    }

    private static void check(final IpPrefix prefix, final List<RibPath> paths, final int distance)
    {
        if (paths.isEmpty())
        {
            throw new IllegalArgumentException(prefix + ": a route needs at least one path");
        }
        if (distance < 0 || distance > 255)
        {
            throw new IllegalArgumentException(prefix + ": distance " + distance + " out of range 0..255");
        }
        for (int i = 0; i < paths.size(); i++)
        {
            final RibPath p = paths.get(i);
            if (p.gateway() != null && p.gateway().ipv6() != prefix.ipv6())
            {
                throw new IllegalArgumentException(prefix + ": gateway " + p.gateway() + " is of the other address family");
            }
        }
    }

    /**
     * Makes {@code byDistance} (distance → paths) the whole of {@code source}'s candidates for {@code prefix}, then
     * selects once: a reload that changes a route's paths writes the new route, never a removal before it, and a
     * reload that changes nothing writes nothing. An empty map removes the source's candidates.
     */
    public void set(final RouteSource source, final IpPrefix prefix, final Map<Integer, List<RibPath>> byDistance)
    {
        byDistance.forEach((distance, paths) -> check(prefix, paths, distance));
        final Entry e = entries.computeIfAbsent(prefix, p -> new Entry());
        refreshed(source, prefix, e);
        e.removeWhere(source, -1, false);
        byDistance.forEach((distance, paths) -> e.put(new Candidate(source, distance, List.copyOf(paths), false)));
        reselect(prefix, e);
        backupOnlyChanged(source, prefix, e);
    }

    /**
     * {@code source} speaks about {@code prefix} again: its stale candidates there (from before a restart) are
     * replaced by what it says now, whatever their distance, as a graceful restart does.
     */
    private void refreshed(final RouteSource source, final IpPrefix prefix, final Entry e)
    {
        if (staleCount == 0 || !stalePrefixes.contains(prefix))
        {
            return;
        }
        staleCount -= e.removeWhere(source, -1, true);
        for (int i = 0; i < e.count; i++)
        {
            if (e.candidates[i].stale())
            {
                return;
            }
        }
        stalePrefixes.remove(prefix);
    }

    /** Removes every candidate {@code source} has for {@code prefix}; false when it had none. */
    public boolean remove(final RouteSource source, final IpPrefix prefix)
    {
        final Entry e = entries.get(prefix);
        if (e == null)
        {
            return false;
        }
        final int before = e.count;
        refreshed(source, prefix, e);
        e.removeWhere(source, -1, false);
        if (e.count == before)
        {
            return false;
        }
        reselect(prefix, e);
        backupOnlyChanged(source, prefix, e);
        return true;
    }

    /**
     * After a backup-only candidate of {@code prefix} came, changed or went: the routes inside the prefix select
     * their backup again. A scan of every prefix, but backup-only candidates come from the config, so this runs
     * at a start or a reload, not per BGP update.
     */
    private void backupOnlyChanged(final RouteSource source, final IpPrefix prefix, final Entry e)
    {
        if (!source.backupOnly())
        {
            return;
        }
        final boolean has = entries.get(prefix) == e && e.has(source);
        final int family = prefix.ipv6() ? 1 : 0;
        if (has && backupOnlyPrefixes.add(prefix))
        {
            backupOnlyLengths[family][prefix.length()]++;
        }
        else if (!has && backupOnlyPrefixes.remove(prefix))
        {
            backupOnlyLengths[family][prefix.length()]--;
        }
        final List<IpPrefix> inside = new ArrayList<>();
        entries.forEach((p, entry) ->
        {
            if (p.length() > prefix.length() && prefix.contains(p))
            {
                inside.add(p);
            }
        });
        inside.forEach(p -> reselect(p, entries.get(p)));
    }

    /** Removes every candidate of a source (e.g. BGP routes when FRR is gone past its grace period). */
    public int removeAll(final RouteSource source)
    {
        final List<IpPrefix> prefixes = new ArrayList<>();
        entries.forEach((p, e) ->
        {
            if (e.has(source))
            {
                prefixes.add(p);
            }
        });
        prefixes.forEach(p -> remove(source, p));
        return prefixes.size();
    }

    /** All candidates, in prefix order, installed one first per prefix. */
    public List<RibRoute> routes()
    {
        final List<RibRoute> out = new ArrayList<>();
        final List<IpPrefix> prefixes = new ArrayList<>(entries.keySet());
        prefixes.sort(Comparator.<IpPrefix, Boolean>comparing(IpPrefix::ipv6)
            .thenComparing(IpPrefix::hi, Long::compareUnsigned)
            .thenComparing(IpPrefix::lo, Long::compareUnsigned)
            .thenComparingInt(IpPrefix::length));
        for (final IpPrefix p : prefixes)
        {
            final Entry e = entries.get(p);
            for (int i = 0; i < e.count; i++)
            {
                final Candidate c = e.candidates[i];
                final boolean isBest = e.primary == c;
                out.add(new RibRoute(p, c.source(), c.distance(), c.paths(), isBest, isBest ? e.groupId : NO_GROUP,
                    c.stale()));
            }
        }
        return out;
    }

    /** Number of prefixes with an installed route. */
    public int installedCount()
    {
        return installedCount;
    }

    public int groupCount()
    {
        return groups.groupCount();
    }

    public int nextHopCount()
    {
        return groups.nextHopCount();
    }

    /** Candidates kept stale since {@link #adopt(JournalState, Set)} and not announced again yet. */
    public int staleCount()
    {
        return staleCount;
    }

    /** As {@link #adopt(JournalState, Set)} with no source announcing its routes again: all are the caller's to re-add. */
    public int adopt(final JournalState state)
    {
        return adopt(state, Set.of());
    }

    /**
     * Takes over what the FIB already holds (read from the journal) as this RIB's installed state, before any
     * candidate is added: next hops, groups and routes keep their ids, and re-adding the same routes then writes
     * nothing. An agent restart does this, then adds its routes again and calls {@link #sweep()}; the data plane
     * forwards on throughout, because nothing it holds is removed and written again.
     * <p>
     * Routes whose group the journal records as coming from one of {@code relearned} (BGP and FRR's routes, which
     * zebra announces again over FPM once it reconnects) become <em>stale</em> candidates of that source, as a
     * graceful restart keeps a restarting peer's routes: {@link #sweep()} leaves them, an announcement from their
     * source replaces them, and {@link #sweepStale()} removes the ones never announced again (at the end of the
     * grace period). Forwarding on them never stops meanwhile.
     *
     * @return how many routes were adopted.
     */
    public int adopt(final JournalState state, final Set<RouteSource> relearned)
    {
        if (!entries.isEmpty() || groups.groupCount() > 0 || groups.nextHopCount() > 0)
        {
            throw new IllegalStateException("a RIB adopts the FIB's state before it holds anything of its own");
        }
        state.nextHops().forEach((id, nh) -> groups.adoptNextHop(id, nh.vifId(), nh.ipv6(), nh.hi(), nh.lo()));
        state.groups().forEach((id, g) ->
            groups.adoptGroup(id, g.nextHopIds(), g.weights(), g.backupGroupId(), g.source() << 8 | g.distance()));
        groups.adoptBackupReferences();
        final int[] adopted = {0};
        state.routes().forEach((prefix, groupId) ->
        {
            if (groups.hasGroup(groupId))
            {
                final Entry e = new Entry();
                e.groupId = groupId;
                entries.put(prefix, e);
                installedCount++;
                groups.addRef(groupId);
                adopted[0]++;
                final JournalState.GroupEntry g = state.groups().get(groupId);
                final RouteSource source = RouteSource.ofJournalCode(g.source());
                if (source != null && relearned.contains(source))
                {
                    keepStale(prefix, e, source, g, state);
                }
            }
            else
            {
                // A route to a group the journal never defined: the data plane refused it; say so by removing it.
                strayRoutes.add(prefix);
            }
        });
        return adopted[0];
    }

    /**
     * Makes the adopted route of {@code prefix} a stale candidate of {@code source}, with the paths its group holds,
     * installed as it is (no FIB write): the group's members are next hops the journal defined, so the paths are.
     */
    private void keepStale(final IpPrefix prefix, final Entry e, final RouteSource source,
        final JournalState.GroupEntry g, final JournalState state)
    {
        final List<RibPath> paths = new ArrayList<>(g.nextHopIds().length);
        for (int i = 0; i < g.nextHopIds().length; i++)
        {
            final JournalState.NextHopEntry nh = state.nextHops().get(g.nextHopIds()[i]);
            if (nh == null || nh.ipv6() != prefix.ipv6())
            {
                return; // Not a group this RIB could have written for the route: leave it to sweep().
            }
            // An attached path is written as the all-zero neighbour (see NextHopGroups).
            final IpPrefix gateway = nh.hi() == 0 && nh.lo() == 0 ? null
                : new IpPrefix(nh.ipv6(), nh.hi(), nh.lo(), nh.ipv6() ? 128 : 32);
            paths.add(new RibPath(nh.vifId(), gateway, Math.max(1, g.weights()[i])));
        }
        final Candidate stale = new Candidate(source, g.distance(), List.copyOf(paths), true);
        e.put(stale);
        e.primary = stale;
        stalePrefixes.add(prefix);
        staleCount++;
    }

    /**
     * Removes the stale candidates no source has announced again since {@link #adopt(JournalState, Set)} (the
     * grace period is over), selecting again where they were: the prefix falls back to another candidate or goes.
     *
     * @return how many stale candidates were removed.
     */
    public int sweepStale()
    {
        int removed = 0;
        for (final IpPrefix prefix : new ArrayList<>(stalePrefixes))
        {
            final Entry e = entries.get(prefix);
            if (e != null)
            {
                removed += e.removeWhere(null, -1, true);
                reselect(prefix, e);
            }
        }
        stalePrefixes.clear();
        staleCount = 0;
        return removed;
    }

    /**
     * After {@link #adopt} and re-adding every route: removes what was adopted and is no longer wanted (routes
     * with no candidate, then groups and next hops nothing refers to), in dependency order.
     *
     * @return how many routes were removed.
     */
    public int sweep()
    {
        int removed = 0;
        final List<IpPrefix> unclaimed = new ArrayList<>();
        entries.forEach((prefix, e) ->
        {
            if (e.count == 0)
            {
                unclaimed.add(prefix);
            }
        });
        for (final IpPrefix prefix : unclaimed)
        {
            reselect(prefix, entries.get(prefix));
            removed++;
        }
        for (final IpPrefix prefix : strayRoutes)
        {
            if (!entries.containsKey(prefix))
            {
                fib.routeRemoved(prefix.ipv6(), prefix.hi(), prefix.lo(), prefix.length());
                removed++;
            }
        }
        strayRoutes.clear();
        groups.sweepUnreferenced();
        return removed;
    }

    private void reselect(final IpPrefix prefix, final Entry e)
    {
        if (e.count == 0)
        {
            entries.remove(prefix);
        }
        final Candidate best = e.count == 0 ? null : installable(e);
        if (best == null)
        {
            // No candidate, or only backup-only ones: nothing to forward on.
            if (e.groupId != NO_GROUP)
            {
                installedCount--;
                fib.routeRemoved(prefix.ipv6(), prefix.hi(), prefix.lo(), prefix.length());
                groups.release(e.groupId);
                e.groupId = NO_GROUP;
            }
            e.primary = null;
            return;
        }
        Candidate backup = null;
        List<RibPath> backupPaths = null;
        for (int i = 0; i < e.count && backup == null; i++)
        {
            final Candidate c = e.candidates[i];
            if (c != best)
            {
                backupPaths = backupPaths(c, best);
                backup = backupPaths == null ? null : c;
            }
        }
        if (backup == null && !backupOnlyPrefixes.isEmpty())
        {
            for (int length = prefix.length() - 1; length >= 0 && backup == null; length--)
            {
                final Entry cover = backupOnlyLengths[prefix.ipv6() ? 1 : 0][length] == 0 ? null
                    : entries.get(cover(prefix, length));
                for (int i = 0; cover != null && i < cover.count && backup == null; i++)
                {
                    final Candidate c = cover.candidates[i];
                    if (c.source().backupOnly())
                    {
                        backupPaths = backupPaths(c, best);
                        backup = backupPaths == null ? null : c;
                    }
                }
            }
        }
        // Acquire the new group before releasing the old one: when they are equal the refcount never touches
        // zero, so the FIB never sees the group removed under a route.
        final int backupGroup = backup == null ? NO_GROUP
            : groups.acquire(prefix, backupPaths, NO_GROUP, backup.source(), backup.distance());
        final int group = groups.acquire(prefix, best.paths(), backupGroup, best.source(), best.distance());
        groups.release(backupGroup);
        e.primary = best;
        if (e.groupId == group)
        {
            groups.release(group);
            return;
        }
        fib.route(prefix.ipv6(), prefix.hi(), prefix.lo(), prefix.length(), group);
        final int previous = e.groupId;
        e.groupId = group;
        if (previous == NO_GROUP)
        {
            installedCount++;
        }
        else
        {
            groups.release(previous);
        }
    }

    /** The best candidate that may be installed: the first in rank that is not backup-only; null if none. */
    private static Candidate installable(final Entry e)
    {
        for (int i = 0; i < e.count; i++)
        {
            if (!e.candidates[i].source().backupOnly())
            {
                return e.candidates[i];
            }
        }
        return null;
    }

    /**
     * The paths {@code c} adds as a backup of {@code best}, or null when none: a regular candidate backs up with
     * all its paths when they differ from the best's; a backup-only one with those the best does not use.
     */
    private static List<RibPath> backupPaths(final Candidate c, final Candidate best)
    {
        if (!c.source().backupOnly())
        {
            return samePaths(c.paths(), best.paths()) ? null : c.paths();
        }
        final List<RibPath> paths = new ArrayList<>(c.paths().size());
        for (final RibPath p : c.paths())
        {
            boolean used = false;
            for (final RibPath b : best.paths())
            {
                used |= b.vifId() == p.vifId() && Objects.equals(b.gateway(), p.gateway());
            }
            if (!used)
            {
                paths.add(p);
            }
        }
        return paths.isEmpty() ? null : paths;
    }

    /** {@code prefix} cut to {@code length} bits. */
    private static IpPrefix cover(final IpPrefix prefix, final int length)
    {
        if (prefix.ipv6())
        {
            return new IpPrefix(true, prefix.hi() & IpPrefix.mask128Hi(length), prefix.lo() & IpPrefix.mask128Lo(length),
                length);
        }
        return new IpPrefix(false, 0, prefix.lo() & IpPrefix.mask32(length) & 0xFFFF_FFFFL, length);
    }

    private static boolean samePaths(final List<RibPath> a, final List<RibPath> b)
    {
        return a.size() == b.size() && a.containsAll(b);
    }
}
