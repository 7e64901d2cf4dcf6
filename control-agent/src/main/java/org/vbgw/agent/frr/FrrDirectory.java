package org.vbgw.agent.frr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The state directory of one FRR run by {@link FrrDaemons}: where each daemon's config, pid file, log and vty
 * socket are, and the zebra API socket. Owned by user {@code frr}, whom Debian's FRR daemons drop to, with the
 * configs readable by frr only (MD5 keys are in them).
 */
final class FrrDirectory
{
    static final String FRR_USER = "frr";

    private final Path path;

    private FrrDirectory(final Path path)
    {
        this.path = path;
    }

    /**
     * Creates the directory (owned by frr), writes the daemons' configs, and ends what an owner that died
     * without stopping left running in it.
     *
     * @throws IllegalStateException when frr does not exist or cannot reach the directory, with what to do.
     */
    static FrrDirectory prepare(final Path directory, final List<FrrDaemon> daemons, final long stopTimeoutMs)
    {
        final FrrDirectory dir = new FrrDirectory(directory.toAbsolutePath().normalize());
        dir.create(daemons);
        dir.endLeftovers(daemons, stopTimeoutMs);
        return dir;
    }

    Path path()
    {
        return path;
    }

    Path config(final String daemon)
    {
        return path.resolve(daemon + ".conf");
    }

    Path pidFile(final String daemon)
    {
        return path.resolve(daemon + ".pid");
    }

    Path log(final String daemon)
    {
        return path.resolve(daemon + ".log");
    }

    /** Where a daemon's standard output and error go (what it prints before its log is open). */
    Path output(final String daemon)
    {
        return path.resolve(daemon + ".out");
    }

    /** The daemon's vty socket: it exists once the daemon serves vtysh. */
    Path vty(final String daemon)
    {
        return path.resolve(daemon + ".vty");
    }

    /** zebra's API socket, which its clients connect to: it exists once zebra listens. */
    Path zserv()
    {
        return path.resolve("zserv.api");
    }

    /** The last lines of a daemon's log and output, for error messages. */
    String logTail(final String daemon)
    {
        return tail(log(daemon), 20) + tail(output(daemon), 10);
    }

    /** Removes a socket a dead daemon left, so that its existence means a live daemon listens. */
    void removeStale(final Path socket)
    {
        try
        {
            Files.deleteIfExists(socket);
        }
        catch (final IOException ignored)
        {
            // The daemon replaces it when it starts.
        }
    }

    private void create(final List<FrrDaemon> daemons)
    {
        try
        {
            final UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
            final UserPrincipal user;
            final GroupPrincipal group;
            try
            {
                user = users.lookupPrincipalByName(FRR_USER);
                group = users.lookupPrincipalByGroupName(FRR_USER);
            }
            catch (final UserPrincipalNotFoundException ex)
            {
                throw new IllegalStateException("FRR's daemons run as user and group " + FRR_USER +
                    ", which this system does not have: install FRR (Debian: apt-get install frr)", ex);
            }
            Files.createDirectories(path);
            for (Path p = path.getParent(); p != null; p = p.getParent())
            {
                if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE) &&
                    !Files.getOwner(p).equals(user))
                {
                    throw new IllegalStateException("FRR runs as user " + FRR_USER + " and cannot reach " + path +
                        " because " + p + " is not searchable by others: chmod o+x " + p + ", or choose another state directory");
                }
            }
            own(path, user, group, "rwxr-x---");
            for (final FrrDaemon d : daemons)
            {
                Files.writeString(config(d.name()), d.config(), StandardCharsets.UTF_8);
                own(config(d.name()), user, group, "rw-r-----");
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot prepare FRR's directory " + path + ": " + ex.getMessage(), ex);
        }
    }

    private static void own(final Path file, final UserPrincipal user, final GroupPrincipal group, final String mode)
        throws IOException
    {
        final PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        view.setOwner(user);
        view.setGroup(group);
        view.setPermissions(PosixFilePermissions.fromString(mode));
    }

    /**
     * An agent killed with SIGKILL leaves its daemons running; the next one in the same directory ends them
     * (only processes whose command line names this directory, so a pid reused by another program is safe).
     * With SIGKILL, not SIGTERM: a bgpd told to stop sends its peers a Cease and they drop the gateway's routes,
     * while a vanished connection lets them keep the routes until the new bgpd is up (graceful restart), and the
     * data plane forwarded all along.
     */
    private void endLeftovers(final List<FrrDaemon> daemons, final long stopTimeoutMs)
    {
        for (final FrrDaemon d : daemons)
        {
            final Path pidFile = pidFile(d.name());
            if (!Files.exists(pidFile))
            {
                continue;
            }
            try
            {
                final long pid = Long.parseLong(Files.readString(pidFile).trim());
                final Optional<ProcessHandle> handle = ProcessHandle.of(pid);
                if (handle.isPresent() && commandLine(pid).contains(path.toString()))
                {
                    System.err.println("vbgw: stopping FRR " + d.name() + " (pid " + pid + ") left running in " + path);
                    handle.get().destroyForcibly();
                    waitGone(handle.get(), stopTimeoutMs);
                }
                Files.deleteIfExists(pidFile);
            }
            catch (final IOException | NumberFormatException ignored)
            {
                // No readable pid: nothing of ours to stop.
            }
        }
        // Stale sockets would make a readiness wait return before the new daemon listens.
        for (final FrrDaemon d : daemons)
        {
            removeStale(vty(d.name()));
        }
        removeStale(zserv());
    }

    private static boolean waitGone(final ProcessHandle handle, final long timeoutMs)
    {
        try
        {
            handle.onExit().get(timeoutMs, TimeUnit.MILLISECONDS);
            return true;
        }
        catch (final Exception ex)
        {
            return !handle.isAlive();
        }
    }

    private static String commandLine(final long pid)
    {
        try
        {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                .replace('\0', ' ');
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    private static String tail(final Path file, final int lines)
    {
        try
        {
            final List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
        }
        catch (final IOException ex)
        {
            return "";
        }
    }
}
