package org.vbgw.agent.lab.drill;

import org.vbgw.agent.lab.FailureMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.config.GatewayConfig;
import org.vbgw.agent.lab.Lab;
import org.vbgw.agent.lab.LabFault;
import org.vbgw.agent.lab.LabScenario;
import org.vbgw.agent.lab.LabState;
import org.vbgw.agent.lab.LabTraffic;
import org.vbgw.io.lab.TrafficReport;

/**
 * {@code vbgw drill}: the seeds' failover test as a measurement. Brings a lab up (or uses the running one of that
 * name), waits until every BGP session is Established and every BFD session Up, checks that every VPC→IDC flow
 * arrives, then per failure mode and repeat runs sequenced traffic, cuts the active path, restores it, and
 * analyses the run ({@link RepeatAnalysis}); writes {@code drill.md}, {@code drill.json} and one SVG plot per mode
 * into the output directory.
 * <p>
 * Which path is the active one: in {@code active-standby} the primary (the first VIF), in {@code active-active}
 * path A (the first VIF: either would do), in {@code direct-vpn-backup} every direct VIF, so that the VPN takes
 * over. {@link Options#cutVifs} overrides it (a negative control cuts every path).
 */
public final class Drill
{
    /** Traffic runs this long before the VIFs' rates count as usual. */
    static final long WARMUP_MS = 1_000;
    /** Then this long before the cut. */
    static final long BEFORE_CUT_MS = 1_000;
    /**
     * A cut lasts at least this long, and this long after the cut path went idle: long enough that a switch slower
     * than the detector promised (a backup that waits for BGP to converge) is still seen and measured.
     */
    static final long MIN_CUT_MS = 3_000;
    /** Reachability runs this long: the first packets of a fresh lab also resolve ARP and warm the JIT. */
    static final long REACHABILITY_MS = 3_000;
    static final long AFTER_IDLE_MS = 700;
    /** After traffic is back on the restored path, this long more (losses while it moves back show up). */
    static final long AFTER_RETURN_MS = 700;
    /** Beyond an expectation's failback time, how long to wait for traffic to return before giving up. */
    static final long RETURN_MARGIN_MS = 3_000;
    static final long DRAIN_MS = 300;
    static final long READY_TIMEOUT_MS = 90_000;
    /**
     * A repeat whose receiver dropped frames itself (its ring overflowed while this machine stalled the drill)
     * measured the machine, not the network: it runs again, at most this many times, before it counts as failed.
     */
    static final int SPOILED_RETRIES = 2;

    /**
     * What to drill.
     *
     * @param name     the lab's name (defaults to the scenario's on the command line).
     * @param cutVifs  the VIFs to cut, or empty for the scenario's active path(s).
     * @param outDir   where the report goes.
     * @param keepLab  leave a lab this drill brought up running afterwards.
     * @param command  the command line, for the report.
     */
    public record Options(LabScenario scenario, String name, List<FailureMode> modes, int repeats, long ratePps,
        int flows, List<String> cutVifs, Path outDir, boolean keepLab, String command)
    {
        public Options
        {
            if (repeats < 1 || flows < 1 || ratePps < flows || modes.isEmpty())
            {
                throw new IllegalArgumentException("a drill needs at least one mode, one repeat and one flow, and a " +
                    "rate of at least one packet/s per flow: " + modes.size() + " modes, " + repeats + " repeats, " +
                    flows + " flows at " + ratePps + " packets/s");
            }
        }
    }

    private final Options options;
    private final PrintWriter out;

    public Drill(final Options options, final PrintWriter out)
    {
        this.options = options;
        this.out = out;
    }

    /** Runs the drill and writes the report; the report says whether it passed. */
    public DrillReport run() throws IOException, InterruptedException
    {
        final String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        final boolean created = !Lab.list().contains(options.name());
        final LabState state;
        if (created)
        {
            say("bringing lab %s (%s) up", options.name(), options.scenario().id());
            state = Lab.up(options.scenario(), options.name());
        }
        else
        {
            state = Lab.state(options.name());
            if (!state.scenario().equals(options.scenario().id()))
            {
                throw new IllegalArgumentException("lab " + options.name() + " is running scenario " + state.scenario() +
                    ", not " + options.scenario().id() + ": vbgw lab down " + options.name() + " first, or --name another");
            }
            say("using the running lab %s (%s)", options.name(), state.scenario());
        }
        try
        {
            return drill(state, date);
        }
        finally
        {
            if (created && !options.keepLab())
            {
                say("taking lab %s down", options.name());
                Lab.down(options.name());
            }
        }
    }

    private DrillReport drill(final LabState state, final String date) throws IOException, InterruptedException
    {
        say("waiting for BGP Established and BFD up on every path");
        Lab.awaitReady(state, READY_TIMEOUT_MS);
        final GatewayConfig config = config(state);
        final List<PathTimers> timers = new ArrayList<>();
        for (final LabState.LabPath path : state.paths())
        {
            timers.add(PathTimers.of(config.vif(path.vif()).orElseThrow(() -> new IllegalStateException(
                "lab " + state.name() + ": VIF " + path.vif() + " is not in its gateway config"))));
        }
        final List<String> cutVifs = options.cutVifs().isEmpty() ? activePaths(state) : options.cutVifs();
        cutVifs.forEach(state::path);
        final List<PathTimers> cutTimers = timers.stream().filter(t -> cutVifs.contains(t.vif())).toList();
        final double spacingMs = options.flows() * 1e3 / options.ratePps();

        final DrillReport.Reachability reach = reachability(state);
        final List<ModeResult> modes = new ArrayList<>();
        final List<String> plots = new ArrayList<>();
        if (reach.passed())
        {
            for (final FailureMode mode : options.modes())
            {
                final Expectation expectation = Expectation.of(mode, cutTimers);
                if (!expectation.applicable())
                {
                    say("%s: skipped: %s", mode, expectation.derivation());
                    modes.add(ModeResult.skipped(mode, expectation, cutVifs, expectation.derivation()));
                    continue;
                }
                modes.add(mode(state, mode, expectation, cutVifs, plots));
            }
        }
        final DrillReport report = new DrillReport(Machine.current(), date, options.command(), options.scenario().id(),
            state.name(), timers, options.ratePps(), options.flows(), spacingMs, reach, modes);
        write(report, plots);
        return report;
    }

    private ModeResult mode(final LabState state, final FailureMode mode, final Expectation expectation,
        final List<String> cutVifs, final List<String> plots) throws IOException, InterruptedException
    {
        final List<RepeatResult> repeats = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        String plotFile = null;
        for (int r = 0; r < options.repeats(); r++)
        {
            try
            {
                // The previous cut may have taken a BGP session down: every repeat starts from a ready lab.
                Lab.awaitReady(state, READY_TIMEOUT_MS);
            }
            catch (final IllegalStateException ex)
            {
                errors.add("repeat " + (r + 1) + " did not start: " + ex.getMessage());
                say("%s: %s", mode, errors.get(errors.size() - 1));
                break;
            }
            Repeat repeat = repeat(state, mode, expectation, cutVifs, r);
            for (int again = 0; repeat.receiverDrops > 0 && again < SPOILED_RETRIES; again++)
            {
                say("%s repeat %d/%d: spoiled: the receiver's own ring dropped %d frames (this machine stalled " +
                    "the drill), so lost packets are not all the network's; running it again", mode, r + 1,
                    options.repeats(), repeat.receiverDrops);
                Lab.awaitReady(state, READY_TIMEOUT_MS);
                repeat = repeat(state, mode, expectation, cutVifs, r);
            }
            if (repeat.receiverDrops > 0)
            {
                repeat = repeat.withProblem("the receiver's own ring dropped " + repeat.receiverDrops + " frames in " +
                    (SPOILED_RETRIES + 1) + " tries: the machine is too busy to measure this");
            }
            repeats.add(repeat.result);
            say("%s repeat %d/%d: %s", mode, r + 1, options.repeats(), summary(repeat.result));
            if (plotFile == null)
            {
                plotFile = "drill-" + mode + ".svg";
                Files.createDirectories(options.outDir());
                Files.writeString(options.outDir().resolve(plotFile), SvgPlot.render(options.scenario().id() + ": " +
                    mode + " on " + String.join(", ", cutVifs) + " (repeat " + (r + 1) + ")", repeat.series,
                    repeat.originNs, repeat.cutNs, repeat.restoreNs));
                plots.add(plotFile);
            }
        }
        return ModeResult.of(mode, expectation, cutVifs, repeats, plotFile, errors);
    }

    /** One repeat's result and what its plot needs. */
    private record Repeat(RepeatResult result, List<VifSeries> series, long originNs, long cutNs, long restoreNs,
        long receiverDrops)
    {
        Repeat withProblem(final String problem)
        {
            return new Repeat(result.withProblem(problem), series, originNs, cutNs, restoreNs, receiverDrops);
        }
    }

    private Repeat repeat(final LabState state, final FailureMode mode, final Expectation expectation,
        final List<String> cutVifs, final int index) throws InterruptedException
    {
        final long maxCutMs = Math.max(MIN_CUT_MS, expectation.limitMs() + AFTER_IDLE_MS);
        final long maxReturnMs = expectation.failbackMs() + RETURN_MARGIN_MS;
        final long maxDurationNs = (WARMUP_MS + BEFORE_CUT_MS + maxCutMs + maxReturnMs + AFTER_RETURN_MS + 5_000) *
            1_000_000L;
        final List<String> cut = new ArrayList<>();
        final LabTraffic.Result result;
        final long warmupEndNs;
        final long cutNs;
        final long restoreNs;
        try (LabTraffic traffic = LabTraffic.start(state, options.flows(), options.ratePps(), maxDurationNs))
        {
            try
            {
                Thread.sleep(WARMUP_MS);
                warmupEndNs = System.nanoTime();
                Thread.sleep(BEFORE_CUT_MS);
                final double[] usual = usualPps(traffic, warmupEndNs, System.nanoTime());
                cutNs = System.nanoTime();
                for (final String vif : cutVifs)
                {
                    LabFault.cut(state, vif, mode);
                    cut.add(vif);
                }
                // Hold the cut until the cut paths have been idle a while (the switch happened), within bounds.
                long idleSince = -1;
                while (true)
                {
                    Thread.sleep(50);
                    final long now = System.nanoTime();
                    final boolean idle = below(traffic.lastPps(), usual, traffic.vifs(), cutVifs, VifSeries.IDLE_SHARE);
                    idleSince = idle ? (idleSince < 0 ? now : idleSince) : -1;
                    final long heldMs = (now - cutNs) / 1_000_000L;
                    if (heldMs >= maxCutMs || (heldMs >= MIN_CUT_MS && idleSince >= 0 &&
                        now - idleSince >= AFTER_IDLE_MS * 1_000_000L))
                    {
                        break;
                    }
                }
                restoreNs = System.nanoTime();
                restore(state, cut, mode);
                long backSince = -1;
                while (true)
                {
                    Thread.sleep(50);
                    final long now = System.nanoTime();
                    final boolean back = !below(traffic.lastPps(), usual, traffic.vifs(), cutVifs,
                        VifSeries.RETURN_SHARE);
                    backSince = back ? (backSince < 0 ? now : backSince) : -1;
                    if ((now - restoreNs) / 1_000_000L >= maxReturnMs ||
                        (backSince >= 0 && now - backSince >= AFTER_RETURN_MS * 1_000_000L))
                    {
                        break;
                    }
                }
            }
            finally
            {
                restore(state, cut, mode);
            }
            result = traffic.stop(DRAIN_MS);
        }
        final List<VifSeries> series = series(result);
        final TrafficReport report = result.report();
        final double share = FlowPlacement.cutShare(series, cutVifs, warmupEndNs, cutNs);
        final boolean[] onCut = FlowPlacement.infer(report, result.flowSpacingNs(), cutNs, share);
        final RepeatResult r = RepeatAnalysis.analyse(index, report, result.flowSpacingNs(), warmupEndNs, cutNs,
            restoreNs, onCut, series, cutVifs, expectation);
        return new Repeat(r, series, report.startNs(), cutNs, restoreNs, result.receiverDrops());
    }

    private static void restore(final LabState state, final List<String> cut, final FailureMode mode)
    {
        for (final String vif : List.copyOf(cut))
        {
            LabFault.restore(state, vif, mode);
            cut.remove(vif);
        }
    }

    /** Whether every cut VIF sends below {@code share} of its usual rate. */
    private static boolean below(final double[] pps, final double[] usual, final List<String> vifs,
        final List<String> cutVifs, final double share)
    {
        for (int v = 0; v < vifs.size(); v++)
        {
            if (cutVifs.contains(vifs.get(v)) && pps[v] >= share * usual[v])
            {
                return false;
            }
        }
        return true;
    }

    private static double[] usualPps(final LabTraffic traffic, final long fromNs, final long toNs)
    {
        final List<VifSeries> series = series(traffic.vifs(), traffic.samples());
        final double[] usual = new double[series.size()];
        for (int v = 0; v < usual.length; v++)
        {
            usual[v] = series.get(v).meanPps(fromNs, toNs);
        }
        return usual;
    }

    /** The counter samples as one series per VIF. */
    static List<VifSeries> series(final LabTraffic.Result result)
    {
        return series(result.vifs(), result.samples());
    }

    private static List<VifSeries> series(final List<String> vifs, final List<LabTraffic.Sample> samples)
    {
        final List<VifSeries> out = new ArrayList<>();
        for (int v = 0; v < vifs.size(); v++)
        {
            final long[] t = new long[samples.size()];
            final long[] c = new long[samples.size()];
            for (int i = 0; i < samples.size(); i++)
            {
                t[i] = samples.get(i).timeNs();
                c[i] = samples.get(i).txPackets()[v];
            }
            out.add(new VifSeries(vifs.get(v), t, c));
        }
        return out;
    }

    private DrillReport.Reachability reachability(final LabState state) throws InterruptedException
    {
        say("reachability: %d flows at %,d packets/s for %d ms", options.flows(), options.ratePps(), REACHABILITY_MS);
        final LabTraffic.Result result;
        try (LabTraffic traffic = LabTraffic.start(state, options.flows(), options.ratePps(),
            (REACHABILITY_MS + 5_000) * 1_000_000L))
        {
            Thread.sleep(REACHABILITY_MS);
            result = traffic.stop(DRAIN_MS);
        }
        final List<TrafficReport.Flow> flows = result.report().flows();
        final long received = flows.stream().mapToLong(TrafficReport.Flow::received).sum();
        final List<Integer> silent = flows.stream().filter(f -> f.received() == 0).map(TrafficReport.Flow::flow).toList();
        final String problem = silent.isEmpty() ? null : silent.size() + " of " + flows.size() + " flows from the VPC " +
            "host " + state.vpcHost().ip() + " to the IDC host " + state.idcHosts().get(0).ip() + " never arrived " +
            "(flows " + silent.subList(0, Math.min(8, silent.size())) + (silent.size() > 8 ? " ..." : "") +
            "): check vbgw lab status " + state.name();
        final DrillReport.Reachability reach = new DrillReport.Reachability(flows.size(), result.sent(), received,
            silent.size(), problem);
        say("reachability: %s, %,d of %,d packets arrived", reach.passed() ? "PASS" : "FAIL: " + problem, received,
            result.sent());
        return reach;
    }

    /** The lab's gateway config as it runs (its directory), else the scenario's. */
    private GatewayConfig config(final LabState state) throws IOException
    {
        final Path file = state.directory().resolve("gateway.yaml");
        final ConfigCheck check = Files.exists(file) ? ConfigCheck.of(file) : options.scenario().check();
        if (check.config() == null || !check.ok())
        {
            throw new IllegalStateException("lab " + state.name() + ": its gateway config has errors: " + check.errors());
        }
        return check.config();
    }

    /** The path(s) that carry traffic in the scenario and that a drill cuts (see the class comment). */
    static List<String> activePaths(final LabState state)
    {
        if (LabScenario.DIRECT_VPN_BACKUP.id().equals(state.scenario()))
        {
            return state.paths().stream().filter(p -> "direct".equals(p.kind())).map(LabState.LabPath::vif).toList();
        }
        return List.of(state.paths().get(0).vif());
    }

    private void write(final DrillReport report, final List<String> plots) throws IOException
    {
        Files.createDirectories(options.outDir());
        Files.writeString(options.outDir().resolve("drill.md"), MarkdownReport.render(report));
        report.writeJson(options.outDir().resolve("drill.json"));
        say("report: %s (drill.md, drill.json%s)", options.outDir(), plots.isEmpty() ? "" : ", " +
            String.join(", ", plots));
    }

    private static String summary(final RepeatResult r)
    {
        return String.format("%d of %d flows moved, outage %.1f ms, switch %s, failback %s, lost %d at cut, %d at " +
            "failback, survivors lost %d%s", r.movedFlows(), r.flows(), r.worstOutageNs() / 1e6,
            r.switchNs() < 0 ? "never" : String.format("%.1f ms", r.switchNs() / 1e6),
            r.failbackNs() < 0 ? "never" : String.format("%.0f ms", r.failbackNs() / 1e6), r.lostAtCut(),
            r.lostAtFailback(), r.survivorLost(), r.passed() ? ": PASS" : ": FAIL: " + String.join("; ", r.problems()));
    }

    private void say(final String format, final Object... args)
    {
        out.printf(format + "%n", args);
        out.flush();
    }
}
