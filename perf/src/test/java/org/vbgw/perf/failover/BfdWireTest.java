package org.vbgw.perf.failover;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** tcpdump's lines reduced to the longest gaps per direction, only after packets that said Up. */
class BfdWireTest
{
    private static final long S = 1_000_000_000L;

    private static String line(final String time, final String src, final String dst, final String state)
    {
        return time + " eth0  Out IP " + src + ".49152 > " + dst + ".3784: BFDv1, Control, State " + state +
            ", Flags: [none], length: 24";
    }

    @Test
    void gapsAfterUpPacketsAreKeptPerDirectionAndSlowDownRateIsNot()
    {
        final BfdWire wire = new BfdWire(Map.of("10.0.0.1>10.0.0.2", "gw→peer A", "10.0.0.2>10.0.0.1", "peer→gw A"));
        // Down: one a second, not a gap that counts.
        wire.onLine(line("1000.000000", "10.0.0.1", "10.0.0.2", "Down"));
        wire.onLine(line("1001.000000", "10.0.0.1", "10.0.0.2", "Up"));
        wire.onLine(line("1001.010000", "10.0.0.1", "10.0.0.2", "Up"));
        // Up, then 25.5 ms of silence: late.
        wire.onLine(line("1001.035500", "10.0.0.1", "10.0.0.2", "Up"));
        wire.onLine(line("1001.045000", "10.0.0.1", "10.0.0.2", "Up"));
        // The other direction: 12 ms is within the keep threshold; 14 ms is kept.
        wire.onLine(line("1001.000000", "10.0.0.2", "10.0.0.1", "Up"));
        wire.onLine(line("1001.012000", "10.0.0.2", "10.0.0.1", "Up"));
        wire.onLine(line("1001.026000", "10.0.0.2", "10.0.0.1", "Up"));
        // Another pair and a line that is not a packet are ignored.
        wire.onLine(line("1001.500000", "10.0.0.5", "10.0.0.6", "Up"));
        wire.onLine("tcpdump: listening on any, link-type LINUX_SLL2");

        final Map<String, Double> all = wire.maxGaps(1000 * S, 1002 * S);
        assertEquals(2, all.size(), all.toString());
        assertEquals(25.5, all.get("gw→peer A"), 1e-6);
        assertEquals(14.0, all.get("peer→gw A"), 1e-6);
        // The window is by the end of the gap.
        assertEquals(Map.of("gw→peer A", 25.5), wire.maxGaps(1001 * S + 30_000_000L, 1001 * S + 40_000_000L));
    }
}
