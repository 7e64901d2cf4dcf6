package org.vbgw.agent.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;
import org.vbgw.fib.NextHop;
import org.vbgw.io.MemoryPort;
import org.vbgw.io.Port;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed example configs become a programmed data plane: VIFs, connected subnets, static and backup paths. */
class GatewayRuntimeTest
{
    @TempDir
    Path dir;

    final Map<String, MemoryPort> far = new HashMap<>();

    GatewayRuntime runtime(final String example) throws Exception
    {
        final ConfigCheck check = ConfigCheck.of(Path.of("examples", example));
        assertTrue(check.ok(), check.errors().toString());
        final GatewayRuntime rt = new GatewayRuntime(check.config(), dir.resolve("journal"), (port, worker, workers) ->
        {
            final MemoryPort[] pair = MemoryPort.pair(port.name(), port.name() + "-far", 1 << 16, port.mtuBytes());
            far.put(port.name(), pair[1]);
            return pair[0];
        }, tap -> null, Dataplane.Config.defaults());
        rt.applyJournal();
        return rt;
    }

    static NextHop via(final Fib fib, final String address, final int flow)
    {
        final IpPrefix a = IpPrefix.parse(address);
        final int group = a.ipv6() ? fib.lookupIpv6(a.hi(), a.lo()) : fib.lookupIpv4(a.ipv4Address());
        assertNotEquals(Fib.NO_GROUP, group, "a route for " + address);
        return fib.nextHop(fib.selectNextHop(group, flow));
    }

    @Test
    void activeStandbyProgramsConnectedVpcAndFloatingStaticRoutes() throws Exception
    {
        try (GatewayRuntime rt = runtime("active-standby.yaml"))
        {
            final Fib fib = rt.dataplane().fib();
            assertEquals(0, rt.applier().refused(), rt.applier().lastRefusal());
            assertEquals(rt.vifId("vif-biere"), via(fib, "10.0.0.2", 0).vifId(), "connected /30");
            assertEquals(0, via(fib, "10.0.0.2", 0).neighbourLo(), "attached");
            assertEquals(rt.vifId("vpc-001"), via(fib, "192.168.44.5", 0).vifId(), "VPC CIDR is connected on the VPC VIF");
            assertTrue(rt.dataplane().vifs().snapshot().localIpv4Owner(0xC0A80001) == rt.vifId("vpc-001"),
                "the gateway answers as the VPC router at 192.168.0.1");

            final NextHop primary = via(fib, "172.31.0.9", 7);
            assertEquals(IpPrefix.parse("10.0.0.2").lo(), primary.neighbourLo());
            // The floating route is pre-programmed as the backup group: killing the primary fails over in the FIB.
            rt.dataplane().fib().setNextHopAlive(primary.id(), false);
            assertEquals(IpPrefix.parse("10.0.0.6").lo(), via(fib, "172.31.0.9", 7).neighbourLo());
        }
    }

    /** Every route with the neighbour addresses its group forwards to, for comparing two FIBs. */
    static Map<String, String> table(final Fib fib)
    {
        final Map<String, String> t = new java.util.TreeMap<>();
        fib.forEachRoute((p, g) ->
        {
            final java.util.TreeSet<String> hops = new java.util.TreeSet<>();
            for (int flow = 0; flow < 256; flow++)
            {
                final NextHop nh = fib.nextHop(fib.selectNextHop(g, flow * 0x9E3779B1));
                hops.add(IpPrefix.format(nh.ipv6(), nh.neighbourHi(), nh.neighbourLo()) + "%" + nh.vifId());
            }
            t.put(p.toString(), hops.toString());
        });
        return t;
    }

    @Test
    void aRestartedAgentReplaysItsJournalIntoTheSameTable() throws Exception
    {
        final Map<String, String> before;
        try (GatewayRuntime rt = runtime("active-standby.yaml"))
        {
            before = table(rt.dataplane().fib());
        }
        try (GatewayRuntime again = runtime("active-standby.yaml"))
        {
            assertEquals(before, table(again.dataplane().fib()));
            assertEquals(0, again.applier().refused(), again.applier().lastRefusal());
        }
    }
}
