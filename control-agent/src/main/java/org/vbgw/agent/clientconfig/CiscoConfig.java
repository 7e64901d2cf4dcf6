package org.vbgw.agent.clientconfig;

import org.vbgw.agent.config.Addresses;
import org.vbgw.agent.config.BgpSession;
import org.vbgw.fib.IpPrefix;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The customer side as Cisco IOS XE configuration-mode commands (paste after {@code configure terminal}).
 * <p>
 * A sub-interface per tagged VIF ({@code encapsulation dot1Q}, {@code second-dot1q} for QinQ with the 802.1ad
 * outer TPID vbgw sends), BFD timers on the interface and {@code fall-over bfd} on the neighbour, the IDC subnets
 * as {@code network} statements anchored on floating Null0 routes (distance 254), prefix lists and route-maps
 * per VIF. The statement forms are those of the Cisco IOS XE 17 configuration guides (IP Routing: BGP, "BGP
 * Configuration"; "Bidirectional Forwarding Detection"; LAN Switching, "Configuring Routing Between VLANs with
 * IEEE 802.1Q Encapsulation"; "IEEE 802.1Q-in-Q VLAN Tag Termination"), and the test's grammar checks each
 * line against them.
 */
final class CiscoConfig
{
    private CiscoConfig()
    {
    }

    static String render(final ClientSide side)
    {
        final StringBuilder out = new StringBuilder();
        out.append("! vbgw client-config: the customer router of ").append(side.links().size() == 1 ? "VIF " : "VIFs ")
            .append(String.join(", ", side.links().stream().map(ClientSide.Link::vifName).toList()))
            .append(" on gateway ").append(side.gatewayName()).append(" (AS ").append(side.gatewayAsn())
            .append("), for Cisco IOS XE.\n! Paste in configuration mode (configure terminal).\n!\n");
        if (side.hasFamily(true))
        {
            out.append("ipv6 unicast-routing\n!\n");
        }
        final Set<String> qinqParents = new LinkedHashSet<>();
        side.links().stream().filter(ClientSide.Link::qinq).forEach(l -> qinqParents.add(l.parentInterface()));
        for (final String parent : qinqParents)
        {
            // The outer tag of vbgw's QinQ is 802.1ad (0x88A8); IOS XE's default outer TPID is 0x8100.
            out.append("interface ").append(parent).append("\n dot1q tunneling ethertype 0x88A8\n no shutdown\n!\n");
        }
        for (final ClientSide.Link link : side.links())
        {
            out.append("interface ").append(interfaceName(link)).append('\n');
            out.append(" description ").append(BirdConfig.description(side, link)).append('\n');
            if (!link.untagged())
            {
                out.append(" encapsulation dot1Q ").append(link.vlan());
                if (link.qinq())
                {
                    out.append(" second-dot1q ").append(link.innerVlan());
                }
                out.append('\n');
            }
            if (link.ipv4() != null)
            {
                out.append(" ip address ").append(link.ipv4().customerAddress()).append(' ')
                    .append(netmask(link.ipv4().length())).append('\n');
            }
            if (link.ipv6() != null)
            {
                out.append(" ipv6 address ").append(link.ipv6().customerCidr()).append('\n');
            }
            if (link.bfd() != null && link.bgp() != null)
            {
                bfd(out, link);
            }
            out.append(" no shutdown\n!\n");
        }
        staticRoutes(out, side);
        if (side.bgp())
        {
            policies(out, side);
            bgp(out, side);
        }
        out.append("end\n");
        return out.toString();
    }

    /** IOS XE takes BFD intervals of 50..9999 ms and multipliers of 3..50 ("bfd interval" command reference). */
    static final int BFD_MIN_INTERVAL_MS = 50;
    static final int BFD_MAX_INTERVAL_MS = 9999;
    static final int BFD_MIN_MULTIPLIER = 3;
    static final int BFD_MAX_MULTIPLIER = 50;
    /** "neighbor password": a case-sensitive password of up to 25 characters. */
    static final int MAX_PASSWORD = 25;
    /** "neighbor description": up to 80 characters. */
    static final int MAX_NEIGHBOR_DESCRIPTION = 80;

    private static void bfd(final StringBuilder out, final ClientSide.Link link)
    {
        final int tx = clamp(link.bfd().minTxMs(), BFD_MIN_INTERVAL_MS, BFD_MAX_INTERVAL_MS);
        final int rx = clamp(link.bfd().minRxMs(), BFD_MIN_INTERVAL_MS, BFD_MAX_INTERVAL_MS);
        final int m = clamp(link.bfd().multiplier(), BFD_MIN_MULTIPLIER, BFD_MAX_MULTIPLIER);
        if (tx != link.bfd().minTxMs() || rx != link.bfd().minRxMs() || m != link.bfd().multiplier())
        {
            // BFD negotiates the slower of the two ends' intervals (RFC 5880 6.8.2), so the session still comes up.
            out.append(" ! the VIF asks for ").append(link.bfd().minTxMs()).append('/').append(link.bfd().minRxMs())
                .append(" ms x ").append(link.bfd().multiplier()).append("; IOS XE's nearest allowed values:\n");
        }
        out.append(" bfd interval ").append(tx).append(" min_rx ").append(rx).append(" multiplier ").append(m).append('\n');
    }

    private static int clamp(final int value, final int min, final int max)
    {
        return Math.max(min, Math.min(max, value));
    }

    static String interfaceName(final ClientSide.Link link)
    {
        if (link.untagged())
        {
            return link.parentInterface();
        }
        // A sub-interface number is only a name; vlan for 802.1Q, outer * 10000 + inner for QinQ keeps it readable.
        return link.parentInterface() + "." + (link.qinq() ? link.vlan() * 10000L + link.innerVlan() : link.vlan());
    }

    private static void staticRoutes(final StringBuilder out, final ClientSide side)
    {
        final Set<String> lines = new LinkedHashSet<>();
        for (final ClientSide.Link link : side.links())
        {
            for (final ClientSide.Side s : link.sides())
            {
                if (link.bgp() != null)
                {
                    link.announce(s.ipv6()).forEach(p -> lines.add(route(p, "Null0 254")));
                }
                else
                {
                    final String distance = side.staticVpcRoutesAreBackup() ?
                        " " + ClientSide.BACKUP_STATIC_DISTANCE : "";
                    side.vpcPrefixes(s.ipv6()).forEach(p -> lines.add(route(p, s.gatewayAddress() + distance)));
                }
                link.returnRoutes().stream().filter(p -> p.ipv6() == s.ipv6())
                    .forEach(p -> lines.add(route(p, s.gatewayAddress())));
            }
        }
        if (!lines.isEmpty())
        {
            lines.forEach(l -> out.append(l).append('\n'));
            out.append("!\n");
        }
    }

    private static String route(final IpPrefix p, final String target)
    {
        if (p.ipv6())
        {
            return "ipv6 route " + p + " " + target;
        }
        return "ip route " + network(p) + " " + netmask(p.length()) + " " + target;
    }

    private static void policies(final StringBuilder out, final ClientSide side)
    {
        for (final boolean v6 : new boolean[] { false, true })
        {
            final String ip = v6 ? "ipv6" : "ip";
            if (side.links().stream().noneMatch(l -> l.bgp() != null && (v6 ? l.ipv6() : l.ipv4()) != null))
            {
                continue;
            }
            final List<IpPrefix> vpc = side.vpcPrefixes(v6);
            int seq = 5;
            for (final IpPrefix p : vpc)
            {
                out.append(ip).append(" prefix-list ").append(FrrConfig.vpcIn(v6)).append(" seq ").append(seq)
                    .append(" permit ").append(p).append(" le ").append(v6 ? 128 : 32).append('\n');
                seq += 5;
            }
            out.append("route-map ").append(FrrConfig.vpcIn(v6)).append(vpc.isEmpty() ? " deny 10\n" : " permit 10\n");
            if (!vpc.isEmpty())
            {
                out.append(" match ").append(ip).append(" address prefix-list ").append(FrrConfig.vpcIn(v6)).append('\n');
            }
            out.append("!\n");
            for (final ClientSide.Link link : side.links())
            {
                if (link.bgp() == null || (v6 ? link.ipv6() : link.ipv4()) == null)
                {
                    continue;
                }
                final String name = FrrConfig.policy(link, v6);
                final List<IpPrefix> announce = link.announce(v6);
                seq = 5;
                for (final IpPrefix p : announce)
                {
                    out.append(ip).append(" prefix-list ").append(name).append(" seq ").append(seq).append(" permit ")
                        .append(p).append('\n');
                    seq += 5;
                }
                out.append("route-map ").append(name).append(announce.isEmpty() ? " deny 10\n" : " permit 10\n");
                if (!announce.isEmpty())
                {
                    out.append(" match ").append(ip).append(" address prefix-list ").append(name).append('\n');
                    if (link.prepend() > 0)
                    {
                        out.append(" set as-path prepend ").append(FrrConfig.prepend(side, link)).append('\n');
                    }
                }
                out.append("!\n");
            }
        }
    }

    private static void bgp(final StringBuilder out, final ClientSide side)
    {
        out.append("router bgp ").append(side.localAsn()).append('\n');
        if (side.routerId() != null)
        {
            out.append(" bgp router-id ").append(Addresses.text(side.routerId())).append('\n');
        }
        out.append(" bgp log-neighbor-changes\n");
        out.append(" no bgp default ipv4-unicast\n");
        for (final ClientSide.Link link : side.links())
        {
            final BgpSession bgp = link.bgp();
            if (bgp == null)
            {
                continue;
            }
            for (final ClientSide.Side s : link.sides())
            {
                final String n = " neighbor " + s.gatewayAddress();
                out.append(n).append(" remote-as ").append(side.gatewayAsn()).append('\n');
                final String description = BirdConfig.description(side, link);
                out.append(n).append(" description ")
                    .append(description, 0, Math.min(description.length(), MAX_NEIGHBOR_DESCRIPTION)).append('\n');
                if (bgp.md5Key() != null)
                {
                    if (bgp.md5Key().length() > MAX_PASSWORD)
                    {
                        throw new IllegalArgumentException("the MD5 key of VIF " + link.vifName() + " has " +
                            bgp.md5Key().length() + " characters; IOS XE takes at most " + MAX_PASSWORD);
                    }
                    out.append(n).append(" password ").append(FrrConfig.word(bgp.md5Key(), link)).append('\n');
                }
                if (bgp.holdTimeS() != BgpSession.DEFAULT_HOLD_TIME_S)
                {
                    out.append(n).append(" timers ").append(bgp.holdTimeS() / 3).append(' ').append(bgp.holdTimeS())
                        .append('\n');
                }
                if (link.bfd() != null)
                {
                    out.append(n).append(" fall-over bfd\n");
                }
            }
        }
        for (final boolean v6 : new boolean[] { false, true })
        {
            if (side.links().stream().noneMatch(l -> l.bgp() != null && (v6 ? l.ipv6() : l.ipv4()) != null))
            {
                continue;
            }
            out.append(" !\n address-family ").append(v6 ? "ipv6" : "ipv4").append('\n');
            final Set<IpPrefix> networks = new LinkedHashSet<>();
            side.links().stream().filter(l -> l.bgp() != null && (v6 ? l.ipv6() : l.ipv4()) != null)
                .forEach(l -> networks.addAll(l.announce(v6)));
            for (final IpPrefix p : networks)
            {
                out.append("  network ").append(v6 ? p.toString() : network(p) + " mask " + netmask(p.length())).append('\n');
            }
            for (final ClientSide.Link link : side.links())
            {
                final ClientSide.Side s = v6 ? link.ipv6() : link.ipv4();
                if (link.bgp() == null || s == null)
                {
                    continue;
                }
                final String n = "  neighbor " + s.gatewayAddress();
                out.append(n).append(" activate\n");
                out.append(n).append(" route-map ").append(FrrConfig.vpcIn(v6)).append(" in\n");
                out.append(n).append(" route-map ").append(FrrConfig.policy(link, v6)).append(" out\n");
            }
            out.append(" exit-address-family\n");
        }
        out.append("!\n");
    }

    private static String network(final IpPrefix p)
    {
        return p.toString().substring(0, p.toString().indexOf('/'));
    }

    static String netmask(final int length)
    {
        final int mask = IpPrefix.mask32(length);
        return ((mask >>> 24) & 0xFF) + "." + ((mask >>> 16) & 0xFF) + "." + ((mask >>> 8) & 0xFF) + "." + (mask & 0xFF);
    }
}
