package org.vbgw.agent.cli;

import org.vbgw.agent.config.Addresses;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.config.Diagnostic;
import org.vbgw.agent.config.GatewayConfig;
import org.vbgw.agent.config.PathReport;
import org.vbgw.agent.config.PortConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * {@code vbgw check CONFIG [--json]}: is this gateway config fit to run, and how redundant is it?
 * <p>
 * Exit 0 with {@code CONFIG: ok}, a summary and each path's expected failover time; exit 1 when
 * there are errors (every one is printed, {@code FILE:LINE:COL: path: message}); exit 2 when the
 * file cannot be read. Warnings (single points of failure, paths with no failure detection) never
 * change the exit code. Findings go to standard error, the summary to standard output; with
 * {@code --json} one JSON document goes to standard output.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Validate a gateway config (YAML) and lint its redundancy; `check fib`: FRR's routes against the FIB.",
    subcommands = CheckFibCommand.class)
public final class CheckCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    // Optional for picocli only, so that `check fib` does not ask for a config; call() requires it.
    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "The gateway config file (YAML).")
    Path configFile;

    @Option(names = "--json", description = "Print one JSON document: ok, errors, warnings, summary, paths.")
    boolean json;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (configFile == null)
        {
            err.println("vbgw check: which config? vbgw check CONFIG [--json], or vbgw check fib");
            err.flush();
            return 2;
        }
        final ConfigCheck check;
        try
        {
            check = ConfigCheck.of(configFile);
        }
        catch (final IOException ex)
        {
            err.println("vbgw check: cannot read " + configFile + ": " + ex.getClass().getSimpleName() +
                (ex.getMessage() != null ? " " + ex.getMessage() : ""));
            err.flush();
            return 2;
        }
        if (json)
        {
            out.println(json(check));
        }
        else
        {
            text(check, out, err);
        }
        out.flush();
        err.flush();
        return check.ok() ? 0 : 1;
    }

    private static void text(final ConfigCheck check, final PrintWriter out, final PrintWriter err)
    {
        for (final Diagnostic d : check.diagnostics())
        {
            err.println(d);
        }
        if (!check.ok())
        {
            err.println(check.file() + ": " + count(check.errors().size(), "error") +
                (check.warnings().isEmpty() ? "" : ", " + count(check.warnings().size(), "warning")));
            return;
        }
        out.println(check.file() + ": ok" + (check.warnings().isEmpty() ? "" : " (" + count(check.warnings().size(), "warning") + ")"));
        out.println(summary(check.config()));
        out.println("paths to the IDC, with the expected failover time of a silent failure:");
        for (final PathReport p : check.paths())
        {
            final String where = (p.kind().equals("vpn") && p.location() == null ? "via " : "port ") + p.port() +
                (p.location() != null ? " (" + p.location() + ")" : "");
            out.printf("  %-3s %-20s %-32s %-13s %s%n", p.kind(), p.name(), where, p.detection(), p.failoverText());
        }
    }

    static String summary(final GatewayConfig config)
    {
        final long locations = config.ports().stream().map(PortConfig::location).filter(Objects::nonNull).distinct().count();
        final int cidrs = config.vpcAttachments().stream().mapToInt(v -> v.vpcCidrs().size()).sum();
        final List<String> parts = new ArrayList<>();
        parts.add(count(config.ports().size(), "port") + " at " + count((int)locations, "location"));
        parts.add(count(config.vifs().size(), "VIF"));
        parts.add(count(config.vpcAttachments().size(), "VPC attachment") + " (" + count(cidrs, "CIDR block") + ")");
        parts.add(count(config.staticRoutes().size(), "static route"));
        if (!config.staticNeighbours().isEmpty())
        {
            parts.add(count(config.staticNeighbours().size(), "static neighbour"));
        }
        parts.add(count(config.vpnBackups().size(), "VPN backup"));
        return "gateway " + config.gateway().name() + " (AS " + config.gateway().asn() +
            (config.gateway().routerId() != null ? ", router id " + Addresses.text(config.gateway().routerId()) : "") +
            "): " + String.join(", ", parts);
    }

    private static String count(final int n, final String noun)
    {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    static String json(final ConfigCheck check)
    {
        final StringBuilder sb = new StringBuilder(256);
        sb.append("{\"file\":").append(quote(check.file()))
            .append(",\"ok\":").append(check.ok())
            .append(",\"errors\":");
        diagnostics(sb, check.errors());
        sb.append(",\"warnings\":");
        diagnostics(sb, check.warnings());
        sb.append(",\"summary\":").append(check.ok() ? quote(summary(check.config())) : "null");
        sb.append(",\"paths\":[");
        for (int i = 0; i < check.paths().size(); i++)
        {
            final PathReport p = check.paths().get(i);
            sb.append(i == 0 ? "" : ",")
                .append("{\"kind\":").append(quote(p.kind()))
                .append(",\"name\":").append(quote(p.name()))
                .append(",\"port\":").append(quote(p.port()))
                .append(",\"location\":").append(quote(p.location()))
                .append(",\"detection\":").append(quote(p.detection()))
                .append(",\"failover_ms\":").append(p.failoverMs() < 0 ? "null" : Long.toString(p.failoverMs()))
                .append(",\"failover\":").append(quote(p.failoverText()))
                .append('}');
        }
        return sb.append("]}").toString();
    }

    private static void diagnostics(final StringBuilder sb, final List<Diagnostic> list)
    {
        sb.append('[');
        for (int i = 0; i < list.size(); i++)
        {
            final Diagnostic d = list.get(i);
            sb.append(i == 0 ? "" : ",")
                .append("{\"file\":").append(quote(d.position().file()))
                .append(",\"line\":").append(d.position().line())
                .append(",\"column\":").append(d.position().column())
                .append(",\"path\":").append(quote(d.path()))
                .append(",\"message\":").append(quote(d.message()))
                .append('}');
        }
        sb.append(']');
    }

    /** A JSON string literal (RFC 8259 section 7), or {@code null}. */
    static String quote(final String s)
    {
        if (s == null)
        {
            return "null";
        }
        final StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        sb.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
