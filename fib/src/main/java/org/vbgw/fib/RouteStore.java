package org.vbgw.fib;

import java.util.Arrays;

/**
 * The writer's authoritative route set behind {@link Poptrie}: every route as (key, length, value),
 * found by exact prefix through an open-addressing hash; and, for each direct-pointing slot, the ids
 * of its routes longer than the slot in prefix order, so the routes under any trie node are one
 * contiguous, already sorted range (found by binary search) to rebuild that node from.
 * <p>
 * Keys are 128-bit, left-aligned: an IPv6 prefix is {@code (hi, lo)}, an IPv4 prefix is
 * {@code hi = address << 32, lo = 0} (the {@code lo} array is not even allocated for IPv4).
 * Host bits are always clear (the tables check that before calling in).
 * <p>
 * Threading: writer thread only. No reader thread ever touches this class, so every field is a plain
 * field with no ordering requirement; the lookup structure readers use is published separately by
 * {@link Poptrie}.
 */
final class RouteStore
{
    /** Routes with more than this many per table are refused: keeps indices comfortably in an int. */
    static final int MAX_ROUTES = 1 << 28;

    /** True for 128-bit keys (IPv6); false for IPv4, where {@link #lo} is null. Immutable. */
    final boolean wide;
    /** Bits of the direct-pointing slot; routes longer than this are listed under their slot. Immutable. */
    final int slotBits;
    /** Longest prefix length (32 or 128). Immutable. */
    final int maxLength;

    // Route records, indexed by route id. Writer only. A free record has len == -1 and sits on the
    // free list through next[].
    private long[] hi;
    private long[] lo;
    private short[] len;
    private int[] val;
    /** Next free record; -1 ends the free list. */
    private int[] next;
    /** Records ever used (high-water mark). */
    private int top;
    private int freeHead = -1;
    private int size;

    /** Open-addressing hash of route ids + 1 (0 = empty), linear probing, load factor at most 1/2. */
    private int[] table;
    /** Per slot: ids of its routes longer than {@link #slotBits}, sorted by prefix (null when none). */
    private final int[][] slotIds;
    /** Per slot: how many of {@link #slotIds} are in use. */
    private final int[] slotCount;
    /** During a bulk load, slot lists are appended to unsorted and sorted once at the end. */
    private boolean bulk;
    /** Number of routes of each length, so prefix-length scans skip empty lengths. */
    private final int[] countByLength;

    RouteStore(final boolean wide, final int slotBits)
    {
        this.wide = wide;
        this.slotBits = slotBits;
        this.maxLength = wide ? 128 : 32;
        this.slotIds = new int[1 << slotBits][];
        this.slotCount = new int[1 << slotBits];
        this.countByLength = new int[maxLength + 1];
        clear(16);
    }

    /** Forgets every route and sizes the store for {@code expected} routes. */
    void clear(final int expected)
    {
        final int cap = Math.max(16, expected);
        hi = new long[cap];
        lo = wide ? new long[cap] : null;
        len = new short[cap];
        val = new int[cap];
        next = new int[cap];
        top = 0;
        freeHead = -1;
        size = 0;
        table = new int[tableSizeFor(cap)];
        Arrays.fill(slotIds, null);
        Arrays.fill(slotCount, 0);
        Arrays.fill(countByLength, 0);
    }

    int size()
    {
        return size;
    }

    long hi(final int r)
    {
        return hi[r];
    }

    long lo(final int r)
    {
        return wide ? lo[r] : 0;
    }

    int length(final int r)
    {
        return len[r];
    }

    int value(final int r)
    {
        return val[r];
    }

    /** The slot's sorted route ids (valid up to {@link #slotCount(int)}; may be null when empty). */
    int[] slotIds(final int slot)
    {
        return slotIds[slot];
    }

    int slotCount(final int slot)
    {
        return slotCount[slot];
    }

    /** Starts a bulk load: {@link #put} appends to slot lists without keeping them sorted. */
    void beginBulk()
    {
        bulk = true;
    }

    /** Ends a bulk load: sorts every slot list. */
    void endBulk()
    {
        bulk = false;
        for (int slot = 0; slot < slotIds.length; slot++)
        {
            if (slotCount[slot] > 1)
            {
                sortByPrefix(slotIds[slot], 0, slotCount[slot]);
            }
        }
    }

    /**
     * The index range {@code [from, to)}, packed as {@code (long)from << 32 | to}, of the slot's routes
     * that lie under the first {@code off} bits of the key and are longer than {@code off}.
     */
    long rangeUnder(final int slot, final long keyHi, final long keyLo, final int off)
    {
        final long firstHi = keyHi & IpPrefix.mask128Hi(off);
        final long firstLo = keyLo & IpPrefix.mask128Lo(off);
        final int from = lowerBound(slot, firstHi, firstLo, off + 1);
        final int to = lowerBound(slot, firstHi | ~IpPrefix.mask128Hi(off), firstLo | ~IpPrefix.mask128Lo(off), 256);
        return (long)from << 32 | to;
    }

    /** First index in the slot's list whose route is not before (hi, lo, len) in prefix order. */
    private int lowerBound(final int slot, final long keyHi, final long keyLo, final int length)
    {
        final int[] ids = slotIds[slot];
        int a = 0;
        int b = slotCount[slot];
        while (a < b)
        {
            final int m = (a + b) >>> 1;
            if (compareTo(ids[m], keyHi, keyLo, length) < 0)
            {
                a = m + 1;
            }
            else
            {
                b = m;
            }
        }
        return a;
    }

    private int compareTo(final int r, final long keyHi, final long keyLo, final int length)
    {
        int c = Long.compareUnsigned(hi[r], keyHi);
        if (c == 0 && wide)
        {
            c = Long.compareUnsigned(lo[r], keyLo);
        }
        return c != 0 ? c : Integer.compare(len[r], length);
    }

    int countOfLength(final int length)
    {
        return countByLength[length];
    }

    int slotOf(final long keyHi)
    {
        return (int)(keyHi >>> (64 - slotBits));
    }

    /** The route id of exactly {@code key/length}, or -1. */
    int find(final long keyHi, final long keyLo, final int length)
    {
        final int mask = table.length - 1;
        for (int i = hash(keyHi, keyLo, length) & mask; ; i = (i + 1) & mask)
        {
            final int e = table[i];
            if (e == 0)
            {
                return -1;
            }
            final int r = e - 1;
            if (hi[r] == keyHi && len[r] == length && (!wide || lo[r] == keyLo))
            {
                return r;
            }
        }
    }

    /**
     * Adds or replaces a route.
     *
     * @return the previous value, or -1 when the route is new.
     */
    int put(final long keyHi, final long keyLo, final int length, final int value)
    {
        final int existing = find(keyHi, keyLo, length);
        if (existing >= 0)
        {
            final int old = val[existing];
            val[existing] = value;
            return old;
        }
        if (size >= MAX_ROUTES)
        {
            throw new IllegalStateException("route table full: " + size + " routes");
        }
        final int r = allocate();
        hi[r] = keyHi;
        if (wide)
        {
            lo[r] = keyLo;
        }
        len[r] = (short)length;
        val[r] = value;
        next[r] = -1;
        if (length > slotBits)
        {
            final int slot = slotOf(keyHi);
            final int n = slotCount[slot];
            int[] ids = slotIds[slot];
            if (ids == null || n == ids.length)
            {
                ids = slotIds[slot] = ids == null ? new int[4] : Arrays.copyOf(ids, n + (n >> 1) + 4);
            }
            final int at = bulk ? n : lowerBound(slot, keyHi, keyLo, length);
            System.arraycopy(ids, at, ids, at + 1, n - at);
            ids[at] = r;
            slotCount[slot] = n + 1;
        }
        size++;
        countByLength[length]++;
        if (2 * size > table.length)
        {
            rehash(table.length * 2);
        }
        else
        {
            insertIntoTable(r);
        }
        return -1;
    }

    /**
     * Removes a route.
     *
     * @return its value, or -1 when there was none.
     */
    int remove(final long keyHi, final long keyLo, final int length)
    {
        final int mask = table.length - 1;
        int i = hash(keyHi, keyLo, length) & mask;
        int r;
        for (; ; i = (i + 1) & mask)
        {
            final int e = table[i];
            if (e == 0)
            {
                return -1;
            }
            r = e - 1;
            if (hi[r] == keyHi && len[r] == length && (!wide || lo[r] == keyLo))
            {
                break;
            }
        }
        deleteFromTable(i);
        if (length > slotBits)
        {
            final int slot = slotOf(keyHi);
            final int at = lowerBound(slot, keyHi, keyLo, length);
            final int n = slotCount[slot] - 1;
            final int[] ids = slotIds[slot];
            System.arraycopy(ids, at + 1, ids, at, n - at);
            slotCount[slot] = n;
            if (n == 0)
            {
                slotIds[slot] = null;
            }
            else if (ids.length > 64 && n < ids.length / 4)
            {
                slotIds[slot] = Arrays.copyOf(ids, n * 2);
            }
        }
        final int old = val[r];
        len[r] = -1;
        next[r] = freeHead;
        freeHead = r;
        size--;
        countByLength[length]--;
        return old;
    }

    /**
     * The id of the longest route of length at most {@code maxLen} that contains the key, or -1.
     * At most {@code maxLen + 1} hash probes, fewer when lengths are empty.
     */
    int longestMatch(final long keyHi, final long keyLo, final int maxLen)
    {
        return longestMatch(keyHi, keyLo, maxLen, 0);
    }

    /** As {@link #longestMatch(long, long, int)}, among lengths {@code minLen..maxLen} only. */
    int longestMatch(final long keyHi, final long keyLo, final int maxLen, final int minLen)
    {
        for (int l = maxLen; l >= minLen; l--)
        {
            if (countByLength[l] != 0)
            {
                final int r = find(keyHi & IpPrefix.mask128Hi(l), keyLo & IpPrefix.mask128Lo(l), l);
                if (r >= 0)
                {
                    return r;
                }
            }
        }
        return -1;
    }

    /** Ids of every route, unordered, in a new array of exactly {@link #size()} entries. */
    int[] allRoutes()
    {
        final int[] out = new int[size];
        int n = 0;
        for (int r = 0; r < top; r++)
        {
            if (len[r] >= 0)
            {
                out[n++] = r;
            }
        }
        return out;
    }

    /** Sorts route ids in prefix order: by key (unsigned), then shorter first. */
    void sortByPrefix(final int[] ids, final int from, final int to)
    {
        int lo0 = from;
        int hi0 = to - 1;
        // Quicksort with the smaller side recursed, insertion sort for short runs. Keys are unique.
        while (hi0 - lo0 > 16)
        {
            final int mid = (lo0 + hi0) >>> 1;
            if (compare(ids[mid], ids[lo0]) < 0)
            {
                swap(ids, mid, lo0);
            }
            if (compare(ids[hi0], ids[lo0]) < 0)
            {
                swap(ids, hi0, lo0);
            }
            if (compare(ids[hi0], ids[mid]) < 0)
            {
                swap(ids, hi0, mid);
            }
            final int pivot = ids[mid];
            int i = lo0;
            int j = hi0;
            while (i <= j)
            {
                while (compare(ids[i], pivot) < 0)
                {
                    i++;
                }
                while (compare(ids[j], pivot) > 0)
                {
                    j--;
                }
                if (i <= j)
                {
                    swap(ids, i, j);
                    i++;
                    j--;
                }
            }
            if (j - lo0 < hi0 - i)
            {
                sortByPrefix(ids, lo0, j + 1);
                lo0 = i;
            }
            else
            {
                sortByPrefix(ids, i, hi0 + 1);
                hi0 = j;
            }
        }
        for (int i = lo0 + 1; i <= hi0; i++)
        {
            final int x = ids[i];
            int j = i - 1;
            while (j >= lo0 && compare(ids[j], x) > 0)
            {
                ids[j + 1] = ids[j];
                j--;
            }
            ids[j + 1] = x;
        }
    }

    /** Approximate bytes held (arrays at capacity, 16-byte array headers). */
    long memoryBytes()
    {
        final long perRecord = 8L + (wide ? 8 : 0) + 2 + 4 + 4;
        long slotLists = 0;
        for (final int[] ids : slotIds)
        {
            if (ids != null)
            {
                slotLists += 16 + 4L * ids.length;
            }
        }
        return perRecord * hi.length + 4L * table.length + 8L * slotIds.length + slotLists + 64;
    }

    private int compare(final int a, final int b)
    {
        int c = Long.compareUnsigned(hi[a], hi[b]);
        if (c == 0 && wide)
        {
            c = Long.compareUnsigned(lo[a], lo[b]);
        }
        return c != 0 ? c : Integer.compare(len[a], len[b]);
    }

    private static void swap(final int[] a, final int i, final int j)
    {
        final int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    private int allocate()
    {
        if (freeHead >= 0)
        {
            final int r = freeHead;
            freeHead = next[r];
            return r;
        }
        if (top == hi.length)
        {
            final int cap = (int)Math.min(Integer.MAX_VALUE - 16, hi.length * 3L / 2 + 16);
            hi = Arrays.copyOf(hi, cap);
            if (wide)
            {
                lo = Arrays.copyOf(lo, cap);
            }
            len = Arrays.copyOf(len, cap);
            val = Arrays.copyOf(val, cap);
            next = Arrays.copyOf(next, cap);
        }
        return top++;
    }

    private int hashOf(final int r)
    {
        return hash(hi[r], wide ? lo[r] : 0, len[r]);
    }

    private void insertIntoTable(final int r)
    {
        final int mask = table.length - 1;
        int i = hashOf(r) & mask;
        while (table[i] != 0)
        {
            i = (i + 1) & mask;
        }
        table[i] = r + 1;
    }

    /** Backward-shift deletion: keeps probe sequences intact without tombstones. */
    private void deleteFromTable(final int slot)
    {
        final int mask = table.length - 1;
        int gap = slot;
        int j = slot;
        for (;;)
        {
            j = (j + 1) & mask;
            final int e = table[j];
            if (e == 0)
            {
                table[gap] = 0;
                return;
            }
            final int home = hashOf(e - 1) & mask;
            // The entry at j may move into the gap unless its home lies cyclically in (gap, j].
            final boolean homeBetween = gap <= j ? (gap < home && home <= j) : (gap < home || home <= j);
            if (!homeBetween)
            {
                table[gap] = e;
                gap = j;
            }
        }
    }

    private void rehash(final int newSize)
    {
        table = new int[newSize];
        for (int r = 0; r < top; r++)
        {
            if (len[r] >= 0)
            {
                insertIntoTable(r);
            }
        }
    }

    private static int tableSizeFor(final int routes)
    {
        int n = 32;
        while (n < 2L * routes + 2)
        {
            n <<= 1;
        }
        return n;
    }

    private static int hash(final long keyHi, final long keyLo, final int length)
    {
        long x = keyHi * 0x9E3779B97F4A7C15L ^ keyLo * 0xC2B2AE3D27D4EB4FL ^ (length + 1) * 0x165667B19E3779F9L;
        x ^= x >>> 31;
        x *= 0xD6E8FEB86659FD93L;
        x ^= x >>> 32;
        return (int)x;
    }
}
