package org.vbgw.fib;

/**
 * IPv6 longest-prefix match: prefix (/0–/128, two big-endian 64-bit halves) → int value (≥ 0).
 * <p>
 * One writer thread calls the mutators ({@link #put}, {@link #remove}, {@link #bulkLoad}) and the
 * writer-side queries ({@link #get}, {@link #matchLength}, {@link #forEach}, {@link #size},
 * {@link #memoryBytes}); any number of reader threads call {@link #lookup(long, long)} concurrently.
 * Lookups are wait-free, allocate nothing, and see each change whole: a lookup that overlaps a change
 * returns the answer from before it or from after it, never anything else.
 * <p>
 * The lookup structure is a {@link Poptrie} with a 16-bit direct-pointing top level and 6-bit
 * popcount-compressed nodes below it: 16 + 8 × 6 = 64, so nodes never straddle the two halves, and
 * an Internet /48 is reached in at most six node steps. Any int value from 0 to
 * {@link Integer#MAX_VALUE} may be stored (16-bit leaves while every value is at most 65533, as for
 * {@link Ipv4Table}).
 */
public final class Ipv6Table
{
    /** Returned by lookups that match no prefix. */
    public static final int NO_ROUTE = -1;

    /** Bits resolved by the direct-pointing top level. */
    static final int SLOT_BITS = 16;

    /** Receives routes in prefix order from {@link #forEach(RouteConsumer)}. */
    @FunctionalInterface
    public interface RouteConsumer
    {
        void accept(long hi, long lo, int length, int value);
    }

    /**
     * The trie and its writer-side route set. The reference is final; inside it, {@link Poptrie#root}
     * is the only field readers load (volatile), see there for who writes what.
     */
    private final Poptrie trie = new Poptrie(true, SLOT_BITS);

    public Ipv6Table()
    {
    }

    /** Adds or replaces the route for the prefix. Writer thread only. */
    public void put(final long hi, final long lo, final int length, final int value)
    {
        check(hi, lo, length);
        Ipv4Table.checkValue(value);
        trie.put(hi, lo, length, value);
    }

    /** Removes the route; false when there was none. Writer thread only. */
    public boolean remove(final long hi, final long lo, final int length)
    {
        check(hi, lo, length);
        return trie.remove(hi, lo, length);
    }

    /** Exact match: the value stored for the prefix, or {@link #NO_ROUTE}. Writer thread only. */
    public int get(final long hi, final long lo, final int length)
    {
        check(hi, lo, length);
        return trie.get(hi, lo, length);
    }

    /**
     * Longest-prefix match: the value or {@link #NO_ROUTE}. Any thread; wait-free; allocates nothing.
     */
    public int lookup(final long hi, final long lo)
    {
        // Acquire (volatile) load of the current generation; everything in it was written before.
        final Poptrie.Root r = trie.root;
        final long[] words = r.words;
        // Acquire load of the slot's root position: the subtree was written before its release store.
        final int rootPos = Words.dirEntry(r.dir, (int)(hi >>> (64 - SLOT_BITS)));
        final int slotDefault = (int)Words.get(words, rootPos + Poptrie.ROOT_DEFAULT);
        int p = rootPos;
        long vector = Words.get(words, p);
        int shift = SLOT_BITS;
        long bits = hi;
        // The next 6 bits; past bit 127 they read as zero.
        int v = (int)((bits << shift) >>> 58);
        while ((vector >>> v & 1) != 0)
        {
            p = (int)(Words.get(words, p + 2) >>> 32) + Poptrie.NODE_LONGS * (Long.bitCount(vector & ((2L << v) - 1)) - 1);
            shift += Poptrie.STRIDE;
            if (shift == 64)
            {
                // Continue in the low half; 64 - SLOT_BITS is a multiple of the stride.
                bits = lo;
                shift = 0;
            }
            vector = Words.get(words, p);
            v = (int)((bits << shift) >>> 58);
        }
        // Leaves are 16- or 32-bit (fixed per generation), packed in longs (unchecked reads: see Words).
        final int li = (int)Words.get(words, p + 2) + Long.bitCount(Words.get(words, p + 1) & ((2L << v) - 1)) - 1;
        final int leaf = r.narrow ? Words.leaf16(words, li) : Words.leaf(words, li);
        // INHERIT: the match is the slot's default route (length <= SLOT_BITS).
        return Poptrie.inherit(leaf, slotDefault);
    }

    /** Length of the longest prefix matching the address, or -1. Writer thread only. */
    public int matchLength(final long hi, final long lo)
    {
        return trie.matchLength(hi, lo);
    }

    /**
     * Replaces the whole table with {@code count} routes from the arrays (a later duplicate wins).
     * Every route is checked first: on a bad one the table is left unchanged. Readers see the old
     * table until the new one is published whole. Writer thread only.
     */
    public void bulkLoad(final long[] his, final long[] los, final int[] lengths, final int[] values, final int count)
    {
        if (count < 0 || count > his.length || count > los.length || count > lengths.length || count > values.length)
        {
            throw new IllegalArgumentException("route count " + count + " out of range of the arrays");
        }
        if (count > RouteStore.MAX_ROUTES)
        {
            throw new IllegalArgumentException("too many routes: " + count);
        }
        for (int i = 0; i < count; i++)
        {
            check(his[i], los[i], lengths[i]);
            Ipv4Table.checkValue(values[i]);
        }
        trie.bulkLoad(his, los, lengths, values, count);
    }

    /** Compactions of the lookup arrays so far (for tests). Writer thread only. */
    int compactions()
    {
        return trie.compactions();
    }

    /** Copies the live trie into fresh arrays now (for tests). Writer thread only. */
    void compact()
    {
        trie.compactNow();
    }

    /** Sizes of the lookup arrays in use (diagnostics). Writer thread only. */
    String usage()
    {
        return trie.usage();
    }

    /** Number of routes. Writer thread only. */
    public int size()
    {
        return trie.size();
    }

    /**
     * Bytes held: the lookup arrays of the current generation (with their headroom and any garbage
     * not yet compacted away) plus the writer's route set and bookkeeping. Writer thread only.
     */
    public long memoryBytes()
    {
        return trie.memoryBytes();
    }

    /** Visits every route in prefix order (by address, then shorter first). Writer thread only. */
    public void forEach(final RouteConsumer consumer)
    {
        final RouteStore rs = trie.routes;
        final int[] ids = rs.allRoutes();
        rs.sortByPrefix(ids, 0, ids.length);
        // Snapshot first so the consumer may change the table.
        final int n = ids.length;
        final long[] his = new long[n];
        final long[] los = new long[n];
        final int[] lengths = new int[n];
        final int[] values = new int[n];
        for (int i = 0; i < n; i++)
        {
            his[i] = rs.hi(ids[i]);
            los[i] = rs.lo(ids[i]);
            lengths[i] = rs.length(ids[i]);
            values[i] = rs.value(ids[i]);
        }
        for (int i = 0; i < n; i++)
        {
            consumer.accept(his[i], los[i], lengths[i], values[i]);
        }
    }

    static void check(final long hi, final long lo, final int length)
    {
        if (length < 0 || length > 128)
        {
            throw new IllegalArgumentException("IPv6 prefix length " + length + " out of range 0..128");
        }
        if ((hi & ~IpPrefix.mask128Hi(length)) != 0 || (lo & ~IpPrefix.mask128Lo(length)) != 0)
        {
            throw new IllegalArgumentException("host bits set in " + IpPrefix.format(true, hi, lo) + "/" + length);
        }
    }
}
