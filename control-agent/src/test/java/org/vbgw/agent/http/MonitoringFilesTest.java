package org.vbgw.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.run.GatewayRuntime;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.io.MemoryPort;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped alert rules and Grafana dashboard: the real {@code promtool} parses the rules and runs their unit
 * tests, parses every dashboard query, and every metric they name is one a running gateway serves on
 * {@code /metrics} (rendered here from a gateway on in-memory ports), except the BFD session gauge whose exporter
 * is still being written.
 */
class MonitoringFilesTest
{
    /** Surefire runs in the module directory. */
    private static final Path RULES = Path.of("deploy", "prometheus", "vbgw-alerts.yml");
    private static final Path RULE_TESTS = Path.of("deploy", "prometheus", "vbgw-alerts.test.yml");
    private static final Path DASHBOARD = Path.of("deploy", "grafana", "vbgw-dashboard.json");

    /**
     * Metrics the rules use before the gateway serves them: the BFD exporter must publish exactly this name, a
     * gauge {@code vbgw_bfd_session_up{vif="...",peer="..."}} that is 1 while the session is up.
     */
    private static final Set<String> PENDING_EXPORTERS = Set.of("vbgw_bfd_session_up");
    private static final Pattern METRIC = Pattern.compile("(?<![:\\w])(vbgw_[a-z0-9_]+)");
    private static final Pattern SELECTOR = Pattern.compile("(vbgw_[a-z0-9_]+)\\{([^}]*)\\}");
    private static final Pattern EQUALITY = Pattern.compile("(\\w+)=\"([^\"$]+)\"");

    @TempDir
    Path dir;

    private record Result(int exit, String output)
    {
    }

    private static Result promtool(final String... args) throws IOException, InterruptedException
    {
        final List<String> cmd = new ArrayList<>(List.of("promtool"));
        cmd.addAll(List.of(args));
        final Process p;
        try
        {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            throw new IOException("promtool is needed (Debian package prometheus; ./vbgw test installs it)", ex);
        }
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        return new Result(p.exitValue(), out);
    }

    @Test
    void promtoolAcceptsTheRules() throws Exception
    {
        final Result r = promtool("check", "rules", RULES.toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("SUCCESS"), r.output());
    }

    @Test
    void theAlertsFireOnTheirUnitTestSeriesAndOnlyThen() throws Exception
    {
        final Result r = promtool("test", "rules", RULE_TESTS.toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("SUCCESS"), r.output());
    }

    @Test
    void everyAlertTheTaskAsksForIsThere() throws IOException
    {
        final String rules = Files.readString(RULES);
        for (final String alert : List.of("VbgwBfdSessionDown", "VbgwVifNotReceiving", "VbgwNoRedundantPath",
            "VbgwEcmpImbalance", "VbgwPuntPolicerDropping", "VbgwFibNextHopsNearCapacity"))
        {
            assertTrue(rules.contains("- alert: " + alert + "\n"), alert);
        }
    }

    @Test
    void promtoolParsesEveryDashboardQuery() throws Exception
    {
        final List<String> exprs = dashboardExpressions();
        assertTrue(exprs.size() >= 15, "the dashboard has its queries: " + exprs.size());
        // promtool checks expressions in rule files: wrap each query as a recording rule, with Grafana's
        // variables replaced by what they expand to.
        final StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < exprs.size(); i++)
        {
            final String expr = exprs.get(i).replace("$__rate_interval", "1m").replace("$instance", ".*");
            rules.append("      - record: dashboard:query").append(i).append("\n        expr: '")
                .append(expr.replace("'", "''")).append("'\n");
        }
        final Path file = dir.resolve("dashboard-rules.yml");
        Files.writeString(file, rules.toString());
        final Result r = promtool("check", "rules", file.toString());
        assertEquals(0, r.exit(), r.output() + "\n" + rules);
    }

    @Test
    void everyMetricUsedIsServedByARunningGateway() throws Exception
    {
        final String metrics = gatewayMetrics();
        final Set<String> served = new TreeSet<>();
        for (final String line : metrics.split("\n"))
        {
            if (line.startsWith("# TYPE "))
            {
                served.add(line.split(" ")[2]);
            }
        }
        assertTrue(served.contains("vbgw_frames_total"), metrics);
        final List<String> exprs = new ArrayList<>(ruleExpressions());
        exprs.addAll(dashboardExpressions());
        final Set<String> used = new TreeSet<>();
        for (final String expr : exprs)
        {
            final Matcher m = METRIC.matcher(expr);
            while (m.find())
            {
                used.add(m.group(1));
            }
            final Matcher s = SELECTOR.matcher(expr);
            while (s.find())
            {
                final Matcher eq = EQUALITY.matcher(s.group(2));
                while (eq.find())
                {
                    if (eq.group(1).equals("instance") || eq.group(1).equals("job"))
                    {
                        continue;
                    }
                    final String series = s.group(1) + "{" + eq.group(1) + "=\"" + eq.group(2) + "\"}";
                    assertTrue(metrics.contains(series + " "), "no series " + series + " on /metrics, used in: " + expr);
                }
            }
        }
        final Set<String> missing = new TreeSet<>(used);
        missing.removeAll(served);
        missing.removeAll(PENDING_EXPORTERS);
        assertEquals(Set.of(), missing, "metrics used by the rules or the dashboard but not served:\n" + metrics);
        assertTrue(used.containsAll(PENDING_EXPORTERS), "the pending list names only what is used");
        assertFalse(served.contains("vbgw_bfd_session_up"),
            "the BFD exporter exists now: remove it from PENDING_EXPORTERS so its name is checked");
    }

    /** /metrics of the active/standby example running on in-memory ports. */
    private String gatewayMetrics() throws IOException
    {
        final ConfigCheck check = ConfigCheck.of(Path.of("examples", "active-standby.yaml"));
        assertTrue(check.ok(), check.errors().toString());
        try (GatewayRuntime rt = new GatewayRuntime(check.config(), dir.resolve("journal"),
            (port, worker, workers) -> MemoryPort.pair(port.name(), port.name() + "-far", 1 << 16, port.mtuBytes())[0],
            tap -> null, Dataplane.Config.defaults()))
        {
            rt.applyJournal();
            rt.dataplane().doControlWork();
            return PrometheusText.render(rt.dataplane().counters());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> ruleExpressions() throws IOException
    {
        final Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(Files.readString(RULES));
        final List<String> exprs = new ArrayList<>();
        for (final Object g : (List<Object>)root.get("groups"))
        {
            for (final Object r : (List<Object>)((Map<String, Object>)g).get("rules"))
            {
                exprs.add((String)((Map<String, Object>)r).get("expr"));
            }
        }
        return exprs;
    }

    private static List<String> dashboardExpressions() throws IOException
    {
        final JsonNode root = new ObjectMapper().readTree(DASHBOARD.toFile());
        final List<String> exprs = new ArrayList<>();
        root.get("panels").forEach(p ->
        {
            if (p.has("targets"))
            {
                p.get("targets").forEach(t -> exprs.add(t.get("expr").asText()));
            }
        });
        return exprs;
    }
}
