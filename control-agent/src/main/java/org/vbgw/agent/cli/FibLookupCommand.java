package org.vbgw.agent.cli;

import org.vbgw.fib.IpPrefix;
import org.vbgw.fib.Ipv4Table;
import org.vbgw.fib.Ipv6Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code vbgw fib lookup --routes FILE --queries FILE [--json]}: where does each address go?
 * One output line per query: the address, the longest matching prefix and its next hop id, or
 * {@code none}. With {@code --json}, one JSON object per line.
 */
@Command(name = "lookup", mixinStandardHelpOptions = true,
    description = "Longest-prefix match each query address against a route file.")
public final class FibLookupCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--routes", required = true, description = "PREFIX NEXTHOP_ID per line, '#' comments.")
    Path routesFile;

    @Option(names = "--queries", required = true, description = "One IPv4 or IPv6 address per line.")
    Path queriesFile;

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Override
    public Integer call() throws Exception
    {
        final RouteFile routes = RouteFile.load(routesFile);
        final PrintWriter out = spec.commandLine().getOut();
        int bad = 0;
        try (BufferedReader reader = Files.newBufferedReader(queriesFile, StandardCharsets.UTF_8))
        {
            String line;
            int lineNo = 0;
            while ((line = reader.readLine()) != null)
            {
                lineNo++;
                final int hash = line.indexOf('#');
                final String text = (hash >= 0 ? line.substring(0, hash) : line).trim();
                if (text.isEmpty())
                {
                    continue;
                }
                final IpPrefix host;
                try
                {
                    host = IpPrefix.parse(text);
                    if (host.length() != (host.ipv6() ? 128 : 32))
                    {
                        throw new IllegalArgumentException("a query is an address, not a prefix: '" + text + "'");
                    }
                }
                catch (final IllegalArgumentException ex)
                {
                    spec.commandLine().getErr().println(queriesFile + ":" + lineNo + ": " + ex.getMessage());
                    bad++;
                    continue;
                }
                print(out, text, host, routes);
            }
        }
        out.flush();
        return bad == 0 ? 0 : 1;
    }

    private void print(final PrintWriter out, final String text, final IpPrefix host, final RouteFile routes)
    {
        final int nextHop;
        final IpPrefix match;
        if (host.ipv6())
        {
            final Ipv6Table t = routes.ipv6();
            nextHop = t.lookup(host.hi(), host.lo());
            final int len = t.matchLength(host.hi(), host.lo());
            match = len < 0 ? null : IpPrefix.ipv6(host.hi() & IpPrefix.mask128Hi(len), host.lo() & IpPrefix.mask128Lo(len), len);
        }
        else
        {
            final Ipv4Table t = routes.ipv4();
            nextHop = t.lookup(host.ipv4Address());
            final int len = t.matchLength(host.ipv4Address());
            match = len < 0 ? null : IpPrefix.ipv4(host.ipv4Address() & IpPrefix.mask32(len), len);
        }
        if (json)
        {
            out.println(match == null
                ? "{\"address\":\"" + text + "\",\"prefix\":null,\"nexthop\":null}"
                : "{\"address\":\"" + text + "\",\"prefix\":\"" + match + "\",\"nexthop\":" + nextHop + "}");
        }
        else
        {
            out.println(match == null ? text + " none" : text + " " + match + " " + nextHop);
        }
    }
}
