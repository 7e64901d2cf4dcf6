package org.vbgw.agent.frr;

import org.vbgw.io.lab.Netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The customer's ends of the lab's connections, seen and cut with nftables in the customer namespace: a counter
 * per connection of the ICMP echo requests that arrive on it for the customer's prefixes (which VIF the gateway
 * forwarded them to), and a set of connections that are cut, silently, in both directions (everything arriving on
 * them dropped before routing, everything leaving dropped after it), as a fibre cut between two sites would be:
 * the ports stay up, and only BGP's hold timer notices.
 * <p>
 * The table lives in the lab's customer namespace and goes with it.
 */
final class CustomerLinks
{
    private static final String TABLE = "vbgwlinks";
    private static final Pattern PACKETS = Pattern.compile("packets (\\d+)");

    private final Netns ns;
    private final List<String> interfaces;

    /** Installs the table for the connections {@code interfaces}, in path order (connection 1, 2, ...). */
    CustomerLinks(final Netns ns, final List<String> interfaces, final Path dir) throws IOException
    {
        this.ns = ns;
        this.interfaces = List.copyOf(interfaces);
        final StringBuilder rules = new StringBuilder("table inet " + TABLE + " {\n");
        for (int i = 0; i < interfaces.size(); i++)
        {
            rules.append("  counter echo").append(i + 1).append(" { }\n");
        }
        rules.append("  set cut { type ifname; }\n")
            .append("  chain in { type filter hook prerouting priority raw; policy accept;\n");
        for (int i = 0; i < interfaces.size(); i++)
        {
            rules.append("    iifname \"").append(interfaces.get(i))
                .append("\" ip daddr 172.16.0.0/15 icmp type echo-request counter name \"echo").append(i + 1).append("\"\n");
        }
        rules.append("    iifname @cut drop\n  }\n")
            .append("  chain out { type filter hook postrouting priority 0; policy accept;\n    oifname @cut drop\n  }\n}\n");
        final Path file = dir.resolve("customer-links.nft");
        Files.writeString(file, rules.toString());
        ns.exec("nft", "-f", file.toString());
    }

    /** Echo requests for the customer's prefixes that have arrived on each connection so far, in path order. */
    long[] echoRequests()
    {
        final long[] counts = new long[interfaces.size()];
        for (int i = 0; i < counts.length; i++)
        {
            final String out = ns.exec("nft", "list", "counter", "inet", TABLE, "echo" + (i + 1));
            final Matcher m = PACKETS.matcher(out);
            if (!m.find())
            {
                throw new IllegalStateException("no packet count in: " + out);
            }
            counts[i] = Long.parseLong(m.group(1));
        }
        return counts;
    }

    /** Cuts connection {@code path} (1-based) in both directions. */
    void cut(final int path)
    {
        ns.exec("nft", "add", "element", "inet", TABLE, "cut", "{ \"" + interfaces.get(path - 1) + "\" }");
    }

    /** Mends connection {@code path} (1-based). */
    void mend(final int path)
    {
        ns.exec("nft", "delete", "element", "inet", TABLE, "cut", "{ \"" + interfaces.get(path - 1) + "\" }");
    }
}
