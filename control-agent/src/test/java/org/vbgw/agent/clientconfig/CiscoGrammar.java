package org.vbgw.agent.clientconfig;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A checker of the IOS XE configuration-mode statements {@code client-config --vendor cisco} may write: every
 * line must be one of the documented statement forms of the mode it is in (global, interface, route-map,
 * router bgp, address family), with values in their documented ranges, and every name it references must be
 * defined. There is no IOS XE to run here; this is the documented syntax, written down.
 * <p>
 * Checked against:
 * <ul>
 *   <li>Cisco IOS IP Routing: BGP Command Reference
 *       (https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/iproute_bgp/command/irg-cr-book.html):
 *       {@code router bgp}, {@code bgp router-id}, {@code bgp log-neighbor-changes},
 *       {@code no bgp default ipv4-unicast}, {@code neighbor remote-as}, {@code neighbor description} (up to 80
 *       characters), {@code neighbor password} (case-sensitive, up to 25 characters), {@code neighbor timers
 *       keepalive holdtime} (0-65535, hold time 0 or at least 3), {@code neighbor fall-over bfd},
 *       {@code address-family ipv4|ipv6}, {@code network ... mask ...}, {@code neighbor activate},
 *       {@code neighbor route-map ... in|out}, {@code exit-address-family}, {@code set as-path prepend}.</li>
 *   <li>Cisco IOS IP Routing: Protocol-Independent Command Reference
 *       (https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/iproute_pi/command/iri-cr-book.html):
 *       {@code ip route prefix mask {ip-address | interface} [distance]} (a floating static: an address, then a
 *       distance), {@code ipv6 route},
 *       {@code ip prefix-list name seq n {permit|deny} network/length [ge n] [le n]}, {@code route-map},
 *       {@code match ip address prefix-list}, {@code match ipv6 address prefix-list}.</li>
 *   <li>IP Routing: BFD Configuration Guide, Cisco IOS XE 17, "Bidirectional Forwarding Detection"
 *       (https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/iproute_bfd/configuration/xe-17/irb-xe-17-book.html):
 *       interface {@code bfd interval 50-9999 min_rx 50-9999 multiplier 3-50}.</li>
 *   <li>LAN Switching Configuration Guide, Cisco IOS XE 17, "Configuring Routing Between VLANs with IEEE 802.1Q
 *       Encapsulation" and "IEEE 802.1Q-in-Q VLAN Tag Termination"
 *       (https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/lanswitch/configuration/xe-17/lanswitch-xe-17-book.html):
 *       {@code encapsulation dot1Q vlan-id [second-dot1q vlan-id]} on a sub-interface,
 *       {@code dot1q tunneling ethertype 0x88A8|0x9100|0x9200} on the main interface.</li>
 *   <li>IPv6 Addressing and Basic Connectivity: {@code ipv6 unicast-routing}, {@code ipv6 address X/len}.</li>
 * </ul>
 */
final class CiscoGrammar
{
    private static final String V4 = "(\\d{1,3}(?:\\.\\d{1,3}){3})";
    private static final String V6 = "([0-9a-fA-F:]*:[0-9a-fA-F:.]*)";
    private static final String NAME = "([A-Za-z][A-Za-z0-9_.-]{0,62})";
    private static final String IFNAME = "([A-Za-z][A-Za-z-]*\\d+(?:/\\d+)*)(?:\\.(\\d+))?";
    private static final String ASN = "(\\d{1,10})";

    private enum Mode { GLOBAL, INTERFACE, ROUTE_MAP, BGP, ADDRESS_FAMILY }

    private final List<String> violations = new ArrayList<>();
    private final Set<String> routeMaps = new HashSet<>();
    private final Set<String> prefixLists = new HashSet<>();
    private final Set<String> routeMapRefs = new HashSet<>();
    private final Set<String> prefixListRefs = new HashSet<>();
    private final Set<String> neighbours = new HashSet<>();
    private Mode mode = Mode.GLOBAL;
    private String subInterface;
    private boolean encapsulated;
    private int lineNo;

    private CiscoGrammar()
    {
    }

    /** Every violation of the documented forms, as {@code line N: text: why}; empty when the config is fine. */
    static List<String> violations(final String config)
    {
        final CiscoGrammar g = new CiscoGrammar();
        final String[] lines = config.split("\n", -1);
        for (int i = 0; i < lines.length; i++)
        {
            g.lineNo = i + 1;
            if (i == lines.length - 1 && lines[i].isEmpty())
            {
                break;
            }
            g.line(lines[i], i == lines.length - 2);
        }
        g.endOfInterface();
        for (final String ref : g.routeMapRefs)
        {
            if (!g.routeMaps.contains(ref))
            {
                g.violations.add("route-map " + ref + " is used but never defined");
            }
        }
        for (final String ref : g.prefixListRefs)
        {
            if (!g.prefixLists.contains(ref))
            {
                g.violations.add("prefix-list " + ref + " is matched but never defined");
            }
        }
        return g.violations;
    }

    private void line(final String line, final boolean last)
    {
        if (line.isBlank())
        {
            bad(line, "blank lines are not part of a pasted configuration");
            return;
        }
        if (line.stripLeading().startsWith("!"))
        {
            return;
        }
        final int indent = line.length() - line.stripLeading().length();
        final String s = line.strip();
        if (indent == 0)
        {
            endOfInterface();
            global(s, line, last);
        }
        else if (indent == 1 && mode == Mode.INTERFACE)
        {
            iface(s, line);
        }
        else if (indent == 1 && mode == Mode.ROUTE_MAP)
        {
            routeMap(s, line);
        }
        else if (indent == 1 && mode == Mode.ADDRESS_FAMILY && s.equals("exit-address-family"))
        {
            mode = Mode.BGP;
        }
        else if (indent == 1 && mode == Mode.BGP)
        {
            bgp(s, line);
        }
        else if (indent == 2 && mode == Mode.ADDRESS_FAMILY)
        {
            addressFamily(s, line);
        }
        else
        {
            bad(line, "indentation does not match any configuration mode (in " + mode + ")");
        }
    }

    private void global(final String s, final String line, final boolean last)
    {
        Matcher m;
        mode = Mode.GLOBAL;
        if (s.equals("end"))
        {
            if (!last)
            {
                bad(line, "end leaves configuration mode: only as the last line");
            }
        }
        else if (s.equals("ipv6 unicast-routing"))
        {
            return;
        }
        else if ((m = match("interface " + IFNAME, s)) != null)
        {
            mode = Mode.INTERFACE;
            subInterface = m.group(2) != null ? s : null;
            encapsulated = false;
            if (m.group(2) != null && !range(m.group(2), 1, 4294967293L))
            {
                bad(line, "sub-interface number out of range 1..4294967293");
            }
        }
        else if ((m = match("ip route " + V4 + " " + V4 + " (?:Null0 (\\d+)|" + V4 + "(?: (\\d+))?)", s)) != null)
        {
            prefix(line, m.group(1), maskLength(line, m.group(2)), false);
            if (m.group(3) != null && !range(m.group(3), 1, 255))
            {
                bad(line, "administrative distance out of 1..255");
            }
            if (m.group(4) != null)
            {
                address(line, m.group(4), false);
            }
            if (m.group(5) != null && !range(m.group(5), 1, 255))
            {
                bad(line, "administrative distance out of 1..255");
            }
        }
        else if ((m = match("ipv6 route " + V6 + "/(\\d+) (?:Null0 (\\d+)|" + V6 + "(?: (\\d+))?)", s)) != null)
        {
            prefix(line, m.group(1), Integer.parseInt(m.group(2)), true);
            if (m.group(3) != null && !range(m.group(3), 1, 254))
            {
                bad(line, "IPv6 static route distance out of 1..254");
            }
            if (m.group(4) != null)
            {
                address(line, m.group(4), true);
            }
            if (m.group(5) != null && !range(m.group(5), 1, 254))
            {
                bad(line, "IPv6 static route distance out of 1..254");
            }
        }
        else if ((m = match("(ip|ipv6) prefix-list " + NAME + " seq (\\d+) (permit|deny) ([0-9a-fA-F:.]+)/(\\d+)" +
            "(?: ge (\\d+))?(?: le (\\d+))?", s)) != null)
        {
            final boolean v6 = m.group(1).equals("ipv6");
            final int len = Integer.parseInt(m.group(6));
            prefix(line, m.group(5), len, v6);
            final int max = v6 ? 128 : 32;
            final int ge = m.group(7) != null ? Integer.parseInt(m.group(7)) : len;
            final int le = m.group(8) != null ? Integer.parseInt(m.group(8)) : ge;
            if (!(len <= ge && ge <= le && le <= max))
            {
                bad(line, "prefix-list needs length <= ge <= le <= " + max);
            }
            if (!range(m.group(3), 1, 4294967294L))
            {
                bad(line, "sequence number out of range");
            }
            prefixLists.add(m.group(1) + " " + m.group(2));
        }
        else if ((m = match("route-map " + NAME + " (permit|deny) (\\d+)", s)) != null)
        {
            mode = Mode.ROUTE_MAP;
            routeMaps.add(m.group(1));
            if (!range(m.group(3), 0, 65535))
            {
                bad(line, "route-map sequence out of 0..65535");
            }
        }
        else if ((m = match("router bgp " + ASN, s)) != null)
        {
            mode = Mode.BGP;
            asn(line, m.group(1));
        }
        else
        {
            bad(line, "not a documented global configuration statement");
        }
    }

    private void iface(final String s, final String line)
    {
        Matcher m;
        if ((m = match("description (.{1,240})", s)) != null)
        {
            return;
        }
        else if ((m = match("encapsulation dot1Q (\\d+)(?: second-dot1q (\\d+))?", s)) != null)
        {
            if (subInterface == null)
            {
                bad(line, "encapsulation dot1Q belongs on a sub-interface");
            }
            encapsulated = true;
            if (!range(m.group(1), 1, 4094) || m.group(2) != null && !range(m.group(2), 1, 4094))
            {
                bad(line, "VLAN id out of 1..4094");
            }
        }
        else if (match("dot1q tunneling ethertype (0x88A8|0x9100|0x9200)", s) != null)
        {
            if (subInterface != null)
            {
                bad(line, "dot1q tunneling ethertype belongs on the main interface");
            }
        }
        else if ((m = match("ip address " + V4 + " " + V4, s)) != null)
        {
            final int len = maskLength(line, m.group(2));
            address(line, m.group(1), false);
            if (len < 31 && len >= 0)
            {
                final long a = v4(m.group(1));
                final long host = a & ((1L << (32 - len)) - 1);
                if (host == 0 || host == (1L << (32 - len)) - 1)
                {
                    bad(line, "the network or broadcast address is not a host address on a /" + len);
                }
            }
        }
        else if ((m = match("ipv6 address " + V6 + "/(\\d+)", s)) != null)
        {
            address(line, m.group(1), true);
            if (!range(m.group(2), 1, 128))
            {
                bad(line, "IPv6 prefix length out of 1..128");
            }
        }
        else if ((m = match("bfd interval (\\d+) min_rx (\\d+) multiplier (\\d+)", s)) != null)
        {
            if (!range(m.group(1), 50, 9999) || !range(m.group(2), 50, 9999) || !range(m.group(3), 3, 50))
            {
                bad(line, "bfd interval/min_rx 50..9999 ms, multiplier 3..50");
            }
        }
        else if (!s.equals("no shutdown"))
        {
            bad(line, "not a documented interface configuration statement");
        }
    }

    private void routeMap(final String s, final String line)
    {
        Matcher m;
        if ((m = match("match (ip|ipv6) address prefix-list " + NAME, s)) != null)
        {
            prefixListRefs.add(m.group(1) + " " + m.group(2));
        }
        else if ((m = match("set as-path prepend (" + ASN + "(?: " + ASN + ")*)", s)) != null)
        {
            for (final String asn : m.group(1).split(" "))
            {
                asn(line, asn);
            }
        }
        else
        {
            bad(line, "not a documented route-map statement");
        }
    }

    private void bgp(final String s, final String line)
    {
        Matcher m;
        if ((m = match("bgp router-id " + V4, s)) != null)
        {
            address(line, m.group(1), false);
        }
        else if (s.equals("bgp log-neighbor-changes") || s.equals("no bgp default ipv4-unicast"))
        {
            return;
        }
        else if ((m = match("neighbor (\\S+) remote-as " + ASN, s)) != null)
        {
            neighbourAddress(line, m.group(1));
            asn(line, m.group(2));
            neighbours.add(m.group(1));
        }
        else if ((m = match("neighbor (\\S+) (description|password|timers|fall-over) ?(.*)", s)) != null)
        {
            if (!neighbours.contains(m.group(1)))
            {
                bad(line, "neighbor " + m.group(1) + " needs remote-as first");
            }
            final String arg = m.group(3);
            switch (m.group(2))
            {
                case "description" -> check(line, arg.length() >= 1 && arg.length() <= 80, "description of 1..80 characters");
                case "password" -> check(line, arg.matches("[^\\s?]{1,25}") && !arg.matches("\\d\\s.*"),
                    "password of 1..25 characters, no spaces or '?'");
                case "timers" ->
                {
                    final Matcher t = match("(\\d+) (\\d+)", arg);
                    check(line, t != null && range(t.group(1), 0, 65535) && range(t.group(2), 0, 65535) &&
                        (Integer.parseInt(t.group(2)) == 0 || Integer.parseInt(t.group(2)) >= 3),
                        "timers KEEPALIVE HOLDTIME, 0..65535, hold time 0 or >= 3");
                }
                default -> check(line, arg.equals("bfd"), "fall-over bfd");
            }
        }
        else if ((m = match("address-family (ipv4|ipv6)(?: unicast)?", s)) != null)
        {
            mode = Mode.ADDRESS_FAMILY;
        }
        else if (s.equals("exit-address-family"))
        {
            bad(line, "exit-address-family outside an address family");
        }
        else
        {
            bad(line, "not a documented router bgp statement");
        }
    }

    private void addressFamily(final String s, final String line)
    {
        Matcher m;
        if ((m = match("network " + V4 + " mask " + V4, s)) != null)
        {
            prefix(line, m.group(1), maskLength(line, m.group(2)), false);
        }
        else if ((m = match("network " + V6 + "/(\\d+)", s)) != null)
        {
            prefix(line, m.group(1), Integer.parseInt(m.group(2)), true);
        }
        else if ((m = match("neighbor (\\S+) activate", s)) != null)
        {
            check(line, neighbours.contains(m.group(1)), "activate a neighbor that has remote-as");
        }
        else if ((m = match("neighbor (\\S+) route-map " + NAME + " (in|out)", s)) != null)
        {
            check(line, neighbours.contains(m.group(1)), "route-map on a neighbor that has remote-as");
            routeMapRefs.add(m.group(2));
        }
        else
        {
            bad(line, "not a documented address-family statement");
        }
    }

    private void endOfInterface()
    {
        if (mode == Mode.INTERFACE && subInterface != null && !encapsulated)
        {
            violations.add("line " + lineNo + ": " + subInterface + " has no encapsulation dot1Q");
        }
        subInterface = null;
    }

    private int maskLength(final String line, final String mask)
    {
        final long m = v4(mask);
        final int len = Long.bitCount(m);
        if (m != ((0xFFFF_FFFFL << (32 - len)) & 0xFFFF_FFFFL))
        {
            bad(line, "mask " + mask + " is not contiguous");
        }
        return len;
    }

    private void prefix(final String line, final String address, final int length, final boolean v6)
    {
        final byte[] bytes = bytes(line, address, v6);
        if (bytes == null)
        {
            return;
        }
        if (length < 0 || length > bytes.length * 8)
        {
            bad(line, "prefix length " + length + " out of range");
            return;
        }
        for (int bit = length; bit < bytes.length * 8; bit++)
        {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                bad(line, address + "/" + length + " has host bits set");
                return;
            }
        }
    }

    private void address(final String line, final String address, final boolean v6)
    {
        bytes(line, address, v6);
    }

    private void neighbourAddress(final String line, final String address)
    {
        bytes(line, address, address.indexOf(':') >= 0);
    }

    private byte[] bytes(final String line, final String address, final boolean v6)
    {
        if (!v6 && !address.matches(V4))
        {
            bad(line, address + " is not an IPv4 address");
            return null;
        }
        if (!v6)
        {
            for (final String octet : address.split("\\."))
            {
                if (Integer.parseInt(octet) > 255)
                {
                    bad(line, address + " is not an IPv4 address");
                    return null;
                }
            }
        }
        try
        {
            final byte[] b = InetAddress.getByName(address).getAddress();
            if (b.length != (v6 ? 16 : 4))
            {
                bad(line, address + " is not an IPv" + (v6 ? 6 : 4) + " address");
                return null;
            }
            return b;
        }
        catch (final UnknownHostException ex)
        {
            bad(line, address + " is not an address");
            return null;
        }
    }

    private void asn(final String line, final String asn)
    {
        check(line, range(asn, 1, 4294967295L), "ASN out of 1..4294967295 (asplain)");
    }

    private static long v4(final String address)
    {
        long v = 0;
        for (final String octet : address.split("\\."))
        {
            v = v << 8 | Integer.parseInt(octet);
        }
        return v;
    }

    private static boolean range(final String number, final long min, final long max)
    {
        try
        {
            final long v = Long.parseLong(number);
            return v >= min && v <= max;
        }
        catch (final NumberFormatException ex)
        {
            return false;
        }
    }

    private static Matcher match(final String regex, final String s)
    {
        final Matcher m = Pattern.compile(regex).matcher(s);
        return m.matches() ? m : null;
    }

    private void check(final String line, final boolean ok, final String rule)
    {
        if (!ok)
        {
            bad(line, rule);
        }
    }

    private void bad(final String line, final String why)
    {
        violations.add("line " + lineNo + ": '" + line + "': " + why);
    }
}
