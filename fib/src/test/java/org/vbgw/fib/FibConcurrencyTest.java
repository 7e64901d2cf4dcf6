package org.vbgw.fib;

import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readers resolve flows (lookup + selectNextHop) while the writer kills and revives next hops, replaces
 * groups and re-points a covering route.
 * <p>
 * A resolution is two wait-free reads: the route's stored group id, then that group's bucket table. Each
 * must come from a FIB state that existed during the reader's window, and the bucket read must be whole:
 * the next hop must be what that group answered for the flow in some state of the window. So a torn or
 * half-built table, a group table that is neither the old nor the new one, or "no next hop" from a group
 * that had a live member throughout, all fail. (The two reads may come from different states: a reader
 * that fetched a route's old group just before the route moved uses that group as it is now, as in any
 * two-level FIB; Fib's Javadoc says so.)
 * <p>
 * Protocol: the writer bumps {@code version} to odd before a change and to even after it, having recorded
 * the new state first: each probe's stored group id, and each group's answer for each probe. A reader that
 * saw versions {@code a} before and {@code b} after its read may have seen states {@code a/2 .. (b+1)/2}.
 */
class FibConcurrencyTest
{
    private static final int PROBES = 128;
    private static final int MAX_STATES = 20_000;
    private static final int MIN_STATES = 200;
    private static final long RUN_NS = 1_500_000_000L;
    private static final int MAX_OBSERVATIONS = 4_000_000;

    private final Fib fib = new Fib();
    private final int[] probeAddress = new int[PROBES];
    private final int[] probeHash = new int[PROBES];
    /** Per state: each probe's stored group id, and each group's answer for each probe. */
    private final int[][] routeGroup = new int[MAX_STATES][];
    private final java.util.List<java.util.Map<Integer, int[]>> groupAnswers = new java.util.ArrayList<>();
    /** Variants no route stores any more keep their last table: their answers, frozen. */
    private final java.util.Map<Integer, int[]> frozenAnswers = new java.util.HashMap<>();
    private final AtomicLong version = new AtomicLong();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile boolean running = true;

    @Test
    void readersOnlyEverSeeWholeStates() throws Exception
    {
        for (int nh = 0; nh < 16; nh++)
        {
            fib.addNextHop(nh, nh, false, 0, 0xC0A8_0000L + nh);
        }
        fib.addGroup(0, new int[] {0, 1, 2, 3}, null, Fib.NO_GROUP);
        fib.addGroup(1, new int[] {4, 5, 6, 7}, new int[] {1, 2, 3, 4}, Fib.NO_GROUP);
        fib.addGroup(3, new int[] {12, 13, 14, 15}, null, Fib.NO_GROUP);
        fib.addGroup(2, new int[] {8, 9, 10, 11}, null, 3);
        fib.addRoute(IpPrefix.parse("10.0.0.0/16"), 1);
        for (int i = 0; i < 16; i++)
        {
            fib.addRoute(IpPrefix.ipv4(FibTest.ipv4("10.0.0.0") + (i << 8), 24), 0);
        }
        fib.addRoute(IpPrefix.parse("20.0.0.0/8"), 2);
        final Random random = new Random(11);
        for (int p = 0; p < PROBES; p++)
        {
            probeAddress[p] = p % 4 == 0 ? FibTest.ipv4("20.1.2.3") + p : FibTest.ipv4("10.0.0.0") + (p % 17 << 8) + p;
            probeHash[p] = random.nextInt();
        }
        record(0);

        final int readerCount = 2;
        final Thread[] readers = new Thread[readerCount];
        final long[] checked = new long[readerCount];
        final CountDownLatch ready = new CountDownLatch(readerCount);
        for (int r = 0; r < readerCount; r++)
        {
            final int index = r;
            readers[r] = new Thread(() -> checked[index] = read(index, ready), "fib-reader-" + r);
            readers[r].start();
        }
        assertTrue(ready.await(30, TimeUnit.SECONDS), "readers did not start");
        final int states = write(random);
        running = false;
        for (final Thread reader : readers)
        {
            reader.join(30_000);
        }
        assertNull(failure.get());
        assertTrue(states > 100, "writer made " + states + " changes");
        long total = 0;
        for (final long c : checked)
        {
            assertTrue(c > 0, "a reader checked nothing");
            total += c;
        }
        assertTrue(total > 10_000, "readers checked only " + total + " answers");
    }

    /** Writer: random changes until time runs out; returns the number of states published. */
    private int write(final Random random)
    {
        final boolean[] alive = new boolean[16];
        java.util.Arrays.fill(alive, true);
        final long deadline = System.nanoTime() + RUN_NS;
        int state = 0;
        // At least MIN_STATES changes however slowly a loaded machine runs the writer, then until the deadline.
        while ((System.nanoTime() < deadline || state < MIN_STATES) && state < MAX_STATES - 1)
        {
            version.set(2L * state + 1);
            final int op = random.nextInt(10);
            if (op < 7)
            {
                final int nh = random.nextInt(16);
                alive[nh] = !alive[nh];
                fib.setNextHopAlive(nh, alive[nh]);
            }
            else if (op < 9)
            {
                // Members overlap between groups 0, 1 and 2, so one death can change a group and its
                // fallback in the same step.
                final int group = random.nextInt(3);
                final int size = 1 + random.nextInt(4);
                final int[] members = new int[size];
                for (int i = 0; i < size; i++)
                {
                    members[i] = group * 4 + random.nextInt(6);
                }
                final int[] distinct = distinct(members);
                final int[] weights = new int[distinct.length];
                for (int i = 0; i < weights.length; i++)
                {
                    weights[i] = 1 + random.nextInt(5);
                }
                fib.replaceGroup(group, distinct, weights, group == 2 ? 3 : Fib.NO_GROUP);
            }
            else
            {
                fib.replaceRoute(IpPrefix.parse("10.0.0.0/16"), random.nextBoolean() ? 1 : 3);
            }
            state++;
            record(state);
            version.set(2L * state);
        }
        return state;
    }

    private static int[] distinct(final int[] members)
    {
        return java.util.Arrays.stream(members).distinct().toArray();
    }

    /** Records state {@code s}: stored group ids per probe and the answer of every group in use. */
    private void record(final int s)
    {
        final int[] groups = new int[PROBES];
        final java.util.Map<Integer, int[]> answers = new java.util.HashMap<>();
        for (int p = 0; p < PROBES; p++)
        {
            groups[p] = fib.lookupIpv4(probeAddress[p]);
            answers.put(groups[p], null);
        }
        for (int g = 0; g <= 3; g++)
        {
            answers.put(g, null);
        }
        for (final Integer g : answers.keySet())
        {
            final int[] perProbe = new int[PROBES];
            for (int p = 0; p < PROBES; p++)
            {
                perProbe[p] = fib.selectNextHop(g, probeHash[p]);
            }
            answers.put(g, perProbe);
        }
        if (s > 0)
        {
            for (final java.util.Map.Entry<Integer, int[]> e : groupAnswers.get(s - 1).entrySet())
            {
                if (!answers.containsKey(e.getKey()))
                {
                    frozenAnswers.put(e.getKey(), e.getValue());
                }
            }
        }
        routeGroup[s] = groups;
        groupAnswers.add(answers);
    }

    /**
     * Whether the reader's (group, next hop) for probe p fits states lo..hi: the route itself gave that next
     * hop in one of the states (what a lookup must do: the old answer or the new one), or the group the reader
     * fetched gave it while it was the route's group.
     */
    private boolean valid(final int p, final int group, final int nh, final int lo, final int hi)
    {
        for (int s = lo; s <= hi; s++)
        {
            final int[] routeAnswers = groupAnswers.get(s).get(routeGroup[s][p]);
            if (routeAnswers != null && routeAnswers[p] == nh)
            {
                return true;
            }
        }
        boolean routeSeen = false;
        for (int s = lo; s <= hi && !routeSeen; s++)
        {
            routeSeen = routeGroup[s][p] == group;
        }
        if (!routeSeen)
        {
            return false;
        }
        for (int s = lo; s <= hi; s++)
        {
            int[] answers = groupAnswers.get(s).get(group);
            if (answers == null)
            {
                answers = frozenAnswers.get(group);
            }
            if (answers != null && answers[p] == nh)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Reader: resolves probes round robin, recording each answer with its window; checked after the writer
     * stops, so that readers never wait for the writer (they would be starved of work on a loaded machine).
     */
    private long read(final int seed, final CountDownLatch ready)
    {
        final int[] probe = new int[MAX_OBSERVATIONS];
        final int[] answer = new int[MAX_OBSERVATIONS];
        final int[] lo = new int[MAX_OBSERVATIONS];
        final int[] hi = new int[MAX_OBSERVATIONS];
        final int[] groupSeen = new int[MAX_OBSERVATIONS];
        int count = 0;
        int p = seed;
        ready.countDown();
        while (running && count < MAX_OBSERVATIONS)
        {
            p = (p + 1) % PROBES;
            final long before = version.get();
            final int group = fib.lookupIpv4(probeAddress[p]);
            final int nh = fib.selectNextHop(group, probeHash[p]);
            final long after = version.get();
            probe[count] = p;
            groupSeen[count] = group;
            answer[count] = nh;
            lo[count] = (int)(before / 2);
            hi[count] = (int)((after + 1) / 2);
            count++;
        }
        while (running)
        {
            Thread.onSpinWait();
        }
        for (int i = 0; i < count; i++)
        {
            if (!valid(probe[i], groupSeen[i], answer[i], lo[i], hi[i]))
            {
                final StringBuilder sb = new StringBuilder("probe " + probe[i] + " answered " + answer[i] +
                    " from group " + groupSeen[i] + " in states " + lo[i] + ".." + hi[i] + "; stored groups");
                for (int s = lo[i]; s <= hi[i]; s++)
                {
                    sb.append(' ').append(routeGroup[s][probe[i]]);
                }
                sb.append("; that group answered");
                for (int s = lo[i]; s <= hi[i]; s++)
                {
                    final int[] answers = groupAnswers.get(s).get(groupSeen[i]);
                    sb.append(' ').append(answers == null ? "?" : String.valueOf(answers[probe[i]]));
                }
                failure.compareAndSet(null, sb.toString());
                break;
            }
        }
        return count;
    }
}
