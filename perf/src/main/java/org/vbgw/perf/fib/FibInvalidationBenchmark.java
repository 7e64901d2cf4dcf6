package org.vbgw.perf.fib;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.vbgw.fib.Fib;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Next-hop invalidation (prefix-independent convergence): the cost of killing one next hop, and of
 * reviving it, in a FIB of 10,000 or 1,000,000 IPv4 routes over 64 next hops in 8 groups of 8.
 * <p>
 * The claim under test is that the cost depends on the groups that hold the next hop, not on the routes:
 * the two route counts must give the same time. Each operation is one kill plus one revive, so the FIB ends
 * every operation as it started.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FibInvalidationBenchmark
{
    private static final int NEXT_HOPS = 64;
    private static final int GROUPS = 8;

    @Param({"10000", "1000000"})
    public int routes;

    private Fib fib;
    private int victim;

    @Setup(Level.Trial)
    public void setUp()
    {
        fib = new Fib();
        for (int nh = 0; nh < NEXT_HOPS; nh++)
        {
            fib.addNextHop(nh, nh % 4, false, 0, 0x0A000000L + nh);
        }
        for (int g = 0; g < GROUPS; g++)
        {
            final int[] members = new int[NEXT_HOPS / GROUPS];
            final int[] weights = new int[members.length];
            for (int m = 0; m < members.length; m++)
            {
                members[m] = g * members.length + m;
                weights[m] = 1;
            }
            fib.addGroup(g, members, weights, Fib.NO_GROUP);
        }
        // Distinct /24s (and some /16–/23) spread over the space, round-robin over the groups.
        final int[] prefixes = new int[routes];
        final int[] lengths = new int[routes];
        final int[] groups = new int[routes];
        final SplittableRandom random = new SplittableRandom(42);
        final java.util.HashSet<Long> seen = new java.util.HashSet<>();
        int n = 0;
        while (n < routes)
        {
            final int length = random.nextInt(10) == 0 ? 16 + random.nextInt(8) : 24;
            final int prefix = random.nextInt() & (-1 << (32 - length));
            if (seen.add(((long)prefix << 6) | length))
            {
                prefixes[n] = prefix;
                lengths[n] = length;
                groups[n] = n % GROUPS;
                n++;
            }
        }
        fib.loadIpv4Routes(prefixes, lengths, groups, routes);
        victim = 3;
    }

    @Benchmark
    public int killAndReviveOneNextHop()
    {
        fib.setNextHopAlive(victim, false);
        final int rewritten = fib.groupsRewrittenByLastInvalidation();
        fib.setNextHopAlive(victim, true);
        return rewritten + fib.groupsRewrittenByLastInvalidation();
    }
}
