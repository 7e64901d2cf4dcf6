package org.vbgw.fib;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prefix-independent convergence at scale: 1,000,000 IPv4 routes over 64 next hops in 8 groups of 8.
 * Killing a next hop moves only the flows that were on it, reviving it moves only those back, a route whose
 * group dies entirely follows its covering route (or its explicit backup), and the work done does not depend
 * on the number of routes.
 */
class FibInvalidationTest
{
    private static final int GROUPS = 8;
    private static final int MEMBERS = 8;
    private static final int SAMPLED_ROUTES = 4000;
    private static final int FLOWS_PER_ROUTE = 32;
    private static final int BASE = 0x0100_0000; // 1.0.0.0
    private static final int COVER_0 = BASE;     // 1.0.0.0/16 → group 0
    private static final int COVER_1 = BASE + 0x1_0000; // 1.1.0.0/16 → group 1

    /** Routes: two covering /16s and (count - 2) consecutive /24s from 1.0.0.0, group = index % 8. */
    private static Fib build(final int routeCount)
    {
        final Fib fib = new Fib();
        for (int nh = 0; nh < GROUPS * MEMBERS; nh++)
        {
            fib.addNextHop(nh, nh / MEMBERS, false, 0, 0xC0A8_0000L + nh);
        }
        for (int g = 0; g < GROUPS; g++)
        {
            final int[] members = new int[MEMBERS];
            for (int i = 0; i < MEMBERS; i++)
            {
                members[i] = g * MEMBERS + i;
            }
            fib.addGroup(g, members, null, Fib.NO_GROUP);
        }
        final int[] prefixes = new int[routeCount];
        final int[] lengths = new int[routeCount];
        final int[] groups = new int[routeCount];
        for (int i = 0; i < routeCount - 2; i++)
        {
            prefixes[i] = BASE + (i << 8);
            lengths[i] = 24;
            groups[i] = i % GROUPS;
        }
        prefixes[routeCount - 2] = COVER_0;
        lengths[routeCount - 2] = 16;
        groups[routeCount - 2] = 0;
        prefixes[routeCount - 1] = COVER_1;
        lengths[routeCount - 1] = 16;
        groups[routeCount - 1] = 1;
        fib.loadIpv4Routes(prefixes, lengths, groups, routeCount);
        assertEquals(routeCount, fib.routeCount());
        assertEquals(2 * GROUPS, fib.derivedGroupCount(), "one variant per (group, covering group)");
        return fib;
    }

    private static final class Flows
    {
        final int[] dst = new int[SAMPLED_ROUTES * FLOWS_PER_ROUTE];
        final int[] hash = new int[dst.length];
        final int[] group = new int[dst.length];

        Flows(final int routeCount, final long seed)
        {
            final Random random = new Random(seed);
            for (int r = 0; r < SAMPLED_ROUTES; r++)
            {
                // Routes near the start sit under the covering /16s; sample those densely too.
                final int route = r < 512 ? r : random.nextInt(routeCount - 2);
                for (int f = 0; f < FLOWS_PER_ROUTE; f++)
                {
                    final int i = r * FLOWS_PER_ROUTE + f;
                    dst[i] = BASE + (route << 8) + random.nextInt(256);
                    hash[i] = FlowHash.ipv4(random.nextInt(), dst[i], 6, random.nextInt(65536), 443);
                    group[i] = route % GROUPS;
                }
            }
        }

        int[] resolve(final Fib fib)
        {
            final int[] nh = new int[dst.length];
            for (int i = 0; i < nh.length; i++)
            {
                nh[i] = fib.selectNextHop(fib.lookupIpv4(dst[i]), hash[i]);
            }
            return nh;
        }
    }

    @Test
    void millionRoutesConvergeByRewritingOnlyTheGroupsOfTheDeadNextHop()
    {
        final int smallRewrites = killReviveRewrites(build(10_000), 10_000);
        final Fib fib = build(1_000_000);
        final int bigRewrites = killReviveRewrites(fib, 1_000_000);
        // Only the group containing the next hop: its variants alias it and follow without being rewritten,
        // whatever the route count.
        assertEquals(1, bigRewrites);
        assertEquals(smallRewrites, bigRewrites);
        wholeGroupDeathFollowsCoverThenBackup(fib, 1_000_000);
    }

    private static int killReviveRewrites(final Fib fib, final int routeCount)
    {
        final Flows flows = new Flows(routeCount, 42);
        final int[] before = flows.resolve(fib);
        for (int i = 0; i < before.length; i++)
        {
            assertEquals(flows.group[i], before[i] / MEMBERS, "flow " + i + " uses its route's group");
        }
        final int dead = 13; // group 1, member 5
        final int rewrites = fib.setNextHopAlive(dead, false);
        assertEquals(rewrites, fib.groupsRewrittenByLastInvalidation());

        final int[] down = flows.resolve(fib);
        int moved = 0;
        final int[] movedTo = new int[GROUPS * MEMBERS];
        for (int i = 0; i < down.length; i++)
        {
            if (before[i] == dead)
            {
                assertNotEquals(dead, down[i], "flow " + i + " still on the dead next hop");
                assertEquals(flows.group[i], down[i] / MEMBERS, "flow " + i + " left its group");
                movedTo[down[i]]++;
                moved++;
            }
            else
            {
                assertEquals(before[i], down[i], "flow " + i + " on a surviving member moved");
            }
        }
        assertTrue(moved > 0, "the sample has flows on the dead next hop");
        int receivers = 0;
        for (final int count : movedTo)
        {
            receivers += count > 0 ? 1 : 0;
        }
        assertEquals(MEMBERS - 1, receivers, "the dead member's flows spread over all survivors");

        assertEquals(rewrites, fib.setNextHopAlive(dead, true));
        final int[] up = flows.resolve(fib);
        for (int i = 0; i < up.length; i++)
        {
            assertEquals(before[i], up[i], "flow " + i + " after revival");
        }
        return rewrites;
    }

    private static void wholeGroupDeathFollowsCoverThenBackup(final Fib fib, final int routeCount)
    {
        final Flows flows = new Flows(routeCount, 7);
        final int doomed = 3;
        for (int m = 0; m < MEMBERS - 1; m++)
        {
            fib.setNextHopAlive(doomed * MEMBERS + m, false);
        }
        // The last member's death empties group 3: only its slot changes; its variants under each /16 alias
        // it and its cover, and so fall through to the cover by themselves.
        assertEquals(1, fib.setNextHopAlive(doomed * MEMBERS + MEMBERS - 1, false));
        int underCover = 0;
        final int[] down = flows.resolve(fib);
        for (int i = 0; i < down.length; i++)
        {
            if (flows.group[i] != doomed)
            {
                assertEquals(flows.group[i], down[i] / MEMBERS);
                continue;
            }
            final int cover = coverGroup(flows.dst[i]);
            if (cover >= 0)
            {
                underCover++;
                assertEquals(fib.selectNextHop(cover, flows.hash[i]), down[i], "flow " + i + " follows its /16");
            }
            else
            {
                assertEquals(Fib.NO_NEXT_HOP, down[i], "flow " + i + " has no backup");
            }
        }
        assertTrue(underCover > 0);

        final int backup = 6;
        fib.replaceGroup(doomed, fib.group(doomed).nextHopIds(), null, backup);
        final int[] explicit = flows.resolve(fib);
        for (int i = 0; i < explicit.length; i++)
        {
            if (flows.group[i] == doomed)
            {
                assertEquals(fib.selectNextHop(backup, flows.hash[i]), explicit[i], "flow " + i + " uses the explicit backup");
            }
        }

        final int revived = doomed * MEMBERS + 2;
        fib.setNextHopAlive(revived, true);
        final int[] back = flows.resolve(fib);
        for (int i = 0; i < back.length; i++)
        {
            assertEquals(flows.group[i] == doomed ? revived : down[i], back[i], "flow " + i + " after one member revived");
        }
    }

    private static int coverGroup(final int dst)
    {
        final int slash16 = dst & 0xFFFF_0000;
        return slash16 == COVER_0 ? 0 : slash16 == COVER_1 ? 1 : -1;
    }
}
