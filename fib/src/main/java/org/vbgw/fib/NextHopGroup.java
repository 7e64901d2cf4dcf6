package org.vbgw.fib;

import java.util.Arrays;

import org.agrona.collections.IntHashSet;

/**
 * A next-hop group as the writer holds it: members (next hop ids) with weights, an optional explicit
 * backup group, and the resilient bucket tables that turn a flow hash into a member.
 * <p>
 * VPP's load_balance object plays this role. The group keeps, per bucket, a home member (as if every
 * member were live) and a current member (live members only, computed by {@link BucketTable#assign} from
 * the previous current table so that only the buckets of a member that died move). From the current table
 * it builds the <em>own table</em>: bucket → next hop id, a fresh array on every change, never written
 * after it is handed to {@link GroupTable} for publication, so a reader sees one whole table or another,
 * never a mix. The own table is {@code null} while no member is live.
 * <p>
 * Writer thread only; the public accessors return copies and are for the control plane.
 */
public final class NextHopGroup
{
    private final int id;
    private int[] nextHopIds;
    private int[] weights;
    private boolean[] live;
    private int backupGroupId;
    private int[] home;
    private int[] current;
    private int[] ownTable;

    /** Derived variants of this group (same members, a covering route as backup); see {@link GroupTable}. */
    final IntHashSet variants = new IntHashSet();

    /** Routes whose group this is, directly or through a variant; a group in use cannot be removed. */
    int routeCount;

    /** The group whose dependents set lists this one (its explicit backup), or {@link Fib#NO_GROUP}. */
    int linkedFallback = Fib.NO_GROUP;

    NextHopGroup(final int id, final int[] nextHopIds, final int[] weights, final boolean[] live, final int backupGroupId)
    {
        this.id = id;
        this.nextHopIds = nextHopIds.clone();
        this.weights = weights.clone();
        this.live = live.clone();
        this.backupGroupId = backupGroupId;
        final int n = BucketTable.bucketCount(nextHopIds.length);
        home = new int[n];
        BucketTable.assign(this.weights, allLive(nextHopIds.length), null, null, home);
        current = new int[n];
        BucketTable.assign(this.weights, this.live, home, null, current);
        ownTable = buildOwnTable();
    }

    public int id()
    {
        return id;
    }

    public int[] nextHopIds()
    {
        return nextHopIds.clone();
    }

    public int[] weights()
    {
        return weights.clone();
    }

    public int backupGroupId()
    {
        return backupGroupId;
    }

    public int bucketCount()
    {
        return current.length;
    }

    /** The member (index into {@link #nextHopIds()}) per bucket when every member is live. */
    public int[] homeBuckets()
    {
        return home.clone();
    }

    /** The member per bucket now; {@link BucketTable#UNASSIGNED} everywhere when no member is live. */
    public int[] currentBuckets()
    {
        return current.clone();
    }

    public boolean contains(final int nextHopId)
    {
        return indexOf(nextHopId) >= 0;
    }

    public boolean anyMemberLive()
    {
        return ownTable != null;
    }

    /** Next hop id per bucket, or {@code null} when no member is live. Never mutated: safe to publish. */
    int[] ownTable()
    {
        return ownTable;
    }

    void backupGroupId(final int backupGroupId)
    {
        this.backupGroupId = backupGroupId;
    }

    /**
     * Marks a member live or dead and recomputes the current table with minimal disruption.
     *
     * @return true when the own table changed (and must be republished).
     */
    boolean memberAlive(final int nextHopId, final boolean alive)
    {
        final int i = indexOf(nextHopId);
        if (i < 0 || live[i] == alive)
        {
            return false;
        }
        live[i] = alive;
        final int[] next = new int[current.length];
        BucketTable.assign(weights, live, home, current, next);
        if (Arrays.equals(next, current))
        {
            return false;
        }
        current = next;
        ownTable = buildOwnTable();
        return true;
    }

    /**
     * Replaces members and weights. Buckets whose next hop remains a member keep it as far as the new
     * weights allow, so flows on remaining members stay put unless their member must shed buckets to a
     * new or heavier one; this holds across a change of bucket count too (see {@link #remap}).
     */
    void replaceMembers(final int[] newNextHopIds, final int[] newWeights, final boolean[] newLive)
    {
        final int n = BucketTable.bucketCount(newNextHopIds.length);
        final int[] newIndexOfOld = new int[nextHopIds.length];
        for (int i = 0; i < nextHopIds.length; i++)
        {
            newIndexOfOld[i] = BucketTable.UNASSIGNED;
            for (int j = 0; j < newNextHopIds.length; j++)
            {
                if (newNextHopIds[j] == nextHopIds[i])
                {
                    newIndexOfOld[i] = j;
                }
            }
        }
        final int[] newHome = new int[n];
        BucketTable.assign(newWeights, allLive(newNextHopIds.length), null, remap(home, newIndexOfOld, n), newHome);
        final int[] newCurrent = new int[n];
        BucketTable.assign(newWeights, newLive, newHome, remap(current, newIndexOfOld, n), newCurrent);

        nextHopIds = newNextHopIds.clone();
        weights = newWeights.clone();
        live = newLive.clone();
        home = newHome;
        current = newCurrent;
        ownTable = buildOwnTable();
    }

    /**
     * The old table in new member indexes and at the new size. Both sizes are powers of two and a flow's
     * bucket is {@code hash & (n - 1)}, so when the table grows, new bucket {@code b} holds exactly the flows
     * of old bucket {@code b % oldN}: copying it keeps every flow of a remaining member where it was. When
     * it shrinks, new bucket {@code b} merges old buckets {@code b, b + n, …}; it keeps old bucket b's member.
     */
    private static int[] remap(final int[] table, final int[] newIndexOfOld, final int n)
    {
        final int[] mapped = new int[n];
        for (int b = 0; b < n; b++)
        {
            final int old = table[b % table.length];
            mapped[b] = old < 0 ? BucketTable.UNASSIGNED : newIndexOfOld[old];
        }
        return mapped;
    }

    private int[] buildOwnTable()
    {
        if (current[0] == BucketTable.UNASSIGNED)
        {
            return null;
        }
        final int[] table = new int[current.length];
        for (int b = 0; b < table.length; b++)
        {
            table[b] = nextHopIds[current[b]];
        }
        return table;
    }

    private int indexOf(final int nextHopId)
    {
        for (int i = 0; i < nextHopIds.length; i++)
        {
            if (nextHopIds[i] == nextHopId)
            {
                return i;
            }
        }
        return -1;
    }

    private static boolean[] allLive(final int memberCount)
    {
        final boolean[] all = new boolean[memberCount];
        Arrays.fill(all, true);
        return all;
    }

    @Override
    public String toString()
    {
        return "NextHopGroup{id=" + id + ", nextHops=" + Arrays.toString(nextHopIds) + ", weights=" +
            Arrays.toString(weights) + ", backup=" + backupGroupId + ", buckets=" + current.length + "}";
    }
}
