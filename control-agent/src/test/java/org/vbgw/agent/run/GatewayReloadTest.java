package org.vbgw.agent.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.MemoryPort;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vbgw reload} on a whole gateway (MemoryPorts): only what changed is touched; a bad config changes nothing. */
class GatewayReloadTest
{
    static final String EXTRA_VIF = """
          - name: vif-extra
            port: dc-biere
            vlan: 40
            ipv4: {local: 10.0.0.9/30, peer: 10.0.0.10/30}
            remote-subnets: [172.18.0.0/16]
        static-routes:""";

    @TempDir
    Path dir;

    GatewayRuntime runtime(final ConfigCheck check)
    {
        final GatewayRuntime rt = new GatewayRuntime(check.config(), dir.resolve("journal"), (port, worker, workers) ->
            MemoryPort.pair(port.name(), port.name() + "-far", 1 << 16, port.mtuBytes())[0], tap -> null,
            Dataplane.Config.defaults());
        rt.applyJournal();
        return rt;
    }

    static ConfigCheck text(final String text)
    {
        return ConfigCheck.of("gw.yaml", text);
    }

    static String example() throws Exception
    {
        return Files.readString(Path.of("examples", "active-standby.yaml"));
    }

    private static Vif vif(final GatewayRuntime rt, final String name)
    {
        return rt.dataplane().vifs().snapshot().vif(rt.vifId(name));
    }

    @Test
    void aReloadAddingARouteTouchesNothingElseAndTheFibForwardsWithIt() throws Exception
    {
        try (GatewayRuntime rt = runtime(text(example())))
        {
            final Vif biere = vif(rt, "vif-biere");
            final Map<String, Integer> ids = Map.of("vif-biere", rt.vifId("vif-biere"), "vpc-001", rt.vifId("vpc-001"));
            final ConfigReload.Report report = rt.reload(text(example() + RouteAgentTest.EXTRA_ROUTE));
            rt.applyJournal();
            assertEquals(List.of(), report.vifsAdded());
            assertEquals(List.of(), report.vifsChanged());
            assertEquals(2, report.journalEntries(), report.toJson());
            assertSame(biere, vif(rt, "vif-biere"), "an unchanged VIF is not even replaced");
            assertEquals(ids, Map.of("vif-biere", rt.vifId("vif-biere"), "vpc-001", rt.vifId("vpc-001")));
            final Fib fib = rt.dataplane().fib();
            assertNotEquals(Fib.NO_GROUP, fib.routeGroup(IpPrefix.parse("172.30.0.0/24")));
            assertEquals(0, rt.applier().refused(), rt.applier().lastRefusal());

            assertTrue(rt.reload(text(example() + RouteAgentTest.EXTRA_ROUTE)).changedNothing());
        }
    }

    @Test
    void aConfigWithErrorsOrNewPortsIsRefusedWithEveryReasonAndChangesNothing() throws Exception
    {
        try (GatewayRuntime rt = runtime(text(example())))
        {
            final long before = rt.journal().lastIndex();
            final String broken = example().replace("vlan: 30", "vlan: 5000").replace("peer-asn: 64512", "peer-asn: 0") +
                RouteAgentTest.EXTRA_ROUTE;
            final ConfigReload.Refused refused = assertThrows(ConfigReload.Refused.class, () -> rt.reload(text(broken)));
            assertTrue(refused.reasons().size() >= 2, refused.getMessage());
            assertTrue(refused.getMessage().contains("5000"), refused.getMessage());
            final String newPort = example().replace("ports:\n", "ports:\n  - {name: extra, interface: eth9}\n");
            final ConfigReload.Refused port = assertThrows(ConfigReload.Refused.class, () -> rt.reload(text(newPort)));
            assertTrue(port.getMessage().contains("restart"), port.getMessage());
            assertEquals(before, rt.journal().lastIndex());
            assertEquals(Fib.NO_GROUP, rt.dataplane().fib().routeGroup(IpPrefix.parse("172.30.0.0/24")));
        }
    }

    @Test
    void aReloadAddsAndRemovesAVifWithoutRenumberingTheOthers() throws Exception
    {
        final String withVif = example().replace("static-routes:", EXTRA_VIF);
        try (GatewayRuntime rt = runtime(text(example())))
        {
            final Vif vpc = vif(rt, "vpc-001");
            final ConfigReload.Report added = rt.reload(text(withVif));
            rt.applyJournal();
            assertEquals(List.of("vif-extra"), added.vifsAdded());
            assertEquals(List.of(), added.vifsChanged(), "the VPC attachment after it keeps its id");
            assertSame(vpc, vif(rt, "vpc-001"));
            assertEquals(rt.vifId("vif-extra"), rt.dataplane().vifs().snapshot().localIpv4Owner(0x0A000009));
            assertNotEquals(Fib.NO_GROUP, rt.dataplane().fib().routeGroup(IpPrefix.parse("10.0.0.8/30")),
                "its connected subnet");
            assertNotEquals(Fib.NO_GROUP, rt.dataplane().fib().routeGroup(IpPrefix.parse("172.18.0.0/16")),
                "its remote subnet, to its peer");

            final ConfigReload.Report removed = rt.reload(text(example()));
            rt.applyJournal();
            assertEquals(List.of("vif-extra"), removed.vifsRemoved());
            assertEquals(Fib.NO_GROUP, rt.dataplane().fib().routeGroup(IpPrefix.parse("10.0.0.8/30")));
            assertEquals(Fib.NO_GROUP, rt.dataplane().fib().routeGroup(IpPrefix.parse("172.18.0.0/16")));
            assertSame(vpc, vif(rt, "vpc-001"));
            assertEquals(0, rt.applier().refused(), rt.applier().lastRefusal());
        }
        // The ids are kept beside the journal: a restart with the VIF back finds the same ones.
        try (GatewayRuntime again = runtime(text(withVif)))
        {
            assertEquals(0, again.applier().refused(), again.applier().lastRefusal());
        }
    }

    @Test
    void aRestartWithTheSameConfigWritesNoJournalEntry() throws Exception
    {
        final long written;
        try (GatewayRuntime rt = runtime(text(example())))
        {
            rt.addApiRoute(IpPrefix.parse("10.99.0.0/16"), List.of(IpPrefix.parse("10.0.0.2")), 1);
            written = rt.journal().lastIndex();
        }
        try (GatewayRuntime again = runtime(text(example())))
        {
            assertEquals(0, again.lastOutcome().journalEntries());
            assertEquals(written, again.journal().lastIndex());
            assertNotEquals(Fib.NO_GROUP, again.dataplane().fib().routeGroup(IpPrefix.parse("10.99.0.0/16")));
        }
    }
}
