package org.vbgw.io.lab;

import static org.vbgw.io.linux.Native.LIBC;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.vbgw.io.linux.Native;

/**
 * A network namespace a test creates and deletes, with the few things integration tests need: veth pairs
 * into it, commands run inside it, and {@link #enter()} to open sockets and devices inside it from Java.
 * <p>
 * Java joins a namespace per thread: {@link #enter()} calls setns(2) on the calling thread (a JVM thread
 * is an OS thread, and CLONE_NEWNET may be joined by one thread of a multi-threaded process), and the
 * returned scope moves the thread back. A socket, TAP device or netlink socket keeps the namespace it was
 * created in, so it may be used from any thread afterwards.
 * <p>
 * Names are unique per run (a random suffix), so tests never touch what they did not create. Every
 * namespace is deleted on {@link #close()} and, should a test die first, by a shutdown hook; deleting a
 * namespace deletes the interfaces in it.
 */
public final class Netns implements AutoCloseable
{
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

    static
    {
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            for (final String name : LIVE)
            {
                runQuietly("ip", "netns", "del", name);
            }
        }, "netns-cleanup"));
    }

    private final String name;

    private Netns(final String name)
    {
        this.name = name;
    }

    /** Creates a namespace named {@code prefix} plus a random suffix, with its loopback up. */
    public static Netns create(final String prefix)
    {
        final String name = prefix + "-" + suffix(8);
        run("ip", "netns", "add", name);
        LIVE.add(name);
        final Netns ns = new Netns(name);
        ns.exec("ip", "link", "set", "lo", "up");
        return ns;
    }

    /** A random lower-case hex string of {@code length} characters, for unique interface names. */
    public static String suffix(final int length)
    {
        final StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            sb.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
        }
        return sb.toString();
    }

    /** A unique interface name: {@code prefix} (at most 6 characters) plus 8 random hex digits. */
    public static String interfaceName(final String prefix)
    {
        if (prefix.length() > 6)
        {
            throw new IllegalArgumentException("prefix too long for a 15-character interface name: " + prefix);
        }
        return prefix + suffix(8);
    }

    /**
     * Creates a veth pair {@code nameHere} (in this namespace) to {@code namePeer} (in {@code peer}), sets
     * the MTU, turns IPv6 off (no router solicitations or MLD reports in the test traffic) and the
     * offloads off (no partial checksums, no GSO frames), and brings both ends up.
     */
    public void veth(final String nameHere, final Netns peer, final String namePeer, final int mtu)
    {
        run("ip", "link", "add", nameHere, "netns", name, "mtu", Integer.toString(mtu), "type", "veth",
            "peer", "name", namePeer, "netns", peer.name, "mtu", Integer.toString(mtu));
        prepare(nameHere);
        peer.prepare(namePeer);
    }

    /** Like {@link #veth} but leaves the offloads as the kernel set them (on). */
    public void vethWithOffloads(final String nameHere, final Netns peer, final String namePeer, final int mtu)
    {
        run("ip", "link", "add", nameHere, "netns", name, "mtu", Integer.toString(mtu), "type", "veth",
            "peer", "name", namePeer, "netns", peer.name, "mtu", Integer.toString(mtu));
        exec("sysctl", "-qw", "net.ipv6.conf." + nameHere + ".disable_ipv6=1");
        peer.exec("sysctl", "-qw", "net.ipv6.conf." + namePeer + ".disable_ipv6=1");
        exec("ip", "link", "set", nameHere, "up");
        peer.exec("ip", "link", "set", namePeer, "up");
    }

    private void prepare(final String interfaceName)
    {
        exec("sysctl", "-qw", "net.ipv6.conf." + interfaceName + ".disable_ipv6=1");
        exec("ethtool", "-K", interfaceName, "tx", "off", "tso", "off", "gso", "off", "gro", "off");
        exec("ip", "link", "set", interfaceName, "up");
    }

    /** The namespace name (for {@code ip netns exec}). */
    public String name()
    {
        return name;
    }

    /** Runs a command inside the namespace; throws with its output when it exits non-zero. */
    public String exec(final String... command)
    {
        final List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(Arrays.asList(command));
        return run(full.toArray(new String[0]));
    }

    /** Starts a command inside the namespace without waiting for it. */
    public Process start(final String... command) throws IOException
    {
        final List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(Arrays.asList(command));
        return new ProcessBuilder(full).redirectErrorStream(true).start();
    }

    /**
     * Moves the calling thread into this namespace until the returned scope is closed; sockets and devices
     * opened meanwhile belong to it.
     */
    public Scope enter()
    {
        return enter(name);
    }

    /**
     * Moves the calling thread into the named namespace (one of {@code ip netns list}) until the returned scope
     * is closed, for namespaces this class did not create.
     */
    public static Scope enter(final String namespace)
    {
        final int original = LIBC.open("/proc/thread-self/ns/net", Native.O_RDONLY | Native.O_CLOEXEC);
        if (original < 0)
        {
            throw new IllegalStateException("open(/proc/thread-self/ns/net): " + Native.describe(Native.errno()));
        }
        final int target = LIBC.open("/var/run/netns/" + namespace, Native.O_RDONLY | Native.O_CLOEXEC);
        if (target < 0)
        {
            final int errno = Native.errno();
            LIBC.close(original);
            throw new IllegalStateException("open(/var/run/netns/" + namespace + "): " + Native.describe(errno));
        }
        final int rc = LIBC.setns(target, Native.CLONE_NEWNET);
        final int errno = Native.errno();
        LIBC.close(target);
        if (rc < 0)
        {
            LIBC.close(original);
            throw new IllegalStateException("setns(" + namespace + "): " + Native.describe(errno));
        }
        return new Scope(original);
    }

    /** Runs {@code action} on this thread inside the namespace and returns its result (a socket, a device). */
    public <T> T call(final java.util.function.Supplier<T> action)
    {
        final Scope scope = enter();
        try
        {
            return action.get();
        }
        finally
        {
            scope.close();
        }
    }

    /** Deletes the namespace and every interface in it; harmless when called again. */
    @Override
    public void close()
    {
        if (LIVE.remove(name))
        {
            runQuietly("ip", "netns", "del", name);
        }
    }

    @Override
    public String toString()
    {
        return name;
    }

    /**
     * Runs a command in the root namespace and returns its standard output; throws with its output and
     * error output when it exits non-zero.
     */
    public static String run(final String... command)
    {
        Path errors = null;
        try
        {
            errors = Files.createTempFile("vbgw-cmd", ".err");
            final Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + ": timed out");
            }
            if (process.exitValue() != 0)
            {
                throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() +
                    ": " + output + Files.readString(errors));
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
        finally
        {
            if (errors != null)
            {
                errors.toFile().delete();
            }
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
            // Cleanup: the namespace may already be gone.
        }
    }

    /** The time a thread spends inside a namespace; closing it moves the thread back. */
    public static final class Scope implements AutoCloseable
    {
        private int original;

        private Scope(final int original)
        {
            this.original = original;
        }

        @Override
        public void close()
        {
            if (original >= 0)
            {
                final int rc = LIBC.setns(original, Native.CLONE_NEWNET);
                final int errno = Native.errno();
                LIBC.close(original);
                original = -1;
                if (rc < 0)
                {
                    throw new IllegalStateException("setns(back to the original namespace): " + Native.describe(errno));
                }
            }
        }
    }
}
