package org.vbgw.agent.clientconfig;

import org.vbgw.agent.config.Addresses;
import org.vbgw.agent.config.BgpSession;
import org.vbgw.fib.IpPrefix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The customer side as a BIRD 2 config ({@code bird -c FILE}; checked by {@code bird -p} in the tests).
 * <p>
 * BIRD sets no addresses and creates no VLAN devices, so the {@code ip} commands that do come first as
 * comments. The IDC subnets are anchored as blackhole routes inside BIRD only (the kernel protocols export
 * what was learned from the gateway and the static routes toward it, never the anchors), and each BGP session
 * has its own import filter (the VPC prefixes only) and export filter (the VIF's subnets, prepended on a backup
 * path). Syntax: BIRD 2.0 user's guide, chapters 3 (configuration), 5 (filters), 6.2 (BFD), 6.3 (BGP),
 * 6.13 (static).
 */
final class BirdConfig
{
    private BirdConfig()
    {
    }

    static String render(final ClientSide side)
    {
        final StringBuilder out = new StringBuilder();
        out.append("# vbgw client-config: the customer router of ").append(vifList(side)).append(" on gateway ")
            .append(side.gatewayName()).append(" (AS ").append(side.gatewayAsn()).append("), for BIRD 2.\n");
        out.append("# For a router that runs only this config; merging into another bird.conf, keep one\n");
        out.append("# \"protocol device\" and one kernel protocol per table.\n#\n");
        out.append("# BIRD neither creates interfaces nor sets addresses; run first:\n");
        out.append("#   sysctl -qw net.ipv4.ip_forward=1").append(side.hasFamily(true) ? " net.ipv6.conf.all.forwarding=1" : "")
            .append('\n');
        for (final ClientSide.Link link : side.links())
        {
            for (final String c : LinuxLink.commands(link))
            {
                out.append("#   ").append(c).append('\n');
            }
            for (final String c : LinuxLink.addressCommands(link))
            {
                out.append("#   ").append(c).append('\n');
            }
        }
        out.append('\n');
        if (side.routerId() != null)
        {
            out.append("router id ").append(Addresses.text(side.routerId())).append(";\n\n");
        }
        out.append("protocol device {\n}\n\n");
        for (final boolean v6 : new boolean[] { false, true })
        {
            if (side.hasFamily(v6))
            {
                kernel(out, side, v6);
            }
        }
        for (final boolean v6 : new boolean[] { false, true })
        {
            anchors(out, side, v6);
            staticRoutes(out, side, v6);
        }
        bfd(out, side);
        for (final ClientSide.Link link : side.links())
        {
            if (link.bgp() == null)
            {
                continue;
            }
            for (final ClientSide.Side s : link.sides())
            {
                bgp(out, side, link, s);
            }
        }
        return out.toString();
    }

    private static void kernel(final StringBuilder out, final ClientSide side, final boolean v6)
    {
        final String fam = family(v6);
        out.append("# What the gateway announces, and the static routes toward it, go to the kernel; nothing else.\n");
        out.append("protocol kernel vbgw_kernel").append(suffix(v6)).append(" {\n");
        out.append("    ").append(fam).append(" {\n");
        out.append("        import none;\n");
        out.append("        export where source = RTS_BGP || proto = \"vbgw_routes").append(suffix(v6)).append("\"");
        if (side.staticVpcRoutesAreBackup())
        {
            out.append(" || proto = \"vbgw_backup").append(suffix(v6)).append("\"");
        }
        out.append(";\n");
        out.append("    };\n");
        out.append("}\n\n");
    }

    /** Blackhole routes for the announced IDC subnets: BGP announces only what the table holds. */
    private static void anchors(final StringBuilder out, final ClientSide side, final boolean v6)
    {
        final List<IpPrefix> prefixes = new ArrayList<>();
        for (final ClientSide.Link link : side.links())
        {
            if (link.bgp() != null && (v6 ? link.ipv6() : link.ipv4()) != null)
            {
                link.announce(v6).stream().filter(p -> !prefixes.contains(p)).forEach(prefixes::add);
            }
        }
        if (prefixes.isEmpty())
        {
            return;
        }
        out.append("# The IDC subnets announced to the gateway, anchored in BIRD only (never exported to the kernel).\n");
        out.append("protocol static vbgw_idc").append(suffix(v6)).append(" {\n");
        out.append("    ").append(family(v6)).append(";\n");
        for (final IpPrefix p : prefixes)
        {
            out.append("    route ").append(p).append(" blackhole;\n");
        }
        out.append("}\n\n");
    }

    /** Routes toward the gateway on VIFs without BGP (the VPC), and return routes for health probes. */
    private static void staticRoutes(final StringBuilder out, final ClientSide side, final boolean v6)
    {
        final boolean floating = side.staticVpcRoutesAreBackup();
        final Map<IpPrefix, List<String>> vpc = new LinkedHashMap<>();
        final Map<IpPrefix, List<String>> vias = new LinkedHashMap<>();
        for (final ClientSide.Link link : side.links())
        {
            final ClientSide.Side s = v6 ? link.ipv6() : link.ipv4();
            if (s == null)
            {
                continue;
            }
            if (link.bgp() == null)
            {
                side.vpcPrefixes(v6).forEach(p ->
                    (floating ? vpc : vias).computeIfAbsent(p, k -> new ArrayList<>()).add(s.gatewayAddress()));
            }
            link.returnRoutes().stream().filter(p -> p.ipv6() == v6)
                .forEach(p -> vias.computeIfAbsent(p, k -> new ArrayList<>()).add(s.gatewayAddress()));
        }
        if (!vpc.isEmpty())
        {
            // BIRD prefers a static route (200) to BGP (100): beside BGP sessions the static path is the backup.
            out.append("# Toward the gateway: the VPC through the backup path (VIFs without BGP), below BGP's preference.\n");
            out.append("protocol static vbgw_backup").append(suffix(v6)).append(" {\n");
            out.append("    ").append(family(v6)).append(" { preference ")
                .append(ClientSide.BACKUP_STATIC_BIRD_PREFERENCE).append("; };\n");
            routes(out, vpc);
            out.append("}\n\n");
        }
        if (vias.isEmpty())
        {
            return;
        }
        out.append("# Toward the gateway: the VPC on VIFs without BGP (several VIFs: ECMP), health-probe sources.\n");
        out.append("protocol static vbgw_routes").append(suffix(v6)).append(" {\n");
        out.append("    ").append(family(v6)).append(";\n");
        routes(out, vias);
        out.append("}\n\n");
    }

    private static void routes(final StringBuilder out, final Map<IpPrefix, List<String>> vias)
    {
        vias.forEach((prefix, hops) ->
        {
            out.append("    route ").append(prefix);
            hops.forEach(h -> out.append(" via ").append(h));
            out.append(";\n");
        });
    }

    private static void bfd(final StringBuilder out, final ClientSide side)
    {
        final List<ClientSide.Link> links = side.links().stream().filter(l -> l.bfd() != null && l.bgp() != null).toList();
        if (links.isEmpty())
        {
            return;
        }
        out.append("# BFD with the VIF's timers (RFC 5880); the BGP sessions below ask for it.\n");
        out.append("protocol bfd vbgw_bfd {\n");
        for (final ClientSide.Link link : links)
        {
            out.append("    interface \"").append(LinuxLink.interfaceName(link)).append("\" {\n");
            out.append("        min rx interval ").append(link.bfd().minRxMs()).append(" ms;\n");
            out.append("        min tx interval ").append(link.bfd().minTxMs()).append(" ms;\n");
            out.append("        multiplier ").append(link.bfd().multiplier()).append(";\n");
            out.append("    };\n");
        }
        out.append("}\n\n");
    }

    private static void bgp(final StringBuilder out, final ClientSide side, final ClientSide.Link link,
        final ClientSide.Side s)
    {
        final boolean v6 = s.ipv6();
        final String name = name(link) + suffix(v6);
        final BgpSession bgp = link.bgp();

        out.append("filter ").append(name).append("_import {\n");
        final List<IpPrefix> vpc = side.vpcPrefixes(v6);
        if (!vpc.isEmpty())
        {
            out.append("    if net ~ [ ").append(join(vpc, "+")).append(" ] then accept;\n");
        }
        out.append("    reject;\n}\n\n");

        out.append("filter ").append(name).append("_export {\n");
        final List<IpPrefix> announce = link.announce(v6);
        if (!announce.isEmpty())
        {
            out.append("    if net ~ [ ").append(join(announce, "")).append(" ] then {\n");
            if (link.prepend() > 0)
            {
                out.append("        # A backup path: a longer AS_PATH here keeps traffic on the primary.\n");
            }
            for (int i = 0; i < link.prepend(); i++)
            {
                out.append("        bgp_path.prepend(").append(side.localAsn()).append(");\n");
            }
            out.append("        accept;\n    }\n");
        }
        out.append("    reject;\n}\n\n");

        out.append("protocol bgp ").append(name).append(" {\n");
        out.append("    description \"").append(quote(description(side, link))).append("\";\n");
        out.append("    local ").append(s.customerAddress()).append(" as ").append(side.localAsn()).append(";\n");
        out.append("    neighbor ").append(s.gatewayAddress()).append(" as ").append(side.gatewayAsn()).append(";\n");
        if (v6)
        {
            out.append("    interface \"").append(LinuxLink.interfaceName(link)).append("\";\n");
        }
        if (bgp.holdTimeS() != BgpSession.DEFAULT_HOLD_TIME_S)
        {
            out.append("    hold time ").append(bgp.holdTimeS()).append(";\n");
        }
        if (bgp.md5Key() != null)
        {
            out.append("    password \"").append(quote(bgp.md5Key())).append("\";\n");
        }
        if (link.bfd() != null)
        {
            out.append("    bfd on;\n");
        }
        // The gateway's FRR offers long-lived graceful restart; accepted, a session lost to its hold time or to
        // BFD would leave its routes in place (LLGR-stale) and traffic would go on into the dead connection.
        out.append("    long lived graceful restart off;\n");
        out.append("    ").append(family(v6)).append(" {\n");
        out.append("        import filter ").append(name).append("_import;\n");
        out.append("        export filter ").append(name).append("_export;\n");
        out.append("    };\n");
        out.append("}\n\n");
    }

    static String description(final ClientSide side, final ClientSide.Link link)
    {
        return "vbgw " + side.gatewayName() + " " + link.vifName() +
            (link.description() != null ? ": " + link.description() : "");
    }

    private static String vifList(final ClientSide side)
    {
        return (side.links().size() == 1 ? "VIF " : "VIFs ") +
            String.join(", ", side.links().stream().map(ClientSide.Link::vifName).toList());
    }

    private static String name(final ClientSide.Link link)
    {
        return "vbgw_" + link.vifName().toLowerCase(Locale.ROOT).replace('-', '_');
    }

    private static String family(final boolean v6)
    {
        return v6 ? "ipv6" : "ipv4";
    }

    private static String suffix(final boolean v6)
    {
        return v6 ? "6" : "4";
    }

    private static String join(final List<IpPrefix> prefixes, final String modifier)
    {
        final List<String> texts = new ArrayList<>();
        prefixes.forEach(p -> texts.add(p + modifier));
        return String.join(", ", texts);
    }

    private static String quote(final String text)
    {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
