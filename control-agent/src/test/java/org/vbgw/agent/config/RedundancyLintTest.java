package org.vbgw.agent.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vbgw.agent.config.ConfigFixture.BASE;
import static org.vbgw.agent.config.ConfigFixture.check;
import static org.vbgw.agent.config.ConfigFixture.warnings;
import static org.vbgw.agent.config.ConfigFixture.with;

/** Single points of failure, paths without failure detection, and failover estimates. */
class RedundancyLintTest
{
    private static final String VIF_A_BFD = "    bfd: {min-tx-ms: 100, min-rx-ms: 100, multiplier: 3}";
    private static final String VIF_B_PROBE = "    health-check: {source-ip: 10.0.0.5, destination-ip: 10.0.0.6}";

    @Test
    void twoConnectionsAtTwoLocationsWithDetectionIsClean()
    {
        final ConfigCheck check = check(BASE);
        assertEquals(List.of(), check.diagnostics());
        assertEquals(List.of(new PathReport("vif", "vif-a", "p1", "site-a", "bfd", 300),
                new PathReport("vif", "vif-b", "p2", "site-b", "health-check", 16_000)),
            check.paths());
        assertEquals("300 ms", check.paths().get(0).failoverText());
        assertEquals("16 s", check.paths().get(1).failoverText());
    }

    @Test
    void everyPathThroughOnePortIsASinglePointOfFailure()
    {
        assertEquals(List.of("gw.yaml:9:5: ports[1]: warning: port 'p2' has no VIF and no VPC attachment",
                "gw.yaml:25:22: vifs[0].remote-subnets[0]: warning: single point of failure: every path to 172.16.0.0/16 " +
                    "(vif-a, vif-b) leaves through port 'p1': add a VIF on a second connection at another location",
                "gw.yaml:35:13: static-routes[0].prefix: warning: single point of failure: every path to 172.31.0.0/24 " +
                    "(vif-a, vif-b) leaves through port 'p1': add a VIF on a second connection at another location"),
            warnings(with("    port: p2", "    port: p1")));
    }

    @Test
    void everyPathAtOneLocationIsASinglePointOfFailure()
    {
        assertEquals(List.of("gw.yaml:25:22: vifs[0].remote-subnets[0]: warning: single point of failure: every path to " +
                    "172.16.0.0/16 (vif-a, vif-b) is at location 'site-a' (ports p1, p2): put the second connection at a " +
                    "different location",
                "gw.yaml:35:13: static-routes[0].prefix: warning: single point of failure: every path to 172.31.0.0/24 " +
                    "(vif-a, vif-b) is at location 'site-a' (ports p1, p2): put the second connection at a different location"),
            warnings(with("    location: site-b", "    location: site-a")));
    }

    @Test
    void aPortWithoutLocationIsNamed()
    {
        assertEquals(List.of("gw.yaml:9:5: ports[1]: warning: port 'p2' has no location: cannot tell whether the paths " +
                "through it are at different locations"),
            warnings(with("    location: site-b", "    mtu: 9000")));
    }

    @Test
    void bgpPathWithoutDetectionFailsOverAtTheHoldTime()
    {
        final ConfigCheck check = check(with(VIF_A_BFD, "    description: no bfd"));
        assertEquals(List.of("gw.yaml:19:5: vifs[0]: warning: VIF 'vif-a' has no BFD and no health check: a failure " +
                "that keeps the link up is noticed only when the BGP hold time (90 s) expires"),
            check.warnings().stream().map(Diagnostic::toString).toList());
        assertEquals(new PathReport("vif", "vif-a", "p1", "site-a", "bgp-hold-time", 90_000), check.paths().get(0));
        final ConfigCheck configured = check(with(with(VIF_A_BFD, "    description: no bfd"),
            "    bgp: {peer-asn: 64512}", "    bgp: {peer-asn: 64512, hold-time-s: 9}"));
        assertEquals("9000 ms", configured.paths().get(0).failoverText());
    }

    @Test
    void staticPathWithoutDetectionNeverFailsOver()
    {
        final ConfigCheck check = check(with(VIF_B_PROBE, "    description: no probe"));
        assertEquals(List.of("gw.yaml:26:5: vifs[1]: warning: VIF 'vif-b' has no BFD and no health check: its routes " +
                "never fail over unless port 'p2' loses carrier"),
            check.warnings().stream().map(Diagnostic::toString).toList());
        assertEquals(new PathReport("vif", "vif-b", "p2", "site-b", "none", -1), check.paths().get(1));
        assertEquals("never (no detection)", check.paths().get(1).failoverText());
    }

    @Test
    void withBfdAndAProbeTheFasterOneCounts()
    {
        final ConfigCheck check = check(with(VIF_A_BFD, VIF_A_BFD +
            "\n    health-check: {source-ip: 10.0.0.1, destination-ip: 10.0.0.2, interval-ms: 10, count: 3}"));
        assertEquals(new PathReport("vif", "vif-a", "p1", "site-a", "health-check", 30), check.paths().get(0));
    }

    @Test
    void destinationsLearnedByBgpNeedTwoConnectionsToo()
    {
        // vif-a announces nothing declared; vif-b alone carries 172.16.0.0/16, and vif-a alone the BGP routes.
        assertEquals(List.of("gw.yaml:23:10: vifs[0].bgp: warning: single point of failure: every path to the destinations " +
                    "learned by BGP (vif-a) leaves through port 'p1': add a VIF on a second connection at another location",
                "gw.yaml:32:9: vifs[1].remote-subnets[0]: warning: single point of failure: every path to 172.16.0.0/16 " +
                    "(vif-b) leaves through port 'p2': add a VIF on a second connection at another location"),
            warnings(with("    remote-subnets: [172.16.0.0/16]", "    description: learns by BGP")));
    }

    @Test
    void theVpnIsASecondPathToTheAggregatesItCovers()
    {
        final String oneVif = with("    port: p2", "    port: p1");
        final String vpn = "vpn-backups:\n  - name: vpn\n    tunnel: ipsec0\n    prefixes: [172.16.0.0/12]\n";
        final ConfigCheck check = check(oneVif + vpn);
        // 172.16.0.0/16 and 172.31.0.0/24 now have the VPN as a second way out; only p2 is left unused.
        assertEquals(List.of("gw.yaml:9:5: ports[1]: warning: port 'p2' has no VIF and no VPC attachment"),
            check.warnings().stream().map(Diagnostic::toString).toList());
        assertEquals(new PathReport("vpn", "vpn", "ipsec0", null, "none", -1), check.paths().get(2));
    }
}
