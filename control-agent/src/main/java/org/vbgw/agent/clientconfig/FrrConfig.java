package org.vbgw.agent.clientconfig;

import org.vbgw.agent.config.Addresses;
import org.vbgw.agent.config.BgpSession;
import org.vbgw.fib.IpPrefix;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The customer side as an FRR 8 integrated config ({@code frr.conf}, or applied with {@code vtysh -f FILE};
 * checked by {@code vtysh --dryrun -f} in the tests).
 * <p>
 * zebra sets the addresses; Linux must create the VLAN devices first (the commands come as comments). The
 * IDC subnets are originated with {@code network} statements anchored on blackhole routes of distance 254
 * (any real route to them wins), and each neighbour gets route-maps: in, the VPC prefixes only; out, the VIF's
 * subnets, prepended on a backup path. Syntax: FRR user guide, "BGP" (neighbour, address-family, route-map
 * commands), "BFD" (profiles), "Static Route Commands", "Filtering" (prefix lists).
 */
final class FrrConfig
{
    private FrrConfig()
    {
    }

    static String render(final ClientSide side)
    {
        final StringBuilder out = new StringBuilder();
        out.append("! vbgw client-config: the customer router of ").append(vifList(side)).append(" on gateway ")
            .append(side.gatewayName()).append(" (AS ").append(side.gatewayAsn()).append("), for FRR 8.\n");
        final List<String> linux = new ArrayList<>();
        side.links().forEach(l -> linux.addAll(LinuxLink.commands(l)));
        if (!linux.isEmpty())
        {
            out.append("! zebra sets addresses but does not create VLAN devices; run first:\n");
            linux.forEach(c -> out.append("!   ").append(c).append('\n'));
            side.links().stream().filter(l -> !l.untagged())
                .forEach(l -> out.append("!   ip link set ").append(LinuxLink.interfaceName(l)).append(" up\n"));
        }
        out.append("frr defaults traditional\n");
        // A customer router forwards between the IDC and the VIFs.
        out.append("ip forwarding\n");
        if (side.hasFamily(true))
        {
            out.append("ipv6 forwarding\n");
        }
        out.append("!\n");
        for (final ClientSide.Link link : side.links())
        {
            out.append("interface ").append(LinuxLink.interfaceName(link)).append('\n');
            out.append(" description ").append(BirdConfig.description(side, link)).append('\n');
            for (final ClientSide.Side s : link.sides())
            {
                out.append(s.ipv6() ? " ipv6 address " : " ip address ").append(s.customerCidr()).append('\n');
            }
            out.append("exit\n!\n");
        }
        staticRoutes(out, side);
        if (side.bgp())
        {
            // Policies first: a route-map named by a neighbour before it exists filters everything until bgpd's
            // route-map delay timer binds it, so a restarted router would send End-of-RIB before its routes.
            policies(out, side);
            bfd(out, side);
            bgp(out, side);
        }
        return out.toString();
    }

    private static void staticRoutes(final StringBuilder out, final ClientSide side)
    {
        final Set<String> lines = new LinkedHashSet<>();
        for (final ClientSide.Link link : side.links())
        {
            for (final ClientSide.Side s : link.sides())
            {
                final String ip = s.ipv6() ? "ipv6" : "ip";
                if (link.bgp() != null)
                {
                    // Anchors for the network statements; distance 254 so that a real route always wins.
                    link.announce(s.ipv6()).forEach(p -> lines.add(ip + " route " + p + " blackhole 254"));
                }
                else
                {
                    final String distance = side.staticVpcRoutesAreBackup() ?
                        " " + ClientSide.BACKUP_STATIC_DISTANCE : "";
                    side.vpcPrefixes(s.ipv6())
                        .forEach(p -> lines.add(ip + " route " + p + " " + s.gatewayAddress() + distance));
                }
                link.returnRoutes().stream().filter(p -> p.ipv6() == s.ipv6())
                    .forEach(p -> lines.add(ip + " route " + p + " " + s.gatewayAddress()));
            }
        }
        if (!lines.isEmpty())
        {
            lines.forEach(l -> out.append(l).append('\n'));
            out.append("!\n");
        }
    }

    private static void bgp(final StringBuilder out, final ClientSide side)
    {
        out.append("router bgp ").append(side.localAsn()).append('\n');
        if (side.routerId() != null)
        {
            out.append(" bgp router-id ").append(Addresses.text(side.routerId())).append('\n');
        }
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
                out.append(n).append(" description ").append(BirdConfig.description(side, link)).append('\n');
                if (bgp.md5Key() != null)
                {
                    out.append(n).append(" password ").append(word(bgp.md5Key(), link)).append('\n');
                }
                if (bgp.holdTimeS() != BgpSession.DEFAULT_HOLD_TIME_S)
                {
                    out.append(n).append(" timers ").append(bgp.holdTimeS() / 3).append(' ').append(bgp.holdTimeS())
                        .append('\n');
                }
                if (link.bfd() != null)
                {
                    out.append(n).append(" bfd profile ").append(profile(link)).append('\n');
                }
            }
        }
        for (final boolean v6 : new boolean[] { false, true })
        {
            if (side.links().stream().noneMatch(l -> l.bgp() != null && (v6 ? l.ipv6() : l.ipv4()) != null))
            {
                continue;
            }
            out.append(" !\n address-family ").append(v6 ? "ipv6" : "ipv4").append(" unicast\n");
            final Set<IpPrefix> networks = new LinkedHashSet<>();
            side.links().stream().filter(l -> l.bgp() != null && (v6 ? l.ipv6() : l.ipv4()) != null)
                .forEach(l -> networks.addAll(l.announce(v6)));
            networks.forEach(p -> out.append("  network ").append(p).append('\n'));
            for (final ClientSide.Link link : side.links())
            {
                final ClientSide.Side s = v6 ? link.ipv6() : link.ipv4();
                if (link.bgp() == null || s == null)
                {
                    continue;
                }
                final String n = "  neighbor " + s.gatewayAddress();
                out.append(n).append(" activate\n");
                out.append(n).append(" route-map ").append(vpcIn(v6)).append(" in\n");
                out.append(n).append(" route-map ").append(policy(link, v6)).append(" out\n");
            }
            out.append(" exit-address-family\n");
        }
        out.append("exit\n!\n");
    }

    private static void policies(final StringBuilder out, final ClientSide side)
    {
        for (final boolean v6 : new boolean[] { false, true })
        {
            final String ip = v6 ? "ipv6" : "ip";
            final boolean used = side.links().stream().anyMatch(l -> l.bgp() != null && (v6 ? l.ipv6() : l.ipv4()) != null);
            if (!used)
            {
                continue;
            }
            final List<IpPrefix> vpc = side.vpcPrefixes(v6);
            int seq = 5;
            for (final IpPrefix p : vpc)
            {
                out.append(ip).append(" prefix-list ").append(vpcIn(v6)).append(" seq ").append(seq).append(" permit ")
                    .append(p).append(" le ").append(v6 ? 128 : 32).append('\n');
                seq += 5;
            }
            out.append("route-map ").append(vpcIn(v6)).append(vpc.isEmpty() ? " deny 10\n" : " permit 10\n");
            if (!vpc.isEmpty())
            {
                out.append(" match ").append(ip).append(" address prefix-list ").append(vpcIn(v6)).append('\n');
            }
            out.append("exit\n!\n");
            for (final ClientSide.Link link : side.links())
            {
                if (link.bgp() == null || (v6 ? link.ipv6() : link.ipv4()) == null)
                {
                    continue;
                }
                final String name = policy(link, v6);
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
                        out.append(" set as-path prepend ").append(prepend(side, link)).append('\n');
                    }
                }
                out.append("exit\n!\n");
            }
        }
    }

    private static void bfd(final StringBuilder out, final ClientSide side)
    {
        final List<ClientSide.Link> links = side.links().stream().filter(l -> l.bgp() != null && l.bfd() != null).toList();
        if (links.isEmpty())
        {
            return;
        }
        out.append("bfd\n");
        for (final ClientSide.Link link : links)
        {
            out.append(" profile ").append(profile(link)).append('\n');
            out.append("  detect-multiplier ").append(link.bfd().multiplier()).append('\n');
            out.append("  receive-interval ").append(link.bfd().minRxMs()).append('\n');
            out.append("  transmit-interval ").append(link.bfd().minTxMs()).append('\n');
            out.append(" exit\n");
        }
        out.append("exit\n!\n");
    }

    /** The customer's ASN {@code prepend} times, as IOS and FRR write it. */
    static String prepend(final ClientSide side, final ClientSide.Link link)
    {
        final List<String> asns = new ArrayList<>();
        for (int i = 0; i < link.prepend(); i++)
        {
            asns.add(Long.toString(side.localAsn()));
        }
        return String.join(" ", asns);
    }

    /** A policy name from a VIF name: {@code VBGW-VIF-BIERE-OUT4}. */
    static String policy(final ClientSide.Link link, final boolean v6)
    {
        return "VBGW-" + link.vifName().toUpperCase(Locale.ROOT) + "-OUT" + (v6 ? "6" : "4");
    }

    static String vpcIn(final boolean v6)
    {
        return "VBGW-VPC-IN" + (v6 ? "6" : "4");
    }

    private static String profile(final ClientSide.Link link)
    {
        return "vbgw-" + link.vifName();
    }

    /** A value the CLI reads as one word: no spaces, no quotes. */
    static String word(final String value, final ClientSide.Link link)
    {
        if (value.isEmpty() || value.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"' || c == '?'))
        {
            throw new IllegalArgumentException("the MD5 key of VIF " + link.vifName() +
                " has spaces, quotes or '?', which this router's CLI cannot take as a password; change the key");
        }
        return value;
    }

    private static String vifList(final ClientSide side)
    {
        return (side.links().size() == 1 ? "VIF " : "VIFs ") +
            String.join(", ", side.links().stream().map(ClientSide.Link::vifName).toList());
    }
}
