package org.vbgw.dataplane;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vbgw.dataplane.liveness.HealthProbeConfig;
import org.vbgw.dataplane.liveness.HealthProbeView;
import org.vbgw.dataplane.liveness.LivenessEvent;
import org.vbgw.fib.IpPrefix;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vbgw.dataplane.GatewayLab.await;

/**
 * Health probes (seed 003's model) from vbgw's dx1 address 10.0.0.1 to the IDC host 192.168.1.2 behind the
 * customer router 10.0.0.2, answered by the cpe namespace's own kernel. An nftables rule in cpe that drops
 * the echo requests is the silent failure: the link stays up, only the path stops answering. With the cloud's
 * defaults (2 s x 8) the VIF's next hops leave service interval x count after the failure, within one
 * interval; with 100 ms x 3, in under 400 ms. Answers again bring them back after recover-count answers and
 * the hold-down. The topology is {@link GatewayLab}'s.
 */
class HealthProbeIT
{
    private static final long MS = 1_000_000L;
    private static final String NFT_TABLE = "vbgw_probe_it_" + ProcessHandle.current().pid();
    private static GatewayLab lab;

    @BeforeAll
    static void startLab()
    {
        lab = GatewayLab.start();
    }

    @AfterAll
    static void stopLab()
    {
        if (lab != null)
        {
            lab.close();
        }
    }

    @AfterEach
    void clean()
    {
        lab.cpe.exec("sh", "-c", "nft delete table inet " + NFT_TABLE + " 2>/dev/null; true");
        lab.dp.run(() -> lab.dp.removeHealthProbe(GatewayLab.DX1));
    }

    private static long epochNs()
    {
        final Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static HealthProbeView view()
    {
        final List<HealthProbeView> all = lab.dp.call(lab.dp::healthProbes);
        assertEquals(1, all.size());
        return all.get(0);
    }

    private static boolean alive(final int nextHop)
    {
        return lab.dp.call(() -> lab.dp.fib().nextHop(nextHop).alive());
    }

    private static LivenessEvent lastEvent(final String subject, final String to)
    {
        LivenessEvent found = null;
        for (final LivenessEvent e : lab.dp.events())
        {
            if (e.subject().equals(subject) && e.to().equals(to))
            {
                found = e;
            }
        }
        return found;
    }

    /**
     * Runs a probe, breaks the path, and returns the detection time measured from just before and just after
     * the nftables rule went in (the rule takes effect somewhere between).
     */
    private static long[] detect(final long intervalMs, final int count, final long holdDownMs)
    {
        lab.dp.run(() -> lab.dp.addHealthProbe(new HealthProbeConfig(GatewayLab.DX1, IpPrefix.parse("10.0.0.2"),
            IpPrefix.parse("10.0.0.1"), IpPrefix.parse("192.168.1.2"), intervalMs * MS, count, 2, holdDownMs * MS)));
        await("probes are answered", 10_000 + 3 * intervalMs, () -> view().answered() >= 2);
        assertEquals("up", view().state());
        assertTrue(view().lastRttUs() > 0);

        final long before = epochNs();
        lab.cpe.exec("nft", "add", "table", "inet", NFT_TABLE);
        lab.cpe.exec("nft", "add", "chain", "inet", NFT_TABLE, "in", "{ type filter hook input priority 0; }");
        lab.cpe.exec("nft", "add", "rule", "inet", NFT_TABLE, "in", "icmp", "type", "echo-request", "drop");
        final long after = epochNs();
        await("the probe declares dx1 down", 10_000 + 2 * count * intervalMs, () -> "down".equals(view().state()));
        final LivenessEvent down = lastEvent("vif dx1", "down");
        assertTrue(down != null && down.cause().equals("probe"), "events " + lab.dp.events());
        assertFalse(alive(GatewayLab.NH_DX1_V4), "every next hop through the VIF leaves service");
        assertFalse(alive(GatewayLab.NH_DX1_V6));
        assertTrue(alive(GatewayLab.NH_DX2_V4), "the other VIF's stay");
        assertEquals(2, down.nextHops());
        lab.dp.run(() ->
        {
            for (int hash = 0; hash < 256; hash++)
            {
                assertEquals(GatewayLab.NH_DX2_V4, lab.dp.fib().selectNextHop(lab.dp.fib().lookupIpv4(0xC0A80102), hash));
            }
        });
        assertTrue(view().lost() >= count);

        lab.cpe.exec("nft", "delete", "table", "inet", NFT_TABLE);
        await("dx1 is back", 10_000 + 4 * intervalMs + holdDownMs, () -> alive(GatewayLab.NH_DX1_V4));
        final LivenessEvent holding = lastEvent("vif dx1", "up (hold-down)");
        final LivenessEvent restored = lastEvent("vif dx1", "up");
        assertTrue(holding != null && restored != null && restored.timeNs() - holding.timeNs() >= holdDownMs * MS,
            "restored after " + holdDownMs + " ms of hold-down: " + lab.dp.events());
        assertTrue(alive(GatewayLab.NH_DX1_V6));
        return new long[] {down.timeNs() - before, down.timeNs() - after};
    }

    @Test
    void cloudDefaultsDetectAfterIntervalTimesCountWithinOneInterval()
    {
        final long[] d = detect(2000, 8, 1000);
        System.out.printf("probe 2000 ms x 8: down %.0f-%.0f ms after the failure (interval x count = 16000 ms)%n",
            d[1] / 1e6, d[0] / 1e6);
        assertTrue(d[0] > 15_000 * MS && d[1] < 17_000 * MS, "16 s within one interval: " + d[1] / MS + ".." +
            d[0] / MS + " ms");
    }

    @Test
    void a100msTimes3ProbeDetectsInUnder400ms()
    {
        final long[] d = detect(100, 3, 300);
        System.out.printf("probe 100 ms x 3: down %.0f-%.0f ms after the failure%n", d[1] / 1e6, d[0] / 1e6);
        assertTrue(d[1] < 400 * MS, "under 400 ms: " + d[1] / MS + " ms after the rule was in");
        assertTrue(d[0] > 200 * MS, "not before interval x (count - 1): " + d[0] / MS + " ms");
    }

    @Test
    void theGatewayStillAnswersPingsWhileItProbes()
    {
        lab.dp.run(() -> lab.dp.addHealthProbe(new HealthProbeConfig(GatewayLab.DX1, IpPrefix.parse("10.0.0.2"),
            IpPrefix.parse("10.0.0.1"), IpPrefix.parse("192.168.1.2"), 100 * MS, 3, 2, 0)));
        await("probes are answered", 10_000, () -> view().answered() >= 3);
        final long echoBefore = lab.counter("worker * echo_replied");
        lab.cpe.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "-I", "10.0.0.2", "10.0.0.1");
        await("vbgw answered the customer's pings while probing", 2_000,
            () -> lab.counter("worker * echo_replied") >= echoBefore + 3);
        assertEquals("up", view().state());
        await("probe counters are published", 2_000, () -> lab.counter("probe replies") >= 3);
    }
}
