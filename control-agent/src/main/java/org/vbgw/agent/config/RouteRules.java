package org.vbgw.agent.config;

import org.vbgw.fib.IpPrefix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules for what the gateway routes toward the IDC: static routes (next hops directly connected on
 * a VIF, one route per prefix and preference, backups that exist and do not loop), static
 * neighbours, the VPN backup (it announces the aggregate, never something as specific as the
 * direct path: ../shared/seeds/001), and that every VIF carries some route.
 */
final class RouteRules
{
    private record RouteKey(IpPrefix prefix, int preference)
    {
    }

    private RouteRules()
    {
    }

    static void check(final GatewayConfig config, final Diagnostics diagnostics)
    {
        final Set<String> usedVifs = new HashSet<>();
        staticRoutes(config, usedVifs, diagnostics);
        backups(config, diagnostics);
        neighbours(config, diagnostics);
        vpnBackups(config, usedVifs, diagnostics);
        for (final VifConfig vif : config.vifs())
        {
            if (vif.name() != null && vif.bgp() == null && vif.remoteSubnets().isEmpty() && !usedVifs.contains(vif.name()))
            {
                diagnostics.error(vif.path(), "VIF '" + vif.name() + "' carries no routes: give it bgp, remote-subnets, " +
                    "or a static route through it");
            }
            if (vif.bgp() == null)
            {
                remoteSubnetFamilies(vif, diagnostics);
            }
        }
    }

    private static void staticRoutes(final GatewayConfig config, final Set<String> usedVifs, final Diagnostics diagnostics)
    {
        final Map<RouteKey, String> first = new HashMap<>();
        for (final StaticRoute route : config.staticRoutes())
        {
            if (route.prefix() != null)
            {
                AddressSpaceRules.routeOutsideVpc(config, route.prefix(), route.path() + ".prefix", "static route",
                    diagnostics);
                final String earlier = first.putIfAbsent(new RouteKey(route.prefix(), route.preference()), route.path());
                if (earlier != null)
                {
                    diagnostics.error(route.path() + ".prefix", route.prefix() + " with preference " + route.preference() +
                        " is already routed by " + ConfigValidator.at(diagnostics, earlier) + ": put all next hops in " +
                        "one route for ECMP, or give this one a higher preference to make it a floating backup");
                }
            }
            if (route.nextHops().isEmpty())
            {
                diagnostics.error(route.path() + ".next-hops", "a static route needs at least one next hop");
            }
            final Set<IpPrefix> seen = new HashSet<>();
            for (final StaticNextHop hop : route.nextHops())
            {
                if (hop.address() == null)
                {
                    continue;
                }
                final String path = hop.path() + ".address";
                if (route.prefix() != null && route.prefix().ipv6() != hop.address().ipv6())
                {
                    diagnostics.error(path, "next hop " + Addresses.text(hop.address()) + " is " + family(hop.address()) +
                        " but the prefix " + route.prefix() + " is " + family(route.prefix()));
                    continue;
                }
                if (!seen.add(hop.address()))
                {
                    diagnostics.error(path, "next hop " + Addresses.text(hop.address()) + " is listed twice in this route");
                    continue;
                }
                final VifConfig vif = connectedVif(config, hop.address(), hop.vif(), path, hop.path() + ".vif", diagnostics);
                if (vif != null)
                {
                    usedVifs.add(vif.name());
                }
            }
        }
    }

    /**
     * The VIF whose interconnect subnet holds {@code address} (the named one when {@code vifName}
     * is given), reporting why there is none; null when there is none.
     */
    static VifConfig connectedVif(final GatewayConfig config, final IpPrefix address, final String vifName,
                                  final String path, final String vifPath, final Diagnostics diagnostics)
    {
        final String text = Addresses.text(address);
        if (vifName != null)
        {
            final VifConfig named = ConfigValidator.vifNamed(config, vifName, vifPath, diagnostics);
            if (named == null)
            {
                return null;
            }
            final InterfaceAddress local = localHolding(named, address);
            if (local == null)
            {
                diagnostics.error(path, "next hop " + text + " is not in the interconnect subnet of VIF '" + vifName + "'" +
                    subnets(named));
                return null;
            }
            return ownOrReserved(named, local, address, path, diagnostics) ? null : named;
        }
        for (final VifConfig vif : config.vifs())
        {
            final InterfaceAddress local = localHolding(vif, address);
            if (local != null)
            {
                return ownOrReserved(vif, local, address, path, diagnostics) ? null : vif;
            }
        }
        diagnostics.error(path, "next hop " + text + " is not in any VIF's interconnect subnet: a static next hop must " +
            "be directly connected");
        return null;
    }

    private static boolean ownOrReserved(final VifConfig vif, final InterfaceAddress local, final IpPrefix address,
                                         final String path, final Diagnostics diagnostics)
    {
        if (local.host().equals(address))
        {
            diagnostics.error(path, Addresses.text(address) + " is the gateway's own address on VIF '" + vif.name() +
                "'; the next hop is the customer side");
            return true;
        }
        final String role = InterconnectRules.reservedRole(new InterfaceAddress(address, local.length()));
        if (role != null)
        {
            diagnostics.error(path, Addresses.text(address) + " is the " + role + " of " + local.subnet() +
                ", not a router");
            return true;
        }
        return false;
    }

    private static InterfaceAddress localHolding(final VifConfig vif, final IpPrefix address)
    {
        for (final Interconnect link : new Interconnect[] { vif.ipv4(), vif.ipv6() })
        {
            if (link != null && link.local() != null && link.local().ipv6() == address.ipv6() &&
                link.local().subnet().contains(address))
            {
                return link.local();
            }
        }
        return null;
    }

    private static String subnets(final VifConfig vif)
    {
        final List<String> nets = new ArrayList<>();
        for (final Interconnect link : new Interconnect[] { vif.ipv4(), vif.ipv6() })
        {
            if (link != null && link.local() != null)
            {
                nets.add(link.local().subnet().toString());
            }
        }
        return nets.isEmpty() ? "" : " (" + String.join(", ", nets) + ")";
    }

    private static void backups(final GatewayConfig config, final Diagnostics diagnostics)
    {
        final Map<String, StaticRoute> routes = new HashMap<>();
        config.staticRoutes().forEach(r -> routes.putIfAbsent(r.name(), r));
        final Map<String, VpnBackup> vpns = new HashMap<>();
        config.vpnBackups().forEach(v -> vpns.putIfAbsent(v.name(), v));
        for (final StaticRoute route : config.staticRoutes())
        {
            if (route.backup() == null)
            {
                continue;
            }
            final String path = route.path() + ".backup";
            if (route.backup().equals(route.name()))
            {
                diagnostics.error(path, "route '" + route.name() + "' cannot be its own backup");
                continue;
            }
            final StaticRoute backupRoute = routes.get(route.backup());
            final VpnBackup backupVpn = vpns.get(route.backup());
            if (backupRoute == null && backupVpn == null)
            {
                final Set<String> known = new LinkedHashSet<>(routes.keySet());
                known.addAll(vpns.keySet());
                known.remove(null);
                final String close = DidYouMean.suggest(route.backup(), known);
                diagnostics.error(path, "no static route or VPN backup named '" + route.backup() + "'" +
                    (close != null ? " (did you mean '" + close + "'?)" : ""));
                continue;
            }
            if (route.prefix() != null && !carries(backupRoute, backupVpn, route.prefix()))
            {
                diagnostics.error(path, "backup '" + route.backup() + "' does not carry " + route.prefix() +
                    ": none of its prefixes covers it");
            }
            final List<String> chain = new ArrayList<>(List.of(route.name()));
            String next = route.backup();
            while (next != null && routes.containsKey(next) && !chain.contains(next))
            {
                chain.add(next);
                next = routes.get(next).backup();
            }
            if (next != null && chain.contains(next))
            {
                chain.add(next);
                if (next.equals(route.name()))
                {
                    diagnostics.error(path, "backups loop: " + String.join(" -> ", chain));
                }
            }
        }
    }

    private static boolean carries(final StaticRoute route, final VpnBackup vpn, final IpPrefix prefix)
    {
        if (route != null)
        {
            return route.prefix() == null || route.prefix().contains(prefix);
        }
        return vpn.prefixes().stream().anyMatch(p -> p.prefix().contains(prefix));
    }

    private static void neighbours(final GatewayConfig config, final Diagnostics diagnostics)
    {
        final Map<String, String> first = new HashMap<>();
        for (final StaticNeighbour neighbour : config.staticNeighbours())
        {
            final VifConfig vif = ConfigValidator.vifNamed(config, neighbour.vif(), neighbour.path() + ".vif", diagnostics);
            if (vif == null || neighbour.ip() == null)
            {
                continue;
            }
            final String path = neighbour.path() + ".ip";
            final InterfaceAddress local = localHolding(vif, neighbour.ip());
            if (local == null)
            {
                diagnostics.error(path, Addresses.text(neighbour.ip()) + " is not in the interconnect subnet of VIF '" +
                    vif.name() + "'" + subnets(vif));
                continue;
            }
            if (ownOrReserved(vif, local, neighbour.ip(), path, diagnostics))
            {
                continue;
            }
            final String earlier = first.putIfAbsent(vif.name() + "/" + neighbour.ip(), neighbour.path());
            if (earlier != null)
            {
                diagnostics.error(path, "a static neighbour " + Addresses.text(neighbour.ip()) + " on VIF '" + vif.name() +
                    "' is already given by " + ConfigValidator.at(diagnostics, earlier));
            }
        }
    }

    private static void vpnBackups(final GatewayConfig config, final Set<String> usedVifs, final Diagnostics diagnostics)
    {
        for (final VpnBackup vpn : config.vpnBackups())
        {
            if (vpn.vif() != null && vpn.nextHop() != null)
            {
                final VifConfig vif = connectedVif(config, vpn.nextHop(), vpn.vif(), vpn.path() + ".next-hop",
                    vpn.path() + ".vif", diagnostics);
                if (vif != null)
                {
                    usedVifs.add(vif.name());
                }
            }
            else if (vpn.vif() != null)
            {
                ConfigValidator.vifNamed(config, vpn.vif(), vpn.path() + ".vif", diagnostics);
                usedVifs.add(vpn.vif());
            }
            for (final CidrBlock prefix : vpn.prefixes())
            {
                AddressSpaceRules.routeOutsideVpc(config, prefix.prefix(), prefix.path(), "VPN prefix", diagnostics);
                aggregate(config, vpn, prefix, diagnostics);
            }
        }
    }

    /**
     * Seed 001: the direct path announces more specific prefixes and the VPN the aggregate, so the
     * direct path wins by longest match and the VPN only carries traffic when the direct routes are
     * gone. A VPN prefix as specific as a direct one would share or steal the traffic.
     */
    private static void aggregate(final GatewayConfig config, final VpnBackup vpn, final CidrBlock prefix,
                                  final Diagnostics diagnostics)
    {
        final List<CidrBlock> direct = new ArrayList<>();
        for (final VifConfig vif : config.vifs())
        {
            if (vif.name() != null && !vif.name().equals(vpn.vif()))
            {
                direct.addAll(vif.remoteSubnets());
            }
        }
        for (final StaticRoute route : config.staticRoutes())
        {
            if (route.prefix() != null)
            {
                direct.add(new CidrBlock(route.path() + ".prefix", route.prefix()));
            }
        }
        for (final CidrBlock d : direct)
        {
            if (d.prefix().overlaps(prefix.prefix()) && d.prefix().length() <= prefix.prefix().length())
            {
                diagnostics.error(prefix.path(), "VPN prefix " + prefix + " is not less specific than the direct " +
                    d + " at " + ConfigValidator.at(diagnostics, d.path()) + ": the VPN must announce the aggregate, " +
                    "so that the direct path wins by longest prefix");
                return;
            }
        }
    }

    /** Without BGP, remote subnets are routed to the VIF's peer, which needs the same address family. */
    private static void remoteSubnetFamilies(final VifConfig vif, final Diagnostics diagnostics)
    {
        for (final CidrBlock remote : vif.remoteSubnets())
        {
            final Interconnect link = remote.prefix().ipv6() ? vif.ipv6() : vif.ipv4();
            if (link == null)
            {
                diagnostics.error(remote.path(), family(remote.prefix()) + " subnet " + remote + " needs an " +
                    family(remote.prefix()) + " interconnect (" + (remote.prefix().ipv6() ? "ipv6" : "ipv4") +
                    ") on VIF '" + vif.name() + "' to be routed to its peer");
            }
        }
    }

    private static String family(final IpPrefix prefix)
    {
        return prefix.ipv6() ? "IPv6" : "IPv4";
    }
}
