package org.vbgw.agent.clientconfig;

import org.vbgw.agent.testing.VbgwCommandLine;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.io.Port;
import org.vbgw.io.lab.Netns;
import org.vbgw.io.lab.VlanShim;
import org.vbgw.io.linux.PacketSocket;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The customer router runs exactly what {@code vbgw client-config --vendor bird|frr} writes for it, against a real
 * gateway, and the session comes up as the gateway config says it should.
 * <p>
 * The gateway is {@code vbgw run} in a namespace of its own with two tagged VIFs (VLAN 30 primary, VLAN 31
 * backup with {@code as-path-prepend: 2}) on one port; BGP (TCP 179) and BFD reach the host through vbgw's
 * punt path and host TAPs, where a BIRD speaks for the gateway: AS 65000 on the VIFs' addresses, the VIFs'
 * MD5 keys (so a wrong or missing key on the customer side keeps the session down) and BFD timers, announcing
 * the VPC. That BIRD stands in for the gateway's own BGP, which is being built in parallel.
 * <p>
 * The customer router is a second namespace: the kernel here has no 8021q devices, so the VLAN devices the
 * rendering asks for ({@code eth1.30}, {@code eth1.31}) are veths whose far ends a {@link VlanShim} each bridges
 * onto the trunk {@code eth1}; their addresses come from the rendering's own {@code ip} commands. Then: both sessions
 * are Established with BFD up, each side learns what it should with the AS_PATH the config asks for (the
 * customer prepends twice on the backup), the learned VPC route is in the customer's kernel and carries a ping
 * through the gateway to a VPC host, and silencing VLAN 30 brings its BFD down and moves the VPC route to the
 * backup. The same for the FRR rendering, with zebra, staticd, bfdd and bgpd under a path space of their own
 * in the customer namespace, configured by {@code vtysh -f} with the rendered file.
 */
class ClientConfigLabIT
{
    private static final String CONFIG = String.join("\n",
        "gateway: {name: lab-gw, asn: 65000, router-id: 10.255.0.1}",
        "ports:",
        "  - {name: dc, interface: eth1, location: lab}",
        "  - {name: vpc, interface: eth2}",
        "vpc-attachments:",
        "  - {name: vpc-1, port: vpc, vpc-cidrs: [192.168.0.0/16]}",
        "vifs:",
        "  - name: vif-a",
        "    port: dc",
        "    vlan: 30",
        "    ipv4: {local: 10.0.0.1/30, peer: 10.0.0.2/30}",
        "    bgp: {peer-asn: 64512, md5-key: lab-key-a, hold-time-s: 9, local-pref: 200}",
        "    bfd: {min-tx-ms: 100, min-rx-ms: 100, multiplier: 3}",
        "    remote-subnets: [172.16.0.0/16]",
        "  - name: vif-b",
        "    port: dc",
        "    vlan: 31",
        "    ipv4: {local: 10.0.0.5/30, peer: 10.0.0.6/30}",
        "    bgp: {peer-asn: 64512, md5-key: lab-key-b, hold-time-s: 9, as-path-prepend: 2}",
        "    bfd: {min-tx-ms: 100, min-rx-ms: 100, multiplier: 3}",
        "    remote-subnets: [172.16.0.0/16]",
        "");

    /** The gateway's side of BGP and BFD, as the gateway config describes it. */
    private static final String GATEWAY_BIRD = String.join("\n",
        "router id 10.255.0.1;",
        "protocol device { }",
        "protocol static vpc { ipv4; route 192.168.0.0/16 blackhole; }",
        "protocol bfd {",
        "    interface \"vb-vif-a\" { min rx interval 100 ms; min tx interval 100 ms; multiplier 3; };",
        "    interface \"vb-vif-b\" { min rx interval 100 ms; min tx interval 100 ms; multiplier 3; };",
        "}",
        "protocol bgp vif_a {",
        "    local 10.0.0.1 as 65000; neighbor 10.0.0.2 as 64512; password \"lab-key-a\"; hold time 9; bfd on;",
        "    error wait time 1, 2; connect retry time 1;",
        "    ipv4 { import all; export where net = 192.168.0.0/16; };",
        "}",
        "protocol bgp vif_b {",
        "    local 10.0.0.5 as 65000; neighbor 10.0.0.6 as 64512; password \"lab-key-b\"; hold time 9; bfd on;",
        "    error wait time 1, 2; connect retry time 1;",
        "    ipv4 { import all; export filter { if net = 192.168.0.0/16 then {",
        "        bgp_path.prepend(65000); bgp_path.prepend(65000); accept; } reject; }; };",
        "}",
        "");

    private static Netns gateway;
    private static Netns customer;
    private static Netns vpc;
    private static Path state;
    private static Process vbgw;
    private static Process gatewayBird;
    private static Process customerBird;
    private static final List<Port> ports = new ArrayList<>();
    private static final AtomicBoolean shimsRunning = new AtomicBoolean(true);
    private static final AtomicBoolean vlan30Silenced = new AtomicBoolean(false);
    private static Thread shimThread;
    private static final VlanShim[] shims = new VlanShim[2];
    private static String rendered;
    private static String frrPathspace;

    @BeforeAll
    static void lab() throws Exception
    {
        state = Files.createTempDirectory("vbgw-clientlab");
        Files.writeString(state.resolve("gw.yaml"), CONFIG);
        final ConfigCheck check = ConfigCheck.of(state.resolve("gw.yaml"));
        assertTrue(check.ok(), check.errors().toString());
        final ClientSide side = ClientSide.of(check, List.of("vif-a", "vif-b"), List.of("eth1"));
        rendered = Vendor.BIRD.render(side);
        Files.writeString(state.resolve("customer.conf"), rendered);
        Files.writeString(state.resolve("customer-frr.conf"), Vendor.FRR.render(side));
        Files.writeString(state.resolve("gateway.conf"), GATEWAY_BIRD);

        gateway = Netns.create("vbgw-cg");
        customer = Netns.create("vbgw-cc");
        vpc = Netns.create("vbgw-cv");
        gateway.veth("eth1", customer, "eth1", 1500);
        gateway.veth("eth2", vpc, "h0", 1500);
        vpc.exec("ip", "addr", "add", "192.168.0.10/16", "dev", "h0");
        vpc.exec("ip", "route", "add", "default", "via", "192.168.0.1");
        startShims();
        vbgw = startGateway();
        waitFor(() -> gateway.exec("ip", "-o", "link", "show").contains("vb-vif-b"), 60_000, "host TAPs");
        gatewayBird = bird(gateway, "gateway");
    }

    /** Two VLAN shims (one thread) between the customer's TAPs and its trunk eth1. */
    private static void startShims()
    {
        final VlanShim[] shims = ClientConfigLabIT.shims;
        for (int i = 0; i < 2; i++)
        {
            // The VLAN device is one end of a veth pair; the shim reads the other end (a PacketSocket, which
            // leaves the headroom the shim pushes tags into; a TapDevice delivers frames without it).
            final String device = "eth1." + (30 + i);
            final String access = "a" + (30 + i);
            customer.exec("ip", "link", "add", device, "type", "veth", "peer", "name", access);
            for (final String dev : List.of(device, access))
            {
                customer.exec("sysctl", "-qw", "net/ipv6/conf/" + dev + "/disable_ipv6=1");
                customer.exec("ethtool", "-K", dev, "tx", "off", "tso", "off", "gso", "off", "gro", "off");
                customer.exec("ip", "link", "set", dev, "up");
            }
        }
        try (Netns.Scope in = customer.enter())
        {
            for (int i = 0; i < 2; i++)
            {
                final PacketSocket access = PacketSocket.open("a" + (30 + i));
                final PacketSocket trunk = PacketSocket.open("eth1");
                ports.add(access);
                ports.add(trunk);
                shims[i] = VlanShim.dot1q(access, trunk, 30 + i);
            }
        }
        shimThread = new Thread(() ->
        {
            final BackoffIdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 100_000);
            while (shimsRunning.get())
            {
                int work = shims[1].doWork();
                if (!vlan30Silenced.get())
                {
                    work += shims[0].doWork();
                }
                idle.idle(work);
            }
        }, "vlan-shims");
        shimThread.setDaemon(true);
        shimThread.start();
    }

    private static Process startGateway() throws IOException
    {
        final List<String> command = VbgwCommandLine.inNamespace(gateway.name(), "run",
            state.resolve("gw.yaml").toString(), "--state-dir", state.toString(), "--counters",
            state.resolve("counters.dat").toString(), "--no-frr");
        return new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(state.resolve("vbgw.log").toFile()).start();
    }

    private static Process bird(final Netns ns, final String who) throws IOException
    {
        return new ProcessBuilder("ip", "netns", "exec", ns.name(), "bird", "-f", "-c",
            state.resolve(who + ".conf").toString(), "-s", state.resolve(who + ".ctl").toString(), "-P",
            state.resolve(who + ".pid").toString())
            .redirectErrorStream(true).redirectOutput(state.resolve(who + "-bird.log").toFile()).start();
    }

    private static String birdc(final Netns ns, final String who, final String... command)
    {
        final List<String> full = new ArrayList<>(List.of("birdc", "-s", state.resolve(who + ".ctl").toString()));
        full.addAll(List.of(command));
        return ns.exec(full.toArray(String[]::new));
    }

    @AfterAll
    static void cleanUp() throws Exception
    {
        shimsRunning.set(false);
        if (shimThread != null)
        {
            shimThread.join(5_000);
        }
        stopFrr();
        for (final Process p : new Process[] {customerBird, gatewayBird, vbgw})
        {
            if (p != null)
            {
                p.destroyForcibly().waitFor();
            }
        }
        ports.forEach(Port::close);
        for (final Netns ns : new Netns[] {vpc, customer, gateway})
        {
            if (ns != null)
            {
                ns.close();
            }
        }
        if (state != null)
        {
            try (var files = Files.walk(state))
            {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void waitFor(final Supplier<Boolean> condition, final long timeoutMs, final String what)
        throws Exception
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (!holds(condition))
        {
            if (System.currentTimeMillis() > deadline)
            {
                throw new AssertionError("no " + what + " within " + timeoutMs + " ms\n" + logs());
            }
            Thread.sleep(200);
        }
    }

    /** A condition whose command fails (a daemon not answering yet, a route not there yet) does not hold yet. */
    private static boolean holds(final Supplier<Boolean> condition)
    {
        try
        {
            return condition.get();
        }
        catch (final RuntimeException ex)
        {
            return false;
        }
    }

    private static String logs() throws IOException
    {
        final StringBuilder sb = new StringBuilder();
        for (final String log : List.of("vbgw.log", "gateway-bird.log", "customer-bird.log"))
        {
            final Path p = state.resolve(log);
            sb.append("--- ").append(log).append('\n').append(Files.exists(p) ? Files.readString(p) : "(none)").append('\n');
        }
        for (final VlanShim shim : shims)
        {
            if (shim != null)
            {
                sb.append("--- ").append(shim.roleName()).append(": to trunk ").append(shim.toTrunk())
                    .append(", to access ").append(shim.toAccess()).append(", other VLAN ")
                    .append(shim.droppedOtherVlan()).append(", untagged ").append(shim.droppedUntagged())
                    .append(", tx refused ").append(shim.droppedTx()).append('\n');
            }
        }
        sb.append(diagnose("customer addresses", () -> customer.exec("ip", "-br", "addr")));
        sb.append(diagnose("gateway addresses", () -> gateway.exec("ip", "-br", "addr")));
        sb.append(diagnose("customer neighbours", () -> customer.exec("ip", "neigh")));
        sb.append(diagnose("customer protocols", () -> birdc(customer, "customer", "show", "protocols", "all")));
        sb.append(diagnose("gateway protocols", () -> birdc(gateway, "gateway", "show", "protocols", "all")));
        if (frrPathspace != null)
        {
            sb.append(diagnose("customer FRR bgp", () -> vtysh("show bgp neighbors")));
            sb.append(diagnose("customer FRR bfd", () -> vtysh("show bfd peers")));
            sb.append(diagnose("customer FRR config", () -> vtysh("show running-config")));
        }
        sb.append(diagnose("gateway /api/vifs", () -> gateway.exec("curl", "-s", "http://127.0.0.1:9468/api/vifs")));
        sb.append(diagnose("gateway /metrics", () -> gateway.exec("curl", "-s", "http://127.0.0.1:9468/metrics")));
        return sb.toString();
    }

    private static String diagnose(final String what, final Supplier<String> command)
    {
        try
        {
            return "--- " + what + "\n" + command.get() + "\n";
        }
        catch (final RuntimeException ex)
        {
            return "--- " + what + ": " + ex.getMessage() + "\n";
        }
    }

    private static boolean established(final String protocol)
    {
        try
        {
            return birdc(customer, "customer", "show", "protocols", protocol).contains("Established");
        }
        catch (final RuntimeException ex)
        {
            return false; // the control socket is not there yet
        }
    }

    private static boolean gatewayEstablished()
    {
        final String protocols = birdc(gateway, "gateway", "show", "protocols");
        return protocols.lines().filter(l -> l.startsWith("vif_") && l.contains("Established")).count() == 2;
    }

    private static int count(final String text, final String regex)
    {
        return text.split(regex, -1).length - 1;
    }

    /** What both customer routers must achieve, seen from the gateway's BGP and the customer's kernel. */
    private static void assertGatewaySeesTheCustomerAndTrafficFlows(final String kernelProto) throws Exception
    {
        waitFor(ClientConfigLabIT::gatewayEstablished, 60_000, "Established sessions on the gateway");
        // The gateway learns the IDC subnet from both VIFs, the backup's path prepended twice by the customer.
        // Both paths, not the first to arrive: under load either session may deliver its UPDATE first.
        waitFor(() ->
        {
            final String routes = birdc(gateway, "gateway", "show", "route", "for", "172.16.0.1", "all");
            return routes.contains("BGP.as_path: 64512 64512 64512") &&
                (routes.contains("BGP.as_path: 64512\n") || routes.contains("BGP.as_path: 64512 \n"));
        }, 20_000, "the primary's path and the backup's prepended path on the gateway");
        final String idcRoutes = birdc(gateway, "gateway", "show", "route", "for", "172.16.0.1", "all");
        assertTrue(idcRoutes.contains("BGP.as_path: 64512\n") || idcRoutes.contains("BGP.as_path: 64512 \n"), idcRoutes);
        assertTrue(!birdc(gateway, "gateway", "show", "route").contains("10.0.0.0/30"), "the customer exports only the IDC");

        // The learned VPC route is in the customer's kernel, toward the primary, and carries traffic through the
        // gateway's data plane to a VPC host.
        waitFor(() -> customer.exec("ip", "route", "show", "192.168.0.0/16").contains("via 10.0.0.1 dev eth1.30 proto " +
            kernelProto), 20_000, "the VPC route via the primary in the customer's kernel");
        waitFor(() ->
        {
            try
            {
                return customer.start("ping", "-c", "1", "-W", "1", "192.168.0.10").waitFor() == 0;
            }
            catch (final Exception ex)
            {
                return false;
            }
        }, 30_000, "ping to the VPC host through the gateway");

        // Silence VLAN 30 without touching any link: BFD (not the 9 s hold time) takes vif-a down, and the
        // customer's kernel route moves to the backup.
        vlan30Silenced.set(true);
        waitFor(() -> customer.exec("ip", "route", "show", "192.168.0.0/16").contains("via 10.0.0.5 dev eth1.31"),
            20_000, "failover of the VPC route to the backup");
    }

    /** Removes what a customer router left behind and lets VLAN 30 through again. */
    private static void resetCustomer()
    {
        vlan30Silenced.set(false);
        for (final String dev : List.of("eth1.30", "eth1.31"))
        {
            customer.exec("ip", "address", "flush", "dev", dev);
        }
        customer.exec("ip", "route", "flush", "192.168.0.0/16");
        // The next customer router starts from fresh sessions, not from the gateway's back-off after the failover.
        birdc(gateway, "gateway", "restart", "\"vif_*\"");
    }

    @Test
    void theRenderedBirdConfigPeersWithTheGatewayAsItsConfigSays() throws Exception
    {
        try
        {
            // The rendering's own commands give the VLAN devices their addresses (the `ip link add` lines are
            // what the shims' veths replace).
            for (final String line : rendered.lines().toList())
            {
                if ((line.startsWith("#   ip ") || line.startsWith("#   sysctl ")) && !line.startsWith("#   ip link add"))
                {
                    customer.exec(line.substring("#   ".length()).split(" "));
                }
            }
            customerBird = bird(customer, "customer");
            waitFor(() -> established("vbgw_vif_a4") && established("vbgw_vif_b4"), 60_000, "Established sessions");
            waitFor(() -> count(birdc(customer, "customer", "show", "bfd", "sessions"), "\\bUp\\b") == 2,
                30_000, "two BFD sessions up");

            // The customer learns the VPC from both VIFs, the primary's path shorter (the gateway prepends on vif-b).
            waitFor(() ->
            {
                final String routes = birdc(customer, "customer", "show", "route", "for", "192.168.0.10", "all");
                return routes.contains("via 10.0.0.1 on eth1.30") && routes.contains("via 10.0.0.5 on eth1.31");
            }, 20_000, "the VPC from both VIFs in BIRD");
            final String vpcRoutes = birdc(customer, "customer", "show", "route", "for", "192.168.0.10", "all");
            assertTrue(vpcRoutes.contains("via 10.0.0.1 on eth1.30"), vpcRoutes);
            assertTrue(vpcRoutes.contains("via 10.0.0.5 on eth1.31"), vpcRoutes);
            assertTrue(vpcRoutes.contains("BGP.as_path: 65000 65000 65000"), vpcRoutes);

            assertGatewaySeesTheCustomerAndTrafficFlows("bird");
            final String primary = birdc(customer, "customer", "show", "protocols", "all", "vbgw_vif_a4");
            assertTrue(primary.contains("BFD session down"), primary);
            assertEquals(1, count(birdc(customer, "customer", "show", "bfd", "sessions"), "\\bUp\\b"));
        }
        finally
        {
            customerBird.destroyForcibly().waitFor();
            customerBird = null;
            resetCustomer();
        }
    }

    @Test
    void theRenderedFrrConfigPeersWithTheGatewayAsItsConfigSays() throws Exception
    {
        try
        {
            startFrr();
            waitFor(() -> vtysh("show bgp neighbors 10.0.0.1").contains("BGP state = Established") &&
                vtysh("show bgp neighbors 10.0.0.5").contains("BGP state = Established"), 60_000,
                "Established sessions from FRR");
            waitFor(() -> count(vtysh("show bfd peers brief"), "\\bup\\b") == 2, 30_000, "two BFD peers up in FRR");
            // The customer learns the VPC from both VIFs, the backup's path prepended by the gateway.
            waitFor(() -> vtysh("show bgp ipv4 unicast 192.168.0.0/16").contains("Paths: (2 available"), 20_000,
                "the VPC from both VIFs in FRR");
            final String vpcRoutes = vtysh("show bgp ipv4 unicast 192.168.0.0/16");
            assertTrue(vpcRoutes.contains("  65000 65000 65000\n"), vpcRoutes);
            assertTrue(vpcRoutes.contains("  65000\n"), vpcRoutes);

            assertGatewaySeesTheCustomerAndTrafficFlows("bgp");
            assertTrue(vtysh("show bfd peer 10.0.0.1").contains("Status: down"), vtysh("show bfd peer 10.0.0.1"));
        }
        finally
        {
            stopFrr();
            resetCustomer();
        }
    }

    /** FRR's daemons in the customer namespace, under a path space of their own, configured by vtysh. */
    private static void startFrr() throws Exception
    {
        frrPathspace = "vbgw-lab-" + Netns.suffix(8);
        for (final String daemon : List.of("zebra", "staticd", "bfdd", "bgpd"))
        {
            customer.exec("/usr/lib/frr/" + daemon, "-d", "-N", frrPathspace, "-f", "/dev/null", "-i",
                frrRun().resolve(daemon + ".pid").toString());
        }
        waitFor(() -> Files.exists(frrRun().resolve("bgpd.vty")), 20_000, "FRR daemons");
        final String applied = customer.exec("vtysh", "-N", frrPathspace, "-f", state.resolve("customer-frr.conf").toString());
        // vtysh's own vtysh.conf is optional; any other "%" line is an error in the rendered config.
        assertTrue(applied.lines().noneMatch(l -> l.contains("%") && !l.contains("vtysh.conf")),
            "vtysh applied it cleanly:\n" + applied);
    }

    private static Path frrRun()
    {
        return Path.of("/var/run/frr", frrPathspace);
    }

    private static String vtysh(final String command)
    {
        return customer.exec("vtysh", "-N", frrPathspace, "-c", command);
    }

    private static void stopFrr() throws Exception
    {
        if (frrPathspace == null)
        {
            return;
        }
        for (final String daemon : List.of("bgpd", "bfdd", "staticd", "zebra"))
        {
            final Path pid = frrRun().resolve(daemon + ".pid");
            if (Files.exists(pid))
            {
                Netns.run("kill", Files.readString(pid).trim());
            }
        }
        Thread.sleep(500);
        try (var files = Files.walk(frrRun()))
        {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final java.nio.file.NoSuchFileException ex)
        {
            // never started
        }
        frrPathspace = null;
    }
}
