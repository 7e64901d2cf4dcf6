package org.vbgw.fib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The wait-free lookup structure behind {@link Ipv4Table} and {@link Ipv6Table}: a Poptrie
 * (Asai &amp; Ohara, "Poptrie: A Compressed Trie with Population Count for Fast and Scalable Software
 * IP Routing Table Lookup", SIGCOMM 2015) kept in two flat primitive arrays, plus the writer-side
 * {@link RouteStore} it is rebuilt from.
 *
 * <h2>Layout (one {@link Root})</h2>
 * <ul>
 *   <li>{@code dir[1 << slotBits]}: direct pointing on the top {@code slotBits} bits of the key: the word
 *       position of the slot's root node. A slot without routes longer than {@code slotBits} points at a
 *       shared "leaf root" for its value (a root with no children and one leaf), so every lookup takes the
 *       same path with no hard-to-predict branch on the kind of slot.</li>
 *   <li>{@code words}: nodes and leaves. A node is three longs {@code [vector, leafvec, base1 << 32 | base0]}
 *       and consumes the next 6 key bits {@code v}. Bit {@code v} of {@code vector} set: the child is the
 *       node at word {@code base1 + 3 * (popcount(vector & ((2 << v) - 1)) - 1)} (a node's internal children
 *       are one contiguous block). Clear: the child is leaf number
 *       {@code base0 + popcount(leafvec & ((2 << v) - 1)) - 1}, counting leaves in the words array viewed
 *       as 16-bit (four per long, holding value + 2) while every value fits {@link #NARROW_MAX}, else as
 *       32-bit (two per long); see {@link Words}, which the lookup loops read through, and
 *       {@link Root#narrow}. {@code leafvec} marks where each run of equal leaves starts, so a run is
 *       stored once (leaf compression). Key bits past the end of the address read as zero, so the last
 *       IPv4 or IPv6 level just leaves most children unused.</li>
 *   <li>A slot's root node has a fourth word, {@link #ROOT_DEFAULT}, and its leaves follow it directly.
 *       Roots start at word 6 modulo 8: with the array's 16-byte header that is a 64-byte boundary when
 *       the array itself is (G1 puts large arrays at region starts), so a root with up to eight leaf runs
 *       is one cache line, and a lookup that ends at the root costs the dir entry and that line.</li>
 *   <li>Leaves hold route values, {@code -1} for no route, or {@link #INHERIT} for "the longest match is a
 *       route of length &lt;= slotBits": the lookup then returns the root's default word. A route's leaf
 *       whose value equals the slot default is stored as INHERIT too, so it merges with its inherited
 *       neighbours (see {@code merged}).</li>
 * </ul>
 *
 * <h2>Updates and memory reclamation</h2>
 * The single writer changes the route set in {@link RouteStore}, then:
 * <ul>
 *   <li>a route of length &lt;= slotBits only changes slot defaults: a leaf slot's dir entry, or the
 *       default word of a subtree's root (see {@link #ROOT_DEFAULT}); no leaf is rewritten;</li>
 *   <li>a longer route changes one slot: the writer finds the deepest node X whose range contains the
 *       route, rebuilds X's subtree off to the side from the routes under X (a contiguous sorted range in
 *       the route store), copies the node blocks on the path from X up to the slot root (path copying:
 *       siblings are copied, their subtrees shared), and switches the dir entry to the new root with a
 *       release store.</li>
 * </ul>
 * New words are always appended after everything in use, never written over anything a reader may
 * still be walking; replaced words become garbage inside the array. When the array is full the writer
 * copies the live subtrees into a fresh array (compaction) and publishes a new {@link Root} with a
 * volatile store; readers still on the old root finish there undisturbed, and the garbage collector
 * frees it once they are gone. Apart from {@link #ROOT_DEFAULT}, no word a reader can reach is ever
 * written again.
 * <p>
 * A lookup therefore reads: the volatile {@link #root}, one dir entry (acquire), then immutable words.
 * It never waits, retries or allocates, and it sees each slot either before or after any change.
 * <p>
 * Costs: a change to a route longer than slotBits rebuilds the subtree of the deepest node whose range
 * holds it (from the routes under that node only) plus one child-block copy per level above it; a
 * change to a shorter route
 * touches one dir entry or root word per slot it covers (a default route: every slot, O(2^slotBits)
 * small stores, no rebuild). Compaction is O(live words) and happens after O(live words) of appends.
 */
final class Poptrie
{
    static final int NO_ROUTE = -1;
    /** Key bits each trie node consumes. */
    static final int STRIDE = 6;
    /** Longs per node inside a child block: vector, leafvec, bases. */
    static final int NODE_LONGS = 3;
    /** Longs of a slot's root node: a node plus the slot default; its leaves follow. */
    static final int ROOT_LONGS = 4;
    /**
     * Offset of the slot default in a root node, held in the low 32 bits (the high half is zero, so even
     * a JVM that splits long stores into halves cannot tear the int readers take from it).
     * <p>
     * Unlike every other word, this one is rewritten in place, by the writer with {@code setRelease},
     * whenever the slot's default route changes while the root is current; readers load it plainly.
     * That is safe because the subtree a root describes never changes: a reader that reached root R sees
     * R's subtree with a default R held at some instant after the reader loaded the dir entry (either
     * still current, or the last value R had before a rebuild or compaction retired it), and R's subtree
     * with that default was at that instant the whole, true state of the slot.
     */
    static final int ROOT_DEFAULT = 3;
    /** Leaf value: the match is the slot default route (length &lt;= slotBits) in the root node. */
    static final int INHERIT = -2;
    /** Most words a generation may hold: leaf indexes (up to four per word) must fit 32 bits. */
    static final int MAX_WORDS = (1 << 30) - 16;
    /** Largest value 16-bit leaves hold (they store value + 2, so INHERIT and NO_ROUTE fit too). */
    static final int NARROW_MAX = 0xFFFF - 2;

    /**
     * {@code leaf == INHERIT ? slotDefault : leaf}, without a branch: whether a lookup ends on an
     * inherited leaf depends on the address, and a branch the JIT lays out from a lopsided profile
     * mispredicts on every other lookup and stalls the ones queued behind it.
     */
    static int inherit(final int leaf, final int slotDefault)
    {
        // Leaves are >= -1 except INHERIT (-2), the only negative even one: the mask is all ones
        // exactly for INHERIT (no arithmetic that could overflow on Integer.MAX_VALUE).
        final int mask = (leaf >> 31) & ((leaf & 1) - 1);
        return leaf ^ ((leaf ^ slotDefault) & mask);
    }

    /** Release stores to {@link Root#dir} elements (and acquire loads in the generic lookup). */
    static final VarHandle DIR = MethodHandles.arrayElementVarHandle(int[].class);
    /** Release stores of a root node's default word (see {@link #ROOT_DEFAULT}). */
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

    /**
     * One generation of the lookup arrays. The references are final, so a reader that obtained a Root
     * through the volatile {@link #root} sees the arrays and everything written into them before the
     * Root was published.
     */
    static final class Root
    {
        /**
         * Direct-pointing entries (root positions). Written by the writer: plain stores before the Root
         * is published, then only {@code setRelease} (after the subtree the entry points at is completely
         * written). Read by readers with an acquire or volatile load ({@link Words#dirEntry}), which
         * makes the subtree's plain stores visible.
         */
        final int[] dir;
        /**
         * Nodes and leaves. Written by the writer only at positions no published dir entry reaches
         * (appended past the in-use mark, then published through dir); never rewritten afterwards, except
         * the {@link #ROOT_DEFAULT} words. Read by readers with plain loads, ordered after the acquire load
         * of the dir entry that led to them.
         */
        final long[] words;

        /**
         * True when leaves are 16 bits (four per long, value + 2 as an unsigned char), false when 32 bits
         * (two per long). Fixed for a generation; switching writes a whole new generation.
         */
        final boolean narrow;

        Root(final int[] dir, final long[] words, final boolean narrow)
        {
            this.dir = dir;
            this.words = words;
            this.narrow = narrow;
        }
    }

    /**
     * The current generation. Written by the writer (volatile store = release) after the new Root's
     * arrays are fully written; read by any thread (volatile load = acquire) once per lookup.
     */
    volatile Root root;

    // ---- Everything below is writer-thread only (plain fields, never read by lookup threads). ----

    final RouteStore routes;
    final boolean wide;
    final int slotBits;
    final int maxLength;

    /** Value of the longest route of length <= slotBits covering each slot, -1 when none. */
    private final int[] defVal;
    /** Length of that route, -1 when none. */
    private final byte[] defLen;

    /** Per slot: true when the dir entry points at the slot's own subtree, false for a shared leaf root. */
    private final boolean[] hasSubtree;
    /**
     * Per slot: true when some leaf of its subtree holds INHERIT in place of an explicit route's value
     * that equalled the slot default (which merges it into the neighbouring inherited runs: better leaf
     * compression). Such a slot is rebuilt, not patched in place, when its default changes.
     */
    private final boolean[] merged;
    /** The slot default of the subtree being built, and whether the build merged a leaf into it. */
    private int buildDefault;
    private boolean buildMerged;
    /** Shared leaf roots of the current words array, by value. */
    private final java.util.HashMap<Integer, Integer> leafRoots = new java.util.HashMap<>();
    /** The last leaf root handed out, valid while {@link #wWords} is the array it was made in. */
    private int lastLeafRootValue = Integer.MIN_VALUE;
    private int lastLeafRootPos;
    private long[] lastLeafRootWords;

    /** Arrays being appended to: the published root's, or a private generation during a bulk load. */
    private int[] wDir;
    private long[] wWords;
    /**
     * Log2 of leaves per long in {@link #wWords}: 2 (16-bit leaves) while every value fits
     * {@link #NARROW_MAX}, else 1 (32-bit). Smaller leaves keep more of an Internet table in cache.
     */
    private int leafShift = 2;
    /** True while building a private generation (bulk load): arrays may simply grow. */
    private boolean privateGeneration;
    /** Words in use (everything at or past it is free). */
    private int top;
    /** Compactions so far (tests check that concurrency tests went through some). */
    private int compactions;

    // Scratch for building one subtree: the route ids being built from, per-depth child values and
    // lengths, and the subtree itself (positions relative to 0, relocated when copied into wWords).
    private int[] ids;
    private final int[][] childVal;
    private final int[][] childLen;
    private final int[][] leafBuf;
    private long[] tmp = new long[256];
    private int tmpTop;
    // The path from a slot root down to the node being rebuilt: node positions and child indexes.
    private final int[] pathPos;
    private final int[] pathIdx;

    Poptrie(final boolean wide, final int slotBits)
    {
        this.wide = wide;
        this.slotBits = slotBits;
        this.maxLength = wide ? 128 : 32;
        if (wide && (64 - slotBits) % STRIDE != 0)
        {
            // A node must never straddle the two 64-bit halves of an IPv6 key.
            throw new IllegalArgumentException("IPv6 slot bits must leave a multiple of 6 bits in the high half: " + slotBits);
        }
        this.routes = new RouteStore(wide, slotBits);
        final int slots = 1 << slotBits;
        this.defVal = new int[slots];
        this.defLen = new byte[slots];
        Arrays.fill(defVal, NO_ROUTE);
        Arrays.fill(defLen, (byte)-1);
        final int depth = (maxLength - slotBits + STRIDE - 1) / STRIDE + 1;
        this.childVal = new int[depth][64];
        this.childLen = new int[depth][64];
        this.leafBuf = new int[depth][64];
        this.pathPos = new int[depth];
        this.pathIdx = new int[depth];
        this.hasSubtree = new boolean[slots];
        this.merged = new boolean[slots];
        this.wWords = new long[4096];
        this.wDir = new int[slots];
        Arrays.fill(wDir, leafRoot(NO_ROUTE));
        this.root = new Root(wDir, wWords, true);
    }

    // ------------------------------------------------------------------------------------------
    // Writer API
    // ------------------------------------------------------------------------------------------

    int size()
    {
        return routes.size();
    }

    int compactions()
    {
        return compactions;
    }

    int get(final long keyHi, final long keyLo, final int length)
    {
        final int r = routes.find(keyHi, keyLo, length);
        return r < 0 ? NO_ROUTE : routes.value(r);
    }

    int matchLength(final long keyHi, final long keyLo)
    {
        final int r = routes.longestMatch(keyHi, keyLo, maxLength);
        return r < 0 ? -1 : routes.length(r);
    }

    void put(final long keyHi, final long keyLo, final int length, final int value)
    {
        if (value > NARROW_MAX && leafShift == 2)
        {
            // 16-bit leaves cannot hold it: rewrite the whole trie with 32-bit leaves first.
            rebuildAll(1, routes.size());
        }
        final int old = routes.put(keyHi, keyLo, length, value);
        if (old == value)
        {
            return;
        }
        if (length > slotBits)
        {
            updateSlot(keyHi, keyLo, length);
            return;
        }
        final int first = routes.slotOf(keyHi);
        final int count = 1 << (slotBits - length);
        for (int slot = first; slot < first + count; slot++)
        {
            if (defLen[slot] <= length)
            {
                defLen[slot] = (byte)length;
                defVal[slot] = value;
                updateDefault(slot);
            }
        }
        lastLeafRootValue = Integer.MIN_VALUE;
    }

    boolean remove(final long keyHi, final long keyLo, final int length)
    {
        if (routes.remove(keyHi, keyLo, length) < 0)
        {
            return false;
        }
        if (length > slotBits)
        {
            updateSlot(keyHi, keyLo, length);
            return true;
        }
        // Slots whose default was this route fall back to the longest shorter route covering it.
        final int cover = length == 0 ? -1 : routes.longestMatch(keyHi, keyLo, length - 1);
        final int coverLen = cover < 0 ? -1 : routes.length(cover);
        final int coverVal = cover < 0 ? NO_ROUTE : routes.value(cover);
        final int first = routes.slotOf(keyHi);
        final int count = 1 << (slotBits - length);
        for (int slot = first; slot < first + count; slot++)
        {
            if (defLen[slot] == length)
            {
                defLen[slot] = (byte)coverLen;
                defVal[slot] = coverVal;
                updateDefault(slot);
            }
        }
        lastLeafRootValue = Integer.MIN_VALUE;
        return true;
    }

    /**
     * Replaces every route. Keys must already be validated. The new table is built in a private
     * generation and published in one volatile store: readers see the old table or the new one.
     */
    void bulkLoad(final long[] keyHi, final long[] keyLo, final int[] lengths, final int[] values, final int count)
    {
        routes.clear(count);
        routes.beginBulk();
        for (int i = 0; i < count; i++)
        {
            routes.put(keyHi[i], keyLo == null ? 0 : keyLo[i], lengths[i], values[i]);
        }
        routes.endBulk();
        // Slot defaults: paint the short routes, shorter first so longer ones win.
        Arrays.fill(defVal, NO_ROUTE);
        Arrays.fill(defLen, (byte)-1);
        int shortRoutes = 0;
        for (int l = 0; l <= slotBits; l++)
        {
            shortRoutes += routes.countOfLength(l);
        }
        final int[] all = shortRoutes == 0 ? new int[0] : routes.allRoutes();
        for (int l = 0; l <= slotBits; l++)
        {
            if (routes.countOfLength(l) == 0)
            {
                continue;
            }
            for (final int r : all)
            {
                if (routes.length(r) == l)
                {
                    final int first = routes.slotOf(routes.hi(r));
                    Arrays.fill(defVal, first, first + (1 << (slotBits - l)), routes.value(r));
                    Arrays.fill(defLen, first, first + (1 << (slotBits - l)), (byte)l);
                }
            }
        }
        boolean fits = true;
        for (int i = 0; i < count && fits; i++)
        {
            fits = values[i] <= NARROW_MAX;
        }
        rebuildAll(fits ? 2 : 1, count);
    }

    /**
     * Builds every slot afresh from the route store and slot defaults in a private generation with
     * the given leaf width, grown as needed, then publishes it in one volatile store.
     */
    private void rebuildAll(final int newLeafShift, final int expectedRoutes)
    {
        leafShift = newLeafShift;
        privateGeneration = true;
        wDir = new int[1 << slotBits];
        wWords = new long[Math.max(4096, 4 * expectedRoutes)];
        top = 0;
        leafRoots.clear();
        Arrays.fill(hasSubtree, false);
        Arrays.fill(merged, false);
        for (int slot = 0; slot < wDir.length; slot++)
        {
            rebuildSlot(slot);
        }
        privateGeneration = false;
        // Leave room for updates before the first compaction.
        wWords = Arrays.copyOf(wWords, top + top / 4 + 4096);
        root = new Root(wDir, wWords, leafShift == 2);
    }

    /** Bytes held by the lookup arrays of the current generation plus the writer's structures. */
    long memoryBytes()
    {
        final Root r = root;
        final int slots = 1 << slotBits;
        return 4L * r.dir.length + 8L * r.words.length
            + routes.memoryBytes()
            + (4L + 1 + 1 + 1) * slots
            + 64L * leafRoots.size()
            + 8L * tmp.length;
    }

    /** Compacts now (tests use it to move the arrays under running readers). */
    void compactNow()
    {
        compact(0);
    }

    /** Diagnostics: sizes of the lookup arrays in use. */
    String usage()
    {
        int subtrees = 0;
        long live = 8L * leafRoots.size();
        for (int slot = 0; slot < wDir.length; slot++)
        {
            if (hasSubtree[slot])
            {
                subtrees++;
                live += liveWords(wWords, wDir[slot], true);
            }
        }
        return "dir " + 4L * wDir.length + " B, words " + 8L * top + " B in use (" + 8L * live + " live), "
            + subtrees + " slots with a subtree, " + leafRoots.size() + " leaf roots";
    }

    // ------------------------------------------------------------------------------------------
    // Updating
    // ------------------------------------------------------------------------------------------

    /**
     * The slot's default changed but not its longer routes: a leaf slot gets the new value; a subtree
     * gets the new default written in place into its root node (see {@link #ROOT_DEFAULT} for why a
     * reader cannot see a mix that never existed). O(1): no leaf is rewritten.
     */
    private void updateDefault(final int slot)
    {
        if (!hasSubtree[slot])
        {
            publish(slot, leafRoot(defVal[slot]));
            return;
        }
        if (merged[slot])
        {
            // Some leaves stand for routes only because they equalled the old default.
            rebuildSlot(slot);
            return;
        }
        final int pos = wDir[slot] + ROOT_DEFAULT;
        if (privateGeneration)
        {
            wWords[pos] = defVal[slot] & 0xFFFF_FFFFL;
        }
        else
        {
            WORDS.setRelease(wWords, pos, defVal[slot] & 0xFFFF_FFFFL);
        }
    }

    /** A route longer than slotBits was added, replaced or removed: rebuild the least that covers it. */
    private void updateSlot(final long keyHi, final long keyLo, final int length)
    {
        final int slot = routes.slotOf(keyHi);
        if (!hasSubtree[slot] || routes.slotCount(slot) == 0)
        {
            rebuildSlot(slot);
            return;
        }
        // X = the deepest existing node whose range holds the route (its child there is a leaf, or the
        // route ends within its 6 bits); it must keep routes longer than its offset, or it would turn
        // into a leaf of its parent and the parent must be rebuilt instead.
        int depth = walk(slot, keyHi, keyLo, length);
        while (depth > 0 && isEmpty(routes.rangeUnder(slot, keyHi, keyLo, slotBits + STRIDE * depth)))
        {
            depth--;
        }
        if (depth == 0)
        {
            rebuildSlot(slot);
            return;
        }
        final int off = slotBits + STRIDE * depth;
        final long range = routes.rangeUnder(slot, keyHi, keyLo, off);
        final int cover = routes.longestMatch(keyHi, keyLo, off, slotBits + 1);
        final int def = cover < 0 ? INHERIT : routes.value(cover);
        ids = routes.slotIds(slot);
        tmpTop = NODE_LONGS;
        buildDefault = defVal[slot];
        buildMerged = false;
        buildNode(0, (int)(range >>> 32), (int)range, off, def, depth);
        merged[slot] |= buildMerged;
        // Room for the subtree, a copy of each block on the path, and the new root with its leaves.
        final int need = tmpTop + depth * 64 * NODE_LONGS + ROOT_LONGS + 32 + 8;
        if (ensureRoom(need))
        {
            walk(slot, keyHi, keyLo, length);
        }
        final long[] words = wWords;
        final int base = top;
        System.arraycopy(tmp, 0, words, base, tmpTop);
        relocate(words, base, base);
        top += tmpTop;
        // Path copy: each ancestor's child block, with the new child in place of the old one.
        long vector = words[base];
        long leafvec = words[base + 1];
        long bases = words[base + 2];
        for (int d = depth; d > 0; d--)
        {
            final int parent = pathPos[d - 1];
            final long pv = words[parent];
            final int block = (int)(words[parent + 2] >>> 32);
            final int len = NODE_LONGS * Long.bitCount(pv);
            final int copy = top;
            System.arraycopy(words, block, words, copy, len);
            final int at = copy + NODE_LONGS * pathIdx[d];
            words[at] = vector;
            words[at + 1] = leafvec;
            words[at + 2] = bases;
            top += len;
            vector = pv;
            leafvec = words[parent + 1];
            bases = (long)copy << 32 | (words[parent + 2] & 0xFFFF_FFFFL);
        }
        // New root: same leaves (copied alongside to stay adjacent), new child block.
        final int oldRoot = pathPos[0];
        top = alignRoot(top);
        final int newRoot = top;
        final int leafLongs = leafLongs(Long.bitCount(leafvec));
        words[newRoot] = vector;
        words[newRoot + 1] = leafvec;
        words[newRoot + ROOT_DEFAULT] = words[oldRoot + ROOT_DEFAULT];
        System.arraycopy(words, (int)((bases & 0xFFFF_FFFFL) >>> leafShift), words, newRoot + ROOT_LONGS, leafLongs);
        words[newRoot + 2] = (bases & 0xFFFF_FFFF_0000_0000L) | ((long)(newRoot + ROOT_LONGS) << leafShift);
        top += ROOT_LONGS + leafLongs;
        publish(slot, newRoot);
    }

    private static boolean isEmpty(final long range)
    {
        return (int)(range >>> 32) == (int)range;
    }

    /**
     * Walks the current subtree of {@code slot} along the key, filling {@link #pathPos} and
     * {@link #pathIdx}, down to the deepest node whose 6-bit range holds a route of {@code length}.
     *
     * @return that node's depth (0 = the slot root).
     */
    private int walk(final int slot, final long keyHi, final long keyLo, final int length)
    {
        final long[] words = wWords;
        int p = wDir[slot];
        int off = slotBits;
        int depth = 0;
        pathPos[0] = p;
        while (length > off + STRIDE)
        {
            final long vector = words[p];
            final int c = extract(keyHi, keyLo, off);
            if ((vector >>> c & 1) == 0)
            {
                break;
            }
            final int idx = Long.bitCount(vector & ((2L << c) - 1)) - 1;
            p = (int)(words[p + 2] >>> 32) + NODE_LONGS * idx;
            off += STRIDE;
            depth++;
            pathPos[depth] = p;
            pathIdx[depth] = idx;
        }
        return depth;
    }

    /** Recomputes a whole slot from the route store and publishes it. */
    private void rebuildSlot(final int slot)
    {
        final int n = routes.slotCount(slot);
        if (n == 0)
        {
            hasSubtree[slot] = false;
            merged[slot] = false;
            publish(slot, leafRoot(defVal[slot]));
            return;
        }
        ids = routes.slotIds(slot);
        // The root's leaves are allocated right after its four words, so they share its cache lines.
        tmpTop = ROOT_LONGS;
        buildDefault = defVal[slot];
        buildMerged = false;
        buildNode(0, 0, n, slotBits, INHERIT, 0);
        merged[slot] = buildMerged;
        ensureRoom(tmpTop + 8);
        final int base = alignRoot(top);
        System.arraycopy(tmp, 0, wWords, base, tmpTop);
        relocate(wWords, base, base);
        wWords[base + ROOT_DEFAULT] = defVal[slot] & 0xFFFF_FFFFL;
        top = base + tmpTop;
        hasSubtree[slot] = true;
        publish(slot, base);
    }

    /** The first position at or after {@code pos} where a root starts a cache line (6 modulo 8). */
    private static int alignRoot(final int pos)
    {
        return pos + ((6 - pos) & 7);
    }

    /**
     * The shared leaf root for {@code value}: no children, one leaf holding the value, default the same.
     * Immutable once written (never given to {@link #updateDefault}'s in-place store).
     */
    private int leafRoot(final int value)
    {
        // Runs of slots mostly share a value: skip the map (and its boxing) for a repeat.
        if (value == lastLeafRootValue && lastLeafRootWords == wWords)
        {
            return lastLeafRootPos;
        }
        final Integer known = leafRoots.get(value);
        if (known != null)
        {
            lastLeafRootValue = value;
            lastLeafRootPos = known;
            lastLeafRootWords = wWords;
            return known;
        }
        ensureRoom(16);
        final int pos = alignRoot(top);
        final long[] words = wWords;
        words[pos] = 0;
        words[pos + 1] = 1;
        words[pos + 2] = (long)(pos + ROOT_LONGS) << leafShift;
        words[pos + ROOT_DEFAULT] = value & 0xFFFF_FFFFL;
        words[pos + ROOT_LONGS] = leafShift == 2 ? Words.pack4(value, 0, 0, 0) : Words.pack(value, 0);
        top = pos + ROOT_LONGS + 1;
        leafRoots.put(value, pos);
        lastLeafRootValue = value;
        lastLeafRootPos = pos;
        lastLeafRootWords = wWords;
        return pos;
    }

    private void publish(final int slot, final int entry)
    {
        if (privateGeneration)
        {
            wDir[slot] = entry;
        }
        else
        {
            // Release: the subtree written before is visible to any reader that acquires this entry.
            DIR.setRelease(wDir, slot, entry);
        }
    }

    /** Adds {@code delta} to every base of the subtree copied to {@code pos} (built relative to 0). */
    private void relocate(final long[] words, final int pos, final int delta)
    {
        final long w = words[pos + 2];
        final int base1 = (int)(w >>> 32) + delta;
        words[pos + 2] = (long)base1 << 32 | (((w & 0xFFFF_FFFFL) + ((long)delta << leafShift)) & 0xFFFF_FFFFL);
        final int children = Long.bitCount(words[pos]);
        for (int k = 0; k < children; k++)
        {
            relocate(words, base1 + NODE_LONGS * k, delta);
        }
    }

    static int extract(final long keyHi, final long keyLo, final int off)
    {
        return off < 64 ? (int)((keyHi << off) >>> 58) : (int)((keyLo << (off - 64)) >>> 58);
    }

    private int allocTmp(final int longs)
    {
        final int at = tmpTop;
        if (at + longs > tmp.length)
        {
            tmp = Arrays.copyOf(tmp, Math.max(tmp.length * 2, at + longs));
        }
        tmpTop = at + longs;
        return at;
    }

    /**
     * Builds, in {@link #tmp}, the node at {@code pos} for the sorted routes {@code ids[from, to)}, which
     * all share the node's first {@code off} key bits; routes of length {@code <= off} are ignored (they
     * are already folded into {@code def}, the value inherited from above). Leaves go right after
     * whatever was allocated last, then the child block, then each child's subtree.
     */
    private void buildNode(final int pos, final int from, final int to, final int off, final int def, final int depth)
    {
        final int[] cv = childVal[depth];
        final int[] cl = childLen[depth];
        Arrays.fill(cv, def);
        Arrays.fill(cl, -1);
        final RouteStore rs = routes;
        final int[] list = ids;
        long vector = 0;
        for (int i = from; i < to; i++)
        {
            final int r = list[i];
            final int l = rs.length(r);
            if (l <= off)
            {
                continue;
            }
            final int c = extract(rs.hi(r), rs.lo(r), off);
            if (l <= off + STRIDE)
            {
                final int end = c + (1 << (off + STRIDE - l));
                final int v = rs.value(r);
                for (int j = c; j < end; j++)
                {
                    if (l > cl[j])
                    {
                        cl[j] = l;
                        cv[j] = v;
                    }
                }
            }
            else
            {
                vector |= 1L << c;
            }
        }
        // Leaves: one per run of equal values among the leaf children, packed two per long.
        final int[] leaves = leafBuf[depth];
        long leafvec = 0;
        int n = 0;
        for (int c = 0; c < 64; c++)
        {
            if ((vector >>> c & 1) == 0)
            {
                int value = cv[c];
                if (value == buildDefault)
                {
                    // Same answer as the slot default: merge into the inherited runs.
                    value = INHERIT;
                    buildMerged = true;
                }
                if (n == 0 || value != leaves[n - 1])
                {
                    leafvec |= 1L << c;
                    leaves[n++] = value;
                }
            }
        }
        final int leafAt = allocTmp(leafLongs(n));
        if (leafShift == 2)
        {
            for (int j = 0; j < n; j += 4)
            {
                tmp[leafAt + (j >>> 2)] = Words.pack4(leaves[j], j + 1 < n ? leaves[j + 1] : 0,
                    j + 2 < n ? leaves[j + 2] : 0, j + 3 < n ? leaves[j + 3] : 0);
            }
        }
        else
        {
            for (int j = 0; j < n; j += 2)
            {
                tmp[leafAt + (j >>> 1)] = Words.pack(leaves[j], j + 1 < n ? leaves[j + 1] : 0);
            }
        }
        final int children = Long.bitCount(vector);
        final int base1 = allocTmp(NODE_LONGS * children);
        tmp[pos] = vector;
        tmp[pos + 1] = leafvec;
        tmp[pos + 2] = (long)base1 << 32 | ((long)leafAt << leafShift);
        if (children == 0)
        {
            return;
        }
        // Children: the routes of each internal child are contiguous in key order.
        int i = from;
        int k = 0;
        for (long rest = vector; rest != 0; rest &= rest - 1)
        {
            final int c = Long.numberOfTrailingZeros(rest);
            while (extract(rs.hi(list[i]), rs.lo(list[i]), off) < c)
            {
                i++;
            }
            final int start = i;
            while (i < to && extract(rs.hi(list[i]), rs.lo(list[i]), off) == c)
            {
                i++;
            }
            // A route painting child c sorts inside [start, i), but cv[c] already holds its effect.
            buildNode(base1 + NODE_LONGS * k, start, i, off + STRIDE, cv[c], depth + 1);
            k++;
        }
    }

    /**
     * Makes room for {@code longs} more words. A private generation just grows; the published one is
     * compacted into a new Root, published here.
     *
     * @return true when the words moved (positions read before are stale).
     */
    private boolean ensureRoom(final int longs)
    {
        if (top + (long)longs <= wWords.length)
        {
            return false;
        }
        if (privateGeneration)
        {
            if (top + (long)longs > MAX_WORDS)
            {
                throw new IllegalStateException("route table too large for the trie arrays");
            }
            wWords = Arrays.copyOf(wWords, (int)Math.min(MAX_WORDS,
                Math.max(wWords.length * 3L / 2, top + (long)longs + 4096)));
            return false;
        }
        compact(longs);
        return true;
    }

    /** Diagnostics: {roots, inner nodes, leaves, leaf longs, root leaves} over all subtrees. */
    long[] shape()
    {
        final long[] out = new long[5];
        for (int slot = 0; slot < wDir.length; slot++)
        {
            if (hasSubtree[slot])
            {
                out[0]++;
                out[4] += Long.bitCount(wWords[wDir[slot] + 1]);
                shape(wWords, wDir[slot], out, true);
            }
        }
        return out;
    }

    private static void shape(final long[] words, final int pos, final long[] out, final boolean isRoot)
    {
        if (!isRoot)
        {
            out[1]++;
        }
        final int leaves = Long.bitCount(words[pos + 1]);
        out[2] += leaves;
        out[3] += leaves;
        final int children = Long.bitCount(words[pos]);
        final int base1 = (int)(words[pos + 2] >>> 32);
        for (int k = 0; k < children; k++)
        {
            shape(words, base1 + NODE_LONGS * k, out, false);
        }
    }

    /** Longs holding {@code leaves} leaves at the current width. */
    private int leafLongs(final int leaves)
    {
        return (leaves + (1 << leafShift) - 1) >>> leafShift;
    }

    /** Words reachable from the node at {@code pos}. */
    private long liveWords(final long[] words, final int pos, final boolean isRoot)
    {
        final long vector = words[pos];
        final int children = Long.bitCount(vector);
        long n = (isRoot ? ROOT_LONGS : 0) + NODE_LONGS * children + leafLongs(Long.bitCount(words[pos + 1]));
        final int base1 = (int)(words[pos + 2] >>> 32);
        for (int k = 0; k < children; k++)
        {
            n += liveWords(words, base1 + NODE_LONGS * k, false);
        }
        return n;
    }

    /** Copies the live subtrees into a fresh array with headroom and publishes it as a new Root. */
    private void compact(final int extra)
    {
        final long[] old = wWords;
        final int[] dir = wDir.clone();
        long live = 8L * leafRoots.size();
        for (int slot = 0; slot < dir.length; slot++)
        {
            if (hasSubtree[slot])
            {
                live += 8 + liveWords(old, dir[slot], true);
            }
        }
        final long cap = (live + extra) * 3 / 2 + 4096;
        if (cap > MAX_WORDS)
        {
            throw new IllegalStateException("route table too large for the trie arrays");
        }
        wWords = new long[(int)cap];
        top = 0;
        leafRoots.clear();
        for (int slot = 0; slot < dir.length; slot++)
        {
            if (hasSubtree[slot])
            {
                final int src = dir[slot];
                final int pos = alignRoot(top);
                top = pos + ROOT_LONGS;
                copyNode(old, src, pos);
                wWords[pos + ROOT_DEFAULT] = old[src + ROOT_DEFAULT];
                dir[slot] = pos;
            }
            else
            {
                dir[slot] = leafRoot(defVal[slot]);
            }
        }
        wDir = dir;
        compactions++;
        // Volatile store: the new arrays, fully written above, are published together.
        root = new Root(wDir, wWords, leafShift == 2);
    }

    /** Copies the node at {@code src} of {@code from} to {@code dst} (allocated), leaves first. */
    private void copyNode(final long[] from, final int src, final int dst)
    {
        final long vector = from[src];
        final long leafvec = from[src + 1];
        final long w = from[src + 2];
        final int leafLongs = leafLongs(Long.bitCount(leafvec));
        final int leafAt = top;
        System.arraycopy(from, (int)((w & 0xFFFF_FFFFL) >>> leafShift), wWords, leafAt, leafLongs);
        top += leafLongs;
        final int children = Long.bitCount(vector);
        final int base1 = top;
        top += NODE_LONGS * children;
        wWords[dst] = vector;
        wWords[dst + 1] = leafvec;
        wWords[dst + 2] = (long)base1 << 32 | ((long)leafAt << leafShift);
        final int srcBase1 = (int)(w >>> 32);
        for (int k = 0; k < children; k++)
        {
            copyNode(from, srcBase1 + NODE_LONGS * k, base1 + NODE_LONGS * k);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Generic lookup (the tables have hand-specialised copies of this loop)
    // ------------------------------------------------------------------------------------------

    /** Longest-prefix match on a left-aligned 128-bit key. Any thread; allocates nothing. */
    int lookup(final long keyHi, final long keyLo)
    {
        final Root r = root;
        final int rootPos = (int)DIR.getAcquire(r.dir, (int)(keyHi >>> (64 - slotBits)));
        final long[] words = r.words;
        int p = rootPos;
        int off = slotBits;
        for (;;)
        {
            final long vector = words[p];
            final int v = extract(keyHi, keyLo, off);
            final long upTo = (2L << v) - 1;
            if ((vector >>> v & 1) != 0)
            {
                p = (int)(words[p + 2] >>> 32) + NODE_LONGS * (Long.bitCount(vector & upTo) - 1);
                off += STRIDE;
            }
            else
            {
                final int li = (int)words[p + 2] + Long.bitCount(words[p + 1] & upTo) - 1;
                final int leaf = r.narrow ? Words.leaf16(words, li) : Words.leaf(words, li);
                return inherit(leaf, (int)words[rootPos + ROOT_DEFAULT]);
            }
        }
    }
}
