package org.vbgw.fib;

import java.util.ArrayDeque;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The writer's bookkeeping of next-hop groups, which keeps {@link ResolvedGroups} (group id → the bucket
 * table that forwards for it now) current in O(1) per affected group.
 * <p>
 * Two kinds of group share one id space. <em>User</em> groups ({@code 0..}{@link #MAX_GROUP_ID}) are the
 * ones the control plane creates. <em>Derived</em> groups (ids from {@link #FIRST_DERIVED_ID}) are
 * variants the {@link Fib} makes for routes that have a covering less-specific route: same members as a
 * user group, but when all of them are dead they fall back to the covering route's group. One variant is
 * shared by every route with the same (group, covering group), so invalidating a next hop touches the
 * groups that contain it and their variants, never the routes.
 * <p>
 * Each group's published <em>slot</em> (see {@link ResolvedGroups}) depends only on its own state: a user
 * group publishes its own table while any member is live, else an alias to its explicit backup, else null; a
 * variant publishes, once, the alias {@code {base group, covering group}}. So a next hop's death republishes
 * only the groups that contain it, even when it takes a group's last live member: O(1) per group, whatever
 * the number of routes, covers and variants. Fallback chains are acyclic: explicit backups are checked when
 * set, and a variant's cover is a strictly shorter prefix.
 * <p>
 * Writer thread only; readers use {@link #resolved()}.
 */
final class GroupTable
{
    /** Highest id of a user group; ids index a flat array, so keep them dense. */
    static final int MAX_GROUP_ID = (1 << 24) - 1;

    /** Ids from here up are derived variants, in their own flat array. */
    static final int FIRST_DERIVED_ID = 1 << 24;

    /**
     * A freed variant id is reused only after this many later frees, so a reader that looked a route up
     * just before its variant was freed cannot, in practice, resolve through an unrelated group.
     */
    private static final int DERIVED_ID_QUARANTINE = 1024;

    /** What readers see; every table there was published by this writer. */
    private final ResolvedGroups resolved = new ResolvedGroups();

    // Writer-only state below: plain fields, no reader ever touches them.
    private final Int2ObjectHashMap<NextHopGroup> groups = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<DerivedGroup> derived = new Int2ObjectHashMap<>();
    private final Long2ObjectHashMap<DerivedGroup> derivedByKey = new Long2ObjectHashMap<>();
    private final Int2ObjectHashMap<IntHashSet> groupsByNextHop = new Int2ObjectHashMap<>();
    /** Group id → the user groups naming it as their explicit backup (a group so named cannot be removed). */
    private final Int2ObjectHashMap<IntHashSet> dependents = new Int2ObjectHashMap<>();
    private final ArrayDeque<Integer> freeDerivedIds = new ArrayDeque<>();
    private final Int2ObjectHashMap<int[]> backupAliases = new Int2ObjectHashMap<>();
    private int nextDerivedId = FIRST_DERIVED_ID;
    /** Group tables republished by the current change; reset at the start of each. */
    private int rewritten;
    private long bucketBytes;

    /** A variant of a user group whose last resort is the group of a covering route. Writer only. */
    private static final class DerivedGroup
    {
        final int id;
        final int baseGroupId;
        final int coverGroupId;
        /** The variant's slot for life: ask the base group (and so its explicit backup), then the cover. */
        final int[] alias;
        int refCount;

        DerivedGroup(final int id, final int baseGroupId, final int coverGroupId)
        {
            this.id = id;
            this.baseGroupId = baseGroupId;
            this.coverGroupId = coverGroupId;
            this.alias = new int[] {baseGroupId, coverGroupId};
        }
    }

    /** The wait-free read side. */
    ResolvedGroups resolved()
    {
        return resolved;
    }

    NextHopGroup group(final int id)
    {
        return groups.get(id);
    }

    int groupCount()
    {
        return groups.size();
    }

    int derivedCount()
    {
        return derived.size();
    }

    /** User groups that contain a next hop. */
    int groupsContaining(final int nextHopId)
    {
        final IntHashSet set = groupsByNextHop.get(nextHopId);
        return set == null ? 0 : set.size();
    }

    /** The user group a (possibly derived) group id stands for, or {@link Fib#NO_GROUP}. */
    int baseGroupOf(final int groupId)
    {
        if (groupId >= FIRST_DERIVED_ID)
        {
            final DerivedGroup d = derived.get(groupId);
            return d == null ? Fib.NO_GROUP : d.baseGroupId;
        }
        return groups.containsKey(groupId) ? groupId : Fib.NO_GROUP;
    }

    long memoryBytes()
    {
        return resolved.memoryBytes() + bucketBytes +
            96L * (groups.size() + derived.size());
    }

    /** The explicit backup of a user group, or {@link Fib#NO_GROUP}; for the writer's cycle checks. */
    int explicitBackupOf(final int groupId)
    {
        final NextHopGroup g = groups.get(groupId);
        return g == null ? Fib.NO_GROUP : g.backupGroupId();
    }

    void add(final NextHopGroup group)
    {
        rewritten = 0;
        groups.put(group.id(), group);
        indexMembers(group.id(), group.nextHopIds());
        resolved.ensureCapacity(group.id());
        relink(group, group.backupGroupId());
        trackBytes(null, group.ownTable());
        republish(group.id());
    }

    void replace(final NextHopGroup group, final int[] nextHopIds, final int[] weights, final boolean[] live,
        final int backupGroupId)
    {
        rewritten = 0;
        unindexMembers(group);
        indexMembers(group.id(), nextHopIds);
        final int[] before = group.ownTable();
        group.replaceMembers(nextHopIds, weights, live);
        group.backupGroupId(backupGroupId);
        trackBytes(before, group.ownTable());
        relink(group, backupGroupId);
        // Its variants alias {group, cover} for life: only the group's own slot can change.
        republish(group.id());
    }

    void remove(final NextHopGroup group)
    {
        rewritten = 0;
        unindexMembers(group);
        unlink(group.id(), group.linkedFallback);
        dependents.remove(group.id());
        trackBytes(group.ownTable(), null);
        groups.remove(group.id());
        resolved.publish(group.id(), null);
    }

    /** True when some group names {@code groupId} as its explicit backup. */
    boolean isBackupOfAnother(final int groupId)
    {
        final IntHashSet deps = dependents.get(groupId);
        return deps != null && !deps.isEmpty();
    }

    /**
     * The O(1)-per-group invalidation: rebuilds the own table of each group that contains the next hop and
     * republishes it, its variants, and any group falling back to them whose resolved table changed.
     *
     * @return the number of group tables republished.
     */
    int nextHopAlive(final int nextHopId, final boolean alive)
    {
        rewritten = 0;
        final IntHashSet containing = groupsByNextHop.get(nextHopId);
        if (containing == null)
        {
            return 0;
        }
        // All own tables first, then publication, so every slot goes straight to its final state.
        final int[] candidates = ids(containing);
        int changed = 0;
        for (final int id : candidates)
        {
            final NextHopGroup group = groups.get(id);
            final int[] before = group.ownTable();
            if (group.memberAlive(nextHopId, alive))
            {
                trackBytes(before, group.ownTable());
                candidates[changed++] = id;
            }
        }
        for (int i = 0; i < changed; i++)
        {
            // Variants alias their group and its cover for life: they follow without being touched.
            republish(candidates[i]);
        }
        return rewritten;
    }

    /**
     * Takes a reference for a route to {@code groupId} under a covering route whose group is
     * {@code coverGroupId} (or {@link Fib#NO_GROUP}): returns the id the route table should store, creating
     * and publishing a variant when needed. Pair every call with {@link #release}.
     */
    int acquire(final int groupId, final int coverGroupId)
    {
        final NextHopGroup group = groups.get(groupId);
        group.routeCount++;
        if (coverGroupId == Fib.NO_GROUP)
        {
            return groupId;
        }
        final long key = ((long)groupId << 32) | (coverGroupId & 0xFFFF_FFFFL);
        DerivedGroup d = derivedByKey.get(key);
        if (d == null)
        {
            d = new DerivedGroup(allocateDerivedId(), groupId, coverGroupId);
            derivedByKey.put(key, d);
            derived.put(d.id, d);
            group.variants.add(d.id);
            republish(d.id);
        }
        d.refCount++;
        return d.id;
    }

    /** Drops a reference taken by {@link #acquire}; frees a variant nobody uses. */
    void release(final int routeGroupId)
    {
        if (routeGroupId < FIRST_DERIVED_ID)
        {
            groups.get(routeGroupId).routeCount--;
            return;
        }
        final DerivedGroup d = derived.get(routeGroupId);
        groups.get(d.baseGroupId).routeCount--;
        if (--d.refCount == 0)
        {
            derivedByKey.remove(((long)d.baseGroupId << 32) | (d.coverGroupId & 0xFFFF_FFFFL));
            derived.remove(d.id);
            groups.get(d.baseGroupId).variants.remove(d.id);
            // The slot is frozen at the table it resolves to now (its alias would follow the groups' later
            // states): a reader that looked the route up before it was re-pointed still forwards as the FIB
            // did a moment ago, instead of dropping. The quarantine keeps the id from being reused while such
            // a reader could still be in flight.
            resolved.publish(d.id, resolved.table(d.id));
            freeDerivedIds.addLast(d.id);
        }
    }

    /** A group's slot from the writer's state: its own table, an alias (see the class comment), or null. */
    private int[] slotOf(final int id)
    {
        if (id >= FIRST_DERIVED_ID)
        {
            return derived.get(id).alias;
        }
        final NextHopGroup group = groups.get(id);
        final int[] own = group.ownTable();
        if (own != null)
        {
            return own;
        }
        return group.backupGroupId() == Fib.NO_GROUP ? null : backupAlias(group.backupGroupId());
    }

    /** The one alias array naming a backup, so an unchanged alias is recognised by identity. */
    private int[] backupAlias(final int backup)
    {
        int[] alias = backupAliases.get(backup);
        if (alias == null)
        {
            alias = new int[] {backup};
            backupAliases.put(backup, alias);
        }
        return alias;
    }

    /**
     * Recomputes and, when it changed, publishes one group's slot. A slot depends only on its own group's
     * state (aliases name their targets, not their targets' tables), so nothing else needs republishing.
     */
    private void republish(final int id)
    {
        final int[] slot = slotOf(id);
        if (slot == resolved.get(id))
        {
            return;
        }
        resolved.publish(id, slot);
        rewritten++;
    }

    private void relink(final NextHopGroup group, final int fallback)
    {
        unlink(group.id(), group.linkedFallback);
        link(group.id(), fallback);
        group.linkedFallback = fallback;
    }

    private void link(final int id, final int fallback)
    {
        if (fallback != Fib.NO_GROUP)
        {
            dependents.computeIfAbsent(fallback, k -> new IntHashSet()).add(id);
        }
    }

    private void unlink(final int id, final int fallback)
    {
        final IntHashSet deps = fallback == Fib.NO_GROUP ? null : dependents.get(fallback);
        if (deps != null)
        {
            deps.remove(id);
            if (deps.isEmpty())
            {
                dependents.remove(fallback);
            }
        }
    }

    private int allocateDerivedId()
    {
        final int id = freeDerivedIds.size() > DERIVED_ID_QUARANTINE ? freeDerivedIds.removeFirst() : nextDerivedId++;
        resolved.ensureCapacity(id);
        return id;
    }

    /** The reverse index next hop → groups: what makes invalidation cost O(groups containing it). */
    private void indexMembers(final int groupId, final int[] nextHopIds)
    {
        for (final int nh : nextHopIds)
        {
            groupsByNextHop.computeIfAbsent(nh, k -> new IntHashSet()).add(groupId);
        }
    }

    private void unindexMembers(final NextHopGroup group)
    {
        for (final int nh : group.nextHopIds())
        {
            final IntHashSet set = groupsByNextHop.get(nh);
            set.remove(group.id());
            if (set.isEmpty())
            {
                groupsByNextHop.remove(nh);
            }
        }
    }

    /** A snapshot of a set's ids: the set may change while the caller walks them (recursion, frees). */
    private static int[] ids(final IntHashSet set)
    {
        final int[] ids = new int[set.size()];
        final IntHashSet.IntIterator it = set.iterator();
        for (int i = 0; i < ids.length; i++)
        {
            ids[i] = it.nextValue();
        }
        return ids;
    }

    private void trackBytes(final int[] before, final int[] after)
    {
        bucketBytes += (after == null ? 0 : 16L + 4L * after.length) - (before == null ? 0 : 16L + 4L * before.length);
    }
}
