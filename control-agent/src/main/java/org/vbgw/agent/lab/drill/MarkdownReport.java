package org.vbgw.agent.lab.drill;

import java.util.Locale;

/**
 * A {@link DrillReport} as Markdown: what ran where, the timers, one table row per failure mode, each mode's
 * expectation and how it was derived, its plot, and every failed repeat's reasons. Fit to paste into
 * {@code docs/BENCHMARKS.md}.
 */
public final class MarkdownReport
{
    private MarkdownReport()
    {
    }

    /** The Markdown text. */
    public static String render(final DrillReport r)
    {
        final StringBuilder md = new StringBuilder(4096);
        md.append("## Drill: ").append(r.scenario()).append(" (").append(r.passed() ? "PASS" : "FAIL").append(")\n\n");
        md.append("- machine: ").append(r.machine().describe()).append('\n');
        md.append("- date: ").append(r.dateUtc()).append('\n');
        md.append("- command: `").append(r.command()).append("`\n");
        md.append("- lab: `").append(r.lab()).append("`, scenario `").append(r.scenario()).append("`\n");
        md.append(String.format(Locale.ROOT, "- traffic: %,d packets/s in %d flows (one packet per flow every %.2f ms: " +
            "the resolution of an outage)%n", r.ratePps(), r.flows(), r.flowSpacingMs()));
        md.append("- timers: carrier poll ").append(Expectation.CARRIER_POLL_MS).append(" ms (hold-down ")
            .append(Expectation.CARRIER_HOLD_DOWN_MS).append(" ms)");
        for (final PathTimers t : r.timers())
        {
            md.append("; ").append(t.vif()).append(": ").append(t.describe());
        }
        md.append('\n');
        final DrillReport.Reachability reach = r.reachability();
        md.append(String.format(Locale.ROOT, "- reachability: %s, %d flows, %,d of %,d packets arrived%s%n%n",
            reach.passed() ? "PASS" : "FAIL", reach.flows(), reach.received(), reach.sent(),
            reach.passed() ? "" : ": " + reach.problem()));

        md.append("| mode | cut | repeats | outage p50 / p90 / max (ms) | aggregate p50 / p90 / max (ms) | " +
            "switch p50 / p90 / max (ms) | limit (ms) | failback p50 / p90 / max (ms) | lost at cut | lost at failback | " +
            "survivors lost | result |\n");
        md.append("|---|---|---:|---|---|---|---:|---|---:|---:|---:|---|\n");
        for (final ModeResult m : r.modes())
        {
            if (m.skipped() != null)
            {
                md.append("| ").append(m.mode()).append(" | ").append(String.join(", ", m.cutVifs()))
                    .append(" | 0 | - | - | - | - | - | - | - | - | SKIPPED: ").append(escape(m.skipped())).append(" |\n");
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %d | %s | %,d | %,d | %,d | %s |%n",
                m.mode(), String.join(", ", m.cutVifs()), m.repeats().size(), m.outage().describe(),
                m.aggregate().describe(), m.switchTime().describe(), m.expectation().limitMs(), m.failback().describe(), m.lostAtCut(),
                m.lostAtFailback(), m.survivorLost(), m.verdict()));
        }
        md.append('\n');
        md.append("Outage: the longest a flow on the cut path lost packets, from its sequence numbers at the receiver; " +
            "aggregate: how long some flow was losing. Switch: from the cut until the cut VIFs stopped sending (the " +
            "gateway's per-VIF counters: the detection time also where a cut loses nothing, as a silenced BFD or a " +
            "withdrawal over a working link). Failback: from the restore until the restored path carried " +
            "half its usual rate again (the gateway's per-VIF counters, sampled every 100 ms and interpolated).\n\n");
        for (final ModeResult m : r.modes())
        {
            md.append("### ").append(m.mode()).append(": ").append(m.verdict()).append("\n\n");
            md.append("- expected: ").append(m.expectation().applicable() ? "detector " + m.expectation().detector() +
                ", " : "").append(escape(m.expectation().derivation())).append('\n');
            for (final RepeatResult rep : m.repeats())
            {
                md.append(String.format(Locale.ROOT, "- repeat %d: %d of %d flows moved, outage %.1f ms (flow %d), " +
                    "aggregate %.1f ms, switch %s, %d lost at cut, failback %s, %d lost at failback, %d lost before the cut%s%n",
                    rep.repeat() + 1,
                    rep.movedFlows(), rep.flows(), rep.worstOutageNs() / 1e6, rep.worstFlow(),
                    rep.aggregateOutageNs() / 1e6,
                    rep.switchNs() < 0 ? "never" : String.format(Locale.ROOT, "%.1f ms", rep.switchNs() / 1e6), rep.lostAtCut(),
                    rep.failbackNs() < 0 ? "never" : String.format(Locale.ROOT, "%.0f ms", rep.failbackNs() / 1e6),
                    rep.lostAtFailback(), rep.baselineLost(), rep.passed() ? "" : ": **FAIL**: " + escape(String.join("; ", rep.problems()))));
            }
            for (final String error : m.errors())
            {
                md.append("- **FAIL**: ").append(escape(error)).append('\n');
            }
            if (m.plotFile() != null)
            {
                md.append("\n![packets per second per VIF, ").append(m.mode()).append("](").append(m.plotFile())
                    .append(")\n");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** Keeps table cells intact. */
    private static String escape(final String text)
    {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
