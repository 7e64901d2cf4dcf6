package org.vbgw.perf.frr;

import com.fasterxml.jackson.databind.JsonNode;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.config.GatewayConfig;
import org.vbgw.agent.fpm.FpmCounters;
import org.vbgw.agent.fpm.FpmOptions;
import org.vbgw.agent.fpm.FpmServer;
import org.vbgw.agent.frr.FrrConfig;
import org.vbgw.agent.frr.FrrDaemons;
import org.vbgw.agent.frr.Vtysh;
import org.vbgw.agent.run.GatewayRuntime;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.io.MemoryPort;
import org.vbgw.io.lab.Netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A customer's table through the whole of vbgw's BGP path, timed: BIRD 2 (the customer router) announces N prefixes
 * of a route file (the RouteViews-derived Internet table of {@code perf/scripts/fetch-prefixes.sh}, or its first N)
 * over one eBGP session to the gateway's FRR as vbgw renders and supervises it; zebra hands them over FPM to a
 * started gateway runtime ({@link GatewayRuntime#startFpm}), whose RIB writes them to the journal, which the data
 * plane's FIB applies. For each run it prints, from the session's Established:
 * <ul>
 *   <li>bgpd holding all N (accepted prefixes, polled through vtysh);</li>
 *   <li>the first and the last route arriving over FPM (the FPM server's counters), and so the FPM ingest rate,
 *       which includes the RIB (the FPM thread applies each batch to the RIB before reading on);</li>
 *   <li>all N in the FIB: the end-to-end time;</li>
 *   <li>where the CPU went meanwhile: bgpd, zebra and BIRD (from /proc) and this JVM's threads by name.</li>
 * </ul>
 * Then medians over the runs. Each run starts a fresh FRR and a fresh gateway (empty RIB and FIB); BIRD stays.
 * <p>
 * Topology: namespaces {@code vbgwscl-gw-*} (FRR, the FPM server; the veth is named like the VIF's TAP) and
 * {@code vbgwscl-cpe-*} (BIRD), one veth between them. Prefixes inside 10.0.0.0/8 or the VPC CIDR 192.168.0.0/16
 * are left out (the gateway refuses the VPC's space; 10/8 holds the interconnect). Run as root, with FRR and BIRD
 * installed: {@code perf/scripts/bench-bgp-scale.sh [--prefixes N] [--repeats R] [--routes FILE]}.
 */
public final class BgpFibConvergenceBenchmark
{
    private static final long POLL_MS = 20;
    private static final long TIMEOUT_MS = 900_000;

    private BgpFibConvergenceBenchmark()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        int prefixes = 100_000;
        int repeats = 3;
        Path routes = Path.of("perf/data/ipv4-internet.routes");
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--prefixes" -> prefixes = "all".equals(args[++i]) ? -1 : Integer.parseInt(args[i]);
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--routes" -> routes = Path.of(args[++i]);
                default ->
                {
                    System.err.println("usage: BgpFibConvergenceBenchmark [--prefixes N|all] [--repeats R] [--routes FILE]");
                    System.exit(2);
                }
            }
        }
        final List<String> table = readPrefixes(routes, prefixes);
        final int n = table.size();
        System.out.printf(Locale.ROOT, "%,d prefixes from %s%n", n, routes);
        final Path dir = Files.createTempDirectory("vbgw-bgpscale");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        final Netns gw = Netns.create("vbgwscl-gw");
        final Netns cpe = Netns.create("vbgwscl-cpe");
        Process bird = null;
        try
        {
            gw.veth("vb-dx1", cpe, "c1", 1500);
            gw.exec("ip", "addr", "add", "10.0.0.1/30", "dev", "vb-dx1");
            cpe.exec("ip", "addr", "add", "10.0.0.2/30", "dev", "c1");
            final Path gwConfig = dir.resolve("gw.yaml");
            Files.writeString(gwConfig, BgpConvergenceBenchmark.gatewayConfig("bgp-scale", n));
            final ConfigCheck check = ConfigCheck.of(gwConfig);
            if (!check.ok())
            {
                throw new IllegalStateException(check.errors().toString());
            }
            final Path birdConf = dir.resolve("bird.conf");
            Files.writeString(birdConf, BgpConvergenceBenchmark.birdConfig(table));
            bird = cpe.start("bird", "-f", "-c", birdConf.toString(), "-s", dir.resolve("bird.ctl").toString());
            // Interrupted (SIGTERM), the namespaces go in their own hooks; BIRD would outlive its namespace.
            Runtime.getRuntime().addShutdownHook(new Thread(bird::destroyForcibly));
            final double[][] results = new double[repeats][];
            for (int r = 0; r < repeats; r++)
            {
                if (!bird.isAlive())
                {
                    throw new IllegalStateException("bird exited " + bird.exitValue() + ": " +
                        new String(bird.getInputStream().readAllBytes()));
                }
                results[r] = once(check.config(), dir.resolve("run-" + r), gw, n, bird.pid());
            }
            final double[] fib = column(results, 3);
            final double[] bgp = column(results, 0);
            final double[] fpmRate = new double[repeats];
            for (int r = 0; r < repeats; r++)
            {
                fpmRate[r] = n / (results[r][2] - results[r][1]);
            }
            System.out.printf(Locale.ROOT, "median of %d, %,d prefixes: all in bgpd %.2f s, first over FPM %.2f s, " +
                "last over FPM %.2f s, all in the FIB %.2f s (%,.0f prefixes/s end to end); FPM ingest %,.0f routes/s%n",
                repeats, n, BgpConvergenceBenchmark.median(bgp), BgpConvergenceBenchmark.median(column(results, 1)), BgpConvergenceBenchmark.median(column(results, 2)), BgpConvergenceBenchmark.median(fib),
                n / BgpConvergenceBenchmark.median(fib), BgpConvergenceBenchmark.median(fpmRate));
        }
        finally
        {
            if (bird != null)
            {
                bird.destroy();
                bird.waitFor(5, TimeUnit.SECONDS);
                bird.destroyForcibly();
            }
            cpe.close();
            gw.close();
            Netns.run("rm", "-rf", dir.toString());
        }
    }

    /**
     * One fresh gateway and FRR: seconds from Established to all in bgpd, to the first and last route over FPM,
     * and to all in the FIB.
     */
    private static double[] once(final GatewayConfig config, final Path runDir, final Netns gw, final int n,
        final long birdPid) throws Exception
    {
        // The previous run's zebra may have left its kernel copy behind (it is stopped with SIGKILL after 5 s);
        // the next zebra would sweep it at its start, on the clock (seen: 91,027 deletes over FPM in a run that
        // began so). zebra's routes use kernel next-hop objects, which `ip route flush` refuses: flushing the
        // objects takes their routes with them.
        for (final String[] flush : new String[][] {{"ip", "nexthop", "flush"}, {"ip", "-4", "route", "flush", "proto", "bgp"}})
        {
            try
            {
                gw.exec(flush);
            }
            catch (final IllegalStateException ex)
            {
                System.err.println("leftover routes: " + ex.getMessage().lines().findFirst().orElse(""));
            }
        }
        final long cleanDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!gw.exec("ip", "-4", "route", "show", "proto", "bgp").isBlank() && System.nanoTime() < cleanDeadline)
        {
            Thread.sleep(500);
        }
        Files.createDirectories(runDir);
        Files.setPosixFilePermissions(runDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (GatewayRuntime rt = new GatewayRuntime(config, runDir.resolve("journal"), (port, w, workers) ->
            MemoryPort.pair(port.name(), port.name() + "-far", 1 << 12, port.mtuBytes())[0], tap -> null,
            Dataplane.Config.defaults()))
        {
            rt.applyJournal();
            rt.start();
            final int fibBefore = rt.dataplane().fib().routeCount();
            final FpmServer fpm = gw.call(() ->
            {
                try
                {
                    return rt.startFpm(FpmOptions.defaults(new InetSocketAddress("127.0.0.1", 0)), System.err::println);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
            // The server's own counters: the counters file gets a copy only now and then.
            final FpmCounters counters = fpm.counters();
            final FrrConfig frr = FrrConfig.render(config, new FrrConfig.Fpm("127.0.0.1", fpm.localAddress().getPort()));
            try (FrrDaemons daemons = FrrDaemons.start(runDir.resolve("frr"), frr.toRun(), FrrDaemons.DEFAULT_BINARIES,
                List.of("ip", "netns", "exec", gw.name())))
            {
                daemons.awaitReady(java.time.Duration.ofSeconds(30));
                final Vtysh vtysh = daemons.vtysh();
                final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
                long established = 0;
                long inBgp = 0;
                long fpmFirst = 0;
                long fpmLast = 0;
                long inFib = 0;
                long nextVtysh = 0;
                final long newRoutesBefore = counters.get(FpmCounters.NEW_ROUTE);
                CpuSample cpu = null;
                while (inFib == 0 || inBgp == 0 || fpmLast == 0)
                {
                    if (System.nanoTime() > deadline)
                    {
                        throw new IllegalStateException("no convergence within " + TIMEOUT_MS + " ms: FIB " +
                            (rt.dataplane().fib().routeCount() - fibBefore) + " of " + n + "; bgpd log:\n" + daemons.logTail("bgpd"));
                    }
                    Thread.sleep(POLL_MS);
                    if ((established == 0 || inBgp == 0) && System.nanoTime() >= nextVtysh)
                    {
                        // vtysh is a process and a query of bgpd's: often enough to time the session, no more.
                        nextVtysh = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(established == 0 ? 50 : 250);
                        final JsonNode peer = vtysh.json("show bgp neighbors 10.0.0.2 json").path("10.0.0.2");
                        final long at = System.nanoTime();
                        if (established == 0 && "Established".equals(peer.path("bgpState").asText()))
                        {
                            established = at;
                            cpu = CpuSample.take(daemons.pid("bgpd").orElse(-1L), daemons.pid("zebra").orElse(-1L), birdPid);
                        }
                        if (established != 0 && inBgp == 0 &&
                            peer.path("addressFamilyInfo").path("ipv4Unicast").path("acceptedPrefixCounter").asLong() >= n)
                        {
                            inBgp = at;
                        }
                    }
                    if (established == 0)
                    {
                        continue;
                    }
                    final long now = System.nanoTime();
                    final long newRoutes = counters.get(FpmCounters.NEW_ROUTE) - newRoutesBefore;
                    if (fpmFirst == 0 && newRoutes > 0)
                    {
                        fpmFirst = now;
                    }
                    if (fpmLast == 0 && counters.get(FpmCounters.ROUTES_INSTALLED) >= n)
                    {
                        fpmLast = now;
                    }
                    if (inFib == 0 && rt.dataplane().fib().routeCount() - fibBefore >= n)
                    {
                        inFib = now;
                    }
                }
                final String where = cpu.since(daemons.pid("bgpd").orElse(-1L), daemons.pid("zebra").orElse(-1L), birdPid);
                final double[] run = {
                    (inBgp - established) / 1e9, (fpmFirst - established) / 1e9, (fpmLast - established) / 1e9,
                    (inFib - established) / 1e9};
                System.out.printf(Locale.ROOT, "run %s: from Established: all in bgpd %.2f s, FPM first %.2f s, " +
                    "last %.2f s (%,.0f routes/s), all in the FIB %.2f s; FPM frames %,d, newroute %,d, delroute %,d; " +
                    "CPU s meanwhile: %s%n", runDir.getFileName(), run[0], run[1], run[2], n / (run[2] - run[1]), run[3],
                    counters.get(FpmCounters.FRAMES), counters.get(FpmCounters.NEW_ROUTE) - newRoutesBefore,
                    counters.get(FpmCounters.DEL_ROUTE), where);
                return run;
            }
        }
    }

    /** The first {@code max} (all for a negative max) IPv4 prefixes of a route file, outside 10/8 and 192.168/16. */
    private static List<String> readPrefixes(final Path file, final int max) throws IOException
    {
        if (!Files.exists(file))
        {
            throw new IllegalArgumentException(file + " does not exist: run perf/scripts/fetch-prefixes.sh");
        }
        final List<String> out = new ArrayList<>();
        try (var lines = Files.lines(file))
        {
            final var it = lines.iterator();
            while (it.hasNext() && (max < 0 || out.size() < max))
            {
                final String line = it.next().trim();
                if (line.isEmpty() || line.startsWith("#"))
                {
                    continue;
                }
                final String prefix = line.split("\\s+")[0];
                if (!prefix.startsWith("10.") && !prefix.startsWith("192.168."))
                {
                    out.add(prefix);
                }
            }
        }
        return out;
    }

    private static double[] column(final double[][] rows, final int c)
    {
        final double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++)
        {
            out[i] = rows[i][c];
        }
        return out;
    }
}
