package org.vbgw.agent.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vbgw.agent.config.ConfigFixture.BASE;
import static org.vbgw.agent.config.ConfigFixture.errors;
import static org.vbgw.agent.config.ConfigFixture.with;

/** Static routes, their backups, static neighbours, the VPN backup, and that every VIF carries a route. */
class RouteRulesTest
{
    private static final String NEXT_HOPS = "    next-hops: [10.0.0.2, 10.0.0.6]";
    private static final String PREFIX = "    prefix: 172.31.0.0/24";

    private static List<String> withNextHops(final String nextHops)
    {
        return errors(with(NEXT_HOPS, "    next-hops: " + nextHops));
    }

    @Test
    void nextHopIsDirectlyConnected()
    {
        assertEquals(List.of("gw.yaml:36:27: static-routes[0].next-hops[1].address: next hop 10.9.9.9 is not in any VIF's " +
            "interconnect subnet: a static next hop must be directly connected"), withNextHops("[10.0.0.2, 10.9.9.9]"));
    }

    @Test
    void nextHopIsNotTheGatewaysOwnAddress()
    {
        assertEquals(List.of("gw.yaml:36:17: static-routes[0].next-hops[0].address: 10.0.0.1 is the gateway's own address " +
            "on VIF 'vif-a'; the next hop is the customer side"), withNextHops("[10.0.0.1]"));
        assertEquals(List.of("gw.yaml:36:17: static-routes[0].next-hops[0].address: 10.0.0.3 is the broadcast address of " +
            "10.0.0.0/30, not a router"), withNextHops("[10.0.0.3]"));
    }

    @Test
    void nextHopOnANamedVif()
    {
        assertEquals(List.of(), withNextHops("[{address: 10.0.0.2, vif: vif-a, weight: 3}, 10.0.0.6]"));
        assertEquals(List.of("gw.yaml:36:27: static-routes[0].next-hops[0].address: next hop 10.0.0.2 is not in the " +
            "interconnect subnet of VIF 'vif-b' (10.0.0.4/30)"), withNextHops("[{address: 10.0.0.2, vif: vif-b}]"));
        assertEquals(List.of("gw.yaml:36:42: static-routes[0].next-hops[0].vif: no VIF named 'vif-c' (did you mean " +
            "'vif-a'?)"), withNextHops("[{address: 10.0.0.2, vif: vif-c}]"));
    }

    @Test
    void nextHopOfTheRoutesFamily()
    {
        assertEquals(List.of("gw.yaml:36:17: static-routes[0].next-hops[0].address: next hop 2001:db8::1 is IPv6 but the " +
            "prefix 172.31.0.0/24 is IPv4"), withNextHops("[2001:db8::1]"));
    }

    @Test
    void nextHopListedOnce()
    {
        assertEquals(List.of("gw.yaml:36:27: static-routes[0].next-hops[1].address: next hop 10.0.0.2 is listed twice in " +
            "this route"), withNextHops("[10.0.0.2, 10.0.0.2]"));
    }

    @Test
    void atLeastOneNextHop()
    {
        assertEquals(List.of("gw.yaml:36:16: static-routes[0].next-hops: a static route needs at least one next hop"),
            withNextHops("[]"));
    }

    @Test
    void onePrefixAndPreferenceIsOneRoute()
    {
        assertEquals(List.of("gw.yaml:38:13: static-routes[1].prefix: 172.31.0.0/24 with preference 1 is already routed " +
                "by static-routes[0] (line 34): put all next hops in one route for ECMP, or give this one a higher " +
                "preference to make it a floating backup"),
            errors(BASE + "  - name: mgmt-2\n    prefix: 172.31.0.0/24\n    next-hops: [10.0.0.6]\n"));
        // A higher preference makes it a floating static route: fine.
        assertEquals(List.of(),
            errors(BASE + "  - name: mgmt-2\n    prefix: 172.31.0.0/24\n    next-hops: [10.0.0.6]\n    preference: 200\n"));
    }

    @Test
    void routeMustNotCaptureVpcAddresses()
    {
        assertEquals(List.of("gw.yaml:35:13: static-routes[0].prefix: static route 192.168.1.0/24 lies inside VPC CIDR " +
                "192.168.0.0/16 of 'vpc-1' at vpc-attachments[0].vpc-cidrs[0] (line 17): a route toward the IDC must " +
                "not capture VPC addresses"),
            errors(with(PREFIX, "    prefix: 192.168.1.0/24")));
        // A default route covers the VPC but the VPC's own, longer prefixes still win.
        assertEquals(List.of(), errors(with(PREFIX, "    prefix: 0.0.0.0/0")));
    }

    @Test
    void backupMustExist()
    {
        assertEquals(List.of("gw.yaml:36:13: static-routes[0].backup: no static route or VPN backup named 'mgmt-bak'"),
            errors(with(PREFIX, PREFIX + "\n    backup: mgmt-bak")));
        assertEquals(List.of("gw.yaml:36:13: static-routes[0].backup: route 'mgmt' cannot be its own backup"),
            errors(with(PREFIX, PREFIX + "\n    backup: mgmt")));
    }

    @Test
    void backupMustCarryTheRoutesPrefix()
    {
        // 172.16.0.0/13 covers the IDC's 172.16.0.0/16 but not the management 172.31.0.0/24.
        final String vpn = "vpn-backups:\n  - name: vpn\n    tunnel: ipsec0\n    prefixes: [172.16.0.0/13]\n";
        assertEquals(List.of("gw.yaml:36:13: static-routes[0].backup: backup 'vpn' does not carry 172.31.0.0/24: none of " +
                "its prefixes covers it"),
            errors(with(PREFIX, PREFIX + "\n    backup: vpn") + vpn));
        assertEquals(List.of(), errors(with(PREFIX, "    prefix: 172.18.0.0/24\n    backup: vpn") + vpn));
    }

    @Test
    void backupsDoNotLoop()
    {
        final String yaml = with(PREFIX, PREFIX + "\n    backup: mgmt-2") +
            "  - name: mgmt-2\n    prefix: 172.31.0.0/24\n    next-hops: [10.0.0.6]\n    preference: 5\n    backup: mgmt\n";
        assertEquals(List.of("gw.yaml:36:13: static-routes[0].backup: backups loop: mgmt -> mgmt-2 -> mgmt",
                "gw.yaml:42:13: static-routes[1].backup: backups loop: mgmt-2 -> mgmt -> mgmt-2"),
            errors(yaml));
    }

    @Test
    void staticNeighbourOnItsVifsSubnet()
    {
        final String ok = BASE + "static-neighbours:\n  - {vif: vif-a, ip: 10.0.0.2, mac: 02:00:00:00:00:02}\n";
        assertEquals(List.of(), errors(ok));
        assertEquals(List.of("gw.yaml:38:22: static-neighbours[0].ip: 10.0.0.6 is not in the interconnect subnet of VIF " +
                "'vif-a' (10.0.0.0/30)"),
            errors(ok.replace("ip: 10.0.0.2", "ip: 10.0.0.6")));
        assertEquals(List.of("gw.yaml:38:22: static-neighbours[0].ip: 10.0.0.1 is the gateway's own address on VIF " +
                "'vif-a'; the next hop is the customer side"),
            errors(ok.replace("ip: 10.0.0.2", "ip: 10.0.0.1")));
        assertEquals(List.of("gw.yaml:38:11: static-neighbours[0].vif: no VIF named 'vif-x' (did you mean 'vif-a'?)"),
            errors(ok.replace("vif: vif-a", "vif: vif-x")));
        assertEquals(List.of("gw.yaml:39:22: static-neighbours[1].ip: a static neighbour 10.0.0.2 on VIF 'vif-a' is " +
                "already given by static-neighbours[0] (line 38)"),
            errors(ok + "  - {vif: vif-a, ip: 10.0.0.2, mac: 02:00:00:00:00:03}\n"));
    }

    @Test
    void vpnBackupAnnouncesTheAggregate()
    {
        final String vpn = "vpn-backups:\n  - name: vpn\n    tunnel: ipsec0\n    prefixes: [%s]\n";
        assertEquals(List.of(), errors(BASE + vpn.formatted("172.16.0.0/12")));
        assertEquals(List.of("gw.yaml:40:16: vpn-backups[0].prefixes[0]: VPN prefix 172.16.0.0/16 is not less specific " +
                "than the direct 172.16.0.0/16 at vifs[0].remote-subnets[0] (line 25): the VPN must announce the " +
                "aggregate, so that the direct path wins by longest prefix"),
            errors(BASE + vpn.formatted("172.16.0.0/16")));
        assertEquals(List.of("gw.yaml:40:16: vpn-backups[0].prefixes[0]: VPN prefix 172.16.1.0/24 is not less specific " +
                "than the direct 172.16.0.0/16 at vifs[0].remote-subnets[0] (line 25): the VPN must announce the " +
                "aggregate, so that the direct path wins by longest prefix"),
            errors(BASE + vpn.formatted("172.16.1.0/24")));
    }

    @Test
    void vpnPrefixMustNotCaptureVpcAddresses()
    {
        assertEquals(List.of("gw.yaml:40:16: vpn-backups[0].prefixes[0]: VPN prefix 192.168.0.0/17 lies inside VPC CIDR " +
                "192.168.0.0/16 of 'vpc-1' at vpc-attachments[0].vpc-cidrs[0] (line 17): a route toward the IDC must " +
                "not capture VPC addresses"),
            errors(BASE + "vpn-backups:\n  - name: vpn\n    tunnel: ipsec0\n    prefixes: [192.168.0.0/17]\n"));
    }

    @Test
    void vpnBackupEgressesAVifOrATunnel()
    {
        assertEquals(List.of("gw.yaml:38:5: vpn-backups[0]: a VPN backup needs 'vif' (the VIF toward the VPN device) or " +
                "'tunnel' (a Linux tunnel interface)"),
            errors(BASE + "vpn-backups:\n  - name: vpn\n    prefixes: [172.16.0.0/12]\n"));
        assertEquals(List.of("gw.yaml:40:13: vpn-backups[0].tunnel: give 'vif' or 'tunnel', not both: the VPN path " +
                "egresses one of them"),
            errors(BASE + "vpn-backups:\n  - name: vpn\n    vif: vif-b\n    tunnel: ipsec0\n    next-hop: 10.0.0.6\n" +
                "    prefixes: [172.16.0.0/12]\n"));
        assertEquals(List.of("gw.yaml:38:5: vpn-backups[0].next-hop: missing required key 'next-hop'"),
            errors(BASE + "vpn-backups:\n  - name: vpn\n    vif: vif-b\n    prefixes: [172.16.0.0/12]\n"));
        assertEquals(List.of("gw.yaml:40:15: vpn-backups[0].next-hop: next hop 10.0.0.2 is not in the interconnect subnet " +
                "of VIF 'vif-b' (10.0.0.4/30)"),
            errors(BASE + "vpn-backups:\n  - name: vpn\n    vif: vif-b\n    next-hop: 10.0.0.2\n    prefixes: [172.16.0.0/12]\n"));
    }

    @Test
    void everyVifCarriesSomeRoute()
    {
        String yaml = with("    bgp: {peer-asn: 64512}", "    mac: 02:00:00:00:00:01");
        yaml = with(yaml, "    remote-subnets: [172.16.0.0/16]", "    description: idle");
        yaml = with(yaml, NEXT_HOPS, "    next-hops: [10.0.0.6]");
        assertEquals(List.of("gw.yaml:19:5: vifs[0]: VIF 'vif-a' carries no routes: give it bgp, remote-subnets, or a " +
            "static route through it"), errors(yaml));
    }
}
