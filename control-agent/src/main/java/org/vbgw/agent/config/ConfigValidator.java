package org.vbgw.agent.config;

import org.vbgw.agent.run.HostTapSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks the rules that relate several values of a loaded config, the way a router's commit check
 * does: names unique per kind, references resolve, VLANs unique per port, interconnects well
 * formed, IDC and VPC address space apart, static routes reachable. Every violation is reported,
 * each at the value that breaks the rule; nothing stops at the first.
 * <p>
 * Rules are grouped by what they look at: this class (names, ports, references, VLANs),
 * {@link InterconnectRules} (a VIF's addresses, BGP, health check), {@link AddressSpaceRules}
 * (CIDR lists, IDC against VPC) and {@link RouteRules} (static routes, neighbours, VPN backup).
 */
public final class ConfigValidator
{
    /** RFC 6793: the 2-byte placeholder for 4-byte ASNs; a session with it is always a misconfiguration. */
    static final long AS_TRANS = 23456;

    /** The (QinQ) VLAN pair of a VIF is unique per port; a VIF with QinQ has a non-zero outer tag. */
    private record VlanKey(String port, int vlan, int innerVlan)
    {
    }

    private ConfigValidator()
    {
    }

    public static void validate(final GatewayConfig config, final Diagnostics diagnostics)
    {
        gateway(config, diagnostics);
        names(config, diagnostics);
        ports(config, diagnostics);
        vifPortsAndVlans(config, diagnostics);
        for (final VpcAttachment vpc : config.vpcAttachments())
        {
            portExists(config, vpc.port(), vpc.path() + ".port", diagnostics);
        }
        InterconnectRules.check(config, diagnostics);
        AddressSpaceRules.check(config, diagnostics);
        RouteRules.check(config, diagnostics);
    }

    private static void gateway(final GatewayConfig config, final Diagnostics diagnostics)
    {
        if (config.gateway().asn() == AS_TRANS)
        {
            diagnostics.error("gateway.asn", "ASN 23456 is AS_TRANS (RFC 6793), not an ASN a router may use");
        }
    }

    private static void names(final GatewayConfig config, final Diagnostics diagnostics)
    {
        unique("port", config.ports().stream().map(p -> new Named(p.path(), p.name())).toList(), diagnostics);
        unique("VIF", config.vifs().stream().map(v -> new Named(v.path(), v.name())).toList(), diagnostics);
        unique("VPC attachment", config.vpcAttachments().stream().map(v -> new Named(v.path(), v.name())).toList(), diagnostics);
        // VIFs and VPC attachments share one namespace: each is a VIF of the data plane, with an id by name and a
        // host TAP named after it.
        final Map<String, String> vifPaths = new HashMap<>();
        config.vifs().forEach(v -> vifPaths.putIfAbsent(v.name(), v.path()));
        for (final VpcAttachment a : config.vpcAttachments())
        {
            if (a.name() != null && vifPaths.containsKey(a.name()))
            {
                diagnostics.error(a.path() + ".name", "VPC attachment name '" + a.name() + "' is already used by the VIF " +
                    at(diagnostics, vifPaths.get(a.name())) + ": VIFs and VPC attachments share one namespace");
            }
        }
        final List<Named> vifs = new ArrayList<>();
        config.vifs().forEach(v -> vifs.add(new Named(v.path(), v.name())));
        config.vpcAttachments().forEach(a -> vifs.add(new Named(a.path(), a.name())));
        tapNames(vifs, diagnostics);
        // Static routes and VPN backups share one namespace: a route's 'backup' may name either.
        final List<Named> routes = new ArrayList<>();
        config.staticRoutes().forEach(r -> routes.add(new Named(r.path(), r.name())));
        config.vpnBackups().forEach(v -> routes.add(new Named(v.path(), v.name())));
        unique("route", routes, diagnostics);
    }

    private record Named(String path, String name)
    {
    }

    /** Two different names whose host TAP names meet (long names cut to 15 bytes; see HostTapSpec.tapName). */
    private static void tapNames(final List<Named> vifs, final Diagnostics diagnostics)
    {
        final Map<String, Named> byTap = new HashMap<>();
        for (final Named v : vifs)
        {
            if (v.name() == null)
            {
                continue;
            }
            final Named first = byTap.putIfAbsent(HostTapSpec.tapName(v.name()), v);
            if (first != null && !first.name().equals(v.name()))
            {
                diagnostics.error(v.path() + ".name", "'" + v.name() + "' and '" + first.name() + "' (" +
                    at(diagnostics, first.path()) + ") would both have the host interface " +
                    HostTapSpec.tapName(v.name()) + " (Linux allows 15 bytes): rename one");
            }
        }
    }

    private static void unique(final String kind, final List<Named> entries, final Diagnostics diagnostics)
    {
        final Map<String, String> firstPath = new HashMap<>();
        for (final Named entry : entries)
        {
            if (entry.name() == null)
            {
                continue;
            }
            final String first = firstPath.putIfAbsent(entry.name(), entry.path());
            if (first != null)
            {
                diagnostics.error(entry.path() + ".name", kind + " name '" + entry.name() + "' is already used by " +
                    at(diagnostics, first));
            }
        }
    }

    private static void ports(final GatewayConfig config, final Diagnostics diagnostics)
    {
        if (config.ports().isEmpty())
        {
            diagnostics.error("ports", "a gateway needs at least one port (two at different locations for redundancy)");
        }
        final Map<String, String> byInterface = new HashMap<>();
        for (final PortConfig port : config.ports())
        {
            if (port.linuxInterface() == null)
            {
                continue;
            }
            final String first = byInterface.putIfAbsent(port.linuxInterface(), port.path());
            if (first != null)
            {
                diagnostics.error(port.path() + ".interface", "interface " + port.linuxInterface() +
                    " is already used by " + at(diagnostics, first) + ": one port per Linux interface");
            }
        }
    }

    private static void vifPortsAndVlans(final GatewayConfig config, final Diagnostics diagnostics)
    {
        final Map<VlanKey, String> firstVif = new HashMap<>();
        for (final VifConfig vif : config.vifs())
        {
            final boolean portOk = portExists(config, vif.port(), vif.path() + ".port", diagnostics);
            if (vif.vlan() == null)
            {
                continue;
            }
            if (vif.innerVlan() != null && vif.vlan() == 0)
            {
                diagnostics.error(vif.path() + ".inner-vlan", "inner VLAN " + vif.innerVlan() +
                    " needs an outer VLAN: a QinQ VIF cannot be untagged (vlan is 0)");
                continue;
            }
            if (!portOk)
            {
                continue;
            }
            final VlanKey key = new VlanKey(vif.port(), vif.vlan(), vif.innerVlan() == null ? 0 : vif.innerVlan());
            final String first = firstVif.putIfAbsent(key, vif.path());
            if (first != null)
            {
                diagnostics.error(vif.path() + ".vlan", tagText(vif) + " is already used on port '" + vif.port() +
                    "' by " + at(diagnostics, first) + ": one VIF per VLAN and port");
            }
        }
    }

    static String tagText(final VifConfig vif)
    {
        if (vif.vlan() == 0)
        {
            return "VLAN 0 (untagged)";
        }
        return vif.innerVlan() == null ? "VLAN " + vif.vlan() : "VLAN " + vif.vlan() + " inner VLAN " + vif.innerVlan();
    }

    static boolean portExists(final GatewayConfig config, final String port, final String path, final Diagnostics diagnostics)
    {
        if (port == null)
        {
            return false;
        }
        if (config.port(port).isPresent())
        {
            return true;
        }
        diagnostics.error(path, "no port named '" + port + "'" + suggestion(port,
            config.ports().stream().map(PortConfig::name).filter(Objects::nonNull).toList()));
        return false;
    }

    /** Resolves a VIF reference, reporting a missing one; null when absent or unknown. */
    static VifConfig vifNamed(final GatewayConfig config, final String vif, final String path, final Diagnostics diagnostics)
    {
        if (vif == null)
        {
            return null;
        }
        final VifConfig found = config.vif(vif).orElse(null);
        if (found == null)
        {
            diagnostics.error(path, "no VIF named '" + vif + "'" + suggestion(vif,
                config.vifs().stream().map(VifConfig::name).filter(Objects::nonNull).toList()));
        }
        return found;
    }

    private static String suggestion(final String name, final List<String> known)
    {
        final String close = DidYouMean.suggest(name, known);
        if (close != null)
        {
            return " (did you mean '" + close + "'?)";
        }
        return known.isEmpty() ? "" : "; known: " + String.join(", ", known);
    }

    /** A path and its line, to name the other party of a conflict: {@code vifs[0] (line 12)}. */
    static String at(final Diagnostics diagnostics, final String path)
    {
        return path + " (line " + diagnostics.positions().of(path).line() + ")";
    }
}
