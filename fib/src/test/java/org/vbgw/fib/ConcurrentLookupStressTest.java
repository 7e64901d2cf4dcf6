package org.vbgw.fib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * One writer flips a handful of nested routes (a default, a covering /8, more-specifics down to a host
 * route) through a fixed cycle of adds, deletes and replaces, sometimes through a whole-table bulk load,
 * while churning unrelated routes so the lookup arrays get compacted under the readers. Reader threads
 * check every answer against the states that were valid while their lookup ran.
 * <p>
 * The writer bumps {@code version} to odd before each change and to even after it: a reader that read
 * {@code v0} before its lookup and {@code v1} after may see any state from {@code v0 / 2} (floor) to
 * {@code (v1 + 1) / 2}. A torn or half-applied update shows up as an answer outside that window.
 */
class ConcurrentLookupStressTest
{
    private static final long RUN_NANOS = 2_000_000_000L;
    private static final int READERS = 2;

    /** One family's table, probe addresses and scripted cycle of changes. */
    private abstract static class Scenario
    {
        /** Expected answer of each probe in each state of the cycle (state cycle length == ops). */
        int[][] expected;
        int cycle;

        abstract int probes();

        /** Any thread: every probe at once into {@code results}; false when the family has no batch lookup. */
        boolean lookupAll(final int[] results)
        {
            return false;
        }

        /** Any thread. */
        abstract int lookup(int probe);

        /** Writer: apply change number {@code n} (state {@code n % cycle} → {@code (n + 1) % cycle}). */
        abstract void apply(long n);

        abstract int compactions();
    }

    /** A cycle of ops over {@code routes} test routes: {route, value or -1 to delete, 1 if via bulk load}. */
    private static int[][] script(final int routes, final int[] initial, final SplittableRandom rnd)
    {
        final List<int[]> ops = new ArrayList<>();
        final int[] config = initial.clone();
        for (int i = 0; i < 400; i++)
        {
            final int r = rnd.nextInt(routes);
            final int v = config[r] >= 0 && rnd.nextInt(3) == 0 ? -1 : rnd.nextInt(1000);
            ops.add(new int[] {r, v, rnd.nextInt(100) == 0 ? 1 : 0});
            config[r] = v;
        }
        for (int r = 0; r < routes; r++)
        {
            if (config[r] != initial[r])
            {
                ops.add(new int[] {r, initial[r], 0});
            }
        }
        return ops.toArray(new int[0][]);
    }

    private static void run(final Scenario s) throws InterruptedException
    {
        final long[] version = new long[1];
        final VersionBox box = new VersionBox();
        final AtomicReference<String> failure = new AtomicReference<>();
        final long[] checked = new long[READERS];
        final long[] overlapping = new long[READERS];
        final long deadline = System.nanoTime() + RUN_NANOS;
        final Thread[] readers = new Thread[READERS];
        for (int t = 0; t < READERS; t++)
        {
            final int id = t;
            readers[t] = new Thread(() ->
            {
                final int probes = s.probes();
                long n = 0;
                long overlap = 0;
                int p = id;
                final int[] all = new int[probes];
                // Reader 1 alternates single and batch lookups (where the family has a batch lookup).
                boolean batchTurn = false;
                while (!box.stop && failure.get() == null)
                {
                    batchTurn = id == 1 && !batchTurn;
                    if (batchTurn)
                    {
                        final long b0 = box.version;
                        if (s.lookupAll(all))
                        {
                            final long b1 = box.version;
                            for (int q = 0; q < probes; q++)
                            {
                                final String bad = check(s, q, all[q], b0, b1);
                                if (bad != null)
                                {
                                    failure.compareAndSet(null, "batch " + bad);
                                }
                            }
                            n += probes;
                            continue;
                        }
                    }
                    p = p + 1 == probes ? 0 : p + 1;
                    final long v0 = box.version;
                    final int got;
                    try
                    {
                        got = s.lookup(p);
                    }
                    catch (final RuntimeException ex)
                    {
                        failure.compareAndSet(null, "probe " + p + " threw " + ex);
                        break;
                    }
                    final long v1 = box.version;
                    final String bad = check(s, p, got, v0, v1);
                    if (bad != null)
                    {
                        failure.compareAndSet(null, bad);
                    }
                    if (v0 != v1 || (v0 & 1) != 0)
                    {
                        overlap++;
                    }
                    n++;
                }
                checked[id] = n;
                overlapping[id] = overlap;
            }, "stress-reader-" + t);
            readers[t].start();
        }
        long n = 0;
        try
        {
            while (System.nanoTime() < deadline && failure.get() == null)
            {
                box.version = 2 * n + 1;
                s.apply(n);
                box.version = 2 * n + 2;
                n++;
            }
        }
        finally
        {
            box.stop = true;
            for (final Thread r : readers)
            {
                r.join();
            }
        }
        assertEquals(null, failure.get());
        long total = 0;
        long overlaps = 0;
        for (int t = 0; t < READERS; t++)
        {
            total += checked[t];
            overlaps += overlapping[t];
        }
        assertTrue(n > 20, "writer made only " + n + " changes");
        assertTrue(overlaps > 1000, "only " + overlaps + " of " + total + " lookups overlapped a change");
        assertTrue(s.compactions() > 0, "no compaction happened under the readers");
        System.out.println(s.getClass().getSimpleName() + ": " + n + " changes, " + total + " lookups checked, "
            + overlaps + " overlapping a change, " + s.compactions() + " compactions");
        assertTrue(version.length == 1);
    }

    /** Null when {@code got} is the answer of some state between versions v0 and v1, else why not. */
    private static String check(final Scenario s, final int p, final int got, final long v0, final long v1)
    {
        final long first = v0 >>> 1;
        final long last = (v1 + 1) >>> 1;
        for (long st = first; st <= last && st <= first + s.cycle; st++)
        {
            if (s.expected[(int)(st % s.cycle)][p] == got)
            {
                return null;
            }
        }
        final StringBuilder sb = new StringBuilder("probe " + p + " got " + got + " between versions "
            + v0 + " and " + v1 + "; valid:");
        for (long st = first; st <= last && st <= first + s.cycle; st++)
        {
            sb.append(' ').append(s.expected[(int)(st % s.cycle)][p]);
        }
        return sb.toString();
    }

    /** The writer's version counter and stop flag, shared with the readers. */
    private static final class VersionBox
    {
        /** Written by the writer only (volatile: readers order their lookup between two reads of it). */
        volatile long version;
        /** Written by the test thread, read by readers. */
        volatile boolean stop;
    }

    // ------------------------------------------------------------------------------------------

    private static final class V4 extends Scenario
    {
        final Ipv4Table table = new Ipv4Table();
        /** Only flip the test routes, as fast as possible (no churn, forced compaction or bulk loads). */
        final boolean fast;
        final int[][] test;
        final int[] probeAddresses = {0x0A01_0282, 0x0A01_0283, 0x0A01_0201, 0x0A01_0301, 0x0A01_0401,
            0x0A02_0001, 0x0B00_0001, 0x0A01_02C8, 0x0A01_3FFF, 0x0A01_4000};
        final int[] staticPrefixes;
        final int[] staticLengths;
        final int[] staticValues;
        final int[] churnPrefixes;
        final int[] churnLengths;
        final boolean[] churnPresent;
        final int[] config;
        final int[][] ops;
        final SplittableRandom writerRnd = new SplittableRandom(7);

        V4(final boolean fast)
        {
            this.fast = fast;
            this.test = fast
                ? new int[][] {{0x0A01_0000, 18}, {0x0A01_0200, 24}, {0x0A01_0280, 25}, {0x0A01_0280, 27}, {0x0A01_0282, 32}}
                : new int[][] {{0x0000_0000, 0}, {0x0A00_0000, 8}, {0x0A01_0000, 16}, {0x0A01_0200, 24}, {0x0A01_0280, 25},
                    {0x0A01_0282, 32}, {0x0A01_0300, 24}, {0x0A01_0000, 18}};
            final SplittableRandom rnd = new SplittableRandom(42);
            final IpPrefix ten = IpPrefix.ipv4(0x0A00_0000, 8);
            final List<int[]> statics = new ArrayList<>();
            while (statics.size() < 30_000)
            {
                final int len = Ipv4TableTest.realisticLength(rnd);
                final int a = rnd.nextInt() & IpPrefix.mask32(len);
                if (!IpPrefix.ipv4(a, len).overlaps(ten) && (a >>> 24) != 20)
                {
                    statics.add(new int[] {a, len, rnd.nextInt(1000)});
                }
            }
            // A populated subtree in the probes' own slot (10.1.0.0/18), away from the probes.
            for (int i = 0; i < 300; i++)
            {
                final int len = 21 + rnd.nextInt(12);
                statics.add(new int[] {(0x0A01_1000 | (rnd.nextInt() & 0x0FFF)) & IpPrefix.mask32(len), len, rnd.nextInt(1000)});
            }
            staticPrefixes = statics.stream().mapToInt(x -> x[0]).toArray();
            staticLengths = statics.stream().mapToInt(x -> x[1]).toArray();
            staticValues = statics.stream().mapToInt(x -> x[2]).toArray();
            churnPrefixes = new int[2000];
            churnLengths = new int[2000];
            churnPresent = new boolean[2000];
            for (int i = 0; i < churnPrefixes.length; i++)
            {
                churnLengths[i] = 22 + rnd.nextInt(11);
                churnPrefixes[i] = (0x1400_0000 | (rnd.nextInt() & 0x00FF_FFFF)) & IpPrefix.mask32(churnLengths[i]);
            }
            final int[] initial = fast ? new int[] {5, 7, 8, -1, 9} : new int[] {5, -1, 7, 8, -1, 9, -1, -1};
            ops = script(test.length, initial, rnd);
            cycle = ops.length;
            config = initial.clone();
            // Expected answers per state, from the reference.
            final ReferenceLpm ref = new ReferenceLpm(false);
            for (int i = 0; i < staticPrefixes.length; i++)
            {
                ref.put(ReferenceLpm.v4(staticPrefixes[i]), 0, staticLengths[i], staticValues[i]);
            }
            final int[] c = initial.clone();
            expected = new int[cycle][probeAddresses.length];
            for (int st = 0; st < cycle; st++)
            {
                for (int r = 0; r < test.length; r++)
                {
                    if (c[r] >= 0)
                    {
                        ref.put(ReferenceLpm.v4(test[r][0]), 0, test[r][1], c[r]);
                    }
                    else
                    {
                        ref.remove(ReferenceLpm.v4(test[r][0]), 0, test[r][1]);
                    }
                }
                for (int p = 0; p < probeAddresses.length; p++)
                {
                    expected[st][p] = ref.lookup(ReferenceLpm.v4(probeAddresses[p]), 0);
                }
                c[ops[st][0]] = ops[st][1];
            }
            bulk();
        }

        void bulk()
        {
            final int n = staticPrefixes.length + test.length + churnPrefixes.length;
            final int[] p = new int[n];
            final int[] l = new int[n];
            final int[] v = new int[n];
            int k = 0;
            for (int i = 0; i < staticPrefixes.length; i++, k++)
            {
                p[k] = staticPrefixes[i];
                l[k] = staticLengths[i];
                v[k] = staticValues[i];
            }
            for (int r = 0; r < test.length; r++)
            {
                if (config[r] >= 0)
                {
                    p[k] = test[r][0];
                    l[k] = test[r][1];
                    v[k++] = config[r];
                }
            }
            for (int i = 0; i < churnPrefixes.length; i++)
            {
                if (churnPresent[i])
                {
                    p[k] = churnPrefixes[i];
                    l[k] = churnLengths[i];
                    v[k++] = i;
                }
            }
            table.bulkLoad(p, l, v, k);
        }

        @Override
        int probes()
        {
            return probeAddresses.length;
        }

        @Override
        int lookup(final int probe)
        {
            return table.lookup(probeAddresses[probe]);
        }

        @Override
        boolean lookupAll(final int[] results)
        {
            table.lookupBatch(probeAddresses, results, probeAddresses.length);
            return true;
        }

        @Override
        void apply(final long n)
        {
            final int[] op = ops[(int)(n % cycle)];
            config[op[0]] = op[1];
            if (fast)
            {
                if (n % 64 == 5)
                {
                    // Most compactions come from the flips' own garbage; this makes sure of one.
                    table.compact();
                }
                if (op[1] >= 0)
                {
                    table.put(test[op[0]][0], test[op[0]][1], op[1]);
                }
                else
                {
                    table.remove(test[op[0]][0], test[op[0]][1]);
                }
                return;
            }
            for (int i = 0; i < 4; i++)
            {
                final int c = writerRnd.nextInt(churnPrefixes.length);
                churnPresent[c] = !churnPresent[c];
                if (op[2] == 0)
                {
                    if (churnPresent[c])
                    {
                        table.put(churnPrefixes[c], churnLengths[c], c);
                    }
                    else
                    {
                        table.remove(churnPrefixes[c], churnLengths[c]);
                    }
                }
            }
            if (n % 16 == 5)
            {
                table.compact();
            }
            if (op[2] != 0)
            {
                bulk();
            }
            else if (op[1] >= 0)
            {
                table.put(test[op[0]][0], test[op[0]][1], op[1]);
            }
            else
            {
                table.remove(test[op[0]][0], test[op[0]][1]);
            }
        }

        @Override
        int compactions()
        {
            return table.compactions();
        }
    }

    private static final class V6 extends Scenario
    {
        final Ipv6Table table = new Ipv6Table();
        final long[][] test = {
            {0, 0, 0}, {0x2001_0db8_0000_0000L, 0, 32}, {0x2001_0db8_0001_0000L, 0, 48},
            {0x2001_0db8_0001_0002L, 0, 64}, {0x2001_0db8_0001_0002L, 0x8000_0000_0000_0000L, 65},
            {0x2001_0db8_0001_0002L, 0x8000_0000_0000_0001L, 128}, {0x2001_0db8_0001_0003L, 0, 64},
            {0x2001_0000_0000_0000L, 0, 16}};
        final long[][] probeAddresses = {
            {0x2001_0db8_0001_0002L, 0x8000_0000_0000_0001L}, {0x2001_0db8_0001_0002L, 0x8000_0000_0000_0002L},
            {0x2001_0db8_0001_0002L, 1}, {0x2001_0db8_0001_0003L, 5}, {0x2001_0db8_0001_0004L, 0},
            {0x2001_0db8_0002_0000L, 0}, {0x2001_0db9_0000_0000L, 0}, {0x3000_0000_0000_0000L, 0}};
        final long[] staticHi;
        final long[] staticLo;
        final int[] staticLengths;
        final int[] staticValues;
        final long[] churnHi;
        final int[] churnLengths;
        final boolean[] churnPresent;
        final int[] config;
        final int[][] ops;
        final SplittableRandom writerRnd = new SplittableRandom(7);

        V6()
        {
            final SplittableRandom rnd = new SplittableRandom(43);
            final IpPrefix db8 = IpPrefix.ipv6(0x2001_0db8_0000_0000L, 0, 32);
            final List<long[]> statics = new ArrayList<>();
            while (statics.size() < 20_000)
            {
                final int len = Ipv6TableTest.realisticLength(rnd);
                final long hi = ((rnd.nextLong() >>> 3) | 0x2000_0000_0000_0000L) & IpPrefix.mask128Hi(len);
                final long lo = rnd.nextLong() & IpPrefix.mask128Lo(len);
                if (!IpPrefix.ipv6(hi, lo, len).overlaps(db8) && (hi >>> 48) != 0x2a00 && len > 16)
                {
                    statics.add(new long[] {hi, lo, len, rnd.nextInt(1000)});
                }
            }
            for (int i = 0; i < 300; i++)
            {
                final int len = 40 + rnd.nextInt(89);
                final long hi = (0x2001_0db8_ff00_0000L | (rnd.nextLong() >>> 40)) & IpPrefix.mask128Hi(len);
                statics.add(new long[] {hi, rnd.nextLong() & IpPrefix.mask128Lo(len), len, rnd.nextInt(1000)});
            }
            staticHi = statics.stream().mapToLong(x -> x[0]).toArray();
            staticLo = statics.stream().mapToLong(x -> x[1]).toArray();
            staticLengths = statics.stream().mapToInt(x -> (int)x[2]).toArray();
            staticValues = statics.stream().mapToInt(x -> (int)x[3]).toArray();
            churnHi = new long[2000];
            churnLengths = new int[2000];
            churnPresent = new boolean[2000];
            for (int i = 0; i < churnHi.length; i++)
            {
                churnLengths[i] = 32 + rnd.nextInt(33);
                churnHi[i] = (0x2a00_0000_0000_0000L | (rnd.nextLong() >>> 16)) & IpPrefix.mask128Hi(churnLengths[i]);
            }
            final int[] initial = {5, -1, 7, 8, -1, 9, -1, -1};
            ops = script(test.length, initial, rnd);
            cycle = ops.length;
            config = initial.clone();
            final ReferenceLpm ref = new ReferenceLpm(true);
            for (int i = 0; i < staticHi.length; i++)
            {
                ref.put(staticHi[i], staticLo[i], staticLengths[i], staticValues[i]);
            }
            final int[] c = initial.clone();
            expected = new int[cycle][probeAddresses.length];
            for (int st = 0; st < cycle; st++)
            {
                for (int r = 0; r < test.length; r++)
                {
                    if (c[r] >= 0)
                    {
                        ref.put(test[r][0], test[r][1], (int)test[r][2], c[r]);
                    }
                    else
                    {
                        ref.remove(test[r][0], test[r][1], (int)test[r][2]);
                    }
                }
                for (int p = 0; p < probeAddresses.length; p++)
                {
                    expected[st][p] = ref.lookup(probeAddresses[p][0], probeAddresses[p][1]);
                }
                c[ops[st][0]] = ops[st][1];
            }
            bulk();
        }

        void bulk()
        {
            final int n = staticHi.length + test.length + churnHi.length;
            final long[] h = new long[n];
            final long[] lo = new long[n];
            final int[] l = new int[n];
            final int[] v = new int[n];
            int k = 0;
            for (int i = 0; i < staticHi.length; i++, k++)
            {
                h[k] = staticHi[i];
                lo[k] = staticLo[i];
                l[k] = staticLengths[i];
                v[k] = staticValues[i];
            }
            for (int r = 0; r < test.length; r++)
            {
                if (config[r] >= 0)
                {
                    h[k] = test[r][0];
                    lo[k] = test[r][1];
                    l[k] = (int)test[r][2];
                    v[k++] = config[r];
                }
            }
            for (int i = 0; i < churnHi.length; i++)
            {
                if (churnPresent[i])
                {
                    h[k] = churnHi[i];
                    l[k] = churnLengths[i];
                    v[k++] = i;
                }
            }
            table.bulkLoad(h, lo, l, v, k);
        }

        @Override
        int probes()
        {
            return probeAddresses.length;
        }

        @Override
        int lookup(final int probe)
        {
            return table.lookup(probeAddresses[probe][0], probeAddresses[probe][1]);
        }

        @Override
        void apply(final long n)
        {
            final int[] op = ops[(int)(n % cycle)];
            config[op[0]] = op[1];
            for (int i = 0; i < 4; i++)
            {
                final int c = writerRnd.nextInt(churnHi.length);
                churnPresent[c] = !churnPresent[c];
                if (op[2] == 0)
                {
                    if (churnPresent[c])
                    {
                        table.put(churnHi[c], 0, churnLengths[c], c);
                    }
                    else
                    {
                        table.remove(churnHi[c], 0, churnLengths[c]);
                    }
                }
            }
            final long[] t = test[op[0]];
            if (n % 16 == 5)
            {
                table.compact();
            }
            if (op[2] != 0)
            {
                bulk();
            }
            else if (op[1] >= 0)
            {
                table.put(t[0], t[1], (int)t[2], op[1]);
            }
            else
            {
                table.remove(t[0], t[1], (int)t[2]);
            }
        }

        @Override
        int compactions()
        {
            return table.compactions();
        }
    }

    @Test
    void ipv4LookupsSeeOnlyWholeStates() throws InterruptedException
    {
        run(new V4(false));
    }

    @Test
    void ipv4LookupsSeeOnlyWholeStatesUnderFastFlips() throws InterruptedException
    {
        run(new V4(true));
    }

    @Test
    void ipv6LookupsSeeOnlyWholeStates() throws InterruptedException
    {
        run(new V6());
    }
}
