package org.vbgw.agent.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vbgw.agent.rib.Rib;
import org.vbgw.agent.rib.RibPath;
import org.vbgw.agent.rib.RouteSource;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.dataplane.vif.SourceCheck;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.MemoryPort;
import org.vbgw.io.Port;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent's RIB writes the journal; a data plane applies it, and a restarted one replays it to the same table. */
class JournalApplierTest
{
    @TempDir
    Path dir;

    static Dataplane dataplane()
    {
        final MemoryPort[] idc = MemoryPort.pair("idc", "idc-peer", 1 << 16, 1500);
        final MemoryPort[] vpc = MemoryPort.pair("vpc", "vpc-peer", 1 << 16, 1500);
        final Dataplane dp = new Dataplane(new Port[] {idc[0], vpc[0]}, Dataplane.Config.defaults());
        dp.addVif(new Vif(0, "dx1", 0, 100, 0, 0, 0x0200000000A0L, 1500, List.of(IpPrefix.parse("10.0.0.1")),
            List.of(), SourceCheck.OFF, true), null);
        dp.addVif(new Vif(1, "dx2", 0, 200, 0, 0, 0x0200000000A1L, 1500, List.of(IpPrefix.parse("10.0.0.5")),
            List.of(), SourceCheck.OFF, true), null);
        dp.addVif(new Vif(2, "vpn", 1, 0, 0, 0, 0x0200000000A2L, 1500, List.of(IpPrefix.parse("172.31.0.1")),
            List.of(), SourceCheck.OFF, true), null);
        return dp;
    }

    static TreeMap<String, String> table(final Fib fib)
    {
        final TreeMap<String, String> t = new TreeMap<>();
        fib.forEachRoute((p, g) -> t.put(p.toString(), members(fib, g)));
        return t;
    }

    static String members(final Fib fib, final int group)
    {
        final StringBuilder sb = new StringBuilder();
        for (int h = 0; h < 1024; h++)
        {
            sb.append(fib.selectNextHop(group, h * 0x9E3779B1)).append(',');
        }
        return Integer.toHexString(sb.toString().hashCode());
    }

    @Test
    void ribChangesReachTheDataPlaneAndAReplayRebuildsTheSameTable()
    {
        try (FibJournal journal = FibJournal.open(dir))
        {
            final Rib rib = new Rib(journal);
            final List<RibPath> ecmp = List.of(RibPath.via(0, "10.0.0.2"), RibPath.via(1, "10.0.0.6"));
            for (int i = 0; i < 200; i++)
            {
                rib.add(RouteSource.EBGP, IpPrefix.ipv4(0xC0A80000 | (i << 8), 24), ecmp);
            }
            rib.add(RouteSource.STATIC, IpPrefix.parse("192.168.0.0/16"), List.of(RibPath.via(2, "172.31.0.2")), 250);
            rib.add(RouteSource.EBGP, IpPrefix.parse("2001:db8:100::/48"), List.of(RibPath.via(0, "2001:db8::2")));

            final Dataplane dp = dataplane();
            final JournalApplier applier = new JournalApplier(dp, journal.reader(null), 1000);
            dp.addTask(applier);
            while (dp.doControlWork() > 0)
            {
                // drain
            }
            assertEquals(0, applier.refused(), applier.lastRefusal());
            assertEquals(202, dp.fib().routeCount());
            final int group = dp.fib().lookupIpv4(0xC0A80501);
            final int nh = dp.fib().selectNextHop(group, 12345);
            assertTrue(nh == 0 || nh == 1, "ECMP over the two direct paths: " + nh);

            // A path change in the RIB: the direct routes lose a path, one group rewritten.
            rib.add(RouteSource.EBGP, IpPrefix.parse("192.168.7.0/24"), List.of(RibPath.via(0, "10.0.0.2")));
            while (dp.doControlWork() > 0)
            {
                // drain
            }
            assertEquals(0, dp.fib().selectNextHop(dp.fib().lookupIpv4(0xC0A80701), 999));

            // A data plane that restarts replays the journal and gets the identical table.
            final Dataplane restarted = dataplane();
            final long started = System.nanoTime();
            final JournalApplier replay = new JournalApplier(restarted, journal.reader(null), 1000);
            replay.replay();
            assertEquals(table(dp.fib()), table(restarted.fib()));
            assertEquals(applier.applied(), replay.applied());
            assertTrue(System.nanoTime() - started > 0);
            dp.close();
            restarted.close();
        }
    }

    @Test
    void aRefusedEntryIsReportedAndTheRestStillApplies()
    {
        try (FibJournal journal = FibJournal.open(dir))
        {
            journal.nextHop(0, 0, false, 0, 0x0A000002L);
            journal.route(false, 0, 0x0B000000L, 8, 77);        // no group 77: refused
            journal.group(0, new int[] {0}, new int[] {1}, 1, -1);
            journal.route(false, 0, 0x0C000000L, 8, 0);
            final Dataplane dp = dataplane();
            final JournalApplier applier = new JournalApplier(dp, journal.reader(null), 100);
            applier.replay();
            assertEquals(1, applier.refused());
            assertTrue(applier.lastRefusal().contains("route 11.0.0.0/8"), applier.lastRefusal());
            assertEquals(Fib.NO_GROUP, dp.fib().lookupIpv4(0x0B000001));
            assertNotEquals(Fib.NO_GROUP, dp.fib().lookupIpv4(0x0C000001));
            dp.close();
        }
    }

    @Test
    void aDutyCycleStopsAtTheChunkThatSpendsItsTimeBudget()
    {
        try (FibJournal journal = FibJournal.open(dir))
        {
            journal.nextHop(0, 0, false, 0, 0x0A000002L);
            journal.group(0, new int[] {0}, new int[] {1}, 1, -1);
            for (int i = 0; i < 1000; i++)
            {
                journal.route(false, 0, 0x0B000000L | (i << 8), 24, 0);
            }
            final Dataplane dp = dataplane();
            final JournalApplier applier = new JournalApplier(dp, journal.reader(null), 4096).timeBudgetNs(0);

            // No budget: one chunk per cycle, and between chunks the control thread's other work (BFD) comes round.
            assertEquals(JournalApplier.CHUNK, applier.doWork(0));
            assertEquals(JournalApplier.CHUNK, applier.doWork(0));
            // Budget to spare: the rest in one cycle, as far as the batch allows.
            applier.timeBudgetNs(Long.MAX_VALUE);
            assertEquals(1002 - 2 * JournalApplier.CHUNK, applier.doWork(0));
            assertEquals(0, applier.doWork(0));
            assertEquals(1000, dp.fib().routeCount());

            // drain(), for start-up and tests, takes no budget.
            applier.timeBudgetNs(0);
            for (int i = 0; i < 500; i++)
            {
                journal.route(false, 0, 0x0C000000L | (i << 8), 24, 0);
            }
            assertEquals(500, applier.drain());
            assertEquals(1500, dp.fib().routeCount());
            assertEquals(0, applier.refused(), applier.lastRefusal());
            dp.close();
        }
    }

    @Test
    void aDeleteAndAddInOneTransactionNeverLeavesThePrefixWithoutARoute()
    {
        try (FibJournal journal = FibJournal.open(dir))
        {
            journal.nextHop(0, 0, false, 0, 0x0A000002L);
            journal.nextHop(1, 1, false, 0, 0x0A000006L);
            journal.group(0, new int[] {0}, new int[] {1}, 1, -1);
            journal.group(1, new int[] {1}, new int[] {1}, 1, -1);
            journal.route(false, 0, 0x0A640000L, 16, 0);
            final Dataplane dp = dataplane();
            final JournalApplier applier = new JournalApplier(dp, journal.reader(null), 1);
            applier.replay();
            journal.transactionBegin();
            journal.routeRemoved(false, 0, 0x0A640000L, 16);
            journal.route(false, 0, 0x0A640000L, 16, 1);
            journal.transactionEnd();
            // One entry per duty cycle: after every single step the prefix still has a route.
            for (int step = 0; step < 4; step++)
            {
                dp.doControlWork();
                applier.doWork(0);
                assertNotEquals(Fib.NO_GROUP, dp.fib().lookupIpv4(0x0A640001), "step " + step);
            }
            assertEquals(1, dp.fib().selectNextHop(dp.fib().lookupIpv4(0x0A640001), 0));
            assertNull(applier.corruption());
            assertFalse(applier.refused() > 0, applier.lastRefusal());
            dp.close();
        }
    }

    @Test
    void aSnapshotPlusTheTailRebuildsTheSameTableAndADamagedSnapshotIsRefused() throws Exception
    {
        final Path snapshot = dir.resolve("snapshot.bin");
        try (FibJournal journal = FibJournal.open(dir.resolve("journal")))
        {
            final Rib rib = new Rib(journal);
            final List<RibPath> ecmp = List.of(RibPath.via(0, "10.0.0.2"), RibPath.via(1, "10.0.0.6"));
            for (int i = 0; i < 500; i++)
            {
                rib.add(RouteSource.EBGP, IpPrefix.ipv4(0xC0A80000 | (i << 8), 24), ecmp);
            }
            rib.add(RouteSource.STATIC, IpPrefix.parse("192.168.0.0/16"), List.of(RibPath.via(2, "172.31.0.2")), 250);
            journal.neighbour(2, false, 0, 0xAC1F0002L, 0x020000000099L);
            // Churn the snapshot compacts away: routes that come and go.
            for (int round = 0; round < 3; round++)
            {
                for (int i = 0; i < 300; i++)
                {
                    rib.remove(RouteSource.EBGP, IpPrefix.ipv4(0xC0A80000 | (i << 8), 24));
                }
                for (int i = 0; i < 300; i++)
                {
                    rib.add(RouteSource.EBGP, IpPrefix.ipv4(0xC0A80000 | (i << 8), 24), ecmp);
                }
            }
            final Dataplane dp = dataplane();
            final JournalApplier applier = new JournalApplier(dp, journal.reader(null), 10_000).snapshotEvery(100, snapshot);
            applier.drain(); // writing snapshots on the way
            assertTrue(java.nio.file.Files.exists(snapshot));
            final int entries = applier.snapshot(snapshot);
            assertTrue(entries >= 503, "next hops, groups, routes and the static neighbour: " + entries);

            // Changes after the snapshot are the tail.
            for (int i = 0; i < 20; i++)
            {
                rib.remove(RouteSource.EBGP, IpPrefix.ipv4(0xC0A80000 | (i << 8), 24));
            }
            rib.add(RouteSource.EBGP, IpPrefix.parse("10.99.0.0/16"), List.of(RibPath.via(0, "10.0.0.2")));
            applier.drain();

            final Dataplane restarted = dataplane();
            final JournalApplier replay = new JournalApplier(restarted, journal.reader(null), 1000);
            final long applied = replay.replay(snapshot);
            assertEquals(table(dp.fib()), table(restarted.fib()));
            assertEquals(0, replay.refused(), replay.lastRefusal());
            assertTrue(applied < applier.applied(), "replayed " + applied + " entries, the journal holds " + applier.applied());
            assertEquals(org.vbgw.dataplane.neighbour.NeighbourState.STATIC,
                restarted.neighbours().state(restarted.neighbours().find(2, false, 0, 0xAC1F0002L)));
            dp.close();
            restarted.close();

            final byte[] bytes = java.nio.file.Files.readAllBytes(snapshot);
            bytes[bytes.length / 2] ^= 0x10;
            java.nio.file.Files.write(snapshot, bytes);
            final Dataplane third = dataplane();
            final IllegalStateException ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new JournalApplier(third, journal.reader(null), 1000).replay(snapshot));
            assertTrue(ex.getMessage().contains("snapshot checksum mismatch"), ex.getMessage());
            assertEquals(0, third.fib().routeCount(), "nothing of a damaged snapshot is applied");
            third.close();
        }
    }

    @Test
    void aRunningDataPlaneTailsTheJournalOnItsControlThread() throws Exception
    {
        try (FibJournal journal = FibJournal.open(dir.resolve("tail")))
        {
            final Rib rib = new Rib(journal);
            rib.add(RouteSource.STATIC, IpPrefix.parse("10.1.0.0/16"), List.of(RibPath.via(0, "10.0.0.2")));
            try (Dataplane dp = dataplane())
            {
                // Replayed on this thread, then tailed by the control thread, as vbgw run does.
                final JournalApplier applier = new JournalApplier(dp, journal.reader(null), 100);
                applier.replay();
                dp.addTask(applier);
                dp.start();
                rib.add(RouteSource.API, IpPrefix.parse("10.2.0.0/16"), List.of(RibPath.via(1, "10.0.0.6")));
                final long deadline = System.nanoTime() + 10_000_000_000L;
                while (dp.fib().lookupIpv4(0x0A020001) == Fib.NO_GROUP && System.nanoTime() < deadline)
                {
                    Thread.sleep(1);
                }
                assertNotEquals(Fib.NO_GROUP, dp.fib().lookupIpv4(0x0A020001), "a change after start reaches the FIB");
                assertNull(applier.corruption());
            }
        }
    }
}
