package org.vbgw.perf.fib;

import org.vbgw.agent.cli.RouteList;
import org.vbgw.fib.IpPrefix;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A deterministic synthetic IPv4 table with the prefix-length mix of a full BGP table: mostly /24
 * (56 %), many /16–/23 (40 %), a few /8–/15 (0.4 %), and some /25–/32 (3 %) that a DFZ filters but
 * an enterprise border gateway carries. Prefixes are placed at random in 1.0.0.0–223.255.255.255,
 * so unlike the Internet set (whose ranges are disjoint) many are nested, which is what
 * longest-prefix match exists for. Next hops are random in 0–63.
 * <p>
 * The same count and seed always give the same routes in the same order.
 * Usage: {@code SyntheticRouteTable COUNT SEED OUT_FILE} writes it as a route file.
 */
public final class SyntheticRouteTable
{
    /** The seed the benchmarks use. */
    public static final long DEFAULT_SEED = 20261122L;

    /**
     * Prefixes per 100,000 of each length /0–/32, after the 2024 DFZ (about 950 k routes) for
     * /8–/24; the DFZ has no /25–/32, so their 3 % is an assumption.
     */
    private static final int[] PER_100K = {
        0, 0, 0, 0, 0, 0, 0, 0,
        2, 2, 4, 10, 30, 60, 115, 200,                        // /8–/15: 423
        1400, 850, 1450, 2700, 4600, 5200, 13500, 10500,      // /16–/23: 40,200
        56377,                                                // /24
        700, 600, 500, 400, 350, 250, 100, 100,               // /25–/32: 3,000
    };

    private static final long FIRST_UNICAST = 0x0100_0000L;  // 1.0.0.0
    private static final long END_UNICAST = 0xE000_0000L;    // 224.0.0.0, where multicast starts

    private SyntheticRouteTable()
    {
    }

    /** {@code count} distinct IPv4 routes drawn with {@code seed}. */
    public static RouteList generate(final int count, final long seed)
    {
        final int[] cumulative = new int[PER_100K.length];
        int sum = 0;
        for (int len = 0; len < PER_100K.length; len++)
        {
            sum += PER_100K[len];
            cumulative[len] = sum;
        }
        if (sum != 100_000)
        {
            throw new IllegalStateException("length mix sums to " + sum + ", not 100000");
        }

        final SplittableRandom random = new SplittableRandom(seed);
        final Set<Long> seen = new HashSet<>(count * 2);
        final RouteList routes = new RouteList();
        while (routes.ipv4Count() < count)
        {
            final int pick = random.nextInt(100_000);
            int length = 0;
            while (cumulative[length] <= pick)
            {
                length++;
            }
            final int prefix = (int)random.nextLong(FIRST_UNICAST, END_UNICAST) & IpPrefix.mask32(length);
            if (seen.add(((prefix & 0xFFFF_FFFFL) << 6) | length))
            {
                routes.addIpv4(prefix, length, random.nextInt(PrefixSetConverter.NEXT_HOPS));
            }
        }
        return routes;
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length != 3)
        {
            System.err.println("usage: SyntheticRouteTable COUNT SEED OUT_FILE");
            System.exit(2);
        }
        final int count = Integer.parseInt(args[0]);
        final long seed = Long.parseLong(args[1]);
        final RouteList routes = generate(count, seed);
        try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[2]), StandardCharsets.UTF_8))
        {
            out.write("# synthetic IPv4 table: " + count + " prefixes, seed " + seed + "\n");
            for (int i = 0; i < routes.ipv4Count(); i++)
            {
                out.write(IpPrefix.formatIpv4(routes.ipv4Prefixes()[i]) + "/" + routes.ipv4Lengths()[i] + " " +
                    routes.ipv4Values()[i] + "\n");
            }
        }
        System.out.println(args[2] + ": " + count + " prefixes");
    }
}
