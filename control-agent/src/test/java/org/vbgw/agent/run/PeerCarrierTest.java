package org.vbgw.agent.run;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vbgw.dataplane.liveness.NextHopLiveness;
import org.vbgw.dataplane.liveness.NextHopLiveness.Scope;
import org.vbgw.dataplane.vif.SourceCheck;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.dataplane.vif.VifTable;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which detector states take a BGP VIF's path down, as the TAP's carrier will show it to FRR. */
class PeerCarrierTest
{
    private static final long MS = 1_000_000L;
    private final Fib fib = new Fib();
    private final VifTable vifs = new VifTable(2, 8);
    private NextHopLiveness liveness;
    private PeerCarrier.Watch dx1;
    private PeerCarrier.Watch dx2;

    @BeforeEach
    void setUp()
    {
        vifs.put(new Vif(0, "dx1", 0, 100, 0, 0, 0x020000000001L, 1500, List.of(IpPrefix.parse("10.0.0.1")),
            List.of(IpPrefix.parse("10.0.0.0/30")), SourceCheck.STRICT, true));
        vifs.put(new Vif(1, "dx2", 1, 200, 0, 0, 0x020000000002L, 1500, List.of(IpPrefix.parse("10.0.0.5")),
            List.of(IpPrefix.parse("10.0.0.4/30")), SourceCheck.STRICT, true));
        liveness = new NextHopLiveness(fib, vifs, new String[] {"eth1", "eth2"}, e -> { });
        dx1 = new PeerCarrier.Watch("dx1", "vb-dx1", Scope.port(0), Scope.vif(0),
            PeerCarrier.peers(0, List.of(IpPrefix.parse("10.0.0.2"))));
        dx2 = new PeerCarrier.Watch("dx2", "vb-dx2", Scope.port(1), Scope.vif(1),
            PeerCarrier.peers(1, List.of(IpPrefix.parse("10.0.0.6"))));
    }

    @Test
    void eachDetectorTakesOnlyItsOwnVifsPathDownUntilItsHoldDownEnds()
    {
        final PeerCarrier carrier = new PeerCarrier(liveness, List.of(dx1, dx2), line -> { }, (w, on) -> { });
        assertFalse(carrier.pathDown(dx1));
        assertFalse(carrier.pathDown(dx2));

        liveness.raise(Scope.port(0), NextHopLiveness.CAUSE_CARRIER, 0);
        assertTrue(carrier.pathDown(dx1), "carrier loss on dx1's port");
        assertFalse(carrier.pathDown(dx2), "dx2 rides another port");
        liveness.clear(Scope.port(0), NextHopLiveness.CAUSE_CARRIER, 1_000 * MS, 10 * MS);
        assertTrue(carrier.pathDown(dx1), "still down during the carrier's hold-down");
        liveness.doWork(1_011 * MS);
        assertFalse(carrier.pathDown(dx1), "up once the hold-down has passed");

        final IpPrefix peer = IpPrefix.parse("10.0.0.6");
        liveness.raise(Scope.peer(1, false, peer.hi(), peer.lo()), NextHopLiveness.CAUSE_BFD, 2_000 * MS);
        assertTrue(carrier.pathDown(dx2), "BFD down for dx2's BGP peer");
        liveness.clear(Scope.peer(1, false, peer.hi(), peer.lo()), NextHopLiveness.CAUSE_BFD, 0, 2_100 * MS);
        assertFalse(carrier.pathDown(dx2));

        liveness.raise(Scope.vif(0), NextHopLiveness.CAUSE_PROBE, 3_000 * MS);
        assertTrue(carrier.pathDown(dx1), "the health probe gave up on dx1");
        liveness.clear(Scope.vif(0), NextHopLiveness.CAUSE_PROBE, 0, 3_100 * MS);
        liveness.raise(Scope.vif(0), NextHopLiveness.CAUSE_ADMIN, 3_200 * MS);
        assertTrue(carrier.pathDown(dx1), "the operator took dx1 down");
        liveness.raise(Scope.nextHop(7), NextHopLiveness.CAUSE_RESOLUTION, 3_300 * MS);
        assertFalse(carrier.pathDown(dx2), "one unresolved next hop is not the BGP peer's path");
        carrier.close();
    }

    @Test
    void aChangeIsReportedOnceAsWorkAndNotAgainWhileTheStateHolds()
    {
        final List<String> set = new java.util.concurrent.CopyOnWriteArrayList<>();
        final PeerCarrier carrier = new PeerCarrier(liveness, List.of(dx1, dx2), line -> { },
            (w, on) -> set.add(w.tapName() + (on ? " on" : " off")));
        assertEquals(0, carrier.doWork(0));
        liveness.raise(Scope.port(1), NextHopLiveness.CAUSE_CARRIER, 0);
        assertEquals(1, carrier.doWork(1), "dx2 went down");
        assertEquals(0, carrier.doWork(2), "and stays down: nothing more to tell");
        liveness.clear(Scope.port(1), NextHopLiveness.CAUSE_CARRIER, 0, 3);
        assertEquals(1, carrier.doWork(4), "dx2 came back");
        carrier.close();
        assertEquals(List.of("vb-dx2 off", "vb-dx2 on"), set, "the carrier follows, in order, on its own thread");
    }
}
