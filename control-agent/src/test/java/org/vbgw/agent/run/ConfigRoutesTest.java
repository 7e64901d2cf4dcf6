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

    /** Records the name of each FibWriter call, {@code group} as {@code group backup} when it names a backup. */
    private static FibWriter recording(final List<String> writes)
    {
        return (FibWriter)java.lang.reflect.Proxy.newProxyInstance(ConfigRoutesTest.class.getClassLoader(),
            new Class<?>[] {FibWriter.class}, (proxy, method, args) ->
            {
                writes.add(method.getName().equals("group") && (int)args[4] >= 0 ? "group backup" : method.getName());
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

    @Test
    void behindBgpVifsRemoteSubnetsAreStandbyPathsThatInstallNothingOfTheirOwn()
    {
        final GatewayConfig config = config(CONFIG
            .replace("    remote-subnets: [172.20.0.0/16]\n  - name: dx2",
                "    bgp: {peer-asn: 64512, local-pref: 200}\n    remote-subnets: [172.20.0.0/16]\n  - name: dx2")
            .replace("    ipv4: {local: 10.0.0.5/30, peer: 10.0.0.6/30}\n",
                "    ipv4: {local: 10.0.0.5/30, peer: 10.0.0.6/30}\n    bgp: {peer-asn: 64512, as-path-prepend: 2}\n"));
        final Map<String, Integer> ids = VifIds.assign(config, Map.of());
        final ConfigRoutes routes = ConfigRoutes.of(config, ids);
        final IpPrefix remote = IpPrefix.parse("172.20.0.0/16");
        assertEquals(null, routes.routes().get(new ConfigRoutes.Key(RouteSource.STATIC, remote)),
            "BGP says where these go, not a static route");
        final RibPath dx1 = new RibPath(ids.get("dx1"), IpPrefix.parse("10.0.0.2"), 1);
        final RibPath dx2 = new RibPath(ids.get("dx2"), IpPrefix.parse("10.0.0.6"), 1);
        assertEquals(Map.of(RouteSource.STANDBY.defaultDistance(), List.of(dx1, dx2)),
            routes.routes().get(new ConfigRoutes.Key(RouteSource.STANDBY, remote)));

        final List<String> writes = new java.util.ArrayList<>();
        final Rib rib = new Rib(recording(writes));
        routes.programInto(rib);
        assertEquals(2, rib.installedCount(), "the VIFs' subnets, and no remote subnet before BGP learns one");
        writes.clear();
        rib.add(RouteSource.EBGP, IpPrefix.parse("172.20.1.0/24"), List.of(dx1));
        assertEquals(3, rib.installedCount());
        assertEquals(1, writes.stream().filter(w -> w.equals("route")).count(), "one route, whose group falls back to dx2");
        assertEquals(List.of("group", "group backup"), writes.stream().filter(w -> w.startsWith("group")).toList(),
            "dx2's own group, then dx1's backed up by it: " + writes);
    }
}
