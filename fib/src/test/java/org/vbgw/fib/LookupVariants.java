package org.vbgw.fib;

/** Scratch: alternative IPv4 lookup loops over the same arrays, for side-by-side timing. */
final class LookupVariants
{
    static Poptrie trie(final Ipv4Table t)
    {
        try
        {
            final java.lang.reflect.Field f = Ipv4Table.class.getDeclaredField("trie");
            f.setAccessible(true);
            return (Poptrie)f.get(t);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** Arrays passed in: no volatile, no VarHandle. */
    static int plain(final int[] dir, final long[] words, final int address)
    {
        final int rootPos = dir[address >>> 14];
        final int slotDefault = (int)words[rootPos + 3];
        int p = rootPos;
        long vector = words[p];
        int shift = 18;
        int v = (address << shift) >>> 26;
        while ((vector >>> v & 1) != 0)
        {
            p = (int)(words[p + 2] >>> 32) + 3 * (Long.bitCount(vector & ((2L << v) - 1)) - 1);
            shift += 6;
            vector = words[p];
            v = (address << shift) >>> 26;
        }
        final int li = (int)words[p + 2] + Long.bitCount(words[p + 1] & ((2L << v) - 1)) - 1;
        final int leaf = (int)(words[li >>> 1] >>> ((li & 1) << 5));
        return leaf == Poptrie.INHERIT ? slotDefault : leaf;
    }

    static long runPlain(final Poptrie t, final int[] addresses)
    {
        final int[] dir = t.root.dir;
        final long[] words = t.root.words;
        long sum = 0;
        for (final int a : addresses)
        {
            sum += plain(dir, words, a);
        }
        return sum;
    }

    static final class Holder
    {
        Poptrie.Root plainRoot;
        volatile Poptrie.Root volatileRoot;
    }

    static int v2(final Holder h, final int address)
    {
        final Poptrie.Root r = h.volatileRoot;
        return plain(r.dir, r.words, address);
    }

    static int v3(final Holder h, final int address)
    {
        final Poptrie.Root r = h.volatileRoot;
        final long[] words = r.words;
        final int rootPos = (int)Poptrie.DIR.getAcquire(r.dir, address >>> 14);
        final int slotDefault = (int)words[rootPos + 3];
        int p = rootPos;
        long vector = words[p];
        int shift = 18;
        int v = (address << shift) >>> 26;
        while ((vector >>> v & 1) != 0)
        {
            p = (int)(words[p + 2] >>> 32) + 3 * (Long.bitCount(vector & ((2L << v) - 1)) - 1);
            shift += 6;
            vector = words[p];
            v = (address << shift) >>> 26;
        }
        final int li = (int)words[p + 2] + Long.bitCount(words[p + 1] & ((2L << v) - 1)) - 1;
        final int leaf = (int)(words[li >>> 1] >>> ((li & 1) << 5));
        return leaf == Poptrie.INHERIT ? slotDefault : leaf;
    }

    static long runV2(final Holder h, final int[] addresses)
    {
        long sum = 0;
        for (final int a : addresses)
        {
            sum += v2(h, a);
        }
        return sum;
    }

    static long runV3(final Holder h, final int[] addresses)
    {
        long sum = 0;
        for (final int a : addresses)
        {
            sum += v3(h, a);
        }
        return sum;
    }

    /** Root-only fast path: no loop when the root's child is a leaf. */
    static int rootOnly(final int[] dir, final long[] words, final int address)
    {
        final int rootPos = dir[address >>> 14];
        final long vector = words[rootPos];
        final int v = (address << 18) >>> 26;
        final long upTo = (2L << v) - 1;
        if ((vector & upTo & ~(upTo >>> 1)) != 0)
        {
            return plain(dir, words, address);
        }
        final int li = (int)words[rootPos + 2] + Long.bitCount(words[rootPos + 1] & upTo) - 1;
        final int leaf = (int)(words[li >>> 1] >>> ((li & 1) << 5));
        final int slotDefault = (int)words[rootPos + 3];
        return leaf == Poptrie.INHERIT ? slotDefault : leaf;
    }

    static long runRootOnly(final Poptrie t, final int[] addresses)
    {
        final int[] dir = t.root.dir;
        final long[] words = t.root.words;
        long sum = 0;
        for (final int a : addresses)
        {
            sum += rootOnly(dir, words, a);
        }
        return sum;
    }

    static long runA(final Ipv4Table t, final int[] addresses)
    {
        long sum = 0;
        for (final int a : addresses)
        {
            sum += t.lookup(a);
        }
        return sum;
    }

    public static void main(final String[] args)
    {
        final int n = Integer.parseInt(args[0]);
        final java.util.SplittableRandom rnd = new java.util.SplittableRandom(2026);
        final int[] prefixes = new int[n];
        final int[] lengths = new int[n];
        final int[] values = new int[n];
        LpmSpeed.internetLike(rnd, prefixes, lengths, values, n);
        final Ipv4Table table = new Ipv4Table();
        table.bulkLoad(prefixes, lengths, values, n);
        final int[] addresses = new int[1 << 20];
        for (int i = 0; i < addresses.length; )
        {
            final int a = rnd.nextInt();
            if (table.lookup(a) != Ipv4Table.NO_ROUTE)
            {
                addresses[i++] = a;
            }
        }
        final Poptrie t = trie(table);
        final LpmSpeed.Dir248 dir = new LpmSpeed.Dir248(prefixes, lengths, values, n);
        final int rounds = 20;
        final Holder h = new Holder();
        h.plainRoot = t.root;
        h.volatileRoot = t.root;
        final double[][] r = new double[4][rounds];
        for (int rep = 0; rep < rounds; rep++)
        {
            final long t0 = LpmSpeed.cpu();
            final long sa = runA(table, addresses);
            final long t1 = LpmSpeed.cpu();
            final long sb = runPlain(t, addresses);
            final long t2 = LpmSpeed.cpu();
            final long sc = runV2(h, addresses);
            final long t3 = LpmSpeed.cpu();
            final long sd = runV3(h, addresses);
            final long t4 = LpmSpeed.cpu();
            if (sa != sb || sb != sc || sc != sd)
            {
                throw new AssertionError();
            }
            r[0][rep] = addresses.length / ((t1 - t0) / 1e3);
            r[1][rep] = addresses.length / ((t2 - t1) / 1e3);
            r[2][rep] = addresses.length / ((t3 - t2) / 1e3);
            r[3][rep] = addresses.length / ((t4 - t3) / 1e3);
        }
        for (final double[] x : r)
        {
            java.util.Arrays.sort(x);
        }
        System.out.printf("medians: table %.1f  arrays-passed %.1f  volatile-root+plain-dir %.1f  volatile-root+acquire-dir %.1f M/s%n", r[0][rounds / 2], r[1][rounds / 2],
            r[2][rounds / 2], r[3][rounds / 2]);
    }
}
