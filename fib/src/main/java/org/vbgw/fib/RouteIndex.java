package org.vbgw.fib;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
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
        return () -> new Iterator<>()
        {
            private final Iterator<Map.Entry<IpPrefix, Route>> tail =
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
                    throw new NoSuchElementException();
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

    /** A tree of routes already sorted by {@link #PREFIX_ORDER} without duplicates, built in linear time. */
    static TreeMap<IpPrefix, Route> fromSorted(final Route[] sorted)
    {
        final TreeMap<IpPrefix, Route> map = new TreeMap<>(PREFIX_ORDER);
        // TreeMap.putAll of a SortedMap with the same comparator into an empty map takes its linear
        // buildFromSorted path; this view is just enough of a SortedMap for that.
        map.putAll(new SortedView(sorted));
        return map;
    }

    private static final class SortedView extends AbstractMap<IpPrefix, Route> implements SortedMap<IpPrefix, Route>
    {
        private final Route[] sorted;

        SortedView(final Route[] sorted)
        {
            this.sorted = sorted;
        }

        @Override
        public Comparator<? super IpPrefix> comparator()
        {
            return PREFIX_ORDER;
        }

        @Override
        public Set<Entry<IpPrefix, Route>> entrySet()
        {
            return new AbstractSet<>()
            {
                @Override
                public Iterator<Entry<IpPrefix, Route>> iterator()
                {
                    return new Iterator<>()
                    {
                        private int next;

                        @Override
                        public boolean hasNext()
                        {
                            return next < sorted.length;
                        }

                        @Override
                        public Entry<IpPrefix, Route> next()
                        {
                            if (next >= sorted.length)
                            {
                                throw new NoSuchElementException();
                            }
                            final Route r = sorted[next++];
                            return new SimpleImmutableEntry<>(r.prefix, r);
                        }
                    };
                }

                @Override
                public int size()
                {
                    return sorted.length;
                }
            };
        }

        @Override
        public SortedMap<IpPrefix, Route> subMap(final IpPrefix from, final IpPrefix to)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public SortedMap<IpPrefix, Route> headMap(final IpPrefix to)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public SortedMap<IpPrefix, Route> tailMap(final IpPrefix from)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public IpPrefix firstKey()
        {
            return sorted[0].prefix;
        }

        @Override
        public IpPrefix lastKey()
        {
            return sorted[sorted.length - 1].prefix;
        }
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
