package org.vbgw.fib;

import java.util.SplittableRandom;

/**
 * Hand-run self-measurement (not a test): single-thread IPv4 lookups/s of {@link Ipv4Table} on a
 * 1M-prefix synthetic Internet-like table against a plain DIR-24-8 on int[] ({@link Dir248}), plus
 * bulk-load time, memory, update rate, and IPv6 lookups/s on a 200k-prefix table.
 * <pre>
 * mvn -q -pl fib test-compile
 * java -cp fib/target/classes:fib/target/test-classes org.vbgw.fib.LpmSpeed [prefixes]
 * </pre>
 * The real benchmarks are the JMH ones in {@code perf}.
 */
public final class LpmSpeed
{
    private LpmSpeed()
    {
    }

    /** The plain baseline: 2^24 first-level ints plus 256-entry second-level blocks. */
    static final class Dir248
    {
        final int[] tbl24 = new int[1 << 24];
        int[] tbl8 = new int[256 * 1024];
        int blocks;

        Dir248(final int[] prefixes, final int[] lengths, final int[] values, final int n)
        {
            java.util.Arrays.fill(tbl24, -1);
            // Shorter first so longer ones overwrite; /25+ go to second-level blocks.
            final int[][] byLen = new int[33][];
            final int[] count = new int[33];
            for (int i = 0; i < n; i++)
            {
                count[lengths[i]]++;
            }
            for (int l = 0; l <= 32; l++)
            {
                byLen[l] = new int[count[l]];
                count[l] = 0;
            }
            for (int i = 0; i < n; i++)
            {
                byLen[lengths[i]][count[lengths[i]]++] = i;
            }
            for (int l = 0; l <= 32; l++)
            {
                for (final int i : byLen[l])
                {
                    if (l <= 24)
                    {
                        final int first = prefixes[i] >>> 8;
                        final int end = first + (1 << (24 - l));
                        for (int j = first; j < end; j++)
                        {
                            if (tbl24[j] < -1)
                            {
                                final int b = tbl24[j] & 0x7FFF_FFFF;
                                java.util.Arrays.fill(tbl8, b * 256, b * 256 + 256, values[i]);
                            }
                            else
                            {
                                tbl24[j] = values[i];
                            }
                        }
                    }
                    else
                    {
                        final int j = prefixes[i] >>> 8;
                        if (tbl24[j] >= -1)
                        {
                            if ((blocks + 1) * 256 > tbl8.length)
                            {
                                tbl8 = java.util.Arrays.copyOf(tbl8, tbl8.length * 2);
                            }
                            java.util.Arrays.fill(tbl8, blocks * 256, blocks * 256 + 256, tbl24[j]);
                            tbl24[j] = 0x8000_0000 | blocks++;
                        }
                        final int b = tbl24[j] & 0x7FFF_FFFF;
                        final int first = prefixes[i] & 0xFF;
                        java.util.Arrays.fill(tbl8, b * 256 + first, b * 256 + first + (1 << (32 - l)), values[i]);
                    }
                }
            }
        }

        int lookup(final int address)
        {
            final int e = tbl24[address >>> 8];
            return e >= -1 ? e : tbl8[((e & 0x7FFF_FFFF) << 8) | (address & 0xFF)];
        }
    }

    static long runPoptrie(final Ipv4Table t, final int[] addresses)
    {
        long sum = 0;
        for (final int a : addresses)
        {
            sum += t.lookup(a);
        }
        return sum;
    }

    static long runBatch(final Ipv4Table t, final int[] addresses, final int[] chunk, final int[] results)
    {
        long sum = 0;
        for (int i = 0; i < addresses.length; i += chunk.length)
        {
            System.arraycopy(addresses, i, chunk, 0, chunk.length);
            t.lookupBatch(chunk, results, chunk.length);
            for (final int r : results)
            {
                sum += r;
            }
        }
        return sum;
    }

    static long runDir(final Dir248 t, final int[] addresses)
    {
        long sum = 0;
        for (final int a : addresses)
        {
            sum += t.lookup(a);
        }
        return sum;
    }

    static long runV6(final Ipv6Table t, final long[] his, final long[] los)
    {
        long sum = 0;
        for (int i = 0; i < his.length; i++)
        {
            sum += t.lookup(his[i], los[i]);
        }
        return sum;
    }

    /**
     * An Internet-like table: prefixes come in allocation blocks (/12–/20 in 1.0.0.0–223.255.255.255),
     * each announced whole or not, plus more-specifics inside it (mostly /24, then /22, /23, /20, /21);
     * values are 64 next-hop groups, mostly shared within a block, as on a border router with a few
     * upstreams. Length mix comes out near the real one (~60% /24).
     */
    static void internetLike(final SplittableRandom rnd, final int[] prefixes, final int[] lengths, final int[] values,
                             final int n)
    {
        int i = 0;
        while (i < n)
        {
            final int blockLen = 12 + rnd.nextInt(9);
            final int block = (int)(0x0100_0000L + rnd.nextLong(0xDF00_0000L)) & IpPrefix.mask32(blockLen);
            final int hop = rnd.nextInt(64);
            if (rnd.nextInt(2) == 0)
            {
                prefixes[i] = block;
                lengths[i] = blockLen;
                values[i++] = hop;
            }
            final int more = 1 + rnd.nextInt(1 << Math.min(10, 24 - blockLen));
            for (int k = 0; k < more && i < n; k++)
            {
                final int p = rnd.nextInt(100);
                int len = p < 62 ? 24 : p < 75 ? 22 : p < 86 ? 23 : p < 91 ? 21 : p < 95 ? 20 : p < 97 ? 19 : 25 + rnd.nextInt(8);
                len = Math.max(len, blockLen + 1);
                prefixes[i] = (block | (rnd.nextInt() & ~IpPrefix.mask32(blockLen))) & IpPrefix.mask32(len);
                lengths[i] = len;
                values[i++] = rnd.nextInt(10) < 8 ? hop : rnd.nextInt(64);
            }
        }
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    static long cpu()
    {
        return THREADS.getCurrentThreadCpuTime();
    }

    public static void main(final String[] args)
    {
        final int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final boolean uniform = args.length > 1 && args[1].equals("uniform");
        final int addressCount = args.length > 2 ? Integer.parseInt(args[2]) : 1 << 22;
        final SplittableRandom rnd = new SplittableRandom(2026);
        final int[] prefixes = new int[n];
        final int[] lengths = new int[n];
        final int[] values = new int[n];
        if (uniform)
        {
            // Worst case for compression: independent uniform prefixes, 65536 distinct values.
            for (int i = 0; i < n; i++)
            {
                final int len = Ipv4TableTest.realisticLength(rnd);
                final int a = (int)(0x0100_0000L + rnd.nextLong(0xDF00_0000L));
                prefixes[i] = a & IpPrefix.mask32(len);
                lengths[i] = len;
                values[i] = rnd.nextInt(1 << 16);
            }
        }
        else
        {
            internetLike(rnd, prefixes, lengths, values, n);
        }
        final Ipv4Table table = new Ipv4Table();
        long best = Long.MAX_VALUE;
        for (int rep = 0; rep < 5; rep++)
        {
            final long t0 = System.nanoTime();
            table.bulkLoad(prefixes, lengths, values, n);
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf("IPv4 %,d prefixes (%,d distinct): bulk load best %.0f ms, memoryBytes %.1f MiB%n",
            n, table.size(), best / 1e6, table.memoryBytes() / 1048576.0);
        System.out.println("  " + table.usage() + ", shape " + java.util.Arrays.toString(table.shape()));
        final Dir248 dir = new Dir248(prefixes, lengths, values, n);

        // Addresses uniform over the covered space: uniform draws that match some route.
        final int[] addresses = new int[addressCount];
        for (int i = 0; i < addresses.length; )
        {
            final int a = rnd.nextInt();
            if (table.lookup(a) != Ipv4Table.NO_ROUTE)
            {
                addresses[i++] = a;
            }
        }
        for (int i = 0; i < 1_000_000; i++)
        {
            final int a = addresses[i];
            if (table.lookup(a) != dir.lookup(a))
            {
                throw new AssertionError("mismatch at " + IpPrefix.formatIpv4(a));
            }
        }
        double bestPop = 0;
        double bestDir = 0;
        final int rounds = 30;
        final double[] pops = new double[rounds];
        final double[] batches = new double[rounds];
        final int[] chunk = new int[256];
        final int[] results = new int[256];
        final double[] dirs = new double[rounds];
        for (int rep = 0; rep < rounds; rep++)
        {
            // Thread CPU time, not wall time: the machines are shared, so descheduled time is left out.
            final long t0 = cpu();
            final long s1 = runPoptrie(table, addresses);
            final long t1 = cpu();
            final long s2 = runDir(dir, addresses);
            final long t2 = cpu();
            final long s3 = runBatch(table, addresses, chunk, results);
            final long t3 = cpu();
            if (s3 != s1)
            {
                throw new AssertionError("batch checksum differs");
            }
            batches[rep] = addresses.length / ((t3 - t2) / 1e9) / 1e6;
            if (s1 != s2)
            {
                throw new AssertionError("checksums differ");
            }
            final double pop = addresses.length / ((t1 - t0) / 1e9) / 1e6;
            final double d = addresses.length / ((t2 - t1) / 1e9) / 1e6;
            bestPop = Math.max(bestPop, pop);
            bestDir = Math.max(bestDir, d);
            pops[rep] = pop;
            dirs[rep] = d;
        }
        // lookup must not allocate: measure this thread's allocated bytes over a full pass.
        final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)THREADS;
        final long before = mx.getCurrentThreadAllocatedBytes();
        final long check = runPoptrie(table, addresses);
        final long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        System.out.printf("IPv4 lookup allocation: %d bytes over %,d lookups (checksum %d)%n", allocated, addresses.length, check);
        java.util.Arrays.sort(pops);
        java.util.Arrays.sort(dirs);
        java.util.Arrays.sort(batches);
        System.out.printf("IPv4 lookups (%d rounds of %,d): poptrie best %.1f median %.1f M/s, DIR-24-8 best %.1f median %.1f M/s,"
            + " ratio of medians %.2f%n", rounds, addresses.length, bestPop, pops[rounds / 2], bestDir, dirs[rounds / 2],
            pops[rounds / 2] / dirs[rounds / 2]);
        System.out.printf("IPv4 lookupBatch (256 per call): best %.1f median %.1f M/s, ratio of medians to DIR-24-8 %.2f%n",
            batches[rounds - 1], batches[rounds / 2], batches[rounds / 2] / dirs[rounds / 2]);

        // Incremental updates: replace, add and delete random /24s and /32s.
        final long t0 = System.nanoTime();
        final int updates = 200_000;
        for (int i = 0; i < updates; i++)
        {
            final int len = (i & 1) == 0 ? 24 : 32;
            final int a = rnd.nextInt() & IpPrefix.mask32(len);
            table.put(a, len, i);
            table.remove(a, len);
        }
        final long t1 = System.nanoTime();
        System.out.printf("IPv4 incremental: %.2f us per put or remove, memoryBytes %.1f MiB after%n",
            (t1 - t0) / 1e3 / (2.0 * updates), table.memoryBytes() / 1048576.0);
        final long t2 = System.nanoTime();
        table.put(0, 0, 1);
        table.remove(0, 0);
        System.out.printf("IPv4 default route add+delete: %.2f ms%n", (System.nanoTime() - t2) / 1e6);

        // IPv6: 200k prefixes like the Internet table: allocations /19-/32 in 2000::/3 (a third
        // announced whole), each with a few more-specifics, mostly /48, some /36-/44; 64 next hops.
        final int n6 = 200_000;
        final long[] his = new long[n6];
        final long[] los = new long[n6];
        final int[] lens = new int[n6];
        final int[] vals = new int[n6];
        for (int i = 0; i < n6; )
        {
            final int blockLen = 19 + rnd.nextInt(14);
            final long block = ((rnd.nextLong() >>> 3) | 0x2000_0000_0000_0000L) & IpPrefix.mask128Hi(blockLen);
            final int hop = rnd.nextInt(64);
            if (rnd.nextInt(3) == 0)
            {
                his[i] = block;
                lens[i] = blockLen;
                vals[i++] = hop;
            }
            final int more = rnd.nextInt(8);
            for (int k = 0; k < more && i < n6; k++)
            {
                final int p = rnd.nextInt(100);
                final int len = p < 70 ? 48 : p < 80 ? 44 : p < 90 ? 40 : p < 97 ? 36 : 56 + rnd.nextInt(9);
                his[i] = (block | (rnd.nextLong() & ~IpPrefix.mask128Hi(blockLen))) & IpPrefix.mask128Hi(len);
                lens[i] = len;
                vals[i++] = rnd.nextInt(10) < 8 ? hop : rnd.nextInt(64);
            }
        }
        final Ipv6Table t6 = new Ipv6Table();
        best = Long.MAX_VALUE;
        for (int rep = 0; rep < 3; rep++)
        {
            final long s = System.nanoTime();
            t6.bulkLoad(his, los, lens, vals, n6);
            best = Math.min(best, System.nanoTime() - s);
        }
        System.out.printf("IPv6 %,d prefixes: bulk load best %.0f ms, memoryBytes %.1f MiB%n",
            n6, best / 1e6, t6.memoryBytes() / 1048576.0);
        System.out.println("  " + t6.usage());
        final long[] qh = new long[1 << 22];
        final long[] ql = new long[1 << 22];
        for (int i = 0; i < qh.length; )
        {
            final int r = rnd.nextInt(n6);
            final long h = his[r] | (rnd.nextLong() & ~IpPrefix.mask128Hi(lens[r]));
            final long l = los[r] | (rnd.nextLong() & ~IpPrefix.mask128Lo(lens[r]));
            qh[i] = h;
            ql[i++] = l;
        }
        double best6 = 0;
        for (int rep = 0; rep < 10; rep++)
        {
            final long s = cpu();
            runV6(t6, qh, ql);
            best6 = Math.max(best6, qh.length / ((cpu() - s) / 1e9) / 1e6);
        }
        System.out.printf("IPv6 lookups best: %.1f M/s%n", best6);
        final long u0 = System.nanoTime();
        for (int i = 0; i < 20_000; i++)
        {
            final int r = rnd.nextInt(n6);
            t6.put(his[r], los[r], lens[r], i);
        }
        System.out.printf("IPv6 incremental: %.2f us per replace%n", (System.nanoTime() - u0) / 1e3 / 20_000);
    }
}
