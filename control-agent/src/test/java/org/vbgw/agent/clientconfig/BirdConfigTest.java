package org.vbgw.agent.clientconfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The BIRD renderings parse in the real BIRD 2 ({@code bird -p}), and say what the gateway config means. */
class BirdConfigTest
{
    @TempDir
    Path dir;

    static java.util.stream.Stream<ClientConfigCases.Case> cases()
    {
        return ClientConfigCases.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void birdParsesEveryRendering(final ClientConfigCases.Case c) throws Exception
    {
        final RealParser.Result r = RealParser.bird(dir, c.render(Vendor.BIRD));
        assertEquals(0, r.exit(), "bird -p rejected " + c + ":\n" + r.output());
    }

    @Test
    void theParserCheckRejectsABrokenConfig() throws Exception
    {
        // The check above is only worth something if bird -p fails on a config BIRD cannot read.
        final String broken = ClientConfigCases.CASES.get(0).render(Vendor.BIRD).replace("hold time 9;", "hold time nine;");
        final RealParser.Result r = RealParser.bird(dir, broken);
        assertNotEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("syntax error"), r.output());
    }

    @Test
    void theStandbyPeersWithTheGatewayAndPrependsItsOwnAsn()
    {
        final String text = ClientConfigCases.CASES.get(1).render(Vendor.BIRD);
        assertTrue(text.contains("local 10.0.0.6 as 64512;"), text);
        assertTrue(text.contains("neighbor 10.0.0.5 as 65000;"), text);
        assertTrue(text.contains("password \"change-me-magdeburg\";"), text);
        assertTrue(text.contains("hold time 9;"), text);
        assertTrue(text.contains("interface \"eth1.31\" {\n        min rx interval 100 ms;\n" +
            "        min tx interval 100 ms;\n        multiplier 3;"), text);
        assertEquals(2, text.split("bgp_path.prepend\\(64512\\);", -1).length - 1, "as-path-prepend: 2");
        assertTrue(text.contains("if net ~ [ 192.168.0.0/16+ ] then accept;"), "imports the VPC only:\n" + text);
        assertTrue(text.contains("#   ip link add link eth1 name eth1.31 type vlan id 31"), text);
    }

    @Test
    void thePrimaryDoesNotPrepend()
    {
        final String text = ClientConfigCases.CASES.get(0).render(Vendor.BIRD);
        assertTrue(text.contains("neighbor 10.0.0.1 as 65000;"), text);
        assertTrue(!text.contains("prepend"), text);
    }

    @Test
    void staticVifsRouteTheVpcOverBothCircuitsAndTheProbeSourceBack()
    {
        final String text = ClientConfigCases.CASES.get(4).render(Vendor.BIRD);
        assertTrue(text.contains("route 192.168.0.0/16 via 10.0.0.1 via 10.0.0.5;"), text);
        assertTrue(text.contains("route 100.96.0.1/32 via 10.0.0.1 via 10.0.0.5;"), text);
        assertTrue(!text.contains("protocol bgp"), text);
    }

    @Test
    void qinqMakesAn8021adOuterDeviceAndAnIpv6Session()
    {
        final String text = ClientConfigCases.CASES.get(6).render(Vendor.BIRD);
        assertTrue(text.contains("#   ip link add link eth1 name eth1.30 type vlan proto 802.1ad id 30\n" +
            "#   ip link add link eth1.30 name eth1.30.7 type vlan id 7"), text);
        assertTrue(text.contains("neighbor 2001:db8::1 as 4200000001;"), text);
        assertTrue(text.contains("local 2001:db8:: as 64512;"), text);
        assertTrue(text.contains("min rx interval 200 ms;\n        min tx interval 50 ms;\n        multiplier 5;"), text);
        // Backup by LOCAL_PREF alone (the other VIF has local-pref 300): one prepend per family.
        assertEquals(2, text.split("bgp_path.prepend\\(64512\\);", -1).length - 1, text);
    }
}
