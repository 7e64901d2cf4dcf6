package org.vbgw.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.dataplane.liveness.LivenessEvent;
import org.vbgw.dataplane.liveness.NextHopLiveness;
import org.vbgw.dataplane.neighbour.NeighbourState;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;
import org.vbgw.fib.NextHop;
import org.vbgw.fib.NextHopGroup;
import org.vbgw.io.MacAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * JSON views of a running data plane for the HTTP API ({@code /api/vifs}, {@code /api/routes},
 * {@code /api/neighbors}, {@code /api/events}, {@code /api/bfd}, {@code /api/probes}, {@code /api/admin}). Views of writer-side state are taken on the data plane's
 * control thread ({@link Dataplane#call}), so they never race the FIB's writer.
 */
public final class GatewayViews
{
    private GatewayViews()
    {
    }

    /** Registers every view on the server. */
    public static void register(final ApiServer server, final Dataplane dp)
    {
        server.json("vifs", () -> vifs(dp));
        server.json("routes", () -> dp.call(() -> routes(dp)));
        server.json("neighbors", () -> dp.call(() -> neighbours(dp)));
        server.json("events", () -> events(dp));
        server.json("nexthops", () -> dp.call(() -> nextHops(dp)));
        server.json("counters", () -> counters(dp.counters()));
        server.json("bfd", () -> json(dp.call(dp::bfdSessions)));
        server.json("probes", () -> json(dp.call(dp::healthProbes)));
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Records as JSON objects, field by field (Jackson reads record components). */
    static String json(final Object value)
    {
        try
        {
            return JSON.writeValueAsString(value);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write " + value + " as JSON", ex);
        }
    }

    /**
     * Administrative down and up: {@code POST /api/admin} with {@code {"vif":"NAME","down":true}} or
     * {@code {"nexthop":ID,"down":false}} takes a VIF's next hops, or one next hop, out of service or puts them
     * back (at once: hold-downs are for detectors). {@code GET} lists what the operator holds down.
     */
    public static void registerAdmin(final ApiServer server, final org.vbgw.agent.run.GatewayRuntime runtime)
    {
        final Dataplane dp = runtime.dataplane();
        // mutation() replaces a registered view: register it first, as the routes view is.
        server.json("admin", () -> dp.call(() -> adminHeld(dp)));
        server.mutation("admin", () -> dp.call(() -> adminHeld(dp)), (method, query, body) ->
        {
            if (!"POST".equals(method))
            {
                throw new IllegalArgumentException(method + " is not supported here; use GET or POST");
            }
            final JsonNode request;
            try
            {
                request = JSON.readTree(body);
            }
            catch (final java.io.IOException ex)
            {
                throw new IllegalArgumentException("the body is not JSON: " + ex.getMessage());
            }
            if (request == null || !request.path("down").isBoolean())
            {
                throw new IllegalArgumentException("say {\"vif\":\"NAME\",\"down\":true|false} or " +
                    "{\"nexthop\":ID,\"down\":true|false}");
            }
            final boolean down = request.path("down").asBoolean();
            if (request.hasNonNull("vif"))
            {
                final int vif = runtime.vifId(request.path("vif").asText());
                dp.run(() -> dp.setVifAdminDown(vif, down));
                return "{\"vif\":" + str(request.path("vif").asText()) + ",\"down\":" + down + "}";
            }
            if (request.path("nexthop").canConvertToInt())
            {
                final int id = request.path("nexthop").asInt();
                dp.run(() -> dp.setNextHopDown(id, NextHopLiveness.CAUSE_ADMIN, down));
                return "{\"nexthop\":" + id + ",\"down\":" + down + "}";
            }
            throw new IllegalArgumentException("name a \"vif\" or a \"nexthop\"");
        });
    }

    static String adminHeld(final Dataplane dp)
    {
        final List<String> items = new ArrayList<>();
        for (final var scope : dp.liveness().heldBy(NextHopLiveness.CAUSE_ADMIN))
        {
            final Vif vif = scope.kind() == NextHopLiveness.Kind.VIF
                ? dp.vifs().snapshot().vif(scope.id()) : null;
            items.add("{\"kind\":" + str(scope.kind().name().toLowerCase(Locale.ROOT)) + ",\"id\":" +
                scope.id() + (vif == null ? "" : ",\"name\":" + str(vif.name())) + "}");
        }
        return items.toString();
    }

    /**
     * Lets the API change routes: {@code POST /api/routes} with {@code {"prefix":"…","nexthops":["…"],
     * "distance":N}} adds or replaces an operator route, {@code DELETE /api/routes?prefix=…} removes it. The RIB
     * takes the change and the journal carries it to the FIB, like every other route.
     */
    public static void registerRouteChanges(final ApiServer server, final org.vbgw.agent.run.GatewayRuntime runtime)
    {
        final Dataplane dp = runtime.dataplane();
        registerRouteChanges(server, () -> dp.call(() -> routes(dp)), runtime.agent());
    }

    /** As above, for an agent whose data plane is another process: {@code view} serves GET. */
    public static void registerRouteChanges(final ApiServer server, final java.util.function.Supplier<String> view,
        final org.vbgw.agent.run.RouteAgent runtime)
    {
        final com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        server.mutation("routes", view, (method, query, body) ->
        {
            if ("POST".equals(method))
            {
                final JsonNode request;
                try
                {
                    request = json.readTree(body);
                }
                catch (final java.io.IOException ex)
                {
                    throw new IllegalArgumentException("the body is not JSON: " + ex.getMessage());
                }
                final IpPrefix prefix = IpPrefix.parse(request.path("prefix").asText());
                final List<IpPrefix> nextHops = new ArrayList<>();
                request.path("nexthops").forEach(n -> nextHops.add(IpPrefix.parse(n.asText())));
                if (nextHops.isEmpty())
                {
                    throw new IllegalArgumentException("a route needs \"nexthops\": [\"ADDRESS\", ...]");
                }
                runtime.addApiRoute(prefix, nextHops, request.path("distance").asInt(1));
                return "{\"added\":" + str(prefix.toString()) + "}";
            }
            if ("DELETE".equals(method))
            {
                final String prefixText = query == null || !query.startsWith("prefix=") ? "" :
                    java.net.URLDecoder.decode(query.substring("prefix=".length()), java.nio.charset.StandardCharsets.UTF_8);
                final IpPrefix prefix = IpPrefix.parse(prefixText);
                if (!runtime.removeApiRoute(prefix))
                {
                    throw new IllegalArgumentException("no operator route " + prefix + " to delete");
                }
                return "{\"deleted\":" + str(prefix.toString()) + "}";
            }
            throw new IllegalArgumentException(method + " is not supported here; use GET, POST or DELETE");
        });
    }

    /**
     * Serves {@code /api/rib}: every candidate route with its source, distance and whether it is the installed
     * one (what {@code vbgw check fib} compares with FRR). Read under the runtime's lock, like route changes.
     */
    public static void registerRib(final ApiServer server, final org.vbgw.agent.run.GatewayRuntime runtime)
    {
        server.json("rib", () -> rib(runtime.ribRoutes()));
    }

    static String rib(final List<org.vbgw.agent.rib.RibRoute> routes)
    {
        final List<String> items = new ArrayList<>();
        for (final org.vbgw.agent.rib.RibRoute r : routes)
        {
            final List<String> paths = new ArrayList<>();
            for (final org.vbgw.agent.rib.RibPath p : r.paths())
            {
                paths.add("{\"vif\":" + p.vifId() + ",\"via\":" + (p.gateway() == null ? "\"attached\""
                    : str(IpPrefix.format(p.gateway().ipv6(), p.gateway().hi(), p.gateway().lo()))) + ",\"weight\":" + p.weight() + "}");
            }
            items.add("{\"prefix\":" + str(r.prefix().toString()) + ",\"source\":" + str(r.source().name()) +
                ",\"distance\":" + r.distance() + ",\"installed\":" + r.installed() + ",\"stale\":" + r.stale() + ",\"paths\":" + paths + "}");
        }
        return items.toString();
    }

    static String vifs(final Dataplane dp)
    {
        final var snapshot = dp.vifs().snapshot();
        final List<String> items = new ArrayList<>();
        for (int v = 0; v < snapshot.capacity(); v++)
        {
            final Vif vif = snapshot.vif(v);
            if (vif != null)
            {
                items.add("{\"id\":" + v + ",\"name\":" + str(vif.name()) + ",\"port\":" +
                    str(dp.port(vif.portIndex()).name()) + ",\"vlan\":" + vif.outerVlan() + ",\"innerVlan\":" +
                    vif.innerVlan() + ",\"mac\":" + str(MacAddress.toString(vif.mac())) + ",\"mtu\":" + vif.mtuBytes() +
                    ",\"adminUp\":" + vif.adminUp() + ",\"addresses\":" +
                    vif.addresses().stream().map(a -> str(a.toString())).toList() + "}");
            }
        }
        return items.toString();
    }

    static String routes(final Dataplane dp)
    {
        final List<String> items = new ArrayList<>();
        dp.fib().forEachRoute((prefix, group) ->
        {
            final NextHopGroup g = dp.fib().group(group);
            // The backup group: where the data plane sends the route's traffic once every next hop above is dead.
            final NextHopGroup backup = g == null || g.backupGroupId() == Fib.NO_GROUP ? null
                : dp.fib().group(g.backupGroupId());
            items.add("{\"prefix\":" + str(prefix.toString()) + ",\"group\":" + group + ",\"nexthops\":" +
                hops(dp, g) + ",\"backup\":" + hops(dp, backup) + "}");
        });
        return items.toString();
    }

    private static List<String> hops(final Dataplane dp, final NextHopGroup group)
    {
        final List<String> hops = new ArrayList<>();
        for (final int id : group == null ? new int[0] : group.nextHopIds())
        {
            final NextHop nh = dp.fib().nextHop(id);
            if (nh != null)
            {
                hops.add("{\"id\":" + id + ",\"via\":" + str(nh.neighbourHi() == 0 && nh.neighbourLo() == 0 ? "attached"
                    : IpPrefix.format(nh.ipv6(), nh.neighbourHi(), nh.neighbourLo())) + ",\"vif\":" + nh.vifId() +
                    ",\"alive\":" + nh.alive() + "}");
            }
        }
        return hops;
    }

    /** Every next hop in the FIB: the agent's (from the journal) and the data plane's own host next hops. */
    static String nextHops(final Dataplane dp)
    {
        final List<String> items = new ArrayList<>();
        final int count = dp.fib().nextHopCount();
        // Ids are dense from 0 (the agent's) and from the resolver's first host id: stop once all are found.
        for (int id = 0; items.size() < count && id <= NextHop.MAX_ID; id++)
        {
            final NextHop nh = dp.fib().nextHop(id);
            if (nh != null)
            {
                items.add("{\"id\":" + id + ",\"vif\":" + nh.vifId() + ",\"via\":" +
                    str(nh.neighbourHi() == 0 && nh.neighbourLo() == 0 ? "attached" :
                        IpPrefix.format(nh.ipv6(), nh.neighbourHi(), nh.neighbourLo())) + ",\"alive\":" + nh.alive() + "}");
            }
        }
        return items.toString();
    }

    /** Every counter as it reads now: the same figures as /metrics, one object per counter. */
    static String counters(final org.agrona.concurrent.status.CountersReader counters)
    {
        final List<String> items = new ArrayList<>();
        counters.forEach((id, type, key, label) -> items.add("{\"id\":" + id + ",\"type\":" + type + ",\"label\":" +
            str(label) + ",\"value\":" + counters.getCounterValue(id) + "}"));
        return items.toString();
    }

    static String neighbours(final Dataplane dp)
    {
        final List<String> items = new ArrayList<>();
        dp.neighbours().forEach((e, vif, v6, hi, lo, mac, state) -> items.add("{\"vif\":" + vif + ",\"address\":" +
            str(IpPrefix.format(v6, hi, lo)) + ",\"mac\":" + str(MacAddress.toString(mac)) + ",\"state\":" +
            str(NeighbourState.name(state)) + "}"));
        return items.toString();
    }

    static String events(final Dataplane dp)
    {
        final List<String> items = new ArrayList<>();
        for (final LivenessEvent e : dp.events())
        {
            items.add("{\"timeNs\":" + e.timeNs() + ",\"subject\":" + str(e.subject()) + ",\"vif\":" + str(e.vif()) +
                ",\"peer\":" + str(e.peer()) + ",\"from\":" + str(e.from()) +
                ",\"to\":" + str(e.to()) + ",\"cause\":" + str(e.cause()) + ",\"nextHops\":" + e.nextHops() + "}");
        }
        return items.toString();
    }

    private static String str(final String s)
    {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
