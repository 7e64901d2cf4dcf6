package org.vbgw.agent.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vbgw.agent.config.ConfigFixture.errors;
import static org.vbgw.agent.config.ConfigFixture.with;

/** A VIF's interconnect addresses, eBGP, ECMP weight and health-check addresses. */
class InterconnectRulesTest
{
    private static final String VIF_A_IPV4 = "    ipv4: {local: 10.0.0.1/30, peer: 10.0.0.2/30}";
    private static final String VIF_A_BGP = "    bgp: {peer-asn: 64512}";
    private static final String VIF_B_PROBE = "    health-check: {source-ip: 10.0.0.5, destination-ip: 10.0.0.6}";

    private static List<String> withIpv4(final String local, final String peer)
    {
        return errors(with(VIF_A_IPV4, "    ipv4: {local: " + local + ", peer: " + peer + "}"));
    }

    /** vif-a gets an IPv6 interconnect on line 24; everything after moves down one line. */
    private static List<String> withIpv6(final String local, final String peer)
    {
        return errors(with(VIF_A_BGP, VIF_A_BGP + "\n    ipv6: {local: " + local + ", peer: " + peer + "}"));
    }

    @Test
    void ipv4InterconnectIsASlash30OrSlash31()
    {
        assertEquals(List.of("gw.yaml:22:19: vifs[0].ipv4.local: 10.0.0.1/24 is a /24; an IPv4 interconnect is a /30 or a /31",
                "gw.yaml:22:38: vifs[0].ipv4.peer: 10.0.0.2/24 is a /24; an IPv4 interconnect is a /30 or a /31"),
            withIpv4("10.0.0.1/24", "10.0.0.2/24"));
    }

    @Test
    void slash31HasNoNetworkOrBroadcastAddress()
    {
        // RFC 3021: both addresses of a /31 are hosts; the static next hop 10.0.0.2 moves to .0.
        assertEquals(List.of(), errors(with(with(VIF_A_IPV4, "    ipv4: {local: 10.0.0.1/31, peer: 10.0.0.0/31}"),
            "    next-hops: [10.0.0.2, 10.0.0.6]", "    next-hops: [10.0.0.0, 10.0.0.6]")));
    }

    @Test
    void slash30NetworkAddressIsNotAnEnd()
    {
        assertEquals(List.of("gw.yaml:22:19: vifs[0].ipv4.local: 10.0.0.0 is the network address of 10.0.0.0/30: " +
                "a /30 has two usable addresses, 10.0.0.1 and 10.0.0.2"),
            withIpv4("10.0.0.0/30", "10.0.0.2/30"));
    }

    @Test
    void slash30BroadcastAddressIsNotAnEnd()
    {
        assertEquals(List.of("gw.yaml:22:38: vifs[0].ipv4.peer: 10.0.0.3 is the broadcast address of 10.0.0.0/30: " +
                "a /30 has two usable addresses, 10.0.0.1 and 10.0.0.2"),
            withIpv4("10.0.0.1/30", "10.0.0.3/30"));
    }

    @Test
    void bothEndsInOneSubnet()
    {
        assertEquals(List.of("gw.yaml:22:38: vifs[0].ipv4.peer: peer 10.0.0.9/30 is not in the local subnet 10.0.0.0/30: " +
                "both ends of an interconnect share one subnet"),
            withIpv4("10.0.0.1/30", "10.0.0.9/30"));
    }

    @Test
    void bothEndsWithOneLength()
    {
        assertEquals(List.of("gw.yaml:22:38: vifs[0].ipv4.peer: peer 10.0.0.2/31 and local 10.0.0.1/30 must have the " +
                "same prefix length"),
            withIpv4("10.0.0.1/30", "10.0.0.2/31"));
    }

    @Test
    void endsAreDifferentAddresses()
    {
        assertEquals(List.of("gw.yaml:22:38: vifs[0].ipv4.peer: peer and local are both 10.0.0.1: the two ends need " +
                "different addresses"),
            withIpv4("10.0.0.1/30", "10.0.0.1/30"));
    }

    @Test
    void familyMatchesTheKey()
    {
        assertEquals(List.of("gw.yaml:22:19: vifs[0].ipv4.local: 2001:db8::1/126 is an IPv6 address; ipv4 needs an IPv4 one",
                "gw.yaml:22:42: vifs[0].ipv4.peer: 2001:db8::2/126 is an IPv6 address; ipv4 needs an IPv4 one",
                "gw.yaml:36:17: static-routes[0].next-hops[0].address: next hop 10.0.0.2 is not in any VIF's " +
                    "interconnect subnet: a static next hop must be directly connected"),
            withIpv4("2001:db8::1/126", "2001:db8::2/126"));
    }

    @Test
    void ipv6Slash126LosesItsFirstAndLastAddress()
    {
        assertEquals(List.of("gw.yaml:24:19: vifs[0].ipv6.local: 2001:db8:: is the subnet-router anycast address of " +
                "2001:db8::/126: a /126 has two usable addresses, 2001:db8::1 and 2001:db8::2"),
            withIpv6("2001:db8::/126", "2001:db8::2/126"));
        assertEquals(List.of("gw.yaml:24:42: vifs[0].ipv6.peer: 2001:db8::3 is the all-ones address of 2001:db8::/126: " +
                "a /126 has two usable addresses, 2001:db8::1 and 2001:db8::2"),
            withIpv6("2001:db8::1/126", "2001:db8::3/126"));
    }

    @Test
    void ipv6Slash127AndSlash64()
    {
        // RFC 6164: a /127 has no reserved address.
        assertEquals(List.of(), withIpv6("2001:db8::/127", "2001:db8::1/127"));
        assertEquals(List.of(), withIpv6("2001:db8:1::1/64", "2001:db8:1::ffff/64"));
        assertEquals(List.of("gw.yaml:24:19: vifs[0].ipv6.local: 2001:db8:1:: is the subnet-router anycast address of " +
                "2001:db8:1::/64: use any other address of the /64"),
            withIpv6("2001:db8:1::/64", "2001:db8:1::2/64"));
        assertEquals(List.of("gw.yaml:24:19: vifs[0].ipv6.local: 2001:db8::1/120 is a /120; an IPv6 interconnect is a " +
                "/126, a /127 or a /64", "gw.yaml:24:42: vifs[0].ipv6.peer: 2001:db8::2/120 is a /120; an IPv6 " +
                "interconnect is a /126, a /127 or a /64"),
            withIpv6("2001:db8::1/120", "2001:db8::2/120"));
    }

    @Test
    void aVifNeedsSomeInterconnect()
    {
        assertEquals(List.of("gw.yaml:19:5: vifs[0]: VIF 'vif-a' has no interconnect addresses: give ipv4 (a /30 or /31) " +
                "or ipv6 (a /126, /127 or /64)",
                "gw.yaml:36:17: static-routes[0].next-hops[0].address: next hop 10.0.0.2 is not in any VIF's " +
                    "interconnect subnet: a static next hop must be directly connected"),
            errors(with(VIF_A_IPV4, "    description: no addresses")));
    }

    @Test
    void interconnectSubnetsOfTwoVifsDoNotOverlap()
    {
        // vif-a moves into vif-b's subnet; the static next hops then resolve against the moved subnet.
        assertEquals(List.of("gw.yaml:29:19: vifs[1].ipv4.local: interconnect subnet 10.0.0.4/30 overlaps 10.0.0.4/30 " +
                "of vifs[0].ipv4.local (line 22): each VIF needs its own subnet",
                "gw.yaml:36:17: static-routes[0].next-hops[0].address: next hop 10.0.0.2 is not in any VIF's " +
                    "interconnect subnet: a static next hop must be directly connected",
                "gw.yaml:36:27: static-routes[0].next-hops[1].address: 10.0.0.6 is the gateway's own address on VIF " +
                    "'vif-a'; the next hop is the customer side"),
            withIpv4("10.0.0.6/30", "10.0.0.5/30"));
    }

    @Test
    void peerAsnDiffersFromTheGatewayAsn()
    {
        assertEquals(List.of("gw.yaml:23:21: vifs[0].bgp.peer-asn: peer ASN 65000 is the gateway's own ASN: vbgw speaks " +
                "eBGP only, so the customer router needs a different ASN"),
            errors(with(VIF_A_BGP, "    bgp: {peer-asn: 65000}")));
        assertEquals(List.of("gw.yaml:23:21: vifs[0].bgp.peer-asn: peer ASN 23456 is AS_TRANS (RFC 6793), not an ASN a " +
                "router may use"),
            errors(with(VIF_A_BGP, "    bgp: {peer-asn: 23456}")));
        // Four-byte ASNs are fine.
        assertEquals(List.of(), errors(with(VIF_A_BGP, "    bgp: {peer-asn: 4200000000}")));
    }

    @Test
    void weightOrBandwidthNotBoth()
    {
        assertEquals(List.of("gw.yaml:24:13: vifs[0].weight: give weight or bandwidth-mbps, not both: either one is the " +
                "VIF's ECMP weight"),
            errors(with(VIF_A_BGP, "    bandwidth-mbps: 100\n    weight: 2\n" + VIF_A_BGP)));
    }

    @Test
    void healthCheckSourceIsAnAddressOfTheGateway()
    {
        assertEquals(List.of("gw.yaml:30:31: vifs[1].health-check.source-ip: 10.9.9.9 is not an address of this gateway: " +
                "use the VIF's local interconnect address (10.0.0.5), another VIF's local address or the router id"),
            errors(with(VIF_B_PROBE, "    health-check: {source-ip: 10.9.9.9, destination-ip: 10.0.0.6}")));
        // The router id (a loopback, like seed 003's probe pool) and another VIF's address are the gateway's too.
        assertEquals(List.of(), errors(with(VIF_B_PROBE, "    health-check: {source-ip: 10.255.0.1, destination-ip: 10.0.0.6}")));
        assertEquals(List.of(), errors(with(VIF_B_PROBE, "    health-check: {source-ip: 10.0.0.1, destination-ip: 10.0.0.6}")));
    }

    @Test
    void healthCheckDestinationIsOnTheIdcSideOfItsVif()
    {
        assertEquals(List.of("gw.yaml:30:57: vifs[1].health-check.destination-ip: 10.0.0.2 is not on the IDC side of VIF " +
                "'vif-b': use its peer address (10.0.0.6) or an address in its remote-subnets"),
            errors(with(VIF_B_PROBE, "    health-check: {source-ip: 10.0.0.5, destination-ip: 10.0.0.2}")));
        // An address in the VIF's remote subnets is the IDC side too.
        assertEquals(List.of(), errors(with(VIF_B_PROBE, "    health-check: {source-ip: 10.0.0.5, destination-ip: 172.16.1.1}")));
        assertEquals(List.of("gw.yaml:30:57: vifs[1].health-check.destination-ip: 2001:db8::1 and the source 10.0.0.5 are " +
                "of different address families"),
            errors(with(VIF_B_PROBE, "    health-check: {source-ip: 10.0.0.5, destination-ip: 2001:db8::1}")));
    }
}
