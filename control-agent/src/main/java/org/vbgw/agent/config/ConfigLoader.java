package org.vbgw.agent.config;

import org.vbgw.fib.IpPrefix;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads a gateway config from YAML text into a {@link GatewayConfig}, checking every single value
 * where it stands: its type, its range, the keys allowed beside it. Rules that relate several
 * values (a VIF's port exists, subnets do not overlap) are {@link ConfigValidator}'s.
 * <p>
 * The text is composed into SnakeYAML's node tree, never into Java objects, so each value keeps its
 * {@link Mark} and no YAML tag can instantiate a class. Every problem is reported to the
 * {@link Diagnostics}; a malformed value becomes null (or leaves its list) and loading goes on.
 */
public final class ConfigLoader
{
    static final List<String> TOP_KEYS = List.of("gateway", "ports", "vifs", "vpc-attachments", "static-routes",
        "static-neighbours", "vpn-backups");
    static final List<String> GATEWAY_KEYS = List.of("name", "asn", "router-id", "description");
    static final List<String> PORT_KEYS = List.of("name", "interface", "location", "mtu", "description");
    static final List<String> VIF_KEYS = List.of("name", "port", "vlan", "inner-vlan", "mac", "ipv4", "ipv6", "bgp",
        "bfd", "bandwidth-mbps", "weight", "remote-subnets", "health-check", "description");
    static final List<String> INTERCONNECT_KEYS = List.of("local", "peer");
    static final List<String> BGP_KEYS = List.of("peer-asn", "md5-key", "hold-time-s", "as-path-prepend", "local-pref",
        "max-prefixes");
    static final List<String> BFD_KEYS = List.of("min-tx-ms", "min-rx-ms", "multiplier", "hold-down-ms", "auth-type",
        "auth-key-id", "auth-key");
    static final List<String> HEALTH_KEYS = List.of("source-ip", "destination-ip", "interval-ms", "count",
        "recover-count", "hold-down-ms");
    static final List<String> VPC_KEYS = List.of("name", "port", "vpc-cidrs", "description");
    static final List<String> ROUTE_KEYS = List.of("name", "prefix", "next-hops", "preference", "backup", "description");
    static final List<String> NEXT_HOP_KEYS = List.of("address", "vif", "weight");
    static final List<String> NEIGHBOUR_KEYS = List.of("vif", "ip", "mac");
    static final List<String> VPN_KEYS = List.of("name", "vif", "tunnel", "next-hop", "prefixes", "description");

    /** Linux IFNAMSIZ is 16 including the terminating NUL; '/' and whitespace are refused by the kernel. */
    private static final Pattern LINUX_INTERFACE = Pattern.compile("[^/\\s:]{1,15}");
    private static final Pattern MAC = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}");
    /** Linux TCP_MD5SIG_MAXKEYLEN. */
    private static final int MAX_MD5_KEY = 80;
    private static final long MAX_ASN = 4_294_967_295L;

    private final Diagnostics diagnostics;

    private ConfigLoader(final Diagnostics diagnostics)
    {
        this.diagnostics = diagnostics;
    }

    /**
     * Loads {@code text}; every problem goes to {@code diagnostics}. Returns null only when the text
     * is not YAML at all or not a mapping at its top.
     */
    public static GatewayConfig load(final String text, final Diagnostics diagnostics)
    {
        final Node root;
        try
        {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        }
        catch (final MarkedYAMLException ex)
        {
            final Mark mark = ex.getProblemMark() != null ? ex.getProblemMark() : ex.getContextMark();
            final SourcePosition at = mark == null ? new SourcePosition(diagnostics.positions().file(), 1, 1)
                : new SourcePosition(diagnostics.positions().file(), mark.getLine() + 1, mark.getColumn() + 1);
            final String context = ex.getContext() != null ? " (" + ex.getContext() + ")" : "";
            // The parser's "<block end>" / "<block mapping start>" mean a line is indented wrongly.
            final String hint = ex.getProblem() != null && ex.getProblem().contains("<block") ? ": check this line's indentation" : "";
            diagnostics.error(at, "", "YAML syntax error: " + ex.getProblem() + context + hint);
            return null;
        }
        catch (final YAMLException ex)
        {
            diagnostics.error(new SourcePosition(diagnostics.positions().file(), 1, 1), "", "YAML error: " + ex.getMessage());
            return null;
        }
        if (root == null)
        {
            diagnostics.error(new SourcePosition(diagnostics.positions().file(), 1, 1), "",
                "the file is empty: a config needs at least 'gateway' and 'ports'");
            return null;
        }
        final YamlMapping top = YamlMapping.read(root, "", diagnostics, TOP_KEYS);
        return top == null ? null : new ConfigLoader(diagnostics).config(top);
    }

    private GatewayConfig config(final YamlMapping top)
    {
        top.require("gateway");
        top.require("ports");
        final YamlMapping gw = top.mapping("gateway", GATEWAY_KEYS);
        final GatewaySettings gateway = gw == null ? new GatewaySettings(null, GatewaySettings.DEFAULT_ASN, null, null)
            : gateway(gw);
        final List<PortConfig> ports = new ArrayList<>();
        final List<VifConfig> vifs = new ArrayList<>();
        final List<VpcAttachment> vpcs = new ArrayList<>();
        final List<StaticRoute> routes = new ArrayList<>();
        final List<StaticNeighbour> neighbours = new ArrayList<>();
        final List<VpnBackup> vpns = new ArrayList<>();
        each(top, "ports", PORT_KEYS, m -> ports.add(port(m)));
        each(top, "vifs", VIF_KEYS, m -> vifs.add(vif(m)));
        each(top, "vpc-attachments", VPC_KEYS, m -> vpcs.add(new VpcAttachment(m.path(), m.name("name", true),
            m.name("port", true), m.require("vpc-cidrs") ? m.cidrs("vpc-cidrs") : List.of(), m.description("description"))));
        each(top, "static-routes", ROUTE_KEYS, m -> routes.add(route(m)));
        each(top, "static-neighbours", NEIGHBOUR_KEYS, m -> neighbours.add(new StaticNeighbour(m.path(),
            m.name("vif", true), m.require("ip") ? m.address("ip") : null, m.require("mac") ? mac(m, "mac") : null)));
        each(top, "vpn-backups", VPN_KEYS, m -> vpns.add(vpn(m)));
        return new GatewayConfig(gateway, List.copyOf(ports), List.copyOf(vifs), List.copyOf(vpcs), List.copyOf(routes),
            List.copyOf(neighbours), List.copyOf(vpns));
    }

    private void each(final YamlMapping parent, final String key, final List<String> keys,
                      final Consumer<YamlMapping> build)
    {
        parent.forEach(key, (node, path) ->
        {
            final YamlMapping m = YamlMapping.read(node, path, diagnostics, keys);
            if (m != null)
            {
                build.accept(m);
            }
        });
    }

    private GatewaySettings gateway(final YamlMapping m)
    {
        final String name = m.name("name", true);
        final Long asn = m.number("asn", "ASN", 1, MAX_ASN, GatewaySettings.DEFAULT_ASN);
        IpPrefix routerId = m.address("router-id");
        if (routerId != null && (routerId.ipv6() || routerId.lo() == 0))
        {
            diagnostics.error(m.pathOf("router-id"), "router id " + Addresses.text(routerId) +
                " is invalid: BGP needs a non-zero IPv4 address (RFC 4271 4.2)");
            routerId = null;
        }
        return new GatewaySettings(name, asn == null ? GatewaySettings.DEFAULT_ASN : asn, routerId, m.description("description"));
    }

    private PortConfig port(final YamlMapping m)
    {
        final String name = m.name("name", true);
        String linux = m.requiredString("interface");
        if (linux != null && !LINUX_INTERFACE.matcher(linux).matches())
        {
            diagnostics.error(m.pathOf("interface"), "interface name '" + linux +
                "' is invalid: Linux allows 1-15 characters without '/', ':' or spaces");
            linux = null;
        }
        final String location = m.name("location", false);
        final Integer mtu = m.integer("mtu", "MTU", 68, 9216, PortConfig.DEFAULT_MTU_BYTES);
        return new PortConfig(m.path(), name, linux, location, mtu == null ? PortConfig.DEFAULT_MTU_BYTES : mtu,
            m.description("description"));
    }

    private VifConfig vif(final YamlMapping m)
    {
        final String name = m.name("name", true);
        final String port = m.name("port", true);
        final Integer vlan = m.require("vlan") ? m.integer("vlan", "VLAN", 0, 4094, null) : null;
        final Integer innerVlan = m.integer("inner-vlan", "inner VLAN", 1, 4094, null);
        final String mac = mac(m, "mac");
        final Interconnect ipv4 = interconnect(m.mapping("ipv4", INTERCONNECT_KEYS));
        final Interconnect ipv6 = interconnect(m.mapping("ipv6", INTERCONNECT_KEYS));
        final BgpSession bgp = bgp(m.mapping("bgp", BGP_KEYS));
        final YamlMapping b = m.mapping("bfd", BFD_KEYS);
        final BfdTimers bfd = b == null ? null : bfd(b);
        final Integer bandwidth = m.integer("bandwidth-mbps", "bandwidth-mbps", 1, 400_000, null);
        final Integer weight = m.integer("weight", "weight", 1, 255, null);
        final List<CidrBlock> remote = m.cidrs("remote-subnets");
        final YamlMapping h = m.mapping("health-check", HEALTH_KEYS);
        final HealthCheck health = h == null ? null : healthCheck(h);
        return new VifConfig(m.path(), name, port, vlan, innerVlan, mac, ipv4, ipv6, bgp, bfd, bandwidth, weight, remote,
            health, m.description("description"));
    }

    private static Interconnect interconnect(final YamlMapping m)
    {
        if (m == null)
        {
            return null;
        }
        return new Interconnect(m.require("local") ? m.interfaceAddress("local") : null,
            m.require("peer") ? m.interfaceAddress("peer") : null);
    }

    private BgpSession bgp(final YamlMapping m)
    {
        if (m == null)
        {
            return null;
        }
        final Long peerAsn = m.require("peer-asn") ? m.number("peer-asn", "peer ASN", 1, MAX_ASN, null) : null;
        final String key = m.string("md5-key");
        if (key != null && key.length() > MAX_MD5_KEY)
        {
            diagnostics.error(m.pathOf("md5-key"), "MD5 key is " + key.length() + " characters long; Linux allows at most " + MAX_MD5_KEY);
        }
        if (key != null && (key.isEmpty() || !key.chars().allMatch(c -> c > 0x20 && c < 0x7F)))
        {
            // FRR reads the key as one word of its config language; Linux takes any bytes, FRR does not.
            diagnostics.error(m.pathOf("md5-key"), "MD5 key must be printable ASCII without spaces (FRR reads it as one word)");
        }
        Integer hold = m.integer("hold-time-s", "hold-time-s", 0, 65535, BgpSession.DEFAULT_HOLD_TIME_S);
        if (hold != null && (hold == 1 || hold == 2))
        {
            diagnostics.error(m.pathOf("hold-time-s"), "hold-time-s " + hold + " is invalid: BGP allows 0 or 3..65535 (RFC 4271 4.2)");
            hold = null;
        }
        final Integer prepend = m.integer("as-path-prepend", "as-path-prepend", 0, 10, 0);
        final Long localPref = m.number("local-pref", "local-pref", 0, MAX_ASN, null);
        // FRR's maximum-prefix takes 1..4294967295.
        final Long maxPrefixes = m.number("max-prefixes", "max-prefixes", 1, MAX_ASN, BgpSession.DEFAULT_MAX_PREFIXES);
        return new BgpSession(peerAsn, key, hold == null ? BgpSession.DEFAULT_HOLD_TIME_S : hold,
            prepend == null ? 0 : prepend, localPref, maxPrefixes == null ? BgpSession.DEFAULT_MAX_PREFIXES : maxPrefixes);
    }

    private BfdTimers bfd(final YamlMapping m)
    {
        // 10 ms is what the data plane's BFD can keep (DESIGN: intervals down to 10 ms); 10 s is
        // where BFD stops being faster than the BGP keepalive it exists to beat.
        final Integer tx = m.integer("min-tx-ms", "min-tx-ms", 10, 10_000, BfdTimers.DEFAULT_INTERVAL_MS);
        final Integer rx = m.integer("min-rx-ms", "min-rx-ms", 10, 10_000, BfdTimers.DEFAULT_INTERVAL_MS);
        // RFC 5880 4.1: Detect Mult is an 8-bit field and must not be zero.
        final Integer mult = m.integer("multiplier", "multiplier", 1, 255, BfdTimers.DEFAULT_MULTIPLIER);
        final Integer holdDown = m.integer("hold-down-ms", "hold-down-ms", 0, 600_000, BfdTimers.DEFAULT_HOLD_DOWN_MS);
        String authType = m.string("auth-type");
        if (authType != null && !BfdTimers.AUTH_TYPES.contains(authType))
        {
            diagnostics.error(m.pathOf("auth-type"), "BFD auth-type '" + authType + "' is not one of " +
                String.join(", ", BfdTimers.AUTH_TYPES) + " (simple passwords are not supported: they cross the link in clear)");
            authType = null;
        }
        final Integer keyId = m.integer("auth-key-id", "auth-key-id", 0, 255, 1);
        final String key = m.string("auth-key");
        if (authType != null && key == null)
        {
            diagnostics.error(m.pathOf("auth-type"), "BFD auth-type " + authType + " needs an auth-key");
        }
        else if (authType == null && key != null && m.string("auth-type") == null)
        {
            diagnostics.error(m.pathOf("auth-key"), "a BFD auth-key needs an auth-type (" +
                String.join(", ", BfdTimers.AUTH_TYPES) + ")");
        }
        else if (authType != null)
        {
            // RFC 5880 §4.3, §4.4: the key fills the 16-byte MD5 or 20-byte SHA1 digest field.
            final int max = authType.endsWith("md5") ? 16 : 20;
            if (key.isEmpty() || key.length() > max)
            {
                diagnostics.error(m.pathOf("auth-key"), "a BFD " + (max == 16 ? "MD5" : "SHA1") + " key has 1.." + max +
                    " characters, this one " + key.length());
                authType = null;
            }
        }
        return new BfdTimers(tx == null ? BfdTimers.DEFAULT_INTERVAL_MS : tx, rx == null ? BfdTimers.DEFAULT_INTERVAL_MS : rx,
            mult == null ? BfdTimers.DEFAULT_MULTIPLIER : mult,
            holdDown == null ? BfdTimers.DEFAULT_HOLD_DOWN_MS : holdDown, key == null ? null : authType,
            authType == null || key == null || keyId == null ? 0 : keyId, authType == null ? null : key);
    }

    private static HealthCheck healthCheck(final YamlMapping m)
    {
        final IpPrefix source = m.require("source-ip") ? m.address("source-ip") : null;
        final IpPrefix destination = m.require("destination-ip") ? m.address("destination-ip") : null;
        // The cloud allows 2-3 s and 3-8 probes (seed 003); vbgw probes in the data plane and allows
        // 10 ms..10 s and 1..255 probes, so the same config can fail over in tens of milliseconds.
        final Integer interval = m.integer("interval-ms", "interval-ms", 10, 10_000, HealthCheck.DEFAULT_INTERVAL_MS);
        final Integer count = m.integer("count", "count", 1, 255, HealthCheck.DEFAULT_COUNT);
        final Integer recover = m.integer("recover-count", "recover-count", 1, 255, HealthCheck.DEFAULT_RECOVER_COUNT);
        final Integer holdDown = m.integer("hold-down-ms", "hold-down-ms", 0, 600_000, HealthCheck.DEFAULT_HOLD_DOWN_MS);
        return new HealthCheck(source, destination, interval == null ? HealthCheck.DEFAULT_INTERVAL_MS : interval,
            count == null ? HealthCheck.DEFAULT_COUNT : count, recover == null ? HealthCheck.DEFAULT_RECOVER_COUNT : recover,
            holdDown == null ? HealthCheck.DEFAULT_HOLD_DOWN_MS : holdDown);
    }

    private StaticRoute route(final YamlMapping m)
    {
        final String name = m.name("name", true);
        final IpPrefix prefix = m.require("prefix") ? m.prefix("prefix") : null;
        final List<StaticNextHop> nextHops = new ArrayList<>();
        if (m.require("next-hops"))
        {
            m.forEach("next-hops", (node, path) ->
            {
                if (node instanceof ScalarNode scalar && !YamlMapping.isNull(node))
                {
                    // Shorthand: a bare address is a next hop with no vif and no weight.
                    try
                    {
                        nextHops.add(new StaticNextHop(path, Addresses.parseHost(scalar.getValue()), null, null));
                    }
                    catch (final IllegalArgumentException ex)
                    {
                        diagnostics.error(path, ex.getMessage());
                    }
                    return;
                }
                final YamlMapping hop = YamlMapping.read(node, path, diagnostics, NEXT_HOP_KEYS);
                if (hop != null)
                {
                    final IpPrefix address = hop.require("address") ? hop.address("address") : null;
                    nextHops.add(new StaticNextHop(path, address, hop.name("vif", false),
                        hop.integer("weight", "weight", 1, 255, null)));
                }
            });
        }
        final Integer preference = m.integer("preference", "preference", 1, 255, StaticRoute.DEFAULT_PREFERENCE);
        return new StaticRoute(m.path(), name, prefix, List.copyOf(nextHops),
            preference == null ? StaticRoute.DEFAULT_PREFERENCE : preference, m.name("backup", false),
            m.description("description"));
    }

    private VpnBackup vpn(final YamlMapping m)
    {
        final String name = m.name("name", true);
        final String vif = m.name("vif", false);
        String tunnel = m.string("tunnel");
        if (tunnel != null && !LINUX_INTERFACE.matcher(tunnel).matches())
        {
            diagnostics.error(m.pathOf("tunnel"), "interface name '" + tunnel +
                "' is invalid: Linux allows 1-15 characters without '/', ':' or spaces");
            tunnel = null;
        }
        if (!m.has("vif") && !m.has("tunnel"))
        {
            diagnostics.error(m.path(), "a VPN backup needs 'vif' (the VIF toward the VPN device) or 'tunnel' (a Linux tunnel interface)");
        }
        else if (m.has("vif") && m.has("tunnel"))
        {
            diagnostics.error(m.pathOf("tunnel"), "give 'vif' or 'tunnel', not both: the VPN path egresses one of them");
        }
        if (m.has("vif"))
        {
            m.require("next-hop");
        }
        m.require("prefixes");
        return new VpnBackup(m.path(), name, vif, tunnel, m.address("next-hop"), m.cidrs("prefixes"), m.description("description"));
    }

    private String mac(final YamlMapping m, final String key)
    {
        final String text = m.string(key);
        if (text == null)
        {
            return null;
        }
        if (!MAC.matcher(text).matches())
        {
            diagnostics.error(m.pathOf(key), "MAC address '" + text + "' is invalid: write six hex bytes such as 02:00:00:00:01:01");
            return null;
        }
        if ((Integer.parseInt(text.substring(0, 2), 16) & 1) != 0)
        {
            diagnostics.error(m.pathOf(key), "MAC address " + text + " is a multicast address: an interface needs a unicast one");
            return null;
        }
        if (text.replace(":", "").chars().allMatch(c -> c == '0'))
        {
            diagnostics.error(m.pathOf(key), "MAC address " + text + " is all zeros");
            return null;
        }
        return text.toLowerCase(Locale.ROOT);
    }
}
