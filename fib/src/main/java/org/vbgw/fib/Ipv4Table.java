package org.vbgw.fib;

/**
 * IPv4 longest-prefix match: prefix (/0–/32) → int value (a next-hop group id, ≥ 0).
 * <p>
 * One writer thread calls the mutators ({@link #put}, {@link #remove}, {@link #bulkLoad}) and the
 * writer-side queries ({@link #get}, {@link #matchLength}, {@link #forEach}, {@link #size},
 * {@link #memoryBytes}); any number of reader threads call {@link #lookup(int)} concurrently. Lookups
 * are wait-free, allocate nothing, and see each change whole: a lookup that overlaps a change returns
 * the answer from before it or from after it, never anything else.
 * <p>
 * The lookup structure is a {@link Poptrie} with an 18-bit direct-pointing top level and 6-bit
 * popcount-compressed nodes below it (a slot root and at most two more levels), in two flat primitive
 * arrays; the writer keeps the authoritative route set beside it and rebuilds only the nodes a change
 * touches. {@link #lookupBatch} interleaves eight lookups so their cache misses overlap.
 * <p>
 * Any int value from 0 to {@link Integer#MAX_VALUE} may be stored. While every value is at most
 * 65533 the trie keeps 16-bit leaves (smaller, so more of it stays in cache); the first larger value
 * rewrites it once with 32-bit leaves (a {@link #bulkLoad} picks the width afresh).
 */
public final class Ipv4Table
{
    /** Returned by lookups that match no prefix. */
    public static final int NO_ROUTE = -1;

    /** Bits resolved by the direct-pointing top level. */
    static final int SLOT_BITS = 18;

    /** Receives routes in prefix order from {@link #forEach(RouteConsumer)}. */
    @FunctionalInterface
    public interface RouteConsumer
    {
        void accept(int prefix, int length, int value);
    }

    /**
     * The trie and its writer-side route set. The reference is final; inside it, {@link Poptrie#root}
     * is the only field readers load (volatile), see there for who writes what.
     */
    private final Poptrie trie = new Poptrie(false, SLOT_BITS);

    public Ipv4Table()
    {
    }

    /** Adds or replaces the route for {@code prefix/length}. Writer thread only. */
    public void put(final int prefix, final int length, final int value)
    {
        check(prefix, length);
        checkValue(value);
        trie.put(key(prefix), 0, length, value);
    }

    /** Removes the route for {@code prefix/length}; false when there was none. Writer thread only. */
    public boolean remove(final int prefix, final int length)
    {
        check(prefix, length);
        return trie.remove(key(prefix), 0, length);
    }

    /** Exact match: the value stored for {@code prefix/length}, or {@link #NO_ROUTE}. Writer thread only. */
    public int get(final int prefix, final int length)
    {
        check(prefix, length);
        return trie.get(key(prefix), 0, length);
    }

    /**
     * Longest-prefix match for {@code address}: its value or {@link #NO_ROUTE}. Any thread; wait-free;
     * allocates nothing.
     */
    public int lookup(final int address)
    {
        // Acquire (volatile) load of the current generation; everything in it was written before.
        final Poptrie.Root r = trie.root;
        final long[] words = r.words;
        // Volatile load of the slot's root position: the subtree was written before its release store.
        final int rootPos = Words.dirEntry(r.dir, address >>> (32 - SLOT_BITS));
        return walk(words, r.narrow, rootPos, Words.get(words, rootPos), address);
    }

    /**
     * {@code results[i] = lookup(addresses[i])} for {@code i < count}, with the same guarantees per
     * address (wait-free, old-or-new answer under a concurrent change, no allocation). Lookups go eight
     * at a time, each step issued for all eight before the next, so their cache misses overlap: on an
     * Internet-size table that is well over the throughput of calling {@link #lookup(int)} in a loop.
     * Any thread.
     */
    public void lookupBatch(final int[] addresses, final int[] results, final int count)
    {
        if (count < 0 || count > addresses.length || count > results.length)
        {
            throw new IllegalArgumentException("batch count " + count + " out of range of the arrays");
        }
        final Poptrie.Root r = trie.root;
        final int[] dir = r.dir;
        final long[] words = r.words;
        final boolean narrow = r.narrow;
        final int shift = 32 - SLOT_BITS;
        int i = 0;
        for (; i + 8 <= count; i += 8)
        {
            final int a0 = addresses[i];
            final int a1 = addresses[i + 1];
            final int a2 = addresses[i + 2];
            final int a3 = addresses[i + 3];
            final int a4 = addresses[i + 4];
            final int a5 = addresses[i + 5];
            final int a6 = addresses[i + 6];
            final int a7 = addresses[i + 7];
            final int p0 = Words.dirEntry(dir, a0 >>> shift);
            final int p1 = Words.dirEntry(dir, a1 >>> shift);
            final int p2 = Words.dirEntry(dir, a2 >>> shift);
            final int p3 = Words.dirEntry(dir, a3 >>> shift);
            final int p4 = Words.dirEntry(dir, a4 >>> shift);
            final int p5 = Words.dirEntry(dir, a5 >>> shift);
            final int p6 = Words.dirEntry(dir, a6 >>> shift);
            final int p7 = Words.dirEntry(dir, a7 >>> shift);
            final long v0 = Words.get(words, p0);
            final long v1 = Words.get(words, p1);
            final long v2 = Words.get(words, p2);
            final long v3 = Words.get(words, p3);
            final long v4 = Words.get(words, p4);
            final long v5 = Words.get(words, p5);
            final long v6 = Words.get(words, p6);
            final long v7 = Words.get(words, p7);
            results[i] = walk(words, narrow, p0, v0, a0);
            results[i + 1] = walk(words, narrow, p1, v1, a1);
            results[i + 2] = walk(words, narrow, p2, v2, a2);
            results[i + 3] = walk(words, narrow, p3, v3, a3);
            results[i + 4] = walk(words, narrow, p4, v4, a4);
            results[i + 5] = walk(words, narrow, p5, v5, a5);
            results[i + 6] = walk(words, narrow, p6, v6, a6);
            results[i + 7] = walk(words, narrow, p7, v7, a7);
        }
        for (; i < count; i++)
        {
            final int p = Words.dirEntry(dir, addresses[i] >>> shift);
            results[i] = walk(words, narrow, p, Words.get(words, p), addresses[i]);
        }
    }

    /** From the slot root at {@code rootPos} (whose vector is given) down to the leaf of {@code address}. */
    private static int walk(final long[] words, final boolean narrow, final int rootPos, final long rootVector,
                            final int address)
    {
        // The slot default, loaded unconditionally (same cache line as the root) so the final choice
        // below needs no hard-to-predict branch.
        final int slotDefault = (int)Words.get(words, rootPos + Poptrie.ROOT_DEFAULT);
        int p = rootPos;
        long vector = rootVector;
        int shift = SLOT_BITS;
        // The next 6 address bits; past bit 31 they read as zero.
        int v = (address << shift) >>> 26;
        while ((vector >>> v & 1) != 0)
        {
            p = (int)(Words.get(words, p + 2) >>> 32) + Poptrie.NODE_LONGS * (Long.bitCount(vector & ((2L << v) - 1)) - 1);
            shift += Poptrie.STRIDE;
            vector = Words.get(words, p);
            v = (address << shift) >>> 26;
        }
        // Leaves are 16- or 32-bit, packed in longs (unchecked reads: see Words); the width is fixed
        // per generation, so this branch always goes the same way.
        final int li = (int)Words.get(words, p + 2) + Long.bitCount(Words.get(words, p + 1) & ((2L << v) - 1)) - 1;
        final int leaf = narrow ? Words.leaf16(words, li) : Words.leaf(words, li);
        // INHERIT: the match is the slot's default route (length <= SLOT_BITS).
        return Poptrie.inherit(leaf, slotDefault);
    }

    /** Length of the longest prefix matching {@code address}, or -1. Writer thread only. */
    public int matchLength(final int address)
    {
        return trie.matchLength(key(address), 0);
    }

    /**
     * Replaces the whole table with {@code count} routes from the arrays (a later duplicate wins).
     * Every route is checked first: on a bad one the table is left unchanged. Readers see the old
     * table until the new one is published whole. Writer thread only.
     */
    public void bulkLoad(final int[] prefixes, final int[] lengths, final int[] values, final int count)
    {
        if (count < 0 || count > prefixes.length || count > lengths.length || count > values.length)
        {
            throw new IllegalArgumentException("route count " + count + " out of range of the arrays");
        }
        if (count > RouteStore.MAX_ROUTES)
        {
            throw new IllegalArgumentException("too many routes: " + count);
        }
        final long[] keys = new long[count];
        for (int i = 0; i < count; i++)
        {
            check(prefixes[i], lengths[i]);
            checkValue(values[i]);
            keys[i] = key(prefixes[i]);
        }
        trie.bulkLoad(keys, null, lengths, values, count);
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

    long[] shape()
    {
        return trie.shape();
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
        final int[] prefixes = new int[n];
        final int[] lengths = new int[n];
        final int[] values = new int[n];
        for (int i = 0; i < n; i++)
        {
            prefixes[i] = (int)(rs.hi(ids[i]) >>> 32);
            lengths[i] = rs.length(ids[i]);
            values[i] = rs.value(ids[i]);
        }
        for (int i = 0; i < n; i++)
        {
            consumer.accept(prefixes[i], lengths[i], values[i]);
        }
    }

    private static long key(final int address)
    {
        return (address & 0xFFFF_FFFFL) << 32;
    }

    static void checkValue(final int value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException("route value must be >= 0: " + value);
        }
    }

    static void check(final int prefix, final int length)
    {
        if (length < 0 || length > 32)
        {
            throw new IllegalArgumentException("IPv4 prefix length " + length + " out of range 0..32");
        }
        if ((prefix & ~IpPrefix.mask32(length)) != 0)
        {
            throw new IllegalArgumentException("host bits set in " + IpPrefix.formatIpv4(prefix) + "/" + length);
        }
    }
}
