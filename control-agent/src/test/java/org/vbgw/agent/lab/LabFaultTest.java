package org.vbgw.agent.lab;

import org.junit.jupiter.api.Test;
import org.vbgw.agent.config.ConfigCheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabFaultTest
{
    private static final LabState.LabPath VBR2 = new LabState.LabPath("vbr2", "direct", 2, "eth2", "gw2", "br2", 102,
        "10.0.0.5", "10.0.0.6", "eth2.102", "vbgw_vbr24");

    @Test
    void modesAreNamedAsOnTheCommandLine()
    {
        assertEquals(FailureMode.ROUTE_WITHDRAWN, FailureMode.of("route-withdrawn"));
        assertEquals(FailureMode.BFD_SILENCED, FailureMode.of("BFD-SILENCED"));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> FailureMode.of("unplug"));
        assertTrue(ex.getMessage().contains("'unplug'") && ex.getMessage().contains("port-down"), ex.getMessage());
    }

    @Test
    void silencingBfdDropsOnlyBfdOnThatConnectionsBridgePorts()
    {
        final List<String> script = LabFault.addRule(VBR2);
        final String rule = script.get(2);
        assertTrue(rule.contains("iifname { \"gw2\", \"cp2\" }"), rule);
        assertTrue(rule.contains("udp dport { 3784, 4784 }") && rule.contains("drop"), rule);
        assertTrue(rule.contains("comment \"cut vbr2 bfd-silenced\""), rule);
        assertTrue(script.get(1).contains("hook forward"), script.get(1));
    }

    @Test
    void onlyASessionInBirdsErrorBackOffIsRestarted()
    {
        final String header = "BIRD 2.0.12 ready.\nName       Proto      Table      State  Since         Info\n";
        assertTrue(LabFault.idleAfterError(header +
            "vbgw_vbr14 BGP        ---        start  22:00:45.525  Idle          Error: BFD session down\n"));
        assertFalse(LabFault.idleAfterError(header + "vbgw_vbr14 BGP        ---        start  22:00:45.525  Idle\n"));
        assertFalse(LabFault.idleAfterError(header + "vbgw_vbr14 BGP        ---        up     22:13:25.163  Established\n"));
        assertFalse(LabFault.idleAfterError(header + "vbgw_vbr14 BGP        ---        start  22:13:25.163  Active        " +
            "Socket: Connection refused\n"));
    }

    @Test
    void aRestoreFindsItsRuleByComment()
    {
        final String listing = String.join("\n",
            "table bridge vbgwlab {",
            "\tchain forward { # handle 1",
            "\t\ttype filter hook forward priority filter; policy accept;",
            "\t\tiifname { \"gw1\", \"cp1\" } udp dport { 3784, 4784 } counter packets 3 bytes 200 drop comment \"cut vbr1 bfd-silenced\" # handle 4",
            "\t\tiifname { \"gw2\", \"cp2\" } udp dport { 3784, 4784 } counter packets 0 bytes 0 drop comment \"cut vbr2 bfd-silenced\" # handle 7",
            "\t}",
            "}");
        assertEquals("7", LabFault.ruleHandle(listing, LabFault.comment(VBR2)));
        assertEquals("4", LabFault.ruleHandle(listing, "cut vbr1 bfd-silenced"));
        assertNull(LabFault.ruleHandle(listing, "cut vbr3 bfd-silenced"));
    }

    @Test
    void withdrawingTouchesOnlyTheNamedSessionsExportAndBirdParsesTheResult() throws Exception
    {
        final ConfigCheck check = LabScenario.ACTIVE_ACTIVE.check();
        final String bird = LabScenario.ACTIVE_ACTIVE.customerBird(check);
        final String cut = LabFault.withdrawing(bird, List.of("vbgw_vbr24"));
        final String vbr2 = cut.substring(cut.indexOf("protocol bgp vbgw_vbr24"));
        final String vbr1 = cut.substring(cut.indexOf("protocol bgp vbgw_vbr14"), cut.indexOf("protocol bgp vbgw_vbr24"));
        assertTrue(vbr2.contains("export none;") && !vbr2.contains("export filter"), vbr2);
        assertTrue(vbr1.contains("export filter vbgw_vbr14_export;"), vbr1);
        // The filter definitions stay (BIRD would reject a config that names a missing one; none is missing here).
        assertTrue(cut.contains("filter vbgw_vbr24_export {"), cut);
        assertEquals(bird, LabFault.withdrawing(bird, List.of()));
        assertFalse(LabFault.withdrawing(bird, List.of("vbgw_vbr14", "vbgw_vbr24")).contains("export filter vbgw_vbr"));

        // The real BIRD parses it (-p: parse only).
        final Path file = Files.createTempFile("cut-bird", ".conf");
        try
        {
            Files.writeString(file, cut);
            final Process p = new ProcessBuilder("bird", "-p", "-c", file.toString()).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), out);
        }
        finally
        {
            Files.delete(file);
        }
    }
}
