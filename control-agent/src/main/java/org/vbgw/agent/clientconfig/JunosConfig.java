package org.vbgw.agent.clientconfig;

import org.vbgw.agent.config.Addresses;
import org.vbgw.agent.config.BgpSession;
import org.vbgw.fib.IpPrefix;

import java.util.List;
import java.util.Locale;

/**
 * The customer side as Junos configuration: a logical unit per VIF ({@code vlan-id}, or {@code vlan-tags} with
 * the 802.1ad outer TPID for QinQ), a BGP group per VIF with {@code bfd-liveness-detection}, the IDC subnets
 * anchored as discard routes of preference 254 and exported by a prefix-list policy (prepending on a backup
 * path), and an import policy that takes only the VPC prefixes. Statement forms: Junos OS "Interfaces
 * Fundamentals" ({@code vlan-tagging}, {@code vlan-id}, {@code vlan-tags}), "BGP User Guide" ({@code group},
 * {@code peer-as}, {@code authentication-key}, {@code bfd-liveness-detection}), "Routing Policies"
 * ({@code prefix-list-filter}, {@code route-filter}, {@code as-path-prepend}), "Static routes"
 * ({@code discard}, {@code preference}); the test's grammar checks each {@code set} line against them.
 */
final class JunosConfig
{
    private JunosConfig()
    {
    }

    /** Renders the hierarchy with its header comment, printable in either form. */
    static Rendered tree(final ClientSide side)
    {
        final JunosHierarchy root = JunosHierarchy.root();
        for (final ClientSide.Link link : side.links())
        {
            unit(root, side, link);
        }
        if (side.routerId() != null)
        {
            root.at("routing-options").value("router-id", Addresses.text(side.routerId()));
        }
        if (side.localAsn() != null)
        {
            root.at("routing-options").value("autonomous-system", Long.toString(side.localAsn()));
        }
        for (final ClientSide.Link link : side.links())
        {
            staticRoutes(root, side, link);
        }
        if (side.bgp())
        {
            importPolicy(root, side);
            for (final ClientSide.Link link : side.links())
            {
                if (link.bgp() != null)
                {
                    exportPolicy(root, side, link);
                    group(root, side, link);
                }
            }
        }
        final String about = "vbgw client-config: the customer router of " +
            String.join(", ", side.links().stream().map(ClientSide.Link::vifName).toList()) + " on gateway " +
            side.gatewayName() + " (AS " + side.gatewayAsn() + "), for Junos";
        return new Rendered(root, about);
    }

    /** The hierarchy and a one-line description for the header. */
    record Rendered(JunosHierarchy root, String about)
    {
        String curly()
        {
            return "/* " + about + " (load merge terminal). */\n" + root.curly();
        }

        String setCommands()
        {
            return "# " + about + " (load set terminal).\n" + root.setCommands();
        }
    }

    private static void unit(final JunosHierarchy root, final ClientSide side, final ClientSide.Link link)
    {
        final JunosHierarchy ifd = root.at("interfaces", link.parentInterface());
        // Unit numbers go to 16384 on most platforms: the VLAN for 802.1Q, the inner VLAN for QinQ.
        final int unitNumber = link.untagged() ? 0 : link.qinq() ? link.innerVlan() : link.vlan();
        if (side.links().stream().anyMatch(l -> l != link && l.parentInterface().equals(link.parentInterface()) &&
            (l.untagged() ? 0 : l.qinq() ? l.innerVlan() : l.vlan()) == unitNumber))
        {
            throw new IllegalArgumentException("VIFs on " + link.parentInterface() + " would share unit " + unitNumber +
                " (a QinQ inner VLAN equal to another VIF's VLAN): give them different --interface values");
        }
        if (!link.untagged())
        {
            // Mixing single- and double-tagged units on one port needs flexible tagging.
            final boolean anyQinq = side.links().stream()
                .anyMatch(l -> l.parentInterface().equals(link.parentInterface()) && l.qinq());
            ifd.leaf(anyQinq ? "flexible-vlan-tagging" : "vlan-tagging");
        }
        final JunosHierarchy unit = ifd.at("unit " + unitNumber);
        unit.value("description", quoted(BirdConfig.description(side, link)));
        if (link.qinq())
        {
            unit.leaf("vlan-tags outer 0x88a8." + link.vlan() + " inner " + link.innerVlan());
        }
        else if (!link.untagged())
        {
            unit.value("vlan-id", Integer.toString(link.vlan()));
        }
        for (final ClientSide.Side s : link.sides())
        {
            unit.at(s.ipv6() ? "family inet6" : "family inet").value("address", s.customerCidr());
        }
    }

    private static void staticRoutes(final JunosHierarchy root, final ClientSide side, final ClientSide.Link link)
    {
        for (final ClientSide.Side s : link.sides())
        {
            final JunosHierarchy statics = s.ipv6() ? root.at("routing-options", "rib inet6.0", "static")
                : root.at("routing-options", "static");
            if (link.bgp() != null)
            {
                for (final IpPrefix p : link.announce(s.ipv6()))
                {
                    // Anchor for the export policy; preference 254 so that any real route to it wins.
                    statics.at("route " + p).leaf("discard").value("preference", "254");
                }
            }
            else
            {
                for (final IpPrefix p : side.vpcPrefixes(s.ipv6()))
                {
                    statics.at("route " + p).value("next-hop", s.gatewayAddress());
                    if (side.staticVpcRoutesAreBackup())
                    {
                        // Floating: BGP's 170 wins while a direct session holds the route.
                        statics.at("route " + p).value("preference", String.valueOf(ClientSide.BACKUP_STATIC_DISTANCE));
                    }
                }
            }
            link.returnRoutes().stream().filter(p -> p.ipv6() == s.ipv6())
                .forEach(p -> statics.at("route " + p).value("next-hop", s.gatewayAddress()));
        }
    }

    private static void importPolicy(final JunosHierarchy root, final ClientSide side)
    {
        final JunosHierarchy policy = root.at("policy-options", "policy-statement VBGW-VPC-IN");
        if (!side.vpcPrefixes().isEmpty())
        {
            final JunosHierarchy term = policy.at("term vpc");
            side.vpcPrefixes().forEach(p -> term.at("from").leaf("route-filter " + p + " orlonger"));
            term.at("then").leaf("accept");
        }
        policy.at("term other", "then").leaf("reject");
    }

    private static void exportPolicy(final JunosHierarchy root, final ClientSide side, final ClientSide.Link link)
    {
        final String name = exportName(link);
        final JunosHierarchy policy = root.at("policy-options", "policy-statement " + name);
        final List<IpPrefix> announce = link.sides().stream()
            .flatMap(s -> link.announce(s.ipv6()).stream()).toList();
        if (!announce.isEmpty())
        {
            final JunosHierarchy list = root.at("policy-options", "prefix-list " + prefixList(link));
            announce.forEach(p -> list.leaf(p.toString()));
            final JunosHierarchy term = policy.at("term idc");
            term.at("from").leaf("prefix-list-filter " + prefixList(link) + " exact");
            if (link.prepend() > 0)
            {
                term.at("then").value("as-path-prepend", quoted(FrrConfig.prepend(side, link)));
            }
            term.at("then").leaf("accept");
        }
        policy.at("term other", "then").leaf("reject");
    }

    private static void group(final JunosHierarchy root, final ClientSide side, final ClientSide.Link link)
    {
        final BgpSession bgp = link.bgp();
        final JunosHierarchy group = root.at("protocols", "bgp", "group " + groupName(link));
        group.value("type", "external");
        group.value("description", quoted(BirdConfig.description(side, link)));
        group.value("peer-as", Long.toString(side.gatewayAsn()));
        if (bgp.holdTimeS() != BgpSession.DEFAULT_HOLD_TIME_S && bgp.holdTimeS() > 0)
        {
            group.value("hold-time", Integer.toString(bgp.holdTimeS()));
        }
        if (bgp.md5Key() != null)
        {
            group.value("authentication-key", quoted(bgp.md5Key()));
        }
        group.value("import", "VBGW-VPC-IN");
        group.value("export", exportName(link));
        if (link.bfd() != null)
        {
            final JunosHierarchy bfd = group.at("bfd-liveness-detection");
            bfd.value("minimum-receive-interval", Integer.toString(link.bfd().minRxMs()));
            bfd.value("multiplier", Integer.toString(link.bfd().multiplier()));
            bfd.at("transmit-interval").value("minimum-interval", Integer.toString(link.bfd().minTxMs()));
        }
        for (final ClientSide.Side s : link.sides())
        {
            if (s.ipv6())
            {
                group.at("neighbor " + s.gatewayAddress(), "family inet6").leaf("unicast");
            }
            else
            {
                group.at("neighbor " + s.gatewayAddress(), "family inet").leaf("unicast");
            }
        }
    }

    private static String groupName(final ClientSide.Link link)
    {
        return "VBGW-" + link.vifName().toUpperCase(Locale.ROOT);
    }

    private static String exportName(final ClientSide.Link link)
    {
        return groupName(link) + "-OUT";
    }

    private static String prefixList(final ClientSide.Link link)
    {
        return groupName(link) + "-IDC";
    }

    private static String quoted(final String text)
    {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
