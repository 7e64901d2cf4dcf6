package org.vbgw.agent.lab;

import org.junit.jupiter.api.Test;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.fib.IpPrefix;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabScenarioTest
{
    @Test
    void everyScenarioIsAValidGatewayConfigWithTwoPathsToTheIdc()
    {
        for (final LabScenario s : LabScenario.values())
        {
            final ConfigCheck check = s.check();
            assertTrue(check.ok(), s.id() + ": " + check.errors());
            final List<LabState.LabPath> paths = s.paths(check, s.customerBird(check));
            assertEquals(2, paths.size(), s.id());
            assertEquals(List.of(1, 2), paths.stream().map(LabState.LabPath::connection).toList(), s.id());
            final IpPrefix vpc = LabScenario.vpcCidr(check.config());
            final IpPrefix idc = LabScenario.idcSubnet(check.config());
            assertFalse(vpc.overlaps(idc), s.id() + ": VPC and IDC overlap");
        }
    }

    @Test
    void activeActivePathsAreTaggedBgpVifsOnTwoConnections()
    {
        final ConfigCheck check = LabScenario.ACTIVE_ACTIVE.check();
        final String bird = LabScenario.ACTIVE_ACTIVE.customerBird(check);
        final List<LabState.LabPath> paths = LabScenario.ACTIVE_ACTIVE.paths(check, bird);
        assertEquals(new LabState.LabPath("vbr1", "direct", 1, "eth1", "gw1", "br1", 101, "10.0.0.1", "10.0.0.2",
            "eth1.101", "vbgw_vbr14"), paths.get(0));
        assertEquals(new LabState.LabPath("vbr2", "direct", 2, "eth2", "gw2", "br2", 102, "10.0.0.5", "10.0.0.6",
            "eth2.102", "vbgw_vbr24"), paths.get(1));
        // The customer router is what client-config renders: the VLAN devices, the MD5 keys, BFD on both.
        assertTrue(bird.contains("ip link add link eth1 name eth1.101 type vlan id 101"), bird);
        assertTrue(bird.contains("password \"lab-key-vbr2\";"), bird);
        assertTrue(bird.contains("interface \"eth2.102\""), bird);
        assertEquals("192.168.0.10", LabScenario.host(LabScenario.vpcCidr(check.config()), 10));
        assertEquals("172.16.0.1", LabScenario.host(LabScenario.idcSubnet(check.config()), 1));
    }

    @Test
    void theVpnPathIsAnUntaggedVifWithoutBgp()
    {
        final ConfigCheck check = LabScenario.DIRECT_VPN_BACKUP.check();
        final List<LabState.LabPath> paths = LabScenario.DIRECT_VPN_BACKUP.paths(check,
            LabScenario.DIRECT_VPN_BACKUP.customerBird(check));
        assertEquals("direct", paths.get(0).kind());
        assertEquals("vbgw_vif_direct4", paths.get(0).birdProtocol());
        final LabState.LabPath vpn = paths.get(1);
        assertEquals("vif-vpn", vpn.vif());
        assertEquals("vpn", vpn.kind());
        assertEquals(0, vpn.vlan());
        assertEquals("eth2", vpn.customerInterface());
        assertNull(vpn.birdProtocol());
    }

    @Test
    void unknownScenariosAreNamedWithTheKnownOnes()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> LabScenario.of("ecmp"));
        assertTrue(ex.getMessage().contains("'ecmp'") && ex.getMessage().contains("active-standby"), ex.getMessage());
        assertEquals(LabScenario.DIRECT_VPN_BACKUP, LabScenario.of("direct-vpn-backup"));
    }

    @Test
    void aBirdConfigWithoutTheVifsSessionIsAnError()
    {
        assertThrows(IllegalStateException.class, () -> LabScenario.birdProtocol("protocol device {\n}\n", "vbr1"));
    }
}
