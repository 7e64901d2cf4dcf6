package org.vbgw.agent.lab.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PercentilesTest
{
    private static final long MS = 1_000_000L;

    @Test
    void percentilesOverRepeats()
    {
        final Percentiles p = Percentiles.of(10 * MS, 1 * MS, 9 * MS, 2 * MS, 8 * MS, 3 * MS, 7 * MS, 4 * MS, 6 * MS,
            5 * MS);
        assertEquals(10, p.count());
        assertEquals(5.0, p.p50Ms(), 0.01);
        assertEquals(9.0, p.p90Ms(), 0.01);
        assertEquals(10.0, p.maxMs(), 0.01);
        assertEquals("5.0 / 9.0 / 10.0", p.describe());
    }

    @Test
    void microsecondResolution()
    {
        final Percentiles p = Percentiles.of(151_234_000L);
        assertEquals(151.2, p.p50Ms(), 0.1);
        assertEquals(p.p50Ms(), p.maxMs());
    }

    @Test
    void neverIsCountedApart()
    {
        final Percentiles p = Percentiles.of(-1, 3 * MS);
        assertEquals(1, p.count());
        assertEquals(1, p.never());
        assertEquals("3.0 / 3.0 / 3.0 (1x never)", p.describe());
        final Percentiles none = Percentiles.of(-1);
        assertNull(none.p50Ms());
        assertEquals("never", none.describe());
        assertEquals("-", Percentiles.of().describe());
    }
}
