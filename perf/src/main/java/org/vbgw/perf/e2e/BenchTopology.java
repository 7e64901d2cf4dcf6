package org.vbgw.perf.e2e;

import org.vbgw.io.lab.Netns;


import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;


/**
 * The benchmark's lab: three network namespaces in a line, {@code gen} —veth— {@code mid} —veth— {@code sink},
 * with fixed MAC addresses so every run sends byte-identical frames.
 * <pre>
 *   gen ns                    mid ns                                 sink ns
 *   [e2g&lt;pid&gt;] 10.10.1.2 ---- [e2a&lt;pid&gt;] 10.10.1.1   [e2b&lt;pid&gt;] 10.10.2.1 ---- [e2s&lt;pid&gt;] 10.10.2.2
 * </pre>
 * The middle either forwards in the kernel ({@link #configureKernelMiddle}: addresses, ip_forward=1, permanent
 * neighbours) or is left unaddressed with an nftables netdev ingress drop on both ports, for vbgw's packet
 * sockets ({@link #configureBypassedMiddle}). The sink's port always drops at ingress after AF_PACKET has seen
 * the frame, so the sink's kernel does no IP work (no ICMP port unreachable flowing back) in either run.
 * Offloads are off and IPv6 is off on every veth (no router solicitations in the measured traffic).
 * <p>
 * Names carry the JVM's pid, so the lab never touches what it did not create; {@link #close()} deletes the
 * namespaces (and with them the veths and nftables tables in them), and so does a shutdown hook should the
 * JVM be stopped first (Ctrl-C).
 */
final class BenchTopology implements AutoCloseable
{
    static final long GEN_MAC = 0x02_e2_00_00_01_02L;
    static final long MID_GEN_MAC = 0x02_e2_00_00_01_01L;
    static final long MID_SINK_MAC = 0x02_e2_00_00_02_01L;
    static final long SINK_MAC = 0x02_e2_00_00_02_02L;
    static final int GEN_IP = 0x0A0A_0102;
    static final int MID_GEN_IP = 0x0A0A_0101;
    static final int MID_SINK_IP = 0x0A0A_0201;
    static final int SINK_IP = 0x0A0A_0202;

    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

    static
    {
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            for (final String ns : LIVE)
            {
                runQuietly("ip", "netns", "del", ns);
            }
        }, "e2e-topology-cleanup"));
    }

    final String genNs;
    final String midNs;
    final String sinkNs;
    final String genIf;
    final String midGenIf;
    final String midSinkIf;
    final String sinkIf;
    private final long pid = ProcessHandle.current().pid();

    /** Creates the namespaces and veths, MACs set, offloads and IPv6 off, links up; the middle unconfigured. */
    BenchTopology()
    {
        genNs = "vbgwe2e-gen-" + pid;
        midNs = "vbgwe2e-mid-" + pid;
        sinkNs = "vbgwe2e-sink-" + pid;
        genIf = "e2g" + pid;
        midGenIf = "e2a" + pid;
        midSinkIf = "e2b" + pid;
        sinkIf = "e2s" + pid;
        try
        {
            for (final String ns : List.of(genNs, midNs, sinkNs))
            {
                run("ip", "netns", "add", ns);
                LIVE.add(ns);
                exec(ns, "ip", "link", "set", "lo", "up");
            }
            veth(genNs, genIf, GEN_MAC, midNs, midGenIf, MID_GEN_MAC);
            veth(midNs, midSinkIf, MID_SINK_MAC, sinkNs, sinkIf, SINK_MAC);
            exec(genNs, "ip", "addr", "add", "10.10.1.2/24", "dev", genIf);
            exec(genNs, "ip", "route", "add", "10.10.2.0/24", "via", "10.10.1.1");
            exec(genNs, "ip", "neigh", "replace", "10.10.1.1", "lladdr", mac(MID_GEN_MAC), "dev", genIf, "nud", "permanent");
            exec(sinkNs, "ip", "addr", "add", "10.10.2.2/24", "dev", sinkIf);
            IngressDrop.install(this::execStdin, sinkNs, "vbgwbench_" + pid, sinkIf);
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    private void veth(final String nsA, final String ifA, final long macA, final String nsB, final String ifB, final long macB)
    {
        run("ip", "link", "add", ifA, "netns", nsA, "address", mac(macA), "type", "veth",
            "peer", "name", ifB, "netns", nsB, "address", mac(macB));
        prepare(nsA, ifA);
        prepare(nsB, ifB);
    }

    private void prepare(final String ns, final String ifName)
    {
        exec(ns, "sysctl", "-qw", "net.ipv6.conf." + ifName + ".disable_ipv6=1");
        exec(ns, "ethtool", "-K", ifName, "tx", "off", "tso", "off", "gso", "off", "gro", "off");
        exec(ns, "ip", "link", "set", ifName, "up");
    }

    /** Run 1: the middle namespace's kernel forwards, with addresses, ip_forward and permanent neighbours. */
    void configureKernelMiddle()
    {
        exec(midNs, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        exec(midNs, "ip", "addr", "add", "10.10.1.1/24", "dev", midGenIf);
        exec(midNs, "ip", "addr", "add", "10.10.2.1/24", "dev", midSinkIf);
        exec(midNs, "ip", "neigh", "replace", "10.10.1.2", "lladdr", mac(GEN_MAC), "dev", midGenIf, "nud", "permanent");
        exec(midNs, "ip", "neigh", "replace", "10.10.2.2", "lladdr", mac(SINK_MAC), "dev", midSinkIf, "nud", "permanent");
    }

    /**
     * Run 2: the middle's kernel does nothing with the traffic: no addresses, no forwarding, and an ingress drop
     * on both ports (AF_PACKET sees the frames before the hook).
     */
    void configureBypassedMiddle()
    {
        exec(midNs, "sysctl", "-qw", "net.ipv4.ip_forward=0");
        exec(midNs, "ip", "addr", "flush", "dev", midGenIf);
        exec(midNs, "ip", "addr", "flush", "dev", midSinkIf);
        exec(midNs, "ip", "neigh", "flush", "all");
        IngressDrop.install(this::execStdin, midNs, "vbgwbench_" + pid, midGenIf, midSinkIf);
    }

    /** Undoes {@link #configureBypassedMiddle}'s ingress drop. */
    void removeBypass()
    {
        IngressDrop.remove(this::execStdin, midNs, "vbgwbench_" + pid);
    }

    /** Removes the kernel middle's addresses and forwarding. */
    void resetKernelMiddle()
    {
        exec(midNs, "sysctl", "-qw", "net.ipv4.ip_forward=0");
        exec(midNs, "ip", "addr", "flush", "dev", midGenIf);
        exec(midNs, "ip", "addr", "flush", "dev", midSinkIf);
        exec(midNs, "ip", "neigh", "flush", "all");
    }

    /** Moves the calling thread into {@code ns} until the scope closes; sockets opened meanwhile stay there. */
    static Netns.Scope enter(final String ns)
    {
        return Netns.enter(ns);
    }

    static String mac(final long mac)
    {
        final StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--)
        {
            if (sb.length() > 0)
            {
                sb.append(':');
            }
            sb.append(String.format("%02x", (mac >>> (8 * i)) & 0xFF));
        }
        return sb.toString();
    }

    static String exec(final String ns, final String... command)
    {
        final List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(Arrays.asList(command));
        return runWithInput(null, full.toArray(new String[0]));
    }

    private String execStdin(final String ns, final String stdin, final String... command)
    {
        final List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(Arrays.asList(command));
        return runWithInput(stdin, full.toArray(new String[0]));
    }

    static String run(final String... command)
    {
        return runWithInput(null, command);
    }

    /** Runs a command, feeding it {@code stdin} if not null; throws with its output when it exits non-zero. */
    static String runWithInput(final String stdin, final String... command)
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (stdin != null)
            {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + ": timed out");
            }
            if (process.exitValue() != 0)
            {
                throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": " + output);
            }
            return output;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(String.join(" ", command) + ": " + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + ": interrupted", ex);
        }
    }

    private static void runQuietly(final String... command)
    {
        try
        {
            run(command);
        }
        catch (final RuntimeException ignored)
        {
            // Cleanup: already gone.
        }
    }

    /** Deletes the three namespaces and everything in them; harmless when called again. */
    @Override
    public void close()
    {
        for (final String ns : List.of(genNs, midNs, sinkNs))
        {
            if (LIVE.remove(ns))
            {
                runQuietly("ip", "netns", "del", ns);
            }
        }
    }
}
