package org.vbgw.agent.config;

import org.vbgw.fib.IpPrefix;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rules for one VIF's own settings: its interconnect addresses (a /30 or /31 for IPv4 as in the
 * seeds, a /126, /127 or /64 for IPv6), interconnects of different VIFs apart, eBGP, the ECMP weight
 * and the health check's addresses.
 */
final class InterconnectRules
{
    private InterconnectRules()
    {
    }

    static void check(final GatewayConfig config, final Diagnostics diagnostics)
    {
        final Set<IpPrefix> gatewayAddresses = gatewayAddresses(config);
        for (final VifConfig vif : config.vifs())
        {
            if (vif.ipv4() == null && vif.ipv6() == null)
            {
                diagnostics.error(vif.path(), "VIF '" + vif.name() + "' has no interconnect addresses: give ipv4 " +
                    "(a /30 or /31) or ipv6 (a /126, /127 or /64)");
            }
            interconnect(vif.ipv4(), vif.path() + ".ipv4", false, diagnostics);
            interconnect(vif.ipv6(), vif.path() + ".ipv6", true, diagnostics);
            bgp(config, vif, diagnostics);
            if (vif.weight() != null && vif.bandwidthMbps() != null)
            {
                diagnostics.error(vif.path() + ".weight", "give weight or bandwidth-mbps, not both: either one is " +
                    "the VIF's ECMP weight");
            }
            healthCheck(vif, gatewayAddresses, diagnostics);
        }
        interconnectsApart(config, diagnostics);
    }

    private static void interconnect(final Interconnect link, final String path, final boolean ipv6,
                                     final Diagnostics diagnostics)
    {
        if (link == null)
        {
            return;
        }
        final boolean localOk = end(link.local(), path + ".local", ipv6, diagnostics);
        final boolean peerOk = end(link.peer(), path + ".peer", ipv6, diagnostics);
        if (!localOk || !peerOk)
        {
            return;
        }
        final InterfaceAddress local = link.local();
        final InterfaceAddress peer = link.peer();
        if (local.length() != peer.length())
        {
            diagnostics.error(path + ".peer", "peer " + peer + " and local " + local + " must have the same prefix length");
        }
        else if (!local.subnet().equals(peer.subnet()))
        {
            diagnostics.error(path + ".peer", "peer " + peer + " is not in the local subnet " + local.subnet() +
                ": both ends of an interconnect share one subnet");
        }
        else if (local.host().equals(peer.host()))
        {
            diagnostics.error(path + ".peer", "peer and local are both " + Addresses.text(local.host()) +
                ": the two ends need different addresses");
        }
    }

    /** One end: the right family, an allowed length, not a reserved address of its subnet. */
    private static boolean end(final InterfaceAddress address, final String path, final boolean ipv6,
                               final Diagnostics diagnostics)
    {
        if (address == null)
        {
            return false;
        }
        if (address.ipv6() != ipv6)
        {
            diagnostics.error(path, address + " is an " + (ipv6 ? "IPv4" : "IPv6") + " address; " +
                (ipv6 ? "ipv6" : "ipv4") + " needs an " + (ipv6 ? "IPv6" : "IPv4") + " one");
            return false;
        }
        if (!allowedLength(address))
        {
            diagnostics.error(path, address + " is a /" + address.length() + "; an " + (ipv6
                ? "IPv6 interconnect is a /126, a /127 or a /64" : "IPv4 interconnect is a /30 or a /31"));
            return false;
        }
        final String reserved = reservedRole(address);
        if (reserved != null)
        {
            diagnostics.error(path, Addresses.text(address.host()) + " is the " + reserved + " of " + address.subnet() +
                ": " + usable(address));
            return false;
        }
        return true;
    }

    /** IPv4: /30 or /31 (the seeds); IPv6: /126 or /127 (RFC 6164), or the /64 many providers use. */
    static boolean allowedLength(final InterfaceAddress address)
    {
        final int len = address.length();
        return address.ipv6() ? len == 126 || len == 127 || len == 64 : len == 30 || len == 31;
    }

    /**
     * The reserved role of an address in its subnet, or null. A /31 (RFC 3021) and a /127
     * (RFC 6164) have none; a /30 loses its network and broadcast addresses; IPv6 has no broadcast,
     * but a /126 is treated like a /30 so the two ends are the middle two, and the all-zeros address
     * of any IPv6 subnet is the subnet-router anycast address (RFC 4291 2.6.1).
     */
    static String reservedRole(final InterfaceAddress address)
    {
        final int len = address.length();
        if (len == 31 || len == 127)
        {
            return null;
        }
        if (address.isNetworkAddress())
        {
            return address.ipv6() ? "subnet-router anycast address" : "network address";
        }
        if (address.isAllOnesAddress() && len != 64)
        {
            return address.ipv6() ? "all-ones address" : "broadcast address";
        }
        return null;
    }

    private static String usable(final InterfaceAddress address)
    {
        if (address.length() == 64)
        {
            return "use any other address of the /64";
        }
        final IpPrefix net = address.subnet();
        final String first = Addresses.text(offset(net, 1));
        final String second = Addresses.text(offset(net, 2));
        return "a /" + address.length() + " has two usable addresses, " + first + " and " + second;
    }

    private static IpPrefix offset(final IpPrefix net, final int n)
    {
        return net.ipv6() ? IpPrefix.ipv6(net.hi(), net.lo() + n, 128) : IpPrefix.ipv4(net.ipv4Address() + n, 32);
    }

    private static void interconnectsApart(final GatewayConfig config, final Diagnostics diagnostics)
    {
        final List<String> paths = new ArrayList<>();
        final List<IpPrefix> subnets = new ArrayList<>();
        for (final VifConfig vif : config.vifs())
        {
            for (final String family : List.of("ipv4", "ipv6"))
            {
                final InterfaceAddress local = localOf(vif, family);
                if (local == null || !allowedLength(local) || reservedRole(local) != null || family.equals("ipv6") != local.ipv6())
                {
                    continue;
                }
                final IpPrefix subnet = local.subnet();
                final String path = vif.path() + "." + family + ".local";
                for (int i = 0; i < subnets.size(); i++)
                {
                    if (subnets.get(i).overlaps(subnet))
                    {
                        diagnostics.error(path, "interconnect subnet " + subnet + " overlaps " + subnets.get(i) + " of " +
                            ConfigValidator.at(diagnostics, paths.get(i)) + ": each VIF needs its own subnet");
                        break;
                    }
                }
                paths.add(path);
                subnets.add(subnet);
            }
        }
    }

    private static InterfaceAddress localOf(final VifConfig vif, final String family)
    {
        final Interconnect link = family.equals("ipv4") ? vif.ipv4() : vif.ipv6();
        return link == null ? null : link.local();
    }

    private static void bgp(final GatewayConfig config, final VifConfig vif, final Diagnostics diagnostics)
    {
        if (vif.bgp() == null || vif.bgp().peerAsn() == null)
        {
            return;
        }
        final long peer = vif.bgp().peerAsn();
        final String path = vif.path() + ".bgp.peer-asn";
        if (peer == config.gateway().asn())
        {
            diagnostics.error(path, "peer ASN " + peer + " is the gateway's own ASN: vbgw speaks eBGP only, " +
                "so the customer router needs a different ASN");
        }
        else if (peer == ConfigValidator.AS_TRANS)
        {
            diagnostics.error(path, "peer ASN 23456 is AS_TRANS (RFC 6793), not an ASN a router may use");
        }
    }

    /**
     * The source is an address the gateway owns (a VIF's local address or the router id), so the
     * reply comes back to the gateway; the destination is on the IDC side of this VIF (its peer or
     * inside its remote subnets), so the probe tests the path it switches. Seed 003's cloud picks
     * the source from its own pool and the destination is "the gateway device in the data center".
     */
    private static void healthCheck(final VifConfig vif, final Set<IpPrefix> gatewayAddresses, final Diagnostics diagnostics)
    {
        final HealthCheck check = vif.healthCheck();
        if (check == null)
        {
            return;
        }
        final String path = vif.path() + ".health-check";
        final IpPrefix source = check.sourceIp();
        final IpPrefix destination = check.destinationIp();
        if (source != null && !gatewayAddresses.contains(source))
        {
            diagnostics.error(path + ".source-ip", Addresses.text(source) + " is not an address of this gateway: use " +
                "the VIF's local interconnect address" + end(vif, source.ipv6(), true) + ", another VIF's local address " +
                "or the router id");
        }
        if (destination != null)
        {
            if (source != null && source.ipv6() != destination.ipv6())
            {
                diagnostics.error(path + ".destination-ip", Addresses.text(destination) + " and the source " +
                    Addresses.text(source) + " are of different address families");
            }
            else if (!onIdcSide(vif, destination))
            {
                diagnostics.error(path + ".destination-ip", Addresses.text(destination) + " is not on the IDC side of VIF '" +
                    vif.name() + "': use its peer address" + end(vif, destination.ipv6(), false) + " or an address in " +
                    "its remote-subnets");
            }
        }
    }

    private static boolean onIdcSide(final VifConfig vif, final IpPrefix destination)
    {
        for (final Interconnect link : new Interconnect[] { vif.ipv4(), vif.ipv6() })
        {
            if (link != null && link.peer() != null && link.peer().host().equals(destination))
            {
                return true;
            }
        }
        return vif.remoteSubnets().stream().anyMatch(r -> r.prefix().contains(destination));
    }

    /** " (ADDRESS)" of the VIF's local or peer end in one family, to show the operator the fix; or "". */
    private static String end(final VifConfig vif, final boolean ipv6, final boolean local)
    {
        final Interconnect link = ipv6 ? vif.ipv6() : vif.ipv4();
        final InterfaceAddress address = link == null ? null : local ? link.local() : link.peer();
        return address == null ? "" : " (" + Addresses.text(address.host()) + ")";
    }

    /** Every address the gateway itself owns: each VIF's local interconnect address and the router id. */
    static Set<IpPrefix> gatewayAddresses(final GatewayConfig config)
    {
        final Set<IpPrefix> owned = new HashSet<>();
        for (final VifConfig vif : config.vifs())
        {
            for (final Interconnect link : new Interconnect[] { vif.ipv4(), vif.ipv6() })
            {
                if (link != null && link.local() != null)
                {
                    owned.add(link.local().host());
                }
            }
        }
        if (config.gateway().routerId() != null)
        {
            owned.add(config.gateway().routerId());
        }
        return owned;
    }
}
