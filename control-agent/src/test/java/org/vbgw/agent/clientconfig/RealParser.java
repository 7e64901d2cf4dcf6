package org.vbgw.agent.clientconfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a routing daemon's own config parser on a rendered config: {@code bird -p -c FILE} (BIRD 2 parses and
 * exits) and {@code vtysh --dryrun -f FILE} (FRR's vtysh checks every line against every daemon's command tree
 * without running daemons; FRR 8.4). The tests need the real binaries (the {@code ./vbgw test} command
 * installs bird2 and frr), so a missing binary fails the test rather than skipping it.
 */
final class RealParser
{
    record Result(int exit, String output)
    {
    }

    private RealParser()
    {
    }

    static Result bird(final Path dir, final String config) throws IOException, InterruptedException
    {
        final Path file = dir.resolve("bird.conf");
        Files.writeString(file, config, StandardCharsets.UTF_8);
        return run(List.of("bird", "-p", "-c", file.toString()));
    }

    static Result frr(final Path dir, final String config) throws IOException, InterruptedException
    {
        final Path file = dir.resolve("frr.conf");
        Files.writeString(file, config, StandardCharsets.UTF_8);
        return run(List.of("vtysh", "--dryrun", "-f", file.toString()));
    }

    private static Result run(final List<String> command) throws IOException, InterruptedException
    {
        final List<String> cmd = new ArrayList<>(command);
        final Process p;
        try
        {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            throw new IOException(cmd.get(0) + " is needed for this test (Debian packages bird2 and frr; " +
                "./vbgw test installs them): " + ex.getMessage(), ex);
        }
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish in 30 s");
        }
        return new Result(p.exitValue(), out);
    }
}
