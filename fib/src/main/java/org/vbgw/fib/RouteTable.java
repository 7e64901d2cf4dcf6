package org.vbgw.fib;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.TreeMap;

import org.agrona.collections.IntArrayList;

/**
 * The routes of both families: the longest-prefix-match tables readers use, and the writer's index that
 * keeps each route's stored group id right.
 * <p>
 * A route under a covering route stores a derived variant of its group (see {@link GroupTable}) whose
 * fallback is the covering route's stored id. So adding, replacing or removing a route re-points the routes
 * it covers whose covering chain changed: a walk of the routes under it, in prefix order, done by the
 * writer as part of that route change. Next-hop liveness never comes here.
 * <p>
 * Threads: the writer calls everything except {@link #lookupIpv4} and {@link #lookupIpv6}, which are
 * the tables' wait-free lookups. Group ids passed in have been checked to exist by the caller.
 */
final class RouteTable
{
    private final Ipv4Table ipv4 = new Ipv4Table();
    private final Ipv6Table ipv6 = new Ipv6Table();
    private final RouteIndex ipv4Routes = new RouteIndex();
    private final RouteIndex ipv6Routes = new RouteIndex();
    private final GroupTable groups;
    private final FibChecks checks;

    RouteTable(final GroupTable groups, final FibChecks checks)
    {
        this.groups = groups;
        this.checks = checks;
    }

    int lookupIpv4(final int address)
    {
        return ipv4.lookup(address);
    }

    int lookupIpv6(final long hi, final long lo)
    {
        return ipv6.lookup(hi, lo);
    }

    int size()
    {
        return ipv4.size() + ipv6.size();
    }

    long memoryBytes()
    {
        return ipv4.memoryBytes() + ipv6.memoryBytes();
    }

    /** Adds a route; refused if the prefix already has one (use {@link #replace}). */
    void add(final IpPrefix prefix, final int groupId)
    {
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
    void replace(final IpPrefix prefix, final int groupId)
    {
        final RouteIndex index = indexOf(prefix);
        final RouteIndex.Route route = index.get(prefix);
        if (route == null)
        {
            throw new IllegalArgumentException("no route " + prefix + " to replace");
        }
        final IntArrayList released = new IntArrayList();
        final int before = route.tableGroupId;
        released.addInt(before);
        route.groupId = groupId;
        route.tableGroupId = groups.acquire(groupId, coverGroupOf(index, prefix));
        if (route.tableGroupId != before)
        {
            tablePut(prefix, route.tableGroupId);
            // The routes below depend on this route only through its stored id: unchanged id, no walk.
            repointCovered(index, prefix, route.tableGroupId, released);
        }
        releaseAll(released);
    }

    /** Removes a route; false when there was none. Routes it covered fall back to its own cover. */
    boolean remove(final IpPrefix prefix)
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
    void loadIpv4(final int[] prefixes, final int[] lengths, final int[] groupIds, final int count)
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
    void loadIpv6(final long[] his, final long[] los, final int[] lengths, final int[] groupIds, final int count)
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

    /** The group a prefix's route was given, or {@link Fib#NO_GROUP}. Writer only. */
    int groupOf(final IpPrefix prefix)
    {
        final RouteIndex.Route route = indexOf(prefix).get(prefix);
        return route == null ? Fib.NO_GROUP : route.groupId;
    }

    /** Visits every route, IPv4 then IPv6, in prefix order, with the group it was given. Writer only. */
    void forEach(final Fib.RouteVisitor visitor)
    {
        ipv4.forEach((prefix, length, value) -> visitor.accept(IpPrefix.ipv4(prefix, length), groups.baseGroupOf(value)));
        ipv6.forEach((hi, lo, length, value) -> visitor.accept(IpPrefix.ipv6(hi, lo, length), groups.baseGroupOf(value)));
    }

    /**
     * Checks a bulk load, then takes group references for it: returns the new route index and fills the
     * ids for the lookup table, in input order.
     */
    private TreeMap<IpPrefix, RouteIndex.Route> resolveLoad(
        final IpPrefix[] prefixes, final int[] groupIds, final int count, final int[] tableGroupIds)
    {
        final RouteIndex.Route[] byInput = new RouteIndex.Route[count];
        for (int i = 0; i < count; i++)
        {
            checks.routeGroup(prefixes[i], groupIds[i]);
            byInput[i] = new RouteIndex.Route(prefixes[i], groupIds[i]);
        }
        // Sorting an array (stable, near linear on sorted input) and building the tree from it in one pass
        // is several times faster than a million tree inserts.
        final RouteIndex.Route[] sorted = byInput.clone();
        Arrays.sort(sorted, (x, y) -> RouteIndex.PREFIX_ORDER.compare(x.prefix, y.prefix));
        for (int i = 1; i < count; i++)
        {
            if (RouteIndex.PREFIX_ORDER.compare(sorted[i - 1].prefix, sorted[i].prefix) == 0)
            {
                throw new IllegalArgumentException("duplicate route " + sorted[i].prefix + " at index " +
                    secondIndexOf(byInput, sorted[i].prefix));
            }
        }
        final TreeMap<IpPrefix, RouteIndex.Route> map = RouteIndex.fromSorted(sorted);
        // One sweep in prefix order: the stack holds the chain of routes covering the current one.
        final ArrayDeque<RouteIndex.Route> covering = new ArrayDeque<>();
        for (final RouteIndex.Route route : sorted)
        {
            while (!covering.isEmpty() && !covering.peek().prefix.contains(route.prefix))
            {
                covering.pop();
            }
            route.tableGroupId = groups.acquire(route.groupId, covering.isEmpty() ? Fib.NO_GROUP : covering.peek().tableGroupId);
            covering.push(route);
        }
        for (int i = 0; i < count; i++)
        {
            tableGroupIds[i] = byInput[i].tableGroupId;
        }
        return map;
    }

    private static int secondIndexOf(final RouteIndex.Route[] routes, final IpPrefix prefix)
    {
        boolean seen = false;
        for (int i = 0; i < routes.length; i++)
        {
            if (routes[i].prefix.equals(prefix))
            {
                if (seen)
                {
                    return i;
                }
                seen = true;
            }
        }
        return -1;
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
        return cover == null ? Fib.NO_GROUP : cover.tableGroupId;
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

}
