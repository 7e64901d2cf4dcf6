package org.vbgw.agent.fpm;

import org.vbgw.agent.rib.Rib;
import org.vbgw.agent.rib.RibPath;
import org.vbgw.agent.rib.RouteSource;
import org.vbgw.fib.IpPrefix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * zebra's routes as the FPM stream describes them, and the part of them the gateway has put into its RIB.
 * <p>
 * Holds zebra's next-hop objects by zebra's ids (single next hops and groups of them, whose members may arrive
 * after the group), the latest route zebra sent per prefix, and what was installed for it. A frame's messages
 * change the held state first; then every prefix they touched is reconciled with the RIB in one
 * {@link RibChanges#change}, so a path change sent as RTM_DELROUTE + RTM_NEWROUTE in one frame becomes one replace,
 * and a route whose description did not change (zebra's replay after a reconnect) changes nothing.
 * <p>
 * A route that waits on a next hop or group zebra has not sent yet is held (pending) and keeps whatever was
 * installed for it; it is installed when the missing piece arrives. When the session ends every installed route
 * becomes stale: zebra's ids are forgotten (they are renumbered on reconnect), a re-announced route is no longer
 * stale, a delete of a route still stale is not a withdrawal (a restarted zebra sweeping its predecessor's kernel
 * routes) and is ignored, and {@link #flushStale} removes the rest when the grace period ends.
 * <p>
 * The FPM server's thread only.
 */
public final class FpmRouteTable
{
    /** Runs a change of the RIB as one unit, serialized with the gateway's other RIB writers. */
    @FunctionalInterface
    public interface RibChanges
    {
        void change(Consumer<Rib> change);
    }

    private record Installed(RouteSource source, int distance, List<RibPath> paths)
    {
    }

    private static final int FILTERED = -1;

    private final VifResolver vifs;
    private final RibChanges ribChanges;
    private final FpmCounters counters;
    private final Consumer<String> log;
    /** Distance by rtm_protocol, {@link #FILTERED} for protocols that are not taken. */
    private final int[] distanceByProtocol = new int[256];

    private final Map<Integer, NextHopMessage> nextHops = new HashMap<>();
    private final Map<Integer, Set<Integer>> groupsByMember = new HashMap<>();
    private final Map<IpPrefix, RouteMessage> routes = new HashMap<>();
    private final Map<Integer, Set<IpPrefix>> routesByNextHop = new HashMap<>();
    private final Map<IpPrefix, Installed> installed = new HashMap<>();
    private final Set<IpPrefix> pending = new HashSet<>();
    private final Set<IpPrefix> stale = new HashSet<>();
    private final Set<IpPrefix> dirty = new LinkedHashSet<>();

    public FpmRouteTable(final VifResolver vifs, final RibChanges ribChanges, final List<Integer> protocols,
        final FpmCounters counters, final Consumer<String> log)
    {
        this.vifs = vifs;
        this.ribChanges = ribChanges;
        this.counters = counters;
        this.log = log;
        java.util.Arrays.fill(distanceByProtocol, FILTERED);
        for (final int p : protocols)
        {
            distanceByProtocol[p] = zebraDistance(p);
        }
    }

    /** zebra's default administrative distances (FRR's route_info[] in zebra/zebra_rib.c). */
    private static int zebraDistance(final int protocol)
    {
        return switch (protocol)
        {
            case Netlink.RTPROT_BGP -> RouteSource.EBGP.defaultDistance();
            case Netlink.RTPROT_ZSTATIC, Netlink.RTPROT_STATIC, Netlink.RTPROT_BOOT -> 1;
            case Netlink.RTPROT_EIGRP -> 90;
            case Netlink.RTPROT_BABEL -> 100;
            case Netlink.RTPROT_OSPF -> 110;
            case Netlink.RTPROT_ISIS, Netlink.RTPROT_OPENFABRIC -> 115;
            case Netlink.RTPROT_RIP -> 120;
            default -> 150;
        };
    }

    /** Applies one frame's (or several whole frames') messages, then reconciles the touched prefixes at once. */
    public void apply(final List<Object> messages)
    {
        for (int i = 0; i < messages.size(); i++)
        {
            final Object m = messages.get(i);
            if (m instanceof RouteMessage r)
            {
                onRoute(r);
            }
            else
            {
                onNextHop((NextHopMessage)m);
            }
        }
        if (!dirty.isEmpty())
        {
            ribChanges.change(rib ->
            {
                for (final IpPrefix p : dirty)
                {
                    reconcile(rib, p);
                }
            });
            dirty.clear();
        }
        publishGauges();
    }

    private void onRoute(final RouteMessage r)
    {
        final IpPrefix p = r.prefix();
        if (!r.add() && stale.contains(p))
        {
            // zebra has not announced this route since it reconnected, so the delete is about no route of this
            // session: a restarted zebra sweeps its predecessor's routes out of the kernel at start, and every
            // data plane provider, FPM included, may be told. Applied, it would take the route out of the FIB
            // while bgpd is still relearning it, which is what the stale grace exists to prevent. (FRR 8.4 does send
            // them: a zebra started over 564k routes its killed predecessor left in the kernel sent 434 RTM_DELROUTE
            // in BgpFibConvergenceBenchmark; none came in the interop tests' restarts.) The route stays stale:
            // announced again it is refreshed, otherwise the grace period ends it.
            counters.increment(FpmCounters.STALE_DELETES_IGNORED);
            return;
        }
        if (r.add() && !accepted(r))
        {
            counters.increment(FpmCounters.ROUTES_FILTERED);
            // zebra's best route for a prefix we hold is now one we do not take: ours must go.
            if (!routes.containsKey(p) && !installed.containsKey(p))
            {
                return;
            }
        }
        unhold(p);
        stale.remove(p);
        dirty.add(p);
        if (r.add() && accepted(r))
        {
            routes.put(p, r);
            if (r.nextHopId() != 0)
            {
                routesByNextHop.computeIfAbsent(r.nextHopId(), id -> new HashSet<>()).add(p);
            }
        }
    }

    private boolean accepted(final RouteMessage r)
    {
        final IpPrefix p = r.prefix();
        return r.table() == Netlink.RT_TABLE_MAIN && r.type() == Netlink.RTN_UNICAST &&
            distanceByProtocol[r.protocol()] != FILTERED && !linkLocalOrMulticast(p);
    }

    /** fe80::/10, ff00::/8, 169.254.0.0/16, 224.0.0.0/4: never forwarded between networks. */
    private static boolean linkLocalOrMulticast(final IpPrefix p)
    {
        if (p.ipv6())
        {
            return p.length() >= 10 && (p.hi() >>> 54) == 0x3FA || p.length() >= 8 && (p.hi() >>> 56) == 0xFF;
        }
        final long a = p.lo();
        return p.length() >= 16 && (a >>> 16) == 0xA9FE || p.length() >= 4 && (a >>> 28) == 0xE;
    }

    private void unhold(final IpPrefix p)
    {
        final RouteMessage old = routes.remove(p);
        if (old != null && old.nextHopId() != 0)
        {
            final Set<IpPrefix> users = routesByNextHop.get(old.nextHopId());
            if (users != null)
            {
                users.remove(p);
                if (users.isEmpty())
                {
                    routesByNextHop.remove(old.nextHopId());
                }
            }
        }
    }

    private void onNextHop(final NextHopMessage n)
    {
        final NextHopMessage old = nextHops.get(n.id());
        if (!n.add())
        {
            // Routes still using it keep what is installed until zebra says where they go now.
            if (old != null)
            {
                nextHops.remove(n.id());
                unlinkMembers(old);
            }
            return;
        }
        if (n.sameAs(old))
        {
            return;
        }
        if (old != null)
        {
            unlinkMembers(old);
        }
        nextHops.put(n.id(), n);
        if (n.isGroup())
        {
            for (final int member : n.groupIds())
            {
                groupsByMember.computeIfAbsent(member, id -> new HashSet<>()).add(n.id());
            }
        }
        markUsers(n.id());
        final Set<Integer> groups = groupsByMember.get(n.id());
        if (groups != null)
        {
            for (final int g : groups)
            {
                markUsers(g);
            }
        }
    }

    private void markUsers(final int nextHopId)
    {
        final Set<IpPrefix> users = routesByNextHop.get(nextHopId);
        if (users != null)
        {
            dirty.addAll(users);
        }
    }

    private void unlinkMembers(final NextHopMessage group)
    {
        if (group.isGroup())
        {
            for (final int member : group.groupIds())
            {
                final Set<Integer> groups = groupsByMember.get(member);
                if (groups != null && groups.remove(group.id()) && groups.isEmpty())
                {
                    groupsByMember.remove(member);
                }
            }
        }
    }

    private void reconcile(final Rib rib, final IpPrefix p)
    {
        final Installed old = installed.get(p);
        final RouteMessage r = routes.get(p);
        try
        {
            if (r == null)
            {
                pending.remove(p);
                if (old != null)
                {
                    uninstall(rib, p, old);
                }
                return;
            }
            final List<RibPath> paths = resolve(r);
            if (paths == null)
            {
                pending.add(p);
                return;
            }
            pending.remove(p);
            if (paths.isEmpty())
            {
                counters.increment(FpmCounters.ROUTES_UNRESOLVED);
                log.accept("fpm: " + p + " has no path through a VIF (" + describe(r) + "); not forwarded");
                if (old != null)
                {
                    uninstall(rib, p, old);
                }
                return;
            }
            final RouteSource source = r.protocol() == Netlink.RTPROT_BGP ? RouteSource.EBGP : RouteSource.FRR;
            final int distance = distanceByProtocol[r.protocol()];
            if (old != null && old.source() == source && old.distance() == distance && samePaths(old.paths(), paths))
            {
                return;
            }
            if (old != null && old.source() == source && old.distance() != distance)
            {
                // Same source, another distance: the old slot goes inside this transaction, which the journal
                // applies as one change, so the prefix is never without a route.
                rib.remove(source, p);
                rib.add(source, p, paths, distance);
            }
            else
            {
                // Add the new candidate before removing another source's, so the best never goes missing.
                rib.add(source, p, paths, distance);
                if (old != null && old.source() != source)
                {
                    rib.remove(old.source(), p);
                }
            }
            installed.put(p, new Installed(source, distance, paths));
            counters.increment(old == null ? FpmCounters.ROUTES_ADDED : FpmCounters.ROUTES_CHANGED);
        }
        catch (final RuntimeException ex)
        {
            // The RIB refused it (e.g. a gateway of the other family): count, report, keep the rest going.
            counters.increment(FpmCounters.ROUTES_REJECTED);
            log.accept("fpm: route " + p + " refused: " + ex.getMessage());
        }
    }

    private void uninstall(final Rib rib, final IpPrefix p, final Installed old)
    {
        rib.remove(old.source(), p);
        installed.remove(p);
        counters.increment(FpmCounters.ROUTES_REMOVED);
    }

    private static boolean samePaths(final List<RibPath> a, final List<RibPath> b)
    {
        return a.size() == b.size() && a.containsAll(b) && b.containsAll(a);
    }

    /** The route's paths through VIFs; null while a next hop it needs is unknown; empty when none is usable. */
    private List<RibPath> resolve(final RouteMessage r)
    {
        final List<RibPath> out = new ArrayList<>(2);
        if (r.nextHopId() == 0)
        {
            for (final FrrPath path : r.paths())
            {
                addPath(out, r.prefix(), path.ifindex(), path.gateway(), path.weight());
            }
            return out;
        }
        final NextHopMessage nh = nextHops.get(r.nextHopId());
        if (nh == null)
        {
            return null;
        }
        if (!nh.isGroup())
        {
            if (!nh.blackhole())
            {
                addPath(out, r.prefix(), nh.ifindex(), nh.gateway(), 1);
            }
            return out;
        }
        for (int i = 0; i < nh.groupIds().length; i++)
        {
            final NextHopMessage member = nextHops.get(nh.groupIds()[i]);
            if (member == null)
            {
                return null;
            }
            if (!member.isGroup() && !member.blackhole())
            {
                addPath(out, r.prefix(), member.ifindex(), member.gateway(), nh.groupWeights()[i]);
            }
        }
        return out;
    }

    private void addPath(final List<RibPath> out, final IpPrefix prefix, final int ifindex, final IpPrefix gateway,
        final int weight)
    {
        if (gateway != null && gateway.ipv6() != prefix.ipv6())
        {
            return; // RFC 5549 (IPv4 over an IPv6 next hop): the FIB keeps next hops of the route's family.
        }
        int vif = ifindex != 0 ? vifs.vifByIfindex(ifindex) : VifResolver.NO_VIF;
        if (vif == VifResolver.NO_VIF && gateway != null)
        {
            vif = vifs.vifByGateway(gateway);
        }
        if (vif == VifResolver.NO_VIF || gateway == null && ifindex == 0)
        {
            return;
        }
        final RibPath path = new RibPath(vif, gateway, Math.max(1, weight));
        if (!out.contains(path))
        {
            out.add(path);
        }
    }

    private String describe(final RouteMessage r)
    {
        if (r.nextHopId() == 0)
        {
            return "paths " + r.paths();
        }
        final NextHopMessage nh = nextHops.get(r.nextHopId());
        return "next hop " + r.nextHopId() + (nh == null ? "" : nh.isGroup()
            ? " group " + java.util.Arrays.toString(nh.groupIds())
            : (nh.blackhole() ? " blackhole" : " via " + nh.gateway() + " ifindex " + nh.ifindex()));
    }

    /** The session ended: everything installed is stale, zebra's ids are forgotten. */
    public void sessionDown()
    {
        stale.addAll(installed.keySet());
        routes.clear();
        routesByNextHop.clear();
        nextHops.clear();
        groupsByMember.clear();
        pending.clear();
        dirty.clear();
        publishGauges();
    }

    /** Removes the routes still stale (not re-announced since the session ended); returns how many. */
    public int flushStale()
    {
        if (stale.isEmpty())
        {
            return 0;
        }
        final int[] flushed = new int[1];
        ribChanges.change(rib ->
        {
            for (final IpPrefix p : stale)
            {
                final Installed old = installed.get(p);
                if (old != null && !routes.containsKey(p))
                {
                    uninstall(rib, p, old);
                    flushed[0]++;
                }
            }
        });
        stale.clear();
        counters.add(FpmCounters.STALE_FLUSHED, flushed[0]);
        publishGauges();
        return flushed[0];
    }

    private void publishGauges()
    {
        counters.set(FpmCounters.ROUTES_INSTALLED, installed.size());
        counters.set(FpmCounters.ROUTES_PENDING, pending.size());
        counters.set(FpmCounters.ROUTES_STALE, stale.size());
        counters.set(FpmCounters.NEXT_HOPS, nextHops.size());
    }

    public int installedCount()
    {
        return installed.size();
    }

    public int pendingCount()
    {
        return pending.size();
    }

    public int staleCount()
    {
        return stale.size();
    }
}
