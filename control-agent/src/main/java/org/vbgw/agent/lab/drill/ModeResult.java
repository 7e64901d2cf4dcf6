package org.vbgw.agent.lab.drill;

import org.vbgw.agent.lab.FailureMode;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A failure mode's repeats and what they add up to: outage and failback percentiles over the repeats, the
 * packets lost, and PASS or FAIL against the expectation.
 *
 * @param cutVifs        the VIFs cut in every repeat.
 * @param skipped        why the mode did not run (not applicable to the config), or null.
 * @param outage         the worst flow's outage per repeat.
 * @param aggregate      time some flow was losing per repeat.
 * @param switchTime     from the cut until traffic left the cut VIFs, per repeat.
 * @param failback       from restore until the restored path carried its traffic.
 * @param plotFile       the SVG of one repeat's packets per second per VIF, relative to the report, or null.
 * @param errors         what stopped the mode before all its repeats ran (e.g. the lab did not become ready again).
 */
public record ModeResult(FailureMode mode, Expectation expectation, List<String> cutVifs, String skipped,
    List<RepeatResult> repeats, Percentiles outage, Percentiles aggregate, Percentiles switchTime, Percentiles failback, long lostAtCut,
    long lostAtFailback, long survivorLost, String plotFile, List<String> errors)
{
    /** A mode that was not run, and why. */
    public static ModeResult skipped(final FailureMode mode, final Expectation expectation,
        final List<String> cutVifs, final String why)
    {
        final Percentiles none = Percentiles.of();
        return new ModeResult(mode, expectation, cutVifs, why, List.of(), none, none, none, none, 0, 0, 0, null, List.of());
    }

    /** The summary of {@code repeats}. */
    public static ModeResult of(final FailureMode mode, final Expectation expectation, final List<String> cutVifs,
        final List<RepeatResult> repeats, final String plotFile, final List<String> errors)
    {
        final long[] outage = repeats.stream().mapToLong(r -> r.switched() ? r.worstOutageNs() : -1).toArray();
        final long[] aggregate = repeats.stream().mapToLong(r -> r.switched() ? r.aggregateOutageNs() : -1).toArray();
        final long[] switchTime = repeats.stream().mapToLong(RepeatResult::switchNs).toArray();
        final long[] failback = repeats.stream().mapToLong(RepeatResult::failbackNs).toArray();
        return new ModeResult(mode, expectation, cutVifs, null, List.copyOf(repeats), Percentiles.of(outage),
            Percentiles.of(aggregate), Percentiles.of(switchTime), Percentiles.of(failback),
            repeats.stream().mapToLong(RepeatResult::lostAtCut).sum(),
            repeats.stream().mapToLong(RepeatResult::lostAtFailback).sum(),
            repeats.stream().mapToLong(RepeatResult::survivorLost).sum(), plotFile, List.copyOf(errors));
    }

    /** Ran, with at least one repeat, and every repeat passed. A skipped mode neither passes nor fails. */
    public boolean passed()
    {
        return skipped == null && errors.isEmpty() && !repeats.isEmpty() && repeats.stream().allMatch(RepeatResult::passed);
    }

    public boolean failed()
    {
        return skipped == null && !passed();
    }

    /** PASS, FAIL or SKIPPED. */
    @JsonProperty("verdict")
    public String verdict()
    {
        return skipped != null ? "SKIPPED" : passed() ? "PASS" : "FAIL";
    }
}
