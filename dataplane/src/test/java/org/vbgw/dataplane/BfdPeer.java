package org.vbgw.dataplane;

import org.vbgw.io.lab.Netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real BFD speaker on the customer side of an integration test: BIRD 2's {@code protocol bfd}, or FRR's
 * bfdd (with the zebra it needs for interfaces), run inside a test namespace with its config, pid files and
 * sockets in a temporary directory of its own, never the system's /etc/frr or /run/bird.
 */
abstract class BfdPeer implements AutoCloseable
{
    final Netns ns;
    final Path dir;

    private BfdPeer(final Netns ns, final String prefix)
    {
        this.ns = ns;
        try
        {
            this.dir = Files.createTempDirectory(prefix);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Starts the daemon (again, after {@link #kill}). */
    abstract void start();

    /** SIGKILL: the daemon vanishes without telling its peer anything. */
    abstract void kill();

    /** The daemon's own view of the session: true when it says Up. */
    abstract boolean up();

    /** What the daemon prints about its sessions, for failure messages. */
    abstract String show();

    @Override
    public void close()
    {
        kill();
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException ignored)
        {
            // best effort: a temp directory
        }
    }

    static void write(final Path file, final String text)
    {
        try
        {
            Files.writeString(file, text);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void killPidFile(final Path pidFile)
    {
        try
        {
            if (Files.exists(pidFile))
            {
                final long pid = Long.parseLong(Files.readString(pidFile).trim());
                ProcessHandle.of(pid).ifPresent(p ->
                {
                    Netns.run("kill", "-9", Long.toString(pid));
                    p.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(t -> null).join();
                });
                Files.deleteIfExists(pidFile);
            }
        }
        catch (final IOException | NumberFormatException ignored)
        {
            // not running
        }
    }

    /** BIRD 2 with one single-hop session; {@code auth} is BIRD's authentication clause or empty. */
    static BfdPeer bird(final Netns ns, final String iface, final String local, final String peer, final int intervalMs,
        final int multiplier, final String auth)
    {
        final BfdPeer bird = new BfdPeer(ns, "vbgw-bird-")
        {
            private Process process;

            @Override
            void start()
            {
                try
                {
                    process = ns.start("bird", "-f", "-c", dir.resolve("bird.conf").toString(),
                        "-s", dir.resolve("bird.ctl").toString(), "-P", dir.resolve("bird.pid").toString());
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            }

            @Override
            void kill()
            {
                if (process != null)
                {
                    process.destroyForcibly();
                    try
                    {
                        process.waitFor(5, TimeUnit.SECONDS);
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                    process = null;
                }
            }

            @Override
            String show()
            {
                try
                {
                    return ns.exec("birdc", "-s", dir.resolve("bird.ctl").toString(), "show", "bfd", "sessions");
                }
                catch (final RuntimeException ex)
                {
                    return ex.getMessage();
                }
            }

            @Override
            boolean up()
            {
                return show().lines().anyMatch(l -> l.startsWith(peer) && l.contains(" Up "));
            }
        };
        write(bird.dir.resolve("bird.conf"), String.join("\n",
            "router id " + local + ";",
            "protocol device {}",
            "protocol bfd {",
            "  interface \"" + iface + "\" {",
            "    min rx interval " + intervalMs + " ms; min tx interval " + intervalMs + " ms;",
            "    idle tx interval 1000 ms; multiplier " + multiplier + ";",
            "    " + auth,
            "  };",
            "  neighbor " + peer + " dev \"" + iface + "\" local " + local + ";",
            "}", ""));
        return bird;
    }

    /** FRR: zebra and bfdd, with one configured single-hop peer. */
    static BfdPeer frr(final Netns ns, final String iface, final String local, final String peer, final int intervalMs,
        final int multiplier)
    {
        final BfdPeer frr = new BfdPeer(ns, "vbgw-frr-")
        {
            @Override
            void start()
            {
                final String d = dir.toString();
                if (!Files.exists(dir.resolve("zebra.pid")))
                {
                    ns.exec("/usr/lib/frr/zebra", "-d", "-z", d + "/zserv.api", "-i", d + "/zebra.pid",
                        "--vty_socket", d, "-f", d + "/zebra.conf", "-P", "0", "--log", "file:" + d + "/zebra.log");
                }
                ns.exec("/usr/lib/frr/bfdd", "-d", "-z", d + "/zserv.api", "-i", d + "/bfdd.pid", "--vty_socket", d,
                    "--bfdctl", d + "/bfdd.sock", "-f", d + "/bfdd.conf", "-P", "0", "--log", "file:" + d + "/bfdd.log");
            }

            @Override
            void kill()
            {
                killPidFile(dir.resolve("bfdd.pid"));
            }

            @Override
            public void close()
            {
                killPidFile(dir.resolve("bfdd.pid"));
                killPidFile(dir.resolve("zebra.pid"));
                super.close();
            }

            @Override
            String show()
            {
                try
                {
                    return ns.exec("vtysh", "--vty_socket", dir.toString(), "-c", "show bfd peers brief");
                }
                catch (final RuntimeException ex)
                {
                    return ex.getMessage();
                }
            }

            @Override
            boolean up()
            {
                return show().lines().anyMatch(l -> l.contains(peer) && l.contains(" up"));
            }
        };
        write(frr.dir.resolve("zebra.conf"), "");
        write(frr.dir.resolve("bfdd.conf"), String.join("\n",
            "bfd",
            " peer " + peer + " interface " + iface + " local-address " + local,
            "  receive-interval " + intervalMs,
            "  transmit-interval " + intervalMs,
            "  detect-multiplier " + multiplier,
            " !",
            "!", ""));
        // FRR drops to user frr: its directory, config and sockets must be that user's.
        try
        {
            final UserPrincipalLookupService users = frr.dir.getFileSystem().getUserPrincipalLookupService();
            for (final Path p : new Path[] {frr.dir, frr.dir.resolve("zebra.conf"), frr.dir.resolve("bfdd.conf")})
            {
                Files.setOwner(p, users.lookupPrincipalByName("frr"));
                Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class)
                    .setGroup(users.lookupPrincipalByGroupName("frr"));
            }
            Files.setPosixFilePermissions(frr.dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        catch (final IOException ex)
        {
            frr.close();
            throw new UncheckedIOException("cannot hand " + frr.dir + " to user frr (is FRR installed?)", ex);
        }
        return frr;
    }
}
