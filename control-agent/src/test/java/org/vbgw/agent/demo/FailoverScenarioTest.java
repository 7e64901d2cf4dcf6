package org.vbgw.agent.demo;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's failover run, short, on the in-memory lab: traffic must leave a cut connection, lose nothing on
 * the other, and come back after the hold-down. The silent cut (link up, far end deaf) is the control: no
 * detector of the in-memory gateway sees it, so traffic does not switch and the run must say so.
 */
class FailoverScenarioTest
{
    @Test
    void trafficMovesOffACutConnectionAndComesBack()
    {
        final StringWriter live = new StringWriter();
        final FailoverScenario.Result r;
        try (MemoryLab lab = new MemoryLab(32, 5_000, 300_000_000L))
        {
            r = new FailoverScenario(lab, new PrintWriter(live), 1_000_000_000L, 250_000_000L,
                FailoverScenario.Cut.LINK_DOWN).run();
        }
        assertTrue(r.movedFlows() > 0 && r.movedFlows() < 32, "ECMP spread the flows over both connections: " + r);
        assertTrue(r.switchNs() >= 0, "every flow of the cut connection arrived over the other one: " + r + "\n" + live);
        assertEquals(0, r.survivorLoss(), "flows on the surviving connection lose nothing: " + r);
        assertTrue(r.returnNs() >= 300_000_000L, "the restored connection waits out its hold-down: " + r);
        assertEquals(0, r.lostAtRestore(), "moving back loses nothing: " + r);
        assertEquals(63, r.ttl(), "one routed hop");
        assertTrue(r.switched(), r + "\n" + live);
        assertTrue(live.toString().contains("cutting dx-a"), live.toString());
    }

    @Test
    void aCutNoDetectorSeesIsReportedAsNotSwitched()
    {
        final FailoverScenario.Result r;
        try (MemoryLab lab = new MemoryLab(32, 5_000, 300_000_000L))
        {
            r = new FailoverScenario(lab, new PrintWriter(new StringWriter()), 1_000_000_000L, 250_000_000L,
                FailoverScenario.Cut.SILENT).run();
        }
        assertTrue(r.movedFlows() > 0);
        assertEquals(-1, r.switchNs(), "the flows stayed on the silent connection: " + r);
        assertFalse(r.switched(), r.toString());
    }
}
