package org.vbgw.agent.clientconfig;

import org.vbgw.agent.config.Addresses;
import org.vbgw.agent.config.BfdTimers;
import org.vbgw.agent.config.BgpSession;
import org.vbgw.agent.config.CidrBlock;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.config.DidYouMean;
import org.vbgw.agent.config.GatewayConfig;
import org.vbgw.agent.config.Interconnect;
import org.vbgw.agent.config.VifConfig;
import org.vbgw.agent.config.VpcAttachment;
import org.vbgw.fib.IpPrefix;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The customer's end of one or more VIFs, seen from the customer router: everything a vendor's router config
 * needs, worked out once from the gateway config so that the four renderers only differ in syntax.
 * <p>
 * The gateway config is written from the gateway's side ({@code local} is the gateway, {@code peer} the
 * customer); here the two swap: the customer router's address is the VIF's {@code peer}, its BGP neighbour is
 * the gateway's {@code local} address with the gateway's ASN, and its own ASN is the VIF's {@code peer-asn}.
 *
 * @param gatewayName the gateway's name, for comments and descriptions
 * @param gatewayAsn  the ASN the customer router peers with
 * @param localAsn    the customer router's ASN (every BGP VIF rendered together must agree), or null when no
 *                    rendered VIF runs BGP
 * @param routerId    the customer router's BGP router id: its first IPv4 interconnect address, or null
 * @param links       one per VIF, in the order asked for
 * @param vpcPrefixes what the gateway announces (or is routed statically): every attached VPC CIDR
 */
public record ClientSide(String gatewayName, long gatewayAsn, Long localAsn, IpPrefix routerId, List<Link> links,
                         List<IpPrefix> vpcPrefixes)
{
    /**
     * Administrative distance of a floating static route toward the VPC (FRR, IOS): above eBGP's 20, so the
     * BGP route wins while a session holds it. Junos uses it as its (lower-wins) preference, above BGP's 170.
     */
    static final int BACKUP_STATIC_DISTANCE = 250;
    /** BIRD's preference (higher wins) for the same floating static: below BGP's default of 100. */
    static final int BACKUP_STATIC_BIRD_PREFERENCE = 50;
    /** BGP's LOCAL_PREF when nothing sets it (the default of FRR, BIRD, IOS and Junos alike). */
    static final long DEFAULT_LOCAL_PREF = 100;

    /**
     * One VIF from the customer's side.
     *
     * @param parentInterface the customer router's physical interface the VIF's VLAN rides on
     * @param vlan            the outer VLAN, 0 for untagged
     * @param innerVlan       the inner VLAN of QinQ, or 0
     * @param ipv4            the customer's IPv4 address and the gateway's, or null
     * @param ipv6            the customer's IPv6 address and the gateway's, or null
     * @param bgp             the VIF's BGP session, or null for static routing
     * @param bfd             BFD timers, or null when the VIF runs no BFD
     * @param announce        the VIF's remote subnets: the IDC prefixes the customer router announces on it
     * @param prepend         how many extra times the customer router prepends its ASN on this VIF: above 0 only
     *                        on a backup path
     * @param returnRoutes    host routes the customer must route back through this VIF although they are not
     *                        on its interconnect: health-check sources outside it (seed 003)
     */
    public record Link(String vifName, String description, String parentInterface, int vlan, int innerVlan,
                       Side ipv4, Side ipv6, BgpSession bgp, BfdTimers bfd, List<IpPrefix> announce, int prepend,
                       List<IpPrefix> returnRoutes)
    {
        /** True when the VIF rides the parent interface untagged (VLAN 0). */
        public boolean untagged()
        {
            return vlan == 0;
        }

        /** True for a QinQ VIF: an outer (802.1ad) and an inner (802.1Q) tag. */
        public boolean qinq()
        {
            return innerVlan != 0;
        }

        public List<Side> sides()
        {
            final List<Side> sides = new ArrayList<>(2);
            if (ipv4 != null)
            {
                sides.add(ipv4);
            }
            if (ipv6 != null)
            {
                sides.add(ipv6);
            }
            return sides;
        }

        /** The announced prefixes of one family. */
        public List<IpPrefix> announce(final boolean ipv6)
        {
            return announce.stream().filter(p -> p.ipv6() == ipv6).toList();
        }
    }

    /**
     * One address family of a link.
     *
     * @param customer the customer router's address, as a host route
     * @param gateway  the gateway's address, as a host route: the BGP neighbour, the static next hop
     * @param length   the interconnect's prefix length
     */
    public record Side(IpPrefix customer, IpPrefix gateway, int length)
    {
        public boolean ipv6()
        {
            return customer.ipv6();
        }

        /** {@code 10.0.0.2/30}: the customer's interface address. */
        public String customerCidr()
        {
            return Addresses.text(customer) + "/" + length;
        }

        public String customerAddress()
        {
            return Addresses.text(customer);
        }

        public String gatewayAddress()
        {
            return Addresses.text(gateway);
        }
    }

    /** The customer router's default interface names per platform, when {@code --interface} is not given. */
    public static String defaultParentInterface(final Vendor vendor)
    {
        return switch (vendor)
        {
            case BIRD, FRR -> "eth1";
            case CISCO -> "GigabitEthernet0/0/1";
            case JUNOS, JUNOS_SET -> "ge-0/0/1";
        };
    }

    /**
     * Builds the customer side of {@code vifNames} from a checked config.
     *
     * @param parentInterfaces the customer router's interface for each VIF (one per VIF, or one for all)
     * @throws IllegalArgumentException naming what is wrong: a config with errors, an unknown VIF (with a
     *                                  suggestion), VIFs of one router with different peer ASNs
     */
    public static ClientSide of(final ConfigCheck check, final List<String> vifNames, final List<String> parentInterfaces)
    {
        if (!check.ok())
        {
            throw new IllegalArgumentException(check.file() + " has " + check.errors().size() +
                " errors; run vbgw check " + check.file() + " first (the first: " + check.errors().get(0) + ")");
        }
        if (vifNames.isEmpty())
        {
            throw new IllegalArgumentException("name at least one VIF");
        }
        if (parentInterfaces.size() != 1 && parentInterfaces.size() != vifNames.size())
        {
            throw new IllegalArgumentException("give one --interface for all VIFs or one per VIF (" + vifNames.size() +
                " VIFs, " + parentInterfaces.size() + " interfaces)");
        }
        final GatewayConfig config = check.config();
        final List<Link> links = new ArrayList<>();
        Long localAsn = null;
        IpPrefix routerId = null;
        final Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < vifNames.size(); i++)
        {
            final String name = vifNames.get(i);
            if (!seen.add(name))
            {
                throw new IllegalArgumentException("VIF " + name + " is named twice");
            }
            final VifConfig vif = config.vif(name).orElseThrow(() -> unknownVif(config, name));
            if (vif.bgp() != null)
            {
                if (localAsn != null && !localAsn.equals(vif.bgp().peerAsn()))
                {
                    throw new IllegalArgumentException("VIFs " + vifNames.get(0) + " and " + name +
                        " have different peer ASNs (" + localAsn + ", " + vif.bgp().peerAsn() +
                        "): one router has one ASN; render each VIF for its own router");
                }
                localAsn = vif.bgp().peerAsn();
            }
            final Side v4 = side(vif.ipv4());
            if (routerId == null && v4 != null)
            {
                routerId = v4.customer();
            }
            final String parent = parentInterfaces.get(parentInterfaces.size() == 1 ? 0 : i);
            links.add(new Link(vif.name(), vif.description(), parent, vif.vlan(),
                vif.innerVlan() == null ? 0 : vif.innerVlan(), v4, side(vif.ipv6()), vif.bgp(), vif.bfd(),
                vif.remoteSubnets().stream().map(CidrBlock::prefix).toList(), prepend(config, vif),
                returnRoutes(vif)));
        }
        checkDistinctTags(links);
        final List<IpPrefix> vpc = new ArrayList<>();
        for (final VpcAttachment a : config.vpcAttachments())
        {
            a.vpcCidrs().forEach(c -> vpc.add(c.prefix()));
        }
        return new ClientSide(config.gateway().name(), config.gateway().asn(), localAsn, routerId, List.copyOf(links),
            List.copyOf(vpc));
    }

    /**
     * How often the customer prepends its ASN on a VIF: the gateway config marks a backup path by
     * {@code as-path-prepend} on its BGP session (seed 001: "BGP AS_PATH of direct route should be shorter"), or by
     * a lower {@code local-pref} than another BGP VIF that carries the same IDC subnets. The customer router
     * mirrors it on what it announces, so traffic toward the IDC takes the primary from anywhere in the cloud,
     * not only from this gateway: the configured count, or once when only LOCAL_PREF marks the backup.
     */
    static int prepend(final GatewayConfig config, final VifConfig vif)
    {
        final BgpSession bgp = vif.bgp();
        if (bgp == null)
        {
            return 0;
        }
        if (bgp.asPathPrepend() > 0)
        {
            return bgp.asPathPrepend();
        }
        final long mine = bgp.localPref() == null ? DEFAULT_LOCAL_PREF : bgp.localPref();
        for (final VifConfig other : config.vifs())
        {
            if (other != vif && other.bgp() != null && sharesSubnets(vif, other) &&
                (other.bgp().localPref() == null ? DEFAULT_LOCAL_PREF : other.bgp().localPref()) > mine)
            {
                return 1;
            }
        }
        return 0;
    }

    private static boolean sharesSubnets(final VifConfig a, final VifConfig b)
    {
        // Two VIFs that declare no subnets both carry "what BGP learns": the same destinations.
        if (a.remoteSubnets().isEmpty() || b.remoteSubnets().isEmpty())
        {
            return a.remoteSubnets().isEmpty() && b.remoteSubnets().isEmpty();
        }
        for (final CidrBlock x : a.remoteSubnets())
        {
            for (final CidrBlock y : b.remoteSubnets())
            {
                if (x.prefix().overlaps(y.prefix()))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /** Two VIFs with the same tags on one customer interface would be one interface: refuse. */
    private static void checkDistinctTags(final List<Link> links)
    {
        final Set<String> keys = new LinkedHashSet<>();
        for (final Link l : links)
        {
            if (!keys.add(l.parentInterface() + "|" + l.vlan() + "|" + l.innerVlan()))
            {
                throw new IllegalArgumentException("two VIFs on customer interface " + l.parentInterface() +
                    " with VLAN " + l.vlan() + (l.qinq() ? "." + l.innerVlan() : "") +
                    " (they sit on different gateway ports): give one --interface per VIF");
            }
        }
    }

    /** A health probe sourced outside the interconnect needs a way back through this VIF (seed 003). */
    private static List<IpPrefix> returnRoutes(final VifConfig vif)
    {
        if (vif.healthCheck() == null || vif.healthCheck().sourceIp() == null)
        {
            return List.of();
        }
        final IpPrefix source = vif.healthCheck().sourceIp();
        final Interconnect ic = source.ipv6() ? vif.ipv6() : vif.ipv4();
        if (ic != null && ic.local() != null && ic.local().subnet().contains(source))
        {
            return List.of();
        }
        return List.of(source);
    }

    private static Side side(final Interconnect ic)
    {
        if (ic == null)
        {
            return null;
        }
        return new Side(ic.peer().host(), ic.local().host(), ic.local().length());
    }

    private static IllegalArgumentException unknownVif(final GatewayConfig config, final String name)
    {
        final List<String> names = config.vifs().stream().map(VifConfig::name).toList();
        final String guess = DidYouMean.suggest(name, names);
        return new IllegalArgumentException("no VIF " + name + " in the config" +
            (guess != null ? " (did you mean " + guess + "?)" : "") + "; its VIFs: " + String.join(", ", names));
    }

    /** True when any link runs BGP. */
    public boolean bgp()
    {
        return links.stream().anyMatch(l -> l.bgp() != null);
    }

    /** True when any link has addresses of {@code ipv6}'s family. */
    public boolean hasFamily(final boolean ipv6)
    {
        return links.stream().anyMatch(l -> (ipv6 ? l.ipv6() : l.ipv4()) != null);
    }

    /**
     * True when the static routes toward the VPC (through the VIFs without BGP, seed 001's VPN) must float:
     * beside a BGP session they are the backup, and every vendor ranks a static route above an eBGP one by
     * default (distance 1 vs 20, preference 5 vs 170, BIRD's 200 vs 100), which would send the IDC's traffic
     * into the VPN while a direct connection is up.
     */
    public boolean staticVpcRoutesAreBackup()
    {
        return links.stream().anyMatch(l -> l.bgp() != null) && links.stream().anyMatch(l -> l.bgp() == null);
    }

    /** The VPC prefixes of one family. */
    public List<IpPrefix> vpcPrefixes(final boolean ipv6)
    {
        return vpcPrefixes.stream().filter(p -> p.ipv6() == ipv6).toList();
    }

    /** Every link's announced prefixes of one family, each once, in first-seen order. */
    public List<IpPrefix> announced(final boolean ipv6)
    {
        final Set<IpPrefix> all = new LinkedHashSet<>();
        links.forEach(l -> all.addAll(l.announce(ipv6)));
        return List.copyOf(all);
    }
}
