package org.vbgw.fib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The wait-free lookup structure behind {@link Ipv4Table} and {@link Ipv6Table}: a Poptrie
 * (Asai &amp; Ohara, "Poptrie: A Compressed Trie with Population Count for Fast and Scalable Software
 * IP Routing Table Lookup", SIGCOMM 2015), kept in flat primitive arrays, plus the writer-side
 * {@link RouteStore} it is rebuilt from.
 *
 * <h2>Layout (one {@link Root})</h2>
 * <ul>
 *   <li>{@code dir[1 << slotBits]}: direct pointing on the top {@code slotBits} bits of the key. An entry
 *       {@code e >= -1} is a leaf: the value itself ({@code -1} = no route). An entry {@code e <= -2} is an
 *       internal node at position {@code -2 - e} of {@code nodes}.</li>
 *   <li>{@code nodes}: three longs per node, {@code [vector, leafvec, base1 << 32 | base0]}. A node consumes
 *       the next 6 key bits {@code v}. Bit {@code v} of {@code vector} set: the child is an internal node at
 *       position {@code base1 + 3 * (popcount(vector & ((2 << v) - 1)) - 1)}. Clear: the child is a leaf,
 *       {@code leaves[base0 + popcount(leafvec & ((2 << v) - 1)) - 1]}: {@code leafvec} marks where a run of
 *       equal leaves starts, so runs are stored once (leaf compression). Key bits past the end of the
 *       address read as zero, so the last IPv4 or IPv6 level simply leaves most children unused.</li>
 *   <li>{@code leaves}: route values, -1 for no route.</li>
 * </ul>
 * A child block, and a leaf block, of a node are contiguous; everything below one dir slot (a "slot
 * subtree") is built together, off to the side, and is immutable once published.
 *
 * <h2>Updates and memory reclamation</h2>
 * The single writer changes the route set in {@link RouteStore}, then rebuilds only the dir slots the
 * change touches: a route longer than {@code slotBits} touches its one slot; a shorter route paints the
 * slot defaults of the range it covers. A rebuilt slot subtree is appended after everything in use
 * (never over anything a reader may still be walking), then the slot's dir entry is switched to it with
 * a release store. The old subtree becomes garbage inside the arrays. When the arrays are full, the
 * writer copies the live subtrees into fresh arrays (compaction) and publishes a new {@link Root} with a
 * volatile store; readers still walking the old root finish on it undisturbed, and the garbage
 * collector frees it once they are gone. No array slot a reader can reach is ever written again.
 */
final class Poptrie
{
    static final int NO_ROUTE = -1;
    /** Key bits each trie node consumes. */
    static final int STRIDE = 6;
    /** Longs per node inside a child block: vector, leafvec, bases. */
    static final int NODE_LONGS = 3;
    /** Longs of a slot's root node: a node plus the slot default, the value of its INHERIT leaves. */
    static final int ROOT_LONGS = 4;
    /**
     * Offset of the slot default in a root node, held in the low 32 bits (the high half is zero, so even
     * a JVM that splits long stores into halves cannot tear the int readers take from it).
     * <p>
     * Unlike every other word of the arrays, this one is rewritten in place, by the writer with
     * {@code setRelease}, whenever the slot's default route changes while the root is current; readers
     * load it plainly. That is safe because the subtree a root describes never changes: a reader that
     * reached root R sees R's subtree with a default R held at some instant after the reader loaded the
     * dir entry (either still current, or the last value R had before a rebuild or compaction retired
     * it), and R's subtree with that default was then the whole, true state of the slot.
     */
    static final int ROOT_DEFAULT = 3;
    /**
     * Leaf value meaning "the longest match is a route of length <= slotBits": the lookup returns the
     * slot default stored in the subtree's root node. Keeps short-route changes from rewriting leaves.
     */
    static final int INHERIT = -2;

    /** Acquire/release access to {@link Root#dir} elements. */
    static final VarHandle DIR = MethodHandles.arrayElementVarHandle(int[].class);
    /** Release stores of a root node's default word (see {@link #ROOT_DEFAULT}). */
    private static final VarHandle NODES = MethodHandles.arrayElementVarHandle(long[].class);

    /**
     * One generation of the lookup arrays. The references are final, so a reader that obtained a Root
     * through the volatile {@link #root} sees the arrays and everything written into them before the
     * Root was published.
     */
    static final class Root
    {
        /**
         * Direct-pointing entries. Written by the writer: plain stores before the Root is published,
         * then only {@code setRelease} (after the subtree the entry points at is completely written).
         * Read by readers with {@code getAcquire}, which makes the subtree's plain stores visible.
         */
        final int[] dir;
        /**
         * Node words. Written by the writer only at positions no published dir entry reaches (appended
         * past the in-use mark, then published through dir); never rewritten afterwards. Read by readers
         * with plain loads, ordered after the acquire load of the dir entry that led to them.
         */
        final long[] nodes;
        /** Leaf values; same discipline as {@link #nodes}. */
        final int[] leaves;

        Root(final int[] dir, final long[] nodes, final int[] leaves)
        {
            this.dir = dir;
            this.nodes = nodes;
            this.leaves = leaves;
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
    /** Longs and leaves used by each slot's current subtree (0 for a leaf slot), for garbage accounting. */
    private final int[] slotNodeLongs;
    private final int[] slotLeafCount;

    /** Arrays being appended to: the published root's, or a private generation during a bulk load. */
    private int[] wDir;
    private long[] wNodes;
    private int[] wLeaves;
    /** True while building a private generation (bulk load): arrays may simply grow. */
    private boolean privateGeneration;
    private int nodeTop;
    private int leafTop;
    private long liveNodeLongs;
    private long liveLeaves;
    /** Compactions so far (tests check that concurrency tests went through some). */
    private int compactions;

    // Scratch for building one slot subtree: route ids, per-depth child values/lengths, and the
    // subtree itself (positions relative to 0, relocated when copied into the generation arrays).
    private int[] ids = new int[64];
    private final int[][] childVal;
    private final int[][] childLen;
    private long[] tmpNodes = new long[3 * 64];
    private int[] tmpLeaves = new int[256];
    private int tmpNodeTop;
    private int tmpLeafTop;

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
        this.slotNodeLongs = new int[slots];
        this.slotLeafCount = new int[slots];
        Arrays.fill(defVal, NO_ROUTE);
        Arrays.fill(defLen, (byte)-1);
        final int depth = (maxLength - slotBits + STRIDE - 1) / STRIDE + 1;
        this.childVal = new int[depth][64];
        this.childLen = new int[depth][64];
        this.wDir = new int[slots];
        Arrays.fill(wDir, NO_ROUTE);
        this.wNodes = new long[3 * 1024];
        this.wLeaves = new int[4096];
        this.root = new Root(wDir, wNodes, wLeaves);
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

    /** Compacts now (tests use it to move the arrays under running readers). */
    void compactNow()
    {
        compact(0, 0);
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
        final int old = routes.put(keyHi, keyLo, length, value);
        if (old == value)
        {
            return;
        }
        if (length > slotBits)
        {
            rebuildSlot(routes.slotOf(keyHi));
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
    }

    boolean remove(final long keyHi, final long keyLo, final int length)
    {
        if (routes.remove(keyHi, keyLo, length) < 0)
        {
            return false;
        }
        if (length > slotBits)
        {
            rebuildSlot(routes.slotOf(keyHi));
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
        return true;
    }

    /**
     * Replaces every route. Keys must already be validated. The new table is built in a private
     * generation and published in one volatile store: readers see the old table or the new one.
     */
    void bulkLoad(final long[] keyHi, final long[] keyLo, final int[] lengths, final int[] values, final int count)
    {
        routes.clear(count);
        for (int i = 0; i < count; i++)
        {
            routes.put(keyHi[i], keyLo == null ? 0 : keyLo[i], lengths[i], values[i]);
        }
        // Slot defaults: paint the short routes, shorter first so longer ones win.
        Arrays.fill(defVal, NO_ROUTE);
        Arrays.fill(defLen, (byte)-1);
        final int[] all = routes.allRoutes();
        final int[] byLen = new int[slotBits + 2];
        int shortCount = 0;
        for (final int r : all)
        {
            final int l = routes.length(r);
            if (l <= slotBits)
            {
                byLen[l + 1]++;
                shortCount++;
            }
        }
        for (int l = 0; l <= slotBits; l++)
        {
            byLen[l + 1] += byLen[l];
        }
        final int[] shortIds = new int[shortCount];
        for (final int r : all)
        {
            final int l = routes.length(r);
            if (l <= slotBits)
            {
                shortIds[byLen[l]++] = r;
            }
        }
        for (final int r : shortIds)
        {
            final int l = routes.length(r);
            final int first = routes.slotOf(routes.hi(r));
            Arrays.fill(defVal, first, first + (1 << (slotBits - l)), routes.value(r));
            Arrays.fill(defLen, first, first + (1 << (slotBits - l)), (byte)l);
        }
        // A private generation, grown as needed while building, then published at once.
        privateGeneration = true;
        wDir = new int[1 << slotBits];
        wNodes = new long[Math.max(3 * 1024, 3 * (count / 2))];
        wLeaves = new int[Math.max(4096, 2 * count)];
        nodeTop = 0;
        leafTop = 0;
        liveNodeLongs = 0;
        liveLeaves = 0;
        Arrays.fill(slotNodeLongs, 0);
        Arrays.fill(slotLeafCount, 0);
        for (int slot = 0; slot < wDir.length; slot++)
        {
            rebuildSlot(slot);
        }
        privateGeneration = false;
        // Leave room for updates before the first compaction.
        wNodes = Arrays.copyOf(wNodes, nodeTop + nodeTop / 4 + 3 * 1024);
        wLeaves = Arrays.copyOf(wLeaves, leafTop + leafTop / 4 + 4096);
        root = new Root(wDir, wNodes, wLeaves);
    }

    /** Bytes held by the lookup arrays of the current generation plus the writer's structures. */
    long memoryBytes()
    {
        final Root r = root;
        final int slots = 1 << slotBits;
        return 4L * r.dir.length + 8L * r.nodes.length + 4L * r.leaves.length
            + routes.memoryBytes()
            + (4L + 1 + 4 + 4) * slots
            + 4L * ids.length + 8L * tmpNodes.length + 4L * tmpLeaves.length;
    }

    // ------------------------------------------------------------------------------------------
    // Building
    // ------------------------------------------------------------------------------------------

    /** Recomputes one slot from the route store and publishes it. */
    private void rebuildSlot(final int slot)
    {
        final int def = defVal[slot];
        int r = routes.slotHead(slot);
        final int entry;
        if (r < 0)
        {
            entry = def;
            retire(slot, 0, 0);
        }
        else
        {
            int n = 0;
            for (; r >= 0; r = routes.next(r))
            {
                if (n == ids.length)
                {
                    ids = Arrays.copyOf(ids, n * 2);
                }
                ids[n++] = r;
            }
            routes.sortByPrefix(ids, 0, n);
            tmpNodeTop = ROOT_LONGS;
            tmpLeafTop = 0;
            buildNode(0, 0, n, slotBits, INHERIT, 0);

            ensureRoom(tmpNodeTop, tmpLeafTop);
            final int nodeBase = nodeTop;
            final int leafBase = leafTop;
            final long[] nodes = wNodes;
            relocate(tmpNodes, 0, nodes, nodeBase, nodeBase, leafBase);
            nodes[nodeBase + ROOT_DEFAULT] = def & 0xFFFF_FFFFL;
            for (int i = ROOT_LONGS; i < tmpNodeTop; i += NODE_LONGS)
            {
                relocate(tmpNodes, i, nodes, nodeBase + i, nodeBase, leafBase);
            }
            System.arraycopy(tmpLeaves, 0, wLeaves, leafBase, tmpLeafTop);
            nodeTop += tmpNodeTop;
            leafTop += tmpLeafTop;
            retire(slot, tmpNodeTop, tmpLeafTop);
            entry = -2 - nodeBase;
        }
        publish(slot, entry);
    }

    private static void relocate(final long[] src, final int from, final long[] dst, final int to,
                                 final int nodeBase, final int leafBase)
    {
        final long w = src[from + 2];
        dst[to] = src[from];
        dst[to + 1] = src[from + 1];
        dst[to + 2] = ((w >>> 32) + nodeBase) << 32 | (((int)w + leafBase) & 0xFFFF_FFFFL);
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

    /**
     * The slot's default changed but not its longer routes: a leaf slot gets the new value; a subtree
     * gets the new default written in place into its root node (see {@link #ROOT_DEFAULT} for why a
     * reader cannot see a mix that never existed). O(1): no leaf is rewritten.
     */
    private void updateDefault(final int slot)
    {
        final int e = wDir[slot];
        if (e >= -1)
        {
            publish(slot, defVal[slot]);
            return;
        }
        final int pos = -2 - e + ROOT_DEFAULT;
        if (privateGeneration)
        {
            wNodes[pos] = defVal[slot] & 0xFFFF_FFFFL;
        }
        else
        {
            NODES.setRelease(wNodes, pos, defVal[slot] & 0xFFFF_FFFFL);
        }
    }

    private void retire(final int slot, final int newNodeLongs, final int newLeaves)
    {
        liveNodeLongs += newNodeLongs - slotNodeLongs[slot];
        liveLeaves += newLeaves - slotLeafCount[slot];
        slotNodeLongs[slot] = newNodeLongs;
        slotLeafCount[slot] = newLeaves;
    }

    private static int extract(final long keyHi, final long keyLo, final int off)
    {
        return off < 64 ? (int)((keyHi << off) >>> 58) : (int)((keyLo << (off - 64)) >>> 58);
    }

    /**
     * Builds the node at scratch position {@code pos} for the sorted routes {@code ids[from, to)}, which
     * all share the node's first {@code off} key bits; routes of length {@code <= off} are ignored (they
     * are already folded into {@code def}, the value inherited from above).
     */
    private void buildNode(final int pos, final int from, final int to, final int off, final int def, final int depth)
    {
        final int[] cv = childVal[depth];
        final int[] cl = childLen[depth];
        Arrays.fill(cv, def);
        Arrays.fill(cl, -1);
        final RouteStore rs = routes;
        long vector = 0;
        for (int i = from; i < to; i++)
        {
            final int r = ids[i];
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
        // Leaves: one per run of equal values among the leaf children.
        long leafvec = 0;
        final int base0 = tmpLeafTop;
        int prev = 0;
        boolean first = true;
        for (int c = 0; c < 64; c++)
        {
            if ((vector >>> c & 1) == 0 && (first || cv[c] != prev))
            {
                leafvec |= 1L << c;
                if (tmpLeafTop == tmpLeaves.length)
                {
                    tmpLeaves = Arrays.copyOf(tmpLeaves, tmpLeaves.length * 2);
                }
                tmpLeaves[tmpLeafTop++] = cv[c];
                prev = cv[c];
                first = false;
            }
        }
        final int children = Long.bitCount(vector);
        final int base1 = tmpNodeTop;
        if (tmpNodeTop + NODE_LONGS * children > tmpNodes.length)
        {
            tmpNodes = Arrays.copyOf(tmpNodes, Math.max(tmpNodes.length * 2, tmpNodeTop + NODE_LONGS * children));
        }
        tmpNodeTop += NODE_LONGS * children;
        tmpNodes[pos] = vector;
        tmpNodes[pos + 1] = leafvec;
        tmpNodes[pos + 2] = (long)base1 << 32 | (base0 & 0xFFFF_FFFFL);
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
            while (extract(rs.hi(ids[i]), rs.lo(ids[i]), off) < c)
            {
                i++;
            }
            final int start = i;
            while (i < to && extract(rs.hi(ids[i]), rs.lo(ids[i]), off) == c)
            {
                i++;
            }
            // cv[c] is final here: a route painting child c sorts inside [start, i) but is only read above.
            buildNode(base1 + NODE_LONGS * k, start, i, off + STRIDE, cv[c], depth + 1);
            k++;
        }
    }

    /**
     * Makes room for {@code nodeLongs} and {@code leafCount} more entries in the generation arrays. A
     * private generation just grows; the published one is compacted into a new Root, published here.
     */
    private void ensureRoom(final int nodeLongs, final int leafCount)
    {
        if (nodeTop + (long)nodeLongs <= wNodes.length && leafTop + (long)leafCount <= wLeaves.length)
        {
            return;
        }
        if (privateGeneration)
        {
            wNodes = Arrays.copyOf(wNodes, (int)Math.min(Integer.MAX_VALUE - 16,
                Math.max(wNodes.length * 3L / 2, nodeTop + (long)nodeLongs + 3 * 1024)));
            wLeaves = Arrays.copyOf(wLeaves, (int)Math.min(Integer.MAX_VALUE - 16,
                Math.max(wLeaves.length * 3L / 2, leafTop + (long)leafCount + 4096)));
            return;
        }
        compact(nodeLongs, leafCount);
    }

    /** Copies the live subtrees into fresh arrays with headroom and publishes them as a new Root. */
    private void compact(final int extraNodeLongs, final int extraLeaves)
    {
        final long nodeCap = (liveNodeLongs + extraNodeLongs) * 3 / 2 + 3 * 1024;
        final long leafCap = (liveLeaves + extraLeaves) * 3 / 2 + 4096;
        if (nodeCap > Integer.MAX_VALUE - 16 || leafCap > Integer.MAX_VALUE - 16)
        {
            throw new IllegalStateException("route table too large for the trie arrays");
        }
        final long[] oldNodes = wNodes;
        final int[] oldLeaves = wLeaves;
        final int[] dir = wDir.clone();
        wNodes = new long[(int)nodeCap];
        wLeaves = new int[(int)leafCap];
        nodeTop = 0;
        leafTop = 0;
        for (int slot = 0; slot < dir.length; slot++)
        {
            final int e = dir[slot];
            if (e <= -2)
            {
                final int pos = nodeTop;
                nodeTop += ROOT_LONGS;
                copyNode(oldNodes, oldLeaves, -2 - e, pos);
                wNodes[pos + ROOT_DEFAULT] = oldNodes[-2 - e + ROOT_DEFAULT];
                dir[slot] = -2 - pos;
            }
        }
        wDir = dir;
        compactions++;
        // Volatile store: the new arrays, fully written above, are published together.
        root = new Root(wDir, wNodes, wLeaves);
    }

    private void copyNode(final long[] srcNodes, final int[] srcLeaves, final int src, final int dst)
    {
        final long vector = srcNodes[src];
        final long leafvec = srcNodes[src + 1];
        final long w = srcNodes[src + 2];
        final int children = Long.bitCount(vector);
        final int leaves = Long.bitCount(leafvec);
        final int base0 = leafTop;
        System.arraycopy(srcLeaves, (int)w, wLeaves, base0, leaves);
        leafTop += leaves;
        final int base1 = nodeTop;
        nodeTop += NODE_LONGS * children;
        wNodes[dst] = vector;
        wNodes[dst + 1] = leafvec;
        wNodes[dst + 2] = (long)base1 << 32 | (base0 & 0xFFFF_FFFFL);
        final int srcBase1 = (int)(w >>> 32);
        for (int k = 0; k < children; k++)
        {
            copyNode(srcNodes, srcLeaves, srcBase1 + NODE_LONGS * k, base1 + NODE_LONGS * k);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Generic lookup (the tables have hand-specialised copies of this loop)
    // ------------------------------------------------------------------------------------------

    /** Longest-prefix match on a left-aligned 128-bit key. Any thread; allocates nothing. */
    int lookup(final long keyHi, final long keyLo)
    {
        final Root r = root;
        final int e = (int)DIR.getAcquire(r.dir, (int)(keyHi >>> (64 - slotBits)));
        if (e >= -1)
        {
            return e;
        }
        final long[] nodes = r.nodes;
        final int top = -2 - e;
        int p = top;
        int off = slotBits;
        for (;;)
        {
            final long vector = nodes[p];
            final int v = extract(keyHi, keyLo, off);
            final long upTo = (2L << v) - 1;
            if ((vector >>> v & 1) != 0)
            {
                p = (int)(nodes[p + 2] >>> 32) + NODE_LONGS * (Long.bitCount(vector & upTo) - 1);
                off += STRIDE;
            }
            else
            {
                final int leaf = r.leaves[(int)nodes[p + 2] + Long.bitCount(nodes[p + 1] & upTo) - 1];
                return leaf != INHERIT ? leaf : (int)nodes[top + ROOT_DEFAULT];
            }
        }
    }
}
