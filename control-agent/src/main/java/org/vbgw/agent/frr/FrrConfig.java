package org.vbgw.agent.frr;

import org.vbgw.agent.config.Addresses;
import org.vbgw.agent.config.BgpSession;
import org.vbgw.agent.config.CidrBlock;
import org.vbgw.agent.config.GatewayConfig;
import org.vbgw.agent.config.Interconnect;
import org.vbgw.agent.config.VifConfig;
import org.vbgw.agent.config.VpcAttachment;
import org.vbgw.agent.run.HostTapSpec;
import org.vbgw.fib.IpPrefix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * FRR's configuration, rendered from a gateway config: one eBGP neighbour per VIF and address family (remote-as,
 * MD5 password, timers, the VIF's host TAP as update source, a maximum-prefix limit), the VPC CIDRs announced,
 * {@code maximum-paths} for ECMP across VIFs, AS_PATH prepend on standby VIFs and LOCAL_PREF on primary ones, and
 * zebra pointed at the agent's FPM server (zebra is started with {@code -M dplane_fpm_nl}).
 * <p>
 * The same config always renders the same text, byte for byte (golden files in the tests), so a changed file
 * means a changed config.
 * <p>
 * Policy, per VIF and family: in, deny anything inside the VPC CIDRs (the IDC must not claim the VPC's space,
 * seeds 000 and 001) and accept the rest, setting LOCAL_PREF when configured; out, announce exactly the VPC
 * CIDRs, so what one VIF learned from the IDC is never passed to another VIF (the gateway is no transit).
 * Only zebra and bgpd are needed: static routes and BFD are the data plane's own, and the VPC CIDRs are
 * announced without a RIB route behind them ({@code no bgp network import-check}), so neither staticd nor bfdd
 * runs.
 */
public final class FrrConfig
{
    /** The daemons this config needs, in start order: bgpd connects to zebra. */
    public static final List<String> DAEMONS = List.of("zebra", "bgpd");

    /** Where zebra's FPM client connects: the agent's FPM server. */
    public record Fpm(String host, int port)
    {
        /** The port FRR's FPM listens on by convention (IANA unassigned; FRR's FPM_DEFAULT_PORT). */
        public static final int DEFAULT_PORT = 2620;
        public static final Fpm DEFAULT = new Fpm("127.0.0.1", DEFAULT_PORT);

        public Fpm
        {
            if (port < 1 || port > 65535)
            {
                throw new IllegalArgumentException("FPM port " + port + " out of range 1..65535");
            }
            IpPrefix.parse(host); // zebra's `fpm address` takes an address, not a name
        }

        /** Parses {@code ADDRESS:PORT} ({@code [ADDRESS]:PORT} for IPv6) or an address alone. */
        public static Fpm parse(final String text)
        {
            final int colon = text.lastIndexOf(':');
            if (text.startsWith("["))
            {
                final int close = text.indexOf(']');
                return new Fpm(text.substring(1, close), close + 1 < text.length() ? port(text.substring(close + 2), text) : DEFAULT_PORT);
            }
            if (colon < 0 || text.indexOf(':') != colon)
            {
                return new Fpm(text, DEFAULT_PORT);
            }
            return new Fpm(text.substring(0, colon), port(text.substring(colon + 1), text));
        }

        private static int port(final String port, final String text)
        {
            try
            {
                return Integer.parseInt(port);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("FPM address wants ADDRESS:PORT, got '" + text + "'");
            }
        }
    }

    /**
     * Seconds between connection attempts to a peer that is not up: FRR's traditional 120 s would leave a
     * session down for two minutes after the customer router restarts.
     */
    static final int CONNECT_RETRY_S = 5;
    /** ECMP width: as many equal BGP paths as the FIB's groups take, far more than VIFs a gateway has. */
    static final int MAXIMUM_PATHS = 64;

    private final Map<String, String> files;

    private FrrConfig(final Map<String, String> files)
    {
        this.files = files;
    }

    /** True when some VIF runs BGP: only then does the gateway need FRR. */
    public static boolean hasBgp(final GatewayConfig config)
    {
        return config.vifs().stream().anyMatch(v -> v.bgp() != null);
    }

    /**
     * Renders the config of every daemon. The gateway config must have passed {@code ConfigCheck}.
     *
     * @throws IllegalArgumentException when the config has no BGP session (nothing for FRR to do).
     */
    public static FrrConfig render(final GatewayConfig config, final Fpm fpm)
    {
        if (!hasBgp(config))
        {
            throw new IllegalArgumentException("gateway " + config.gateway().name() + " has no BGP session: FRR is not needed");
        }
        final Map<String, String> files = new LinkedHashMap<>();
        files.put("zebra", zebra(config, fpm));
        files.put("bgpd", bgpd(config));
        return new FrrConfig(files);
    }

    /** The daemons to run, in start order. */
    public List<String> daemons()
    {
        return List.copyOf(files.keySet());
    }

    /**
     * The daemons with their configs and arguments, for {@link FrrDaemons}: zebra loads {@code dplane_fpm_nl} so
     * the routes it selects reach the agent over FPM.
     */
    public List<FrrDaemon> toRun()
    {
        final List<FrrDaemon> run = new ArrayList<>();
        for (final Map.Entry<String, String> e : files.entrySet())
        {
            run.add(new FrrDaemon(e.getKey(), e.getValue(),
                "zebra".equals(e.getKey()) ? List.of("-M", "dplane_fpm_nl") : List.of()));
        }
        return run;
    }

    /** The config file text of {@code daemon}. */
    public String text(final String daemon)
    {
        final String text = files.get(daemon);
        if (text == null)
        {
            throw new IllegalArgumentException("no config for " + daemon + "; daemons: " + files.keySet());
        }
        return text;
    }

    private static String header(final GatewayConfig config, final String daemon)
    {
        return "! " + daemon + " config of gateway " + config.gateway().name() + ", rendered by vbgw from its gateway config.\n" +
            "! vbgw rewrites this file whenever it starts FRR: change the gateway config instead.\n" +
            "frr defaults traditional\n" +
            "hostname " + config.gateway().name() + "\n" +
            "!\n";
    }

    private static String zebra(final GatewayConfig config, final Fpm fpm)
    {
        // One route per FPM message with its next hops inline: the agent's RIB keeps groups of its own and
        // needs no second set of ids from zebra.
        return header(config, "zebra") +
            "fpm address " + fpm.host() + " port " + fpm.port() + "\n" +
            "no fpm use-next-hop-groups\n" +
            "!\n" +
            "end\n";
    }

    private static String bgpd(final GatewayConfig config)
    {
        final long asn = config.gateway().asn();
        final List<IpPrefix> vpc4 = new ArrayList<>();
        final List<IpPrefix> vpc6 = new ArrayList<>();
        for (final VpcAttachment a : config.vpcAttachments())
        {
            for (final CidrBlock c : a.vpcCidrs())
            {
                (c.prefix().ipv6() ? vpc6 : vpc4).add(c.prefix());
            }
        }
        final List<Neighbour> v4 = new ArrayList<>();
        final List<Neighbour> v6 = new ArrayList<>();
        for (final VifConfig v : config.vifs())
        {
            if (v.bgp() != null)
            {
                neighbour(v, v.ipv4(), "v4").ifPresent(v4::add);
                neighbour(v, v.ipv6(), "v6").ifPresent(v6::add);
            }
        }
        final StringBuilder sb = new StringBuilder(header(config, "bgpd"));
        // Policy first. bgpd binds a neighbour's route-map when it reads the neighbour: one defined further down is
        // bound only when the route-map delay timer fires, seconds later, and until then it filters everything. A
        // restarted bgpd then sent End-of-RIB with the VPC CIDRs "filtered by route-map" (its debug log), the
        // customer's graceful-restart helper dropped the VPC route it had kept, and BgpRoutingIT lost 3-6 % of
        // its pings across a restart of FRR; with the policy first, none.
        prefixLists(sb, "ip", "v4", vpc4);
        prefixLists(sb, "ipv6", "v6", vpc6);
        for (final Neighbour n : concat(v4, v6))
        {
            routeMaps(sb, n, asn);
        }
        sb.append("router bgp ").append(asn).append('\n');
        if (config.gateway().routerId() != null)
        {
            sb.append(" bgp router-id ").append(Addresses.text(config.gateway().routerId())).append('\n');
        }
        // Families are activated per neighbour below: an IPv4 session carries IPv4 only, an IPv6 one IPv6.
        sb.append(" no bgp default ipv4-unicast\n");
        // The VPC CIDRs are announced while the gateway runs, whether or not a route for them is in zebra.
        sb.append(" no bgp network import-check\n");
        // ECMP across VIFs even when two customer sites use different ASNs with equally long paths.
        sb.append(" bgp bestpath as-path multipath-relax\n");
        // The data plane keeps forwarding while bgpd restarts (RFC 4724 F bit): peers keep our routes meanwhile.
        sb.append(" bgp graceful-restart\n");
        sb.append(" bgp graceful-restart preserve-fw-state\n");
        // But not across a hold-timer expiry or a NOTIFICATION (RFC 8538, on by default since FRR 8.3): a session
        // that falls silent is a dead link, and keeping its routes stale for the restart time (120 s) would
        // blackhole the traffic that another VIF or the backup could carry at once. A killed bgpd still closes its
        // TCP connections without a NOTIFICATION, which RFC 4724 covers.
        sb.append(" no bgp graceful-restart notification\n");
        for (final Neighbour n : concat(v4, v6))
        {
            final BgpSession b = n.vif.bgp();
            final String p = " neighbor " + n.address + " ";
            sb.append(p).append("remote-as ").append(b.peerAsn()).append('\n');
            sb.append(p).append("description ").append(n.vif.name()).append('\n');
            if (b.md5Key() != null)
            {
                sb.append(p).append("password ").append(b.md5Key()).append('\n');
            }
            final int hold = b.holdTimeS();
            sb.append(p).append("timers ").append(hold / 3).append(' ').append(hold).append('\n');
            sb.append(p).append("timers connect ").append(CONNECT_RETRY_S).append('\n');
            sb.append(p).append("update-source ").append(new HostTapSpec(n.vif.name(), 0, 0, List.of()).interfaceName()).append('\n');
        }
        family(sb, "ipv4", vpc4, v4);
        family(sb, "ipv6", vpc6, v6);
        sb.append("exit\n!\n");
        return sb.append("end\n").toString();
    }

    private static void family(final StringBuilder sb, final String afi, final List<IpPrefix> vpc, final List<Neighbour> neighbours)
    {
        if (neighbours.isEmpty())
        {
            return;
        }
        sb.append(" !\n address-family ").append(afi).append(" unicast\n");
        for (final IpPrefix p : vpc)
        {
            sb.append("  network ").append(p).append('\n');
        }
        sb.append("  maximum-paths ").append(MAXIMUM_PATHS).append('\n');
        for (final Neighbour n : neighbours)
        {
            final String p = "  neighbor " + n.address + " ";
            sb.append(p).append("activate\n");
            sb.append(p).append("maximum-prefix ").append(n.vif.bgp().maxPrefixes()).append('\n');
            sb.append(p).append("route-map ").append(n.routeMap("in")).append(" in\n");
            sb.append(p).append("route-map ").append(n.routeMap("out")).append(" out\n");
        }
        sb.append(" exit-address-family\n");
    }

    private static void prefixLists(final StringBuilder sb, final String keyword, final String family, final List<IpPrefix> vpc)
    {
        final int max = "v4".equals(family) ? 32 : 128;
        // Exactly the CIDRs (what is announced), and the CIDRs with every longer prefix (what is refused).
        if (vpc.isEmpty())
        {
            sb.append(keyword).append(" prefix-list vbgw-vpc-").append(family).append(" seq 5 deny any\n");
            sb.append(keyword).append(" prefix-list vbgw-vpc-space-").append(family).append(" seq 5 deny any\n");
        }
        int seq = 5;
        for (final IpPrefix p : vpc)
        {
            sb.append(keyword).append(" prefix-list vbgw-vpc-").append(family).append(" seq ").append(seq)
                .append(" permit ").append(p).append('\n');
            seq += 5;
        }
        seq = 5;
        for (final IpPrefix p : vpc)
        {
            sb.append(keyword).append(" prefix-list vbgw-vpc-space-").append(family).append(" seq ").append(seq)
                .append(" permit ").append(p).append(p.length() < max ? " le " + max : "").append('\n');
            seq += 5;
        }
        sb.append("!\n");
    }

    private static void routeMaps(final StringBuilder sb, final Neighbour n, final long asn)
    {
        final String match = "v4".equals(n.family) ? " match ip address prefix-list " : " match ipv6 address prefix-list ";
        final BgpSession b = n.vif.bgp();
        sb.append("route-map ").append(n.routeMap("in")).append(" deny 10\n")
            .append(match).append("vbgw-vpc-space-").append(n.family).append('\n')
            .append("exit\n")
            .append("route-map ").append(n.routeMap("in")).append(" permit 20\n");
        if (b.localPref() != null)
        {
            sb.append(" set local-preference ").append(b.localPref()).append('\n');
        }
        sb.append("exit\n")
            .append("route-map ").append(n.routeMap("out")).append(" permit 10\n")
            .append(match).append("vbgw-vpc-").append(n.family).append('\n');
        if (b.asPathPrepend() > 0)
        {
            sb.append(" set as-path prepend").append((" " + asn).repeat(b.asPathPrepend())).append('\n');
        }
        sb.append("exit\n!\n");
    }

    private static java.util.Optional<Neighbour> neighbour(final VifConfig vif, final Interconnect i, final String family)
    {
        if (i == null || i.peer() == null)
        {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Neighbour(vif, Addresses.text(i.peer().host()), family));
    }

    private static <T> List<T> concat(final List<T> a, final List<T> b)
    {
        final List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** One BGP session: a VIF's peer in one address family. */
    private record Neighbour(VifConfig vif, String address, String family)
    {
        String routeMap(final String direction)
        {
            return "vbgw-" + vif.name() + "-" + family + "-" + direction;
        }
    }
}
