package org.vbgw.agent.config;

import org.vbgw.fib.IpPrefix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Warns where a valid config is still fragile, the way the seeds judge a design: every destination
 * in the IDC should be reachable over two physical connections at different locations
 * (../shared/seeds/000, 002, 003, 004), and every path should have a way to notice that it failed
 * faster than BGP's hold time. Also estimates each path's failover time from its timers: BFD
 * {@code min-rx x multiplier}, health check {@code interval x count} (the faster of the two when
 * both run), otherwise the BGP hold time, otherwise never (a static route only moves when its port
 * loses carrier).
 */
public final class RedundancyLint
{
    private RedundancyLint()
    {
    }

    /** Warns into {@code diagnostics}; returns the failover estimate of every path. */
    public static List<PathReport> lint(final GatewayConfig config, final Diagnostics diagnostics)
    {
        final Map<String, PathReport> vifPaths = new LinkedHashMap<>();
        for (final VifConfig vif : config.vifs())
        {
            vifPaths.put(vif.name(), vifPath(config, vif));
        }
        final Map<String, PathReport> vpnPaths = new LinkedHashMap<>();
        for (final VpnBackup vpn : config.vpnBackups())
        {
            // Over a VIF the VPN fails as that VIF does; a tunnel's own failure nothing here detects.
            final PathReport via = vpn.vif() == null ? null : vifPaths.get(vpn.vif());
            vpnPaths.put(vpn.name(), via != null
                ? new PathReport("vpn", vpn.name(), via.port(), via.location(), via.detection(), via.failoverMs())
                : new PathReport("vpn", vpn.name(), vpn.tunnel(), null, "none", -1));
        }
        final List<PathReport> reports = new ArrayList<>(vifPaths.values());
        reports.addAll(vpnPaths.values());
        detection(config, vifPaths, diagnostics);
        singlePointsOfFailure(config, vifPaths, vpnPaths, diagnostics);
        for (final PortConfig port : config.ports())
        {
            final boolean used = config.vifs().stream().anyMatch(v -> port.name().equals(v.port())) ||
                config.vpcAttachments().stream().anyMatch(v -> port.name().equals(v.port()));
            if (!used)
            {
                diagnostics.warning(port.path(), "port '" + port.name() + "' has no VIF and no VPC attachment");
            }
        }
        return List.copyOf(reports);
    }

    private static PathReport vifPath(final GatewayConfig config, final VifConfig vif)
    {
        final String location = config.port(vif.port()).map(PortConfig::location).orElse(null);
        final BfdTimers bfd = vif.bfd();
        final HealthCheck probe = vif.healthCheck();
        if (bfd != null && probe != null)
        {
            final boolean bfdFirst = bfd.detectTimeMs() <= probe.detectTimeMs();
            return new PathReport("vif", vif.name(), vif.port(), location, bfdFirst ? "bfd" : "health-check",
                Math.min(bfd.detectTimeMs(), probe.detectTimeMs()));
        }
        if (bfd != null)
        {
            return new PathReport("vif", vif.name(), vif.port(), location, "bfd", bfd.detectTimeMs());
        }
        if (probe != null)
        {
            return new PathReport("vif", vif.name(), vif.port(), location, "health-check", probe.detectTimeMs());
        }
        if (vif.bgp() != null && vif.bgp().holdTimeS() > 0)
        {
            return new PathReport("vif", vif.name(), vif.port(), location, "bgp-hold-time", vif.bgp().holdTimeS() * 1000L);
        }
        return new PathReport("vif", vif.name(), vif.port(), location, "none", -1);
    }

    private static void detection(final GatewayConfig config, final Map<String, PathReport> paths,
                                  final Diagnostics diagnostics)
    {
        for (final VifConfig vif : config.vifs())
        {
            if (vif.bfd() != null || vif.healthCheck() != null)
            {
                continue;
            }
            final PathReport path = paths.get(vif.name());
            final String consequence = path.failoverMs() < 0
                ? "its routes never fail over unless port '" + vif.port() + "' loses carrier"
                : "a failure that keeps the link up is noticed only when the BGP hold time (" + path.failoverText() + ") expires";
            diagnostics.warning(vif.path(), "VIF '" + vif.name() + "' has no BFD and no health check: " + consequence);
        }
    }

    /** A destination in the IDC, where it was first named, and the paths that can carry it. */
    private record Destination(String label, String path, Set<PathReport> carriers)
    {
    }

    private static void singlePointsOfFailure(final GatewayConfig config, final Map<String, PathReport> vifPaths,
                                              final Map<String, PathReport> vpnPaths, final Diagnostics diagnostics)
    {
        final Map<IpPrefix, Destination> destinations = new LinkedHashMap<>();
        for (final VifConfig vif : config.vifs())
        {
            for (final CidrBlock remote : vif.remoteSubnets())
            {
                destinations.putIfAbsent(remote.prefix(), new Destination(remote.toString(), remote.path(), new LinkedHashSet<>()));
            }
        }
        for (final StaticRoute route : config.staticRoutes())
        {
            destinations.putIfAbsent(route.prefix(), new Destination(route.prefix().toString(), route.path() + ".prefix",
                new LinkedHashSet<>()));
        }
        for (final Map.Entry<IpPrefix, Destination> entry : destinations.entrySet())
        {
            carriers(config, vifPaths, vpnPaths, entry.getKey(), entry.getValue().carriers());
        }
        final List<Destination> all = new ArrayList<>(destinations.values());
        final List<VifConfig> bgpOnly = config.vifs().stream().filter(v -> v.bgp() != null && v.remoteSubnets().isEmpty()).toList();
        if (!bgpOnly.isEmpty())
        {
            final Set<PathReport> bgpPaths = new LinkedHashSet<>();
            config.vifs().stream().filter(v -> v.bgp() != null).forEach(v -> bgpPaths.add(vifPaths.get(v.name())));
            all.add(new Destination("the destinations learned by BGP", bgpOnly.get(0).path() + ".bgp", bgpPaths));
        }
        final Set<String> unlocated = new LinkedHashSet<>();
        for (final Destination d : all)
        {
            final Set<String> ports = new LinkedHashSet<>();
            final Set<String> locations = new LinkedHashSet<>();
            d.carriers().forEach(p -> ports.add(p.port()));
            d.carriers().forEach(p -> locations.add(p.location()));
            final String names = String.join(", ", d.carriers().stream().map(PathReport::name).toList());
            if (ports.size() == 1)
            {
                diagnostics.warning(d.path(), "single point of failure: every path to " + d.label() + " (" + names +
                    ") leaves through port '" + ports.iterator().next() + "': add a VIF on a second connection at " +
                    "another location");
            }
            else if (locations.contains(null))
            {
                d.carriers().stream().filter(p -> p.location() == null).forEach(p -> unlocated.add(p.port()));
            }
            else if (locations.size() == 1)
            {
                diagnostics.warning(d.path(), "single point of failure: every path to " + d.label() + " (" + names +
                    ") is at location '" + locations.iterator().next() + "' (ports " + String.join(", ", ports) +
                    "): put the second connection at a different location");
            }
        }
        for (final String portName : unlocated)
        {
            config.port(portName).ifPresent(port -> diagnostics.warning(port.path(), "port '" + portName +
                "' has no location: cannot tell whether the paths through it are at different locations"));
        }
    }

    /** The paths that can carry {@code destination}: a covering route through them survives its loss. */
    private static void carriers(final GatewayConfig config, final Map<String, PathReport> vifPaths,
                                 final Map<String, PathReport> vpnPaths, final IpPrefix destination,
                                 final Set<PathReport> into)
    {
        for (final VifConfig vif : config.vifs())
        {
            if (vif.remoteSubnets().stream().anyMatch(r -> r.prefix().contains(destination)))
            {
                into.add(vifPaths.get(vif.name()));
            }
        }
        for (final StaticRoute route : config.staticRoutes())
        {
            if (!route.prefix().contains(destination))
            {
                continue;
            }
            for (final StaticNextHop hop : route.nextHops())
            {
                carrierOf(config, hop).map(vifPaths::get).filter(Objects::nonNull).ifPresent(into::add);
            }
        }
        for (final VpnBackup vpn : config.vpnBackups())
        {
            if (vpn.prefixes().stream().anyMatch(p -> p.prefix().contains(destination)))
            {
                into.add(vpnPaths.get(vpn.name()));
            }
        }
    }

    private static Optional<String> carrierOf(final GatewayConfig config, final StaticNextHop hop)
    {
        if (hop.vif() != null)
        {
            return Optional.of(hop.vif());
        }
        return config.vifs().stream().filter(v -> holds(v.ipv4(), hop.address()) || holds(v.ipv6(), hop.address()))
            .map(VifConfig::name).findFirst();
    }

    private static boolean holds(final Interconnect link, final IpPrefix address)
    {
        return link != null && link.local() != null && link.local().ipv6() == address.ipv6() &&
            link.local().subnet().contains(address);
    }
}
