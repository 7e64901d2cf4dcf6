package org.vbgw.agent.http;

import org.agrona.concurrent.status.CountersReader;
import org.vbgw.dataplane.counters.CounterKind;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data plane's counters in the Prometheus text exposition format (version 0.0.4), for {@code /metrics}.
 * <p>
 * Counter labels are how the data plane names things ({@code "vif dx1 rx_packets worker 0"}); this turns them
 * into metric families with labels ({@code vbgw_vif_rx_packets_total{vif="dx1"}}), summing the workers, so a
 * dashboard sees one series per port, VIF, next hop and drop reason whatever the number of workers.
 */
public final class PrometheusText
{
    private static final Pattern WORKER = Pattern.compile("\\s*\\bworker \\d+\\b\\s*");
    private static final Pattern NAMED = Pattern.compile("^(port|vif|nexthop) (\\S+) (\\S+)$");
    private static final Pattern MALFORMED = Pattern.compile("^malformed (\\S+)$");

    private PrometheusText()
    {
    }

    /** Renders every counter, summed per series. */
    public static String render(final CountersReader counters)
    {
        // family → (label set → value); both sorted so the output is stable for diffs and tests.
        final Map<String, Map<String, Long>> families = new TreeMap<>();
        final Map<String, String> types = new TreeMap<>();
        counters.forEach((value, id, label) ->
        {
            final int kind = counters.getCounterTypeId(id);
            final String name = WORKER.matcher(label).replaceAll(" ").trim();
            final Matcher named = NAMED.matcher(name);
            final String family;
            final String labels;
            if (named.matches())
            {
                family = "vbgw_" + named.group(1) + "_" + sanitize(named.group(3));
                labels = "{" + named.group(1) + "=\"" + escape(named.group(2)) + "\"}";
            }
            else if (MALFORMED.matcher(name).matches())
            {
                family = "vbgw_malformed_frames";
                labels = "{reason=\"" + escape(name.substring("malformed ".length())) + "\"}";
            }
            else if (kind == CounterKind.WORKER || kind == CounterKind.DROP)
            {
                if (name.indexOf(' ') < 0)
                {
                    family = "vbgw_frames";
                    labels = "{verdict=\"" + escape(name) + "\"}";
                }
                else
                {
                    family = "vbgw_" + sanitize(name.replace(' ', '_'));
                    labels = "";
                }
            }
            else
            {
                family = "vbgw_" + sanitize(name.replace(' ', '_'));
                labels = "";
            }
            families.computeIfAbsent(family, f -> new TreeMap<>()).merge(labels, value, Long::sum);
            types.putIfAbsent(family, isGauge(family) ? "gauge" : "counter");
        });
        final StringBuilder out = new StringBuilder();
        families.forEach((family, series) ->
        {
            // Text format 0.0.4: the declared name is the sample name, so a counter is declared with its _total.
            final String metric = "counter".equals(types.get(family)) ? family + "_total" : family;
            out.append("# HELP ").append(metric).append(" vbgw data plane counter\n");
            out.append("# TYPE ").append(metric).append(' ').append(types.get(family)).append('\n');
            series.forEach((labels, value) -> out.append(metric).append(labels).append(' ').append(value).append('\n'));
        });
        return out.toString();
    }

    /** Counts of things present now go up and down; everything else only goes up. */
    private static boolean isGauge(final String family)
    {
        return family.equals("vbgw_fib_routes") || family.equals("vbgw_dataplane_start_time_seconds") || family.equals("vbgw_fib_next_hops") ||
            family.equals("vbgw_neighbour_entries") || family.equals("vbgw_fib_next_hops_capacity") ||
            family.equals("vbgw_neighbour_capacity") || org.vbgw.agent.fpm.FpmCounters.isGauge(family);
    }

    private static String sanitize(final String name)
    {
        return name.replaceAll("[^a-zA-Z0-9_]", "_");
    }

    private static String escape(final String value)
    {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
