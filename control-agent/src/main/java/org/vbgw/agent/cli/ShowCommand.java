package org.vbgw.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code vbgw show routes|vifs|neighbors|nexthops|counters|events|bfd|probes|bgp [--json]}: what a running
 * gateway holds, asked through its local HTTP API ({@code vbgw run --http}); a table for people, {@code --json}
 * for scripts.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = "Show a running gateway's routes, VIFs, neighbours, next hops, counters, liveness events, BFD " +
        "sessions, health probes or BGP sessions.")
public final class ShowCommand implements Callable<Integer>
{
    /** Columns of each view: JSON field, header. */
    private static final String[][] ROUTES = {{"prefix", "PREFIX"}, {"group", "GROUP"}, {"nexthops", "NEXT HOPS"},
        {"backup", "BACKUP (when all next hops are dead)"}};
    private static final String[][] VIFS = {{"id", "ID"}, {"name", "NAME"}, {"port", "PORT"}, {"vlan", "VLAN"},
        {"innerVlan", "INNER"}, {"mac", "MAC"}, {"mtu", "MTU"}, {"adminUp", "UP"}, {"addresses", "ADDRESSES"}};
    private static final String[][] NEIGHBORS = {{"vif", "VIF"}, {"address", "ADDRESS"}, {"mac", "MAC"},
        {"state", "STATE"}};
    private static final String[][] BGP = {{"vif", "VIF"}, {"peer", "PEER"}, {"remoteAs", "AS"}, {"state", "STATE"},
        {"uptime", "UP"}, {"received", "RECEIVED"}, {"sent", "SENT"}, {"md5", "MD5"}, {"lastReset", "LAST RESET"}};
    private static final String[][] NEXTHOPS = {{"id", "ID"}, {"vif", "VIF"}, {"via", "VIA"}, {"alive", "ALIVE"}};
    private static final String[][] COUNTERS = {{"id", "ID"}, {"label", "COUNTER"}, {"value", "VALUE"}};
    private static final String[][] EVENTS = {{"timeNs", "TIME NS"}, {"subject", "SUBJECT"}, {"from", "FROM"},
        {"to", "TO"}, {"cause", "CAUSE"}, {"nextHops", "NEXT HOPS"}};
    private static final String[][] BFD = {{"vif", "VIF"}, {"peer", "PEER"}, {"state", "STATE"},
        {"remoteState", "REMOTE"}, {"localDiscriminator", "LOCAL DISCR"}, {"remoteDiscriminator", "REMOTE DISCR"},
        {"txIntervalUs", "TX US"}, {"detectTimeUs", "DETECT US"}, {"upCount", "UPS"}, {"downCount", "DOWNS"},
        {"rxPackets", "RX"}, {"txPackets", "TX"}, {"holdingNextHops", "HOLDING"}, {"lastChangeNs", "LAST CHANGE NS"}};
    private static final String[][] PROBES = {{"vif", "VIF"}, {"source", "SOURCE"}, {"destination", "DESTINATION"},
        {"intervalMs", "INTERVAL MS"}, {"count", "COUNT"}, {"state", "STATE"}, {"sent", "SENT"},
        {"answered", "ANSWERED"}, {"lost", "LOST"}, {"lastRttUs", "RTT US"}, {"holdingNextHops", "HOLDING"}};

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "routes, vifs, neighbors, nexthops, counters, events, bfd, probes or bgp " +
        "(the BGP sessions, from FRR)")
    String what;

    @Option(names = "--json", description = "The API's JSON as it is.")
    boolean json;

    @Option(names = "--api", defaultValue = "127.0.0.1:9468", description = "The gateway's HTTP API (default: ${DEFAULT-VALUE}).")
    String api;

    @Override
    public Integer call() throws Exception
    {
        final String[][] columns = switch (what)
        {
            case "routes" -> ROUTES;
            case "vifs" -> VIFS;
            case "neighbors", "neighbours" -> NEIGHBORS;
            case "events" -> EVENTS;
            case "nexthops" -> NEXTHOPS;
            case "counters" -> COUNTERS;
            case "bfd" -> BFD;
            case "probes" -> PROBES;
            case "bgp" -> BGP;
            default -> throw new IllegalArgumentException("show what? routes, vifs, neighbors, nexthops, counters, " +
                "events, bfd, probes or bgp, not '" + what + "'");
        };
        final String path = "neighbours".equals(what) ? "neighbors" : what;
        final String body = fetch(URI.create("http://" + api + "/api/" + path));
        final PrintWriter out = spec.commandLine().getOut();
        if (json)
        {
            out.println(body);
        }
        else
        {
            final JsonNode rows = new ObjectMapper().readTree(body);
            if (columns == COUNTERS)
            {
                for (final JsonNode row : rows)
                {
                    if (org.vbgw.agent.run.GatewayRuntime.START_TIME_COUNTER.equals(row.path("label").asText()) &&
                        row.path("value").asLong() > 0)
                    {
                        out.println(org.vbgw.agent.run.DataplaneEpoch.since(row.path("value").asLong() * 1000));
                    }
                }
            }
            table(out, rows, columns);
        }
        out.flush();
        return 0;
    }

    /** GETs a gateway API resource; throws with the status and body unless it answers 200. */
    static String fetch(final URI uri) throws IOException, InterruptedException
    {
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        try
        {
            final HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200)
            {
                throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + response.body().trim());
            }
            return response.body();
        }
        catch (final ConnectException ex)
        {
            throw new IllegalStateException("no gateway answers at " + uri.getAuthority() +
                " (is `vbgw run` running, with --http there?)", ex);
        }
    }

    /** Prints rows with columns as wide as their widest cell. */
    static void table(final PrintWriter out, final JsonNode rows, final String[][] columns)
    {
        final List<String[]> cells = new ArrayList<>();
        final String[] header = new String[columns.length];
        for (int c = 0; c < columns.length; c++)
        {
            header[c] = columns[c][1];
        }
        cells.add(header);
        for (final JsonNode row : rows)
        {
            final String[] line = new String[columns.length];
            for (int c = 0; c < columns.length; c++)
            {
                line[c] = cell(row.get(columns[c][0]));
            }
            cells.add(line);
        }
        final int[] width = new int[columns.length];
        for (final String[] line : cells)
        {
            for (int c = 0; c < line.length; c++)
            {
                width[c] = Math.max(width[c], line[c].length());
            }
        }
        for (final String[] line : cells)
        {
            final StringBuilder sb = new StringBuilder();
            for (int c = 0; c < line.length; c++)
            {
                sb.append(c == line.length - 1 ? line[c] : String.format("%-" + (width[c] + 2) + "s", line[c]));
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    private static String cell(final JsonNode node)
    {
        if (node == null || node.isNull())
        {
            return "-";
        }
        if (node.isArray())
        {
            final List<String> parts = new ArrayList<>();
            for (final JsonNode n : node)
            {
                parts.add(n.isObject() ? nextHop(n) : n.asText());
            }
            return String.join(", ", parts);
        }
        return node.asText();
    }

    private static String nextHop(final JsonNode n)
    {
        return n.path("via").asText() + "%vif" + n.path("vif").asText() + (n.path("alive").asBoolean(true) ? "" : " (down)");
    }
}
