package org.vbgw.agent.lab.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
