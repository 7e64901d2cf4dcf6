package org.vbgw.agent.http;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;
import org.vbgw.dataplane.counters.CounterKind;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scrapes {@code /metrics} over HTTP and parses it with the Prometheus project's own Python client parser
 * (Debian's python3-prometheus-client, which the test command installs), so the exposition is what a real
 * Prometheus accepts, not just what this code thinks it is.
 */
class ApiServerTest
{
    private static final String PARSER = String.join("\n",
        "import sys",
        "from prometheus_client.parser import text_string_to_metric_families",
        "for f in text_string_to_metric_families(sys.stdin.read()):",
        "    for s in f.samples:",
        "        labels = ','.join(k + '=' + v for k, v in sorted(s.labels.items()))",
        "        print(f.type, s.name, labels, int(s.value))");

    @Test
    void metricsParseWithThePrometheusParserAndSumWorkers() throws Exception
    {
        final CountersManager m = new CountersManager(new UnsafeBuffer(new byte[1 << 16]), new UnsafeBuffer(new byte[1 << 14]));
        m.newCounter("worker 0 forwarded", CounterKind.WORKER).set(10);
        m.newCounter("worker 1 forwarded", CounterKind.WORKER).set(5);
        m.newCounter("worker 0 drop_no_route", CounterKind.DROP).set(2);
        m.newCounter("worker 0 malformed ipv4_bad_checksum", CounterKind.DROP).set(1);
        m.newCounter("vif dx1 rx_packets worker 0", CounterKind.VIF).set(7);
        m.newCounter("vif dx1 rx_packets worker 1", CounterKind.VIF).set(8);
        m.newCounter("port eth1 rx_frames", CounterKind.PORT).set(15);
        m.newCounter("nexthop 10.0.0.2%dx1 tx_packets worker 0", CounterKind.NEXT_HOP).set(4);
        m.newCounter("fib routes", CounterKind.WORKER).set(1234);
        m.newCounter("punt arp_answered", CounterKind.PUNT).set(3);
        m.newCounter(org.vbgw.agent.run.GatewayRuntime.START_TIME_COUNTER, CounterKind.WORKER).set(1_795_000_000L);

        try (ApiServer server = new ApiServer(new InetSocketAddress("127.0.0.1", 0), m)
            .json("hello", () -> "{\"ok\":true}"))
        {
            final HttpClient client = HttpClient.newHttpClient();
            final URI base = URI.create("http://127.0.0.1:" + server.address().getPort());
            final HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));

            final String parsed = parse(metrics.body());
            assertTrue(parsed.contains("counter vbgw_frames_total verdict=forwarded 15"), parsed);
            assertTrue(parsed.contains("counter vbgw_frames_total verdict=drop_no_route 2"), parsed);
            assertTrue(parsed.contains("counter vbgw_malformed_frames_total reason=ipv4_bad_checksum 1"), parsed);
            assertTrue(parsed.contains("counter vbgw_vif_rx_packets_total vif=dx1 15"), parsed);
            assertTrue(parsed.contains("counter vbgw_port_rx_frames_total port=eth1 15"), parsed);
            assertTrue(parsed.contains("counter vbgw_nexthop_tx_packets_total nexthop=10.0.0.2%dx1 4"), parsed);
            assertTrue(parsed.contains("gauge vbgw_fib_routes  1234"), parsed);
            assertTrue(parsed.contains("counter vbgw_punt_arp_answered_total  3"), parsed);
            // Prometheus' convention for a restart's counter reset: a gauge of the start time, no _total.
            assertTrue(parsed.contains("gauge vbgw_dataplane_start_time_seconds  1795000000"), parsed);

            final HttpResponse<String> api = client.send(HttpRequest.newBuilder(base.resolve("/api/hello")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"ok\":true}", api.body());
            assertEquals(404, client.send(HttpRequest.newBuilder(base.resolve("/nothing")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    /** Runs the Prometheus parser over the exposition; fails the test with its error when it refuses it. */
    private static String parse(final String exposition) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder("/usr/bin/python3", "-c", PARSER).redirectErrorStream(true).start();
        p.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "the Prometheus parser refused the exposition:\n" + out + "\n---\n" + exposition);
        return out;
    }
}
