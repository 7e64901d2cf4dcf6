package org.vbgw.agent.frr;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vbgw.io.lab.Netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FrrDaemons} with FRR's real zebra and bgpd, in a namespace of the test's own: files owned by frr,
 * restarts of a killed daemon (zebra taking bgpd with it), leftovers of an owner that died ended at the next
 * start, nothing left after {@code close()}, and a directory frr cannot reach refused with the reason.
 */
class FrrDaemonsIT
{
    private static final String BGPD = String.join("\n", "frr defaults traditional", "hostname it",
        "router bgp 65000", " bgp router-id 10.255.0.9", "exit", "end", "");
    private static final String ZEBRA = "frr defaults traditional\nhostname it\nend\n";

    private Netns ns;
    private Path base;

    @BeforeEach
    void lab() throws IOException
    {
        ns = Netns.create("vbgw-frrd");
        base = Files.createTempDirectory("vbgw-frrd");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void cleanUp() throws IOException
    {
        ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().orElse("").contains(base.toString()))
            .forEach(ProcessHandle::destroyForcibly);
        ns.close();
        try (var files = Files.walk(base))
        {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private FrrDaemons start(final Path dir)
    {
        return FrrDaemons.start(dir, List.of(new FrrDaemon("zebra", ZEBRA, List.of()), new FrrDaemon("bgpd", BGPD, List.of())),
            FrrDaemons.DEFAULT_BINARIES, List.of("ip", "netns", "exec", ns.name()));
    }

    private List<String> running()
    {
        return ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
            .filter(c -> c.contains(base.toString())).toList();
    }

    @Test
    void runsAsFrrRestartsWhatDiesAndLeavesNothing() throws Exception
    {
        final Path dir = base.resolve("frr");
        try (FrrDaemons frr = start(dir))
        {
            frr.awaitReady(Duration.ofSeconds(15));
            assertEquals("frr", Files.getOwner(dir).getName());
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("bgpd.conf"))));
            assertTrue(frr.vtysh().run("show running-config").contains("bgp router-id 10.255.0.9"));

            final long bgpd = frr.pid("bgpd").orElseThrow();
            Netns.run("kill", "-9", Long.toString(bgpd));
            BgpLab.await("bgpd is restarted", 15_000, () -> frr.restarts("bgpd") == 1 && frr.pid("bgpd").isPresent());
            assertNotEquals(bgpd, frr.pid("bgpd").orElseThrow());
            BgpLab.await("the new bgpd answers", 15_000, () -> Files.exists(dir.resolve("bgpd.vty")) &&
                frr.vtysh().run("show running-config").contains("router bgp 65000"));

            // zebra's clients are restarted with it: a bgpd that outlives zebra never gets its routes back in.
            final long zebra = frr.pid("zebra").orElseThrow();
            final long bgpdBefore = frr.pid("bgpd").orElseThrow();
            Netns.run("kill", "-9", Long.toString(zebra));
            BgpLab.await("zebra and bgpd are restarted", 15_000, () -> frr.restarts("zebra") == 1 && frr.restarts("bgpd") == 2 &&
                frr.pid("zebra").isPresent() && frr.pid("bgpd").isPresent());
            assertFalse(ProcessHandle.of(bgpdBefore).map(ProcessHandle::isAlive).orElse(false));
            assertEquals(2, running().size(), running().toString());
        }
        assertEquals(List.of(), running(), "close() leaves no daemon behind");
    }

    @Test
    void endsWhatAnOwnerThatDiedLeftRunning() throws Exception
    {
        final Path dir = base.resolve("frr");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("zebra.conf"), ZEBRA);
        Netns.run("chown", "-R", "frr:frr", dir.toString());
        // A zebra as an agent killed with SIGKILL leaves it: running, its pid file in the directory.
        ns.exec(FrrDaemons.DEFAULT_BINARIES.resolve("zebra").toString(), "-d", "-f", dir.resolve("zebra.conf").toString(),
            "-i", dir.resolve("zebra.pid").toString(), "-z", dir.resolve("zserv.api").toString(),
            "--vty_socket", dir.toString(), "-A", "127.0.0.1", "-P", "0");
        final long orphan = Long.parseLong(Files.readString(dir.resolve("zebra.pid")).trim());
        assertTrue(ProcessHandle.of(orphan).isPresent());
        try (FrrDaemons frr = start(dir))
        {
            frr.awaitReady(Duration.ofSeconds(15));
            assertFalse(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false), "the orphan is gone");
            assertNotEquals(orphan, frr.pid("zebra").orElseThrow());
        }
        assertEquals(List.of(), running());
    }

    @Test
    void refusesADirectoryFrrCannotReach() throws IOException
    {
        final Path closed = base.resolve("closed");
        Files.createDirectories(closed);
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> start(closed.resolve("frr")));
        assertTrue(ex.getMessage().contains("chmod o+x " + closed), ex.getMessage());
        assertEquals(List.of(), running());
    }
}
