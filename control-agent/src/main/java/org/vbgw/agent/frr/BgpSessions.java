package org.vbgw.agent.frr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The gateway's BGP sessions as FRR reports them ({@code show bgp neighbors json}), one per VIF and address
 * family: what {@code vbgw show bgp} and {@code /api/bgp} print.
 */
public final class BgpSessions
{
    /** The vtysh command whose answer {@link #parse} reads. */
    public static final String COMMAND = "show bgp neighbors json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One session.
     *
     * @param vif      the VIF (FRR's neighbour description, which {@link FrrConfig} sets to the VIF's name)
     * @param uptimeMs how long it has been Established, 0 when it is not
     * @param received prefixes accepted from the peer (after the inbound policy), all families
     * @param sent     prefixes announced to the peer, all families
     * @param md5      whether the session is TCP-MD5 signed
     * @param lastReset why it last went down, or null
     */
    public record Session(String peer, String vif, long remoteAs, String state, long uptimeMs, long received, long sent,
                          boolean md5, String lastReset)
    {
        public boolean established()
        {
            return "Established".equals(state);
        }
    }

    private BgpSessions()
    {
    }

    /** Asks FRR through {@code vtysh}. */
    public static List<Session> query(final Vtysh vtysh)
    {
        return parse(vtysh.json(COMMAND));
    }

    /** Reads {@code show bgp neighbors json}: an object keyed by neighbour address. */
    public static List<Session> parse(final JsonNode neighbours)
    {
        final List<Session> sessions = new ArrayList<>();
        for (final Iterator<Map.Entry<String, JsonNode>> it = neighbours.fields(); it.hasNext(); )
        {
            final Map.Entry<String, JsonNode> e = it.next();
            final JsonNode n = e.getValue();
            if (!n.isObject() || !n.has("bgpState"))
            {
                continue;
            }
            long received = 0;
            long sent = 0;
            for (final JsonNode af : n.path("addressFamilyInfo"))
            {
                received += af.path("acceptedPrefixCounter").asLong(0);
                sent += af.path("sentPrefixCounter").asLong(0);
            }
            final String state = n.path("bgpState").asText();
            sessions.add(new Session(e.getKey(), n.path("nbrDesc").asText(null), n.path("remoteAs").asLong(),
                state, "Established".equals(state) ? n.path("bgpTimerUpMsec").asLong(0) : 0, received, sent,
                n.path("authenticationEnabled").asInt(0) == 1, n.path("lastResetDueTo").asText(null)));
        }
        return sessions;
    }

    /** The sessions as the JSON array {@code /api/bgp} serves. */
    public static String toJson(final List<Session> sessions)
    {
        final ArrayNode array = JSON.createArrayNode();
        for (final Session s : sessions)
        {
            final ObjectNode o = array.addObject();
            o.put("vif", s.vif());
            o.put("peer", s.peer());
            o.put("remoteAs", s.remoteAs());
            o.put("state", s.state());
            o.put("uptime", uptime(s.uptimeMs()));
            o.put("uptimeMs", s.uptimeMs());
            o.put("received", s.received());
            o.put("sent", s.sent());
            o.put("md5", s.md5());
            o.put("lastReset", s.lastReset());
        }
        return array.toString();
    }

    /** {@code 1d02h03m}, {@code 02:03:04} or {@code never}, as routers print it. */
    static String uptime(final long ms)
    {
        if (ms <= 0)
        {
            return "never";
        }
        final long s = ms / 1000;
        final long days = s / 86_400;
        return days > 0 ? String.format("%dd%02dh%02dm", days, s / 3600 % 24, s / 60 % 60)
            : String.format("%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
