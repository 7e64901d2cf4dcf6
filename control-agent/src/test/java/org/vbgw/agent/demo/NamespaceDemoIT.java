package org.vbgw.agent.demo;

import org.junit.jupiter.api.Test;
import org.vbgw.agent.lab.Lab;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vbgw demo}'s root path, short: the active-active lab, traffic, the port-down cut and restore; the demo
 * reports that traffic switched and came back, with a measured outage, and removes its lab. Needs root, BIRD,
 * FRR and nftables.
 */
class NamespaceDemoIT
{
    @Test
    void trafficSwitchesAndReturnsAndTheLabIsGoneAfterwards() throws Exception
    {
        final StringWriter text = new StringWriter();
        final NamespaceDemo.Result r;
        try (PrintWriter out = new PrintWriter(text))
        {
            r = new NamespaceDemo(out, 32, 3_000, 2_000).run();
        }
        final String shown = text.toString();
        assertTrue(r.switched(), shown);
        assertTrue(r.returned(), shown);
        // How many packets a cut costs depends on the machine's load (BFD at 100 ms x 3 flaps on a starved one):
        // the demo reports it, the test checks that traffic flowed, moved and came back.
        assertTrue(r.sent() > 5_000 && r.lost() < r.sent(), shown);
        assertTrue(shown.contains("RESULT: traffic switched paths and came back"), shown);
        assertTrue(shown.matches("(?s).*worst outage of a flow \\d+\\.\\d ms.*"), shown);
        assertTrue(shown.contains("-- cut: vbr1"), shown);
        assertTrue(shown.matches("(?s).*pps  bfd down .*"), "the live view shows BFD down during the cut:\n" + shown);
        assertFalse(Lab.list().stream().anyMatch(n -> n.startsWith("demo-")), "a demo lab is left: " + Lab.list());
    }
}
