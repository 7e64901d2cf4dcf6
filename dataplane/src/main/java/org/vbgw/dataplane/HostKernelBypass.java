package org.vbgw.dataplane;

import org.vbgw.io.PortException;
import org.vbgw.io.linux.InterfaceControl;
import org.vbgw.io.linux.Native;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps the host kernel's IP stack off the data plane's port interfaces: an nftables {@code netdev} table
 * with one ingress-hook chain per port whose policy is drop.
 * <p>
 * Why: an AF_PACKET socket receives a frame from the device's tap list before the netdev ingress hook runs,
 * so vbgw still sees every frame, but the kernel no longer also routes, forwards, answers (ARP, ICMP) or
 * spends CPU on it. Without it a host with {@code ip_forward=1} forwards a second copy of every packet
 * addressed to the port's MAC by its own routing table. Measured here: 428 to 595 k packets/s for a
 * minimal C forwarder on veth, only by dropping at ingress. What the kernel sends out of the port is not
 * affected (the hook is ingress only).
 * <p>
 * The table is named per process and instance ({@code vbgw_<pid>_<n>}) so two data planes on one host do
 * not remove each other's rules. The ruleset goes in as one {@code nft -f -} transaction: all ports or
 * none. {@link #close()} deletes the table, is idempotent, and also runs from a shutdown hook so a JVM that
 * exits without closing does not leave the host's ports dead. The table lives in the network namespace of
 * the thread that installs it (the {@code nft} child process inherits it).
 * <p>
 * Control-plane code: runs a process, allocates; not for any per-packet path. Thread-safe.
 */
public final class HostKernelBypass implements AutoCloseable
{
    /** Runs before every other ingress chain (conntrack, filter): nothing else sees the frames either. */
    static final int PRIORITY = -500;
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final long NFT_TIMEOUT_SECONDS = 30;

    private final String table;
    private final List<String> interfaces;
    private final Thread shutdownHook;
    private boolean installed;

    private HostKernelBypass(final String table, final List<String> interfaces)
    {
        this.table = table;
        this.interfaces = interfaces;
        this.shutdownHook = new Thread(this::removeQuietly, "vbgw-" + table + "-cleanup");
    }

    /**
     * Installs the ingress drop on each interface.
     *
     * @throws IllegalStateException naming the interfaces and nft's error output when {@code nft} is missing
     *     or refuses the ruleset (an interface that does not exist, a kernel without nf_tables).
     */
    public static HostKernelBypass install(final List<String> interfaces)
    {
        if (interfaces.isEmpty())
        {
            throw new IllegalArgumentException("no interfaces to bypass the host kernel on");
        }
        for (final String name : interfaces)
        {
            requireInterface(name);
        }
        final HostKernelBypass bypass = new HostKernelBypass(
            tableName(ProcessHandle.current().pid(), INSTANCES.getAndIncrement()), List.copyOf(interfaces));
        final String stale = staleTables(listTables());
        bypass.nft(stale + ruleset(bypass.table, bypass.interfaces), "install the ingress drop");
        synchronized (bypass)
        {
            bypass.installed = true;
        }
        Runtime.getRuntime().addShutdownHook(bypass.shutdownHook);
        return bypass;
    }

    /**
     * Recent kernels accept a netdev hook on a device that does not exist yet (it attaches when the device
     * appears), so nft would succeed and leave a port silently unprotected: look the interface up first.
     */
    private static void requireInterface(final String name)
    {
        final int fd = Native.LIBC.socket(Native.AF_INET, Native.SOCK_DGRAM | Native.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new IllegalStateException("cannot look up interface " + name + ": socket(AF_INET): " +
                Native.describe(Native.errno()));
        }
        try
        {
            new InterfaceControl(name, fd).index();
        }
        catch (final PortException ex)
        {
            throw new IllegalStateException("cannot install the host kernel bypass on " + name +
                ": no such interface in this network namespace (" + ex.getMessage() + ")", ex);
        }
        finally
        {
            Native.closeQuietly(fd);
        }
    }

    /**
     * {@code delete table} lines for the tables of vbgw processes that no longer exist: a gateway killed with
     * SIGKILL could not remove its own, and its restart must not pile drops on drops. Tables of live
     * processes (another gateway in this namespace) are left alone.
     */
    static String staleTables(final String nftListTables)
    {
        final StringBuilder sb = new StringBuilder();
        for (final String line : nftListTables.split("\n"))
        {
            final String[] words = line.trim().split("\\s+");
            if (words.length == 3 && words[0].equals("table") && words[1].equals("netdev") && words[2].startsWith("vbgw_"))
            {
                final String[] parts = words[2].split("_");
                try
                {
                    final long pid = Long.parseLong(parts[1]);
                    if (ProcessHandle.of(pid).isEmpty())
                    {
                        sb.append("delete table netdev ").append(words[2]).append('\n');
                    }
                }
                catch (final RuntimeException ex)
                {
                    // Not one of ours after all (another naming scheme): leave it.
                }
            }
        }
        return sb.toString();
    }

    private static String listTables()
    {
        try
        {
            final Process p = new ProcessBuilder("nft", "list", "tables", "netdev").redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(NFT_TIMEOUT_SECONDS, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        }
        catch (final IOException ex)
        {
            return "";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static String tableName(final long pid, final int instance)
    {
        return "vbgw_" + pid + "_" + instance;
    }

    /**
     * The ruleset for {@code nft -f -}. The leading {@code table} + {@code delete table} pair empties a table
     * of the same name left by an earlier process with this pid, in the same transaction.
     */
    static String ruleset(final String table, final List<String> interfaces)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("table netdev ").append(table).append('\n');
        sb.append("delete table netdev ").append(table).append('\n');
        sb.append("table netdev ").append(table).append(" {\n");
        for (int i = 0; i < interfaces.size(); i++)
        {
            final String name = interfaces.get(i);
            checkInterfaceName(name);
            // Chains are numbered, not named after the interface: interface names may hold characters
            // that nft identifiers may not; the comment says which port it is.
            sb.append("    chain port").append(i).append(" {\n");
            sb.append("        comment \"vbgw port ").append(name).append("\"\n");
            sb.append("        type filter hook ingress device \"").append(name).append("\" priority ")
                .append(PRIORITY).append("; policy drop;\n");
            sb.append("    }\n");
        }
        sb.append("}\n");
        return sb.toString();
    }

    private static void checkInterfaceName(final String name)
    {
        if (name.isEmpty() || name.length() > 15)
        {
            throw new IllegalArgumentException("interface name must be 1-15 characters: '" + name + "'");
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (c <= ' ' || c == '"' || c == '/' || c == '\\' || c > '~')
            {
                throw new IllegalArgumentException("interface name '" + name + "' holds a character nft cannot quote");
            }
        }
    }

    /** The nftables table this instance owns (family netdev). */
    public String table()
    {
        return table;
    }

    public List<String> interfaces()
    {
        return interfaces;
    }

    /** Removes the table; the host kernel processes the ports' frames again. Harmless when called again. */
    @Override
    public void close()
    {
        if (remove())
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
            catch (final IllegalStateException ignored)
            {
                // Already shutting down: the hook is running or has run.
            }
        }
    }

    private boolean remove()
    {
        synchronized (this)
        {
            if (!installed)
            {
                return false;
            }
            installed = false;
        }
        nft("delete table netdev " + table + "\n", "remove the ingress drop");
        return true;
    }

    private void removeQuietly()
    {
        try
        {
            remove();
        }
        catch (final RuntimeException ex)
        {
            System.err.println(ex.getMessage());
        }
    }

    private void nft(final String input, final String what)
    {
        final Process process;
        try
        {
            process = new ProcessBuilder("nft", "-f", "-").redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot " + what + " on " + String.join(", ", interfaces) +
                ": nft is not installed (Debian package nftables): " + ex.getMessage(), ex);
        }
        try
        {
            try (OutputStream in = process.getOutputStream())
            {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(NFT_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IllegalStateException("cannot " + what + " on " + String.join(", ", interfaces) +
                    ": nft did not finish within " + NFT_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0)
            {
                throw new IllegalStateException("cannot " + what + " on " + String.join(", ", interfaces) +
                    " (nftables table netdev " + table + "): nft exited " + process.exitValue() + ": " + output +
                    " (does every interface exist in this network namespace, and are we root?)");
            }
        }
        catch (final IOException ex)
        {
            process.destroyForcibly();
            throw new IllegalStateException("cannot " + what + " on " + String.join(", ", interfaces) +
                ": talking to nft failed: " + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("cannot " + what + " on " + String.join(", ", interfaces) +
                ": interrupted waiting for nft", ex);
        }
    }
}
