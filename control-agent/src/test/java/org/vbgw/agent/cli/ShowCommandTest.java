package org.vbgw.agent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.http.ApiServer;
import org.vbgw.agent.http.GatewayViews;
import org.vbgw.agent.run.GatewayRuntime;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.io.MemoryPort;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `vbgw show` against a gateway's HTTP API: tables for people, the API's JSON with --json. */
class ShowCommandTest
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
    void showsRoutesAndVifsOfARunningGateway() throws Exception
    {
        final ConfigCheck check = ConfigCheck.of(Path.of("examples", "active-standby.yaml"));
        try (GatewayRuntime rt = new GatewayRuntime(check.config(), dir.resolve("journal"),
            (port, w, n) -> MemoryPort.pair(port.name(), port.name() + "-far", 1 << 16, 1500)[0], tap -> null,
            Dataplane.Config.defaults());
             ApiServer api = new ApiServer(new InetSocketAddress("127.0.0.1", 0), rt.dataplane().counters()))
        {
            rt.applyJournal();
            GatewayViews.register(api, rt.dataplane());
            final String addr = "127.0.0.1:" + api.address().getPort();

            final String routes = run(0, "show", "routes", "--api", addr);
            assertTrue(routes.startsWith("PREFIX"), routes);
            assertTrue(routes.contains("10.0.0.0/30") && routes.contains("attached%vif0"), routes);
            // The floating static route behind it is the backup, in its own column.
            assertTrue(routes.lines().anyMatch(l -> l.matches("172\\.31\\.0\\.0/24 +\\d+ +10\\.0\\.0\\.2%vif0 +10\\.0\\.0\\.6%vif1")),
                routes);
            // The BGP VIFs' remote subnets are standby paths only: no route until BGP learns one (none here).
            assertTrue(routes.lines().noneMatch(l -> l.startsWith("172.16.0.0/16")), routes);

            final String vifs = run(0, "show", "vifs", "--api", addr);
            assertTrue(vifs.lines().anyMatch(l -> l.contains("vif-biere") && l.contains("dc-biere") && l.contains(" 30 ")), vifs);

            final String json = run(0, "show", "vifs", "--json", "--api", addr);
            assertTrue(json.trim().startsWith("[{\"id\":0,\"name\":\"vif-biere\""), json);

            final String nextHops = run(0, "show", "nexthops", "--api", addr);
            assertTrue(nextHops.startsWith("ID") && nextHops.lines().anyMatch(l -> l.contains("10.0.0.2") && l.contains("true")),
                nextHops);
            assertTrue(run(0, "show", "nexthops", "--json", "--api", addr).contains("\"via\":\"10.0.0.6\""));
            final String counters = run(0, "show", "counters", "--api", addr);
            assertTrue(counters.startsWith("ID") && counters.contains("vif vif-biere rx_packets"), counters);
            assertTrue(run(0, "show", "counters", "--json", "--api", addr).contains("\"label\":"));

            // An operator route through the API: RIB, journal, FIB.
            GatewayViews.registerRouteChanges(api, rt);
            assertTrue(run(0, "route", "add", "172.20.0.0/16", "10.0.0.2", "10.0.0.6", "--api", addr).contains("added"));
            rt.applyJournal();
            assertTrue(run(0, "show", "routes", "--api", addr).lines()
                .anyMatch(l -> l.startsWith("172.20.0.0/16") && l.contains("10.0.0.2%vif0") && l.contains("10.0.0.6%vif1")));
            assertTrue(run(2, "route", "add", "172.21.0.0/16", "99.9.9.9", "--api", addr).contains("in no VIF's interconnect subnet"));
            assertTrue(run(0, "route", "del", "172.20.0.0/16", "--api", addr).contains("deleted"));
            rt.applyJournal();
            assertTrue(run(0, "show", "routes", "--api", addr).lines().noneMatch(l -> l.startsWith("172.20.0.0/16")));
            assertTrue(run(2, "route", "del", "172.20.0.0/16", "--api", addr).contains("no operator route"));
        }
        assertTrue(run(2, "show", "routes", "--api", "127.0.0.1:1").contains("is `vbgw run` running"));
        assertTrue(run(2, "show", "stuff").contains("show what?"));
    }

    @Test
    void showsBgpSessionsAndTheRibWithTheirSources() throws Exception
    {
        final ConfigCheck check = ConfigCheck.of(Path.of("examples", "active-standby.yaml"));
        try (GatewayRuntime rt = new GatewayRuntime(check.config(), dir.resolve("journal"),
            (port, w, n) -> MemoryPort.pair(port.name(), port.name() + "-far", 1 << 16, 1500)[0], tap -> null,
            Dataplane.Config.defaults());
             ApiServer api = new ApiServer(new InetSocketAddress("127.0.0.1", 0), rt.dataplane().counters()))
        {
            // /api/bgp as vbgw run serves it, from a recorded FRR answer instead of a live vtysh.
            final String sessions = org.vbgw.agent.frr.BgpSessions.toJson(org.vbgw.agent.frr.BgpSessions.parse(
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    ShowCommandTest.class.getResourceAsStream("/org/vbgw/agent/frr/bgp-neighbors.json"))));
            api.json("bgp", () -> sessions);
            GatewayViews.registerRib(api, rt);
            final String addr = "127.0.0.1:" + api.address().getPort();

            final String bgp = run(0, "show", "bgp", "--api", addr);
            assertTrue(bgp.startsWith("VIF"), bgp);
            assertTrue(bgp.lines().anyMatch(l -> l.startsWith("dx1") && l.contains("10.0.0.2") && l.contains("Established") &&
                l.contains("01:02:03") && l.contains("true")), bgp);
            assertTrue(bgp.lines().anyMatch(l -> l.startsWith("dx2") && l.contains("Active") && l.contains("Waiting for peer OPEN")), bgp);

            final String rib = new String(java.net.URI.create("http://" + addr + "/api/rib").toURL().openStream().readAllBytes());
            assertTrue(rib.contains("{\"prefix\":\"172.31.0.0/24\",\"source\":\"STATIC\",\"distance\":1,\"installed\":true," +
                "\"stale\":false,\"paths\":[{\"vif\":0,\"via\":\"10.0.0.2\",\"weight\":1}]}"), rib);
            assertTrue(rib.contains("\"source\":\"STATIC\",\"distance\":200,\"installed\":false"), rib);
        }
    }
}
