package org.vbgw.agent.frr;

import com.fasterxml.jackson.databind.JsonNode;
import org.vbgw.agent.run.HostTapSpec;
import org.vbgw.fib.IpPrefix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Does vbgw forward what FRR selected? FRR's BGP routes (zebra's RIB, {@code show ip[v6] route bgp json})
 * against vbgw's FIB ({@code /api/routes}) route by route, and vbgw's BGP routes ({@code /api/rib}) against
 * FRR's, so that a route FRR withdrew but the gateway kept shows too. Next hops are compared as
 * {@code ADDRESS%VIF}: FRR names the VIF by its host TAP, vbgw by its id; {@code /api/vifs} joins the two.
 */
public final class FibCheck
{
    /** The vtysh commands whose answers {@link #compare} reads. */
    public static final String FRR_IPV4 = "show ip route bgp json";
    public static final String FRR_IPV6 = "show ipv6 route bgp json";

    /** A route on which FRR and vbgw disagree; {@code frr} or {@code vbgw} is "-" where one has none. */
    public record Difference(String prefix, Kind kind, String frr, String vbgw)
    {
        @Override
        public String toString()
        {
            return prefix + ": " + kind.text + " (FRR: " + frr + "; vbgw: " + vbgw + ")";
        }
    }

    public enum Kind
    {
        /** FRR selected it; the FIB has no route for the prefix. */
        MISSING_IN_FIB("missing in vbgw's FIB"),
        /** Both have the prefix with different next hops. */
        NEXT_HOPS_DIFFER("next hops differ"),
        /** vbgw holds a BGP route that FRR does not (a withdraw that did not arrive). */
        ONLY_IN_VBGW("BGP route in vbgw but not in FRR");

        final String text;

        Kind(final String text)
        {
            this.text = text;
        }
    }

    private FibCheck()
    {
    }

    /**
     * @param frrRoutes FRR's answers to {@link #FRR_IPV4} and {@link #FRR_IPV6}
     * @param fibRoutes {@code /api/routes}
     * @param vifs      {@code /api/vifs}
     * @param rib       {@code /api/rib}, or null when the gateway does not serve it (the last check is skipped)
     */
    public static List<Difference> compare(final List<JsonNode> frrRoutes, final JsonNode fibRoutes, final JsonNode vifs,
        final JsonNode rib)
    {
        final Map<String, String> vifByTap = new HashMap<>();
        final Map<Integer, String> vifById = new HashMap<>();
        for (final JsonNode v : vifs)
        {
            final String name = v.path("name").asText();
            vifByTap.put(new HostTapSpec(name, 0, 0, List.of()).interfaceName(), name);
            vifById.put(v.path("id").asInt(), name);
        }
        final Map<IpPrefix, TreeSet<String>> frr = new TreeMap<>(FibCheck::order);
        for (final JsonNode answer : frrRoutes)
        {
            for (final Iterator<Map.Entry<String, JsonNode>> it = answer.fields(); it.hasNext(); )
            {
                final Map.Entry<String, JsonNode> e = it.next();
                for (final JsonNode r : e.getValue())
                {
                    if (!"bgp".equals(r.path("protocol").asText()) || !r.path("selected").asBoolean(false))
                    {
                        continue;
                    }
                    final TreeSet<String> hops = new TreeSet<>();
                    for (final JsonNode nh : r.path("nexthops"))
                    {
                        if (nh.path("active").asBoolean(false))
                        {
                            final String tap = nh.path("interfaceName").asText("?");
                            hops.add(address(nh.path("ip").asText(null)) + "%" + vifByTap.getOrDefault(tap, tap));
                        }
                    }
                    frr.put(IpPrefix.parse(e.getKey()), hops);
                }
            }
        }
        final Map<IpPrefix, TreeSet<String>> fib = new HashMap<>();
        for (final JsonNode r : fibRoutes)
        {
            final TreeSet<String> hops = new TreeSet<>();
            for (final JsonNode nh : r.path("nexthops"))
            {
                final int vif = nh.path("vif").asInt();
                hops.add(address(nh.path("via").asText()) + "%" + vifById.getOrDefault(vif, "vif" + vif));
            }
            fib.put(IpPrefix.parse(r.path("prefix").asText()), hops);
        }
        final List<Difference> differences = new ArrayList<>();
        for (final Map.Entry<IpPrefix, TreeSet<String>> e : frr.entrySet())
        {
            final TreeSet<String> inFib = fib.get(e.getKey());
            if (inFib == null)
            {
                differences.add(new Difference(e.getKey().toString(), Kind.MISSING_IN_FIB, text(e.getValue()), "-"));
            }
            else if (!inFib.equals(e.getValue()))
            {
                differences.add(new Difference(e.getKey().toString(), Kind.NEXT_HOPS_DIFFER, text(e.getValue()), text(inFib)));
            }
        }
        if (rib != null)
        {
            final Map<IpPrefix, TreeSet<String>> stale = new TreeMap<>(FibCheck::order);
            for (final JsonNode r : rib)
            {
                final String source = r.path("source").asText();
                final IpPrefix prefix = IpPrefix.parse(r.path("prefix").asText());
                if (r.path("installed").asBoolean(false) && source.endsWith("BGP") && !frr.containsKey(prefix))
                {
                    stale.put(prefix, fib.getOrDefault(prefix, new TreeSet<>()));
                }
            }
            stale.forEach((p, hops) -> differences.add(new Difference(p.toString(), Kind.ONLY_IN_VBGW, "-", text(hops))));
        }
        return differences;
    }

    /** Addresses as vbgw prints them (one spelling for IPv6); "attached" for a next hop without one. */
    private static String address(final String text)
    {
        if (text == null || text.isEmpty() || "attached".equals(text))
        {
            return "attached";
        }
        final IpPrefix a = IpPrefix.parse(text);
        return IpPrefix.format(a.ipv6(), a.hi(), a.lo());
    }

    private static String text(final TreeSet<String> hops)
    {
        return hops.isEmpty() ? "no next hop" : String.join(", ", hops);
    }

    private static int order(final IpPrefix a, final IpPrefix b)
    {
        int c = Boolean.compare(a.ipv6(), b.ipv6());
        if (c == 0)
        {
            c = Long.compareUnsigned(a.hi(), b.hi());
        }
        if (c == 0)
        {
            c = Long.compareUnsigned(a.lo(), b.lo());
        }
        return c != 0 ? c : Integer.compare(a.length(), b.length());
    }
}
