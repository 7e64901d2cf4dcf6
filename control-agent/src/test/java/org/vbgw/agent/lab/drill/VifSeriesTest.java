package org.vbgw.agent.lab.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class VifSeriesTest
{
    private static final long MS = 1_000_000L;

    /** Samples every 100 ms of a VIF that sends 1,000 packets/s, stops in [1.0 s, 2.0 s) and resumes at 2.03 s. */
    private static VifSeries stopAndResume()
    {
        final long[] t = new long[31];
        final long[] c = new long[31];
        long count = 0;
        for (int i = 0; i < t.length; i++)
        {
            t[i] = i * 100 * MS;
            c[i] = count;
            final long from = t[i];
            final long to = from + 100 * MS;
            for (long ms = from / MS; ms < to / MS; ms++)
            {
                count += ms >= 1000 && ms < 2030 ? 0 : 1;
            }
        }
        return new VifSeries("dx-a", t, c);
    }

    @Test
    void ratesPerInterval()
    {
        final VifSeries s = stopAndResume();
        assertEquals(1000.0, s.pps(1), 1e-9);
        assertEquals(0.0, s.pps(15), 1e-9);
        assertEquals(700.0, s.pps(21), 1e-9, "resumed 30 ms into the interval [2.0 s, 2.1 s)");
        assertEquals(1000.0, s.meanPps(0, 1000 * MS), 1e-9);
        assertEquals(0.0, s.meanPps(1100 * MS, 1100 * MS), "one sample is no interval");
    }

    @Test
    void returnTimeIsInterpolatedWithinTheSample()
    {
        final VifSeries s = stopAndResume();
        assertEquals(2030 * MS, s.returnNs(1500 * MS, 1000));
        assertEquals(2030 * MS, s.returnNs(2010 * MS, 1000));
        assertEquals(2050 * MS, s.returnNs(2050 * MS, 1000), "never before the restore");
        assertEquals(-1, s.returnNs(1500 * MS, 1e6), "never at a million packets/s");
        assertEquals(1000 * MS, s.leaveNs(950 * MS, 1000));
        assertEquals(1000 * MS, s.leaveNs(1000 * MS, 1000));
        assertEquals(-1, s.leaveNs(2500 * MS, 1000), "never left after 2.5 s");
        assertTrue(s.wentIdle(1000 * MS, 2000 * MS, 1000));
        assertFalse(s.wentIdle(0, 1000 * MS, 1000));
    }

    @Test
    void aStallOfTheSenderIsNotTakenForTrafficLeaving()
    {
        // Two VIFs at 600 and 400 packets/s; in [0.5 s, 0.6 s) the sender stalls and both carry a tenth of that.
        final long[] t = new long[11];
        final long[] a = new long[11];
        final long[] b = new long[11];
        for (int i = 1; i < t.length; i++)
        {
            t[i] = i * 100 * MS;
            final boolean stall = i == 6;
            a[i] = a[i - 1] + (stall ? 6 : 60);
            b[i] = b[i - 1] + (stall ? 4 : 40);
        }
        final VifSeries va = new VifSeries("a", t, a);
        final VifSeries total = VifSeries.sum("all", List.of(va, new VifSeries("b", t.clone(), b)));
        assertEquals(1000.0, total.pps(3), 1e-9);
        assertEquals(60.0, va.pps(6), 1e-9, "the raw counter dips");
        assertTrue(va.leaveNs(0, 600) > 0, "and looks like traffic leaving");
        final VifSeries normalised = va.normalisedTo(total, 1000);
        assertEquals(600.0, normalised.pps(6), 1e-9);
        assertEquals(-1, normalised.leaveNs(0, 600));
        assertThrows(IllegalArgumentException.class, () -> VifSeries.sum("all", List.of(va, new VifSeries("c",
            new long[] {1, 2}, new long[2]))));
    }

    @Test
    void sinceKeepsTheLaterSamples()
    {
        final VifSeries s = stopAndResume().since(2500 * MS);
        assertEquals(6, s.size());
        assertEquals(2500 * MS, s.timeNs()[0]);
    }

    @Test
    void rejectsMalformedSamples()
    {
        assertEquals("dx-a: 2 sample times but 1 counter values", assertThrows(IllegalArgumentException.class,
            () -> new VifSeries("dx-a", new long[2], new long[1])).getMessage());
        assertEquals("dx-a: sample times not ascending at sample 1 (5 then 5)", assertThrows(
            IllegalArgumentException.class, () -> new VifSeries("dx-a", new long[] {5, 5}, new long[2])).getMessage());
        assertThrows(IllegalArgumentException.class, () -> stopAndResume().returnNs(0, 0));
    }
}
