package org.vbgw.dataplane.liveness;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vbgw.dataplane.vif.SourceCheck;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.dataplane.vif.VifTable;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vbgw.dataplane.liveness.NextHopLiveness.CAUSE_ADMIN;
import static org.vbgw.dataplane.liveness.NextHopLiveness.CAUSE_BFD;
import static org.vbgw.dataplane.liveness.NextHopLiveness.CAUSE_CARRIER;
import static org.vbgw.dataplane.liveness.NextHopLiveness.CAUSE_PROBE;
import static org.vbgw.dataplane.liveness.NextHopLiveness.Scope;

class NextHopLivenessTest
{
    private static final long PEER_A = 0x0A000002L;
    private static final long PEER_B = 0x0A000006L;
    private final Fib fib = new Fib();
    private final VifTable vifs = new VifTable(2, 8);
    private final List<LivenessEvent> events = new ArrayList<>();
    private NextHopLiveness liveness;

    @BeforeEach
    void setUp()
    {
        vifs.put(new Vif(0, "dx1", 0, 100, 0, 0, 0x020000000001L, 1500, List.of(IpPrefix.parse("10.0.0.1")),
            List.of(IpPrefix.parse("10.0.0.0/30")), SourceCheck.STRICT, true));
        vifs.put(new Vif(1, "dx2", 1, 200, 0, 0, 0x020000000002L, 1500, List.of(IpPrefix.parse("10.0.0.5")),
            List.of(IpPrefix.parse("10.0.0.4/30")), SourceCheck.STRICT, true));
        liveness = new NextHopLiveness(fib, vifs, new String[] {"eth1", "eth2"}, events::add);
        add(1, 0, PEER_A);
        add(2, 0, PEER_A);
        add(3, 1, PEER_B);
        fib.addGroup(1, new int[] {1, 3}, null, Fib.NO_GROUP);
        fib.addRoute(IpPrefix.parse("192.168.0.0/16"), 1);
    }

    private void add(final int id, final int vif, final long peer)
    {
        fib.addNextHop(id, vif, false, 0, peer);
        liveness.track(id, vif);
    }

    private boolean alive(final int id)
    {
        return fib.nextHop(id).alive();
    }

    @Test
    void aNextHopIsAliveOnlyWhenNoCauseOnAnyScopeHoldsItDown()
    {
        assertEquals(2, liveness.raise(Scope.port(0), CAUSE_CARRIER, 10));
        assertFalse(alive(1));
        assertFalse(alive(2));
        assertTrue(alive(3), "another port");
        liveness.raise(Scope.peer(0, false, 0, PEER_A), CAUSE_BFD, 20);
        assertEquals(0, liveness.clear(Scope.port(0), CAUSE_CARRIER, 0, 30), "BFD still holds them");
        assertFalse(alive(1));
        assertEquals((1 << CAUSE_BFD), liveness.downMask(1));
        assertEquals(2, liveness.clear(Scope.peer(0, false, 0, PEER_A), CAUSE_BFD, 0, 40));
        assertTrue(alive(1));
        assertTrue(alive(2));
        assertEquals("port eth1 up -> down (carrier, 2 next hops)", events.get(0).toString());
        assertEquals("peer 10.0.0.2%dx1", events.get(1).subject());
        assertEquals("dx1", events.get(1).vif());
        assertEquals("10.0.0.2", events.get(1).peer());
        assertEquals(1, liveness.downs(CAUSE_BFD));
        assertEquals(1, liveness.restores(CAUSE_CARRIER));
    }

    @Test
    void holdDownDelaysTheRestoreAndANewLossCancelsIt()
    {
        final Scope vif = Scope.vif(1);
        liveness.raise(vif, CAUSE_PROBE, 0);
        assertFalse(alive(3));
        assertEquals(1, fib.selectNextHop(1, 7), "the group forwards on its other member");
        liveness.clear(vif, CAUSE_PROBE, 1_000, 100);
        assertEquals(0, liveness.doWork(900));
        assertFalse(alive(3), "inside the hold-down");
        liveness.raise(vif, CAUSE_PROBE, 950);
        assertEquals(0, liveness.doWork(1_200), "the flap cancelled the pending restore");
        assertFalse(alive(3));
        liveness.clear(vif, CAUSE_PROBE, 1_000, 1_300);
        assertEquals(1, liveness.doWork(2_300));
        assertTrue(alive(3));
        assertEquals(List.of("up -> down", "down -> up (hold-down)", "up (hold-down) -> down", "down -> up (hold-down)",
            "up (hold-down) -> up"), events.stream().map(e -> e.from() + " -> " + e.to()).toList());
    }

    @Test
    void aNextHopAddedLaterStartsInItsScopesState()
    {
        liveness.raise(Scope.peer(1, false, 0, PEER_B), CAUSE_BFD, 0);
        add(4, 1, PEER_B);
        assertFalse(alive(4), "its peer's BFD session is down");
        add(5, 1, 0x0A000007L);
        assertTrue(alive(5), "another peer on the same VIF");
        liveness.untrack(4);
        liveness.clear(Scope.peer(1, false, 0, PEER_B), CAUSE_BFD, 0, 10);
        assertTrue(alive(3));
        assertFalse(alive(4), "no longer decided for once untracked");
    }

    @Test
    void adminAndRepeatedRaisesAreIdempotent()
    {
        assertEquals(1, liveness.raise(Scope.nextHop(2), CAUSE_ADMIN, 0));
        assertEquals(0, liveness.raise(Scope.nextHop(2), CAUSE_ADMIN, 1));
        assertEquals(1, events.size());
        assertEquals(0, liveness.clear(Scope.nextHop(3), CAUSE_ADMIN, 0, 2), "nothing held");
        assertEquals(1, liveness.clear(Scope.nextHop(2), CAUSE_ADMIN, 0, 3));
        assertTrue(alive(2));
    }
}
