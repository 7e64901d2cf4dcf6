package org.vbgw.agent.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A lab's state as its parts report it: namespaces present, background processes alive, the gateway's BGP
 * sessions ({@code /api/bgp}, what {@code vbgw show bgp} prints), BFD sessions ({@code /api/bfd}), FIB routes
 * ({@code /api/routes}), per-VIF packet counters ({@code /api/counters}, summed over workers), and the cuts in
 * force. {@link #render()} is {@code vbgw lab status}; Jackson writes it as is for {@code --json}.
 *
 * @param gatewayAnswers whether the gateway's API answered at all
 * @param routes         routes in the gateway's FIB
 */
public record LabStatus(String name, String scenario, Map<String, Boolean> namespaces, List<Daemon> processes,
                        boolean gatewayAnswers, List<Session> bgp, List<Session> bfd, int routes, List<Route> idcRoutes,
                        List<VifCounters> vifs, List<String> cuts)
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A background process of the lab, from its pid file. */
    public record Daemon(String name, long pid, boolean alive)
    {
    }

    /** A BGP or BFD session of the gateway: the VIF, the peer, its state as the gateway reports it. */
    public record Session(String vif, String peer, String state)
    {
        /** Established (BGP) or up (BFD). */
        public boolean up()
        {
            final String s = state.toLowerCase(Locale.ROOT);
            return s.equals("established") || s.equals("up");
        }
    }

    /** A route of the gateway's FIB toward the IDC: prefix and live next hops as {@code ADDRESS%VIF}. */
    public record Route(String prefix, List<String> nextHops)
    {
    }

    /** Packets a VIF received and sent, since the gateway started. */
    public record VifCounters(String vif, long rxPackets, long txPackets)
    {
    }

    /** Asks every part of the lab; parts that do not answer show as absent, never as an exception. */
    public static LabStatus collect(final LabState state)
    {
        final Map<String, Boolean> namespaces = new LinkedHashMap<>();
        final List<String> existing = Lab.allNamespaces();
        for (final String role : LabNames.ROLES)
        {
            namespaces.put(role, existing.contains(LabNames.namespace(state.name(), role)));
        }
        final List<Daemon> processes = new ArrayList<>();
        final Path dir = state.directory();
        for (final String[] d : new String[][] {{"vbgw run", "vbgw.pid"}, {"vlan shim", "shim.pid"},
            {"customer bird", "bird.pid"}, {"gateway zebra", "gw/frr/zebra.pid"}, {"gateway bgpd", "gw/frr/bgpd.pid"}})
        {
            final var pid = LabProcesses.alive(dir.resolve(d[1]));
            if (pid.isPresent() || java.nio.file.Files.exists(dir.resolve(d[1])))
            {
                processes.add(new Daemon(d[0], pid.map(ProcessHandle::pid).orElse(-1L), pid.isPresent()));
            }
        }
        final GatewayApi api = GatewayApi.of(state);
        final JsonNode vifs = api.get("vifs");
        final JsonNode routes = api.get("routes");
        return new LabStatus(state.name(), state.scenario(), namespaces, processes, vifs != null,
            sessions(api.get("bgp")), sessions(api.get("bfd")), routes == null ? 0 : routes.size(),
            idcRoutes(routes, vifs, state), vifCounters(api.get("counters"), state), LabFault.cuts(state));
    }

    /** Sessions from {@code /api/bgp} or {@code /api/bfd}: objects with vif, peer and state. */
    static List<Session> sessions(final JsonNode json)
    {
        final List<Session> sessions = new ArrayList<>();
        if (json != null)
        {
            json.forEach(s -> sessions.add(new Session(s.path("vif").asText(), s.path("peer").asText(),
                s.path("state").asText())));
        }
        return sessions;
    }

    /** The FIB routes whose next hops leave on one of the lab's IDC VIFs, next hops named by VIF. */
    static List<Route> idcRoutes(final JsonNode routes, final JsonNode vifs, final LabState state)
    {
        final List<Route> out = new ArrayList<>();
        if (routes == null || vifs == null)
        {
            return out;
        }
        final Map<Integer, String> names = new TreeMap<>();
        vifs.forEach(v -> names.put(v.path("id").asInt(), v.path("name").asText()));
        final List<String> idcVifs = state.paths().stream().map(LabState.LabPath::vif).toList();
        for (final JsonNode r : routes)
        {
            final List<String> hops = new ArrayList<>();
            boolean toIdc = false;
            for (final JsonNode nh : r.path("nexthops"))
            {
                final String vif = names.getOrDefault(nh.path("vif").asInt(), "?");
                toIdc |= idcVifs.contains(vif);
                if (nh.path("alive").asBoolean(true))
                {
                    hops.add(nh.path("via").asText() + "%" + vif);
                }
            }
            final String prefix = r.path("prefix").asText();
            if (toIdc && !prefix.endsWith("/30") && !prefix.endsWith("/32"))
            {
                out.add(new Route(prefix, hops));
            }
        }
        return out;
    }

    /** Per IDC VIF, rx and tx packets from {@code /api/counters} (labels "vif NAME tx_packets worker N"). */
    static List<VifCounters> vifCounters(final JsonNode counters, final LabState state)
    {
        final List<VifCounters> out = new ArrayList<>();
        for (final LabState.LabPath p : state.paths())
        {
            long rx = 0;
            long tx = 0;
            if (counters != null)
            {
                for (final JsonNode c : counters)
                {
                    final String label = c.path("label").asText();
                    if (label.startsWith("vif " + p.vif() + " rx_packets"))
                    {
                        rx += c.path("value").asLong();
                    }
                    else if (label.startsWith("vif " + p.vif() + " tx_packets"))
                    {
                        tx += c.path("value").asLong();
                    }
                }
            }
            out.add(new VifCounters(p.vif(), rx, tx));
        }
        return out;
    }

    /** Every BGP session Established, every BFD session up, and IDC routes present. */
    @com.fasterxml.jackson.annotation.JsonProperty("ready")
    public boolean ready()
    {
        final long bgpVifs = bgp.stream().filter(Session::up).count();
        final long bfdVifs = bfd.stream().filter(Session::up).count();
        return gatewayAnswers && !bgp.isEmpty() && bgpVifs == bgp.size() && bfdVifs == bfd.size() && !idcRoutes.isEmpty();
    }

    /** The state of the session of {@code vif} in {@code sessions}, or "none". */
    public static String stateOf(final List<Session> sessions, final String vif)
    {
        return sessions.stream().filter(s -> s.vif().equals(vif)).map(Session::state).findFirst().orElse("none");
    }

    /** {@code vbgw lab status}: one block per lab. */
    public String render()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("lab ").append(name).append(" (").append(scenario).append(")").append(ready() ? ": ready" : "").append('\n');
        sb.append("  namespaces: ");
        namespaces.forEach((role, present) -> sb.append(role).append(present ? " " : " (missing) "));
        sb.append('\n');
        for (final Daemon d : processes)
        {
            sb.append(String.format("  %-14s %s%n", d.name(), d.alive() ? "running, pid " + d.pid() : "NOT RUNNING"));
        }
        if (!gatewayAnswers)
        {
            sb.append("  gateway API: not answering\n");
        }
        sb.append(String.format("  %-16s %-13s %-12s %12s %12s%n", "vif", "bgp", "bfd", "rx packets", "tx packets"));
        for (final VifCounters v : vifs)
        {
            sb.append(String.format("  %-16s %-13s %-12s %,12d %,12d%n", v.vif(), stateOf(bgp, v.vif()),
                stateOf(bfd, v.vif()), v.rxPackets(), v.txPackets()));
        }
        sb.append("  routes in the FIB: ").append(routes).append('\n');
        for (final Route r : idcRoutes)
        {
            sb.append("    ").append(r.prefix()).append(" via ")
                .append(r.nextHops().isEmpty() ? "(no live next hop)" : String.join(", ", r.nextHops())).append('\n');
        }
        if (!cuts.isEmpty())
        {
            sb.append("  cuts in force: ").append(String.join(", ", cuts)).append('\n');
        }
        return sb.toString();
    }

    /** The status as JSON. */
    public String toJson()
    {
        try
        {
            return JSON.writeValueAsString(this);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
