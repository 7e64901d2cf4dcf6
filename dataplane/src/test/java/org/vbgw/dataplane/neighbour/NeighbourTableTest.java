package org.vbgw.dataplane.neighbour;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NeighbourTableTest
{
    private static final long S = 1_000_000_000L;
    private static final long GW = 0x0A000002L;
    private static final long MAC = 0x0200_0000_0002L;

    private final List<String> events = new ArrayList<>();
    private final NeighbourListener listener = new NeighbourListener()
    {
        @Override
        public void solicit(int vif, boolean v6, long hi, long lo, long unicastMac)
        {
            events.add("solicit " + vif + " " + Long.toHexString(lo) + (unicastMac == 0 ? " broadcast" : " unicast"));
        }

        @Override
        public void resolved(int entry, int vif, boolean v6, long hi, long lo, long mac)
        {
            events.add("resolved " + Long.toHexString(lo) + " " + Long.toHexString(mac));
        }

        @Override
        public void unreachable(int entry, int vif, boolean v6, long hi, long lo)
        {
            events.add("unreachable " + Long.toHexString(lo));
        }

        @Override
        public void release(int entry, long mac, DirectBuffer frame, int offset, int length)
        {
            events.add("release " + length + " byte0=" + frame.getByte(offset));
        }

        @Override
        public void dropped(int entry, int frames)
        {
            events.add("dropped " + frames);
        }
    };

    private NeighbourTable table(final int capacity)
    {
        return new NeighbourTable(capacity, NeighbourTimers.DEFAULT, listener, 3, 16, 2048);
    }

    @Test
    void resolvesAfterRetriesAndReleasesWaitingFramesInOrder()
    {
        final NeighbourTable t = table(16);
        final int e = t.resolve(1, false, 0, GW, 0);
        assertEquals(NeighbourState.INCOMPLETE, t.state(e));
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[100]);
        for (int i = 0; i < 4; i++)
        {
            frame.putByte(0, (byte)i);
            assertEquals(i < 3, t.enqueue(e, frame, 0, 60 + i), "at most 3 frames wait per neighbour");
        }
        assertEquals(1, t.pendingOverflow());
        assertEquals(0, t.doWork(S / 2), "nothing due before the retransmit time");
        assertEquals(1, t.doWork(S));
        t.learn(1, false, 0, GW, MAC, true, S + 1);
        assertEquals(NeighbourState.REACHABLE, t.state(e));
        assertEquals(MAC, t.mac(e));
        assertEquals(List.of("solicit 1 a000002 broadcast", "solicit 1 a000002 broadcast",
            "resolved a000002 20000000002", "release 60 byte0=0", "release 61 byte0=1", "release 62 byte0=2"), events);
        assertEquals(0, t.pendingCount(e));
    }

    @Test
    void unansweredRequestsFailTheNeighbourDropItsFramesAndKeepRetrying()
    {
        final NeighbourTable t = table(16);
        final int e = t.resolve(1, false, 0, GW, 0);
        t.enqueue(e, new UnsafeBuffer(new byte[64]), 0, 64);
        for (long now = S; now <= 3 * S; now += S)
        {
            t.doWork(now);
        }
        assertEquals(NeighbourState.FAILED, t.state(e));
        assertEquals(List.of("solicit 1 a000002 broadcast", "solicit 1 a000002 broadcast", "solicit 1 a000002 broadcast",
            "dropped 1", "unreachable a000002"), events);
        events.clear();
        t.doWork(4 * S);
        assertEquals(List.of("solicit 1 a000002 broadcast"), events, "a failed neighbour is asked again");
        t.learn(1, false, 0, GW, MAC, false, 4 * S + 5);
        assertEquals(NeighbourState.REACHABLE, t.state(e), "and comes back when it answers");
    }

    @Test
    void refreshesBeforeExpiryWithUnicastAndFailsOnlyAfterReachableTime()
    {
        final NeighbourTable t = table(16);
        t.learn(1, false, 0, GW, MAC, true, 0);
        events.clear();
        t.doWork(24 * S);
        assertTrue(events.isEmpty(), "no refresh before reachable - refreshAhead");
        t.doWork(25 * S);
        assertEquals(List.of("solicit 1 a000002 unicast"), events);
        final int e = t.find(1, false, 0, GW);
        assertEquals(NeighbourState.PROBE, t.state(e));
        assertTrue(NeighbourState.usable(t.state(e)), "still forwarding while probing");
        t.learn(1, false, 0, GW, MAC, false, 25 * S + 100);
        assertEquals(NeighbourState.REACHABLE, t.state(e));
        events.clear();
        // No more answers: probes, then failure once the reachable time has run out.
        long failedAt = -1;
        for (long now = 50 * S; now <= 60 * S && failedAt < 0; now += S / 10)
        {
            t.doWork(now);
            failedAt = t.state(e) == NeighbourState.FAILED ? now : -1;
        }
        assertTrue(failedAt >= 55 * S + 100 && failedAt < 56 * S, "fails when reachable time runs out: " + failedAt);
        assertEquals("unreachable a000002", events.get(events.size() - 1));
        assertEquals(3, events.stream().filter(s -> s.endsWith("unicast")).count());
    }

    @Test
    void staticNeighboursNeverExpireAndIgnoreLearning()
    {
        final NeighbourTable t = table(16);
        final int e = t.addStatic(2, true, 0x20010db800000000L, 1, MAC);
        t.learn(2, true, 0x20010db800000000L, 1, 0x0200_0000_0099L, true, 0);
        t.doWork(1000 * S);
        assertEquals(NeighbourState.STATIC, t.state(e));
        assertEquals(MAC, t.mac(e));
    }

    @Test
    void unsolicitedMessagesDoNotCreateEntriesAndAFullTableRefusesNewOnes()
    {
        final NeighbourTable t = table(4);
        t.learn(1, false, 0, 0x0A000009L, MAC, false, 0);
        assertEquals(NeighbourTable.NO_ENTRY, t.find(1, false, 0, 0x0A000009L));
        for (int i = 0; i < 4; i++)
        {
            assertNotEquals(NeighbourTable.NO_ENTRY, t.resolve(1, false, 0, 0x0A000010L + i, 0));
        }
        assertEquals(NeighbourTable.NO_ENTRY, t.resolve(1, false, 0, 0x0A0000FFL, 0));
        assertEquals(1, t.refusedFull());
    }

    @Test
    void removalKeepsEveryOtherEntryFindable()
    {
        final NeighbourTable t = table(256);
        for (int i = 0; i < 200; i++)
        {
            t.learn(i % 3, false, 0, 0x0A000000L + i, i + 1, true, 0);
        }
        for (int i = 0; i < 200; i += 2)
        {
            t.remove(t.find(i % 3, false, 0, 0x0A000000L + i));
        }
        assertEquals(100, t.size());
        for (int i = 0; i < 200; i++)
        {
            final int e = t.find(i % 3, false, 0, 0x0A000000L + i);
            if (i % 2 == 0)
            {
                assertEquals(NeighbourTable.NO_ENTRY, e, "removed " + i);
            }
            else
            {
                assertEquals(i + 1, t.mac(e), "kept " + i);
            }
        }
        assertFalse(t.size() > 100);
    }
}
