package org.vbgw.perf.journal;

import org.HdrHistogram.Histogram;
import org.vbgw.agent.journal.FibChangeHandler;
import org.vbgw.agent.journal.FibJournal;
import org.vbgw.agent.journal.FibJournalReader;
import org.vbgw.agent.journal.JournalApplier;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The FIB journal's two numbers: routes per second from the journal into a data plane's FIB (a restart's
 * replay), and the latency from a route change in the agent's RIB to the FIB that forwards with it
 * (HdrHistogram), with the data plane's control thread tailing the journal as in {@code vbgw run}.
 * <p>
 * {@code java <vbgw.jvmFlags> -cp perf/target/benchmarks.jar org.vbgw.perf.journal.JournalApplyBenchmark [routes] [changes]}
 */
public final class JournalApplyBenchmark
{
    private JournalApplyBenchmark()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int routes = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final int changes = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        final Path dir = Files.createTempDirectory("vbgw-journal-bench");
        try (FibJournal journal = FibJournal.open(dir.resolve("journal")))
        {
            // The journal a big table leaves: next hops, groups, then one entry per route.
            journal.nextHop(0, 0, false, 0, 0x0A000002L);
            journal.nextHop(1, 1, false, 0, 0x0A000006L);
            journal.group(0, new int[] {0, 1}, new int[] {1, 1}, 2, Fib.NO_GROUP);
            final SplittableRandom random = new SplittableRandom(20261122);
            final long writeStart = System.nanoTime();
            final java.util.HashSet<Integer> seen = new java.util.HashSet<>();
            int written = 0;
            while (written < routes)
            {
                final int prefix = (random.nextInt(1, 224) << 24) | (random.nextInt(1 << 16) << 8);
                if (seen.add(prefix))
                {
                    journal.route(false, 0, prefix & 0xFFFF_FFFFL, 24, 0);
                    written++;
                }
            }
            final double writeS = (System.nanoTime() - writeStart) / 1e9;

            // Replay: what a restarted data plane does first.
            for (int round = 0; round < 3; round++)
            {
                try (Dataplane dp = dataplane())
                {
                    final JournalApplier applier = new JournalApplier(dp, journal.reader(null), 4096);
                    final long start = System.nanoTime();
                    final long applied = applier.replay();
                    final double s = (System.nanoTime() - start) / 1e9;
                    System.out.printf("replay %d: %,d entries into the FIB in %.3f s: %,.0f routes/s (FIB %,d routes)%n",
                        round, applied, s, routes / s, dp.fib().routeCount());
                }
            }
            System.out.printf("journal written at %,.0f entries/s%n", routes / writeS);

            // The FIB's half alone: the same routes, already sorted, into the FIB's bulk load (the floor of a replay).
            final int[] sortedPrefixes = seen.stream().mapToInt(Integer::intValue)
                .sorted().toArray();   // signed order; re-sorted unsigned below
            final long[] unsigned = new long[sortedPrefixes.length];
            for (int i = 0; i < unsigned.length; i++)
            {
                unsigned[i] = sortedPrefixes[i] & 0xFFFF_FFFFL;
            }
            java.util.Arrays.sort(unsigned);
            final int[] prefixes = new int[unsigned.length];
            final int[] lengths = new int[unsigned.length];
            final int[] groups = new int[unsigned.length];
            for (int i = 0; i < unsigned.length; i++)
            {
                prefixes[i] = (int)unsigned[i];
                lengths[i] = 24;
            }
            for (int round = 0; round < 3; round++)
            {
                try (Dataplane dp = dataplane())
                {
                    dp.addNextHop(0, 0, false, 0, 0x0A000002L);
                    dp.addNextHop(1, 1, false, 0, 0x0A000006L);
                    dp.fib().addGroup(0, new int[] {0, 1}, new int[] {1, 1}, Fib.NO_GROUP);
                    final long start = System.nanoTime();
                    dp.fib().loadIpv4Routes(prefixes, lengths, groups, prefixes.length);
                    final double s = (System.nanoTime() - start) / 1e9;
                    System.out.printf("FIB bulk load alone %d: %,d routes in %.3f s: %,.0f routes/s%n", round,
                        prefixes.length, s, prefixes.length / s);
                }
            }

            // The reading half alone: Chronicle, checksum and decode into a handler that does nothing.
            for (int round = 0; round < 3; round++)
            {
                try (FibJournalReader reader = journal.reader(null))
                {
                    final long start = System.nanoTime();
                    final long read = reader.drain(DISCARD);
                    final double s = (System.nanoTime() - start) / 1e9;
                    System.out.printf("read+decode %d: %,d entries in %.3f s: %,.0f entries/s%n", round, read, s, read / s);
                }
            }

            // Steady state: route changes into a FIB that already holds the table, applied one by one.
            try (Dataplane dp = dataplane())
            {
                final JournalApplier applier = new JournalApplier(dp, journal.reader(null), 4096);
                applier.replay();
                final Path steadyDir = dir.resolve("steady");
                final int steadyRoutes = Math.min(routes, 50_000);
                try (FibJournal steady = FibJournal.open(steadyDir))
                {
                    for (int i = 0; i < steadyRoutes; i++)
                    {
                        steady.route(false, 0, (0xE0000000L - ((i + 1L) << 8)) & 0xFFFF_FFFFL, 24, 0);
                    }
                    final JournalApplier tail = new JournalApplier(dp, steady.reader(null), 4096);
                    final long start = System.nanoTime();
                    // The apply rate itself: drain() leaves out the duty cycle's rests between budgets.
                    final long applied = tail.drain();
                    final double s = (System.nanoTime() - start) / 1e9;
                    System.out.printf("steady: %,d route adds into a FIB of %,d routes in %.3f s: %,.0f routes/s%n",
                        applied, routes, s, applied / s);
                }
            }

            // Latency from the RIB to the FIB, the data plane's control thread tailing the journal.
            try (Dataplane dp = dataplane())
            {
                final JournalApplier applier = new JournalApplier(dp, journal.reader(null), 4096);
                applier.replay();
                dp.addTask(applier);
                dp.start();
                final Rib rib = new Rib(journal);
                final Histogram latency = new Histogram(3_600_000_000_000L, 3);
                final List<RibPath> path = List.of(RibPath.via(0, "10.0.0.2"));
                for (int i = 0; i < changes; i++)
                {
                    final int address = 0xE0000000 - ((i + 1) << 8);     // 223.x.y.0/24, below the table's range
                    final long start = System.nanoTime();
                    rib.add(RouteSource.API, IpPrefix.ipv4(address, 24), path);
                    while (dp.fib().lookupIpv4(address | 1) == Fib.NO_GROUP)
                    {
                        Thread.onSpinWait();
                    }
                    latency.recordValue(System.nanoTime() - start);
                }
                System.out.printf("route change in the RIB to the FIB, %,d changes: p50 %.1f us, p90 %.1f us, " +
                    "p99 %.1f us, p99.9 %.1f us, max %.1f us%n", changes,
                    latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(90) / 1e3,
                    latency.getValueAtPercentile(99) / 1e3, latency.getValueAtPercentile(99.9) / 1e3,
                    latency.getMaxValue() / 1e3);
            }
        }
        finally
        {
            try (var files = Files.walk(dir))
            {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Counts nothing and keeps nothing: what reading and decoding cost without the FIB. */
    private static final FibChangeHandler DISCARD = new FibChangeHandler()
    {
        public void onNextHop(long i, long t, int id, int vif, boolean v6, long hi, long lo)
        {
        }

        public void onNextHopRemoved(long i, long t, int id)
        {
        }

        public void onNextHopState(long i, long t, int id, boolean alive, int cause)
        {
        }

        public void onGroup(long i, long t, int id, int[] nhs, int[] w, int n, int backup)
        {
        }

        public void onGroupRemoved(long i, long t, int id)
        {
        }

        public void onRoute(long i, long t, boolean v6, long hi, long lo, int len, int group)
        {
        }

        public void onRouteRemoved(long i, long t, boolean v6, long hi, long lo, int len)
        {
        }

        public void onNeighbour(long i, long t, int vif, boolean v6, long hi, long lo, long mac)
        {
        }

        public void onNeighbourRemoved(long i, long t, int vif, boolean v6, long hi, long lo)
        {
        }

        public void onVifAdminState(long i, long t, int vif, boolean up)
        {
        }

        public void onTransactionBegin(long i, long t)
        {
        }

        public void onTransactionEnd(long i, long t)
        {
        }
    };

    private static Dataplane dataplane()
    {
        final MemoryPort[] a = MemoryPort.pair("a", "a-far", 1 << 16, 1500);
        final MemoryPort[] b = MemoryPort.pair("b", "b-far", 1 << 16, 1500);
        final Dataplane dp = new Dataplane(new Port[] {a[0], b[0]}, Dataplane.Config.defaults());
        dp.addVif(new Vif(0, "dx1", 0, 100, 0, 0, 0x0200000000A0L, 1500, List.of(IpPrefix.parse("10.0.0.1")),
            List.of(), SourceCheck.OFF, true), null);
        dp.addVif(new Vif(1, "dx2", 1, 0, 0, 0, 0x0200000000A1L, 1500, List.of(IpPrefix.parse("10.0.0.5")),
            List.of(), SourceCheck.OFF, true), null);
        return dp;
    }
}
