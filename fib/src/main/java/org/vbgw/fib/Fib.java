package org.vbgw.fib;

import java.util.ArrayDeque;
import java.util.TreeMap;

import org.agrona.collections.IntArrayList;

/**
 * The forwarding information base: routes (prefix → next-hop group), next-hop groups (members, weights,
 * resilient buckets, backup) and next hops (egress VIF, neighbour, liveness), after VPP's
 * fib_entry → load_balance → adjacency chain.
 * <p>
 * <b>Threads.</b> One writer thread (the journal applier, and failure detectors calling
 * {@link #setNextHopAlive}) calls every mutator and the writer-side queries. Any number of reader threads
 * call {@link #lookupIpv4}, {@link #lookupIpv6}, {@link #selectNextHop}, {@link #nextHopVif} and
 * {@link #nextHop}: they never block and never allocate, and see every published change whole (each group's
 * bucket table is a fresh array published with release ordering).
 * <p>
 * <b>Prefix-independent convergence.</b> A route stores a group id, never a next hop. Killing or reviving a
 * next hop rebuilds only the groups that contain it (a reverse index), so it costs the same for 10 routes
 * or 1,000,000. When all members of a group are dead, the group resolves to its explicit backup, else to
 * the group of the route's covering less-specific route: a route with a covering route stores a derived
 * variant of its group, shared by all routes with the same (group, covering group), and the writer keeps
 * every variant's resolved table current, so readers resolve in O(1). Adding, replacing or removing a
 * route walks the routes it covers (a route change, not an invalidation).
 * <p>
 * Bad input throws {@link IllegalArgumentException} naming the offending value, and leaves the FIB unchanged.
 */
public final class Fib
{
    /** No group: returned by lookups that match no route, and "no backup" when creating a group. */
    public static final int NO_GROUP = -1;

    /** Returned by {@link #selectNextHop} when nothing usable is left. */
    public static final int NO_NEXT_HOP = NextHop.NO_NEXT_HOP;

    /** Highest user group id (ids index flat arrays: keep them dense). */
    public static final int MAX_GROUP_ID = GroupTable.MAX_GROUP_ID;

    /** Group ids from here up are derived variants made by the FIB; see {@link #baseGroupOf}. */
    public static final int FIRST_DERIVED_GROUP_ID = GroupTable.FIRST_DERIVED_ID;

    /** Longest chain of explicit backups (group → backup → backup …) accepted. */
    public static final int MAX_BACKUP_DEPTH = 8;

    /** Receives routes in prefix order from {@link #forEachRoute}. */
    @FunctionalInterface
    public interface RouteVisitor
    {
        void accept(IpPrefix prefix, int groupId);
    }

    private final Ipv4Table ipv4 = new Ipv4Table();
    private final Ipv6Table ipv6 = new Ipv6Table();
    private final NextHopTable nextHops = new NextHopTable();
    private final GroupTable groups = new GroupTable();
    private final RouteIndex ipv4Routes = new RouteIndex();
    private final RouteIndex ipv6Routes = new RouteIndex();
    private final FibChecks checks = new FibChecks(nextHops, groups);

    /** Writer only. */
    private int lastInvalidationRewrites;

    // ---------------------------------------------------------------- readers: any thread, wait-free

    /** The group id of the longest route matching an IPv4 address, or {@link #NO_GROUP}. */
    public int lookupIpv4(final int address)
    {
        return ipv4.lookup(address);
    }

    /** The group id of the longest route matching an IPv6 address, or {@link #NO_GROUP}. */
    public int lookupIpv6(final long hi, final long lo)
    {
        return ipv6.lookup(hi, lo);
    }

    /** The next hop id for a flow in a group (as returned by a lookup), or {@link #NO_NEXT_HOP}. */
    public int selectNextHop(final int groupId, final int flowHash)
    {
        return groups.select(groupId, flowHash);
    }

    /** The egress VIF of a next hop, or -1 when there is no such next hop. */
    public int nextHopVif(final int nextHopId)
    {
        final NextHop nh = nextHops.get(nextHopId);
        return nh == null ? -1 : nh.vifId();
    }

    /** The next hop with this id, or null. */
    public NextHop nextHop(final int nextHopId)
    {
        return nextHops.get(nextHopId);
    }

    // ---------------------------------------------------------------- next hops: writer

    /** Adds a live next hop; {@code hi}/{@code lo} hold the neighbour as in {@link IpPrefix}. */
    public void addNextHop(final int id, final int vifId, final boolean ipv6, final long hi, final long lo)
    {
        checks.newNextHop(id, vifId, ipv6, hi, lo);
        nextHops.put(new NextHop(id, vifId, ipv6, hi, lo));
    }

    /** Adds a live next hop whose neighbour is a numeric IPv4 or IPv6 address. */
    public void addNextHop(final int id, final int vifId, final String neighbour)
    {
        final IpPrefix host = IpPrefix.parse(neighbour);
        if (host.length() != (host.ipv6() ? 128 : 32))
        {
            throw new IllegalArgumentException("next hop " + id + " neighbour must be an address, not '" + neighbour + "'");
        }
        addNextHop(id, vifId, host.ipv6(), host.hi(), host.lo());
    }

    /** Removes a next hop; refused while a group has it as a member. */
    public void removeNextHop(final int id)
    {
        checks.existingNextHop(id);
        final int using = groups.groupsContaining(id);
        if (using > 0)
        {
            throw new IllegalArgumentException("next hop " + id + " is a member of " + using + " group(s); remove it from them first");
        }
        nextHops.remove(id);
    }

    /**
     * Marks a next hop live or dead: the O(1)-per-group invalidation. Rebuilds the bucket tables of the
     * groups containing it and republishes them and their variants; never touches a route.
     *
     * @return the number of group tables republished (also {@link #groupsRewrittenByLastInvalidation()}).
     */
    public int setNextHopAlive(final int id, final boolean alive)
    {
        final NextHop nh = checks.existingNextHop(id);
        if (nh.alive() == alive)
        {
            lastInvalidationRewrites = 0;
            return 0;
        }
        nh.alive(alive);
        lastInvalidationRewrites = groups.nextHopAlive(id, alive);
        return lastInvalidationRewrites;
    }

    // ---------------------------------------------------------------- groups: writer

    /**
     * Adds a group.
     *
     * @param weights       one per member, each &gt; 0; null means all 1.
     * @param backupGroupId an existing group to use when every member is dead, or {@link #NO_GROUP}.
     */
    public void addGroup(final int id, final int[] nextHopIds, final int[] weights, final int backupGroupId)
    {
        final int[] w = checks.group(id, false, nextHopIds, weights, backupGroupId);
        groups.add(new NextHopGroup(id, nextHopIds, w, liveness(nextHopIds), backupGroupId));
    }

    /** Replaces a group's members, weights and backup; its routes follow without being touched. */
    public void replaceGroup(final int id, final int[] nextHopIds, final int[] weights, final int backupGroupId)
    {
        final int[] w = checks.group(id, true, nextHopIds, weights, backupGroupId);
        groups.replace(groups.group(id), nextHopIds, w, liveness(nextHopIds), backupGroupId);
    }

    /** Removes a group; refused while a route uses it or another group has it as backup. */
    public void removeGroup(final int id)
    {
        final NextHopGroup group = checks.existingGroup(id, "group");
        if (group.routeCount > 0)
        {
            throw new IllegalArgumentException("group " + id + " is used by " + group.routeCount + " route(s)");
        }
        if (groups.isBackupOfAnother(id))
        {
            throw new IllegalArgumentException("group " + id + " is the backup of another group");
        }
        groups.remove(group);
    }

    /** A group as the writer holds it, or null (control plane only). */
    public NextHopGroup group(final int id)
    {
        return groups.group(id);
    }

    /** The user group a route's stored group id stands for (derived variants map to their group). */
    public int baseGroupOf(final int groupId)
    {
        return groups.baseGroupOf(groupId);
    }

    // ---------------------------------------------------------------- routes: writer

    /** Adds a route; refused if the prefix already has one (use {@link #replaceRoute}). */
    public void addRoute(final IpPrefix prefix, final int groupId)
    {
        checks.existingGroup(groupId, "route " + prefix + ": group");
        final RouteIndex index = indexOf(prefix);
        final RouteIndex.Route existing = index.get(prefix);
        if (existing != null)
        {
            throw new IllegalArgumentException("route " + prefix + " already exists (group " + existing.groupId + "); use replaceRoute");
        }
        final RouteIndex.Route route = new RouteIndex.Route(prefix, groupId);
        route.tableGroupId = groups.acquire(groupId, coverGroupOf(index, prefix));
        index.put(route);
        tablePut(prefix, route.tableGroupId);
        final IntArrayList released = new IntArrayList();
        repointCovered(index, prefix, route.tableGroupId, released);
        releaseAll(released);
    }

    /** Points an existing route at another group. */
    public void replaceRoute(final IpPrefix prefix, final int groupId)
    {
        checks.existingGroup(groupId, "route " + prefix + ": group");
        final RouteIndex index = indexOf(prefix);
        final RouteIndex.Route route = index.get(prefix);
        if (route == null)
        {
            throw new IllegalArgumentException("no route " + prefix + " to replace");
        }
        final IntArrayList released = new IntArrayList();
        released.addInt(route.tableGroupId);
        route.groupId = groupId;
        route.tableGroupId = groups.acquire(groupId, coverGroupOf(index, prefix));
        tablePut(prefix, route.tableGroupId);
        repointCovered(index, prefix, route.tableGroupId, released);
        releaseAll(released);
    }

    /** Removes a route; false when there was none. Routes it covered fall back to its own cover. */
    public boolean removeRoute(final IpPrefix prefix)
    {
        final RouteIndex index = indexOf(prefix);
        final RouteIndex.Route route = index.remove(prefix);
        if (route == null)
        {
            return false;
        }
        if (prefix.ipv6())
        {
            ipv6.remove(prefix.hi(), prefix.lo(), prefix.length());
        }
        else
        {
            ipv4.remove(prefix.ipv4Address(), prefix.length());
        }
        final IntArrayList released = new IntArrayList();
        released.addInt(route.tableGroupId);
        repointCovered(index, prefix, coverGroupOf(index, prefix), released);
        releaseAll(released);
        return true;
    }

    /** Replaces every IPv4 route with {@code count} routes from the arrays (all checked first). */
    public void loadIpv4Routes(final int[] prefixes, final int[] lengths, final int[] groupIds, final int count)
    {
        FibChecks.count(count, prefixes.length, lengths.length, groupIds.length);
        final IpPrefix[] parsed = new IpPrefix[count];
        for (int i = 0; i < count; i++)
        {
            parsed[i] = IpPrefix.ipv4(prefixes[i], lengths[i]);
        }
        final int[] tableGroupIds = new int[count];
        final TreeMap<IpPrefix, RouteIndex.Route> loaded = resolveLoad(parsed, groupIds, count, tableGroupIds);
        final Iterable<RouteIndex.Route> old = ipv4Routes.all();
        ipv4Routes.replaceAll(loaded);
        ipv4.bulkLoad(prefixes, lengths, tableGroupIds, count);
        releaseInReverse(old);
    }

    /** Replaces every IPv6 route with {@code count} routes from the arrays (all checked first). */
    public void loadIpv6Routes(final long[] his, final long[] los, final int[] lengths, final int[] groupIds, final int count)
    {
        FibChecks.count(count, Math.min(his.length, los.length), lengths.length, groupIds.length);
        final IpPrefix[] parsed = new IpPrefix[count];
        for (int i = 0; i < count; i++)
        {
            parsed[i] = IpPrefix.ipv6(his[i], los[i], lengths[i]);
        }
        final int[] tableGroupIds = new int[count];
        final TreeMap<IpPrefix, RouteIndex.Route> loaded = resolveLoad(parsed, groupIds, count, tableGroupIds);
        final Iterable<RouteIndex.Route> old = ipv6Routes.all();
        ipv6Routes.replaceAll(loaded);
        ipv6.bulkLoad(his, los, lengths, tableGroupIds, count);
        releaseInReverse(old);
    }

    /** The group a prefix's route was given, or {@link #NO_GROUP}. Writer only. */
    public int routeGroup(final IpPrefix prefix)
    {
        final RouteIndex.Route route = indexOf(prefix).get(prefix);
        return route == null ? NO_GROUP : route.groupId;
    }

    /** Visits every route, IPv4 then IPv6, in prefix order, with the group it was given. Writer only. */
    public void forEachRoute(final RouteVisitor visitor)
    {
        ipv4.forEach((prefix, length, value) -> visitor.accept(IpPrefix.ipv4(prefix, length), groups.baseGroupOf(value)));
        ipv6.forEach((hi, lo, length, value) -> visitor.accept(IpPrefix.ipv6(hi, lo, length), groups.baseGroupOf(value)));
    }

    // ---------------------------------------------------------------- sizes: writer

    public int routeCount()
    {
        return ipv4.size() + ipv6.size();
    }

    /** User groups (derived variants not included; see {@link #derivedGroupCount()}). */
    public int groupCount()
    {
        return groups.groupCount();
    }

    public int derivedGroupCount()
    {
        return groups.derivedCount();
    }

    public int nextHopCount()
    {
        return nextHops.count();
    }

    /** Group tables republished by the last {@link #setNextHopAlive}: a measure independent of route count. */
    public int groupsRewrittenByLastInvalidation()
    {
        return lastInvalidationRewrites;
    }

    /** Approximate bytes of the read-side structures (lookup tables, bucket tables, next hops). */
    public long memoryBytes()
    {
        return ipv4.memoryBytes() + ipv6.memoryBytes() + groups.memoryBytes() + nextHops.memoryBytes();
    }

    // ---------------------------------------------------------------- internals

    /**
     * Checks a bulk load, then takes group references for it: returns the new route index and fills the
     * ids for the lookup table, in input order.
     */
    private TreeMap<IpPrefix, RouteIndex.Route> resolveLoad(
        final IpPrefix[] prefixes, final int[] groupIds, final int count, final int[] tableGroupIds)
    {
        final TreeMap<IpPrefix, RouteIndex.Route> map = RouteIndex.newMap();
        final RouteIndex.Route[] byInput = new RouteIndex.Route[count];
        for (int i = 0; i < count; i++)
        {
            checks.existingGroup(groupIds[i], "route " + prefixes[i] + ": group");
            byInput[i] = new RouteIndex.Route(prefixes[i], groupIds[i]);
            if (map.put(prefixes[i], byInput[i]) != null)
            {
                throw new IllegalArgumentException("duplicate route " + prefixes[i] + " at index " + i);
            }
        }
        // One sweep in prefix order: the stack holds the chain of routes covering the current one.
        final ArrayDeque<RouteIndex.Route> covering = new ArrayDeque<>();
        for (final RouteIndex.Route route : map.values())
        {
            while (!covering.isEmpty() && !covering.peek().prefix.contains(route.prefix))
            {
                covering.pop();
            }
            route.tableGroupId = groups.acquire(route.groupId, covering.isEmpty() ? NO_GROUP : covering.peek().tableGroupId);
            covering.push(route);
        }
        for (int i = 0; i < count; i++)
        {
            tableGroupIds[i] = byInput[i].tableGroupId;
        }
        return map;
    }

    /**
     * After the route {@code prefix} changed (its stored id is now {@code prefixGroupId}, or it is gone and
     * that is its cover's), re-points the routes under it whose covering chain changed. Old ids go to
     * {@code released}, to be released only when every route is re-pointed, so no variant is freed while a
     * route still stores it.
     */
    private void repointCovered(final RouteIndex index, final IpPrefix prefix, final int prefixGroupId, final IntArrayList released)
    {
        final ArrayDeque<RouteIndex.Route> covering = new ArrayDeque<>();
        final ArrayDeque<Boolean> changedAbove = new ArrayDeque<>();
        for (final RouteIndex.Route route : index.coveredBy(prefix))
        {
            while (!covering.isEmpty() && !covering.peek().prefix.contains(route.prefix))
            {
                covering.pop();
                changedAbove.pop();
            }
            final boolean coverChanged = covering.isEmpty() || changedAbove.peek();
            boolean changed = false;
            if (coverChanged)
            {
                final int cover = covering.isEmpty() ? prefixGroupId : covering.peek().tableGroupId;
                final int id = groups.acquire(route.groupId, cover);
                released.addInt(id == route.tableGroupId ? id : route.tableGroupId);
                if (id != route.tableGroupId)
                {
                    route.tableGroupId = id;
                    tablePut(route.prefix, id);
                    changed = true;
                }
            }
            covering.push(route);
            changedAbove.push(changed);
        }
    }

    private void releaseAll(final IntArrayList released)
    {
        for (int i = released.size() - 1; i >= 0; i--)
        {
            groups.release(released.getInt(i));
        }
    }

    private void releaseInReverse(final Iterable<RouteIndex.Route> old)
    {
        final IntArrayList released = new IntArrayList();
        for (final RouteIndex.Route route : old)
        {
            released.addInt(route.tableGroupId);
        }
        releaseAll(released);
    }

    private int coverGroupOf(final RouteIndex index, final IpPrefix prefix)
    {
        final RouteIndex.Route cover = index.coverOf(prefix);
        return cover == null ? NO_GROUP : cover.tableGroupId;
    }

    private RouteIndex indexOf(final IpPrefix prefix)
    {
        return prefix.ipv6() ? ipv6Routes : ipv4Routes;
    }

    private void tablePut(final IpPrefix prefix, final int tableGroupId)
    {
        if (prefix.ipv6())
        {
            ipv6.put(prefix.hi(), prefix.lo(), prefix.length(), tableGroupId);
        }
        else
        {
            ipv4.put(prefix.ipv4Address(), prefix.length(), tableGroupId);
        }
    }

    private boolean[] liveness(final int[] nextHopIds)
    {
        final boolean[] live = new boolean[nextHopIds.length];
        for (int i = 0; i < live.length; i++)
        {
            live[i] = nextHops.get(nextHopIds[i]).alive();
        }
        return live;
    }
}
