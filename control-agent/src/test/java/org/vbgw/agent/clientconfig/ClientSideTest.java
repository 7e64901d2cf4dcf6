package org.vbgw.agent.clientconfig;

import org.junit.jupiter.api.Test;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.fib.IpPrefix;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway config seen from the customer's side: who is whose neighbour, what is backup, what is refused. */
class ClientSideTest
{
    private static ConfigCheck example(final String name) throws Exception
    {
        return ConfigCheck.of(ClientConfigCases.EXAMPLES.resolve(name));
    }

    @Test
    void theSidesSwap() throws Exception
    {
        final ClientSide side = ClientSide.of(example("active-standby.yaml"), List.of("vif-biere"), List.of("eth1"));
        assertEquals(65000, side.gatewayAsn());
        assertEquals(64512L, side.localAsn(), "the customer's ASN is the VIF's peer-asn");
        final ClientSide.Link link = side.links().get(0);
        assertEquals(IpPrefix.parse("10.0.0.2"), link.ipv4().customer(), "the customer is the VIF's peer");
        assertEquals(IpPrefix.parse("10.0.0.1"), link.ipv4().gateway(), "the neighbour is the gateway's local address");
        assertEquals(30, link.vlan());
        assertEquals(List.of(IpPrefix.parse("172.16.0.0/16"), IpPrefix.parse("172.17.0.0/16")), link.announce());
        assertEquals(List.of(IpPrefix.parse("192.168.0.0/16")), side.vpcPrefixes());
        assertEquals(IpPrefix.parse("10.0.0.2"), side.routerId());
    }

    @Test
    void backupPathsPrependByAsPathPrependOrOnceByLowerLocalPref() throws Exception
    {
        final ClientSide as = ClientSide.of(example("active-standby.yaml"), List.of("vif-biere", "vif-magdeburg"),
            List.of("eth1", "eth2"));
        assertEquals(0, as.links().get(0).prepend(), "the primary (local-pref 200)");
        assertEquals(2, as.links().get(1).prepend(), "as-path-prepend: 2");
        final ClientSide q = ClientSide.of(ConfigCheck.of(ClientConfigCases.RESOURCES.resolve("qinq-dual-stack.yaml")),
            List.of("primary", "qinq_backup"), List.of("eth1"));
        assertEquals(0, q.links().get(0).prepend());
        assertEquals(1, q.links().get(1).prepend(), "default local-pref 100 < the primary's 300");
        assertEquals(7, q.links().get(1).innerVlan());
    }

    @Test
    void staticVifsHaveNoAsnAndNeedAReturnRouteForAForeignProbeSource() throws Exception
    {
        final ClientSide side = ClientSide.of(example("active-active-health-check.yaml"), List.of("vbr1"), List.of("eth1"));
        assertNull(side.localAsn());
        assertEquals(List.of(IpPrefix.parse("100.96.0.1")), side.links().get(0).returnRoutes());
        final ClientSide own = ClientSide.of(ConfigCheck.of("t.yaml", """
            gateway: {name: gw}
            ports: [{name: p, interface: eth1}, {name: v, interface: eth3}]
            vpc-attachments: [{name: vpc, port: v, vpc-cidrs: [192.168.0.0/16]}]
            vifs:
              - name: a
                port: p
                vlan: 0
                ipv4: {local: 10.0.0.1/30, peer: 10.0.0.2/30}
                remote-subnets: [172.16.0.0/16]
                health-check: {source-ip: 10.0.0.1, destination-ip: 10.0.0.2}
            """), List.of("a"), List.of("eth1"));
        assertEquals(List.of(), own.links().get(0).returnRoutes(), "a source on the interconnect is connected already");
    }

    @Test
    void whatCannotBeRenderedIsSaidPlainly() throws Exception
    {
        final ConfigCheck as = example("active-standby.yaml");
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> ClientSide.of(as, List.of("vif-bier"), List.of("eth1"))).getMessage()
            .contains("no VIF vif-bier in the config (did you mean vif-biere?)"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> ClientSide.of(as, List.of("vif-biere", "vif-biere"), List.of("eth1"))).getMessage()
            .contains("named twice"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> ClientSide.of(as, List.of("vif-biere", "vif-magdeburg"), List.of("a", "b", "c"))).getMessage()
            .contains("one --interface for all VIFs or one per VIF"));
        final ConfigCheck aa = example("active-active-health-check.yaml");
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> ClientSide.of(aa, List.of("vbr1", "vbr2"), List.of("eth1"))).getMessage()
            .contains("give one --interface per VIF"), "two untagged VIFs cannot share one customer interface");
        final ConfigCheck broken = ConfigCheck.of("bad.yaml", "gateway: {name: gw}\nports: []\n");
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> ClientSide.of(broken, List.of("x"), List.of("eth1"))).getMessage()
            .contains("run vbgw check bad.yaml first"));
        final ClientSide longName = ClientSide.of(as, List.of("vif-biere"), List.of("enp0s31f6-long"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Vendor.BIRD.render(longName)).getMessage()
            .contains("longer than 15 characters"));
    }

    @Test
    void differentPeerAsnsAreTwoRouters() throws Exception
    {
        final ConfigCheck check = ConfigCheck.of("t.yaml", """
            gateway: {name: gw}
            ports: [{name: p, interface: eth1, location: a}, {name: q, interface: eth2, location: b}]
            vifs:
              - {name: a, port: p, vlan: 10, ipv4: {local: 10.0.0.1/30, peer: 10.0.0.2/30}, bgp: {peer-asn: 64512}}
              - {name: b, port: q, vlan: 10, ipv4: {local: 10.0.0.5/30, peer: 10.0.0.6/30}, bgp: {peer-asn: 64513}}
            """);
        assertTrue(check.ok(), check.errors().toString());
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> ClientSide.of(check, List.of("a", "b"), List.of("eth1", "eth2"))).getMessage()
            .contains("different peer ASNs"));
    }
}
