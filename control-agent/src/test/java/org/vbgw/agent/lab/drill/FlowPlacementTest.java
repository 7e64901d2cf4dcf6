package org.vbgw.agent.lab.drill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.vbgw.agent.lab.drill.SyntheticRun.MS;
import static org.vbgw.agent.lab.drill.SyntheticRun.START_NS;

import java.util.List;
import java.util.function.LongPredicate;

import org.junit.jupiter.api.Test;

class FlowPlacementTest
{
    private static final long CUT_NS = START_NS + 2_000 * MS;
    private static final long RESTORE_NS = START_NS + 4_000 * MS;

    /** Flows 0..5 on path 0 (6 of 16), the rest on path 1; path 0 out for 100 ms after the cut. */
    private static SyntheticRun run(final LongPredicate path1Out)
    {
        return new SyntheticRun(16, 1_600, 6_000 * MS, new String[] {"a", "b"},
            (flow, t) -> flow < 6 && (t < CUT_NS + 100 * MS || t >= RESTORE_NS) ? 0 : 1,
            new LongPredicate[] {t -> t >= CUT_NS && t < RESTORE_NS, path1Out});
    }

    @Test
    void theCutPathsShareOfTheCountersSaysHowManyFlowsItCarried()
    {
        final SyntheticRun run = run(t -> false);
        final List<VifSeries> series = run.series();
        final double share = FlowPlacement.cutShare(series, List.of("a"), START_NS + 500 * MS, CUT_NS);
        assertEquals(6 / 16.0, share, 0.01);
        final boolean[] onCut = FlowPlacement.infer(run.traffic(), run.spacingNs(), CUT_NS, share);
        for (int f = 0; f < 16; f++)
        {
            assertEquals(f < 6, onCut[f], "flow " + f);
        }
    }

    @Test
    void survivorsThatLostLessThanTheMovedFlowsAreNotTakenForThem()
    {
        // Path 1 hiccups for 20 ms: every survivor loses a packet or two, less than a moved flow's 100 ms.
        final SyntheticRun run = run(t -> t >= CUT_NS + 1_000 * MS && t < CUT_NS + 1_020 * MS);
        final boolean[] onCut = FlowPlacement.infer(run.traffic(), run.spacingNs(), CUT_NS, 6 / 16.0);
        assertArrayEquals(new boolean[] {true, true, true, true, true, true, false, false, false, false, false, false,
            false, false, false, false}, onCut);
    }

    @Test
    void withoutLossTheCountIsStillRight()
    {
        final SyntheticRun run = new SyntheticRun(16, 1_600, 6_000 * MS, new String[] {"a", "b"},
            (flow, t) -> flow % 2, new LongPredicate[] {t -> false, t -> false});
        final boolean[] onCut = FlowPlacement.infer(run.traffic(), run.spacingNs(), CUT_NS, 0.5);
        int count = 0;
        for (final boolean on : onCut)
        {
            count += on ? 1 : 0;
        }
        assertEquals(8, count);
        assertEquals(0, FlowPlacement.cutShare(List.of(), List.of("a"), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> FlowPlacement.infer(run.traffic(), run.spacingNs(), CUT_NS,
            1.5));
    }
}
