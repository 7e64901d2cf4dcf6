package org.vbgw.agent.cli;

import org.vbgw.fib.IpPrefix;
import org.vbgw.fib.Ipv4Table;
import org.vbgw.fib.Ipv6Table;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A route file: {@code PREFIX NEXTHOP_ID} per line, IPv4 and IPv6 mixed, {@code #} starts a comment.
 * Loads into an {@link Ipv4Table} and an {@link Ipv6Table}; every bad line is reported at once with
 * its line number, and nothing is loaded when any line is bad. {@link #read(Path)} parses only, into
 * a {@link RouteList}, for callers that bulk-load or build other structures from the same routes.
 */
public final class RouteFile
{
    private final Ipv4Table ipv4 = new Ipv4Table();
    private final Ipv6Table ipv6 = new Ipv6Table();

    /** Parses {@code file} and adds its routes one by one, so a later duplicate replaces an earlier one. */
    public static RouteFile load(final Path file) throws IOException
    {
        final RouteList list = read(file);
        final RouteFile routes = new RouteFile();
        for (int i = 0; i < list.ipv4Count(); i++)
        {
            routes.ipv4.put(list.ipv4Prefixes()[i], list.ipv4Lengths()[i], list.ipv4Values()[i]);
        }
        for (int i = 0; i < list.ipv6Count(); i++)
        {
            routes.ipv6.put(list.ipv6His()[i], list.ipv6Los()[i], list.ipv6Lengths()[i], list.ipv6Values()[i]);
        }
        return routes;
    }

    /**
     * Parses {@code file} without loading any table.
     *
     * @throws IllegalArgumentException listing every bad line with its number.
     */
    public static RouteList read(final Path file) throws IOException
    {
        final List<String> errors = new ArrayList<>();
        final RouteList list = new RouteList();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            String line;
            int lineNo = 0;
            while ((line = reader.readLine()) != null)
            {
                lineNo++;
                final int hash = line.indexOf('#');
                final String body = (hash >= 0 ? line.substring(0, hash) : line).trim();
                if (body.isEmpty())
                {
                    continue;
                }
                final String[] fields = body.split("\\s+");
                if (fields.length != 2)
                {
                    errors.add(file + ":" + lineNo + ": expected 'PREFIX NEXTHOP_ID', got '" + body + "'");
                    continue;
                }
                try
                {
                    final IpPrefix prefix = IpPrefix.parse(fields[0]);
                    final int nextHop = Integer.parseInt(fields[1]);
                    if (nextHop < 0)
                    {
                        throw new IllegalArgumentException("next hop id must be >= 0: " + fields[1]);
                    }
                    list.add(prefix, nextHop);
                }
                catch (final NumberFormatException ex)
                {
                    errors.add(file + ":" + lineNo + ": next hop id is not a number: '" + fields[1] + "'");
                }
                catch (final IllegalArgumentException ex)
                {
                    errors.add(file + ":" + lineNo + ": " + ex.getMessage());
                }
            }
        }
        if (!errors.isEmpty())
        {
            throw new IllegalArgumentException(errors.size() + " bad line(s) in " + file + ":\n  " +
                String.join("\n  ", errors));
        }
        return list;
    }

    public Ipv4Table ipv4()
    {
        return ipv4;
    }

    public Ipv6Table ipv6()
    {
        return ipv6;
    }
}
