package org.vbgw.fib;

import java.util.Arrays;

/**
 * Resilient, weight-proportional assignment of flow-hash buckets to the members of a next-hop group.
 * <p>
 * A group has a power-of-two number of buckets; a flow's hash picks one ({@code hash & (n - 1)}) and the
 * bucket names a member. Each group keeps a <em>home</em> table (every member live) and a <em>current</em>
 * table (the live members). {@link #assign} computes either from the previous one so that as few buckets
 * move as possible:
 * <ul>
 * <li>a bucket whose anchor (home) member is live always stays with it;</li>
 * <li>a displaced bucket (its home member is dead) stays on the live member that holds it unless that
 *     member holds more than its weight share, rounded up;</li>
 * <li>the remaining buckets go, in bucket order, to the live member furthest below its weight share.</li>
 * </ul>
 * Consequences, which the tests check: when a member dies only its buckets move, spread over the survivors
 * in proportion to their weights; when it comes back it regains exactly its home buckets (and, if other
 * members are still down, its share of their displaced buckets, so the table stays proportional).
 * <p>
 * Shares are compared in exact integer arithmetic ({@code n·w_i − count_i·W}), so the result is
 * deterministic. Writer thread only; allocates a small scratch array per call.
 */
public final class BucketTable
{
    /** A bucket with no member (only when no member is live). */
    public static final int UNASSIGNED = -1;

    /** Buckets per member when sizing a table: enough that one bucket is under 2 % of a member's share. */
    public static final int BUCKETS_PER_MEMBER = 64;

    public static final int MIN_BUCKETS = 64;

    /** Caps memory per group (16 KiB of next-hop ids) and the cost of rebuilding one on invalidation. */
    public static final int MAX_BUCKETS = 4096;

    /** Most members a group may have: each still owns at least eight buckets. */
    public static final int MAX_MEMBERS = MAX_BUCKETS / 8;

    private BucketTable()
    {
    }

    /** The bucket count for a group of {@code memberCount} members: a power of two. */
    public static int bucketCount(final int memberCount)
    {
        if (memberCount < 1 || memberCount > MAX_MEMBERS)
        {
            throw new IllegalArgumentException("member count " + memberCount + " out of range 1.." + MAX_MEMBERS);
        }
        final int wanted = Math.max(MIN_BUCKETS, memberCount * BUCKETS_PER_MEMBER);
        return Math.min(MAX_BUCKETS, Integer.highestOneBit(wanted - 1) << 1);
    }

    /**
     * Assigns every bucket of {@code out} to a live member (an index into {@code weights}).
     *
     * @param weights  weight per member, each &gt; 0.
     * @param live     liveness per member.
     * @param anchor   per bucket, the member that owns it whenever that member is live, or {@link #UNASSIGNED};
     *                 may be {@code null} for none.
     * @param previous per bucket, the member it had before this change (kept where the rules allow), or
     *                 {@code null}; entries may be {@link #UNASSIGNED}.
     * @param out      receives the member per bucket; all {@link #UNASSIGNED} when no member is live. May
     *                 not alias {@code anchor} or {@code previous}.
     * @return the number of live members.
     */
    public static int assign(
        final int[] weights, final boolean[] live, final int[] anchor, final int[] previous, final int[] out)
    {
        final int n = out.length;
        final int m = weights.length;
        long liveWeight = 0;
        int liveCount = 0;
        for (int i = 0; i < m; i++)
        {
            if (live[i])
            {
                liveWeight += weights[i];
                liveCount++;
            }
        }
        if (liveCount == 0)
        {
            Arrays.fill(out, UNASSIGNED);
            return 0;
        }

        final int[] count = new int[m];
        for (int b = 0; b < n; b++)
        {
            final int a = anchor == null ? UNASSIGNED : anchor[b];
            final int p = previous == null ? UNASSIGNED : previous[b];
            final int member = a >= 0 && live[a] ? a : p >= 0 && live[p] ? p : UNASSIGNED;
            out[b] = member;
            if (member >= 0)
            {
                count[member]++;
            }
        }

        // Release displaced buckets from members above their share rounded up; scan from the top so the
        // low buckets of a member are the ones it keeps (deterministic, and independent of history).
        for (int b = n - 1; b >= 0; b--)
        {
            final int member = out[b];
            if (member >= 0 && (anchor == null || anchor[b] != member) &&
                (long)(count[member] - 1) * liveWeight >= (long)n * weights[member])
            {
                out[b] = UNASSIGNED;
                count[member]--;
            }
        }

        for (int b = 0; b < n; b++)
        {
            if (out[b] == UNASSIGNED)
            {
                final int member = mostUnderShare(weights, live, count, n, liveWeight);
                out[b] = member;
                count[member]++;
            }
        }
        return liveCount;
    }

    /** Counts the buckets of each member in {@code table}; entries out of range are ignored. */
    public static int[] memberCounts(final int[] table, final int memberCount)
    {
        final int[] counts = new int[memberCount];
        for (final int member : table)
        {
            if (member >= 0 && member < memberCount)
            {
                counts[member]++;
            }
        }
        return counts;
    }

    private static int mostUnderShare(
        final int[] weights, final boolean[] live, final int[] count, final int n, final long liveWeight)
    {
        int best = UNASSIGNED;
        long bestDeficit = Long.MIN_VALUE;
        for (int i = 0; i < weights.length; i++)
        {
            if (live[i])
            {
                final long deficit = (long)n * weights[i] - (long)count[i] * liveWeight;
                if (deficit > bestDeficit)
                {
                    bestDeficit = deficit;
                    best = i;
                }
            }
        }
        return best;
    }
}
