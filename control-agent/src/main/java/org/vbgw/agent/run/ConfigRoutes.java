package org.vbgw.agent.run;

import org.vbgw.agent.config.CidrBlock;
import org.vbgw.agent.config.GatewayConfig;
import org.vbgw.agent.config.Interconnect;
import org.vbgw.agent.config.InterfaceAddress;
import org.vbgw.agent.config.StaticNeighbour;
import org.vbgw.agent.config.StaticNextHop;
import org.vbgw.agent.config.StaticRoute;
import org.vbgw.agent.config.VifConfig;
import org.vbgw.agent.config.VpcAttachment;
import org.vbgw.agent.config.VpnBackup;
import org.vbgw.agent.journal.JournalState;
import org.vbgw.agent.rib.Rib;
import org.vbgw.agent.rib.RibPath;
import org.vbgw.agent.rib.RouteSource;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.MacAddress;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The routes and static neighbours a config asks for, as values: connected subnets, remote subnets routed to
 * a VIF's peer (standby paths behind a BGP VIF, {@link RouteSource#STANDBY}), VPC CIDRs, static routes (with floating and explicit backups) and VPN backups, each as a
 * source's candidates (distance → paths) for a prefix. Two of them compare, which is what a reload needs: only
 * the prefixes whose candidates differ are given to the RIB again.
 * <p>
 * Built from a config that passed {@link org.vbgw.agent.config.ConfigCheck} and the VIF ids the data plane uses.
 */
public final class ConfigRoutes
{
    /** Distance of a remote subnet routed statically to its VIF's peer (no BGP on the VIF). */
    static final int REMOTE_SUBNET_DISTANCE = 1;
    /** Distance of a VPN backup: the last resort, below every direct path. */
    static final int VPN_DISTANCE = 250;
    /** Distance of a route named as another route's explicit backup. */
    static final int EXPLICIT_BACKUP_DISTANCE = 254;

    /** One source's candidates for one prefix. */
    public record Key(RouteSource source, IpPrefix prefix)
    {
    }

    private final Map<Key, Map<Integer, List<RibPath>>> routes = new LinkedHashMap<>();
    private final Map<JournalState.NeighbourKey, Long> neighbours = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    private ConfigRoutes()
    {
    }

    public static ConfigRoutes of(final GatewayConfig config, final Map<String, Integer> vifIds)
    {
        final ConfigRoutes c = new ConfigRoutes();
        // A remote subnet behind several VIFs (the seeds' active/active pairs) is one route over all of them.
        final Map<IpPrefix, List<RibPath>> remoteSubnets = new LinkedHashMap<>();
        // Behind BGP VIFs they are standby paths: the data plane's backup for the routes BGP learns there.
        final Map<IpPrefix, List<RibPath>> standby = new LinkedHashMap<>();
        for (final VifConfig v : config.vifs())
        {
            final int id = vifIds.get(v.name());
            if (v.ipv4() != null)
            {
                c.add(RouteSource.CONNECTED, GatewayRuntime.subnet(v.ipv4().local()), 0, List.of(RibPath.attached(id)));
            }
            if (v.ipv6() != null)
            {
                c.add(RouteSource.CONNECTED, GatewayRuntime.subnet(v.ipv6().local()), 0, List.of(RibPath.attached(id)));
            }
            for (final CidrBlock b : v.remoteSubnets())
            {
                final InterfaceAddress peer = b.prefix().ipv6() ? peer(v.ipv6()) : peer(v.ipv4());
                if (peer != null)
                {
                    (v.bgp() == null ? remoteSubnets : standby).computeIfAbsent(b.prefix(), k -> new ArrayList<>())
                        .add(new RibPath(id, peer.host(), v.weight() != null ? v.weight() : 1));
                }
            }
        }
        remoteSubnets.forEach((prefix, paths) -> c.add(RouteSource.STATIC, prefix, REMOTE_SUBNET_DISTANCE, paths));
        standby.forEach((prefix, paths) -> c.add(RouteSource.STANDBY, prefix, RouteSource.STANDBY.defaultDistance(),
            paths));
        for (final VpcAttachment a : config.vpcAttachments())
        {
            final int id = vifIds.get(a.name());
            for (final CidrBlock b : a.vpcCidrs())
            {
                c.add(RouteSource.CONNECTED, b.prefix(), 0, List.of(RibPath.attached(id)));
            }
        }
        final Map<String, List<RibPath>> namedPaths = new HashMap<>();
        for (final StaticRoute r : config.staticRoutes())
        {
            final List<RibPath> paths = new ArrayList<>();
            for (final StaticNextHop nh : r.nextHops())
            {
                final int vif = nh.vif() != null ? vifIds.get(nh.vif()) : vifFor(config, vifIds, nh.address());
                paths.add(new RibPath(vif, nh.address(), nh.weight() != null ? nh.weight() : 1));
            }
            namedPaths.put(r.name(), paths);
        }
        for (final VpnBackup vpn : config.vpnBackups())
        {
            if (vpn.vif() == null || vpn.nextHop() == null)
            {
                c.notes.add("vpn backup " + vpn.name() + ": tunnel interfaces are not forwarded by the data plane yet; " +
                    "give the VPN device as 'vif' and 'next-hop' to use it");
                continue;
            }
            final List<RibPath> paths = List.of(new RibPath(vifIds.get(vpn.vif()), vpn.nextHop(), 1));
            namedPaths.put(vpn.name(), paths);
            for (final CidrBlock b : vpn.prefixes())
            {
                c.add(RouteSource.STATIC, b.prefix(), VPN_DISTANCE, paths);
            }
        }
        for (final StaticRoute r : config.staticRoutes())
        {
            // A primary and a floating static route for one prefix are two candidates at two distances.
            c.add(RouteSource.STATIC, r.prefix(), r.preference(), namedPaths.get(r.name()));
            if (r.backup() != null && namedPaths.containsKey(r.backup()))
            {
                // The named backup becomes the runner-up, which the RIB installs as the FIB's backup group.
                c.add(RouteSource.STATIC, r.prefix(), EXPLICIT_BACKUP_DISTANCE, namedPaths.get(r.backup()));
            }
        }
        for (final StaticNeighbour n : config.staticNeighbours())
        {
            c.neighbours.put(new JournalState.NeighbourKey(vifIds.get(n.vif()), n.ip().ipv6(), n.ip().hi(), n.ip().lo()),
                MacAddress.parse(n.mac()));
        }
        return c;
    }

    private void add(final RouteSource source, final IpPrefix prefix, final int distance, final List<RibPath> paths)
    {
        routes.computeIfAbsent(new Key(source, prefix), k -> new TreeMap<>()).put(distance, List.copyOf(paths));
    }

    private static InterfaceAddress peer(final Interconnect i)
    {
        return i == null ? null : i.peer();
    }

    /** The VIF whose interconnect subnet holds the address (validation guarantees one for a config's routes). */
    static int vifFor(final GatewayConfig config, final Map<String, Integer> vifIds, final IpPrefix address)
    {
        for (final VifConfig v : config.vifs())
        {
            for (final Interconnect i : new Interconnect[] {v.ipv4(), v.ipv6()})
            {
                if (i != null && GatewayRuntime.subnet(i.local()).contains(address))
                {
                    return vifIds.get(v.name());
                }
            }
        }
        throw new IllegalArgumentException("next hop " + address + " is in no VIF's interconnect subnet");
    }

    /** Gives every route to the RIB, in config order (so ids are handed out the same way every time). */
    public void programInto(final Rib rib)
    {
        routes.forEach((key, byDistance) -> rib.set(key.source(), key.prefix(), byDistance));
    }

    /**
     * Gives the RIB only what differs from {@code before}: prefixes whose candidates changed or are new are set,
     * prefixes no longer in the config lose that source's candidates. Returns the number of (source, prefix)
     * pairs touched.
     */
    public int programChangesInto(final Rib rib, final ConfigRoutes before)
    {
        int touched = 0;
        for (final Map.Entry<Key, Map<Integer, List<RibPath>>> e : routes.entrySet())
        {
            if (!e.getValue().equals(before.routes.get(e.getKey())))
            {
                rib.set(e.getKey().source(), e.getKey().prefix(), e.getValue());
                touched++;
            }
        }
        for (final Key gone : before.routes.keySet())
        {
            if (!routes.containsKey(gone))
            {
                rib.set(gone.source(), gone.prefix(), Map.of());
                touched++;
            }
        }
        return touched;
    }

    public Map<Key, Map<Integer, List<RibPath>>> routes()
    {
        return routes;
    }

    /** Static neighbours: (VIF, address) → MAC. */
    public Map<JournalState.NeighbourKey, Long> neighbours()
    {
        return neighbours;
    }

    public List<String> notes()
    {
        return notes;
    }
}
