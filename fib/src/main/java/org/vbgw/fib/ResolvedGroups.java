package org.vbgw.fib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The read side of next-hop groups: group id → the bucket table (next hop id per bucket) that forwards
 * for it now, or {@code null} when nothing is usable.
 * <p>
 * User group ids ({@code 0..}{@link GroupTable#MAX_GROUP_ID}) and derived ids (from
 * {@link GroupTable#FIRST_DERIVED_ID}) index two flat arrays, so a reader resolves any group with one
 * volatile load, one branch and one acquire load. Published tables are never written again: a new state of a
 * group is a new array, so a reader sees one whole table or another, never a mix.
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

    /** The next hop for {@code flowHash} in a group, or {@link NextHop#NO_NEXT_HOP}. Any thread. */
    int select(final int groupId, final int flowHash)
    {
        final int[] buckets = get(groupId);
        return buckets == null ? NextHop.NO_NEXT_HOP : buckets[flowHash & (buckets.length - 1)];
    }

    /** The published table of a group, or null (also for ids never used). Any thread. */
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
