package org.vbgw.perf.fib;

import org.vbgw.agent.cli.RouteFile;
import org.vbgw.agent.cli.RouteList;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a benchmark's routes come from, as named by its {@code routes} parameter: a route file path,
 * or {@code synthetic-N} ({@code N} like {@code 1m}, {@code 250k}, {@code 5000}) for
 * {@link SyntheticRouteTable} with its default seed. Relative paths resolve against the directory
 * the benchmark was started from (JMH forks inherit it): run from the repository root.
 */
public final class RouteSource
{
    /** The Internet-size IPv4 set that {@code perf/scripts/fetch-prefixes.sh} writes. */
    public static final String IPV4_INTERNET = "perf/data/ipv4-internet.routes";
    /** The Internet-size IPv6 set that {@code perf/scripts/fetch-prefixes.sh} writes. */
    public static final String IPV6_INTERNET = "perf/data/ipv6-internet.routes";
    /** The synthetic one-million-prefix IPv4 table. */
    public static final String SYNTHETIC_1M = "synthetic-1m";

    private static final String SYNTHETIC = "synthetic-";

    private RouteSource()
    {
    }

    /** Loads the routes {@code spec} names; fails with what to run when the file is missing. */
    public static RouteList load(final String spec)
    {
        if (spec.startsWith(SYNTHETIC))
        {
            return SyntheticRouteTable.generate(count(spec.substring(SYNTHETIC.length())), SyntheticRouteTable.DEFAULT_SEED);
        }
        final Path file = Path.of(spec);
        if (!Files.isRegularFile(file))
        {
            throw new IllegalStateException("route file " + file.toAbsolutePath() + " not found: run " +
                "perf/scripts/fetch-prefixes.sh from the repository root first (or pass -p routes=FILE)");
        }
        try
        {
            return RouteFile.read(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("reading " + file, ex);
        }
    }

    private static int count(final String text)
    {
        final String s = text.toLowerCase();
        if (s.endsWith("m"))
        {
            return Integer.parseInt(s.substring(0, s.length() - 1)) * 1_000_000;
        }
        if (s.endsWith("k"))
        {
            return Integer.parseInt(s.substring(0, s.length() - 1)) * 1_000;
        }
        return Integer.parseInt(s);
    }
}
