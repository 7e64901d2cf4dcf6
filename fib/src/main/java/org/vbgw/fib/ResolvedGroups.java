package org.vbgw.fib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The read side of next-hop groups: group id → its <em>slot</em>: the bucket table (next hop id per bucket)
 * that forwards for it now, an <em>alias</em> naming other groups to ask instead, or {@code null} when nothing
 * is usable.
 * <p>
 * Aliases keep invalidation O(1): a route's variant publishes once, for its whole life, "ask my group, and
 * if it has nothing, my covering route's group" ({@code {group, cover}}), and a dead group with an explicit
 * backup publishes "ask my backup" ({@code {backup}}). So a next hop's death, even a group's last member's,
 * republishes only the groups that contain it; variants and backups follow without being touched, however
 * many routes and covers there are. Aliases are one- or two-element arrays of group ids; bucket tables have
 * at least {@link BucketTable#MIN_BUCKETS} entries, so the two never look alike.
 * <p>
 * A reader that falls through an alias reads two slots at two instants. So that it never combines one
 * group's old state with another's new one, it reads the slot it fell through again afterwards and starts
 * over when it changed (at most {@link #MAX_RETRIES} times: still wait-free). The common case, a live group
 * reached directly or through its variant, is one or two loads and no re-read: a variant's slot never
 * changes. Chains are acyclic and short (explicit backups are depth-checked, a cover is a strictly shorter
 * prefix); a reader follows at most {@link #MAX_ALIAS_DEPTH} aliases.
 * <p>
 * User group ids ({@code 0..}{@link GroupTable#MAX_GROUP_ID}) and derived ids (from
 * {@link GroupTable#FIRST_DERIVED_ID}) index two flat arrays. Published arrays are never written again: a new
 * state of a group is a new array, so a reader sees one whole table or another, never a mix.
 * <p>
 * Threads: the writer calls {@link #publish} and {@link #ensureCapacity}; any thread calls {@link #select}
 * and {@link #get}, which never block and never allocate.
 */
final class ResolvedGroups
{
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(int[][].class);

    /**
     * Tables indexed by user group id. Elements: written by the writer with setRelease after the int[] is
     * fully built, read with getAcquire, so a reader that sees the reference sees every bucket. The array
     * reference is volatile and replaced (grown by copy) only by the writer; a reader still holding the old
     * array sees a state that was current when it loaded it.
     */
    private volatile int[][] userSlots = new int[64][];

    /** As {@link #userSlots}, for derived groups, indexed by {@code id - FIRST_DERIVED_ID}. */
    private volatile int[][] derivedSlots = new int[64][];

    /** Aliases a reader follows before giving up; far more than any legal chain needs. */
    static final int MAX_ALIAS_DEPTH = 16;
    /** Times a reader starts over when a slot it fell through changed under it. */
    static final int MAX_RETRIES = 4;

    /** The next hop for {@code flowHash} in a group, or {@link NextHop#NO_NEXT_HOP}. Any thread. */
    int select(final int groupId, final int flowHash)
    {
        final int[] buckets = table(groupId);
        return buckets == null ? NextHop.NO_NEXT_HOP : buckets[flowHash & (buckets.length - 1)];
    }

    /** The bucket table forwarding for a group now, following aliases, or null. Any thread. */
    int[] table(final int groupId)
    {
        int[] slot = get(groupId);
        int[] answer = null;
        for (int attempt = 0; attempt <= MAX_RETRIES; attempt++)
        {
            if (slot == null || slot.length > 2)
            {
                return slot;
            }
            answer = slot.length == 2 ? variant(slot) : resolveValidated(slot);
            // The group's own slot again: a variant freed meanwhile (its route moved) was frozen at the route's
            // last answer, which is the one to give, not what its old group does now.
            final int[] again = get(groupId);
            if (again == slot)
            {
                return answer;
            }
            slot = again;
        }
        return answer;
    }

    /** A variant's answer: its own group when that has a table (the common case), else a validated walk. */
    private int[] variant(final int[] alias)
    {
        final int[] primary = get(alias[0]);
        if (primary != null && primary.length > 2)
        {
            return primary;
        }
        return resolveValidated(alias);
    }

    /**
     * Resolves an alias twice and accepts the answer when both walks end at the same table. Tables are never
     * published twice (a new state is a new array), so the same table at both ends means the group it belongs
     * to held it throughout, and the groups fallen through on the second walk were empty at a moment inside
     * that time: the answer is the route's at that moment. Otherwise it walks again, at most
     * {@link #MAX_RETRIES} times.
     */
    private int[] resolveValidated(final int[] alias)
    {
        int[] first = resolve(alias, 0);
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++)
        {
            final int[] second = resolve(alias, 0);
            if (second == first)
            {
                return first;
            }
            first = second;
        }
        return first;
    }

    private int[] resolve(final int[] alias, final int depth)
    {
        if (depth == MAX_ALIAS_DEPTH)
        {
            return null;
        }
        for (final int id : alias)
        {
            if (id < 0)
            {
                continue;
            }
            final int[] slot = get(id);
            if (slot == null)
            {
                continue;
            }
            if (slot.length > 2)
            {
                return slot;
            }
            final int[] inner = resolve(slot, depth + 1);
            if (inner != null)
            {
                return inner;
            }
        }
        return null;
    }


    /** A group's published slot as stored: a table, an alias, or null (also for ids never used). Any thread. */
    int[] get(final int groupId)
    {
        final int[][] slots;
        final int index;
        if (groupId >= GroupTable.FIRST_DERIVED_ID)
        {
            slots = derivedSlots;
            index = groupId - GroupTable.FIRST_DERIVED_ID;
        }
        else
        {
            slots = userSlots;
            index = groupId;
        }
        if (index < 0 || index >= slots.length)
        {
            return null;
        }
        return (int[])SLOT.getAcquire(slots, index);
    }

    /** Publishes a group's table (never to be written again) with release ordering. Writer only. */
    void publish(final int groupId, final int[] table)
    {
        if (groupId >= GroupTable.FIRST_DERIVED_ID)
        {
            SLOT.setRelease(derivedSlots, groupId - GroupTable.FIRST_DERIVED_ID, table);
        }
        else
        {
            SLOT.setRelease(userSlots, groupId, table);
        }
    }

    /** Grows the array holding {@code groupId} so that it can be published. Writer only. */
    void ensureCapacity(final int groupId)
    {
        if (groupId >= GroupTable.FIRST_DERIVED_ID)
        {
            final int index = groupId - GroupTable.FIRST_DERIVED_ID;
            if (index >= derivedSlots.length)
            {
                // The copy's elements are plain-written before the volatile store that publishes it.
                derivedSlots = Arrays.copyOf(derivedSlots, Math.max(index + 1, derivedSlots.length * 2));
            }
        }
        else if (groupId >= userSlots.length)
        {
            userSlots = Arrays.copyOf(userSlots, Math.max(groupId + 1, userSlots.length * 2));
        }
    }

    long memoryBytes()
    {
        return 4L * (userSlots.length + derivedSlots.length);
    }
}
