package org.vbgw.perf.io;

import static org.vbgw.io.linux.Native.LIBC;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.vbgw.io.linux.Native;

/**
 * Two network namespaces joined by two veth pairs (generator to device under test, and device under test
 * back to a sink in the generator's namespace; offloads and IPv6 off), created with unique names for one
 * benchmark run and deleted at its end or by a shutdown hook. {@link #enterGenerator()} and
 * {@link #enterDut()} move the calling thread into a namespace (setns) so sockets opened there live in it.
 */
final class VethLab implements AutoCloseable
{
    final String generatorNs;
    final String dutNs;
    final String generatorIf;
    final String dutIf;
    /** Second pair: the device under test forwards out of {@link #dutOutIf} to {@link #sinkIf}. */
    final String dutOutIf;
    final String sinkIf;
    private final Thread cleanup;

    VethLab(final int mtu)
    {
        final String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000_0000, Integer.MAX_VALUE));
        generatorNs = "vbgw-bgen-" + id;
        dutNs = "vbgw-bdut-" + id;
        generatorIf = "bg" + id;
        dutIf = "bd" + id;
        dutOutIf = "bo" + id;
        sinkIf = "bs" + id;
        cleanup = new Thread(this::delete, "veth-lab-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        run("ip", "netns", "add", generatorNs);
        run("ip", "netns", "add", dutNs);
        run("ip", "link", "add", generatorIf, "netns", generatorNs, "mtu", Integer.toString(mtu), "type", "veth",
            "peer", "name", dutIf, "netns", dutNs, "mtu", Integer.toString(mtu));
        prepare(generatorNs, generatorIf);
        prepare(dutNs, dutIf);
        run("ip", "link", "add", dutOutIf, "netns", dutNs, "mtu", Integer.toString(mtu), "type", "veth",
            "peer", "name", sinkIf, "netns", generatorNs, "mtu", Integer.toString(mtu));
        prepare(dutNs, dutOutIf);
        prepare(generatorNs, sinkIf);
    }

    private static void prepare(final String ns, final String name)
    {
        run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf." + name + ".disable_ipv6=1");
        run("ip", "netns", "exec", ns, "ethtool", "-K", name, "tx", "off", "tso", "off", "gso", "off", "gro", "off");
        run("ip", "netns", "exec", ns, "ip", "link", "set", name, "up");
    }

    /** Moves this thread into the generator namespace; returns a handle that moves it back on close. */
    AutoCloseable enterGenerator()
    {
        return enter(generatorNs);
    }

    /** Moves this thread into the device-under-test namespace. */
    AutoCloseable enterDut()
    {
        return enter(dutNs);
    }

    private static AutoCloseable enter(final String ns)
    {
        final int original = LIBC.open("/proc/thread-self/ns/net", Native.O_RDONLY | Native.O_CLOEXEC);
        final int target = LIBC.open("/var/run/netns/" + ns, Native.O_RDONLY | Native.O_CLOEXEC);
        if (original < 0 || target < 0 || LIBC.setns(target, Native.CLONE_NEWNET) < 0)
        {
            throw new IllegalStateException("cannot enter namespace " + ns + ": " + Native.describe(Native.errno()));
        }
        LIBC.close(target);
        return () ->
        {
            LIBC.setns(original, Native.CLONE_NEWNET);
            LIBC.close(original);
        };
    }

    @Override
    public void close()
    {
        delete();
        Runtime.getRuntime().removeShutdownHook(cleanup);
    }

    private void delete()
    {
        for (final String ns : new String[] {generatorNs, dutNs})
        {
            try
            {
                run("ip", "netns", "del", ns);
            }
            catch (final RuntimeException ignored)
            {
                // Already gone.
            }
        }
    }

    static String run(final String... command)
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(String.join(" ", command) + ": " + ex, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + ": interrupted", ex);
        }
    }
}
