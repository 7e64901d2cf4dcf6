package org.vbgw.agent.frr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * FRR's BGP routes (FRR 8.4's {@code show ip route bgp json}, trimmed) against FIB and RIB views shaped as the
 * gateway's {@code /api/routes}, {@code /api/vifs} and {@code /api/rib} serve them.
 */
class FibCheckTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VIFS = "[{\"id\":0,\"name\":\"dx1\"},{\"id\":1,\"name\":\"dx2\"},{\"id\":2,\"name\":\"vpc-1\"}]";

    private static List<JsonNode> frr() throws IOException
    {
        return List.of(BgpSessionsTest.resource("ip-route-bgp.json"), JSON.readTree("{}"));
    }

    private static List<FibCheck.Difference> compare(final String fib, final String rib) throws IOException
    {
        return FibCheck.compare(frr(), JSON.readTree(fib), JSON.readTree(VIFS), rib == null ? null : JSON.readTree(rib));
    }

    private static String route(final String prefix, final String... viaVif)
    {
        final StringBuilder sb = new StringBuilder("{\"prefix\":\"" + prefix + "\",\"group\":1,\"nexthops\":[");
        for (int i = 0; i < viaVif.length; i += 2)
        {
            sb.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"via\":\"").append(viaVif[i])
                .append("\",\"vif\":").append(viaVif[i + 1]).append(",\"alive\":true}");
        }
        return sb.append("]}").toString();
    }

    @Test
    void agreeingTablesHaveNoDifference() throws IOException
    {
        final String fib = "[" + String.join(",",
            route("172.16.0.0/16", "10.0.0.2", "0", "10.0.0.6", "1"),
            route("172.17.0.0/16", "10.0.0.6", "1", "10.0.0.2", "0"),
            route("172.18.0.0/16", "10.0.0.2", "0"),
            route("192.168.0.0/16", "attached", "2")) + "]";
        final String rib = "[{\"prefix\":\"172.16.0.0/16\",\"source\":\"EBGP\",\"installed\":true}," +
            "{\"prefix\":\"192.168.0.0/16\",\"source\":\"CONNECTED\",\"installed\":true}]";
        assertEquals(List.of(), compare(fib, rib));
    }

    @Test
    void listsMissingDifferingAndStaleRoutes() throws IOException
    {
        final String fib = "[" + String.join(",",
            route("172.16.0.0/16", "10.0.0.2", "0"),
            route("172.18.0.0/16", "10.0.0.2", "0"),
            route("10.99.0.0/16", "10.0.0.6", "1")) + "]";
        final String rib = "[{\"prefix\":\"10.99.0.0/16\",\"source\":\"EBGP\",\"installed\":true}," +
            "{\"prefix\":\"10.98.0.0/16\",\"source\":\"EBGP\",\"installed\":false}," +
            "{\"prefix\":\"172.31.0.0/24\",\"source\":\"STATIC\",\"installed\":true}]";
        assertEquals(List.of(
            new FibCheck.Difference("172.16.0.0/16", FibCheck.Kind.NEXT_HOPS_DIFFER, "10.0.0.2%dx1, 10.0.0.6%dx2", "10.0.0.2%dx1"),
            new FibCheck.Difference("172.17.0.0/16", FibCheck.Kind.MISSING_IN_FIB, "10.0.0.2%dx1, 10.0.0.6%dx2", "-"),
            new FibCheck.Difference("10.99.0.0/16", FibCheck.Kind.ONLY_IN_VBGW, "-", "10.0.0.6%dx2")),
            compare(fib, rib));
    }

    @Test
    void withoutTheRibViewStaleRoutesAreNotJudged() throws IOException
    {
        final String fib = "[" + String.join(",",
            route("172.16.0.0/16", "10.0.0.2", "0", "10.0.0.6", "1"),
            route("172.17.0.0/16", "10.0.0.2", "0", "10.0.0.6", "1"),
            route("172.18.0.0/16", "10.0.0.2", "0"),
            route("10.99.0.0/16", "10.0.0.6", "1")) + "]";
        assertEquals(List.of(), compare(fib, null));
    }
}
