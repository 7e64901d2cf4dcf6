package org.vbgw.agent.lab;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vbgw.io.lab.Netns;
import org.vbgw.io.lab.TrafficReport;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The active-active lab as {@code vbgw lab up} builds it, end to end: BGP Established and BFD up on both VIFs
 * (the customer router runs the BIRD config client-config renders, behind the VLAN shim process), the IDC host
 * answers pings from the VPC host through vbgw, sequenced traffic flows on both VIFs (ECMP), a port-down cut of
 * one connection leaves the traffic on the other only, a restore brings the cut VIF back, and {@code down} leaves
 * no namespace, process or directory behind. Needs root, BIRD, FRR and nftables.
 */
class LabIT
{
    private static final String NAME = "it" + Netns.suffix(6);
    private static LabState state;

    @BeforeAll
    static void up()
    {
        // Should this JVM die before @AfterAll, the lab goes with it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Lab.down(NAME), "lab-it-down"));
        state = Lab.up(LabScenario.ACTIVE_ACTIVE, NAME);
    }

    @AfterAll
    static void down()
    {
        final List<String> removed = Lab.down(NAME);
        assertTrue(removed.stream().anyMatch(r -> r.startsWith("namespace ")), removed.toString());
        assertTrue(Lab.namespacesOf(NAME).isEmpty(), "namespaces left: " + Lab.namespacesOf(NAME));
        assertFalse(Files.exists(LabNames.directory(NAME)), "directory left");
        if (state != null)
        {
            assertTrue(LabProcesses.alive(state.directory().resolve("vbgw.pid")).isEmpty());
        }
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("")
            .contains(LabNames.directory(NAME) + "/")), "a process of the lab still runs");
        assertFalse(Lab.list().contains(NAME));
    }

    @Test
    void trafficUsesBothVifsMovesOffACutPortAndComesBack() throws Exception
    {
        Lab.awaitReady(state, 90_000);
        final LabStatus ready = LabStatus.collect(state);
        assertEquals(List.of("Established", "Established"), ready.bgp().stream().map(LabStatus.Session::state).toList(),
            ready.render());
        assertTrue(ready.bfd().stream().allMatch(LabStatus.Session::up), ready.render());
        assertEquals(List.of("10.0.0.2%vbr1", "10.0.0.6%vbr2"), ready.idcRoutes().get(0).nextHops(), ready.render());
        assertEquals(state, Lab.state(NAME), "lab.json reads back as the state up returned");

        final String ping = Lab.exec(state.namespaces().vpc(), "ping", "-c", "3", "-i", "0.2", "-W", "1",
            state.idcHosts().get(0).ip().split("/")[0]);
        assertTrue(ping.contains(" 0% packet loss"), ping);

        try (LabTraffic traffic = LabTraffic.start(state, 64, 4_000, 120_000_000_000L))
        {
            Thread.sleep(2_000);
            final double[] both = averagePps(traffic, 1_000);
            assertTrue(both[0] > 500 && both[1] > 500, "both VIFs carry traffic: " + both[0] + ", " + both[1]);

            LabFault.cut(state, "vbr1", FailureMode.PORT_DOWN);
            // A gateway too busy to answer in time shows no routes: that is not yet, not a failure.
            Lab.await("the IDC route leaves vbr1", 30_000, () -> LabStatus.collect(state).idcRoutes().stream()
                .anyMatch(r -> r.nextHops().equals(List.of("10.0.0.6%vbr2"))));
            Thread.sleep(500);
            final double[] cut = averagePps(traffic, 1_000);
            assertEquals(0, cut[0], 1.0, "nothing leaves on the cut VIF");
            assertTrue(cut[1] > 3_000, "everything leaves on the other: " + cut[1]);
            final long receivedBefore = traffic.received();
            Thread.sleep(500);
            assertTrue(traffic.received() > receivedBefore + 1_000, "the IDC host still receives");

            LabFault.restore(state, "vbr1", FailureMode.PORT_DOWN);
            Lab.await("traffic on vbr1 again", 60_000, () -> traffic.lastPps()[0] > 500);

            final LabTraffic.Result result = traffic.stop(300);
            final TrafficReport.Flow worst = result.report().flows().stream()
                .max(java.util.Comparator.comparingLong(TrafficReport.Flow::lost)).orElseThrow();
            // Losses at the cut depend on the machine's load, not on correctness: reported, not bounded.
            assertTrue(result.sent() > 10_000 && result.lost() < result.sent(),
                "sent " + result.sent() + ", lost " + result.lost() + "; worst flow " + worst);
            System.out.println("LabIT: sent " + result.sent() + ", lost " + result.lost() + ", worst outage " +
                result.worstOutageNs() / 1e6 + " ms");
            assertTrue(result.ppsSeries().length > 30, "samples every 100 ms");
        }
        assertTrue(LabFault.cuts(state).isEmpty());
    }

    /** Packets per second per VIF averaged over {@code ms} of the gateway's counters. */
    private static double[] averagePps(final LabTraffic traffic, final long ms) throws InterruptedException
    {
        final List<LabTraffic.Sample> before = traffic.samples();
        Thread.sleep(ms);
        final List<LabTraffic.Sample> after = traffic.samples();
        final LabTraffic.Sample a = before.get(before.size() - 1);
        final LabTraffic.Sample b = after.get(after.size() - 1);
        final double seconds = (b.timeNs() - a.timeNs()) / 1e9;
        final double[] pps = new double[a.txPackets().length];
        for (int v = 0; v < pps.length; v++)
        {
            pps[v] = (b.txPackets()[v] - a.txPackets()[v]) / seconds;
        }
        return pps;
    }
}
