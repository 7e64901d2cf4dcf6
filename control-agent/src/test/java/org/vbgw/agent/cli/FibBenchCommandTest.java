package org.vbgw.agent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FibBenchCommandTest
{
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        final CommandLine cl = Vbgw.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Path routes(final String... lines) throws IOException
    {
        return Files.write(dir.resolve("test.routes"), List.of(lines));
    }

    @Test
    void reportsBothFamilies() throws IOException
    {
        final Path file = routes(
            "# a tiny mixed table",
            "10.0.0.0/8 1",
            "10.1.0.0/16 2",
            "192.0.2.0/24 3",
            "2001:db8::/32 4",
            "2001:db8:1::/48 5");

        final int exit = run("fib", "bench", "--routes", file.toString(), "--seconds", "1");

        assertEquals(0, exit, err.toString());
        final List<String> lines = out.toString().lines().toList();
        assertEquals(5, lines.size(), out.toString());
        assertTrue(lines.get(0).startsWith("routes loaded: 3 IPv4, 2 IPv6 from "), lines.get(0));
        assertTrue(lines.get(1).matches("load time: IPv4 [0-9.]+ ms, IPv6 [0-9.]+ ms \\(bulk load\\)"), lines.get(1));
        assertTrue(lines.get(2).startsWith("memory: IPv4 table "), lines.get(2));
        assertTrue(lines.get(2).contains("heap used "), lines.get(2));
        assertTrue(lines.get(3).matches("lookups IPv4: [0-9.]+ M/s \\(1 thread, .*uniform over covered space; .* per CPU-second.*\\)"), lines.get(3));
        assertTrue(lines.get(4).matches("lookups IPv6: [0-9.]+ M/s \\(1 thread, .*uniform over covered space; .* per CPU-second.*\\)"), lines.get(4));
    }

    @Test
    void measuresOnlyTheFamiliesPresent() throws IOException
    {
        final Path file = routes("198.51.100.0/24 7");

        final int exit = run("fib", "bench", "--routes", file.toString(), "--seconds", "1");

        assertEquals(0, exit, err.toString());
        final String text = out.toString();
        assertTrue(text.contains("routes loaded: 1 IPv4, 0 IPv6"), text);
        assertTrue(text.contains("lookups IPv4: "), text);
        assertTrue(!text.contains("lookups IPv6"), text);
    }

    @Test
    void namesTheBadLine() throws IOException
    {
        final Path file = routes("10.0.0.0/8 1", "10.0.0.1/8 2");

        final int exit = run("fib", "bench", "--routes", file.toString(), "--seconds", "1");

        assertEquals(2, exit);
        assertTrue(err.toString().contains("test.routes:2: host bits set"), err.toString());
    }

    @Test
    void rejectsAnEmptyFile() throws IOException
    {
        final Path file = routes("# nothing here");

        assertEquals(1, run("fib", "bench", "--routes", file.toString()));
        assertTrue(err.toString().contains("no routes"), err.toString());
    }
}
