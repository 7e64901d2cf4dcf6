package org.vbgw.agent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.http.ApiServer;
import org.vbgw.agent.http.ReloadApi;
import org.vbgw.agent.run.GatewayRuntime;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.MemoryPort;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `vbgw reload [CONFIG]` through a gateway's HTTP API: a report of what changed, or every error and no change. */
class ReloadCommandTest
{
    @TempDir
    Path dir;

    private static String run(final int expected, final String... args)
    {
        final StringWriter out = new StringWriter();
        final CommandLine cl = Vbgw.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        assertEquals(expected, cl.execute(args), out.toString());
        return out.toString();
    }

    @Test
    void reloadsTheRunningFileOrASentOneAndRefusesABrokenOne() throws Exception
    {
        final Path config = dir.resolve("gw.yaml");
        final String example = Files.readString(Path.of("examples", "active-standby.yaml"));
        Files.writeString(config, example);
        final ConfigCheck check = ConfigCheck.of(config);
        try (GatewayRuntime rt = new GatewayRuntime(check.config(), dir.resolve("journal"),
            (port, w, n) -> MemoryPort.pair(port.name(), port.name() + "-far", 1 << 16, 1500)[0], tap -> null,
            Dataplane.Config.defaults());
             ApiServer api = new ApiServer(new InetSocketAddress("127.0.0.1", 0), rt.dataplane().counters()))
        {
            rt.applyJournal();
            ReloadApi.register(api, config, rt::reload);
            final String addr = "127.0.0.1:" + api.address().getPort();

            assertTrue(run(0, "reload", "--api", addr).contains("0 route prefix(es) changed; 0 journal entries"));

            final Path changed = dir.resolve("new.yaml");
            Files.writeString(changed, example + """
                  - name: lab
                    prefix: 172.30.0.0/24
                    next-hops: [10.0.0.2]
                """);
            final String report = run(0, "reload", changed.toString(), "--api", addr);
            assertTrue(report.contains("1 route prefix(es) changed; 2 journal entries"), report);
            rt.applyJournal();
            assertNotEquals(Fib.NO_GROUP, rt.dataplane().fib().routeGroup(IpPrefix.parse("172.30.0.0/24")));

            final Path broken = dir.resolve("broken.yaml");
            Files.writeString(broken, example.replace("vlan: 31", "vlan: 4095"));
            final long before = rt.journal().lastIndex();
            final String refused = run(1, "reload", broken.toString(), "--api", addr);
            assertTrue(refused.contains("reload refused, nothing changed") && refused.contains("4095"), refused);
            assertEquals(before, rt.journal().lastIndex());
            assertTrue(run(0, "reload", "--json", "--api", addr).contains("\"journal_entries\":2"),
                "the file it runs still lacks the route: reloading it removes the route and its group again");
        }
    }
}
