package org.vbgw.agent.run;

import org.junit.jupiter.api.Test;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.config.GatewayConfig;
import org.vbgw.agent.journal.FibWriter;
import org.vbgw.agent.rib.Rib;
import org.vbgw.agent.rib.RibPath;
import org.vbgw.agent.rib.RouteSource;
import org.vbgw.fib.IpPrefix;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The routes a config asks for, as comparable values. */
class ConfigRoutesTest
{
    private static final String CONFIG = String.join("\n",
        "gateway: {name: routes-test}",
        "ports:",
        "  - {name: a, interface: eth1, location: one}",
        "  - {name: b, interface: eth2, location: two}",
        "vifs:",
        "  - name: dx1",
        "    port: a",
        "    vlan: 10",
        "    ipv4: {local: 10.0.0.1/30, peer: 10.0.0.2/30}",
        "    remote-subnets: [172.20.0.0/16]",
        "  - name: dx2",
        "    port: b",
        "    vlan: 11",
        "    ipv4: {local: 10.0.0.5/30, peer: 10.0.0.6/30}",
        "    remote-subnets: [172.20.0.0/16]",
        "");

    private static GatewayConfig config(final String text)
    {
        final ConfigCheck check = ConfigCheck.of("gw.yaml", text);
        assertTrue(check.ok(), check.errors().toString());
        return check.config();
    }

    /** Counts what a RIB writes, and nothing else. */
    private static FibWriter counting(final AtomicInteger writes)
    {
        return (FibWriter)java.lang.reflect.Proxy.newProxyInstance(ConfigRoutesTest.class.getClassLoader(),
            new Class<?>[] {FibWriter.class}, (proxy, method, args) ->
            {
                writes.incrementAndGet();
                return -1L;
            });
    }

    @Test
    void aRemoteSubnetBehindTwoVifsIsOneEcmpRouteAndAnUnchangedConfigTouchesNothing()
    {
        final GatewayConfig config = config(CONFIG);
        final Map<String, Integer> ids = VifIds.assign(config, Map.of());
        final ConfigRoutes routes = ConfigRoutes.of(config, ids);
        final Map<Integer, List<RibPath>> remote =
            routes.routes().get(new ConfigRoutes.Key(RouteSource.STATIC, IpPrefix.parse("172.20.0.0/16")));
        assertEquals(List.of(new RibPath(ids.get("dx1"), IpPrefix.parse("10.0.0.2"), 1),
            new RibPath(ids.get("dx2"), IpPrefix.parse("10.0.0.6"), 1)), remote.get(ConfigRoutes.REMOTE_SUBNET_DISTANCE));

        final AtomicInteger writes = new AtomicInteger();
        final Rib rib = new Rib(counting(writes));
        routes.programInto(rib);
        assertTrue(writes.get() > 0);
        writes.set(0);
        assertEquals(0, ConfigRoutes.of(config(CONFIG), ids).programChangesInto(rib, routes));
        assertEquals(0, writes.get());

        // dx2 moves to another subnet: two prefixes change (172.20/16 becomes dx1's alone, 172.21/16 is new).
        final GatewayConfig fewer = config(CONFIG.replace("    ipv4: {local: 10.0.0.5/30, peer: 10.0.0.6/30}\n" +
            "    remote-subnets: [172.20.0.0/16]", "    ipv4: {local: 10.0.0.5/30, peer: 10.0.0.6/30}\n" +
            "    remote-subnets: [172.21.0.0/16]"));
        assertEquals(2, ConfigRoutes.of(fewer, ids).programChangesInto(rib, routes));
    }
}
