package org.vbgw.agent.cli;

import org.vbgw.agent.lab.FailureMode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.vbgw.agent.lab.LabScenario;
import org.vbgw.agent.lab.drill.Drill;
import org.vbgw.agent.lab.drill.DrillReport;
import org.vbgw.agent.lab.drill.ModeResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vbgw drill SCENARIO}: the seeds' failover test as a measurement on a namespace lab, per failure mode and
 * repeat: outage, switch and failback times, losses, PASS or FAIL against what the config's timers promise; a
 * report in Markdown and JSON with a plot per mode. Exits 1 when any mode failed, 2 on a usage error.
 */
@Command(name = "drill", mixinStandardHelpOptions = true,
    description = "Cut a lab's active path while traffic runs, per failure mode and repeat; measure and report.")
public final class DrillCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "active-standby, direct-vpn-backup or active-active.")
    String scenario;

    @Option(names = "--name", description = "The lab's name (default: the scenario's). A running lab of that name is " +
        "used as it is and left running.")
    String name;

    @Option(names = "--modes", defaultValue = "port-down,bgp-down,route-withdrawn,bfd-silenced",
        description = "Failure modes, comma-separated (default: ${DEFAULT-VALUE}).")
    String modes;

    @Option(names = "--repeats", defaultValue = "5", description = "Cuts per mode (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--rate", defaultValue = "10000", description = "Packets per second over all flows " +
        "(default: ${DEFAULT-VALUE}).")
    long rate;

    @Option(names = "--flows", defaultValue = "64", description = "Flows (default: ${DEFAULT-VALUE}).")
    int flows;

    @Option(names = "--paths", split = ",", paramLabel = "VIF",
        description = "The VIFs to cut (default: the scenario's active path; every direct VIF for direct-vpn-backup).")
    List<String> paths;

    @Option(names = "--out", description = "Report directory (default: ./drill-SCENARIO-TIMESTAMP).")
    Path out;

    @Option(names = "--keep-lab", description = "Leave a lab this drill brought up running afterwards.")
    boolean keepLab;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter w = spec.commandLine().getOut();
        final LabScenario s = LabScenario.of(scenario);
        final List<FailureMode> modeList = FailureMode.parseList(modes);
        final Path dir = out != null ? out : Path.of("drill-" + s.id() + "-" +
            LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        // The parse result's original arguments are the whole command line's, "drill" included.
        final List<String> command = new ArrayList<>(List.of("vbgw"));
        command.addAll(spec.commandLine().getParseResult().originalArgs());
        final Drill.Options options = new Drill.Options(s, name != null ? name : s.id(), modeList, repeats, rate, flows,
            paths == null ? List.of() : List.copyOf(paths), dir, keepLab, String.join(" ", command));
        final DrillReport report = new Drill(options, w).run();
        w.println();
        for (final ModeResult m : report.modes())
        {
            w.printf("%-16s %-7s outage p50/p90/max %s ms, switch %s ms, failback %s ms%s%n", m.mode(), m.verdict(),
                m.outage().describe(), m.switchTime().describe(), m.failback().describe(),
                m.skipped() != null ? " (" + m.skipped() + ")" : "");
        }
        w.println(report.passed() ? "RESULT: PASS" : "RESULT: FAIL" + (report.reachability().passed() ? "" :
            ": " + report.reachability().problem()));
        w.flush();
        return report.passed() ? 0 : 1;
    }
}
