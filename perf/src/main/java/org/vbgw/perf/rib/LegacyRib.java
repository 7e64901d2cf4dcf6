package org.vbgw.perf.rib;

import org.vbgw.agent.journal.FibWriter;
import org.vbgw.agent.rib.RibPath;
import org.vbgw.agent.rib.RouteSource;
import org.vbgw.fib.IpPrefix;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The RIB as it was before the per-prefix entry and the path-set cache (as of e43b64d, before graceful restart and this rewrite), kept unchanged
 * but for what a benchmark does not call (adopt, sweep, listing), so {@link RibBenchmark} measures old and new side by
 * side in one JVM.
 */
final class LegacyRib
{
    private static final int NO_GROUP = -1;

    private record Candidate(RouteSource source, int distance, List<RibPath> paths)
    {
    }

    /** A source may hold several candidates for one prefix at different distances (primary and floating statics). */
    private record Slot(RouteSource source, int distance)
    {
    }

    private record NextHopKey(int vifId, boolean ipv6, long hi, long lo)
    {
    }

    private record GroupKey(List<Long> members, int backup)
    {
    }

    private static final class Installed
    {
        int groupId = NO_GROUP;
        Candidate primary;
    }

    private static final class IdAllocator
    {
        private final java.util.BitSet used = new java.util.BitSet();

        int allocate()
        {
            final int id = used.nextClearBit(0);
            used.set(id);
            return id;
        }

        void free(final int id)
        {
            used.clear(id);
        }
    }

    private final FibWriter fib;
    private final Map<IpPrefix, Map<Slot, Candidate>> candidates = new HashMap<>();
    private final Map<IpPrefix, Installed> installed = new HashMap<>();

    private final Map<NextHopKey, Integer> nextHopIds = new HashMap<>();
    private final Map<Integer, Integer> nextHopRefs = new HashMap<>();
    private final IdAllocator nextHopIdAllocator = new IdAllocator();

    private final Map<GroupKey, Integer> groupIds = new HashMap<>();
    private final Map<Integer, GroupKey> groupsById = new HashMap<>();
    private final Map<Integer, Integer> groupRefs = new HashMap<>();
    private final IdAllocator groupIdAllocator = new IdAllocator();

    LegacyRib(final FibWriter fib)
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
        candidates.computeIfAbsent(prefix, p -> new HashMap<>())
            .put(new Slot(source, distance), new Candidate(source, distance, List.copyOf(paths)));
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
        bySource.keySet().removeIf(slot -> slot.source() == source);
        byDistance.forEach((distance, paths) ->
            bySource.put(new Slot(source, distance), new Candidate(source, distance, List.copyOf(paths))));
        if (bySource.isEmpty())
        {
            candidates.remove(prefix);
        }
        reselect(prefix);
    }

    /** Removes every candidate {@code source} has for {@code prefix}; false when it had none. */
    public boolean remove(final RouteSource source, final IpPrefix prefix)
    {
        final Map<Slot, Candidate> bySource = candidates.get(prefix);
        if (bySource == null || !bySource.keySet().removeIf(slot -> slot.source() == source))
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
        final int backupGroup = backup == null ? NO_GROUP : acquireGroup(prefix, backup.paths(), NO_GROUP);
        final int group = acquireGroup(prefix, best.paths(), backupGroup);
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

    private int acquireGroup(final IpPrefix prefix, final List<RibPath> paths, final int backupGroup)
    {
        final List<Long> members = new ArrayList<>();
        for (final RibPath p : paths)
        {
            final int nh = acquireNextHop(prefix, p);
            members.add(((long)nh << 32) | p.weight());
        }
        members.sort(Long::compare);
        final GroupKey key = new GroupKey(List.copyOf(members), backupGroup);
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
            fib.group(id, nhs, weights, nhs.length, backupGroup);
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
