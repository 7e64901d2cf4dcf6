package org.vbgw.agent.frr;

import org.vbgw.agent.testing.VbgwCommandLine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CompositeAgent;
import org.vbgw.io.lab.Netns;
import org.vbgw.io.lab.VlanShim;
import org.vbgw.io.linux.PacketSocket;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * The namespaces of the BGP interop tests: a customer router with two connections to a gateway running
 * {@code vbgw run} (and, started by it, FRR), a VPC host behind the gateway.
 * <pre>
 *  ns cpe (customer router)     ns shim                          ns gw (vbgw run + FRR)            ns vpc
 *  c1 10.0.0.2/30 ──veth── a1 [VlanShim VID 100] t1 ──veth── eth1  VIF dx1, TAP vb-dx1 10.0.0.1/30
 *  c2 10.0.0.6/30 ──veth── a2 [VlanShim VID 200] t2 ──veth── eth2  VIF dx2, TAP vb-dx2 10.0.0.5/30
 *  172.16.0.1/32 on lo                                        eth3  vpc-1 untagged 192.168.0.1 ──veth── v0 192.168.0.10/16
 * </pre>
 * The kernel has no 8021q, so the customer's tagged sub-interfaces are its plain veths behind user-space VLAN
 * shims (run in this JVM on sockets in the shim namespace). vbgw runs as an operator starts it, in its own JVM
 * in the gateway namespace, so the FRR it starts lives there too, on the TAPs; its HTTP API answers on that
 * namespace's 127.0.0.1:9468. Every file (vbgw's state, FRR's, the customer's) is in one temporary directory
 * that {@link #close()} deletes after stopping everything.
 */
final class BgpLab implements AutoCloseable
{
    static final String CONFIG = String.join("\n",
        "gateway:",
        "  name: bgp-interop",
        "  asn: 65000",
        "  router-id: 10.255.0.1",
        "ports:",
        "  - name: dc1",
        "    interface: eth1",
        "    location: site-a",
        "  - name: dc2",
        "    interface: eth2",
        "    location: site-b",
        "  - name: vpc",
        "    interface: eth3",
        "vpc-attachments:",
        "  - name: vpc-1",
        "    port: vpc",
        "    vpc-cidrs: [192.168.0.0/16]",
        "vifs:",
        "  - name: dx1",
        "    port: dc1",
        "    vlan: 100",
        "    ipv4: {local: 10.0.0.1/30, peer: 10.0.0.2/30}",
        "    bgp: {peer-asn: 64512, md5-key: s3cret-one, hold-time-s: 9}",
        "  - name: dx2",
        "    port: dc2",
        "    vlan: 200",
        "    ipv4: {local: 10.0.0.5/30, peer: 10.0.0.6/30}",
        "    bgp: {peer-asn: 64512, md5-key: s3cret-two, hold-time-s: 9}",
        "");

    /**
     * {@link #CONFIG} with a third connection as the backup path, configured as vbgw's config configures one:
     * the direct VIFs' routes get LOCAL_PREF 200 (so FRR prefers them however the customer announces), the backup
     * VIF's the default 100, and the VPC CIDR is prepended twice toward the backup, so the customer's return
     * traffic prefers the direct VIFs too.
     */
    static final String CONFIG_WITH_BACKUP = CONFIG
        .replace("    location: site-b\n", "    location: site-b\n  - name: dc3\n    interface: eth4\n    location: site-c\n")
        .replace("md5-key: s3cret-one, hold-time-s: 9}", "md5-key: s3cret-one, hold-time-s: 9, local-pref: 200}")
        .replace("md5-key: s3cret-two, hold-time-s: 9}", "md5-key: s3cret-two, hold-time-s: 9, local-pref: 200}") +
        String.join("\n",
        "  - name: dx3",
        "    port: dc3",
        "    vlan: 300",
        "    ipv4: {local: 10.0.0.9/30, peer: 10.0.0.10/30}",
        "    bgp: {peer-asn: 64512, md5-key: s3cret-three, hold-time-s: 9, as-path-prepend: 2}",
        "");

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final Netns cpe;
    final Netns shim;
    final Netns gw;
    final Netns vpc;
    final String c1 = Netns.interfaceName("cpe1");
    final String c2 = Netns.interfaceName("cpe2");
    /** The customer's end of the backup connection ({@link #startWithBackup()} only). */
    final String c3 = Netns.interfaceName("cpe3");
    /** Whether the lab has the third, backup connection. */
    final boolean withBackup;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private Process vbgw;

    private BgpLab(final boolean withBackup) throws IOException
    {
        this.withBackup = withBackup;
        dir = Files.createTempDirectory("vbgw-bgp");
        // FRR drops to user frr, which must get through to its directory below this one.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        cpe = own(Netns.create("vbgw-cpe"));
        shim = own(Netns.create("vbgw-shim"));
        gw = own(Netns.create("vbgw-gw"));
        vpc = own(Netns.create("vbgw-vpc"));
    }

    /** Wires the namespaces, starts the shims and the gateway; the customer router is the test's. */
    static BgpLab start() throws IOException
    {
        return start(false);
    }

    /**
     * As {@link #start()}, with a third connection, the backup path ({@link #CONFIG_WITH_BACKUP}):
     * <pre>
     *  c3 10.0.0.10/30 ──veth── a3 [VlanShim VID 300] t3 ──veth── eth4  VIF dx3, TAP vb-dx3 10.0.0.9/30
     * </pre>
     */
    static BgpLab startWithBackup() throws IOException
    {
        return start(true);
    }

    private static BgpLab start(final boolean withBackup) throws IOException
    {
        final BgpLab lab = new BgpLab(withBackup);
        try
        {
            lab.wire();
            lab.startShims();
            lab.startGateway();
            return lab;
        }
        catch (final IOException | RuntimeException | Error ex)
        {
            lab.close();
            throw ex;
        }
    }

    private void wire()
    {
        cpe.veth(c1, shim, "a1", 1500);
        cpe.veth(c2, shim, "a2", 1500);
        gw.veth("eth1", shim, "t1", 1500);
        gw.veth("eth2", shim, "t2", 1500);
        gw.veth("eth3", vpc, "v0", 1500);
        cpe.exec("sysctl", "-qw", "net.ipv4.conf.all.rp_filter=0");
        cpe.exec("ip", "addr", "add", "10.0.0.2/30", "dev", c1);
        cpe.exec("ip", "addr", "add", "10.0.0.6/30", "dev", c2);
        cpe.exec("ip", "addr", "add", "172.16.0.1/32", "dev", "lo");
        cpe.exec("ip", "addr", "add", "172.17.0.1/32", "dev", "lo");
        if (withBackup)
        {
            cpe.veth(c3, shim, "a3", 1500);
            gw.veth("eth4", shim, "t3", 1500);
            cpe.exec("ip", "addr", "add", "10.0.0.10/30", "dev", c3);
        }
        vpc.exec("ip", "addr", "add", "192.168.0.10/16", "dev", "v0");
        vpc.exec("ip", "route", "add", "default", "via", "192.168.0.1");
    }

    private void startShims()
    {
        final PacketSocket a1;
        final PacketSocket t1;
        final PacketSocket a2;
        final PacketSocket t2;
        try (Netns.Scope ignored = shim.enter())
        {
            a1 = own(PacketSocket.open("a1"));
            t1 = own(PacketSocket.open("t1"));
            a2 = own(PacketSocket.open("a2"));
            t2 = own(PacketSocket.open("t2"));
        }
        final List<org.agrona.concurrent.Agent> shims = new ArrayList<>(List.of(VlanShim.dot1q(a1, t1, 100),
            VlanShim.dot1q(a2, t2, 200)));
        if (withBackup)
        {
            final PacketSocket a3;
            final PacketSocket t3;
            try (Netns.Scope ignored = shim.enter())
            {
                a3 = own(PacketSocket.open("a3"));
                t3 = own(PacketSocket.open("t3"));
            }
            shims.add(VlanShim.dot1q(a3, t3, 300));
        }
        final AgentRunner runner = new AgentRunner(new BackoffIdleStrategy(100, 10, 1_000, 100_000),
            Throwable::printStackTrace, null, new CompositeAgent(shims));
        AgentRunner.startOnThread(runner);
        own(runner);
    }

    private void startGateway() throws IOException
    {
        Files.writeString(dir.resolve("gw.yaml"), withBackup ? CONFIG_WITH_BACKUP : CONFIG);
        Files.createDirectories(dir.resolve("gw"));
        Files.setPosixFilePermissions(dir.resolve("gw"), PosixFilePermissions.fromString("rwxr-xr-x"));
        final List<String> command = VbgwCommandLine.inNamespace(gw.name(), "run",
            dir.resolve("gw.yaml").toString(), "--state-dir", dir.resolve("gw").toString(),
            "--counters", dir.resolve("gw/counters.dat").toString());
        vbgw = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("vbgw.log").toFile())).start();
        await("vbgw runs and FRR's bgpd answers", 60_000, () ->
        {
            if (!vbgw.isAlive())
            {
                throw new AssertionError("vbgw run exited " + vbgw.exitValue() + ":\n" + log("vbgw.log"));
            }
            return Files.exists(frrDir().resolve("bgpd.vty")) && api("vifs").size() == (withBackup ? 4 : 3);
        });
    }

    /**
     * Kills {@code vbgw run} with SIGKILL (its FRR lives on, orphaned) and starts it again in the same state
     * directory, as an operator's supervisor would.
     */
    void killAndRestartGateway() throws IOException, InterruptedException
    {
        vbgw.destroyForcibly().waitFor();
        Files.writeString(dir.resolve("vbgw.log"), "--- restarted after SIGKILL\n", java.nio.file.StandardOpenOption.APPEND);
        startGateway();
    }

    /** The gateway's FRR directory (vtysh sockets, pid files, logs). */
    Path frrDir()
    {
        return dir.resolve("gw/frr");
    }

    /** vtysh of the gateway's FRR. */
    Vtysh gatewayVtysh()
    {
        return new Vtysh(frrDir());
    }

    /** GET /api/RESOURCE of the running gateway, parsed; an empty array while it does not answer yet. */
    JsonNode api(final String resource)
    {
        try
        {
            final Process p = gw.start("curl", "-sf", "http://127.0.0.1:9468/api/" + resource);
            final byte[] out = p.getInputStream().readAllBytes();
            if (p.waitFor() != 0)
            {
                return JSON.createArrayNode();
            }
            return JSON.readTree(out);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** The gateway's sessions as {@code /api/bgp} (what {@code vbgw show bgp} prints) reports them, by VIF. */
    JsonNode session(final String vif)
    {
        for (final JsonNode s : api("bgp"))
        {
            if (vif.equals(s.path("vif").asText()))
            {
                return s;
            }
        }
        return JSON.createObjectNode();
    }

    /**
     * The next hops of {@code prefix} in vbgw's FIB, as {@code ADDRESS%VIF} ("attached%vpc-1"), empty when it has
     * no route: the one place the tests read forwarding state from.
     */
    TreeSet<String> fibNextHops(final String prefix)
    {
        final java.util.Map<Integer, String> vifs = new java.util.HashMap<>();
        api("vifs").forEach(v -> vifs.put(v.path("id").asInt(), v.path("name").asText()));
        final TreeSet<String> hops = new TreeSet<>();
        for (final JsonNode r : api("routes"))
        {
            if (prefix.equals(r.path("prefix").asText()))
            {
                r.path("nexthops").forEach(nh -> hops.add(nh.path("via").asText() + "%" + vifs.get(nh.path("vif").asInt())));
            }
        }
        return hops;
    }

    /** Runs a vbgw command line inside the gateway namespace (as an operator there would); returns exit and output. */
    CommandResult vbgwCommand(final String... args) throws IOException, InterruptedException
    {
        final List<String> command = VbgwCommandLine.of(args);
        final Process p = gw.start(command.toArray(new String[0]));
        final String out = new String(p.getInputStream().readAllBytes());
        return new CommandResult(p.waitFor(), out);
    }

    record CommandResult(int exit, String output)
    {
    }

    /** A gateway daemon's pid from its pid file, or -1. */
    long gatewayPid(final String daemon)
    {
        try
        {
            return Long.parseLong(Files.readString(frrDir().resolve(daemon + ".pid")).trim());
        }
        catch (final IOException | NumberFormatException ex)
        {
            return -1;
        }
    }

    /** Processes whose command line names the lab's directory (FRR's daemons, BIRD, vbgw). */
    List<String> processesInLab()
    {
        final List<String> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p ->
        {
            final String cmd = p.info().commandLine().orElse("");
            if (cmd.contains(dir.toString()) && p.pid() != ProcessHandle.current().pid())
            {
                found.add(p.pid() + " " + cmd);
            }
        });
        return found;
    }

    /** Stops vbgw as an operator does (SIGTERM) and waits until it has exited; true if it exited in time. */
    boolean stopGateway() throws InterruptedException
    {
        if (vbgw == null)
        {
            return true;
        }
        vbgw.destroy();
        final boolean exited = vbgw.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        if (!exited)
        {
            vbgw.destroyForcibly();
        }
        return exited;
    }

    String log(final String name)
    {
        try
        {
            return Files.exists(dir.resolve(name)) ? Files.readString(dir.resolve(name)) : "(no " + name + ")";
        }
        catch (final IOException ex)
        {
            return "(cannot read " + name + ": " + ex.getMessage() + ")";
        }
    }

    /** The gateway side's logs, for failure messages. */
    String gatewayLogs()
    {
        final StringBuilder sb = new StringBuilder("--- vbgw.log\n").append(log("vbgw.log"));
        for (final String f : List.of("zebra.log", "bgpd.log"))
        {
            sb.append("--- ").append(f).append('\n').append(log("gw/frr/" + f));
        }
        return sb.toString();
    }

    <T extends AutoCloseable> T own(final T resource)
    {
        resources.add(resource);
        return resource;
    }

    static void await(final String what, final long timeoutMs, final BooleanSupplier condition)
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean())
        {
            if (System.currentTimeMillis() > deadline)
            {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting until " + what);
            }
            try
            {
                Thread.sleep(200);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, ex);
            }
        }
    }

    /** Stops vbgw (and with it FRR), everything the test owns, deletes the namespaces and the directory. */
    @Override
    public void close()
    {
        try
        {
            stopGateway();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(resources.get(i));
        }
        resources.clear();
        // Whatever still runs from this lab (a daemon orphaned by a crash) goes before its files do.
        ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().orElse("").contains(dir.toString()) && p.pid() != ProcessHandle.current().pid())
            .forEach(ProcessHandle::destroyForcibly);
        try (var files = Files.walk(dir))
        {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException ignored)
        {
            // Temporary files: the OS cleans up what is left.
        }
    }
}
