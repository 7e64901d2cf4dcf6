package org.vbgw.fib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Differential tests of {@link Ipv6Table} against {@link ReferenceLpm}. */
class Ipv6TableTest
{
    /** Random IPv6 prefixes that nest deeply around a few anchors, of every length /0–/128. */
    static final class Gen
    {
        final SplittableRandom rnd;
        final long[] anchorHi;
        final long[] anchorLo;

        /** Whether values may exceed 16 bits (which switches the trie to 32-bit leaves). */
        final boolean wideValues;
        /**
         * Whether values come from four only, as next hops do on a border router: then many routes
         * equal their slot's default route and get merged into its runs, which default changes must undo.
         */
        final boolean fewValues;

        Gen(final long seed)
        {
            rnd = new SplittableRandom(seed);
            wideValues = seed % 3 == 0;
            fewValues = seed % 3 == 1;
            anchorHi = new long[6];
            anchorLo = new long[6];
            for (int i = 0; i < anchorHi.length; i++)
            {
                // Mostly inside 2000::/3 like the Internet, one anywhere.
                anchorHi[i] = i == 0 ? rnd.nextLong() : (rnd.nextLong() >>> 3) | 0x2000_0000_0000_0000L;
                anchorLo[i] = rnd.nextLong();
            }
        }

        /** A route value: small (16-bit leaves), now and then large when {@link #wideValues}. */
        int value()
        {
            if (fewValues)
            {
                return rnd.nextInt(4);
            }
            return wideValues && rnd.nextInt(200) == 0 ? rnd.nextInt(Integer.MAX_VALUE) : rnd.nextInt(60_000);
        }

        /** {hi, lo, length}. */
        long[] prefix()
        {
            final int kind = rnd.nextInt(10);
            long hi;
            long lo;
            final int length;
            final int a = rnd.nextInt(anchorHi.length);
            if (kind < 4)
            {
                hi = anchorHi[a];
                lo = anchorLo[a];
                length = rnd.nextInt(129);
            }
            else if (kind < 7)
            {
                final int flip = 16 + rnd.nextInt(112);
                hi = anchorHi[a] ^ (flip < 64 ? rnd.nextLong() >>> flip : 0);
                lo = anchorLo[a] ^ (flip < 64 ? rnd.nextLong() : rnd.nextLong() >>> (flip - 64));
                length = 16 + rnd.nextInt(113);
            }
            else
            {
                hi = (rnd.nextLong() >>> 3) | 0x2000_0000_0000_0000L;
                lo = rnd.nextLong();
                length = realisticLength(rnd);
            }
            return new long[] {hi & IpPrefix.mask128Hi(length), lo & IpPrefix.mask128Lo(length), length};
        }

        /** {hi, lo} near something interesting. */
        long[] address(final List<ReferenceLpm.Route> routes)
        {
            final int kind = rnd.nextInt(8);
            if (kind < 3 && !routes.isEmpty())
            {
                final ReferenceLpm.Route r = routes.get(rnd.nextInt(routes.size()));
                final long fh = r.hi();
                final long fl = r.lo();
                final long lh = fh | ~IpPrefix.mask128Hi(r.length());
                final long ll = fl | ~IpPrefix.mask128Lo(r.length());
                switch (rnd.nextInt(5))
                {
                    case 0: return new long[] {fh, fl};
                    case 1: return new long[] {lh, ll};
                    case 2: return new long[] {fl == 0 ? fh - 1 : fh, fl - 1};
                    case 3: return new long[] {ll == -1 ? lh + 1 : lh, ll + 1};
                    default: return new long[] {fh | (rnd.nextLong() & ~IpPrefix.mask128Hi(r.length())),
                        fl | (rnd.nextLong() & ~IpPrefix.mask128Lo(r.length()))};
                }
            }
            if (kind < 6)
            {
                final int a = rnd.nextInt(anchorHi.length);
                final int flip = rnd.nextInt(128);
                return new long[] {anchorHi[a] ^ (flip < 64 ? rnd.nextLong() >>> flip : 0),
                    anchorLo[a] ^ (flip < 64 ? rnd.nextLong() : rnd.nextLong() >>> (flip - 64))};
            }
            return new long[] {rnd.nextLong(), rnd.nextLong()};
        }
    }

    static int realisticLength(final SplittableRandom rnd)
    {
        final int p = rnd.nextInt(100);
        if (p < 45)
        {
            return 48;
        }
        if (p < 60)
        {
            return 32;
        }
        if (p < 90)
        {
            return 19 + rnd.nextInt(30);
        }
        if (p < 97)
        {
            return 49 + rnd.nextInt(16);
        }
        return 65 + rnd.nextInt(64);
    }

    static String fmt(final long hi, final long lo)
    {
        return IpPrefix.format(true, hi, lo);
    }

    static void assertSame(final Ipv6Table table, final ReferenceLpm ref, final Gen gen, final int probes)
    {
        final List<ReferenceLpm.Route> routes = ref.routes();
        assertEquals(ref.size(), table.size(), "size");
        for (int i = 0; i < probes; i++)
        {
            final long[] a = gen.address(routes);
            check(table, ref, a[0], a[1]);
        }
        for (final ReferenceLpm.Route r : routes)
        {
            assertEquals(r.value(), table.get(r.hi(), r.lo(), r.length()), "get " + fmt(r.hi(), r.lo()) + "/" + r.length());
            check(table, ref, r.hi(), r.lo());
            check(table, ref, r.hi() | ~IpPrefix.mask128Hi(r.length()), r.lo() | ~IpPrefix.mask128Lo(r.length()));
        }
    }

    private static void check(final Ipv6Table table, final ReferenceLpm ref, final long hi, final long lo)
    {
        final int expected = ref.lookup(hi, lo);
        final int got = table.lookup(hi, lo);
        if (expected != got)
        {
            fail("lookup " + fmt(hi, lo) + ": expected " + expected + " got " + got
                + " (reference match /" + ref.matchLength(hi, lo) + ", table /" + table.matchLength(hi, lo) + ")");
        }
        final int expectedLen = ref.matchLength(hi, lo);
        final int gotLen = table.matchLength(hi, lo);
        if (expectedLen != gotLen)
        {
            fail("matchLength " + fmt(hi, lo) + ": expected " + expectedLen + " got " + gotLen);
        }
    }

    static void assertForEachOrder(final Ipv6Table table, final ReferenceLpm ref)
    {
        final List<ReferenceLpm.Route> got = new ArrayList<>();
        table.forEach((hi, lo, length, value) -> got.add(new ReferenceLpm.Route(hi, lo, length, value)));
        assertEquals(ref.routes(), got);
    }

    static void randomOperations(final Ipv6Table table, final ReferenceLpm ref, final Gen gen, final int steps,
                                 final boolean keepDefault, final int checkEvery)
    {
        final List<long[]> added = new ArrayList<>();
        for (int step = 1; step <= steps; step++)
        {
            final int op = gen.rnd.nextInt(10);
            if (op < 5 || added.isEmpty())
            {
                final long[] p = gen.prefix();
                final int v = gen.value();
                table.put(p[0], p[1], (int)p[2], v);
                ref.put(p[0], p[1], (int)p[2], v);
                added.add(p);
            }
            else if (op < 7)
            {
                final long[] p = added.get(gen.rnd.nextInt(added.size()));
                final int v = gen.value();
                table.put(p[0], p[1], (int)p[2], v);
                ref.put(p[0], p[1], (int)p[2], v);
            }
            else if (op < 9)
            {
                final int i = gen.rnd.nextInt(added.size());
                final long[] p = added.get(i);
                if (keepDefault && p[2] == 0)
                {
                    continue;
                }
                added.set(i, added.get(added.size() - 1));
                added.remove(added.size() - 1);
                assertEquals(ref.remove(p[0], p[1], (int)p[2]), table.remove(p[0], p[1], (int)p[2]));
            }
            else
            {
                final long[] p = gen.prefix();
                if (keepDefault && p[2] == 0)
                {
                    continue;
                }
                assertEquals(ref.remove(p[0], p[1], (int)p[2]), table.remove(p[0], p[1], (int)p[2]));
            }
            if (step % checkEvery == 0)
            {
                assertSame(table, ref, gen, 500);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomOperationsMatchReference(final long seed)
    {
        final Gen gen = new Gen(seed);
        final Ipv6Table table = new Ipv6Table();
        final ReferenceLpm ref = new ReferenceLpm(true);
        final boolean keepDefault = seed % 2 == 0;
        if (keepDefault)
        {
            table.put(0, 0, 0, 77);
            ref.put(0, 0, 0, 77);
        }
        randomOperations(table, ref, gen, 3000, keepDefault, 100);
        assertSame(table, ref, gen, 20_000);
        assertForEachOrder(table, ref);
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void bulkLoadMatchesReferenceAndReplacesEverything(final long seed)
    {
        final Gen gen = new Gen(seed);
        final Ipv6Table table = new Ipv6Table();
        final ReferenceLpm ref = new ReferenceLpm(true);
        randomOperations(table, ref, gen, 500, false, 500);
        for (int round = 0; round < 2; round++)
        {
            final int n = 20_000;
            final long[] his = new long[n];
            final long[] los = new long[n];
            final int[] lengths = new int[n];
            final int[] values = new int[n];
            ref.clear();
            for (int i = 0; i < n; i++)
            {
                final long[] p = gen.prefix();
                his[i] = p[0];
                los[i] = p[1];
                lengths[i] = (int)p[2];
                values[i] = round == 0 ? gen.value() : gen.rnd.nextInt(Integer.MAX_VALUE);
                ref.put(p[0], p[1], (int)p[2], values[i]);
            }
            table.bulkLoad(his, los, lengths, values, n);
            assertSame(table, ref, gen, 20_000);
            assertForEachOrder(table, ref);
            randomOperations(table, ref, gen, 2000, false, 500);
            assertSame(table, ref, gen, 20_000);
        }
    }

    @Test
    void largeTableExercisesCompressedPathsAndCompaction()
    {
        final Gen gen = new Gen(99);
        final SplittableRandom rnd = gen.rnd;
        final int n = 100_000;
        final long[] his = new long[n];
        final long[] los = new long[n];
        final int[] lengths = new int[n];
        final int[] values = new int[n];
        final ReferenceLpm ref = new ReferenceLpm(true);
        for (int i = 0; i < n; i++)
        {
            final long[] p = gen.prefix();
            his[i] = p[0];
            los[i] = p[1];
            lengths[i] = (int)p[2];
            values[i] = rnd.nextInt(4096);
            ref.put(his[i], los[i], lengths[i], values[i]);
        }
        final Ipv6Table table = new Ipv6Table();
        table.bulkLoad(his, los, lengths, values, n);
        assertSame(table, ref, gen, 100_000);
        assertForEachOrder(table, ref);
        randomOperations(table, ref, gen, 10_000, false, 5_000);
        assertSame(table, ref, gen, 100_000);
    }

    @Test
    void edgeRoutes()
    {
        final Ipv6Table table = new Ipv6Table();
        assertEquals(Ipv6Table.NO_ROUTE, table.lookup(0, 0));
        table.put(-1L, -1L, 128, 1);
        table.put(0, 0, 128, 2);
        table.put(0x2001_0db8_0000_0000L, 0, 32, 3);
        table.put(0x2001_0db8_0001_0000L, 0, 48, 4);
        table.put(0x2001_0db8_0001_0002L, 0, 64, 5);
        table.put(0x2001_0db8_0001_0002L, 0x8000_0000_0000_0000L, 65, 6);
        table.put(0x2001_0db8_0001_0002L, 0x8000_0000_0000_0001L, 128, 7);
        assertEquals(1, table.lookup(-1L, -1L));
        assertEquals(Ipv6Table.NO_ROUTE, table.lookup(-1L, -2L));
        assertEquals(2, table.lookup(0, 0));
        assertEquals(Ipv6Table.NO_ROUTE, table.lookup(0, 1));
        assertEquals(7, table.lookup(0x2001_0db8_0001_0002L, 0x8000_0000_0000_0001L));
        assertEquals(6, table.lookup(0x2001_0db8_0001_0002L, 0x8000_0000_0000_0002L));
        assertEquals(5, table.lookup(0x2001_0db8_0001_0002L, 0x7FFF_FFFF_FFFF_FFFFL));
        assertEquals(4, table.lookup(0x2001_0db8_0001_0003L, 0));
        assertEquals(3, table.lookup(0x2001_0db8_0002_0000L, 0));
        assertEquals(128, table.matchLength(0x2001_0db8_0001_0002L, 0x8000_0000_0000_0001L));
        assertTrue(table.remove(0x2001_0db8_0001_0002L, 0x8000_0000_0000_0000L, 65));
        assertFalse(table.remove(0x2001_0db8_0001_0002L, 0x8000_0000_0000_0000L, 65));
        assertEquals(5, table.lookup(0x2001_0db8_0001_0002L, 0x8000_0000_0000_0002L));
        table.put(0, 0, 0, 9);
        assertEquals(9, table.lookup(0, 1));
        assertEquals(0, table.matchLength(0x3000_0000_0000_0000L, 0));
    }

    @Test
    void forEachPutsShorterFirstAtTheSameAddress()
    {
        final Ipv6Table table = new Ipv6Table();
        table.put(0x2001_0db8_0000_0000L, 0, 48, 3);
        table.put(0x2001_0db8_0000_0000L, 0, 32, 2);
        table.put(0x2001_0000_0000_0000L, 0, 16, 1);
        table.put(0x2000_0000_0000_0000L, 0, 3, 0);
        table.put(0x8000_0000_0000_0000L, 0, 1, 4);
        final List<String> order = new ArrayList<>();
        table.forEach((hi, lo, l, v) -> order.add(fmt(hi, lo) + "/" + l + "=" + v));
        assertEquals(List.of("2000::/3=0", "2001::/16=1", "2001:db8::/32=2", "2001:db8::/48=3", "8000::/1=4"), order);
    }

    @Test
    void badInputIsRejectedNamingTheValueAndLeavesTheTableUnchanged()
    {
        final Ipv6Table table = new Ipv6Table();
        table.put(0x2001_0db8_0000_0000L, 0, 32, 1);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> table.put(0, 0, 129, 1));
        assertTrue(ex.getMessage().contains("129"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> table.put(0, 0, -3, 1));
        assertTrue(ex.getMessage().contains("-3"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> table.put(0x2001_0db8_0000_0000L, 1, 64, 1));
        assertTrue(ex.getMessage().contains("2001:db8::1/64"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> table.put(0x2001_0db9_0000_0000L, 0, 32, -5));
        assertTrue(ex.getMessage().contains("-5"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> table.bulkLoad(
            new long[] {0x2002_0000_0000_0000L, 0x2003_0000_0000_0001L}, new long[] {0, 0}, new int[] {16, 16},
            new int[] {1, 2}, 2));
        assertTrue(ex.getMessage().contains("2003:0:0:1::/16"), ex.getMessage());
        assertEquals(1, table.size());
        assertEquals(1, table.lookup(0x2001_0db8_1234_0000L, 5));
        assertEquals(Ipv6Table.NO_ROUTE, table.lookup(0x2001_0db9_0000_0000L, 0));
        assertEquals(Ipv6Table.NO_ROUTE, table.lookup(0x2002_0000_0000_0000L, 0));
    }
}
