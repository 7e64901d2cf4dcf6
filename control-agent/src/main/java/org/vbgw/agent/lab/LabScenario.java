package org.vbgw.agent.lab;

import org.vbgw.agent.clientconfig.ClientSide;
import org.vbgw.agent.clientconfig.Vendor;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.config.GatewayConfig;
import org.vbgw.agent.config.PortConfig;
import org.vbgw.agent.config.VifConfig;
import org.vbgw.agent.config.VpnBackup;
import org.vbgw.fib.IpPrefix;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seed scenarios a lab builds, each a gateway config (a resource beside this class, derived from the
 * example of the same scenario in {@code control-agent/examples/}) whose ports {@code eth1}, {@code eth2} face
 * the customer and {@code eth3} the VPC. Everything else of the topology follows from that config: one
 * physical connection per customer-facing port, the VIFs on it, the addresses at both ends, the customer
 * router's BIRD config (what {@code vbgw client-config --vendor bird} renders for those VIFs).
 */
public enum LabScenario
{
    /** Seeds 000, 002: a primary and a standby connection, BGP on both, the standby prepended. */
    ACTIVE_STANDBY("active-standby"),
    /** Seed 001: a direct connection with BGP, a VPN path carrying the aggregate as the last resort. */
    DIRECT_VPN_BACKUP("direct-vpn-backup"),
    /** Seed 003: two connections, equal BGP paths (ECMP), BFD and health checks. */
    ACTIVE_ACTIVE("active-active");

    /** The gateway's interface facing the VPC in every scenario. */
    public static final String VPC_INTERFACE = "eth3";

    private static final Pattern BGP_PROTOCOL =
        Pattern.compile("protocol bgp (\\S+) \\{\\n\\s+description \"[^\"]* ([^\" ]+)\";");

    private final String id;

    LabScenario(final String id)
    {
        this.id = id;
    }

    /** The name on the command line. */
    public String id()
    {
        return id;
    }

    /** The scenario named {@code id}; throws listing the scenarios when there is none. */
    public static LabScenario of(final String id)
    {
        for (final LabScenario s : values())
        {
            if (s.id.equals(id))
            {
                return s;
            }
        }
        throw new IllegalArgumentException("no lab scenario '" + id + "'; scenarios are " +
            Arrays.stream(values()).map(LabScenario::id).toList());
    }

    /** The gateway config's text. */
    public String gatewayYaml()
    {
        try (InputStream in = LabScenario.class.getResourceAsStream(id + ".yaml"))
        {
            if (in == null)
            {
                throw new IllegalStateException("the lab's gateway config " + id + ".yaml is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The gateway config, checked; throws with every error (a broken resource is a build bug). */
    public ConfigCheck check()
    {
        final ConfigCheck check = ConfigCheck.of(id + ".yaml", gatewayYaml());
        if (!check.ok())
        {
            throw new IllegalStateException("the lab's gateway config " + id + ".yaml has errors: " + check.errors());
        }
        return check;
    }

    /** The VIFs toward the IDC in config order: every VIF on a port other than the VPC's. */
    public static List<VifConfig> idcVifs(final GatewayConfig config)
    {
        return config.vifs().stream().filter(v -> !VPC_INTERFACE.equals(port(config, v).linuxInterface())).toList();
    }

    /** The connection number of a VIF: its port's interface {@code ethN}. */
    static int connection(final GatewayConfig config, final VifConfig vif)
    {
        final String iface = port(config, vif).linuxInterface();
        if (!iface.matches("eth[12]"))
        {
            throw new IllegalStateException("lab VIF " + vif.name() + " is on " + iface + "; lab ports are eth1, eth2");
        }
        return iface.charAt(3) - '0';
    }

    private static PortConfig port(final GatewayConfig config, final VifConfig vif)
    {
        return config.port(vif.port()).orElseThrow(() -> new IllegalStateException("VIF " + vif.name() +
            " names port " + vif.port() + ", which the config does not have"));
    }

    /** The customer router's BIRD config, as {@code vbgw client-config --vendor bird} renders it for every IDC VIF. */
    public String customerBird(final ConfigCheck check)
    {
        final List<VifConfig> vifs = idcVifs(check.config());
        final List<String> parents = vifs.stream().map(v -> LabNames.customerTrunk(connection(check.config(), v))).toList();
        return Vendor.BIRD.render(ClientSide.of(check, vifs.stream().map(VifConfig::name).toList(), parents));
    }

    /** The paths of a lab of this scenario: one per IDC VIF, with the BIRD session that serves it. */
    public List<LabState.LabPath> paths(final ConfigCheck check, final String bird)
    {
        final GatewayConfig config = check.config();
        final List<LabState.LabPath> paths = new ArrayList<>();
        for (final VifConfig vif : idcVifs(config))
        {
            final int c = connection(config, vif);
            final int vlan = vif.vlan() == null ? 0 : vif.vlan();
            final boolean vpn = config.vpnBackups().stream().map(VpnBackup::vif).anyMatch(vif.name()::equals);
            paths.add(new LabState.LabPath(vif.name(), vpn ? "vpn" : "direct", c, port(config, vif).linuxInterface(),
                LabNames.wireGatewaySide(c), LabNames.bridge(c), vlan, address(vif.ipv4().local().host()),
                address(vif.ipv4().peer().host()), LabNames.customerVlanDevice(c, vlan),
                vif.bgp() == null ? null : birdProtocol(bird, vif.name())));
        }
        return paths;
    }

    /** The BGP protocol BIRD runs for a VIF (the rendering names it in the session's description). */
    static String birdProtocol(final String bird, final String vif)
    {
        final Matcher m = BGP_PROTOCOL.matcher(bird);
        while (m.find())
        {
            if (m.group(2).equals(vif))
            {
                return m.group(1);
            }
        }
        throw new IllegalStateException("the customer's BIRD config has no BGP session for VIF " + vif);
    }

    /** The first VPC CIDR: the VPC host lives in it. */
    public static IpPrefix vpcCidr(final GatewayConfig config)
    {
        return config.vpcAttachments().get(0).vpcCidrs().get(0).prefix();
    }

    /** The first IDC subnet of the first IDC VIF: the IDC host lives in it. */
    public static IpPrefix idcSubnet(final GatewayConfig config)
    {
        return idcVifs(config).get(0).remoteSubnets().get(0).prefix();
    }

    /** Host {@code n} of an IPv4 prefix, as text ({@code 192.168.0.0/16}, 10 → {@code 192.168.0.10}). */
    public static String host(final IpPrefix prefix, final int n)
    {
        return IpPrefix.formatIpv4(prefix.ipv4Address() + n);
    }

    private static String address(final IpPrefix host)
    {
        return IpPrefix.formatIpv4(host.ipv4Address());
    }
}
