package org.vbgw.agent.frr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * FRR's shell, {@code vtysh --vty_socket DIR -c COMMAND}, for the daemons whose vty sockets are in {@code DIR}
 * (see {@link FrrDaemons}). Show commands ending in {@code json} are parsed with Jackson.
 * <p>
 * Any thread; each call runs one vtysh process (tens of milliseconds: for operators and checks, not per route).
 */
public final class Vtysh
{
    /** A vtysh that hangs (a daemon stuck) must not hang the HTTP API. */
    static final long TIMEOUT_MS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socketDirectory;
    private final List<String> launcher;

    /** vtysh for the daemons with vty sockets in {@code socketDirectory}. */
    public Vtysh(final Path socketDirectory)
    {
        this(socketDirectory, List.of());
    }

    /** As {@link #Vtysh(Path)}, run through {@code launcher} (e.g. {@code ip netns exec NS}). */
    public Vtysh(final Path socketDirectory, final List<String> launcher)
    {
        this.socketDirectory = socketDirectory;
        this.launcher = List.copyOf(launcher);
    }

    public Path socketDirectory()
    {
        return socketDirectory;
    }

    /** Runs the commands in one vtysh session and returns what it printed; throws with it when vtysh fails. */
    public String run(final String... commands)
    {
        if (!Files.isDirectory(socketDirectory))
        {
            throw new IllegalStateException("no FRR runs here: " + socketDirectory + " does not exist " +
                "(is `vbgw run` running with FRR, and --frr-dir the same?)");
        }
        final List<String> command = new ArrayList<>(launcher);
        command.add("vtysh");
        command.add("--vty_socket");
        command.add(socketDirectory.toString());
        for (final String c : commands)
        {
            command.add("-c");
            command.add(c);
        }
        try
        {
            final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            final byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                p.destroyForcibly();
                throw new IllegalStateException("vtysh " + String.join("; ", commands) + ": no answer within " + TIMEOUT_MS + " ms");
            }
            final String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0)
            {
                throw new IllegalStateException("vtysh " + String.join("; ", commands) + " exited " + p.exitValue() +
                    ": " + text.trim());
            }
            return text;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot run vtysh (FRR's shell; Debian: apt-get install frr): " + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running vtysh", ex);
        }
    }

    /** Runs a show command that ends in {@code json} and parses its answer. */
    public JsonNode json(final String command)
    {
        if (!command.endsWith(" json"))
        {
            throw new IllegalArgumentException("not a JSON command: '" + command + "'");
        }
        final String text = run(command);
        try
        {
            return JSON.readTree(text.isBlank() ? "{}" : text);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("vtysh " + command + " did not answer JSON: " + text.trim(), ex);
        }
    }
}
