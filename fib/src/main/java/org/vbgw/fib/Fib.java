package org.vbgw.fib;

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
 * <b>Two reads.</b> Resolving a packet is two wait-free reads, the route's group id and then that group's
 * table, each from some state the FIB was in: a packet whose lookup ran just before its route moved to
 * another group uses the old group as that group is when {@link #selectNextHop} runs (which may, if the
 * old group has just died too, be {@link #NO_NEXT_HOP} for that one packet).
 * <p>
 * <b>Publication order.</b> A group's table is published before any route that stores its id, and a route
 * is re-pointed before the variant it used is released; a released variant keeps its last table (and its id
 * is not reused for a while), so a reader that looked a route up just before a change still forwards as
 * the FIB did a moment earlier rather than dropping.
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

    private final NextHopTable nextHops = new NextHopTable();
    private final GroupTable groups = new GroupTable();
    private final ResolvedGroups resolved = groups.resolved();
    private final FibChecks checks = new FibChecks(nextHops, groups);
    private final RouteTable routes = new RouteTable(groups, checks);

    /** Writer only. */
    private int lastInvalidationRewrites;

    // ---------------------------------------------------------------- readers: any thread, wait-free

    /**
     * The group id of the longest route matching an IPv4 address, or {@link #NO_GROUP}. For a route under
     * a covering route this is a derived id ({@code >=} {@link #FIRST_DERIVED_GROUP_ID}): pass it to
     * {@link #selectNextHop} as it is; {@link #baseGroupOf} names the route's own group.
     */
    public int lookupIpv4(final int address)
    {
        return routes.lookupIpv4(address);
    }

    /** The group id of the longest route matching an IPv6 address, or {@link #NO_GROUP}. */
    public int lookupIpv6(final long hi, final long lo)
    {
        return routes.lookupIpv6(hi, lo);
    }

    /** The next hop id for a flow in a group (as returned by a lookup), or {@link #NO_NEXT_HOP}. */
    public int selectNextHop(final int groupId, final int flowHash)
    {
        return resolved.select(groupId, flowHash);
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

    /** A group as the writer holds it, or null. Writer thread only (its maps are not thread-safe). */
    public NextHopGroup group(final int id)
    {
        return groups.group(id);
    }

    /** The user group a route's stored group id stands for (derived variants map to their group). Writer only. */
    public int baseGroupOf(final int groupId)
    {
        return groups.baseGroupOf(groupId);
    }

    // ---------------------------------------------------------------- routes: writer

    /** Adds a route; refused if the prefix already has one (use {@link #replaceRoute}). */
    public void addRoute(final IpPrefix prefix, final int groupId)
    {
        checks.routeGroup(prefix, groupId);
        routes.add(prefix, groupId);
    }

    /** Points an existing route at another group; the routes it covers follow. */
    public void replaceRoute(final IpPrefix prefix, final int groupId)
    {
        checks.routeGroup(prefix, groupId);
        routes.replace(prefix, groupId);
    }

    /** Removes a route; false when there was none. Routes it covered fall back to its own cover. */
    public boolean removeRoute(final IpPrefix prefix)
    {
        return routes.remove(prefix);
    }

    /** Replaces every IPv4 route with {@code count} routes from the arrays (all checked first). */
    public void loadIpv4Routes(final int[] prefixes, final int[] lengths, final int[] groupIds, final int count)
    {
        routes.loadIpv4(prefixes, lengths, groupIds, count);
    }

    /** Replaces every IPv6 route with {@code count} routes from the arrays (all checked first). */
    public void loadIpv6Routes(final long[] his, final long[] los, final int[] lengths, final int[] groupIds, final int count)
    {
        routes.loadIpv6(his, los, lengths, groupIds, count);
    }

    /** The group a prefix's route was given, or {@link #NO_GROUP}. Writer only. */
    public int routeGroup(final IpPrefix prefix)
    {
        return routes.groupOf(prefix);
    }

    /** Visits every route, IPv4 then IPv6, in prefix order, with the group it was given. Writer only. */
    public void forEachRoute(final RouteVisitor visitor)
    {
        routes.forEach(visitor);
    }

    // ---------------------------------------------------------------- sizes: writer

    public int routeCount()
    {
        return routes.size();
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
        return routes.memoryBytes() + groups.memoryBytes() + nextHops.memoryBytes();
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
