package org.vbgw.agent.lab;

import com.fasterxml.jackson.databind.JsonNode;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.config.GatewayConfig;
import org.vbgw.io.lab.Netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A namespace lab of one {@link LabScenario}: brings it up, finds it again, takes it down.
 * <pre>
 *  ns vpc            ns gw (vbgw run, FRR)        ns wire (one bridge per connection)    ns cpe (BIRD, VLAN shim)        ns idc
 *  eth0 .10 ──veth── eth3 (VPC port)
 *                    eth1 (VIF vlan 101) ──veth── gw1 ─[br1]─ cp1 ──veth── eth1 (trunk) ─shim─ t101 ══ eth1.101
 *                    eth2 (VIF vlan 102) ──veth── gw2 ─[br2]─ cp2 ──veth── eth2 (trunk) ─shim─ t102 ══ eth2.102
 *                                                                                 idc0 .1 ──veth── eth0 .10
 * </pre>
 * The customer router's VLAN devices are veth pairs whose far ends ({@code tVLAN}) a {@code vbgw lab shim}
 * process tags onto the trunk (this kernel has no 8021q); an untagged VIF (the VPN path) uses the trunk itself.
 * BIRD runs the config {@code vbgw client-config --vendor bird} renders for the customer's VIFs. Cuts happen in
 * the wire ({@link LabFault}): a port-down sets {@code gwN} down, so the gateway's port loses carrier.
 * <p>
 * Everything lives in the lab's namespaces and its directory ({@link LabNames}); {@link #down} removes both,
 * stopping every process in those namespaces, after a crash too.
 */
public final class Lab
{
    /** The gateway's HTTP API inside its namespace. */
    public static final String API_ADDRESS = "127.0.0.1:9468";
    static final String GATEWAY_CONFIG = "gateway.yaml";
    static final String BIRD_CONFIG = "cpe-bird.conf";
    static final String BIRD_SOCKET = "bird.ctl";
    private static final int MTU = 1500;

    private Lab()
    {
    }

    /**
     * Builds a lab of {@code scenario} named {@code name} and starts its processes; returns once the gateway
     * answers and the hosts' MAC addresses are known (BGP may still be coming up: {@link #awaitReady}).
     * On failure, removes what it made and throws naming the step and the logs.
     */
    public static LabState up(final LabScenario scenario, final String name)
    {
        LabNames.check(name);
        final List<String> missing = LabPrerequisites.missing();
        if (!missing.isEmpty())
        {
            throw new IllegalStateException("a namespace lab needs: " + String.join("; ", missing));
        }
        final Path dir = LabNames.directory(name);
        if (Files.exists(dir.resolve(LabState.FILE)) || !namespacesOf(name).isEmpty())
        {
            throw new IllegalStateException("lab " + name + " exists already (vbgw lab status " + name +
                "; vbgw lab down " + name + " removes it)");
        }
        final ConfigCheck check = scenario.check();
        final String bird = scenario.customerBird(check);
        LabState state = initialState(scenario, name, dir, check, bird);
        try
        {
            Files.createDirectories(dir);
            // FRR drops to user frr, which must reach its directory below this one.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(dir.resolve(GATEWAY_CONFIG), scenario.gatewayYaml());
            Files.writeString(dir.resolve(BIRD_CONFIG), bird);
            Files.createDirectories(dir.resolve("gw"));
            Files.setPosixFilePermissions(dir.resolve("gw"), PosixFilePermissions.fromString("rwxr-xr-x"));
            // Written before anything exists: down() finds a half-built lab by it.
            state.write();
            wire(state, check.config(), bird);
            startProcesses(state);
            state = learnMacs(state);
            state.write();
            return state;
        }
        catch (final IOException ex)
        {
            down(name);
            throw new UncheckedIOException("lab " + name + ": " + ex.getMessage(), ex);
        }
        catch (final RuntimeException ex)
        {
            final String logs = logTails(dir);
            down(name);
            throw new IllegalStateException("lab " + name + " did not come up: " + ex.getMessage() + logs, ex);
        }
    }

    private static LabState initialState(final LabScenario scenario, final String name, final Path dir,
        final ConfigCheck check, final String bird)
    {
        final GatewayConfig config = check.config();
        final LabState.Namespaces ns = new LabState.Namespaces(LabNames.namespace(name, "vpc"),
            LabNames.namespace(name, "gw"), LabNames.namespace(name, "wire"), LabNames.namespace(name, "cpe"),
            LabNames.namespace(name, "idc"), null);
        final var vpc = LabScenario.vpcCidr(config);
        final var idc = LabScenario.idcSubnet(config);
        final LabState.Host vpcHost = new LabState.Host(ns.vpc(), "eth0", LabScenario.host(vpc, 10) + "/" + vpc.length(),
            null, LabScenario.host(vpc, 1), null);
        final LabState.Host idcHost = new LabState.Host(ns.idc(), "eth0", LabScenario.host(idc, 10) + "/24", null,
            LabScenario.host(idc, 1), null);
        return new LabState(name, scenario.id(), dir, ns, vpcHost, List.of(idcHost), API_ADDRESS,
            dir.resolve("counters.dat"), scenario.paths(check, bird));
    }

    private static void wire(final LabState state, final GatewayConfig config, final String bird)
    {
        final LabState.Namespaces ns = state.namespaces();
        for (final String namespace : List.of(ns.vpc(), ns.gw(), ns.wire(), ns.cpe(), ns.idc()))
        {
            Netns.run("ip", "netns", "add", namespace);
            exec(namespace, "ip", "link", "set", "lo", "up");
        }
        veth(ns.vpc(), "eth0", ns.gw(), LabScenario.VPC_INTERFACE);
        final LabState.Host vpc = state.vpcHost();
        exec(ns.vpc(), "ip", "addr", "add", vpc.ip(), "dev", vpc.interfaceName());
        exec(ns.vpc(), "ip", "route", "add", "default", "via", vpc.gatewayIp());

        final TreeSet<Integer> connections = new TreeSet<>();
        state.paths().forEach(p -> connections.add(p.connection()));
        for (final int c : connections)
        {
            veth(ns.gw(), "eth" + c, ns.wire(), LabNames.wireGatewaySide(c));
            veth(ns.cpe(), LabNames.customerTrunk(c), ns.wire(), LabNames.wireCustomerSide(c));
            final String br = LabNames.bridge(c);
            exec(ns.wire(), "ip", "link", "add", br, "type", "bridge", "stp_state", "0", "forward_delay", "0");
            exec(ns.wire(), "sysctl", "-qw", "net.ipv6.conf." + br + ".disable_ipv6=1");
            exec(ns.wire(), "ip", "link", "set", LabNames.wireGatewaySide(c), "master", br);
            exec(ns.wire(), "ip", "link", "set", LabNames.wireCustomerSide(c), "master", br);
            exec(ns.wire(), "ip", "link", "set", br, "up");
        }
        // The customer's VLAN devices: veth pairs whose far ends the shim tags onto the trunk.
        for (final LabState.LabPath p : state.paths())
        {
            if (p.vlan() != 0)
            {
                exec(ns.cpe(), "ip", "link", "add", p.customerInterface(), "type", "veth", "peer", "name",
                    LabNames.shimAccess(p.vlan()));
                prepare(ns.cpe(), p.customerInterface());
                prepare(ns.cpe(), LabNames.shimAccess(p.vlan()));
            }
        }
        // The rendering's own commands give the customer's interfaces their addresses (its `ip link add ... type
        // vlan` lines are what the veths and the shim stand in for).
        for (final String line : bird.lines().toList())
        {
            if ((line.startsWith("#   ip ") || line.startsWith("#   sysctl ")) && !line.startsWith("#   ip link add"))
            {
                final List<String> command = new ArrayList<>(List.of(line.substring("#   ".length()).split(" ")));
                command.addAll(0, List.of("ip", "netns", "exec", ns.cpe()));
                Netns.run(command.toArray(String[]::new));
            }
        }
        // ECMP returns and asymmetric paths: no reverse-path filter on the customer router.
        exec(ns.cpe(), "sysctl", "-qw", "net.ipv4.conf.all.rp_filter=0");
        exec(ns.cpe(), "sysctl", "-qw", "net.ipv4.conf.default.rp_filter=0");
        final LabState.Host idc = state.idcHosts().get(0);
        veth(ns.cpe(), "idc0", ns.idc(), idc.interfaceName());
        exec(ns.cpe(), "ip", "addr", "add", idc.gatewayIp() + "/24", "dev", "idc0");
        exec(ns.idc(), "ip", "addr", "add", idc.ip(), "dev", idc.interfaceName());
        exec(ns.idc(), "ip", "route", "add", "default", "via", idc.gatewayIp());
        // The receiver reads the lab's UDP with a packet socket; the IDC host's kernel would answer each with an
        // ICMP port unreachable.
        exec(ns.idc(), "sysctl", "-qw", "net.ipv4.icmp_ratelimit=1000");
    }

    private static void startProcesses(final LabState state)
    {
        final Path dir = state.directory();
        final LabState.Namespaces ns = state.namespaces();
        final List<String> shims = state.paths().stream().filter(p -> p.vlan() != 0)
            .map(p -> LabNames.shimAccess(p.vlan()) + ":" + LabNames.customerTrunk(p.connection()) + ":" + p.vlan()).toList();
        if (!shims.isEmpty())
        {
            final List<String> args = new ArrayList<>(List.of("lab", "shim"));
            args.addAll(shims);
            LabProcesses.start(ns.cpe(), LabProcesses.vbgw(List.of("-Xmx64m", "-XX:+UseSerialGC"),
                args.toArray(String[]::new)), dir.resolve("shim.log"), dir.resolve("shim.pid"));
        }
        LabProcesses.start(ns.gw(), LabProcesses.vbgw(List.of(), "run", dir.resolve(GATEWAY_CONFIG).toString(),
                "--state-dir", dir.resolve("gw").toString(), "--counters", state.countersFile().toString(),
                "--http", state.apiAddress()),
            dir.resolve("vbgw.log"), dir.resolve("vbgw.pid"));
        // BIRD daemonizes and writes its own pid file.
        exec(ns.cpe(), "bird", "-c", dir.resolve(BIRD_CONFIG).toString(), "-s", dir.resolve(BIRD_SOCKET).toString(),
            "-P", dir.resolve("bird.pid").toString());
        final GatewayApi api = GatewayApi.of(state);
        await("the gateway's API answers (" + dir.resolve("vbgw.log") + ")", 90_000, () ->
        {
            if (LabProcesses.alive(dir.resolve("vbgw.pid")).isEmpty())
            {
                throw new IllegalStateException("vbgw run exited (" + dir.resolve("vbgw.log") + ")");
            }
            final JsonNode vifs = api.get("vifs");
            return vifs != null && vifs.size() > 0;
        });
    }

    /** The VPC host resolves its gateway (a ping) and the hosts' MACs go into the state. */
    private static LabState learnMacs(final LabState state)
    {
        final LabState.Host vpc = state.vpcHost();
        await("the VPC host reaches its gateway " + vpc.gatewayIp(), 30_000, () -> quietly(() ->
            exec(vpc.namespace(), "ping", "-c", "1", "-W", "1", vpc.gatewayIp())));
        final String neigh = exec(vpc.namespace(), "ip", "neigh", "show", vpc.gatewayIp(), "dev", vpc.interfaceName());
        final String gatewayMac = field(neigh, "lladdr");
        final List<LabState.Host> idc = new ArrayList<>();
        for (final LabState.Host h : state.idcHosts())
        {
            idc.add(new LabState.Host(h.namespace(), h.interfaceName(), h.ip(), mac(h.namespace(), h.interfaceName()),
                h.gatewayIp(), mac(state.namespaces().cpe(), "idc0")));
        }
        return state.withHosts(new LabState.Host(vpc.namespace(), vpc.interfaceName(), vpc.ip(),
            mac(vpc.namespace(), vpc.interfaceName()), vpc.gatewayIp(), gatewayMac), idc);
    }

    /**
     * Waits until every BGP session of the gateway is Established and every BFD session up, and the IDC routes
     * are in its FIB; throws after {@code timeoutMs} naming what is not.
     */
    public static void awaitReady(final LabState state, final long timeoutMs)
    {
        await("BGP Established and BFD up on every VIF of lab " + state.name(), timeoutMs,
            () -> LabStatus.collect(state).ready());
    }

    /** The state of a lab that is up (its {@code lab.json}). */
    public static LabState state(final String name)
    {
        return LabState.read(LabNames.directory(name));
    }

    /** The labs on this machine: a directory with {@code lab.json}, or namespaces with the lab prefix. */
    public static List<String> list()
    {
        final TreeSet<String> names = new TreeSet<>();
        if (Files.isDirectory(LabNames.RUN_DIR))
        {
            try (Stream<Path> dirs = Files.list(LabNames.RUN_DIR))
            {
                dirs.filter(d -> Files.exists(d.resolve(LabState.FILE))).forEach(d -> names.add(d.getFileName().toString()));
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
        for (final String ns : allNamespaces())
        {
            final String lab = LabNames.labOf(ns);
            if (lab != null)
            {
                names.add(lab);
            }
        }
        return List.copyOf(names);
    }

    /**
     * Removes lab {@code name}: stops the gateway (SIGTERM, so it stops its FRR), then every process left in the
     * lab's namespaces, deletes the namespaces and the directory. Works from {@code lab.json}, or from the
     * namespace names alone when it is gone; harmless when nothing is left. Returns what it removed.
     */
    public static List<String> down(final String name)
    {
        LabNames.check(name);
        final Path dir = LabNames.directory(name);
        final List<String> removed = new ArrayList<>();
        if (LabProcesses.stop(dir.resolve("vbgw.pid"), 15_000))
        {
            removed.add("vbgw run");
        }
        final List<String> namespaces = namespacesOf(name);
        for (final String ns : namespaces)
        {
            for (final long pid : LabProcesses.inNamespace(ns))
            {
                ProcessHandle.of(pid).ifPresent(p ->
                {
                    removed.add("process " + pid + " " + p.info().command().orElse("?") + " in " + ns);
                    LabProcesses.stop(p, 3_000);
                });
            }
        }
        // Processes that left their namespace's pid list but still name the lab's directory (none expected).
        ProcessHandle.allProcesses()
            .filter(p -> p.pid() != ProcessHandle.current().pid() && p.info().commandLine().orElse("").contains(dir + "/"))
            .forEach(p ->
            {
                removed.add("process " + p.pid() + " " + p.info().command().orElse("?"));
                LabProcesses.stop(p, 3_000);
            });
        final List<String> reversed = new ArrayList<>(namespaces);
        java.util.Collections.reverse(reversed);
        for (final String ns : reversed)
        {
            Netns.run("ip", "netns", "del", ns);
            removed.add("namespace " + ns);
        }
        if (Files.exists(dir))
        {
            try (Stream<Path> files = Files.walk(dir))
            {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot delete " + dir + ": " + ex.getMessage(), ex);
            }
            removed.add("directory " + dir);
        }
        return removed;
    }

    /** The namespaces of lab {@code name} that exist, by their names (the lab prefix, the name, a role). */
    static List<String> namespacesOf(final String name)
    {
        final List<String> found = new ArrayList<>();
        for (final String role : LabNames.ROLES)
        {
            final String ns = LabNames.namespace(name, role);
            if (allNamespaces().contains(ns))
            {
                found.add(ns);
            }
        }
        return found;
    }

    /** Every namespace {@code ip netns list} shows, by name. */
    static List<String> allNamespaces()
    {
        return Netns.run("ip", "netns", "list").lines().map(l -> l.split("\\s+")[0]).filter(s -> !s.isEmpty()).toList();
    }

    static void veth(final String nsA, final String a, final String nsB, final String b)
    {
        Netns.run("ip", "link", "add", a, "netns", nsA, "mtu", Integer.toString(MTU), "type", "veth", "peer", "name", b,
            "netns", nsB, "mtu", Integer.toString(MTU));
        prepare(nsA, a);
        prepare(nsB, b);
    }

    /** No IPv6 chatter, no offloads (no partial checksums or GSO frames on packet sockets), link up. */
    private static void prepare(final String ns, final String iface)
    {
        // The slash form: a VLAN device's name has a dot, which the dotted form would split.
        exec(ns, "sysctl", "-qw", "net/ipv6/conf/" + iface + "/disable_ipv6=1");
        exec(ns, "ethtool", "-K", iface, "tx", "off", "tso", "off", "gso", "off", "gro", "off");
        exec(ns, "ip", "link", "set", iface, "up");
    }

    /** Runs a command in a namespace; throws with its output when it fails. */
    static String exec(final String ns, final String... command)
    {
        final List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        return Netns.run(full.toArray(String[]::new));
    }

    private static String mac(final String ns, final String iface)
    {
        return field(exec(ns, "ip", "-o", "link", "show", iface), "link/ether");
    }

    /** The word after {@code key} in {@code text}. */
    static String field(final String text, final String key)
    {
        final String[] words = text.trim().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++)
        {
            if (words[i].equals(key))
            {
                return words[i + 1];
            }
        }
        throw new IllegalStateException("no " + key + " in: " + text.trim());
    }

    static boolean quietly(final Runnable action)
    {
        try
        {
            action.run();
            return true;
        }
        catch (final RuntimeException ex)
        {
            return false;
        }
    }

    /** Polls {@code condition} every 200 ms; throws naming {@code what} after {@code timeoutMs}. */
    static void await(final String what, final long timeoutMs, final BooleanSupplier condition)
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean())
        {
            if (System.currentTimeMillis() > deadline)
            {
                throw new IllegalStateException("timed out after " + timeoutMs + " ms waiting until " + what);
            }
            try
            {
                Thread.sleep(200);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting until " + what, ex);
            }
        }
    }

    /** The last lines of the lab's logs, for an error message. */
    static String logTails(final Path dir)
    {
        final StringBuilder sb = new StringBuilder();
        for (final String log : List.of("vbgw.log", "shim.log"))
        {
            final Path p = dir.resolve(log);
            try
            {
                if (Files.exists(p))
                {
                    final List<String> lines = Files.readAllLines(p);
                    sb.append("\n--- ").append(p).append(" (last lines)\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
                }
            }
            catch (final IOException ex)
            {
                sb.append("\n--- ").append(p).append(": ").append(ex.getMessage());
            }
        }
        return sb.toString();
    }
}
