package org.vbgw.agent.frr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sessions read from FRR 8.4's {@code show bgp neighbors json} (the fields it prints, trimmed). */
class BgpSessionsTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode resource(final String name) throws IOException
    {
        return JSON.readTree(BgpSessionsTest.class.getResourceAsStream(name));
    }

    @Test
    void readsEachNeighbourAsASession() throws IOException
    {
        final List<BgpSessions.Session> sessions = BgpSessions.parse(resource("bgp-neighbors.json"));
        assertEquals(List.of(
            new BgpSessions.Session("10.0.0.2", "dx1", 64512, "Established", 3_723_000, 2, 1, true, null),
            new BgpSessions.Session("10.0.0.6", "dx2", 64512, "Active", 0, 0, 0, false, "Waiting for peer OPEN")), sessions);
        assertTrue(sessions.get(0).established());
        assertFalse(sessions.get(1).established());
    }

    @Test
    void servesThemAsAJsonArray() throws IOException
    {
        final JsonNode array = JSON.readTree(BgpSessions.toJson(BgpSessions.parse(resource("bgp-neighbors.json"))));
        assertEquals(2, array.size());
        assertEquals("dx1", array.get(0).path("vif").asText());
        assertEquals("01:02:03", array.get(0).path("uptime").asText());
        assertEquals("never", array.get(1).path("uptime").asText());
        assertTrue(array.get(1).path("lastReset").isTextual());
        assertTrue(array.get(0).path("lastReset").isNull());
    }

    @Test
    void uptimeAsRoutersPrintIt()
    {
        assertEquals("never", BgpSessions.uptime(0));
        assertEquals("00:00:59", BgpSessions.uptime(59_999));
        assertEquals("2d03h04m", BgpSessions.uptime((2 * 86_400 + 3 * 3600 + 4 * 60 + 5) * 1000L));
    }

    @Test
    void anEmptyAnswerIsNoSession() throws IOException
    {
        assertEquals(List.of(), BgpSessions.parse(JSON.readTree("{}")));
    }
}
