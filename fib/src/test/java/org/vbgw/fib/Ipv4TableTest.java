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

/** Differential tests of {@link Ipv4Table} against {@link ReferenceLpm}. */
class Ipv4TableTest
{
    /** Random IPv4 prefixes that nest deeply around a few anchors, of every length /0–/32. */
    static final class Gen
    {
        final SplittableRandom rnd;
        final int[] anchors;

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
            anchors = new int[6];
            for (int i = 0; i < anchors.length; i++)
            {
                anchors[i] = rnd.nextInt();
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

        /** {address, length}. */
        int[] prefix()
        {
            final int kind = rnd.nextInt(10);
            final int address;
            final int length;
            if (kind < 4)
            {
                address = anchors[rnd.nextInt(anchors.length)];
                length = rnd.nextInt(33);
            }
            else if (kind < 7)
            {
                address = anchors[rnd.nextInt(anchors.length)] ^ (rnd.nextInt() >>> (8 + rnd.nextInt(20)));
                length = 8 + rnd.nextInt(25);
            }
            else
            {
                address = rnd.nextInt();
                length = realisticLength(rnd);
            }
            return new int[] {address & IpPrefix.mask32(length), length};
        }

        /** An address near something interesting: an anchor, a route boundary, or anywhere. */
        int address(final List<ReferenceLpm.Route> routes)
        {
            final int kind = rnd.nextInt(8);
            if (kind < 3 && !routes.isEmpty())
            {
                final ReferenceLpm.Route r = routes.get(rnd.nextInt(routes.size()));
                final int first = (int)(r.hi() >>> 32);
                final int last = first | ~IpPrefix.mask32(r.length());
                switch (rnd.nextInt(5))
                {
                    case 0: return first;
                    case 1: return last;
                    case 2: return first - 1;
                    case 3: return last + 1;
                    default: return first + (int)(rnd.nextLong(((last - first) & 0xFFFF_FFFFL) + 1));
                }
            }
            if (kind < 6)
            {
                return anchors[rnd.nextInt(anchors.length)] ^ (rnd.nextInt() >>> rnd.nextInt(32));
            }
            return rnd.nextInt();
        }
    }

    static int realisticLength(final SplittableRandom rnd)
    {
        final int p = rnd.nextInt(100);
        if (p < 55)
        {
            return 24;
        }
        if (p < 90)
        {
            return 16 + rnd.nextInt(8);
        }
        if (p < 95)
        {
            return 8 + rnd.nextInt(8);
        }
        return 25 + rnd.nextInt(8);
    }

    static void assertSame(final Ipv4Table table, final ReferenceLpm ref, final Gen gen, final int probes)
    {
        final List<ReferenceLpm.Route> routes = ref.routes();
        assertEquals(ref.size(), table.size(), "size");
        final int[] batch = new int[probes + 3];
        final int[] batchExpected = new int[probes + 3];
        for (int i = 0; i < probes; i++)
        {
            final int a = gen.address(routes);
            batch[i] = a;
            batchExpected[i] = ref.lookup(ReferenceLpm.v4(a), 0);
            final long k = ReferenceLpm.v4(a);
            final int expected = ref.lookup(k, 0);
            final int got = table.lookup(a);
            if (expected != got)
            {
                fail("lookup " + IpPrefix.formatIpv4(a) + ": expected " + expected + " got " + got
                    + " (reference match /" + ref.matchLength(k, 0) + ", table /" + table.matchLength(a) + ")");
            }
            final int expectedLen = ref.matchLength(k, 0);
            final int gotLen = table.matchLength(a);
            if (expectedLen != gotLen)
            {
                fail("matchLength " + IpPrefix.formatIpv4(a) + ": expected " + expectedLen + " got " + gotLen);
            }
        }
        // The batch lookup agrees, including its tail of fewer than eight.
        final int[] results = new int[probes + 3];
        table.lookupBatch(batch, results, probes);
        for (int i = 0; i < probes; i++)
        {
            if (results[i] != batchExpected[i])
            {
                fail("lookupBatch " + IpPrefix.formatIpv4(batch[i]) + ": expected " + batchExpected[i] + " got " + results[i]);
            }
        }
        // Every route's own first and last address, and exact get.
        for (final ReferenceLpm.Route r : routes)
        {
            final int first = (int)(r.hi() >>> 32);
            assertEquals(r.value(), table.get(first, r.length()), "get " + IpPrefix.formatIpv4(first) + "/" + r.length());
            for (final int a : new int[] {first, first | ~IpPrefix.mask32(r.length())})
            {
                final int expected = ref.lookup(ReferenceLpm.v4(a), 0);
                final int got = table.lookup(a);
                if (expected != got)
                {
                    fail("lookup " + IpPrefix.formatIpv4(a) + ": expected " + expected + " got " + got);
                }
            }
        }
    }

    static void assertForEachOrder(final Ipv4Table table, final ReferenceLpm ref)
    {
        final List<ReferenceLpm.Route> expected = ref.routes();
        final List<ReferenceLpm.Route> got = new ArrayList<>();
        table.forEach((prefix, length, value) -> got.add(new ReferenceLpm.Route(ReferenceLpm.v4(prefix), 0, length, value)));
        assertEquals(expected, got);
    }

    /** A random add/replace/delete sequence; checked against the reference as it goes. */
    static void randomOperations(final Ipv4Table table, final ReferenceLpm ref, final Gen gen, final int steps,
                                 final boolean keepDefault, final int checkEvery)
    {
        final List<int[]> added = new ArrayList<>();
        for (int step = 1; step <= steps; step++)
        {
            final int op = gen.rnd.nextInt(10);
            if (op < 5 || added.isEmpty())
            {
                final int[] p = gen.prefix();
                final int v = gen.value();
                table.put(p[0], p[1], v);
                ref.put(ReferenceLpm.v4(p[0]), 0, p[1], v);
                added.add(p);
            }
            else if (op < 7)
            {
                // Replace an existing route's value.
                final int[] p = added.get(gen.rnd.nextInt(added.size()));
                final int v = gen.value();
                table.put(p[0], p[1], v);
                ref.put(ReferenceLpm.v4(p[0]), 0, p[1], v);
            }
            else if (op < 9)
            {
                final int i = gen.rnd.nextInt(added.size());
                final int[] p = added.get(i);
                if (keepDefault && p[1] == 0)
                {
                    continue;
                }
                added.set(i, added.get(added.size() - 1));
                added.remove(added.size() - 1);
                final boolean expected = ref.remove(ReferenceLpm.v4(p[0]), 0, p[1]);
                assertEquals(expected, table.remove(p[0], p[1]), "remove " + IpPrefix.formatIpv4(p[0]) + "/" + p[1]);
            }
            else
            {
                // Remove something probably absent.
                final int[] p = gen.prefix();
                if (keepDefault && p[1] == 0)
                {
                    continue;
                }
                final boolean expected = ref.remove(ReferenceLpm.v4(p[0]), 0, p[1]);
                assertEquals(expected, table.remove(p[0], p[1]));
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
        final Ipv4Table table = new Ipv4Table();
        final ReferenceLpm ref = new ReferenceLpm(false);
        final boolean keepDefault = seed % 2 == 0;
        if (keepDefault)
        {
            table.put(0, 0, 77);
            ref.put(0, 0, 0, 77);
        }
        randomOperations(table, ref, gen, 3000, keepDefault, 100);
        assertSame(table, ref, gen, 20_000);
        assertForEachOrder(table, ref);
        if (keepDefault)
        {
            assertEquals(0, table.matchLength(gen.rnd.nextInt()) >= 0 ? 0 : 1, "default route matches everything");
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void bulkLoadMatchesReferenceAndReplacesEverything(final long seed)
    {
        final Gen gen = new Gen(seed);
        final Ipv4Table table = new Ipv4Table();
        final ReferenceLpm ref = new ReferenceLpm(false);
        randomOperations(table, ref, gen, 500, false, 500);
        for (int round = 0; round < 2; round++)
        {
            final int n = 20_000;
            final int[] prefixes = new int[n];
            final int[] lengths = new int[n];
            final int[] values = new int[n];
            ref.clear();
            for (int i = 0; i < n; i++)
            {
                final int[] p = gen.prefix();
                prefixes[i] = p[0];
                lengths[i] = p[1];
                values[i] = round == 0 ? gen.value() : gen.rnd.nextInt(Integer.MAX_VALUE);
                ref.put(ReferenceLpm.v4(p[0]), 0, p[1], values[i]);
            }
            table.bulkLoad(prefixes, lengths, values, n);
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
        final int n = 200_000;
        final int[] prefixes = new int[n];
        final int[] lengths = new int[n];
        final int[] values = new int[n];
        final ReferenceLpm ref = new ReferenceLpm(false);
        for (int i = 0; i < n; i++)
        {
            final int length = i % 10 == 0 ? gen.prefix()[1] : realisticLength(rnd);
            prefixes[i] = (i % 10 == 0 ? gen.prefix()[0] : rnd.nextInt()) & IpPrefix.mask32(length);
            lengths[i] = length;
            values[i] = rnd.nextInt(4096);
            ref.put(ReferenceLpm.v4(prefixes[i]), 0, length, values[i]);
        }
        final Ipv4Table table = new Ipv4Table();
        table.bulkLoad(prefixes, lengths, values, n);
        assertSame(table, ref, gen, 200_000);
        assertForEachOrder(table, ref);
        // Enough churn to fill the headroom left by the bulk load and force compactions.
        randomOperations(table, ref, gen, 40_000, false, 10_000);
        for (int i = 0; i < 20_000; i++)
        {
            final int j = rnd.nextInt(n);
            final int v = rnd.nextInt(4096);
            table.put(prefixes[j], lengths[j], v);
            ref.put(ReferenceLpm.v4(prefixes[j]), 0, lengths[j], v);
        }
        assertSame(table, ref, gen, 200_000);
        assertTrue(table.memoryBytes() > 0);
    }

    @Test
    void switchingFrom16To32BitLeavesKeepsEveryAnswer()
    {
        final Gen gen = new Gen(31);
        final Ipv4Table table = new Ipv4Table();
        final ReferenceLpm ref = new ReferenceLpm(false);
        for (int i = 0; i < 5000; i++)
        {
            final int[] p = gen.prefix();
            final int v = gen.rnd.nextInt(Poptrie.NARROW_MAX + 1);
            table.put(p[0], p[1], v);
            ref.put(ReferenceLpm.v4(p[0]), 0, p[1], v);
        }
        assertSame(table, ref, gen, 20_000);
        // One large value widens the leaves; a short route with one checks the shared leaf roots.
        final int[] p = gen.prefix();
        table.put(p[0], p[1], Poptrie.NARROW_MAX + 1);
        ref.put(ReferenceLpm.v4(p[0]), 0, p[1], Poptrie.NARROW_MAX + 1);
        table.put(0xC000_0000, 4, Integer.MAX_VALUE);
        ref.put(ReferenceLpm.v4(0xC000_0000), 0, 4, Integer.MAX_VALUE);
        assertSame(table, ref, gen, 20_000);
        assertEquals(ref.lookup(ReferenceLpm.v4(0xCFFF_FFFF), 0), table.lookup(0xCFFF_FFFF));
        randomOperations(table, ref, gen, 2000, false, 500);
        assertSame(table, ref, gen, 20_000);
    }

    @Test
    void edgeRoutesAndValues()
    {
        final Ipv4Table table = new Ipv4Table();
        assertEquals(Ipv4Table.NO_ROUTE, table.lookup(0));
        assertEquals(-1, table.matchLength(0));
        table.put(0xFFFF_FFFF, 32, Integer.MAX_VALUE);
        table.put(0, 32, 0);
        assertEquals(Integer.MAX_VALUE, table.lookup(0xFFFF_FFFF));
        assertEquals(0, table.lookup(0));
        assertEquals(Ipv4Table.NO_ROUTE, table.lookup(1));
        assertEquals(Ipv4Table.NO_ROUTE, table.lookup(0xFFFF_FFFE));
        table.put(0, 0, 5);
        assertEquals(5, table.lookup(1));
        assertEquals(0, table.matchLength(0x7F00_0001));
        assertEquals(32, table.matchLength(0));
        table.put(0x0A00_0000, 8, 10);
        table.put(0x0A01_0000, 16, 11);
        table.put(0x0A01_0200, 24, 12);
        table.put(0x0A01_0280, 25, 13);
        assertEquals(13, table.lookup(0x0A01_02FF));
        assertEquals(12, table.lookup(0x0A01_027F));
        assertEquals(11, table.lookup(0x0A01_0300));
        assertEquals(10, table.lookup(0x0AFF_FFFF));
        assertEquals(5, table.lookup(0x0B00_0000));
        assertTrue(table.remove(0x0A01_0200, 24));
        assertFalse(table.remove(0x0A01_0200, 24));
        assertEquals(11, table.lookup(0x0A01_027F));
        assertEquals(13, table.lookup(0x0A01_0280));
        assertTrue(table.remove(0, 0));
        assertEquals(Ipv4Table.NO_ROUTE, table.lookup(0x0B00_0000));
        assertEquals(5, table.size());
        final List<String> order = new ArrayList<>();
        table.forEach((p, l, v) -> order.add(IpPrefix.formatIpv4(p) + "/" + l + "=" + v));
        assertEquals(List.of("0.0.0.0/32=0", "10.0.0.0/8=10", "10.1.0.0/16=11", "10.1.2.128/25=13",
            "255.255.255.255/32=" + Integer.MAX_VALUE), order);
    }

    @Test
    void forEachPutsShorterFirstAtTheSameAddress()
    {
        final Ipv4Table table = new Ipv4Table();
        table.put(0x0A00_0000, 24, 3);
        table.put(0x0A00_0000, 8, 1);
        table.put(0x0A00_0000, 16, 2);
        table.put(0x0900_0000, 8, 0);
        table.put(0, 0, 9);
        final List<String> order = new ArrayList<>();
        table.forEach((p, l, v) -> order.add(IpPrefix.formatIpv4(p) + "/" + l + "=" + v));
        assertEquals(List.of("0.0.0.0/0=9", "9.0.0.0/8=0", "10.0.0.0/8=1", "10.0.0.0/16=2", "10.0.0.0/24=3"), order);
    }

    @Test
    void badInputIsRejectedNamingTheValueAndLeavesTheTableUnchanged()
    {
        final Ipv4Table table = new Ipv4Table();
        table.put(0x0A00_0000, 8, 1);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> table.put(0x0A00_0000, 33, 1));
        assertTrue(ex.getMessage().contains("33"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> table.put(0x0A00_0000, -1, 1));
        assertTrue(ex.getMessage().contains("-1"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> table.put(0x0A00_0001, 8, 1));
        assertTrue(ex.getMessage().contains("10.0.0.1/8"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> table.put(0x0B00_0000, 8, -7));
        assertTrue(ex.getMessage().contains("-7"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> table.remove(0x0A00_0001, 8));
        assertTrue(ex.getMessage().contains("10.0.0.1/8"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> table.lookupBatch(new int[4], new int[3], 4));
        assertTrue(ex.getMessage().contains("4"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> table.get(0, 40));
        assertTrue(ex.getMessage().contains("40"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> table.bulkLoad(
            new int[] {0x0C00_0000, 0x0D00_0001}, new int[] {8, 8}, new int[] {1, 2}, 2));
        assertTrue(ex.getMessage().contains("13.0.0.1/8"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> table.bulkLoad(
            new int[] {0x0C00_0000, 0x0D00_0000}, new int[] {8, 8}, new int[] {1, -2}, 2));
        assertTrue(ex.getMessage().contains("-2"), ex.getMessage());
        assertEquals(1, table.size());
        assertEquals(1, table.lookup(0x0A01_0203));
        assertEquals(Ipv4Table.NO_ROUTE, table.lookup(0x0B00_0000));
        assertEquals(Ipv4Table.NO_ROUTE, table.lookup(0x0C00_0000));
        assertEquals(8, table.matchLength(0x0A00_0000));
    }

    @Test
    void bulkLoadDuplicateLastWins()
    {
        final Ipv4Table table = new Ipv4Table();
        table.bulkLoad(new int[] {0x0A00_0000, 0x0A00_0000, 0x0A00_0000}, new int[] {8, 8, 9},
            new int[] {1, 2, 3}, 3);
        assertEquals(2, table.size());
        assertEquals(2, table.lookup(0x0A80_0000));
        assertEquals(3, table.lookup(0x0A00_0000));
        table.bulkLoad(new int[0], new int[0], new int[0], 0);
        assertEquals(0, table.size());
        assertEquals(Ipv4Table.NO_ROUTE, table.lookup(0x0A00_0000));
    }
}
