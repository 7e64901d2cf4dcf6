package org.vbgw.agent.clientconfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Cisco renderings use only documented IOS XE statement forms ({@link CiscoGrammar}) and mean the config. */
class CiscoConfigTest
{
    static java.util.stream.Stream<ClientConfigCases.Case> cases()
    {
        return ClientConfigCases.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyLineIsADocumentedStatement(final ClientConfigCases.Case c)
    {
        final String text = c.render(Vendor.CISCO);
        assertEquals(List.of(), CiscoGrammar.violations(text), text);
    }

    @Test
    void theGrammarCatchesWhatIosWouldRefuse()
    {
        final String good = ClientConfigCases.CASES.get(1).render(Vendor.CISCO);
        assertFalse(CiscoGrammar.violations(good.replace("bfd interval 100", "bfd interval 10")).isEmpty(), "BFD range");
        assertFalse(CiscoGrammar.violations(good.replace(" encapsulation dot1Q 31\n", "")).isEmpty(), "no encapsulation");
        assertFalse(CiscoGrammar.violations(good.replace("255.255.0.0 Null0", "255.0.255.0 Null0")).isEmpty(), "mask");
        assertFalse(CiscoGrammar.violations(good.replace("route-map VBGW-VPC-IN4 permit 10", "route-map OTHER permit 10"))
            .isEmpty(), "undefined route-map");
        assertFalse(CiscoGrammar.violations(good.replace(" neighbor 10.0.0.5 fall-over bfd", " neighbor 10.0.0.5 bfd"))
            .isEmpty(), "unknown neighbor statement");
        assertFalse(CiscoGrammar.violations(good.replace("permit 172.16.0.0/16", "permit 172.16.1.0/16")).isEmpty(),
            "host bits");
    }

    @Test
    void theStandbyIsASubInterfaceWithBfdAndAPrependingRouteMap()
    {
        final String text = ClientConfigCases.CASES.get(1).render(Vendor.CISCO);
        assertTrue(text.contains("interface GigabitEthernet0/0/1.31\n"), text);
        assertTrue(text.contains(" encapsulation dot1Q 31\n ip address 10.0.0.6 255.255.255.252\n" +
            " bfd interval 100 min_rx 100 multiplier 3\n"), text);
        assertTrue(text.contains(" neighbor 10.0.0.5 remote-as 65000\n"), text);
        assertTrue(text.contains(" neighbor 10.0.0.5 fall-over bfd\n"), text);
        assertTrue(text.contains("  network 172.16.0.0 mask 255.255.0.0\n"), text);
        assertTrue(text.contains(" set as-path prepend 64512 64512\n"), text);
    }

    @Test
    void qinqSetsTheOuterTpidOnTheMainInterface()
    {
        final String text = ClientConfigCases.CASES.get(6).render(Vendor.CISCO);
        assertTrue(text.contains("interface GigabitEthernet0/0/1\n dot1q tunneling ethertype 0x88A8\n"), text);
        assertTrue(text.contains(" encapsulation dot1Q 30 second-dot1q 7\n"), text);
        assertTrue(text.contains(" bfd interval 50 min_rx 200 multiplier 5\n"), text);
    }

    @Test
    void bfdTimersBelowWhatIosTakesAreRaisedAndSaidSo()
    {
        final ClientSide side = ClientConfigCases.CASES.get(1).side(Vendor.CISCO);
        final ClientSide.Link l = side.links().get(0);
        final ClientSide.Link fast = new ClientSide.Link(l.vifName(), l.description(), l.parentInterface(), l.vlan(),
            l.innerVlan(), l.ipv4(), l.ipv6(), l.bgp(), new org.vbgw.agent.config.BfdTimers(10, 20, 2), l.announce(),
            l.prepend(), l.returnRoutes());
        final String text = Vendor.CISCO.render(new ClientSide(side.gatewayName(), side.gatewayAsn(), side.localAsn(),
            side.routerId(), List.of(fast), side.vpcPrefixes()));
        assertTrue(text.contains(" ! the VIF asks for 10/20 ms x 2; IOS XE's nearest allowed values:\n" +
            " bfd interval 50 min_rx 50 multiplier 3\n"), text);
        assertEquals(List.of(), CiscoGrammar.violations(text));
    }

    @Test
    void aKeyLongerThanIosTakesIsRefused()
    {
        final ClientSide side = ClientConfigCases.CASES.get(1).side(Vendor.CISCO);
        final ClientSide.Link l = side.links().get(0);
        final ClientSide.Link longKey = new ClientSide.Link(l.vifName(), l.description(), l.parentInterface(), l.vlan(),
            l.innerVlan(), l.ipv4(), l.ipv6(), new org.vbgw.agent.config.BgpSession(64512L, "k".repeat(26), 9, 2, null,
                org.vbgw.agent.config.BgpSession.DEFAULT_MAX_PREFIXES),
            l.bfd(), l.announce(), l.prepend(), l.returnRoutes());
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Vendor.CISCO.render(
            new ClientSide(side.gatewayName(), side.gatewayAsn(), side.localAsn(), side.routerId(), List.of(longKey),
                side.vpcPrefixes())));
        assertTrue(ex.getMessage().contains("at most 25"), ex.getMessage());
    }
}
