package org.vbgw.agent.rib;

import org.vbgw.agent.journal.FibWriter;
import org.vbgw.fib.IpPrefix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The RIB's next hops and next-hop groups (VPP's path lists): identical (VIF, gateway) pairs share one next hop,
 * identical (members, backup, origin) sets one group, each counted by what uses it and written to the FIB when
 * first used and removed when last released.
 * <p>
 * A full BGP table is a million routes over a handful of path sets, so the common case is a route whose path set
 * already has a group: a <em>path-set cache</em> maps the candidate's path list as given (plus backup and origin)
 * straight to its group, one hash lookup and a reference count, instead of resolving every path to its next hop
 * and building the group's canonical key for every route. The cache holds only live groups: a group's aliases
 * leave with it. Reference counts are plain arrays indexed by the dense ids.
 * <p>
 * Control thread only (the RIB's owner).
 */
final class NextHopGroups
{
    static final int NO_GROUP = -1;

    private record NextHopKey(int vifId, boolean ipv6, long hi, long lo)
    {
    }

    /**
     * The canonical identity of a group. {@code members}: (next hop id << 32 | weight), sorted. {@code origin}: the
     * source code and distance of the routes using the group ({@code code << 8 | distance}), recorded in the
     * journal so a restarted agent knows which routes a protocol will announce again: routes of different origins
     * with the same next hops therefore get a group each.
     */
    private record GroupKey(List<Long> members, int backup, int origin)
    {
    }

    /**
     * A path list as a candidate gives it: the cache's key. Order matters here (a second order is a second alias).
     * The family is part of it: an attached path names no address, so the IPv4 and IPv6 subnets of one VIF give
     * equal path lists that need next hops (and groups) of their own family.
     */
    private record PathSet(List<RibPath> paths, int backup, int origin, boolean ipv6)
    {
    }

    private static final class Group
    {
        final int id;
        final GroupKey key;
        final List<PathSet> aliases = new ArrayList<>(1);
        int refs;

        Group(final int id, final GroupKey key)
        {
            this.id = id;
            this.key = key;
        }
    }

    private final FibWriter fib;

    private final Map<NextHopKey, Integer> nextHopIds = new HashMap<>();
    private NextHopKey[] nextHopKeys = new NextHopKey[16];
    private int[] nextHopRefs = new int[16];
    private final IdAllocator nextHopIdAllocator = new IdAllocator();
    private int nextHopCount;

    private final Map<GroupKey, Integer> groupIds = new HashMap<>();
    private final Map<PathSet, Group> byPaths = new HashMap<>();
    private Group[] groups = new Group[16];
    private final IdAllocator groupIdAllocator = new IdAllocator();
    private int groupCount;

    NextHopGroups(final FibWriter fib)
    {
        this.fib = fib;
    }

    int groupCount()
    {
        return groupCount;
    }

    int nextHopCount()
    {
        return nextHopCount;
    }

    boolean hasGroup(final int id)
    {
        return id >= 0 && id < groups.length && groups[id] != null;
    }

    static int origin(final RouteSource source, final int distance)
    {
        return source.journalCode() << 8 | distance;
    }

    /**
     * A reference to the group of {@code paths} (falling over to {@code backup}), made and written to the FIB first
     * when it does not exist. {@code paths} must not change afterwards (the RIB keeps immutable copies).
     */
    int acquire(final IpPrefix prefix, final List<RibPath> paths, final int backup, final RouteSource source,
        final int distance)
    {
        final int origin = origin(source, distance);
        final PathSet pathSet = new PathSet(paths, backup, origin, prefix.ipv6());
        final Group cached = byPaths.get(pathSet);
        if (cached != null)
        {
            cached.refs++;
            return cached.id;
        }
        final long[] members = new long[paths.size()];
        for (int i = 0; i < members.length; i++)
        {
            final RibPath p = paths.get(i);
            members[i] = ((long)acquireNextHop(prefix, p) << 32) | p.weight();
        }
        Arrays.sort(members);
        final List<Long> memberList = new ArrayList<>(members.length);
        for (final long m : members)
        {
            memberList.add(m);
        }
        final GroupKey key = new GroupKey(List.copyOf(memberList), backup, origin);
        final Integer existing = groupIds.get(key);
        final int id;
        if (existing == null)
        {
            id = groupIdAllocator.allocate();
            final int[] nhs = new int[members.length];
            final int[] weights = new int[members.length];
            for (int i = 0; i < nhs.length; i++)
            {
                nhs[i] = (int)(members[i] >>> 32);
                weights[i] = (int)members[i];
            }
            if (backup != NO_GROUP)
            {
                groups[backup].refs++;
            }
            fib.group(id, nhs, weights, nhs.length, backup, source.journalCode(), distance);
            groupIds.put(key, id);
            put(id, new Group(id, key));
        }
        else
        {
            id = existing;
            // The group already holds references to its next hops: drop the ones taken above.
            for (final long m : members)
            {
                releaseNextHop((int)(m >>> 32));
            }
        }
        final Group group = groups[id];
        group.refs++;
        group.aliases.add(pathSet);
        byPaths.put(pathSet, group);
        return id;
    }

    private void put(final int id, final Group group)
    {
        if (id >= groups.length)
        {
            groups = Arrays.copyOf(groups, Math.max(id + 1, groups.length * 2));
        }
        groups[id] = group;
        groupCount++;
    }

    /** Another reference to an existing group (an adopted route's). */
    void addRef(final int id)
    {
        groups[id].refs++;
    }

    void release(final int id)
    {
        if (id == NO_GROUP)
        {
            return;
        }
        if (--groups[id].refs > 0)
        {
            return;
        }
        drop(id);
    }

    /** Removes a group nothing refers to any more, and releases what it refers to. */
    private void drop(final int id)
    {
        final Group group = groups[id];
        groups[id] = null;
        groupCount--;
        for (final PathSet alias : group.aliases)
        {
            byPaths.remove(alias);
        }
        if (Integer.valueOf(id).equals(groupIds.get(group.key)))
        {
            groupIds.remove(group.key);
        }
        fib.groupRemoved(id);
        groupIdAllocator.free(id);
        for (final Long m : group.key.members())
        {
            releaseNextHop((int)(m >>> 32));
        }
        release(group.key.backup());
    }

    private int acquireNextHop(final IpPrefix prefix, final RibPath path)
    {
        final IpPrefix gw = path.gateway();
        // An attached path's neighbour is the packet's own destination, written as the all-zero address.
        final NextHopKey key = gw == null
            ? new NextHopKey(path.vifId(), prefix.ipv6(), 0, 0)
            : new NextHopKey(path.vifId(), gw.ipv6(), gw.hi(), gw.lo());
        final Integer existing = nextHopIds.get(key);
        if (existing != null)
        {
            nextHopRefs[existing]++;
            return existing;
        }
        final int id = nextHopIdAllocator.allocate();
        fib.nextHop(id, key.vifId(), key.ipv6(), key.hi(), key.lo());
        nextHopIds.put(key, id);
        putNextHop(id, key, 1);
        return id;
    }

    private void putNextHop(final int id, final NextHopKey key, final int refs)
    {
        if (id >= nextHopKeys.length)
        {
            final int capacity = Math.max(id + 1, nextHopKeys.length * 2);
            nextHopKeys = Arrays.copyOf(nextHopKeys, capacity);
            nextHopRefs = Arrays.copyOf(nextHopRefs, capacity);
        }
        nextHopKeys[id] = key;
        nextHopRefs[id] = refs;
        nextHopCount++;
    }

    private void releaseNextHop(final int id)
    {
        if (id < 0 || id >= nextHopKeys.length || nextHopKeys[id] == null)
        {
            return; // An adopted group's member the journal never defined: nothing of ours to release.
        }
        if (--nextHopRefs[id] > 0)
        {
            return;
        }
        dropNextHop(id);
    }

    private void dropNextHop(final int id)
    {
        final NextHopKey key = nextHopKeys[id];
        nextHopKeys[id] = null;
        nextHopRefs[id] = 0;
        nextHopCount--;
        if (Integer.valueOf(id).equals(nextHopIds.get(key)))
        {
            nextHopIds.remove(key);
        }
        fib.nextHopRemoved(id);
        nextHopIdAllocator.free(id);
    }

    /** A next hop the FIB already holds (from the journal), unreferenced until a group of it is adopted. */
    void adoptNextHop(final int id, final int vifId, final boolean ipv6, final long hi, final long lo)
    {
        // Two ids for one next hop cannot come from a RIB; the second is kept unreferenced, for sweep().
        final NextHopKey key = new NextHopKey(vifId, ipv6, hi, lo);
        nextHopIds.putIfAbsent(key, id);
        nextHopIdAllocator.take(id);
        putNextHop(id, key, 0);
    }

    /** A group the FIB already holds, unreferenced until routes or other groups are adopted onto it. */
    void adoptGroup(final int id, final int[] nextHopIds, final int[] weights, final int backup, final int origin)
    {
        final List<Long> members = new ArrayList<>(nextHopIds.length);
        for (int i = 0; i < nextHopIds.length; i++)
        {
            members.add(((long)nextHopIds[i] << 32) | weights[i]);
            if (nextHopIds[i] >= 0 && nextHopIds[i] < nextHopKeys.length && nextHopKeys[nextHopIds[i]] != null)
            {
                nextHopRefs[nextHopIds[i]]++;
            }
        }
        members.sort(Long::compare);
        final GroupKey key = new GroupKey(List.copyOf(members), backup, origin);
        groupIds.putIfAbsent(key, id);
        groupIdAllocator.take(id);
        put(id, new Group(id, key));
    }

    /** After every adopted group is known: each counts as a reference to its backup. */
    void adoptBackupReferences()
    {
        for (final Group g : groups)
        {
            if (g != null && g.key.backup() != NO_GROUP && hasGroup(g.key.backup()))
            {
                groups[g.key.backup()].refs++;
            }
        }
    }

    /** Removes the groups, then the next hops, nothing refers to (after an adoption's sweep). */
    void sweepUnreferenced()
    {
        for (int id = 0; id < groups.length; id++)
        {
            if (groups[id] != null && groups[id].refs == 0)
            {
                drop(id);
            }
        }
        for (int id = 0; id < nextHopKeys.length; id++)
        {
            if (nextHopKeys[id] != null && nextHopRefs[id] == 0)
            {
                dropNextHop(id);
            }
        }
    }
}
