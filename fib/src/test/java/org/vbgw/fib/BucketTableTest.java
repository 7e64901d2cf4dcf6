package org.vbgw.fib;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BucketTableTest
{
    @Test
    void bucketCountIsAPowerOfTwoWithAtLeastEightBucketsPerMember()
    {
        assertEquals(64, BucketTable.bucketCount(1));
        assertEquals(512, BucketTable.bucketCount(8));
        assertEquals(1024, BucketTable.bucketCount(9));
        assertEquals(BucketTable.MAX_BUCKETS, BucketTable.bucketCount(BucketTable.MAX_MEMBERS));
        for (int m = 1; m <= BucketTable.MAX_MEMBERS; m++)
        {
            final int n = BucketTable.bucketCount(m);
            assertEquals(0, n & (n - 1), "power of two for " + m);
            assertTrue(n >= 8 * m);
        }
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> BucketTable.bucketCount(0));
        assertTrue(ex.getMessage().contains("member count 0"), ex.getMessage());
    }

    @Test
    void freshTableIsWeightProportionalWithinOneBucket()
    {
        final Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++)
        {
            final int m = 1 + random.nextInt(20);
            final int[] weights = new int[m];
            for (int i = 0; i < m; i++)
            {
                weights[i] = 1 + random.nextInt(10);
            }
            final int[] table = new int[BucketTable.bucketCount(m)];
            BucketTable.assign(weights, allLive(m), null, null, table);
            assertProportional(weights, allLive(m), table);
        }
    }

    @Test
    void equalWeightsInterleaveMembers()
    {
        final int[] table = new int[64];
        BucketTable.assign(new int[] {1, 1, 1, 1}, allLive(4), null, null, table);
        for (int b = 0; b < 64; b++)
        {
            assertEquals(b % 4, table[b]);
        }
    }

    @Test
    void deathMovesOnlyTheDeadMembersBucketsSpreadByWeight()
    {
        final int[] weights = {1, 2, 3, 1, 1, 4, 2, 2};
        final int m = weights.length;
        final int[] home = new int[BucketTable.bucketCount(m)];
        BucketTable.assign(weights, allLive(m), null, null, home);
        final boolean[] live = allLive(m);
        final int[] current = home.clone();

        int[] previous = current;
        final int[] deathOrder = {5, 0, 3};
        for (final int dead : deathOrder)
        {
            live[dead] = false;
            final int[] next = new int[home.length];
            BucketTable.assign(weights, live, home, previous, next);
            for (int b = 0; b < next.length; b++)
            {
                if (previous[b] != dead)
                {
                    assertEquals(previous[b], next[b], "bucket " + b + " moved although member " + dead + " died");
                }
                else
                {
                    assertTrue(live[next[b]], "bucket " + b + " went to a dead member");
                }
            }
            assertProportional(weights, live, next);
            previous = next;
        }
    }

    @Test
    void returnRestoresExactlyTheHomeBuckets()
    {
        final int[] weights = {3, 1, 1, 1, 2, 1};
        final int m = weights.length;
        final int[] home = new int[BucketTable.bucketCount(m)];
        BucketTable.assign(weights, allLive(m), null, null, home);
        final boolean[] live = allLive(m);
        live[4] = false;
        final int[] down = new int[home.length];
        BucketTable.assign(weights, live, home, home, down);
        live[4] = true;
        final int[] up = new int[home.length];
        BucketTable.assign(weights, live, home, down, up);

        assertArrayEquals(home, up, "with everyone back the table is the home table again");
        for (int b = 0; b < up.length; b++)
        {
            if (down[b] != up[b])
            {
                assertEquals(4, home[b], "only buckets of the returning member change");
            }
        }
    }

    @Test
    void returnWhileOthersAreDownTakesHomeAndAShareOfDisplacedBuckets()
    {
        final int[] weights = {1, 1, 1, 1};
        final int[] home = new int[64];
        BucketTable.assign(weights, allLive(4), null, null, home);
        final boolean[] live = allLive(4);
        int[] table = home.clone();
        for (final int dead : new int[] {0, 1})
        {
            live[dead] = false;
            final int[] next = new int[64];
            BucketTable.assign(weights, live, home, table, next);
            table = next;
        }
        live[0] = true;
        final int[] next = new int[64];
        BucketTable.assign(weights, live, home, table, next);
        for (int b = 0; b < 64; b++)
        {
            if (home[b] == 0)
            {
                assertEquals(0, next[b], "member 0 regains its home bucket " + b);
            }
            if (home[b] == 2 || home[b] == 3)
            {
                assertEquals(home[b], next[b], "a live member's home bucket never moves");
            }
            if (next[b] != table[b])
            {
                assertEquals(0, next[b], "only moves are towards the returning member");
                assertTrue(home[b] == 0 || home[b] == 1, "moved bucket " + b + " was home or displaced");
            }
        }
        assertProportional(weights, live, next);
    }

    @Test
    void noLiveMemberLeavesEveryBucketUnassigned()
    {
        final int[] home = new int[64];
        BucketTable.assign(new int[] {1, 1}, allLive(2), null, null, home);
        final int[] out = new int[64];
        assertEquals(0, BucketTable.assign(new int[] {1, 1}, new boolean[2], home, home, out));
        final int[] expected = new int[64];
        Arrays.fill(expected, BucketTable.UNASSIGNED);
        assertArrayEquals(expected, out);

        final int[] back = new int[64];
        assertEquals(1, BucketTable.assign(new int[] {1, 1}, new boolean[] {false, true}, home, out, back));
        for (final int member : back)
        {
            assertEquals(1, member);
        }
    }

    @Test
    void weightChangeKeepsBucketsOfMembersThatStay()
    {
        final int[] before = new int[512];
        BucketTable.assign(new int[] {1, 1, 1, 1, 1, 1, 1, 1}, allLive(8), null, null, before);
        final int[] after = new int[512];
        final int[] weights = {2, 1, 1, 1, 1, 1, 1, 1};
        BucketTable.assign(weights, allLive(8), null, before, after);
        assertProportional(weights, allLive(8), after);
        int moved = 0;
        for (int b = 0; b < 512; b++)
        {
            if (before[b] != after[b])
            {
                moved++;
                assertEquals(0, after[b], "buckets only move to the member whose weight grew");
            }
        }
        assertEquals(BucketTable.memberCounts(after, 8)[0] - 64, moved);
        assertNotEquals(0, moved);
    }

    static boolean[] allLive(final int m)
    {
        final boolean[] live = new boolean[m];
        Arrays.fill(live, true);
        return live;
    }

    /** Every live member holds floor or ceil of its exact share; dead members hold nothing. */
    static void assertProportional(final int[] weights, final boolean[] live, final int[] table)
    {
        long liveWeight = 0;
        for (int i = 0; i < weights.length; i++)
        {
            liveWeight += live[i] ? weights[i] : 0;
        }
        final int[] counts = BucketTable.memberCounts(table, weights.length);
        int total = 0;
        for (int i = 0; i < weights.length; i++)
        {
            total += counts[i];
            if (!live[i])
            {
                assertEquals(0, counts[i], "dead member " + i + " holds buckets");
                continue;
            }
            final double share = (double)table.length * weights[i] / liveWeight;
            assertTrue(counts[i] >= Math.floor(share) && counts[i] <= Math.ceil(share),
                "member " + i + " weight " + weights[i] + " holds " + counts[i] + " buckets, share " + share +
                " in " + Arrays.toString(counts));
        }
        assertEquals(table.length, total);
    }
}
