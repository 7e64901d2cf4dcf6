package org.vbgw.agent.rib;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vbgw.agent.journal.FibChange;
import org.vbgw.agent.journal.FibJournal;
import org.vbgw.agent.journal.JournalState;
import org.vbgw.agent.run.RouteAgent;
import org.vbgw.fib.IpPrefix;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A restarted agent's RIB keeps the routes the journal records as BGP's or FRR's, stale, instead of removing them
 * until zebra announces them again: they stay in the FIB with no write, an announcement with the same paths
 * writes nothing, one with other paths replaces them, and {@link Rib#sweepStale()} removes only those never
 * announced again. The state comes from a real journal, so the group entries' origin is what is tested.
 */
class RibGracefulRestartTest
{
    private static final IpPrefix STATIC_ROUTE = IpPrefix.parse("10.1.0.0/16");
    private static final IpPrefix BGP_SAME_HOP = IpPrefix.parse("198.51.100.0/24");
    private static final IpPrefix BGP_OTHER = IpPrefix.parse("203.0.113.0/24");
    private static final IpPrefix BGP_CHANGED = IpPrefix.parse("203.0.114.0/24");
    private static final IpPrefix OSPF = IpPrefix.parse("192.0.2.0/24");

    @TempDir
    Path dir;

    /** What the agent wrote before it was killed: config routes and routes learnt over FPM. */
    private JournalState journalBeforeRestart()
    {
        try (FibJournal journal = FibJournal.open(dir.resolve("journal")))
        {
            final Rib rib = new Rib(journal);
            rib.add(RouteSource.STATIC, STATIC_ROUTE, List.of(RibPath.via(1, "10.0.0.2")));
            rib.add(RouteSource.EBGP, BGP_SAME_HOP, List.of(RibPath.via(1, "10.0.0.2")));
            rib.add(RouteSource.EBGP, BGP_OTHER, List.of(RibPath.via(2, "10.0.0.6")));
            rib.add(RouteSource.EBGP, BGP_CHANGED, List.of(RibPath.via(2, "10.0.0.6"), RibPath.via(1, "10.0.0.2")));
            rib.add(RouteSource.FRR, OSPF, List.of(RibPath.via(2, "10.0.0.6")), 110);
            return JournalState.read(journal, dir.resolve("no-snapshot"));
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    @Test
    void theJournalRecordsEachGroupsSourceAndDistance()
    {
        final JournalState state = journalBeforeRestart();
        final int staticGroup = state.routes().get(STATIC_ROUTE);
        final int bgpGroup = state.routes().get(BGP_SAME_HOP);
        assertEquals(RouteSource.STATIC.journalCode(), state.groups().get(staticGroup).source());
        assertEquals(RouteSource.EBGP.journalCode(), state.groups().get(bgpGroup).source());
        assertEquals(20, state.groups().get(bgpGroup).distance());
        assertEquals(110, state.groups().get(state.routes().get(OSPF)).distance());
        // Same next hop, other origin: a group each, or the journal could not say which routes are BGP's.
        assertTrue(staticGroup != bgpGroup);
    }

    @Test
    void protocolRoutesStayStaleUntilAnnouncedAgainAndOnlyTheRestGoesAtTheEndOfTheGrace()
    {
        final JournalState state = journalBeforeRestart();
        final RibTest.Recorder fib = new RibTest.Recorder();
        final Rib rib = new Rib(fib);

        assertEquals(5, rib.adopt(state, RouteAgent.RELEARNED));
        assertEquals(4, rib.staleCount());
        // The agent re-adds its own routes and sweeps: nothing is written, BGP's routes are not the agent's to drop.
        rib.add(RouteSource.STATIC, STATIC_ROUTE, List.of(RibPath.via(1, "10.0.0.2")));
        assertEquals(0, rib.sweep());
        assertEquals(List.of(), fib.lines, "a restart with zebra not yet back writes nothing");
        assertEquals(5, rib.installedCount());
        assertTrue(rib.routes().stream().filter(r -> r.prefix().equals(BGP_OTHER)).allMatch(RibRoute::stale));

        // zebra comes back and announces three of them: unchanged paths write nothing, a changed one is replaced
        // (the new route is written before anything is removed).
        rib.add(RouteSource.EBGP, BGP_SAME_HOP, List.of(RibPath.via(1, "10.0.0.2")));
        rib.add(RouteSource.FRR, OSPF, List.of(RibPath.via(2, "10.0.0.6")), 110);
        assertEquals(List.of(), fib.lines, "announced again as it was: nothing written");
        rib.add(RouteSource.EBGP, BGP_CHANGED, List.of(RibPath.via(2, "10.0.0.6")));
        assertEquals(1, rib.staleCount());
        assertTrue(fib.lines.get(fib.lines.size() - 2).startsWith("route 203.0.114.0/24 -> "), fib.lines.toString());
        assertTrue(fib.lines.get(fib.lines.size() - 1).startsWith("group-del "), fib.lines.toString());
        assertFalse(fib.lines.stream().anyMatch(l -> l.startsWith("route-del")), fib.lines.toString());
        fib.lines.clear();

        // The grace period ends: the one zebra never announced again goes; its group stays, as the changed route
        // now uses the same (BGP, via 10.0.0.6).
        final int groups = rib.groupCount();
        assertEquals(1, rib.sweepStale());
        assertEquals(0, rib.staleCount());
        assertEquals(List.of("route-del 203.0.113.0/24"), fib.lines);
        assertEquals(groups, rib.groupCount());
        assertEquals(4, rib.installedCount());
        assertFalse(rib.routes().stream().anyMatch(RibRoute::stale));
    }

    @Test
    void aStaleRouteGivesWayToABetterOneAndComesBackIfThatGoes()
    {
        final JournalState state = journalBeforeRestart();
        final RibTest.Recorder fib = new RibTest.Recorder();
        final Rib rib = new Rib(fib);
        rib.adopt(state, RouteAgent.RELEARNED);
        // An operator's route for the same prefix at a lower distance wins over the stale BGP route...
        rib.add(RouteSource.API, BGP_OTHER, List.of(RibPath.via(1, "10.0.0.2")));
        assertTrue(fib.lines.stream().anyMatch(l -> l.startsWith("route 203.0.113.0/24 -> ")), fib.lines.toString());
        // ...and another source's announcement does not refresh BGP's stale candidate.
        assertEquals(4, rib.staleCount());
        fib.lines.clear();
        assertTrue(rib.remove(RouteSource.API, BGP_OTHER));
        assertTrue(fib.lines.stream().anyMatch(l -> l.startsWith("route 203.0.113.0/24 -> ")),
            "the stale route is still a candidate: " + fib.lines);
        assertEquals(4, rib.staleCount());
    }

    @Test
    void aWithdrawalFromTheSourceRemovesItsStaleRoute()
    {
        final RibTest.Recorder fib = new RibTest.Recorder();
        final Rib rib = new Rib(fib);
        rib.adopt(journalBeforeRestart(), RouteAgent.RELEARNED);
        assertTrue(rib.remove(RouteSource.EBGP, BGP_OTHER));
        assertEquals(List.of("route-del 203.0.113.0/24"), fib.lines.subList(0, 1));
        assertEquals(3, rib.staleCount());
    }

    @Test
    void routesOfUnknownOriginAreTheAgentsToReAddAsBefore()
    {
        // A journal written before origins were recorded: its groups read as SOURCE_UNKNOWN.
        final JournalState state = new JournalState();
        state.onNextHop(0, 0, 0, 1, false, 0, IpPrefix.parse("10.0.0.2").lo());
        state.onGroup(1, 0, 0, new int[] {0}, new int[] {1}, 1, -1);
        state.onRoute(2, 0, false, 0, BGP_OTHER.lo(), 24, 0);
        assertEquals(FibChange.SOURCE_UNKNOWN, state.groups().get(0).source());
        final RibTest.Recorder fib = new RibTest.Recorder();
        final Rib rib = new Rib(fib);
        assertEquals(1, rib.adopt(state, Set.of(RouteSource.EBGP)));
        assertEquals(0, rib.staleCount());
        assertEquals(1, rib.sweep());
        assertEquals(List.of("route-del 203.0.113.0/24", "group-del 0", "nh-del 0"), fib.lines);
    }
}
