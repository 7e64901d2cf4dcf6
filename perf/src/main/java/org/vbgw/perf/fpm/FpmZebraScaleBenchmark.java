package org.vbgw.perf.fpm;

import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.fpm.FpmCounters;
import org.vbgw.agent.fpm.FpmOptions;
import org.vbgw.agent.fpm.FpmRouteTable;
import org.vbgw.agent.fpm.FpmServer;
import org.vbgw.agent.fpm.Netlink;
import org.vbgw.agent.fpm.VifResolver;
import org.vbgw.agent.run.GatewayRuntime;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.MemoryPort;
import org.vbgw.io.lab.Netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real zebra (Debian's FRR 8.4, {@code -M dplane_fpm_nl}) announcing N staticd routes to a started gateway's
 * FPM server: the time from staticd's start to the last route in the FIB, beside the time zebra took to put them
 * into its own kernel table (its other data plane), all in a namespace of its own. Needs root and FRR.
 * <p>
 * {@code java <vbgw.jvmFlags> -cp perf/target/benchmarks.jar org.vbgw.perf.fpm.FpmZebraScaleBenchmark [routes] [groups|paths]}
 */
public final class FpmZebraScaleBenchmark
{
    private FpmZebraScaleBenchmark()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int routes = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        final boolean groups = args.length <= 1 || !"paths".equals(args[1]);
        final Path dir = Files.createTempDirectory("vbgw-fpm-scale");
        Netns.run("chown", "frr:frr", dir.toString());
        Process zebra = null;
        Process staticd = null;
        try (Netns ns = Netns.create("vbgw-fpms"); Netns peer = Netns.create("vbgw-fpmp"))
        {
            ns.exec("ip", "link", "add", "vbA", "type", "veth", "peer", "name", "a0", "netns", peer.name());
            ns.exec("ip", "link", "add", "vbB", "type", "veth", "peer", "name", "b0", "netns", peer.name());
            ns.exec("ip", "addr", "add", "10.0.0.1/30", "dev", "vbA");
            ns.exec("ip", "addr", "add", "10.0.0.5/30", "dev", "vbB");
            for (final String i : new String[] {"vbA", "vbB"})
            {
                ns.exec("ip", "link", "set", i, "up");
            }
            peer.exec("ip", "link", "set", "a0", "up");
            peer.exec("ip", "link", "set", "b0", "up");
            final int indexA = ifindex(ns, "vbA");
            final int indexB = ifindex(ns, "vbB");
            Files.writeString(dir.resolve("gw.yaml"), FpmIngestBenchmarkConfig.CONFIG);
            final ConfigCheck check = ConfigCheck.of(dir.resolve("gw.yaml"));
            try (GatewayRuntime rt = new GatewayRuntime(check.config(), dir.resolve("journal"), (port, w, n) ->
                MemoryPort.pair(port.name(), port.name() + "-far", 1 << 12, port.mtuBytes())[0], tap -> null,
                Dataplane.Config.defaults()))
            {
                rt.applyJournal();
                final int before = rt.dataplane().fib().routeCount();
                rt.start();
                final int vifA = rt.vifId("vif-a");
                final int vifB = rt.vifId("vif-b");
                final FpmCounters counters = new FpmCounters();
                final FpmRouteTable table = new FpmRouteTable(new VifResolver()
                {
                    @Override
                    public int vifByIfindex(final int ifindex)
                    {
                        return ifindex == indexA ? vifA : ifindex == indexB ? vifB : NO_VIF;
                    }

                    @Override
                    public int vifByGateway(final IpPrefix gateway)
                    {
                        return NO_VIF;
                    }
                }, rt::changeRib, List.of(Netlink.RTPROT_ZSTATIC), counters, System.err::println);
                try (FpmServer server = ns.call(() ->
                {
                    try
                    {
                        return new FpmServer(new FpmOptions(new InetSocketAddress("127.0.0.1", 0),
                            List.of(Netlink.RTPROT_ZSTATIC), 60_000), table, counters, System.err::println);
                    }
                    catch (final IOException ex)
                    {
                        throw new UncheckedIOException(ex);
                    }
                }))
                {
                    write(dir, "zebra.conf", "fpm address 127.0.0.1 port " + server.localAddress().getPort() + "\n" +
                        (groups ? "" : "no fpm use-next-hop-groups\n"));
                    final StringBuilder statics = new StringBuilder();
                    for (int i = 0; i < routes; i++)
                    {
                        // /24s from 20.0.0.0 on; a third via each peer and a third ECMP over both.
                        final String prefix = (20 + (i >>> 16)) + "." + ((i >>> 8) & 0xFF) + "." + (i & 0xFF) + ".0/24";
                        if (i % 3 != 1)
                        {
                            statics.append("ip route ").append(prefix).append(" 10.0.0.2\n");
                        }
                        if (i % 3 != 0)
                        {
                            statics.append("ip route ").append(prefix).append(" 10.0.0.6\n");
                        }
                    }
                    write(dir, "staticd.conf", statics.toString());
                    zebra = daemon(ns, dir, "/usr/lib/frr/zebra", "zebra", "-M", "dplane_fpm_nl");
                    final long connectDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (counters.get(FpmCounters.CONNECTED) == 0 && System.nanoTime() < connectDeadline)
                    {
                        Thread.sleep(10);
                    }
                    final long start = System.nanoTime();
                    staticd = daemon(ns, dir, "/usr/lib/frr/staticd", "staticd");
                    long kernelDoneNs = 0;
                    final long deadline = start + TimeUnit.MINUTES.toNanos(20);
                    while (rt.dataplane().fib().routeCount() - before < routes && System.nanoTime() < deadline)
                    {
                        Thread.sleep(20);
                        if (kernelDoneNs == 0 && kernelRoutes(ns) >= routes)
                        {
                            kernelDoneNs = System.nanoTime();
                        }
                    }
                    final long fibDoneNs = System.nanoTime();
                    while (kernelDoneNs == 0 && System.nanoTime() < deadline)
                    {
                        if (kernelRoutes(ns) >= routes)
                        {
                            kernelDoneNs = System.nanoTime();
                        }
                        Thread.sleep(20);
                    }
                    final int inFib = rt.dataplane().fib().routeCount() - before;
                    System.out.printf("zebra + staticd, %,d routes, next-hop groups %s: all in vbgw's FIB %.2f s after " +
                        "staticd started (%,.0f routes/s), in zebra's kernel table %.2f s; FIB has %,d; %s%n", routes,
                        groups ? "on" : "off", (fibDoneNs - start) / 1e9, routes / ((fibDoneNs - start) / 1e9),
                        (kernelDoneNs - start) / 1e9, inFib, counters);
                }
            }
        }
        finally
        {
            for (final Process p : new Process[] {staticd, zebra})
            {
                if (p != null)
                {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            Netns.run("rm", "-rf", dir.toString());
        }
    }

    /** Routes staticd put into the namespace's kernel table through zebra. */
    private static int kernelRoutes(final Netns ns)
    {
        return (int)ns.exec("ip", "-4", "route", "show", "proto", "196").lines().count();
    }

    private static int ifindex(final Netns ns, final String name)
    {
        final String line = ns.exec("ip", "-o", "link", "show", name);
        return Integer.parseInt(line.substring(0, line.indexOf(':')).trim());
    }

    private static void write(final Path dir, final String name, final String text) throws IOException
    {
        Files.writeString(dir.resolve(name), text);
        Netns.run("chown", "frr:frr", dir.resolve(name).toString());
    }

    private static Process daemon(final Netns ns, final Path dir, final String binary, final String name,
        final String... extra) throws IOException
    {
        final List<String> command = new java.util.ArrayList<>(List.of(binary, "-f", dir.resolve(name + ".conf").toString(),
            "-i", dir.resolve(name + ".pid").toString(), "-z", dir.resolve("zserv.api").toString(),
            "--vty_socket", dir.toString(), "-u", "frr", "-g", "frr", "-P", "0"));
        command.addAll(List.of(extra));
        final Process p = ns.start(command.toArray(new String[0]));
        final Thread drain = new Thread(() ->
        {
            try (var in = p.getInputStream())
            {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            catch (final IOException ignored)
            {
                // the daemon is gone
            }
        }, "drain-" + name);
        drain.setDaemon(true);
        drain.start();
        return p;
    }
}
