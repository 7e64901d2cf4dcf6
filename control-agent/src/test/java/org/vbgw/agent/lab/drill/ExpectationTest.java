package org.vbgw.agent.lab.drill;

import org.vbgw.agent.lab.FailureMode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.config.VifConfig;

class ExpectationTest
{
    private static PathTimers timers(final String example, final String vif) throws Exception
    {
        final ConfigCheck check = ConfigCheck.of(Path.of("examples", example));
        assertTrue(check.ok(), check.errors().toString());
        final VifConfig config = check.config().vif(vif).orElseThrow();
        return PathTimers.of(config);
    }

    @Test
    void timersOfTheActiveStandbyExample() throws Exception
    {
        final PathTimers primary = timers("active-standby.yaml", "vif-biere");
        assertEquals(new PathTimers("vif-biere", 300, 1000, 0, 0, 9000), primary);
        assertEquals("BFD detect 300 ms (hold-down 1000 ms), BGP hold 9 s", primary.describe());
    }

    @Test
    void eachModeHasItsDetector() throws Exception
    {
        final PathTimers primary = timers("active-standby.yaml", "vif-biere");

        final Expectation port = Expectation.of(FailureMode.PORT_DOWN, primary);
        assertEquals("carrier", port.detector());
        assertEquals(Expectation.CARRIER_POLL_MS + Expectation.MARGIN_MS, port.limitMs());

        final Expectation bfd = Expectation.of(FailureMode.BFD_SILENCED, primary);
        assertEquals("BFD", bfd.detector());
        assertEquals(300, bfd.detectMs());
        assertEquals(400, bfd.limitMs());
        assertEquals(300 + 1000 + Expectation.BGP_SETUP_MS, bfd.failbackMs(), "BFD up again, its hold-down, BGP back");
        assertTrue(bfd.derivation().startsWith("BFD detect time 300 ms (minRx x multiplier) on vif-biere"));

        final Expectation bgp = Expectation.of(FailureMode.BGP_DOWN, primary);
        assertEquals("BGP hold timer", bgp.detector());
        assertEquals(9100, bgp.limitMs());

        final Expectation withdrawn = Expectation.of(FailureMode.ROUTE_WITHDRAWN, primary);
        assertEquals(Expectation.WITHDRAW_PROPAGATION_MS + Expectation.MARGIN_MS, withdrawn.limitMs());
    }

    @Test
    void healthChecksDetectASilentPeerWithoutBfd() throws Exception
    {
        final PathTimers vbr1 = timers("active-active-health-check.yaml", "vbr1");
        final Expectation silent = Expectation.of(FailureMode.BFD_SILENCED, vbr1);
        assertEquals("health check", silent.detector());
        assertEquals(16_000, silent.detectMs(), "a probe every 2 s, 8 lost (seed 003)");
        assertEquals(2000 * 3 + 10_000, silent.failbackMs());
    }

    @Test
    void modesNothingCanNoticeAreNotApplicable() throws Exception
    {
        final PathTimers vbr1 = timers("active-active-health-check.yaml", "vbr1");
        final Expectation bgp = Expectation.of(FailureMode.BGP_DOWN, vbr1);
        assertFalse(bgp.applicable());
        assertEquals("no BGP session on vbr1", bgp.derivation());
        assertFalse(Expectation.of(FailureMode.BFD_SILENCED, new PathTimers("bare", 0, 0, 0, 0, 0)).applicable());
    }

    @Test
    void cuttingSeveralPathsWaitsForTheSlowest()
    {
        final PathTimers fast = new PathTimers("a", 150, 1000, 0, 0, 90_000);
        final PathTimers slow = new PathTimers("b", 900, 1000, 0, 0, 90_000);
        assertEquals(1000, Expectation.of(FailureMode.BFD_SILENCED, List.of(fast, slow)).limitMs());
        final PathTimers none = new PathTimers("c", 0, 0, 0, 0, 0);
        assertFalse(Expectation.of(FailureMode.BFD_SILENCED, List.of(fast, none)).applicable());
    }
}
