package org.vbgw.agent.clientconfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The FRR renderings pass FRR's own check ({@code vtysh --dryrun -f}), and say what the gateway config means. */
class FrrConfigTest
{
    @TempDir
    Path dir;

    static java.util.stream.Stream<ClientConfigCases.Case> cases()
    {
        return ClientConfigCases.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void vtyshAcceptsEveryRendering(final ClientConfigCases.Case c) throws Exception
    {
        final RealParser.Result r = RealParser.frr(dir, c.render(Vendor.FRR));
        assertEquals(0, r.exit(), "vtysh --dryrun rejected " + c + ":\n" + r.output());
        assertTrue(r.output().isBlank(), r.output());
    }

    @Test
    void theDryRunRejectsAnUnknownCommand() throws Exception
    {
        final String broken = ClientConfigCases.CASES.get(0).render(Vendor.FRR)
            .replace(" neighbor 10.0.0.1 timers 3 9", " neighbor 10.0.0.1 timers three 9");
        final RealParser.Result r = RealParser.frr(dir, broken);
        assertNotEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("Unknown command"), r.output());
    }

    @Test
    void theStandbyPeersWithTheGatewayAndPrependsItsOwnAsn()
    {
        final String text = ClientConfigCases.CASES.get(1).render(Vendor.FRR);
        assertTrue(text.contains("interface eth1.31\n"), text);
        assertTrue(text.contains(" ip address 10.0.0.6/30\n"), text);
        assertTrue(text.contains("router bgp 64512\n"), text);
        assertTrue(text.contains(" neighbor 10.0.0.5 remote-as 65000\n"), text);
        assertTrue(text.contains(" neighbor 10.0.0.5 password change-me-magdeburg\n"), text);
        assertTrue(text.contains(" neighbor 10.0.0.5 timers 3 9\n"), text);
        assertTrue(text.contains(" set as-path prepend 64512 64512\n"), text);
        assertTrue(text.contains(" profile vbgw-vif-magdeburg\n  detect-multiplier 3\n  receive-interval 100\n" +
            "  transmit-interval 100\n"), text);
        assertTrue(text.contains("ip prefix-list VBGW-VPC-IN4 seq 5 permit 192.168.0.0/16 le 32\n"), text);
    }

    @Test
    void aKeyTheCliCannotQuoteIsRefused()
    {
        final ClientSide side = ClientConfigCases.CASES.get(1).side(Vendor.FRR);
        final ClientSide.Link link = side.links().get(0);
        final var bgp = new org.vbgw.agent.config.BgpSession(64512L, "two words", 9, 2, null,
            org.vbgw.agent.config.BgpSession.DEFAULT_MAX_PREFIXES);
        final ClientSide.Link spaced = new ClientSide.Link(link.vifName(), link.description(), link.parentInterface(),
            link.vlan(), link.innerVlan(), link.ipv4(), link.ipv6(), bgp, link.bfd(), link.announce(), link.prepend(),
            link.returnRoutes());
        final ClientSide bad = new ClientSide(side.gatewayName(), side.gatewayAsn(), side.localAsn(), side.routerId(),
            java.util.List.of(spaced), side.vpcPrefixes());
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Vendor.FRR.render(bad));
        assertTrue(ex.getMessage().contains("MD5 key of VIF vif-magdeburg"), ex.getMessage());
    }
}
