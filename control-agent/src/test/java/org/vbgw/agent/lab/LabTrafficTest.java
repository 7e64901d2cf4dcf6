package org.vbgw.agent.lab;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LabTrafficTest
{
    @Test
    void packetsPerSecondPerVifComeFromConsecutiveCounterSamples()
    {
        final List<LabTraffic.Sample> samples = List.of(
            new LabTraffic.Sample(0, new long[] {0, 0}),
            new LabTraffic.Sample(100_000_000L, new long[] {500, 400}),
            new LabTraffic.Sample(300_000_000L, new long[] {500, 1_400}));
        final double[][] pps = LabTraffic.pps(samples);
        assertEquals(2, pps.length);
        assertArrayEquals(new double[] {5_000, 4_000}, pps[0], 1e-6);
        assertArrayEquals(new double[] {0, 5_000}, pps[1], 1e-6);
        assertEquals(0, LabTraffic.pps(samples.subList(0, 1)).length);
    }
}
