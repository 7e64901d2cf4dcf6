package org.vbgw.agent.fpm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.run.GatewayRuntime;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;
import org.vbgw.fib.NextHop;
import org.vbgw.io.MemoryPort;
import org.vbgw.io.lab.Netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real zebra (Debian's FRR 8.4, {@code -M dplane_fpm_nl}) feeding the FPM server of a gateway runtime (RIB,
 * journal, FIB), with next-hop groups on and off. zebra and staticd run in a namespace of their own, with their
 * own config, pid and vty directory owned by user frr; two veths there stand for the gateway's host TAPs (their
 * ifindexes map to the VIFs). Routes come from staticd (kernel routes added with {@code ip route} would be
 * filtered as zebra's view of the host): ECMP, a replacement, deletions, a zebra restart whose replay changes
 * nothing, and routes flushed after the grace period when zebra does not come back.
 */
class FpmZebraIT
{
    private static final String ZEBRA = "/usr/lib/frr/zebra";
    private static final String STATICD = "/usr/lib/frr/staticd";
    private static final long GRACE_MS = 20_000;
    private static final String CONFIG = String.join("\n",
        "gateway:",
        "  name: fpm-test",
        "ports:",
        "  - {name: dc1, interface: eth1, location: a}",
        "  - {name: dc2, interface: eth2, location: b}",
        "vifs:",
        "  - name: vif-a",
        "    port: dc1",
        "    vlan: 0",
        "    ipv4: {local: 10.0.0.1/30, peer: 10.0.0.2/30}",
        "    ipv6: {local: '2001:db8::1/126', peer: '2001:db8::2/126'}",
        "    bgp: {peer-asn: 64512}",
        "  - name: vif-b",
        "    port: dc2",
        "    vlan: 0",
        "    ipv4: {local: 10.0.0.5/30, peer: 10.0.0.6/30}",
        "    bgp: {peer-asn: 64512}",
        "");

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private Netns ns;
    private Path dir;
    private GatewayRuntime runtime;
    private FpmServer server;
    private final FpmCounters counters = new FpmCounters();
    private Process zebra;
    private Process staticd;

    @AfterEach
    void tearDown() throws Exception
    {
        for (final Process p : new Process[] {staticd, zebra})
        {
            if (p != null)
            {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        for (int i = cleanup.size() - 1; i >= 0; i--)
        {
            cleanup.get(i).close();
        }
        if (dir != null)
        {
            Netns.run("rm", "-rf", dir.toString());
        }
    }

    @ParameterizedTest(name = "next-hop groups {0}")
    @ValueSource(booleans = {true, false})
    void zebrasRoutesReachTheFib(final boolean nextHopGroups) throws Exception
    {
        lab();
        final String ifA = "vbA" + Netns.suffix(6);
        final String ifB = "vbB" + Netns.suffix(6);
        final Netns customer = Netns.create("vbgw-fpmc");
        cleanup.add(customer);
        ns.exec("ip", "link", "add", ifA, "type", "veth", "peer", "name", "a0", "netns", customer.name());
        ns.exec("ip", "link", "add", ifB, "type", "veth", "peer", "name", "b0", "netns", customer.name());
        ns.exec("ip", "addr", "add", "10.0.0.1/30", "dev", ifA);
        ns.exec("ip", "addr", "add", "2001:db8::1/126", "dev", ifA, "nodad");
        ns.exec("ip", "addr", "add", "10.0.0.5/30", "dev", ifB);
        ns.exec("ip", "link", "set", ifA, "up");
        ns.exec("ip", "link", "set", ifB, "up");
        customer.exec("ip", "link", "set", "a0", "up");
        customer.exec("ip", "link", "set", "b0", "up");
        final int vifA = runtime.vifId("vif-a");
        final int vifB = runtime.vifId("vif-b");
        final int indexA = ifindex(ifA);
        final int indexB = ifindex(ifB);
        final VifResolver vifs = new VifResolver()
        {
            @Override
            public int vifByIfindex(final int ifindex)
            {
                return ifindex == indexA ? vifA : ifindex == indexB ? vifB : NO_VIF;
            }

            @Override
            public int vifByGateway(final IpPrefix gw)
            {
                return IpPrefix.parse("10.0.0.0/30").contains(gw) || IpPrefix.parse("2001:db8::/126").contains(gw) ? vifA
                    : IpPrefix.parse("10.0.0.4/30").contains(gw) ? vifB : NO_VIF;
            }
        };
        final List<Integer> protocols = List.of(Netlink.RTPROT_BGP, Netlink.RTPROT_ZSTATIC);
        final FpmRouteTable table = new FpmRouteTable(vifs, runtime::changeRib, protocols, counters, log::add);
        // The listening socket is opened in zebra's namespace: 127.0.0.1 there is zebra's loopback.
        server = ns.call(() ->
        {
            try
            {
                return new FpmServer(new FpmOptions(new InetSocketAddress("127.0.0.1", 0), protocols, GRACE_MS), table,
                    counters, log::add);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        });
        cleanup.add(server);

        writeConfig("zebra.conf", "fpm address 127.0.0.1 port " + server.localAddress().getPort() + "\n" +
            (nextHopGroups ? "" : "no fpm use-next-hop-groups\n"));
        writeConfig("staticd.conf", String.join("\n",
            "ip route 172.16.0.0/16 10.0.0.2",
            "ip route 172.17.0.0/16 10.0.0.2",
            "ip route 172.17.0.0/16 10.0.0.6",
            "ipv6 route 2001:db8:100::/48 2001:db8::2",
            ""));
        zebra = startZebra();
        staticd = daemon(STATICD, "staticd");

        final Map<String, String> configured = fib();
        assertEquals(Map.of(
            "10.0.0.0/30", "[0.0.0.0%" + vifA + "]",
            "10.0.0.4/30", "[0.0.0.0%" + vifB + "]",
            "2001:db8::/126", "[::%" + vifA + "]"), configured, "the config's connected subnets only");
        final String a = "%" + vifA;
        final String b = "%" + vifB;
        awaitFib("staticd's routes, ECMP included", t ->
            ("[10.0.0.2" + a + "]").equals(t.get("172.16.0.0/16")) &&
            ("[10.0.0.2" + a + ", 10.0.0.6" + b + "]").equals(t.get("172.17.0.0/16")) &&
            ("[2001:db8::2" + a + "]").equals(t.get("2001:db8:100::/48")));
        assertTrue(counters.get(FpmCounters.ROUTES_FILTERED) >= 3, "connected and link-local routes filtered: " + counters);
        assertFalse(fib().containsKey("fe80::/64"));
        assertEquals(nextHopGroups, counters.get(FpmCounters.NEW_NEXT_HOP) > 0, counters.toString());

        vtysh("no ip route 172.16.0.0/16 10.0.0.2", "ip route 172.16.0.0/16 10.0.0.6");
        awaitFib("172.16.0.0/16 replaced", t -> ("[10.0.0.6" + b + "]").equals(t.get("172.16.0.0/16")));
        vtysh("no ip route 172.17.0.0/16 10.0.0.6");
        awaitFib("one path of the ECMP route deleted", t -> ("[10.0.0.2" + a + "]").equals(t.get("172.17.0.0/16")));
        vtysh("no ip route 172.17.0.0/16 10.0.0.2", "ip route 172.18.0.0/24 10.0.0.2", "ip route 172.18.0.0/24 10.0.0.6");
        awaitFib("route deleted, another added", t -> !t.containsKey("172.17.0.0/16") &&
            ("[10.0.0.2" + a + ", 10.0.0.6" + b + "]").equals(t.get("172.18.0.0/24")));
        assertEquals(0, counters.get(FpmCounters.MALFORMED), log.toString());

        // FRR restarts (zebra and staticd killed, started again): zebra replays its table; nothing changes.
        final Map<String, String> before = fib();
        final long changes = routeChanges();
        staticd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        zebra.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        awaitCounter("zebra gone", FpmCounters.CONNECTED, 0);
        // What 'write memory' would have saved of the changes made through vtysh.
        writeConfig("staticd.conf", String.join("\n",
            "ip route 172.16.0.0/16 10.0.0.6",
            "ip route 172.18.0.0/24 10.0.0.2",
            "ip route 172.18.0.0/24 10.0.0.6",
            "ipv6 route 2001:db8:100::/48 2001:db8::2",
            ""));
        assertEquals(before, fib(), "stale routes keep forwarding");
        final long restartNs = System.nanoTime();
        zebra = startZebra();
        staticd = daemon(STATICD, "staticd");
        awaitCounter("zebra back", FpmCounters.CONNECTIONS, 2);
        awaitCounter("every stale route announced again", FpmCounters.ROUTES_STALE, 0);
        System.out.printf("zebra restart: stale routes announced again after %d ms (groups %s)%n",
            (System.nanoTime() - restartNs) / 1_000_000, nextHopGroups);
        assertEquals(0, counters.get(FpmCounters.STALE_FLUSHED), "replayed within the grace period: " + log);
        assertEquals(before, fib());
        assertEquals(changes, routeChanges(), "the replay changed nothing: " + counters);

        // zebra and staticd gone for good: FRR's routes are flushed when the grace period ends.
        staticd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        zebra.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        awaitCounter("zebra gone again", FpmCounters.CONNECTED, 0);
        final long goneNs = System.nanoTime();
        assertEquals(before, fib(), "within the grace period");
        awaitFib("FRR's routes flushed", t -> t.equals(configured));
        assertTrue(System.nanoTime() - goneNs >= TimeUnit.MILLISECONDS.toNanos(GRACE_MS) - 200_000_000L,
            "not before the grace period");
        assertEquals(3, counters.get(FpmCounters.STALE_FLUSHED), counters.toString());
    }

    private void lab() throws Exception
    {
        ns = Netns.create("vbgw-fpm");
        cleanup.add(ns);
        dir = Files.createTempDirectory("vbgw-fpm-zebra");
        Netns.run("chown", "frr:frr", dir.toString());
        Files.writeString(dir.resolve("gw.yaml"), CONFIG);
        final ConfigCheck check = ConfigCheck.of(dir.resolve("gw.yaml"));
        assertTrue(check.ok(), check.errors().toString());
        runtime = new GatewayRuntime(check.config(), dir.resolve("journal"), (port, worker, workers) ->
            MemoryPort.pair(port.name(), port.name() + "-far", 1 << 16, port.mtuBytes())[0], tap -> null,
            Dataplane.Config.defaults());
        cleanup.add(runtime);
        runtime.applyJournal();
    }

    private int ifindex(final String name)
    {
        final String line = ns.exec("ip", "-o", "link", "show", name);
        return Integer.parseInt(line.substring(0, line.indexOf(':')).trim());
    }

    private void writeConfig(final String name, final String text) throws IOException
    {
        Files.writeString(dir.resolve(name), text);
        Netns.run("chown", "frr:frr", dir.resolve(name).toString());
    }

    private Process startZebra() throws IOException
    {
        return daemon(ZEBRA, "zebra", "-M", "dplane_fpm_nl");
    }

    /** A daemon in the foreground (a child the test can kill), its files in the test's own directory. */
    private Process daemon(final String binary, final String name, final String... extra) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(binary, "-f", dir.resolve(name + ".conf").toString(),
            "-i", dir.resolve(name + ".pid").toString(), "-z", dir.resolve("zserv.api").toString(),
            "--vty_socket", dir.toString(), "-u", "frr", "-g", "frr", "-P", "0"));
        command.addAll(List.of(extra));
        final Process p = ns.start(command.toArray(new String[0]));
        // Keep its output flowing (a full pipe would block it) and at hand for a failure message.
        final Thread drain = new Thread(() ->
        {
            try (var in = p.getInputStream())
            {
                new String(in.readAllBytes()).lines().forEach(l -> log.add(name + ": " + l));
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

    private void vtysh(final String... commands)
    {
        final List<String> command = new ArrayList<>(List.of("vtysh", "--vty_socket", dir.toString(), "-c", "configure terminal"));
        for (final String c : commands)
        {
            command.add("-c");
            command.add(c);
        }
        ns.exec(command.toArray(new String[0]));
    }

    private long routeChanges()
    {
        return counters.get(FpmCounters.ROUTES_ADDED) + counters.get(FpmCounters.ROUTES_CHANGED) +
            counters.get(FpmCounters.ROUTES_REMOVED);
    }

    /** The FIB as prefix → the neighbours its group forwards to. */
    private Map<String, String> fib()
    {
        runtime.applyJournal();
        final Fib fib = runtime.dataplane().fib();
        final Map<String, String> t = new TreeMap<>();
        fib.forEachRoute((p, g) ->
        {
            final TreeSet<String> hops = new TreeSet<>();
            for (int flow = 0; flow < 64; flow++)
            {
                final NextHop nh = fib.nextHop(fib.selectNextHop(g, flow * 0x9E3779B1));
                hops.add(IpPrefix.format(nh.ipv6(), nh.neighbourHi(), nh.neighbourLo()) + "%" + nh.vifId());
            }
            t.put(p.toString(), hops.toString());
        });
        return t;
    }

    private void awaitFib(final String what, final Predicate<Map<String, String>> done) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<String, String> t = fib();
        while (!done.test(t) && System.nanoTime() < deadline)
        {
            Thread.sleep(50);
            t = fib();
        }
        assertTrue(done.test(t), what + ": FIB " + t + "\ncounters " + counters + "\nlog " + log);
    }

    private void awaitCounter(final String what, final int counter, final long value) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (counters.get(counter) != value && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
        assertEquals(value, counters.get(counter), what + ": counters " + counters + "\nlog " + log);
    }
}
