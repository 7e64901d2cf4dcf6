package org.vbgw.agent.rib;

import org.vbgw.agent.journal.FibWriter;
import org.vbgw.agent.journal.JournalState;
import org.vbgw.fib.IpPrefix;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The routing information base: every candidate route from every source, the best of each prefix
 * programmed into the FIB through a {@link FibWriter}.
 * <p>
 * Best = lowest administrative distance (ties: the source listed first in {@link RouteSource}). The
 * next-best candidate with a different path set becomes the installed group's <em>backup group</em>, so the
 * data plane falls over to it by itself, in O(1), when every primary path dies (the VPN-as-last-resort
 * scenario), before the agent has noticed. Identical (paths, backup) sets share one group, and identical
 * (VIF, gateway) pairs one next hop: a failure then rewrites one group, whatever the number of routes.
 * <p>
 * Control thread only. Entries are written in dependency order: next hops before the groups that use
 * them, groups before routes; removal in the reverse order.
 */
public final class Rib
{
    private static final int NO_GROUP = -1;

    /** {@code stale}: adopted from the journal at a restart, kept until its source announces it again or gives up. */
    private record Candidate(RouteSource source, int distance, List<RibPath> paths, boolean stale)
    {
    }

    /** A source may hold several candidates for one prefix at different distances (primary and floating statics). */
    private record Slot(RouteSource source, int distance)
    {
    }

    private record NextHopKey(int vifId, boolean ipv6, long hi, long lo)
    {
    }

    /**
     * {@code origin}: the source code and distance of the routes using the group ({@code code << 8 | distance}),
     * recorded in the journal so a restarted agent knows which routes a protocol will announce again. Routes of
     * different origins with the same next hops therefore get a group each.
     */
    private record GroupKey(List<Long> members, int backup, int origin)
    {
    }

    private static final class Installed
    {
        int groupId = NO_GROUP;
        Candidate primary;
    }

    private final FibWriter fib;
    private final Map<IpPrefix, Map<Slot, Candidate>> candidates = new HashMap<>();
    private final Map<IpPrefix, Installed> installed = new HashMap<>();
    /** Adopted routes whose group the journal never defined; removed by {@link #sweep()}. */
    private final List<IpPrefix> strayRoutes = new ArrayList<>();
    /** Prefixes holding a stale candidate (see {@link #adopt(JournalState, Set)}); removed by {@link #sweepStale()}. */
    private final Set<IpPrefix> stalePrefixes = new HashSet<>();
    private int staleCount;

    private final Map<NextHopKey, Integer> nextHopIds = new HashMap<>();
    private final Map<Integer, Integer> nextHopRefs = new HashMap<>();
    private final IdAllocator nextHopIdAllocator = new IdAllocator();

    private final Map<GroupKey, Integer> groupIds = new HashMap<>();
    private final Map<Integer, GroupKey> groupsById = new HashMap<>();
    private final Map<Integer, Integer> groupRefs = new HashMap<>();
    private final IdAllocator groupIdAllocator = new IdAllocator();

    public Rib(final FibWriter fib)
    {
        this.fib = fib;
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
        final Map<Slot, Candidate> bySource = candidates.computeIfAbsent(prefix, p -> new HashMap<>());
        refreshed(source, prefix, bySource);
        bySource.put(new Slot(source, distance), new Candidate(source, distance, List.copyOf(paths), false));
        reselect(prefix);
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
        for (final RibPath p : paths)
        {
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
        final Map<Slot, Candidate> bySource = candidates.computeIfAbsent(prefix, p -> new HashMap<>());
        refreshed(source, prefix, bySource);
        bySource.keySet().removeIf(slot -> slot.source() == source);
        byDistance.forEach((distance, paths) ->
            bySource.put(new Slot(source, distance), new Candidate(source, distance, List.copyOf(paths), false)));
        if (bySource.isEmpty())
        {
            candidates.remove(prefix);
        }
        reselect(prefix);
    }

    /**
     * {@code source} speaks about {@code prefix} again: its stale candidates there (from before a restart) are
     * replaced by what it says now, whatever their distance, as a graceful restart does.
     */
    private void refreshed(final RouteSource source, final IpPrefix prefix, final Map<Slot, Candidate> bySource)
    {
        if (staleCount == 0 || !stalePrefixes.contains(prefix))
        {
            return;
        }
        boolean left = false;
        for (final var it = bySource.values().iterator(); it.hasNext(); )
        {
            final Candidate c = it.next();
            if (c.stale() && c.source() == source)
            {
                it.remove();
                staleCount--;
            }
            else
            {
                left |= c.stale();
            }
        }
        if (!left)
        {
            stalePrefixes.remove(prefix);
        }
    }

    /** Removes every candidate {@code source} has for {@code prefix}; false when it had none. */
    public boolean remove(final RouteSource source, final IpPrefix prefix)
    {
        final Map<Slot, Candidate> bySource = candidates.get(prefix);
        if (bySource == null)
        {
            return false;
        }
        final int before = bySource.size();
        refreshed(source, prefix, bySource);
        bySource.keySet().removeIf(slot -> slot.source() == source);
        if (bySource.size() == before)
        {
            return false;
        }
        if (bySource.isEmpty())
        {
            candidates.remove(prefix);
        }
        reselect(prefix);
        return true;
    }

    /** Removes every candidate of a source (e.g. BGP routes when FRR is gone past its grace period). */
    public int removeAll(final RouteSource source)
    {
        final List<IpPrefix> prefixes = new ArrayList<>();
        candidates.forEach((p, m) ->
        {
            if (m.keySet().stream().anyMatch(slot -> slot.source() == source))
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
        final List<IpPrefix> prefixes = new ArrayList<>(candidates.keySet());
        prefixes.sort(Comparator.<IpPrefix, Boolean>comparing(IpPrefix::ipv6)
            .thenComparing(IpPrefix::hi, Long::compareUnsigned)
            .thenComparing(IpPrefix::lo, Long::compareUnsigned)
            .thenComparingInt(IpPrefix::length));
        for (final IpPrefix p : prefixes)
        {
            final Installed inst = installed.get(p);
            final List<Candidate> ranked = ranked(p);
            for (final Candidate c : ranked)
            {
                final boolean isBest = inst != null && inst.primary == c;
                out.add(new RibRoute(p, c.source(), c.distance(), c.paths(), isBest, isBest ? inst.groupId : NO_GROUP,
                    c.stale()));
            }
        }
        return out;
    }

    /** Number of prefixes with an installed route. */
    public int installedCount()
    {
        return installed.size();
    }

    public int groupCount()
    {
        return groupsById.size();
    }

    public int nextHopCount()
    {
        return nextHopIds.size();
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
        if (!installed.isEmpty() || !candidates.isEmpty() || !nextHopIds.isEmpty() || !groupsById.isEmpty())
        {
            throw new IllegalStateException("a RIB adopts the FIB's state before it holds anything of its own");
        }
        state.nextHops().forEach((id, nh) ->
        {
            // Two ids for one next hop cannot come from a RIB; the second is kept unreferenced, for sweep().
            nextHopIds.putIfAbsent(new NextHopKey(nh.vifId(), nh.ipv6(), nh.hi(), nh.lo()), id);
            nextHopRefs.put(id, 0);
            nextHopIdAllocator.take(id);
        });
        state.groups().forEach((id, g) ->
        {
            final List<Long> members = new ArrayList<>();
            for (int i = 0; i < g.nextHopIds().length; i++)
            {
                members.add(((long)g.nextHopIds()[i] << 32) | g.weights()[i]);
                nextHopRefs.merge(g.nextHopIds()[i], 1, Integer::sum);
            }
            members.sort(Long::compare);
            final GroupKey key = new GroupKey(List.copyOf(members), g.backupGroupId(), g.source() << 8 | g.distance());
            groupIds.putIfAbsent(key, id);
            groupsById.put(id, key);
            groupRefs.put(id, 0);
            groupIdAllocator.take(id);
        });
        state.groups().forEach((id, g) ->
        {
            if (g.backupGroupId() != NO_GROUP)
            {
                groupRefs.merge(g.backupGroupId(), 1, Integer::sum);
            }
        });
        final int[] adopted = {0};
        state.routes().forEach((prefix, groupId) ->
        {
            if (groupsById.containsKey(groupId))
            {
                final Installed inst = new Installed();
                inst.groupId = groupId;
                installed.put(prefix, inst);
                groupRefs.merge(groupId, 1, Integer::sum);
                adopted[0]++;
                final JournalState.GroupEntry g = state.groups().get(groupId);
                final RouteSource source = RouteSource.ofJournalCode(g.source());
                if (source != null && relearned.contains(source))
                {
                    keepStale(prefix, inst, source, g, state);
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
    private void keepStale(final IpPrefix prefix, final Installed inst, final RouteSource source,
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
            // An attached path is written as the all-zero neighbour (see acquireNextHop).
            final IpPrefix gateway = nh.hi() == 0 && nh.lo() == 0 ? null
                : new IpPrefix(nh.ipv6(), nh.hi(), nh.lo(), nh.ipv6() ? 128 : 32);
            paths.add(new RibPath(nh.vifId(), gateway, Math.max(1, g.weights()[i])));
        }
        final Candidate stale = new Candidate(source, g.distance(), List.copyOf(paths), true);
        candidates.computeIfAbsent(prefix, p -> new HashMap<>()).put(new Slot(source, g.distance()), stale);
        inst.primary = stale;
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
            final Map<Slot, Candidate> bySource = candidates.get(prefix);
            if (bySource != null)
            {
                for (final var it = bySource.values().iterator(); it.hasNext(); )
                {
                    if (it.next().stale())
                    {
                        it.remove();
                        removed++;
                    }
                }
                if (bySource.isEmpty())
                {
                    candidates.remove(prefix);
                }
            }
            reselect(prefix);
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
        for (final IpPrefix prefix : new ArrayList<>(installed.keySet()))
        {
            if (!candidates.containsKey(prefix))
            {
                reselect(prefix);
                removed++;
            }
        }
        for (final IpPrefix prefix : strayRoutes)
        {
            if (!installed.containsKey(prefix))
            {
                fib.routeRemoved(prefix.ipv6(), prefix.hi(), prefix.lo(), prefix.length());
                removed++;
            }
        }
        strayRoutes.clear();
        for (final Integer id : new ArrayList<>(groupRefs.keySet()))
        {
            final Integer refs = groupRefs.get(id);
            if (refs != null && refs == 0)
            {
                dropGroup(id);
            }
        }
        for (final Integer id : new ArrayList<>(nextHopRefs.keySet()))
        {
            final Integer refs = nextHopRefs.get(id);
            if (refs != null && refs == 0)
            {
                dropNextHop(id);
            }
        }
        return removed;
    }

    private List<Candidate> ranked(final IpPrefix prefix)
    {
        final Map<Slot, Candidate> bySource = candidates.get(prefix);
        if (bySource == null)
        {
            return List.of();
        }
        final List<Candidate> list = new ArrayList<>(bySource.values());
        list.sort(Comparator.comparingInt(Candidate::distance).thenComparing(Candidate::source));
        return list;
    }

    private void reselect(final IpPrefix prefix)
    {
        final List<Candidate> ranked = ranked(prefix);
        final Installed old = installed.get(prefix);
        if (ranked.isEmpty())
        {
            if (old != null)
            {
                installed.remove(prefix);
                fib.routeRemoved(prefix.ipv6(), prefix.hi(), prefix.lo(), prefix.length());
                releaseGroup(old.groupId);
            }
            return;
        }
        final Candidate best = ranked.get(0);
        Candidate backup = null;
        for (int i = 1; i < ranked.size() && backup == null; i++)
        {
            if (!samePaths(ranked.get(i).paths(), best.paths()))
            {
                backup = ranked.get(i);
            }
        }
        // Acquire the new group before releasing the old one: when they are equal the refcount never touches
        // zero, so the FIB never sees the group removed under a route.
        final int backupGroup = backup == null ? NO_GROUP : acquireGroup(prefix, backup, NO_GROUP);
        final int group = acquireGroup(prefix, best, backupGroup);
        if (backupGroup != NO_GROUP)
        {
            releaseGroup(backupGroup);
        }
        if (old != null && old.groupId == group)
        {
            releaseGroup(group);
            old.primary = best;
            return;
        }
        fib.route(prefix.ipv6(), prefix.hi(), prefix.lo(), prefix.length(), group);
        final Installed now = old != null ? old : new Installed();
        final int previous = now.groupId;
        now.groupId = group;
        now.primary = best;
        installed.put(prefix, now);
        if (old != null)
        {
            releaseGroup(previous);
        }
    }

    private static boolean samePaths(final List<RibPath> a, final List<RibPath> b)
    {
        return a.size() == b.size() && a.containsAll(b);
    }

    private int acquireGroup(final IpPrefix prefix, final Candidate candidate, final int backupGroup)
    {
        final List<Long> members = new ArrayList<>();
        for (final RibPath p : candidate.paths())
        {
            final int nh = acquireNextHop(prefix, p);
            members.add(((long)nh << 32) | p.weight());
        }
        members.sort(Long::compare);
        final GroupKey key = new GroupKey(List.copyOf(members), backupGroup,
            candidate.source().journalCode() << 8 | candidate.distance());
        Integer id = groupIds.get(key);
        if (id == null)
        {
            id = groupIdAllocator.allocate();
            final int[] nhs = new int[members.size()];
            final int[] weights = new int[members.size()];
            for (int i = 0; i < nhs.length; i++)
            {
                nhs[i] = (int)(members.get(i) >>> 32);
                weights[i] = (int)(long)members.get(i);
            }
            if (backupGroup != NO_GROUP)
            {
                groupRefs.merge(backupGroup, 1, Integer::sum);
            }
            fib.group(id, nhs, weights, nhs.length, backupGroup, candidate.source().journalCode(), candidate.distance());
            groupIds.put(key, id);
            groupsById.put(id, key);
            groupRefs.put(id, 1);
        }
        else
        {
            groupRefs.merge(id, 1, Integer::sum);
            // The group already holds references to its next hops: drop the ones taken above.
            for (final Long m : members)
            {
                releaseNextHop((int)(m >>> 32));
            }
        }
        return id;
    }

    private void releaseGroup(final int id)
    {
        if (id == NO_GROUP)
        {
            return;
        }
        final int refs = groupRefs.merge(id, -1, Integer::sum);
        if (refs > 0)
        {
            return;
        }
        dropGroup(id);
    }

    /** Removes a group nothing refers to any more, and releases what it refers to. */
    private void dropGroup(final int id)
    {
        groupRefs.remove(id);
        final GroupKey key = groupsById.remove(id);
        if (Integer.valueOf(id).equals(groupIds.get(key)))
        {
            groupIds.remove(key);
        }
        fib.groupRemoved(id);
        groupIdAllocator.free(id);
        for (final Long m : key.members())
        {
            releaseNextHop((int)(m >>> 32));
        }
        releaseGroup(key.backup());
    }

    private int acquireNextHop(final IpPrefix prefix, final RibPath path)
    {
        final IpPrefix gw = path.gateway();
        // An attached path's neighbour is the packet's own destination, written as the all-zero address.
        final NextHopKey key = gw == null
            ? new NextHopKey(path.vifId(), prefix.ipv6(), 0, 0)
            : new NextHopKey(path.vifId(), gw.ipv6(), gw.hi(), gw.lo());
        Integer id = nextHopIds.get(key);
        if (id == null)
        {
            id = nextHopIdAllocator.allocate();
            fib.nextHop(id, key.vifId(), key.ipv6(), key.hi(), key.lo());
            nextHopIds.put(key, id);
            nextHopRefs.put(id, 1);
        }
        else
        {
            nextHopRefs.merge(id, 1, Integer::sum);
        }
        return id;
    }

    private void releaseNextHop(final int id)
    {
        final int refs = nextHopRefs.merge(id, -1, Integer::sum);
        if (refs > 0)
        {
            return;
        }
        dropNextHop(id);
    }

    private void dropNextHop(final int id)
    {
        nextHopRefs.remove(id);
        nextHopIds.values().remove(Integer.valueOf(id));
        fib.nextHopRemoved(id);
        nextHopIdAllocator.free(id);
    }
}
