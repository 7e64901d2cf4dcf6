package org.vbgw.fib;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The writer's view of the routes of one address family, in prefix order: what group each route was
 * given, which group id the lookup table stores for it, and which routes a prefix covers.
 * <p>
 * The lookup tables answer "longest match for an address"; the writer also needs "the nearest covering
 * route of a prefix" and "the routes under a prefix" when a covering route changes. Control-plane only:
 * it allocates (about 100 bytes per route).
 */
final class RouteIndex
{
    /** Address, then shorter prefix first: the order the tables' forEach uses. */
    static final Comparator<IpPrefix> PREFIX_ORDER = (a, b) ->
    {
        int c = Long.compareUnsigned(a.hi(), b.hi());
        if (c == 0)
        {
            c = Long.compareUnsigned(a.lo(), b.lo());
        }
        return c != 0 ? c : Integer.compare(a.length(), b.length());
    };

    /** One route. {@code tableGroupId} is what the lookup table stores: the group or a derived variant. */
    static final class Route
    {
        final IpPrefix prefix;
        int groupId;
        int tableGroupId;

        Route(final IpPrefix prefix, final int groupId)
        {
            this.prefix = prefix;
            this.groupId = groupId;
        }
    }

    private TreeMap<IpPrefix, Route> routes = new TreeMap<>(PREFIX_ORDER);

    Route get(final IpPrefix prefix)
    {
        return routes.get(prefix);
    }

    void put(final Route route)
    {
        routes.put(route.prefix, route);
    }

    Route remove(final IpPrefix prefix)
    {
        return routes.remove(prefix);
    }

    int size()
    {
        return routes.size();
    }

    /** The most specific route strictly shorter than {@code prefix} that contains it, or null. */
    Route coverOf(final IpPrefix prefix)
    {
        for (int length = prefix.length() - 1; length >= 0; length--)
        {
            final Route r = routes.get(truncate(prefix, length));
            if (r != null)
            {
                return r;
            }
        }
        return null;
    }

    /** Routes strictly more specific than {@code prefix} and inside it, in prefix order (a live view). */
    Iterable<Route> coveredBy(final IpPrefix prefix)
    {
        return () -> new java.util.Iterator<>()
        {
            private final java.util.Iterator<Map.Entry<IpPrefix, Route>> tail =
                routes.tailMap(prefix, false).entrySet().iterator();
            private Route next = advance();

            private Route advance()
            {
                if (tail.hasNext())
                {
                    final Route r = tail.next().getValue();
                    if (prefix.contains(r.prefix))
                    {
                        return r;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext()
            {
                return next != null;
            }

            @Override
            public Route next()
            {
                final Route r = next;
                if (r == null)
                {
                    throw new java.util.NoSuchElementException();
                }
                next = advance();
                return r;
            }
        };
    }

    /** All routes in prefix order. */
    Iterable<Route> all()
    {
        return routes.values();
    }

    /** Swaps in a whole new set of routes (bulk load). */
    void replaceAll(final TreeMap<IpPrefix, Route> newRoutes)
    {
        routes = newRoutes;
    }

    static TreeMap<IpPrefix, Route> newMap()
    {
        return new TreeMap<>(PREFIX_ORDER);
    }

    /** The prefix of {@code prefix}'s first {@code length} bits. */
    static IpPrefix truncate(final IpPrefix prefix, final int length)
    {
        if (prefix.ipv6())
        {
            return IpPrefix.ipv6(prefix.hi() & IpPrefix.mask128Hi(length), prefix.lo() & IpPrefix.mask128Lo(length), length);
        }
        return IpPrefix.ipv4(prefix.ipv4Address() & IpPrefix.mask32(length), length);
    }
}
