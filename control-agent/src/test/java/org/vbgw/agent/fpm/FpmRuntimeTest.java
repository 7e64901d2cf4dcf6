package org.vbgw.agent.fpm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.http.PrometheusText;
import org.vbgw.agent.run.GatewayRuntime;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.MemoryPort;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GatewayRuntime#startFpm}: zebra's routes through the runtime's own VIF resolution (a gateway on a VIF's
 * interconnect subnet when the ifindex is no TAP of the gateway) into the FIB, and the FPM counters in the
 * counters file that {@code /metrics} renders.
 */
class FpmRuntimeTest
{
    @TempDir
    Path dir;

    @Test
    void zebrasRoutesReachTheFibAndTheCountersReachMetrics() throws Exception
    {
        final ConfigCheck check = ConfigCheck.of(Path.of("examples", "active-standby.yaml"));
        assertTrue(check.ok(), check.errors().toString());
        final List<String> log = new CopyOnWriteArrayList<>();
        try (GatewayRuntime rt = new GatewayRuntime(check.config(), dir.resolve("journal"), (port, worker, workers) ->
            MemoryPort.pair(port.name(), port.name() + "-far", 1 << 16, port.mtuBytes())[0], tap -> null,
            Dataplane.Config.defaults()))
        {
            rt.applyJournal();
            final FpmServer server = rt.startFpm(FpmOptions.defaults(new InetSocketAddress("127.0.0.1", 0)), log::add);
            assertThrows(IllegalStateException.class, () -> rt.startFpm(FpmOptions.defaults(
                new InetSocketAddress("127.0.0.1", 0)), log::add), "one FPM server per gateway");
            final FpmFrameWriter w = new FpmFrameWriter(5);
            try (Socket zebra = new Socket())
            {
                zebra.connect(server.localAddress());
                final OutputStream out = zebra.getOutputStream();
                // ifindex 9999 is no TAP of this gateway: the gateway's subnet decides.
                w.begin().nextHop(1, false, IpPrefix.parse("10.0.0.6"), 9999).end();
                out.write(w.bytes());
                w.begin().route(IpPrefix.parse("198.51.100.0/24"), Netlink.RTPROT_BGP, 1).end();
                out.write(w.bytes());
                final long deadline = System.nanoTime() + 10_000_000_000L;
                while (server.counters().get(FpmCounters.ROUTES_INSTALLED) != 1 && System.nanoTime() < deadline)
                {
                    Thread.sleep(10);
                }
            }
            rt.applyJournal();
            final Fib fib = rt.dataplane().fib();
            final int group = fib.lookupIpv4(IpPrefix.parse("198.51.100.7").ipv4Address());
            assertNotEquals(Fib.NO_GROUP, group);
            assertEquals(rt.vifId("vif-magdeburg"), fib.nextHop(fib.selectNextHop(group, 1)).vifId());

            rt.dataplane().doControlWork();
            Thread.sleep(150); // the control counters are published every 100 ms
            rt.dataplane().doControlWork();
            final String metrics = PrometheusText.render(rt.dataplane().counters());
            assertTrue(metrics.contains("vbgw_fpm_frames_total 2"), metrics);
            assertTrue(metrics.contains("# TYPE vbgw_fpm_routes_installed gauge"), metrics);
            assertTrue(metrics.contains("vbgw_fpm_routes_installed 1"), metrics);
        }
    }

    @Test
    void addressesAndProtocolNamesParse()
    {
        assertEquals(new InetSocketAddress("127.0.0.1", 2620), FpmOptions.parseAddress(""));
        assertEquals(new InetSocketAddress("127.0.0.1", 2621), FpmOptions.parseAddress(":2621"));
        assertEquals(new InetSocketAddress("10.1.1.1", 2620), FpmOptions.parseAddress("10.1.1.1"));
        assertEquals(new InetSocketAddress("::1", 2700), FpmOptions.parseAddress("[::1]:2700"));
        assertThrows(IllegalArgumentException.class, () -> FpmOptions.parseAddress("127.0.0.1:99999"));
        assertEquals(Netlink.RTPROT_ZSTATIC, Netlink.protocolNumber("static"));
        assertThrows(IllegalArgumentException.class, () -> Netlink.protocolNumber("kernel"));
    }
}
