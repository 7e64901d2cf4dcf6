package org.vbgw.agent.run;

import org.vbgw.agent.testing.VbgwCommandLine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vbgw.io.lab.Netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vbgw run} on a config with BFD and a health check on its VIF, BIRD 2 as the customer router: the
 * config starts a BFD session and a probe, the HTTP API shows them, and the next hop of the VIF's remote subnet
 * carries traffic only while no detector holds it down: BIRD killed takes it down; ICMP dropped as well, then
 * BIRD back, keeps it down (the probe still holds it); ICMP back brings it back; the operator's admin down
 * takes it down again.
 * <p>
 * Hosts: the customer router (10.0.0.2/30, BIRD) and a VPC host in namespaces of their own, the gateway in a
 * third, joined by veth pairs; untagged (VLAN 0).
 */
class GatewayLivenessIT
{
    private static final String CONFIG = OneVifGateway.config("liveness-test",
        "    remote-subnets: [172.20.0.0/16]",
        "    bfd: {min-tx-ms: 100, min-rx-ms: 100, multiplier: 3, hold-down-ms: 300,",
        "          auth-type: keyed-sha1, auth-key-id: 3, auth-key: lab-key}",
        "    health-check: {source-ip: 10.0.0.1, destination-ip: 10.0.0.2, interval-ms: 100, count: 3,",
        "                   recover-count: 2, hold-down-ms: 200}");
    private static final String NFT_TABLE = "vbgw_live_it_" + ProcessHandle.current().pid();

    private static Netns idc;
    private static Netns gateway;
    private static Netns vpc;
    private static Path state;
    private static Process vbgw;
    private static Process bird;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void lab() throws IOException
    {
        idc = Netns.create("vbgw-li");
        gateway = Netns.create("vbgw-lg");
        vpc = Netns.create("vbgw-lv");
        gateway.veth("eth1", idc, "h0", 1500);
        gateway.veth("eth2", vpc, "h0", 1500);
        idc.exec("ip", "addr", "add", "10.0.0.2/30", "dev", "h0");
        vpc.exec("ip", "addr", "add", "192.168.0.10/16", "dev", "h0");
        state = Files.createTempDirectory("vbgw-liveness");
        Files.writeString(state.resolve("gw.yaml"), CONFIG);
        Files.writeString(state.resolve("bird.conf"), String.join("\n",
            "router id 10.0.0.2;",
            "protocol device {}",
            "protocol bfd {",
            "  interface \"h0\" { min rx interval 100 ms; min tx interval 100 ms; multiplier 3;",
            "    authentication keyed sha1; password \"lab-key\" { id 3; }; };",
            "  neighbor 10.0.0.1 dev \"h0\" local 10.0.0.2;",
            "}", ""));
    }

    @AfterAll
    static void cleanUp() throws IOException
    {
        for (final Process p : new Process[] {bird, vbgw})
        {
            if (p != null)
            {
                p.destroyForcibly();
            }
        }
        for (final Netns ns : new Netns[] {vpc, gateway, idc})
        {
            if (ns != null)
            {
                ns.close();
            }
        }
        if (state != null)
        {
            try (var files = Files.walk(state))
            {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Process startGateway() throws IOException
    {
        final List<String> command = VbgwCommandLine.inNamespace(gateway.name(), "run",
            state.resolve("gw.yaml").toString(), "--state-dir", state.toString(), "--counters",
            state.resolve("counters.dat").toString(), "--no-taps");
        return new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(state.resolve("vbgw.log").toFile()).start();
    }

    private static Process startBird() throws IOException
    {
        return idc.start("bird", "-f", "-c", state.resolve("bird.conf").toString(), "-s",
            state.resolve("bird.ctl").toString(), "-P", state.resolve("bird.pid").toString());
    }

    private static JsonNode api(final String view)
    {
        try
        {
            return JSON.readTree(gateway.exec("curl", "-s", "--max-time", "5", "http://127.0.0.1:9468/api/" + view));
        }
        catch (final IOException | RuntimeException ex)
        {
            return JSON.createArrayNode();
        }
    }

    /** Whether the remote subnet's next hop carries traffic, as {@code /api/routes} shows it. */
    private static boolean nextHopAlive()
    {
        for (final JsonNode route : api("routes"))
        {
            if (route.path("prefix").asText().equals("172.20.0.0/16"))
            {
                return route.path("nexthops").get(0).path("alive").asBoolean();
            }
        }
        return false;
    }

    private static String bfdState()
    {
        final JsonNode bfd = api("bfd");
        return bfd.size() == 1 ? bfd.get(0).path("state").asText() : "none";
    }

    private static String probeState()
    {
        final JsonNode probes = api("probes");
        return probes.size() == 1 ? probes.get(0).path("state").asText() : "none";
    }

    private static void await(final String what, final long timeoutMs, final BooleanSupplier condition) throws Exception
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean())
        {
            if (System.currentTimeMillis() > deadline)
            {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting until " + what + "; bfd " +
                    api("bfd") + "; probes " + api("probes") + "; events " + api("events") + "; gateway log:\n" +
                    Files.readString(state.resolve("vbgw.log")));
            }
            Thread.sleep(50);
        }
    }

    @Test
    void theConfigsDetectorsDecideTogetherWhetherTheVifsNextHopCarriesTraffic() throws Exception
    {
        bird = startBird();
        vbgw = startGateway();
        await("BFD (keyed SHA1, from the config) is up and the probe answered", 60_000,
            () -> "up".equals(bfdState()) && "up".equals(probeState()) && nextHopAlive());
        final JsonNode session = api("bfd").get(0);
        assertEquals("10.0.0.2", session.path("peer").asText());
        assertEquals(100_000, session.path("txIntervalUs").asLong());
        assertEquals(4, session.path("authType").asInt(), "keyed SHA1");
        assertEquals(300_000, session.path("detectTimeUs").asLong());

        bird.destroyForcibly().waitFor();
        await("BFD takes the next hop down", 5_000, () -> "down".equals(bfdState()) && !nextHopAlive());
        assertEquals("up", probeState(), "the path still answers pings");

        idc.exec("nft", "add", "table", "inet", NFT_TABLE);
        idc.exec("nft", "add", "chain", "inet", NFT_TABLE, "in", "{ type filter hook input priority 0; }");
        idc.exec("nft", "add", "rule", "inet", NFT_TABLE, "in", "icmp", "type", "echo-request", "drop");
        await("the probe fails too", 5_000, () -> "down".equals(probeState()));
        bird = startBird();
        await("BFD comes back", 20_000, () -> "up".equals(bfdState()));
        Thread.sleep(600);
        assertFalse(nextHopAlive(), "BFD is up past its hold-down, but the probe still holds the next hop down");

        idc.exec("nft", "delete", "table", "inet", NFT_TABLE);
        await("the probe recovers and the next hop returns", 10_000, () -> "up".equals(probeState()) && nextHopAlive());

        final String answer = gateway.exec("curl", "-s", "--max-time", "5", "-X", "POST", "-d",
            "{\"vif\":\"dx\",\"down\":true}", "http://127.0.0.1:9468/api/admin");
        assertTrue(answer.contains("\"down\":true"), answer);
        assertFalse(nextHopAlive(), "admin down takes it out at once");
        assertTrue(api("admin").toString().contains("\"name\":\"dx\""), api("admin").toString());
        gateway.exec("curl", "-s", "--max-time", "5", "-X", "POST", "-d", "{\"vif\":\"dx\",\"down\":false}",
            "http://127.0.0.1:9468/api/admin");
        assertTrue(nextHopAlive(), "and admin up puts it back at once");
        final String bad = gateway.exec("curl", "-s", "--max-time", "5", "-X", "POST", "-d", "{\"vif\":\"nope\",\"down\":true}",
            "http://127.0.0.1:9468/api/admin");
        assertTrue(bad.contains("no VIF named nope"), bad);

        final String events = api("events").toString();
        for (final String cause : new String[] {"\"cause\":\"bfd\"", "\"cause\":\"probe\"", "\"cause\":\"admin\""})
        {
            assertTrue(events.contains(cause), cause + " in " + events);
        }
        final String counters = gateway.exec("curl", "-s", "--max-time", "5", "http://127.0.0.1:9468/metrics");
        assertTrue(counters.contains("bfd"), "BFD counters are exported");
    }
}
